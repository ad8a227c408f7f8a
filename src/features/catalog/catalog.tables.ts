// The product catalogue. Holds no personal data.

/** A bundle is sold as one line and contains other digital products (see bundle_items). */
export type ProductKind = 'software' | 'hardware' | 'expansion' | 'bundle';

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

/** SQLite only: each trigram of each search term, so that SQLite finds similar words through an index. */
export interface ProductSearchTrigramsTable {
  trigram: string;
  product_id: string;
  term: string;
}

export interface CatalogTables {
  products: ProductsTable;
  categories: CategoriesTable;
  bundle_items: BundleItemsTable;
  product_search_terms: ProductSearchTermsTable;
  product_search_trigrams: ProductSearchTrigramsTable;
}
