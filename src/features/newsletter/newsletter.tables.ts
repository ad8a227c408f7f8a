// Subscriptions to marketing mail, one row per address and list, with the proof of how each came about.

export interface NewsletterSubscriptionsTable {
  id: string;
  /** The address as stored everywhere (NFKC, trimmed, lower case: decision 0010). */
  email: string;
  /** The account with this address, when there is one (set at sign-up or when the account is made later). */
  user_id: string | null;
  /** `newsletter` (general newsletter, consent) or `similar-products` (purchasers, § 7(3) UWG). */
  list: string;
  /** JSON array of topic ids the person chose (`[]`: all topics). */
  topics: string;
  /** The language the person wants the mail in: `en` or `de`. */
  lang: string;
  /** How it came about: `double-opt-in`, `purchase`, `demo-download`. */
  origin: string;
  /** `pending` (waiting for the confirmation click), `confirmed`, `unsubscribed`. */
  status: string;
  requested_at: number;
  confirmed_at: number | null;
  unsubscribed_at: number | null;
  /**
   * While pending: when the confirmation link stops working and the unconfirmed sign-up is deleted (requested_at +
   * NEWSLETTER_CONFIRM_HOURS); null once confirmed. The retention rule deletes rows whose time has passed.
   */
  pending_until: number | null;
  /** The shortened IP address of the request (never the full one): proof of the opt-in. */
  ip_prefix: string | null;
  /** The consent or notice text shown when the person subscribed, as shown, and its version. */
  consent_text: string;
  consent_version: string;
  /** Where: `newsletter-page`, `api`, `checkout`, `demo-download:<slug>`, `account`. */
  source: string;
  /** The last confirmation mail queued for this sign-up (rate limit: one per 10 minutes). */
  confirm_sent_at: number | null;
  /** The start of the current day-long window of confirmation mails, and how many went in it (at most 5). */
  confirm_window_from: number | null;
  confirm_count: number;
  /**
   * A new sign-up of an unsubscribed address, waiting for its confirmation: JSON of its proof (topics, lang, origin,
   * requested_at, ip_prefix, consent_text, consent_version, source). The row's own columns keep the former consent's
   * proof until this is confirmed (then it replaces them) or `renewal_until` passes (then retention clears both).
   */
  renewal?: string | null;
  renewal_until?: number | null;
}

export interface NewsletterTables {
  newsletter_subscriptions: NewsletterSubscriptionsTable;
}
