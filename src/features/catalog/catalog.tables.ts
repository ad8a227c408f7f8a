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

export interface CatalogTables {
  products: ProductsTable;
  categories: CategoriesTable;
  bundle_items: BundleItemsTable;
}
