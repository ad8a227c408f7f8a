// Tables of the accounts feature: users, their server-side sessions, and single-use mail tokens.
import type { Role } from '../../platform/http/context.ts';

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
}

export type TokenPurpose = 'verify-email' | 'reset-password';

export interface AccountTokensTable {
  token_hash: string;
  user_id: string;
  purpose: TokenPurpose;
  /** The address a verification token proves; a later email change makes the token useless. */
  email: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface AccountsTables {
  users: UsersTable;
  sessions: SessionsTable;
  account_tokens: AccountTokensTable;
}
