// SQL of the staff product console: the list (search, filters, keyset paging on position and id), the software
// products an expansion may require, and the bulk price and stock update.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { contains, containsIgnoringCase } from '../../platform/db/search.ts';
import type { ProductKind, ProductsTable, ProductStatus } from './catalog.tables.ts';
import { mainImageColumn, mainImageFrom, type MainImage } from './catalog.images.queries.ts';

type Db = Kysely<Database>;

export interface ConsoleProductFilter {
  /** Part of the title (either language) or of the address name, any case. */
  q?: string | undefined;
  kind?: ProductKind | undefined;
  categoryId?: string | undefined;
  status?: ProductStatus | undefined;
  /** Only stocked products with this many units or fewer. */
  lowStockAt?: number | undefined;
}

/** Where a page starts: after the product with this position and id (the list's order). */
export interface ProductCursor {
  position: number;
  id: string;
}

export type ConsoleProductRow = Pick<
  ProductsTable,
  'id' | 'slug' | 'kind' | 'title_en' | 'title_de' | 'price_cents' | 'stock' | 'status' | 'position' | 'category_id'
> & { category_en: string | null; category_de: string | null; image: MainImage | null };

/** One page of the staff list (`limit` rows, and one more to tell whether a next page exists). */
export async function listConsoleProducts(
  db: Db,
  filter: ConsoleProductFilter,
  after: ProductCursor | undefined,
  limit: number,
): Promise<ConsoleProductRow[]> {
  let query = db
    .selectFrom('products')
    .leftJoin('categories', 'categories.id', 'products.category_id')
    .select([
      'products.id',
      'products.slug',
      'products.kind',
      'products.title_en',
      'products.title_de',
      'products.price_cents',
      'products.stock',
      'products.status',
      'products.position',
      'products.category_id',
      'categories.name_en as category_en',
      'categories.name_de as category_de',
    ]);
  if (filter.q) {
    const term = filter.q;
    // Slugs are lower-case ASCII: compared as stored; titles lower-cased by Unicode rules on both dialects.
    query = query.where((eb) =>
      eb.or([
        containsIgnoringCase(db, eb.ref('products.title_en'), term),
        containsIgnoringCase(db, eb.ref('products.title_de'), term),
        contains(eb.ref('products.slug'), term.toLowerCase()),
      ]),
    );
  }
  if (filter.kind) query = query.where('products.kind', '=', filter.kind);
  if (filter.categoryId) query = query.where('products.category_id', '=', filter.categoryId);
  if (filter.status) query = query.where('products.status', '=', filter.status);
  if (filter.lowStockAt !== undefined) {
    query = query.where('products.stock', 'is not', null).where('products.stock', '<=', filter.lowStockAt);
  }
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('products.position', '>', after.position),
        eb.and([eb('products.position', '=', after.position), eb('products.id', '>', after.id)]),
      ]),
    );
  }
  // The main image of the page's rows only: looked up outside the limited query, as the shop's listings do.
  const page = query.orderBy('products.position').orderBy('products.id').limit(limit).as('page');
  const rows = await db
    .selectFrom(page)
    .selectAll('page')
    .select(mainImageColumn(db, 'page.id').as('main_image'))
    .orderBy('page.position')
    .orderBy('page.id')
    .execute();
  return rows.map(({ main_image, ...row }) => ({ ...row, image: mainImageFrom(main_image) }));
}

/** The software products an expansion may name as required, by title. */
export async function listSoftwareProducts(
  db: Db,
): Promise<Pick<ProductsTable, 'id' | 'title_en' | 'title_de' | 'status'>[]> {
  return db
    .selectFrom('products')
    .select(['id', 'title_en', 'title_de', 'status'])
    .where('kind', '=', 'software')
    .orderBy('title_en')
    .execute();
}

/** Sets the price and/or stock of one product, only while it still has the `seen` values; true when it did. */
export async function updatePriceAndStock(
  db: Db,
  id: string,
  changes: { price_cents?: number; stock?: number },
  seen: { price_cents: number; stock: number | null },
): Promise<boolean> {
  const r = await db
    .updateTable('products')
    .set(changes)
    .where('id', '=', id)
    .where('price_cents', '=', seen.price_cents)
    .where((eb) => (seen.stock === null ? eb('stock', 'is', null) : eb('stock', '=', seen.stock)))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
