// The scheduler's tables: which process leads (a lease per name), and a record of every job run (no personal data).
export interface JobLeasesTable {
  name: string;
  holder: string;
  expires_at: number;
}

export type JobOutcome = 'ok' | 'failed' | 'aborted';

export interface JobRunsTable {
  id: string;
  /** The job's name (`mail.deliver-outbox`). */
  job: string;
  /** The process that ran it: `<pid>-<random>`, the same string it holds the lease with. */
  holder: string;
  started_at: number;
  /** Null while the run goes on, or for good when its process died during it. */
  ended_at: number | null;
  outcome: JobOutcome | null;
  /** What the run reported it handled (mails sent, rows removed); null when the job reports nothing. */
  items: number | null;
  /** A short code or class name only (`TypeError`, `lease-lost`): never a message, which could quote data. */
  error: string | null;
}

export interface JobTables {
  job_leases: JobLeasesTable;
  job_runs: JobRunsTable;
}
