// SQL of the catalogue, and its search (one query function on both databases, see listProductCards).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { DbKind } from '../../platform/db/dialect.ts';
import { queryWords, searchTermsOf, SIMILARITY_THRESHOLD, trigramsOf } from './catalog.search.ts';
import type { BundleItemsTable, CategoriesTable, ProductKind, ProductsTable, ProductStatus } from './catalog.tables.ts';

type Db = Kysely<Database>;

/** Products on sale (status active), in the shop's order. */
export async function listProducts(db: Db, limit: number, offset: number): Promise<ProductsTable[]> {
  return db
    .selectFrom('products')
    .selectAll()
    .where('status', '=', 'active')
    .orderBy('position')
    .limit(limit)
    .offset(offset)
    .execute();
}

export type ProductCard = Pick<ProductsTable, 'id' | 'slug' | 'kind' | 'price_cents' | 'stock'> & {
  title: string;
  summary: string;
};

export type ProductSort = 'relevance' | 'price-asc' | 'price-desc' | 'newest' | 'name';

export interface ProductFilter {
  /** Category slug. */
  category?: string | undefined;
  /** What a shopper typed: every word must match a word of the product, exactly, as a prefix or as a typo. */
  search?: string | undefined;
  /** The database in use; needed with `search` (PostgreSQL uses pg_trgm, SQLite the trigram table). */
  dbKind: DbKind;
  kind?: ProductKind | undefined;
  /** Gross price range in cents, both ends included. */
  minCents?: number | undefined;
  maxCents?: number | undefined;
  /** `relevance` is the best match first when searching, and the shop's own order otherwise. */
  sort?: ProductSort | undefined;
  /**
   * Which statuses to list: the shop's products on sale (active) unless told otherwise. Registering a serial
   * number also takes archived hardware, which customers still own.
   */
  statuses?: readonly ProductStatus[] | undefined;
}

function filtered(db: Db, filter: ProductFilter) {
  // The shop lists and finds only products on sale: drafts and archived products never appear there.
  let query = db.selectFrom('products').where('products.status', 'in', filter.statuses ?? ['active']);
  if (filter.category) {
    query = query.where(
      'category_id',
      'in',
      db.selectFrom('categories').select('id').where('slug', '=', filter.category),
    );
  }
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.minCents !== undefined) query = query.where('price_cents', '>=', filter.minCents);
  if (filter.maxCents !== undefined) query = query.where('price_cents', '<=', filter.maxCents);
  return query;
}

// The schema pg_trgm lives in, per connection pool (public unless a DBA installed it elsewhere).
const trigramSchemas = new WeakMap<Db, Promise<string>>();

function trigramSchema(db: Db): Promise<string> {
  let schema = trigramSchemas.get(db);
  if (!schema) {
    schema = sql<{
      schema: string;
    }>`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`
      .execute(db)
      .then((r) => r.rows[0]?.schema ?? 'public');
    trigramSchemas.set(db, schema);
  }
  return schema;
}

/**
 * The products every word matches, with a score: per word the best match among the product's words, times the
 * weight of the field it is in (see catalog.search.ts): 2 for the same word, 1.5 for a word it begins, 1.2 for a
 * word it is part of ("flügel" in "Konzertflügel", from three letters), and the trigram similarity (above
 * SIMILARITY_THRESHOLD, below 1) for a typo; the scores of the words add up.
 * PostgreSQL computes the similarity with pg_trgm, SQLite from the trigram table: both give the same number.
 */
async function searchMatches(db: Db, dbKind: DbKind, words: string[]) {
  const schema = dbKind === 'postgres' ? sql.raw(await trigramSchema(db)) : undefined;
  const perWord = words.map((word) => {
    // Words are a-z and 0-9 only (catalog.search.ts), so they hold no LIKE wildcards.
    const same =
      word.length >= 3
        ? sql`select product_id, weight * (case when term = ${word} then 0.02 when term like ${`${word}%`} then 0.015 else 0.012 end) as score
              from product_search_terms where term like ${`%${word}%`}`
        : word.length === 2
          ? sql`select product_id, weight * (case when term = ${word} then 0.02 else 0.015 end) as score
                from product_search_terms where term like ${`${word}%`}`
          : sql`select product_id, weight * 0.02 as score from product_search_terms where term = ${word}`;
    const trigrams = trigramsOf(word);
    const n = trigrams.length;
    const similar = schema
      ? sql`select product_id, weight * 0.01 * ${schema}.similarity(term, ${word}) as score
            from product_search_terms
            where term operator(${schema}.%) ${word} and ${schema}.similarity(term, ${word}) > ${SIMILARITY_THRESHOLD}`
      : sql`select t.product_id, max(s.weight) * 0.01 * count(*) / (${n} + max(s.trigram_count) - count(*)) as score
            from product_search_trigrams t
            join product_search_terms s on s.product_id = t.product_id and s.term = t.term
            where t.trigram in (${sql.join(trigrams)})
            group by t.product_id, t.term
            having count(*) * 1.0 / (${n} + max(s.trigram_count) - count(*)) > ${SIMILARITY_THRESHOLD}`;
    return sql`select product_id, max(score) as score from (${same} union all ${similar}) x group by product_id`;
  });
  const [first, ...rest] = perWord;
  const joins = rest.map((m, i) => sql`join (${m}) ${sql.ref(`m${i + 1}`)} using (product_id)`);
  const total = sql.join(
    perWord.map((_, i) => sql.ref(`m${i}.score`)),
    sql` + `,
  );
  return sql<{ product_id: string; score: number }>`(select m0.product_id as product_id, ${total} as score
    from (${first}) m0 ${sql.join(joins, sql` `)})`;
}

/** One page of products in one language, with only the columns a listing shows, and the total count. */
export async function listProductCards(
  db: Db,
  lang: 'en' | 'de',
  limit: number,
  offset: number,
  filter: ProductFilter,
): Promise<{ rows: ProductCard[]; total: number }> {
  const searching = filter.search !== undefined && filter.search.trim() !== '';
  const words = searching ? queryWords(filter.search ?? '') : [];
  // Typed words of nothing but signs (say "%") match no product.
  if (searching && words.length === 0) return { rows: [], total: 0 };
  const matches = words.length > 0 ? (await searchMatches(db, filter.dbKind, words)).as('m') : undefined;
  const base = () => {
    const query = filtered(db, filter);
    return matches ? query.innerJoin(matches, (join) => join.onRef('m.product_id', '=', 'products.id')) : query;
  };
  const titleColumn = lang === 'de' ? 'title_de' : 'title_en';
  let page = base()
    .select(['id', 'slug', 'kind', 'price_cents', 'stock'])
    .select(
      lang === 'de' ? ['title_de as title', 'summary_de as summary'] : ['title_en as title', 'summary_en as summary'],
    );
  switch (filter.sort ?? 'relevance') {
    case 'price-asc':
      page = page.orderBy('price_cents', 'asc');
      break;
    case 'price-desc':
      page = page.orderBy('price_cents', 'desc');
      break;
    case 'newest':
      page = page.orderBy('created_at', 'desc');
      break;
    case 'name':
      page = page.orderBy(sql`lower(${sql.ref(titleColumn)})`);
      break;
    default:
      if (matches) page = page.orderBy(sql`m.score`, 'desc');
  }
  const rows = await page.orderBy('position').orderBy('id').limit(limit).offset(offset).execute();
  // A page shorter than the limit that starts at 0 already tells the total.
  if (offset === 0 && rows.length < limit) return { rows, total: rows.length };
  const count = await base()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

/** The first `perCategory` products of each category in the shop's order, as cards, category by category. */
export async function listFeaturedProducts(db: Db, lang: 'en' | 'de', perCategory: number): Promise<ProductCard[]> {
  const ranked = db
    .selectFrom('products')
    .innerJoin('categories', 'categories.id', 'products.category_id')
    .select([
      'products.id',
      'products.slug',
      'products.kind',
      'products.price_cents',
      'products.stock',
      'products.position',
      'categories.position as category_position',
    ])
    .select(
      lang === 'de'
        ? ['products.title_de as title', 'products.summary_de as summary']
        : ['products.title_en as title', 'products.summary_en as summary'],
    )
    .select(sql<number>`row_number() over (partition by products.category_id order by products.position)`.as('rank'))
    .where('products.status', '=', 'active')
    .as('ranked');
  const rows = await db
    .selectFrom(ranked)
    .select(['id', 'slug', 'kind', 'price_cents', 'stock', 'title', 'summary'])
    .where('rank', '<=', perCategory)
    .orderBy('category_position')
    .orderBy('position')
    .execute();
  return rows;
}

/** Rewrites the search words of the given products (of every product without ids) from their texts and category. */
export async function writeSearchTerms(db: Db, dbKind: DbKind, productIds?: string[]): Promise<void> {
  if (productIds?.length === 0) return;
  let products = db
    .selectFrom('products')
    .leftJoin('categories', 'categories.id', 'products.category_id')
    .select([
      'products.id',
      'products.slug',
      'products.title_en',
      'products.title_de',
      'products.summary_en',
      'products.summary_de',
      'categories.name_en as category_en',
      'categories.name_de as category_de',
    ]);
  let terms = db.deleteFrom('product_search_terms');
  let trigrams = db.deleteFrom('product_search_trigrams');
  if (productIds) {
    products = products.where('products.id', 'in', productIds);
    terms = terms.where('product_id', 'in', productIds);
    trigrams = trigrams.where('product_id', 'in', productIds);
  }
  await terms.execute();
  if (dbKind === 'sqlite') await trigrams.execute();
  for (const p of await products.execute()) {
    const found = searchTermsOf(p, [p.category_en ?? '', p.category_de ?? '']);
    if (found.length === 0) continue;
    await db
      .insertInto('product_search_terms')
      .values(
        found.map((t) => ({ product_id: p.id, term: t.term, weight: t.weight, trigram_count: t.trigrams.length })),
      )
      .execute();
    if (dbKind === 'sqlite')
      await db
        .insertInto('product_search_trigrams')
        .values(found.flatMap((t) => t.trigrams.map((trigram) => ({ trigram, product_id: p.id, term: t.term }))))
        .execute();
  }
}

/** Each category with the number of products in it. */
export async function listCategoriesWithCounts(db: Db): Promise<(CategoriesTable & { products: number })[]> {
  const rows = await db
    .selectFrom('categories')
    .leftJoin('products', (join) =>
      join.onRef('products.category_id', '=', 'categories.id').on('products.status', '=', 'active'),
    )
    .select(['categories.id', 'categories.slug', 'categories.name_en', 'categories.name_de', 'categories.position'])
    .select((eb) => eb.fn.count<number>('products.id').as('products'))
    .groupBy(['categories.id', 'categories.slug', 'categories.name_en', 'categories.name_de', 'categories.position'])
    .orderBy('categories.position')
    .execute();
  return rows.map((r) => ({ ...r, products: Number(r.products) }));
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

/** Inserts products not yet there (by slug) and rewrites the search words of all of them. */
export async function insertProducts(db: Db, dbKind: DbKind, rows: ProductsTable[]): Promise<void> {
  await db
    .insertInto('products')
    .values(rows)
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  const slugs = rows.map((r) => r.slug);
  const ids = await db.selectFrom('products').select('id').where('slug', 'in', slugs).execute();
  await writeSearchTerms(
    db,
    dbKind,
    ids.map((r) => r.id),
  );
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

/** Saves changes to a product and rewrites its search words. */
export async function updateProduct(
  db: Db,
  dbKind: DbKind,
  id: string,
  changes: Partial<ProductsTable>,
): Promise<void> {
  await db.updateTable('products').set(changes).where('id', '=', id).execute();
  await writeSearchTerms(db, dbKind, [id]);
}

export async function maxProductPosition(db: Db): Promise<number> {
  const row = await db
    .selectFrom('products')
    .select((eb) => eb.fn.max<number>('position').as('p'))
    .executeTakeFirst();
  return Number(row?.p ?? 0);
}

/** Inserts a product with its search words. */
export async function insertProduct(db: Db, dbKind: DbKind, row: ProductsTable): Promise<void> {
  await db.insertInto('products').values(row).execute();
  await writeSearchTerms(db, dbKind, [row.id]);
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
