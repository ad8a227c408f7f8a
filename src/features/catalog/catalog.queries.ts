// SQL of the catalogue.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { BundleItemsTable, CategoriesTable, ProductsTable } from './catalog.tables.ts';

type Db = Kysely<Database>;

export async function listProducts(db: Db, limit: number, offset: number): Promise<ProductsTable[]> {
  return db.selectFrom('products').selectAll().orderBy('position').limit(limit).offset(offset).execute();
}

export type ProductCard = Pick<ProductsTable, 'id' | 'slug' | 'kind' | 'price_cents' | 'stock'> & {
  title: string;
  summary: string;
};

export interface ProductFilter {
  /** Category slug. */
  category?: string | undefined;
  /** Words to find in title or summary, in either language, case-insensitively. */
  search?: string | undefined;
}

/** LIKE pattern for a literal substring: %, _ and \ in the input match only themselves. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function filtered(db: Db, filter: ProductFilter) {
  let query = db.selectFrom('products');
  if (filter.category) {
    query = query.where(
      'category_id',
      'in',
      db.selectFrom('categories').select('id').where('slug', '=', filter.category),
    );
  }
  const words = filter.search?.trim().split(/\s+/).filter(Boolean).slice(0, 5) ?? [];
  for (const word of words) {
    const pattern = containsPattern(word);
    query = query.where((eb) =>
      eb.or(
        (['title_en', 'title_de', 'summary_en', 'summary_de'] as const).map(
          (column) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`,
        ),
      ),
    );
  }
  return query;
}

/** One page of products in one language, with only the columns a listing shows, and the total count. */
export async function listProductCards(
  db: Db,
  lang: 'en' | 'de',
  limit: number,
  offset: number,
  filter: ProductFilter = {},
): Promise<{ rows: ProductCard[]; total: number }> {
  const rows = await filtered(db, filter)
    .select(['id', 'slug', 'kind', 'price_cents', 'stock'])
    .select(
      lang === 'de' ? ['title_de as title', 'summary_de as summary'] : ['title_en as title', 'summary_en as summary'],
    )
    .orderBy('position')
    .limit(limit)
    .offset(offset)
    .execute();
  // A page shorter than the limit that starts at 0 already tells the total.
  if (offset === 0 && rows.length < limit) return { rows, total: rows.length };
  const count = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

export async function listCategories(db: Db): Promise<CategoriesTable[]> {
  return db.selectFrom('categories').selectAll().orderBy('position').execute();
}

export async function findCategoryById(db: Db, id: string): Promise<CategoriesTable | undefined> {
  return db.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCategories(db: Db, rows: CategoriesTable[]): Promise<void> {
  await db
    .insertInto('categories')
    .values(rows)
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
}

export async function findProductBySlug(db: Db, slug: string): Promise<ProductsTable | undefined> {
  return db.selectFrom('products').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function insertProducts(db: Db, rows: ProductsTable[]): Promise<void> {
  await db
    .insertInto('products')
    .values(rows)
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
}

export async function findProductsByIds(db: Db, ids: string[]): Promise<ProductsTable[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('products').selectAll().where('id', 'in', ids).execute();
}

/** Takes `quantity` units of a stocked product, only if that many are left; true when it did. */
export async function reserveStock(db: Db, productId: string, quantity: number): Promise<boolean> {
  const r = await db
    .updateTable('products')
    .set((eb) => ({ stock: eb('stock', '-', quantity) }))
    .where('id', '=', productId)
    .where('stock', '>=', quantity)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseStock(db: Db, productId: string, quantity: number): Promise<void> {
  await db
    .updateTable('products')
    .set((eb) => ({ stock: eb('stock', '+', quantity) }))
    .where('id', '=', productId)
    .where('stock', 'is not', null)
    .execute();
}

export async function findProductById(db: Db, id: string): Promise<ProductsTable | undefined> {
  return db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateProduct(db: Db, id: string, changes: Partial<ProductsTable>): Promise<void> {
  await db.updateTable('products').set(changes).where('id', '=', id).execute();
}

export async function maxProductPosition(db: Db): Promise<number> {
  const row = await db
    .selectFrom('products')
    .select((eb) => eb.fn.max<number>('position').as('p'))
    .executeTakeFirst();
  return Number(row?.p ?? 0);
}

export async function insertProduct(db: Db, row: ProductsTable): Promise<void> {
  await db.insertInto('products').values(row).execute();
}

/** The products inside each of the given bundles, in their order. */
export async function listBundleContents(
  db: Db,
  bundleIds: string[],
): Promise<(ProductsTable & { bundle_id: string })[]> {
  if (bundleIds.length === 0) return [];
  return db
    .selectFrom('bundle_items')
    .innerJoin('products', 'products.id', 'bundle_items.product_id')
    .selectAll('products')
    .select('bundle_items.bundle_id')
    .where('bundle_items.bundle_id', 'in', bundleIds)
    .orderBy('bundle_items.bundle_id')
    .orderBy('bundle_items.position')
    .execute();
}

export async function findProductsBySlugs(db: Db, slugs: string[]): Promise<ProductsTable[]> {
  if (slugs.length === 0) return [];
  return db.selectFrom('products').selectAll().where('slug', 'in', slugs).execute();
}

export async function insertBundleItems(db: Db, rows: BundleItemsTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('bundle_items')
    .values(rows)
    .onConflict((oc) => oc.columns(['bundle_id', 'product_id']).doNothing())
    .execute();
}

export async function deleteBundleItems(db: Db, bundleId: string): Promise<void> {
  await db.deleteFrom('bundle_items').where('bundle_id', '=', bundleId).execute();
}

export async function countBundlesContaining(db: Db, productId: string): Promise<number> {
  const row = await db
    .selectFrom('bundle_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('product_id', '=', productId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
