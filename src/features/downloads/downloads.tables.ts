// Each demo download, recorded (policy 3a: a demo download subscribes to the newsletter, with easy withdrawal).
export interface DownloadsTable {
  id: string;
  user_id: string;
  product_id: string;
  downloaded_at: number;
}

export interface DownloadTables {
  downloads: DownloadsTable;
}
