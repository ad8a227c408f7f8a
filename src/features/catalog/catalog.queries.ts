// SQL of the catalogue, and its search (one query function on both databases, see listProductCards).
import { sql, type AliasedRawBuilder, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../database.ts';
import { dbKindOf, explainPlan, type DbKind } from '../../platform/db/dialect.ts';
import { runPrepared } from '../../platform/db/prepared.ts';
import { mainImageColumn, mainImageFrom, type MainImage } from './catalog.images.queries.ts';
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
  /** Its main uploaded image; without one the pages draw a picture of its kind. */
  image: MainImage | null;
};

/** The columns of a card, in the order of the arrays cardsJson aggregates (then the image, mainImageColumn's value). */
const CARD_COLUMNS = ['id', 'slug', 'kind', 'price_cents', 'stock', 'title', 'summary'] as const;

/**
 * The cards of a page as one JSON value: an array of `[...CARD_COLUMNS, image]` arrays in the order the
 * rows of `from` come (an ordered, limited subquery: both databases aggregate its rows in that order). One value
 * instead of a row object per card: the drivers build each row's object field by field, which cost a listing more
 * than reading its rows (decision 0063). SQLite gives the JSON as text, PostgreSQL's driver parses it.
 */
function cardsJson(db: Db, from: string): RawBuilder<string | unknown[]> {
  const ref = (c: string) => sql.ref(`${from}.${c}`);
  const image = mainImageColumn(db, `${from}.id`);
  const postgres = dbKindOf(db) === 'postgres';
  // SQLite: json() because the image's subquery gives text, which would otherwise go in as a string.
  const values = [...CARD_COLUMNS.map(ref), postgres ? image : sql`json(${image})`];
  return postgres
    ? sql<unknown[]>`coalesce(json_agg(json_build_array(${sql.join(values)})), '[]'::json)`
    : sql<string>`json_group_array(json_array(${sql.join(values)}))`;
}

/** The cards of a cardsJson value. */
function cardsOf(json: string | unknown[] | null | undefined): unknown[][] {
  if (json === null || json === undefined) return [];
  return (typeof json === 'string' ? JSON.parse(json) : json) as unknown[][];
}

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

/** A single status as an equality, so that an index on (status, order…) gives the order without sorting. */
function statusesOf(filter: Pick<ProductFilter, 'statuses'>): readonly ProductStatus[] {
  return filter.statuses ?? ['active'];
}

function filtered(db: Db, filter: ProductFilter, searching = false) {
  // The shop lists and finds only products on sale: drafts and archived products never appear there.
  const statuses = statusesOf(filter);
  // A search starts from its matches and reads products by key: on SQLite a unary + keeps the planner from walking
  // a (status…) or (category_id…) index over the whole table instead (PostgreSQL plans from statistics).
  const unindexed = (column: 'status' | 'category_id') =>
    searching && filter.dbKind === 'sqlite'
      ? sql<string>`+${sql.ref(`products.${column}`)}`
      : sql.ref<string>(`products.${column}`);
  let query =
    statuses.length === 1
      ? db.selectFrom('products').where(unindexed('status'), '=', statuses[0]!)
      : db.selectFrom('products').where(unindexed('status'), 'in', statuses);
  if (filter.category) {
    // One category (slugs are unique): an equality, which the (category_id, status, order…) indexes serve.
    query = query.where(
      unindexed('category_id'),
      '=',
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
 * The products one word matches, with their score (decision 0058). Whole words and beginnings of words come from
 * the full-text index (FTS5 on SQLite, tsvector + GIN on PostgreSQL): 2 for the same word, 1.5 for a word it
 * begins. Parts of words (from three letters) and typos come from the catalogue's distinct words (pg_trgm on
 * PostgreSQL, the word trigram table on SQLite): 1.2 for a word it is part of ("flügel" in "Konzertflügel"), the
 * trigram similarity (above SIMILARITY_THRESHOLD, below 1) for a typo; then the products holding those words.
 * Each times the weight of the field (catalog.search.ts). Both databases give the same numbers.
 */
function wordMatches(dbKind: DbKind, trgm: RawBuilder<unknown> | undefined, word: string) {
  // Words are a-z and 0-9 only (catalog.search.ts): no LIKE wildcards, nothing FTS5 or tsquery would read as syntax.
  const exactOnly = word.length === 1;
  // SQLite reads the product's words beginning with the word as a range of its key (a-z and 0-9 sort before '{');
  // PostgreSQL's collation need not sort by bytes, so it filters the product's few words with LIKE.
  const sameOrBegins = exactOnly
    ? sql`s.term = ${word}`
    : dbKind === 'postgres'
      ? sql`s.term like ${`${word}%`}`
      : sql`s.term >= ${word} and s.term < ${`${word}{`}`;
  // Words that begin with this one are found above with a higher score: the path of parts and typos leaves them out.
  const notBeginning = exactOnly ? sql`term <> ${word}` : sql`term not like ${`${word}%`}`;
  const fullText =
    dbKind === 'postgres'
      ? // Lateral: each found product's own words by key (a join would tempt the planner to read every word).
        sql`select d.product_id, b.score
            from product_search_documents d
            cross join lateral (
              select max(s.weight * (case when s.term = ${word} then 0.02 else 0.015 end)) as score
              from product_search_terms s where s.product_id = d.product_id and ${sameOrBegins}) b
            where to_tsvector('simple', d.terms) @@ to_tsquery('simple', ${exactOnly ? word : `${word}:*`})
              and b.score is not null`
      : sql`select d.product_id, max(s.weight * (case when s.term = ${word} then 0.02 else 0.015 end)) as score
            from product_search_fts f
            join product_search_documents d on d.id = f.rowid
            join product_search_terms s on s.product_id = d.product_id and ${sameOrBegins}
            where product_search_fts match ${exactOnly ? `"${word}"` : `"${word}" *`}
            group by d.product_id`;
  const trigrams = trigramsOf(word);
  const n = trigrams.length;
  // Words of fewer or more trigrams than these cannot be similar enough: shared / (n + m − shared) ≤ min / max.
  const fewest = Math.ceil(n * SIMILARITY_THRESHOLD);
  const most = Math.floor(n / SIMILARITY_THRESHOLD);
  let similarWords;
  if (trgm) {
    const parts =
      word.length >= 3
        ? sql`select term, 0.012 as factor from product_search_words where term like ${`%${word}%`} and ${notBeginning}
              union all `
        : sql``;
    similarWords = sql`${parts}select term, 0.01 * ${trgm}.similarity(term, ${word}) as factor
      from product_search_words
      where term operator(${trgm}.%) ${word} and ${trgm}.similarity(term, ${word}) > ${SIMILARITY_THRESHOLD}
        and ${notBeginning}`;
  } else {
    // A word that contains this one holds each of its inner trigrams (those without the padding).
    const inner = trigrams.filter((t) => !t.includes(' '));
    const parts =
      word.length >= 3
        ? sql`select term, 0.012 as factor from product_search_word_trigrams
              where trigram in (${sql.join(inner)})
              group by term having count(*) = ${inner.length} and term like ${`%${word}%`} and ${notBeginning}
              union all `
        : sql``;
    similarWords = sql`${parts}select term, 0.01 * shared / (${n} + trigram_count - shared) as factor
      from (select term, trigram_count, count(*) * 1.0 as shared from product_search_word_trigrams
            where trigram in (${sql.join(trigrams)}) and trigram_count between ${fewest} and ${most}
            group by term, trigram_count) g
      where shared / (${n} + trigram_count - shared) > ${SIMILARITY_THRESHOLD} and ${notBeginning}`;
  }
  // PostgreSQL: lateral and `offset 0` (not flattened), so each found word is read by its index; a plain join
  // tempts the planner, which guesses hundreds of products per word, to read the whole index of words.
  const fuzzy = trgm
    ? sql`select s.product_id, max(s.weight * w.factor) as score
        from (${similarWords}) w
        cross join lateral (select product_id, weight from product_search_terms where term = w.term offset 0) s
        group by s.product_id`
    : sql`select s.product_id, max(s.weight * w.factor) as score
        from (${similarWords}) w join product_search_terms s on s.term = w.term
        group by s.product_id`;
  return sql`select product_id, max(score) as score from (${fullText} union all ${fuzzy}) x group by product_id`;
}

/** The products every word matches, with the sum of the words' scores. */
async function searchMatches(db: Db, dbKind: DbKind, words: string[]) {
  const trgm = dbKind === 'postgres' ? sql.raw(await trigramSchema(db)) : undefined;
  const perWord = words.map((word) => wordMatches(dbKind, trgm, word));
  const [first, ...rest] = perWord;
  const joins = rest.map((m, i) => sql`join (${m}) ${sql.ref(`m${i + 1}`)} using (product_id)`);
  const total = sql.join(
    perWord.map((_, i) => sql.ref(`m${i}.score`)),
    sql` + `,
  );
  return sql<{ product_id: string; score: number }>`(select m0.product_id as product_id, ${total} as score
    from (${first}) m0 ${sql.join(joins, sql` `)})`;
}

/**
 * The number of products of the given statuses (in one category), from the counts the triggers keep (one or a few
 * rows instead of counting the table).
 */
function countsQuery(db: Db, filter: Pick<ProductFilter, 'statuses' | 'category'>) {
  const query = db
    .selectFrom('product_counts')
    .select((eb) => eb.fn.sum<number | string | null>('n').as('n'))
    .where('status', 'in', statusesOf(filter));
  return filter.category
    ? query.where('category_key', '=', db.selectFrom('categories').select('id').where('slug', '=', filter.category))
    : query;
}

const countsParameters = (filter: Pick<ProductFilter, 'statuses' | 'category'>) => [
  ...statusesOf(filter),
  ...(filter.category ? [filter.category] : []),
];

async function countFromCounts(db: Db, filter: Pick<ProductFilter, 'statuses' | 'category'>): Promise<number> {
  const shape = `catalog.count:${statusesOf(filter).length}${filter.category ? '+' : '-'}`;
  const [row] = await runPrepared(db, shape, countsParameters(filter), () => countsQuery(db, filter));
  return Number(row?.n ?? 0);
}

/** The number of products on sale (from the kept counts). */
function countProductsOnSale(db: Db): Promise<number> {
  return countFromCounts(db, {});
}

/** The parameters a filter adds to a statement built by `filtered`, in its order, and what shapes its SQL. */
function filterParameters(filter: ProductFilter): unknown[] {
  return [
    ...statusesOf(filter),
    ...(filter.category ? [filter.category] : []),
    ...(filter.kind ? [filter.kind] : []),
    ...(filter.minCents !== undefined ? [filter.minCents] : []),
    ...(filter.maxCents !== undefined ? [filter.maxCents] : []),
  ];
}

function filterShape(filter: ProductFilter): string {
  const set = (value: unknown) => (value === undefined || value === '' ? '-' : '+');
  return `${statusesOf(filter).length}${set(filter.category)}${set(filter.kind)}${set(filter.minCents)}${set(filter.maxCents)}`;
}

/** The statement of one page of cards (with the search's match count), and the filtered rows it pages through. */
function productCardsQuery(
  db: Db,
  lang: 'en' | 'de',
  limit: number,
  offset: number,
  filter: ProductFilter,
  matches: AliasedRawBuilder<{ product_id: string; score: number }, 'm'> | undefined,
) {
  const base = () => {
    const query = filtered(db, filter, !!matches);
    return matches ? query.innerJoin(matches, (join) => join.onRef('m.product_id', '=', 'products.id')) : query;
  };
  const titleColumn = lang === 'de' ? 'title_de' : 'title_en';
  let page = base()
    .select(['id', 'slug', 'kind', 'price_cents', 'stock'])
    .select(
      lang === 'de' ? ['title_de as title', 'summary_de as summary'] : ['title_en as title', 'summary_en as summary'],
    )
    .$if(!!matches, (query) => query.select(sql<number>`count(*) over ()`.as('matched')));
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
  const ordered = page.orderBy('position').orderBy('id').limit(limit).offset(offset);
  // One row: the page's cards in its order, each with its main image (and a search's count of matches).
  return {
    page: db
      .selectFrom(ordered.as('page'))
      .select(cardsJson(db, 'page').as('cards'))
      .$if(!!matches, (query) => query.select(sql<number | null>`max(page.matched)`.as('matched'))),
    base,
  };
}

async function productCardsPage(db: Db, lang: 'en' | 'de', limit: number, offset: number, filter: ProductFilter) {
  const searching = filter.search !== undefined && filter.search.trim() !== '';
  const words = searching ? queryWords(filter.search ?? '') : [];
  // Typed words of nothing but signs (say "%") match no product.
  if (searching && words.length === 0) return undefined;
  const matches = words.length > 0 ? (await searchMatches(db, filter.dbKind, words)).as('m') : undefined;
  return { ...productCardsQuery(db, lang, limit, offset, filter, matches), searching: !!matches };
}

/**
 * One page of products in one language, with only the columns a listing shows, and the total count (exact).
 * The total comes from the kept counts when only status and category filter; a search counts its matches in the
 * same statement (count over the matches it ranks anyway); other filters count their rows through the indexes.
 * Without a search the statements are built once per shape (prepared.ts): the listing is the busiest query.
 */
export async function listProductCards(
  db: Db,
  lang: 'en' | 'de',
  limit: number,
  offset: number,
  filter: ProductFilter,
): Promise<{ rows: ProductCard[]; total: number }> {
  const searching = filter.search !== undefined && filter.search.trim() !== '';
  if (searching) return listFoundProductCards(db, lang, limit, offset, filter);
  // Only status and category: the total of the kept counts comes in the same statement (a subquery SQLite and
  // PostgreSQL run once); other filters count their rows through the indexes.
  const kept = filter.kind === undefined && filter.minCents === undefined && filter.maxCents === undefined;
  const shape = `catalog.cards:${lang}:${filter.sort ?? 'relevance'}:${filterShape(filter)}${kept ? ':total' : ''}`;
  const parameters = [...(kept ? countsParameters(filter) : []), ...filterParameters(filter), limit, offset];
  const [found] = await runPrepared(db, shape, parameters, () => {
    const { page } = productCardsQuery(db, lang, limit, offset, filter, undefined);
    return page.$if(kept, (query) => query.select(countsQuery(db, filter).as('total')));
  });
  const rows = cardsOf(found?.cards).map(cardOf);
  // A page shorter than the limit that starts at 0 already tells the total.
  if (offset === 0 && rows.length < limit) return { rows, total: rows.length };
  if (kept) return { rows, total: Number(found?.total ?? 0) };
  const [count] = await runPrepared(db, `catalog.cards-count:${filterShape(filter)}`, filterParameters(filter), () =>
    filtered(db, filter).select((eb) => eb.fn.countAll<number>().as('n')),
  );
  return { rows, total: Number(count?.n ?? 0) };
}

/** A card from one array of cardsJson (in CARD_COLUMNS' order, then the image). */
const cardOf = (c: unknown[]): ProductCard => ({
  id: c[0] as string,
  slug: c[1] as string,
  kind: c[2] as ProductKind,
  price_cents: Number(c[3]),
  stock: c[4] === null ? null : Number(c[4]),
  title: c[5] as string,
  summary: c[6] as string,
  image: mainImageFrom(c[7] as unknown[] | null),
});

/** A search's page: its statement differs with every query (words, their trigrams), so it is built each time. */
async function listFoundProductCards(
  db: Db,
  lang: 'en' | 'de',
  limit: number,
  offset: number,
  filter: ProductFilter,
): Promise<{ rows: ProductCard[]; total: number }> {
  const built = await productCardsPage(db, lang, limit, offset, filter);
  if (!built) return { rows: [], total: 0 };
  const found = await built.page.executeTakeFirst();
  const rows = cardsOf(found?.cards).map(cardOf);
  if (offset === 0 && rows.length < limit) return { rows, total: rows.length };
  if (rows.length > 0) return { rows, total: Number(found?.matched ?? 0) };
  // Past the last match: count the matches alone.
  const count = await built
    .base()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

/**
 * How the database would read the page listProductCards reads (tests check that no order sorts the whole table):
 * SQLite's query plan lines, or PostgreSQL's plan as JSON text.
 */
export async function explainProductCards(
  db: Db,
  lang: 'en' | 'de',
  limit: number,
  offset: number,
  filter: ProductFilter,
): Promise<string[]> {
  const built = await productCardsPage(db, lang, limit, offset, filter);
  return built ? explainPlan(db, built.page) : [];
}

/**
 * The home page's data in one statement: every category in its order with its number of products on sale (the kept
 * counts) and its first `perCategory` products on sale as cards (a correlated subquery per category row through the
 * (category_id, status, position, id) index, not a ranking of all products), and the number of all products on sale.
 * `featured` holds the cards category by category, each category's in the index's order.
 */
export async function listHomeCatalogue(
  db: Db,
  lang: 'en' | 'de',
  perCategory: number,
): Promise<{ categories: (CategoriesTable & { products: number })[]; featured: ProductCard[]; total: number }> {
  const parameters = [...countsParameters({}), 'active', perCategory, 'active'];
  const rows = await runPrepared(db, `catalog.home:${lang}`, parameters, () =>
    homeCatalogueQuery(db, lang, perCategory),
  );
  const categories = rows.map(({ total: _, featured: __, ...r }) => ({ ...r, products: Number(r.products) }));
  const featured = rows.flatMap((r) => cardsOf(r.featured).map(cardOf));
  // Without categories there is no row to carry the total.
  const total = rows[0] ? Number(rows[0].total ?? 0) : await countProductsOnSale(db);
  return { categories, featured, total };
}

function homeCatalogueQuery(db: Db, lang: 'en' | 'de', perCategory: number) {
  return db
    .selectFrom('categories')
    .leftJoin('product_counts', (join) =>
      join.onRef('product_counts.category_key', '=', 'categories.id').on('product_counts.status', '=', 'active'),
    )
    .select(['categories.id', 'categories.slug', 'categories.name_en', 'categories.name_de', 'categories.position'])
    .select((eb) => eb.fn.coalesce('product_counts.n', eb.lit(0)).as('products'))
    .select(countsQuery(db, {}).as('total'))
    .select((eb) =>
      eb
        .selectFrom(
          eb
            .selectFrom('products')
            .select(['products.id', 'products.slug', 'products.kind', 'products.price_cents', 'products.stock'])
            .select(
              lang === 'de'
                ? ['products.title_de as title', 'products.summary_de as summary']
                : ['products.title_en as title', 'products.summary_en as summary'],
            )
            .whereRef('products.category_id', '=', 'categories.id')
            .where('products.status', '=', 'active')
            .orderBy('products.position')
            .orderBy('products.id')
            .limit(perCategory)
            .as('f'),
        )
        .select(cardsJson(db, 'f').as('cards'))
        .as('featured'),
    )
    .orderBy('categories.position');
}

/** The plan of listHomeCatalogue's statement (EXPLAIN QUERY PLAN lines, or PostgreSQL's JSON plan), for tests. */
export function explainHomeCatalogue(db: Db, lang: 'en' | 'de', perCategory: number): Promise<string[]> {
  return explainPlan(db, homeCatalogueQuery(db, lang, perCategory));
}

/** Rows of at most `size`, for multi-row statements that stay under both databases' parameter limits. */
function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Rewrites the search data of the given products (of every product without ids) from their texts and category:
 * their words (product_search_terms), their full-text document, and the catalogue's distinct words (new words
 * added with their trigrams on SQLite; words no product holds any more removed). Call inside a transaction.
 */
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
  let previous: string[] = [];
  if (productIds) {
    products = products.where('products.id', 'in', productIds);
    previous = (
      await db
        .selectFrom('product_search_terms')
        .select('term')
        .distinct()
        .where('product_id', 'in', productIds)
        .execute()
    ).map((r) => r.term);
    await db.deleteFrom('product_search_terms').where('product_id', 'in', productIds).execute();
    await db.deleteFrom('product_search_documents').where('product_id', 'in', productIds).execute();
  } else {
    await db.deleteFrom('product_search_terms').execute();
    await db.deleteFrom('product_search_documents').execute();
    if (dbKind === 'sqlite') await db.deleteFrom('product_search_word_trigrams').execute();
    await db.deleteFrom('product_search_words').execute();
  }
  const terms: { product_id: string; term: string; weight: number; trigram_count: number }[] = [];
  const documents: { product_id: string; terms: string }[] = [];
  const words = new Map<string, string[]>();
  for (const p of await products.execute()) {
    const found = searchTermsOf(p, [p.category_en ?? '', p.category_de ?? '']);
    if (found.length === 0) continue;
    for (const t of found) {
      terms.push({ product_id: p.id, term: t.term, weight: t.weight, trigram_count: t.trigrams.length });
      words.set(t.term, t.trigrams);
    }
    documents.push({ product_id: p.id, terms: found.map((t) => t.term).join(' ') });
  }
  for (const part of chunks(terms, 2000)) await db.insertInto('product_search_terms').values(part).execute();
  for (const part of chunks(documents, 2000)) await db.insertInto('product_search_documents').values(part).execute();
  for (const part of chunks([...words], 2000)) {
    const added = await db
      .insertInto('product_search_words')
      .values(part.map(([term, trigrams]) => ({ term, trigram_count: trigrams.length })))
      .onConflict((oc) => oc.column('term').doNothing())
      .returning('term')
      .execute();
    if (dbKind !== 'sqlite' || added.length === 0) continue;
    const rows = added.flatMap(({ term }) => {
      const trigrams = words.get(term) ?? [];
      return trigrams.map((trigram) => ({ trigram, trigram_count: trigrams.length, term }));
    });
    for (const rowsPart of chunks(rows, 5000))
      await db.insertInto('product_search_word_trigrams').values(rowsPart).execute();
  }
  // Words the rewritten products held and no product holds now.
  const gone = previous.filter((term) => !words.has(term));
  for (const part of chunks(gone, 1000)) {
    const unused = (
      await db
        .selectFrom('product_search_words')
        .select('term')
        .where('term', 'in', part)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('product_search_terms')
                .select('term')
                .whereRef('product_search_terms.term', '=', 'product_search_words.term'),
            ),
          ),
        )
        .execute()
    ).map((r) => r.term);
    if (unused.length === 0) continue;
    await db.deleteFrom('product_search_words').where('term', 'in', unused).execute();
    if (dbKind === 'sqlite') await db.deleteFrom('product_search_word_trigrams').where('term', 'in', unused).execute();
  }
}

/**
 * The categories in order with how many products on sale each holds, and how many are on sale in all (uncategorised
 * ones too): one statement, the total a subquery of it (the home page's counts, from the kept counts).
 */
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

/** Inserts products not yet there (by slug) and rewrites the search words of all of them, in bulk. */
export async function insertProducts(db: Db, dbKind: DbKind, rows: ProductsTable[]): Promise<void> {
  for (const part of chunks(rows, 500)) {
    await db
      .insertInto('products')
      .values(part)
      .onConflict((oc) => oc.column('slug').doNothing())
      .execute();
  }
  const ids: string[] = [];
  for (const part of chunks(rows, 1000)) {
    const found = await db
      .selectFrom('products')
      .select('id')
      .where(
        'slug',
        'in',
        part.map((r) => r.slug),
      )
      .execute();
    ids.push(...found.map((r) => r.id));
  }
  for (const part of chunks(ids, 1000)) await writeSearchTerms(db, dbKind, part);
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
