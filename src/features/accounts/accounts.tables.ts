// Tables of the accounts feature: users, their server-side sessions, single-use mail tokens and the
// per-address counters behind the sign-in throttle and mail coalescing.
import type { Role } from '../../platform/http/context.ts';
import type { TwoFactorTables } from './two-factor.tables.ts';

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  email_verified_at: number | null;
  company: string | null;
  phone: string | null;
  lang: string;
  created_at: number;
  updated_at: number;
  /** Set by every successful sign-in (startSession); shown on the staff team page. */
  last_sign_in_at: number | null;
  /** A deactivated account cannot sign in, has no sessions and gets no reset link (accounts.team.service.ts). */
  deactivated_at: number | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  /** SHA-256 of the cookie's token; the token itself is never stored. */
  token_hash: string;
  remember: number;
  created_at: number;
  last_seen_at: number;
  idle_expires_at: number;
  expires_at: number;
  /** "Firefox 128 on Linux": enough to recognise a session in the list, not a fingerprint. */
  device: string | null;
  /** Full IP of the last request, shown in the session list; cleared 7 days after it was seen. */
  ip: string | null;
  /** When this session passed the second factor (TOTP or a recovery code); null: it did not (two-factor.service.ts). */
  second_factor_at: number | null;
}

export type TokenPurpose = 'verify-email' | 'reset-password' | 'undo-email-change' | 'confirm-email-change';

export interface AccountTokensTable {
  token_hash: string;
  user_id: string;
  purpose: TokenPurpose;
  /**
   * The address a verification token proves (a later email change makes it useless); for
   * 'undo-email-change', the old address the account returns to; for 'confirm-email-change', the new address
   * the account moves to when the link is opened.
   */
  email: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/**
 * One row per (purpose, normalised email address): failed sign-ins, or the last mail of a kind; or per known device
 * (failed sign-ins from a browser with a known-device cookie, keyed by its random id). The key is an
 * HMAC of both under the instance secret, so the table holds no address; rows exist whether or not the
 * address has an account, which is what keeps the throttle from telling the two apart.
 */
export interface AccountLimitsTable {
  key_hash: string;
  count: number;
  last_at: number;
}

export interface AccountsTables extends TwoFactorTables {
  users: UsersTable;
  sessions: SessionsTable;
  account_tokens: AccountTokensTable;
  account_limits: AccountLimitsTable;
  staff_invitations: StaffInvitationsTable;
  staff_changes: StaffChangesTable;
}

export type StaffRole = 'staff' | 'dpo' | 'admin';

/** An invitation to join the staff (issue 12 point 7): the link's token exists only in the mail as sent. */
export interface StaffInvitationsTable {
  id: string;
  /** Normalised (normaliseEmail). */
  email: string;
  name: string | null;
  role: StaffRole;
  /** The language of the invitation mail and the page it leads to. */
  lang: string;
  /** SHA-256 of the link's token; the token itself is never stored. */
  token_hash: string;
  invited_by: string | null;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  revoked_at: number | null;
}

export type StaffChangeAction =
  | 'invite'
  | 'resend-invitation'
  | 'revoke-invitation'
  | 'accept-invitation'
  | 'change-role'
  | 'deactivate'
  | 'reactivate'
  | 'reset-second-factor';

/** Who changed which staff account or invitation, and how: the accountability record for access rights. */
export interface StaffChangesTable {
  id: string;
  at: number;
  actor_user_id: string | null;
  subject_user_id: string | null;
  invitation_id: string | null;
  action: StaffChangeAction;
  /** What changed, without personal data: 'staff→admin', or the invited role. */
  detail: string | null;
  /** Set when the subject asked for erasure: the row is kept for its period as proof, and used for nothing else. */
  restricted_at: number | null;
}
