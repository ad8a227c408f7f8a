// Demo downloads (each recorded; policy 3a), and the files of purchased products: staff upload them per product
// (stored under DATA_DIR/downloads/<product id>/<file id>), buyers fetch them through signed, expiring links, and
// every such download is counted per customer and file.
export interface DownloadsTable {
  id: string;
  user_id: string;
  product_id: string;
  downloaded_at: number;
}

/** A file of a product (installer, manual): product data, not personal. */
export interface ProductFilesTable {
  id: string;
  product_id: string;
  /** What the file is, as staff call it ("Installer for macOS"). */
  label: string;
  /** Version as staff give it ("2.1.0"); may be empty. */
  version: string;
  /** The sanitised name the file is served under. */
  file_name: string;
  /** The name as uploaded (control characters, quotes and slashes removed) when it holds more than `file_name`
   * (letters outside ASCII): sent as `filename*`. Null when `file_name` says it all. */
  original_name: string | null;
  content_type: string;
  size_bytes: number;
  /** SHA-256 of the content, hex, shown to buyers to check the file they got. */
  sha256: string;
  created_at: number;
}

/** Per product: how to activate it, as staff write it in both languages (shown in "My products"). */
export interface ProductInstructionsTable {
  product_id: string;
  how_to_en: string;
  how_to_de: string;
  updated_at: number;
}

/** One download of a purchased file by a customer. */
export interface FileDownloadsTable {
  id: string;
  user_id: string;
  file_id: string;
  downloaded_at: number;
}

export interface DownloadTables {
  downloads: DownloadsTable;
  product_files: ProductFilesTable;
  product_instructions: ProductInstructionsTable;
  file_downloads: FileDownloadsTable;
}
