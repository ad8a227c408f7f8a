// SQL of product imports (and the look-ups by address name they need).
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { ProductImportsTable } from './catalog.images.tables.ts';

type Db = Kysely<Database>;
export async function insertProductImport(db: Db, row: ProductImportsTable): Promise<void> {
  await db.insertInto('product_imports').values(row).execute();
}

/** What the pages show of an import: everything but its stored file. */
export type ProductImportSummary = Omit<ProductImportsTable, 'source'>;
const SUMMARY = [
  'id',
  'state',
  'total',
  'done',
  'created_count',
  'updated_count',
  'rejected',
  'created_by',
  'created_at',
  'updated_at',
] as const;

export function findProductImport(db: Db, id: string): Promise<ProductImportSummary | undefined> {
  return db.selectFrom('product_imports').select(SUMMARY).where('id', '=', id).executeTakeFirst();
}

/** An import with its stored file, for the job. */
export function findProductImportToRun(db: Db, id: string): Promise<ProductImportsTable | undefined> {
  return db.selectFrom('product_imports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The imports still to be run, oldest first. */
export function listRunningProductImports(db: Db): Promise<{ id: string }[]> {
  return db
    .selectFrom('product_imports')
    .select('id')
    .where('state', '=', 'running')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

type ImportProgressSet = Partial<Omit<ProductImportsTable, 'id' | 'created_by' | 'created_at'>>;

/** Writes an import's progress if its `done` is still `from` (no other process got ahead); answers whether it did. */
export async function advanceProductImport(db: Db, id: string, from: number, set: ImportProgressSet): Promise<boolean> {
  const result = await db
    .updateTable('product_imports')
    .set(set)
    .where('id', '=', id)
    .where('done', '=', from)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Imports newest first, on keyset: those created before (created_at, id) of the last one shown. */
export function listProductImports(
  db: Db,
  limit: number,
  before?: { createdAt: number; id: string },
): Promise<ProductImportSummary[]> {
  let query = db.selectFrom('product_imports').select(SUMMARY);
  if (before)
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
      ]),
    );
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export function findCategoriesBySlugs(db: Db, slugs: string[]) {
  if (slugs.length === 0) return Promise.resolve([]);
  return db.selectFrom('categories').select(['id', 'slug']).where('slug', 'in', slugs).execute();
}

export function findProductIdsBySlugs(db: Db, slugs: string[]) {
  if (slugs.length === 0) return Promise.resolve([]);
  return db.selectFrom('products').select(['id', 'slug']).where('slug', 'in', slugs).execute();
}
