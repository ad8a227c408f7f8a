// Daily partitions: `usage_log_dYYYYMMDD` holds each request without the full IP;
// `usage_ip_dYYYYMMDD` holds the full IP beside the request id, so that anonymising a day is one DROP TABLE.

export interface UsageLogRow {
  id: string;
  at: number;
  duration_ms: number;
  tz_offset_min: number | null;
  method: string;
  path: string;
  status: number;
  bytes: number;
  referrer: string | null;
  browser: string | null;
  browser_version: string | null;
  language: string | null;
  os: string | null;
  ip_prefix: string;
}

export interface UsageIpRow {
  log_id: string;
  at: number;
  ip: string;
}
