// Product images and product imports: the catalogue's media and its CSV import jobs.

/**
 * One picture of a product; its files are DATA_DIR/product-images/<product_id>/<id>-<w>.webp for each width of
 * `imageWidths(width)`. `width`/`height` are those of the largest stored file (never more than the upload had).
 */
export interface ProductImagesTable {
  id: string;
  product_id: string;
  /** 0 is the main image (cards, the top of the product page). */
  position: number;
  alt_en: string;
  alt_de: string;
  width: number;
  height: number;
  created_at: number;
}

/**
 * `running` until the job catalog.run-product-imports saved every row (any process resumes it from `done`);
 * `failed`: its stored file could no longer be read (logged).
 */
export type ProductImportState = 'running' | 'finished' | 'failed';

/** A CSV import run by a job; `rejected` is JSON: RejectedRow[] (catalog.import.ts). */
export interface ProductImportsTable {
  id: string;
  state: ProductImportState;
  total: number;
  done: number;
  created_count: number;
  updated_count: number;
  rejected: string;
  /** The uploaded CSV file as text (product data, not personal), until the import has finished. */
  source: string | null;
  /** The staff member who started it (null once their account is erased). */
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface CatalogMediaTables {
  product_images: ProductImagesTable;
  product_imports: ProductImportsTable;
}
