// SQL of demo downloads, product files, activation how-tos and the log of purchased downloads.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type {
  DownloadsTable,
  FileDownloadsTable,
  ProductFilesTable,
  ProductInstructionsTable,
} from './downloads.tables.ts';

type Db = Kysely<Database>;

export async function insertDownload(db: Db, row: DownloadsTable): Promise<void> {
  await db.insertInto('downloads').values(row).execute();
}

export async function insertProductFile(db: Db, row: ProductFilesTable): Promise<void> {
  await db.insertInto('product_files').values(row).execute();
}

export async function findProductFile(db: Db, id: string): Promise<ProductFilesTable | undefined> {
  return db.selectFrom('product_files').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The files of the given products, newest first within each product. */
export async function listFilesOfProducts(db: Db, productIds: string[]): Promise<ProductFilesTable[]> {
  if (productIds.length === 0) return [];
  return db
    .selectFrom('product_files')
    .selectAll()
    .where('product_id', 'in', productIds)
    .orderBy('product_id')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export async function deleteProductFile(db: Db, productId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('product_files')
    .where('id', '=', id)
    .where('product_id', '=', productId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function upsertInstructions(db: Db, row: ProductInstructionsTable): Promise<void> {
  await db
    .insertInto('product_instructions')
    .values(row)
    .onConflict((oc) =>
      oc.column('product_id').doUpdateSet({
        how_to_en: row.how_to_en,
        how_to_de: row.how_to_de,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function listInstructions(db: Db, productIds: string[]): Promise<ProductInstructionsTable[]> {
  if (productIds.length === 0) return [];
  return db.selectFrom('product_instructions').selectAll().where('product_id', 'in', productIds).execute();
}

export async function insertFileDownload(db: Db, row: FileDownloadsTable): Promise<void> {
  await db.insertInto('file_downloads').values(row).execute();
}

/** How often a customer downloaded each file (files never downloaded are absent). */
export async function countFileDownloadsOfUser(db: Db, userId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('file_downloads')
    .select(['file_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('user_id', '=', userId)
    .groupBy('file_id')
    .execute();
  return new Map(rows.map((r) => [r.file_id, Number(r.n)]));
}
