// Tables of the second factor (TOTP). The TOTP secret must be usable by the server, so it is stored encrypted
// (AES-256-GCM, two-factor.crypto.ts), never in clear; recovery codes and pending sign-in tokens only as hashes.

export interface TwoFactorTable {
  user_id: string;
  /** "v1.<iv>.<ciphertext>.<tag>" (base64url): AES-256-GCM under a key derived from the instance secret. */
  secret_enc: string;
  /** Null while enrolment waits for its first code; the factor is on once confirmed. */
  confirmed_at: number | null;
  /** The last accepted TOTP time step: a code of this step or an earlier one is refused (no replay). */
  last_step: number;
  created_at: number;
  /** While enrolment waits for its first code: the session that was shown the key (no other session sees it). */
  enrolling_session_id: string | null;
}

export interface TwoFactorRecoveryCodesTable {
  /** HMAC-SHA-256 of the code under a key derived from the instance secret. */
  code_hash: string;
  user_id: string;
  created_at: number;
  used_at: number | null;
}

/** A sign-in whose password was right and whose code is outstanding: not a session, it grants nothing else. */
export interface TwoFactorChallengesTable {
  /** SHA-256 of the pending token (cookie or API body); the token itself is never stored. */
  token_hash: string;
  user_id: string;
  remember: number;
  created_at: number;
  expires_at: number;
}

export interface TwoFactorTables {
  two_factor: TwoFactorTable;
  two_factor_recovery_codes: TwoFactorRecoveryCodesTable;
  two_factor_challenges: TwoFactorChallengesTable;
}
