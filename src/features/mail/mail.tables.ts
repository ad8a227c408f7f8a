// The outbox: every mail is written here in the same transaction as the change that causes it. Business letters:
// the kept copy of a sent commercial letter (the order confirmation), whatever the outbox's own retention.

export interface OutboxTable {
  id: string;
  recipient: string;
  subject: string;
  /** The plain-text part. */
  body: string;
  /** The HTML part (null for a mail written before HTML mail, or made without one). */
  html: string | null;
  /** JSON object of extra headers (List-Unsubscribe and the like). */
  headers: string;
  /** JSON array of attachment references (platform/email/compose.ts MailAttachmentRef): files made at delivery. */
  attachments: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  locked_until: number | null;
  sent_at: number | null;
  failed_at: number | null;
  last_error: string | null;
  /** The template that composed the mail (`account-reset-password`, `order-confirmation`...); null when unnamed. */
  template: string | null;
  /** The marketing list of a marketing mail (`newsletter`, `similar-products`...); null for transactional mail. */
  list: string | null;
}

/** An address that must get no marketing mail of `list` ('*': of any list), as a keyed hash (mail.suppression.ts). */
export interface MailSuppressionsTable {
  /** HMAC-SHA256 under SUPPRESSION_KEY of the normalised address, base64url. */
  hash: string;
  list: string;
  /** 'unsubscribed' | 'bounced' | 'complained' | 'erased'. */
  reason: string;
  created_at: number;
}

/**
 * A copy of a sent commercial letter (§ 257 Abs. 1 Nr. 3 HGB, § 147 Abs. 1 Nr. 3 AO): the mail as written, both
 * parts and its attachment references, with secret links as placeholders (never a working link). Kept 6 years from
 * the end of the calendar year, restricted when the customer asks for erasure.
 */
export interface BusinessLettersTable {
  id: string;
  /** What the letter is, e.g. `order-confirmation`. */
  kind: string;
  /** What it is about, e.g. the order's id. */
  ref: string;
  user_id: string;
  /** The outbox row that sent it (gone after the outbox's 30 days). */
  outbox_id: string;
  recipient: string;
  lang: string;
  subject: string;
  body: string;
  html: string | null;
  /** JSON array of attachment references, as in the outbox. */
  attachments: string;
  created_at: number;
  /** Set when the customer asked for erasure: the copy is then only kept, not used. */
  restricted_at: number | null;
}

export interface MailTables {
  outbox: OutboxTable;
  business_letters: BusinessLettersTable;
  mail_suppressions: MailSuppressionsTable;
}
