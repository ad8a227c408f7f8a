// Data-subject requests (Art. 15 to 22 GDPR) as the privacy centre, the guest form and the DPO console see them:
// one row per request, its history, and the steps the worker has done (so a restart resumes and never repeats one).

/** What the person asks for. `access` and `export` both end in the export ZIP (the access report is inside it). */
export type RequestKind = 'access' | 'export' | 'erasure' | 'rectification' | 'restriction' | 'objection';

/**
 * `unverified`: a guest has not yet followed the link to their address; `received`: waiting for staff (a decision
 * or an identity check); `in-progress`: the worker runs its steps; `waiting`: staff wait on the person (more
 * information, an identity document) or a step failed repeatedly; `done` and `refused` are final.
 */
export type RequestState = 'unverified' | 'received' | 'in-progress' | 'waiting' | 'done' | 'refused';

/** Where the request came from: the signed-in privacy centre, the form without an account, or staff on the phone. */
export type RequestChannel = 'account' | 'guest' | 'staff';

export interface PrivacyRequestsTable {
  id: string;
  kind: RequestKind;
  state: RequestState;
  channel: RequestChannel;
  /** The account id of a registered person, or the normalised address of one without an account. */
  subject: string;
  /** The address the request is answered at (normalised). */
  email: string;
  lang: string;
  received_at: number;
  /** The legal deadline: one month after receipt (Art. 12(3)), three after an extension. */
  due_at: number;
  extended_at: number | null;
  extension_reason: string | null;
  /** 1 when staff asked for an identity check before the request runs (sensitive cases). */
  identity_check: number;
  identity_checked_at: number | null;
  /** JSON of what the person said: { ground?, activity?, field?, message? }. */
  detail: string | null;
  /** JSON of what was done: counts, what an erasure kept and until when; never personal values. */
  outcome: string | null;
  refusal_reason: string | null;
  done_at: number | null;
  /** An earlier open request of the same kind by the same person, when this one repeats it. */
  duplicate_of: string | null;
  /** The worker that runs the request holds it until this time (ms); null when nobody does. */
  lease_until: number | null;
  lease_owner: string | null;
  /** Failed runs; after five the request waits for staff. */
  attempts: number;
  /** 0 to 100 while an export is built. */
  progress: number;
  /** When the export ZIP stops being downloadable (and is deleted). */
  export_expires_at: number | null;
  export_size: number | null;
  /** Set when the person's erasure keeps this record as proof (restricted: used for nothing else). */
  restricted_at: number | null;
}

/** One line of a request's history: who did what, when, and a note (staff's reason, a refusal). */
export interface PrivacyRequestEventsTable {
  id: string;
  request_id: string;
  /** As on the request, so the history goes with it. */
  subject: string;
  at: number;
  /** 'subject', 'staff' or 'system'. */
  actor: string;
  actor_user_id: string | null;
  /** A short code: 'received', 'verified', 'extended', 'step.erase-records', 'refused', 'done'. */
  what: string;
  note: string | null;
  restricted_at: number | null;
}

/** The steps of a request that are done; a step's effect and its row commit together, or the step is idempotent. */
export interface PrivacyRequestStepsTable {
  request_id: string;
  step: string;
  done_at: number;
  /** JSON a later step reads (the file list an erasure found before deleting the rows); never personal values. */
  result: string | null;
}

export interface RightsTables {
  privacy_requests: PrivacyRequestsTable;
  privacy_request_events: PrivacyRequestEventsTable;
  privacy_request_steps: PrivacyRequestStepsTable;
}
