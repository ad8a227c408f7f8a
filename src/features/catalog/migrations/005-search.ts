// Search with prefix matching and typo tolerance: the words each product is found by, and their trigrams.
// PostgreSQL compares words with pg_trgm (installed in schema public when missing; a GIN trigram index on the
// words); SQLite keeps each word's trigrams in a table of its own. Existing products get their words here, by a
// copy of the word rules as they were when this migration was written (catalog.search.ts may change later; a
// migration must do the same thing forever): a later change of the rules rewrites the words in a migration of its own.
import { sql, type Kysely } from 'kysely';
import { types, type DbKind } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createProductSearch: Migration = {
  id: 'catalog.005-search',
  async up(db, kind) {
    await db.schema
      .createTable('product_search_terms')
      .addColumn('product_id', types.id, (c) => c.notNull().references('products.id').onDelete('cascade'))
      .addColumn('term', types.short, (c) => c.notNull())
      .addColumn('weight', types.int, (c) => c.notNull())
      .addColumn('trigram_count', types.int, (c) => c.notNull())
      .addPrimaryKeyConstraint('product_search_terms_pk', ['product_id', 'term'])
      .execute();
    if (kind === 'postgres') {
      await sql`create extension if not exists pg_trgm with schema public`.execute(db);
      const schema = await trigramSchema(db);
      await sql`create index product_search_terms_trgm on product_search_terms using gin (term ${sql.raw(schema)}.gin_trgm_ops)`.execute(
        db,
      );
    } else {
      await db.schema
        .createTable('product_search_trigrams')
        .addColumn('trigram', types.short, (c) => c.notNull())
        .addColumn('product_id', types.id, (c) => c.notNull().references('products.id').onDelete('cascade'))
        .addColumn('term', types.short, (c) => c.notNull())
        .addPrimaryKeyConstraint('product_search_trigrams_pk', ['trigram', 'product_id', 'term'])
        .execute();
      await db.schema
        .createIndex('product_search_trigrams_product')
        .on('product_search_trigrams')
        .column('product_id')
        .execute();
    }
    await writeInitialSearchTerms(db, kind);
  },
};

/** The schema pg_trgm lives in (public when this migration installed it; a DBA may have put it elsewhere). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the raw schema
async function trigramSchema(db: Kysely<any>): Promise<string> {
  const row = await sql<{
    schema: string;
  }>`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`.execute(db);
  const schema = row.rows[0]?.schema;
  if (!schema) throw new Error('pg_trgm is not installed');
  return schema;
}

// --- The word rules of catalog.search.ts as of this migration (frozen; see the header). ---

const fold = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/œ/g, 'oe');

/** The words of a field (a-z and 0-9 after folding, at most 40 characters) and each two neighbours joined. */
function termsOfField(text: string): string[] {
  const words = (fold(text).match(/[a-z0-9]+/g) ?? []).map((w) => w.slice(0, 40));
  return [...words, ...words.slice(1).map((w, i) => `${words[i]}${w}`.slice(0, 40))];
}

/** pg_trgm's trigrams of a word: padded with two spaces in front and one behind, each once. */
function trigramsOfWord(word: string): string[] {
  const padded = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return [...out];
}

interface ProductText {
  id: string;
  slug: string;
  title_en: string;
  title_de: string;
  summary_en: string;
  summary_de: string;
  category_en: string | null;
  category_de: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the raw schema
async function writeInitialSearchTerms(db: Kysely<any>, kind: DbKind): Promise<void> {
  const products = (await db
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
    ])
    .execute()) as ProductText[];
  for (const p of products) {
    const weights = new Map<string, number>();
    const add = (text: string, weight: number) => {
      for (const term of termsOfField(text)) weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    };
    // Title 100, category 80, summary 70 (FIELD_WEIGHT then).
    for (const text of [p.title_en, p.title_de, p.slug.replace(/-/g, ' ')]) add(text, 100);
    for (const text of [p.category_en ?? '', p.category_de ?? '']) add(text, 80);
    for (const text of [p.summary_en, p.summary_de]) add(text, 70);
    const terms = [...weights].map(([term, weight]) => ({ term, weight, trigrams: trigramsOfWord(term) }));
    if (terms.length === 0) continue;
    await db
      .insertInto('product_search_terms')
      .values(
        terms.map((t) => ({ product_id: p.id, term: t.term, weight: t.weight, trigram_count: t.trigrams.length })),
      )
      .execute();
    if (kind === 'sqlite')
      await db
        .insertInto('product_search_trigrams')
        .values(terms.flatMap((t) => t.trigrams.map((trigram) => ({ trigram, product_id: p.id, term: t.term }))))
        .execute();
  }
}
