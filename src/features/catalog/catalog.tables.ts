// The product catalogue. Holds no personal data.

export type ProductKind = 'software' | 'hardware' | 'expansion';

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

export interface CatalogTables {
  products: ProductsTable;
  categories: CategoriesTable;
}
