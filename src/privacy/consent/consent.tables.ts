// The consent ledger (proof of consent, Art. 7(1) GDPR): append-only records chained by hash, and the one
// row that holds the chain's head so that concurrent writers take turns.

export type ConsentAction = 'accept' | 'reject' | 'custom' | 'gpc' | 'withdraw';

export interface ConsentRecordsTable {
  id: string;
  /** Position in the chain: 1, 2, 3, … without gaps. */
  seq: number;
  /** The random id kept in the visitor's consent cookie. */
  consent_id: string;
  recorded_at: number;
  policy_hash: string;
  locale: string;
  /** sha256 of the banner text the visitor was shown. */
  banner_hash: string;
  /** JSON: { categories: string[], vendors: string[] } — what was granted. */
  choices: string;
  action: ConsentAction;
  /** IPv4 /24 or IPv6 /48 prefix; never the full address. */
  ip_anon: string | null;
  browser: string | null;
  /** Set when the visitor signs in; not part of the hash, so linking and erasure leave the chain intact. */
  user_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface ConsentChainTable {
  id: number;
  seq: number;
  last_hash: string;
  /** recorded_at of the newest receipt: times never go backwards along the chain. */
  last_at: number;
}

export interface ConsentTables {
  consent_records: ConsentRecordsTable;
  consent_chain: ConsentChainTable;
}
