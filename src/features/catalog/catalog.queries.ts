// SQL of the catalogue.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { ProductsTable } from './catalog.tables.ts';

type Db = Kysely<Database>;

export async function listProducts(db: Db, limit: number, offset: number): Promise<ProductsTable[]> {
  return db.selectFrom('products').selectAll().orderBy('position').limit(limit).offset(offset).execute();
}

export type ProductCard = Pick<ProductsTable, 'id' | 'slug' | 'kind' | 'price_cents' | 'stock'> & { title: string; summary: string };

/** One page of products in one language, with only the columns a listing shows, and the total count. */
export async function listProductCards(db: Db, lang: 'en' | 'de', limit: number, offset: number): Promise<{ rows: ProductCard[]; total: number }> {
  const rows = await db
    .selectFrom('products')
    .select(['id', 'slug', 'kind', 'price_cents', 'stock'])
    .select(lang === 'de' ? ['title_de as title', 'summary_de as summary'] : ['title_en as title', 'summary_en as summary'])
    .orderBy('position')
    .limit(limit)
    .offset(offset)
    .execute();
  // A page shorter than the limit that starts at 0 already tells the total.
  const total = offset === 0 && rows.length < limit ? rows.length : await countProducts(db);
  return { rows, total };
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
