// The outbox: every mail is written here in the same transaction as the change that causes it.

export interface OutboxTable {
  id: string;
  recipient: string;
  subject: string;
  body: string;
  /** JSON object of extra headers (List-Unsubscribe and the like). */
  headers: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  locked_until: number | null;
  sent_at: number | null;
  failed_at: number | null;
  last_error: string | null;
}

export interface MailTables {
  outbox: OutboxTable;
}
