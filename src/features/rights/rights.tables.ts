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

/**
 * Where the request came from: the signed-in privacy centre, the form without an account, staff on the phone, or the
 * system itself (the erasure of a dormant account, policy 9c).
 */
export type RequestChannel = 'account' | 'guest' | 'staff' | 'system';

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

/**
 * A disclosure to an authority (policy 8), recorded by the DPO. Shown in the person's access report unless it is
 * legally confidential, until `confidential_until` has passed.
 */
export interface AuthorityDisclosuresTable {
  id: string;
  /** The account id of a registered person, or the normalised address of one without an account. */
  subject: string;
  authority: string;
  /** The statute or order the disclosure rests on (e.g. "§ 100a StPO, court order"). */
  legal_basis: string;
  /** The authority's file number. */
  reference: string;
  /** JSON array of data map category ids. */
  categories: string;
  disclosed_at: number;
  /** Until when the person must not be told (a court order, § 101 StPO); null when they may be. */
  confidential_until: number | null;
  recorded_at: number;
  /** The staff member who recorded it. */
  recorded_by: string | null;
  /** Set when the person's erasure keeps this record as proof of a legal duty (restricted). */
  restricted_at: number | null;
}

/**
 * A request made without an account whose address is not yet proven: it waits here, not among
 * the requests, until the person follows the signed link mailed to the address (24 hours); then it becomes a request
 * and this row goes. Expired rows are deleted by retention. No token is stored: the link's token is derived from
 * CANDOR_SECRET and the row's id (platform/secret-links.ts).
 */
export interface PrivacyRequestLinksTable {
  id: string;
  /** The address the link went to (normalised). */
  email: string;
  kind: RequestKind;
  /** JSON of what the person said ({ ground?, message? }), as a request's `detail`. */
  detail: string | null;
  lang: string;
  created_at: number;
  expires_at: number;
}

/**
 * A notice to a dormant account (policy 9c): `erasure`, the account is erased at `erasure_at`
 * unless the person signs in; `export`, an account holding licences or registered hardware is not erased for
 * dormancy and is offered the export instead. A sign-in after `notified_at` clears the notice.
 */
export interface DormancyNoticesTable {
  id: string;
  user_id: string;
  kind: 'erasure' | 'export';
  notified_at: number;
  /** When the erasure request is opened unless the person signed in since the notice; null for an export notice. */
  erasure_at: number | null;
  /** The erasure request opened for it, once opened. */
  request_id: string | null;
}

export interface RightsTables {
  privacy_requests: PrivacyRequestsTable;
  privacy_request_events: PrivacyRequestEventsTable;
  privacy_request_steps: PrivacyRequestStepsTable;
  privacy_request_links: PrivacyRequestLinksTable;
  authority_disclosures: AuthorityDisclosuresTable;
  dormancy_notices: DormancyNoticesTable;
}
