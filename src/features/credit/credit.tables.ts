// Every credit check: what was sent to the agency, when, and its answer (policy 7).

export interface CreditChecksTable {
  id: string;
  user_id: string;
  agency: string;
  /** JSON of exactly the fields sent: name, address, amount. */
  sent: string;
  requested_at: number;
  decision: 'approved' | 'declined';
  reason: string;
  answered_at: number;
}

/** How many checks a key (an HMAC of an account id, or of a normalised billing name and address) used in its window. */
export interface CreditCheckLimitsTable {
  key_hash: string;
  window_start: number;
  used: number;
}

export interface CreditTables {
  credit_checks: CreditChecksTable;
  credit_check_limits: CreditCheckLimitsTable;
}
