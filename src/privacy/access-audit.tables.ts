// Who looked at whose data, when, where and why: appended by staff pages, read by the person and the DPO.

export interface AccessAuditTable {
  id: string;
  at: number;
  /** The staff member's account; kept when they leave (the record is about what they did). */
  actor_user_id: string;
  actor_role: string;
  /**
   * Whose data was shown; null for a list of many people. After that person's erasure a keyed pseudonym
   * (`erased-…`), outside the hash, so that the chain still verifies.
   */
  subject_user_id: string | null;
  /** A short code of what was shown, `<feature>.<noun>`: 'mail.view', 'order.view'. */
  what: string;
  /** Why it was looked at, a short code such as 'customer-service'. */
  why: string;
  /** The page's path without its query; null after the person's erasure (it can hold their order id). */
  path: string | null;
  /** The position in the hash chain, from 1; retention deletes from the start. */
  seq: number;
  /** The hash of the record before (the genesis hash for #1). */
  prev_hash: string;
  /** SHA-256 over prev_hash, seq, at, actor, role, what, why and path_digest (access-audit.hash.ts). */
  hash: string;
  /** A random salt for the path's digest; cleared with the path at erasure. */
  path_salt: string | null;
  /** SHA-256 of the salt and the path: what the hash covers in the path's place. */
  path_digest: string;
}

/** The chain's head, one row (id 1): updating it in the append's transaction makes appenders take turns. */
export interface AccessAuditChainTable {
  id: number;
  seq: number;
  last_hash: string;
  last_at: number;
}

export interface AccessAuditTables {
  access_audit: AccessAuditTable;
  access_audit_chain: AccessAuditChainTable;
}
