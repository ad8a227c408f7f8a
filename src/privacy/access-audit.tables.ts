// Who looked at whose data, when, where and why: appended by staff pages, read by the person and the DPO.

export interface AccessAuditTable {
  id: string;
  at: number;
  /** The staff member's account; kept when they leave (the record is about what they did). */
  actor_user_id: string;
  actor_role: string;
  /** Whose data was shown; null for a list of many people, and after that person's erasure. */
  subject_user_id: string | null;
  /** A short code of what was shown, `<feature>.<noun>`: 'mail.view', 'order.view'. */
  what: string;
  /** Why it was looked at, a short code such as 'customer-service'. */
  why: string;
  /** The page's path without its query; null after the person's erasure (it can hold their order id). */
  path: string | null;
}

export interface AccessAuditTables {
  access_audit: AccessAuditTable;
}
