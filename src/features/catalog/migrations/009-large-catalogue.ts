// A catalogue of 100,000 products (decision 0058): an index for every listing order within a status (and within a
// category), full-text search for whole words and prefixes (SQLite FTS5; PostgreSQL tsvector + GIN, 'simple'
// config), typo tolerance over the distinct words only (not every product's words), and product counts per status and
// category kept by triggers, so that no page counts the whole table. Existing products get their documents and words
// from product_search_terms, by SQL and a frozen copy of the trigram rule (a migration must do the same forever).
import { sql, type Kysely } from 'kysely';
import { types, type DbKind } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the raw schema
type AnyDb = Kysely<any>;

export const scaleCatalogue: Migration = {
  id: 'catalog.009-large-catalogue',
  async up(db, kind) {
    await createListingIndexes(db);
    await createSearchDocuments(db, kind);
    await createSearchWords(db, kind);
    await createProductCounts(db, kind);
  },
};

/**
 * Each listing order after the status (equality), so the first page reads the index in order and stops; the same
 * with the category in front of the order. Every order ends in (position, id) as the listing does.
 */
async function createListingIndexes(db: AnyDb): Promise<void> {
  const orders: [name: string, columns: string][] = [
    ['price_asc', 'price_cents, position, id'],
    ['price_desc', 'price_cents desc, position, id'],
    ['newest', 'created_at desc, position, id'],
    ['name_en', 'lower(title_en), position, id'],
    ['name_de', 'lower(title_de), position, id'],
  ];
  for (const [name, columns] of orders) {
    await sql`create index ${sql.raw(`products_status_${name}`)} on products (status, ${sql.raw(columns)})`.execute(db);
  }
  for (const [name, columns] of [['position', 'position, id'] as [string, string], ...orders]) {
    await sql`create index ${sql.raw(`products_category_${name}`)} on products (category_id, status, ${sql.raw(columns)})`.execute(
      db,
    );
  }
  // The typo path finds products by a word (term = ?); the primary key starts with the product.
  await db.schema
    .createIndex('product_search_terms_term')
    .on('product_search_terms')
    .columns(['term', 'product_id'])
    .execute();
}

/**
 * One document per product: its search words joined by spaces. PostgreSQL indexes their tsvector with GIN;
 * SQLite keeps an FTS5 index over the documents (external content, prefix indexes for 2 and 3 letters, no positions:
 * search needs words and prefixes, never phrases), fed by triggers so no write can forget it.
 */
async function createSearchDocuments(db: AnyDb, kind: DbKind): Promise<void> {
  if (kind === 'postgres') {
    await sql`create table product_search_documents (
      id bigint generated always as identity primary key,
      product_id varchar(64) not null unique references products(id) on delete cascade,
      terms text not null
    )`.execute(db);
    await sql`create index product_search_documents_fts on product_search_documents
      using gin (to_tsvector('simple', terms))`.execute(db);
  } else {
    await sql`create table product_search_documents (
      id integer primary key,
      product_id varchar(64) not null unique references products(id) on delete cascade,
      terms text not null
    )`.execute(db);
    await sql`create virtual table product_search_fts using fts5(
      terms, content='product_search_documents', content_rowid='id', prefix='2 3', detail=none, columnsize=0
    )`.execute(db);
    await sql`create trigger product_search_documents_insert after insert on product_search_documents begin
      insert into product_search_fts (rowid, terms) values (new.id, new.terms);
    end`.execute(db);
    await sql`create trigger product_search_documents_delete after delete on product_search_documents begin
      insert into product_search_fts (product_search_fts, rowid, terms) values ('delete', old.id, old.terms);
    end`.execute(db);
    await sql`create trigger product_search_documents_update after update on product_search_documents begin
      insert into product_search_fts (product_search_fts, rowid, terms) values ('delete', old.id, old.terms);
      insert into product_search_fts (rowid, terms) values (new.id, new.terms);
    end`.execute(db);
  }
  const joined = kind === 'postgres' ? sql`string_agg(term, ' ' order by term)` : sql`group_concat(term, ' ')`;
  await sql`insert into product_search_documents (product_id, terms)
    select product_id, ${joined} from product_search_terms group by product_id`.execute(db);
}

/**
 * The distinct words of the catalogue, which typos and parts of words are compared with (a few hundred thousand
 * for 100,000 products instead of millions of product words). PostgreSQL: pg_trgm's GIN index on them; SQLite: the
 * trigrams of each word (this replaces the trigrams of every product's words).
 */
async function createSearchWords(db: AnyDb, kind: DbKind): Promise<void> {
  await db.schema
    .createTable('product_search_words')
    .addColumn('term', types.short, (c) => c.primaryKey())
    .addColumn('trigram_count', types.int, (c) => c.notNull())
    .execute();
  await sql`insert into product_search_words (term, trigram_count)
    select term, max(trigram_count) from product_search_terms group by term`.execute(db);
  if (kind === 'postgres') {
    const row = await sql<{
      schema: string;
    }>`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`.execute(db);
    const schema = row.rows[0]?.schema;
    if (!schema) throw new Error('pg_trgm is not installed');
    await sql`create index product_search_words_trgm on product_search_words using gin (term ${sql.raw(schema)}.gin_trgm_ops)`.execute(
      db,
    );
    // Words are compared through the distinct words now; the trigram index of every product's words (millions of
    // rows for 100,000 products) only cost space and writes.
    await sql`drop index product_search_terms_trgm`.execute(db);
    return;
  }
  // With each word's trigram count in the key, a typo's lookup reads only words of a length that could be similar.
  await sql`create table product_search_word_trigrams (
    trigram varchar(255) not null, trigram_count integer not null, term varchar(255) not null,
    primary key (trigram, trigram_count, term)
  ) without rowid`.execute(db);
  const words = (await sql<{ term: string }>`select term from product_search_words`.execute(db)).rows;
  for (let i = 0; i < words.length; i += 1000) {
    const values = words.slice(i, i + 1000).flatMap((w) => {
      const trigrams = trigramsOfWord(w.term);
      return trigrams.map((trigram) => sql`(${trigram}, ${trigrams.length}, ${w.term})`);
    });
    if (values.length > 0)
      await sql`insert into product_search_word_trigrams (trigram, trigram_count, term) values ${sql.join(values)}`.execute(
        db,
      );
  }
  await db.schema.dropTable('product_search_trigrams').execute();
}

/** pg_trgm's trigrams of a word (frozen copy of catalog.search.ts's rule): two spaces in front, one behind, each once. */
function trigramsOfWord(word: string): string[] {
  const padded = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return [...out];
}

/**
 * The number of products per status and category ('' for none), kept by triggers on products in the same
 * transaction as the change: exact, and read in one row instead of counting 100,000.
 */
async function createProductCounts(db: AnyDb, kind: DbKind): Promise<void> {
  await db.schema
    .createTable('product_counts')
    .addColumn('status', types.short, (c) => c.notNull())
    .addColumn('category_key', types.id, (c) => c.notNull())
    .addColumn('n', types.int, (c) => c.notNull())
    .addPrimaryKeyConstraint('product_counts_pk', ['status', 'category_key'])
    .execute();
  const add = (row: 'new' | 'old', delta: 1 | -1) =>
    sql.raw(`insert into product_counts (status, category_key, n) values (${row}.status, coalesce(${row}.category_id, ''), ${delta})
      on conflict (status, category_key) do update set n = product_counts.n + ${delta};`);
  if (kind === 'postgres') {
    await sql`create function product_counts_follow() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') then ${add('old', -1)} end if;
        if tg_op in ('UPDATE', 'INSERT') then ${add('new', 1)} end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger products_count_insert_delete after insert or delete on products
      for each row execute function product_counts_follow()`.execute(db);
    await sql`create trigger products_count_update after update of status, category_id on products
      for each row when (old.status is distinct from new.status or old.category_id is distinct from new.category_id)
      execute function product_counts_follow()`.execute(db);
  } else {
    await sql`create trigger products_count_insert after insert on products begin ${add('new', 1)} end`.execute(db);
    await sql`create trigger products_count_delete after delete on products begin ${add('old', -1)} end`.execute(db);
    await sql`create trigger products_count_update after update of status, category_id on products
      when old.status is not new.status or old.category_id is not new.category_id
      begin ${add('old', -1)} ${add('new', 1)} end`.execute(db);
  }
  await sql`insert into product_counts (status, category_key, n)
    select status, coalesce(category_id, ''), count(*) from products group by status, coalesce(category_id, '')`.execute(
    db,
  );
}
