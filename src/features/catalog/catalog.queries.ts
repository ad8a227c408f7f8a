// SQL of the catalogue.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { ProductsTable } from './catalog.tables.ts';

type Db = Kysely<Database>;

export async function listProducts(db: Db, limit: number, offset: number): Promise<ProductsTable[]> {
  return db.selectFrom('products').selectAll().orderBy('position').limit(limit).offset(offset).execute();
}

export async function countProducts(db: Db): Promise<number> {
  const row = await db.selectFrom('products').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findProductBySlug(db: Db, slug: string): Promise<ProductsTable | undefined> {
  return db.selectFrom('products').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function insertProducts(db: Db, rows: ProductsTable[]): Promise<void> {
  await db.insertInto('products').values(rows).onConflict((oc) => oc.column('slug').doNothing()).execute();
}
