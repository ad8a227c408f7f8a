// The product catalogue. Holds no personal data.
import type { ColumnType, Generated } from 'kysely';
import type { CatalogMediaTables } from './catalog.images.tables.ts';

/** A bundle is sold as one line and contains other digital products (see bundle_items). */
export type ProductKind = 'software' | 'hardware' | 'expansion' | 'bundle';

/** Only active products are listed, found and sold; a draft is seen by staff only; an archived one stays in orders. */
export type ProductStatus = 'draft' | 'active' | 'archived';

export interface ProductsTable {
  id: string;
  slug: string;
  kind: ProductKind;
  title_en: string;
  title_de: string;
  summary_en: string;
  summary_de: string;
  /** Gross price in euro cents, 19% VAT included. */
  price_cents: number;
  /** Units in stock for hardware; null for goods that are not stocked. */
  stock: number | null;
  position: number;
  created_at: number;
  category_id: string | null;
  status: ProductStatus;
  /** Long descriptions in Markdown (catalog.markdown.ts renders them); empty when none. */
  description_en: string;
  description_de: string;
  /** System requirements of software and expansions, in Markdown; empty when none or not applicable. */
  requirements_en: string;
  requirements_de: string;
  /** Software only: how many machines one licence key activates at once (given to each key when issued). */
  max_activations: number | null;
  /** Expansions only: the software product it expands (shown to shoppers, never enforced). */
  requires_id: string | null;
}

export interface CategoriesTable {
  id: string;
  slug: string;
  name_en: string;
  name_de: string;
  position: number;
}

/** What a bundle contains: digital products only, so a bundle never needs stock of its own. */
export interface BundleItemsTable {
  bundle_id: string;
  product_id: string;
  position: number;
}

/**
 * The words a product is found by (see catalog.search.ts), rewritten whenever the product is written. PostgreSQL
 * compares them with pg_trgm through a GIN trigram index.
 */
export interface ProductSearchTermsTable {
  product_id: string;
  term: string;
  /** How much a match counts, by the best field the word occurs in (100 title, 80 category, 70 summary). */
  weight: number;
  /** How many trigrams the word has (SQLite computes similarity from it). */
  trigram_count: number;
}

/**
 * One row per product: its search words joined by spaces (decision 0058). SQLite indexes them with FTS5
 * (product_search_fts, fed by triggers), PostgreSQL through a GIN index on to_tsvector('simple', terms).
 */
export interface ProductSearchDocumentsTable {
  id: Generated<number>;
  product_id: string;
  terms: string;
}

/** The distinct words of the catalogue, which typos and parts of words are compared with. */
export interface ProductSearchWordsTable {
  term: string;
  trigram_count: number;
}

/** SQLite only: the trigrams of each distinct word (PostgreSQL has pg_trgm's index on product_search_words). */
export interface ProductSearchWordTrigramsTable {
  trigram: string;
  /** The word's number of trigrams (a typo's lookup reads only words of a length that could be similar). */
  trigram_count: number;
  term: string;
}

/** How many products have each status in each category ('' for none); kept by triggers on products. */
export interface ProductCountsTable {
  status: ProductStatus;
  category_key: string;
  n: number;
}

/** Columns the database fills when an insert leaves them out (migration 006 gave them defaults). */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/**
 * The products table as Kysely sees it: a row read is a ProductsTable; an insert may leave out the console's columns
 * (status active, no texts, no licence setting, no link), as inserts written before them do.
 */
export type ProductsRow = Omit<ProductsTable, ConsoleColumn> & { [K in ConsoleColumn]: Defaulted<ProductsTable[K]> };
type ConsoleColumn =
  | 'status'
  | 'description_en'
  | 'description_de'
  | 'requirements_en'
  | 'requirements_de'
  | 'max_activations'
  | 'requires_id';

export interface CatalogTables extends CatalogMediaTables {
  products: ProductsRow;
  categories: CategoriesTable;
  bundle_items: BundleItemsTable;
  product_search_terms: ProductSearchTermsTable;
  product_search_documents: ProductSearchDocumentsTable;
  product_search_words: ProductSearchWordsTable;
  product_search_word_trigrams: ProductSearchWordTrigramsTable;
  product_counts: ProductCountsTable;
}
