// Use cases of user accounts and sessions (policy 5). Sessions are server-side: the cookie carries a random
// 256-bit token, the database only its SHA-256. Mails go through the outbox in the same transaction.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { DAY, HOUR, MINUTE } from '../../platform/clock.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { errors } from '../../platform/errors.ts';
import type { Role, Viewer } from '../../platform/http/context.ts';
import { isLang, type Lang, type Text } from '../../platform/i18n.ts';
import { enqueueMail } from '../mail/index.ts';
import { issueSecret } from '../../platform/secret-links.ts';
import {
  emailChangeAttemptMail,
  emailChangeConfirmMail,
  emailChangedMail,
  passwordChangedMail,
  passwordResetMail,
  registrationAttemptMail,
  verificationMail,
} from './accounts.emails.ts';
import * as q from './accounts.queries.ts';
import * as tfq from './two-factor.queries.ts';
import type { SessionsTable, UsersTable } from './accounts.tables.ts';
import { nameProblem } from './names.ts';
import { checkPassword, decoyHash, hashPassword, isPasswordHash, verifyPassword } from './passwords.ts';
import { limitKey, type SignInThrottle } from './sign-in-throttle.ts';

export const SESSION = {
  idle: 2 * HOUR,
  absolute: 12 * HOUR,
  rememberIdle: 30 * DAY,
  rememberAbsolute: 90 * DAY,
  /** last_seen_at is written at most this often, so reading pages does not mean writing rows. */
  touchEvery: MINUTE,
};
/** What most account use cases draw on: the database, the clock, and the secret and base URL for links. */
export type AccountsDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

const VERIFY_TTL = 48 * HOUR;
const RESET_TTL = HOUR;
const STAFF_SETUP_TTL = 7 * DAY;
/** At most one mail of a kind (verification, reset, "someone tried to register") per address in this window. */
export const MAIL_WINDOW = 15 * MINUTE;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');
/** Not a valid hash: no password signs in until a reset or set-up link sets one. */
const unsetPassword = () => `!unset:${newToken()}`;

export interface PublicUser {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  company: string | null;
  phone: string | null;
  lang: Lang;
  role: Role;
  createdAt: string;
}

export function toPublicUser(user: UsersTable): PublicUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    emailVerified: user.email_verified_at !== null,
    company: user.company,
    phone: user.phone,
    lang: isLang(user.lang) ? user.lang : 'en',
    role: user.role,
    createdAt: new Date(user.created_at).toISOString(),
  };
}

// ---- input rules shared by the pages and the API ----

/**
 * A plain addr-spec and nothing more (after normaliseEmail): a local part of ASCII letters, digits and . _ % + -
 * with no leading, trailing or double dot; a domain of dot-separated labels of letters, digits and inner hyphens
 * (international letters allowed); a top-level domain of two or more letters. No quoted parts, comments or IP
 * literals, so nothing like a URL ('/', '?', ':', spaces) can reach a mail as an "address".
 */
const EMAIL = /^[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u;

// The one form of an address that is stored and compared lives with the platform's mail (platform/email/address.ts),
// so the suppression list and the subject requests use the very same rule.
export { normaliseEmail } from '../../platform/email/address.ts';

import { normaliseEmail } from '../../platform/email/address.ts';

type FieldErrors = Record<string, Text>;

export function checkEmail(email: string, fields: FieldErrors): void {
  if (email.length > 254 || email.indexOf('@') > 64 || !EMAIL.test(email))
    fields.email = { en: 'Enter a valid email address.', de: 'Geben Sie eine gültige E-Mail-Adresse ein.' };
}

function checkName(name: string, fields: FieldErrors): void {
  const problem = nameProblem(name);
  if (problem) fields.name = problem;
}

function checkOptional(input: { company?: string | null; phone?: string | null }, fields: FieldErrors): void {
  if (input.company && input.company.length > 200)
    fields.company = { en: 'Use at most 200 characters.', de: 'Verwenden Sie höchstens 200 Zeichen.' };
  if (input.phone && !/^\+?[0-9 ()/-]{3,40}$/.test(input.phone))
    fields.phone = {
      en: 'Enter a phone number of digits, spaces and + ( ) / -.',
      de: 'Geben Sie eine Telefonnummer aus Ziffern, Leerzeichen und + ( ) / - ein.',
    };
}

const blankToNull = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null || value.trim() === '' ? null : value.trim();

// ---- registration and verification ----

export interface RegistrationInput {
  name: string;
  email: string;
  password: string;
  company?: string | null | undefined;
  phone?: string | null | undefined;
  lang: Lang;
  /** Where the shopper was going (a same-site path, e.g. /checkout): the confirmation link leads back there. */
  next?: string | undefined;
}

/**
 * Registration that tells nobody whether the address already has an account: it answers the same and spends
 * the same argon2 work either way. A new address gets a verification link; for a known one, its owner gets a
 * notice instead (at most one per MAIL_WINDOW). Nobody is signed in: the new account signs in with its password.
 */
export async function registerAccount(
  deps: AccountsDeps,
  input: RegistrationInput,
  role: Role = 'customer',
): Promise<void> {
  const email = normaliseEmail(input.email);
  const name = input.name.trim();
  const company = blankToNull(input.company) ?? null;
  const phone = blankToNull(input.phone) ?? null;
  const fields: FieldErrors = {};
  checkName(name, fields);
  checkEmail(email, fields);
  checkOptional({ company, phone }, fields);
  const weak = checkPassword(input.password, { email, name });
  if (weak) fields.password = weak;
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);

  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  const user: UsersTable = {
    id: randomUUID(),
    email,
    name,
    password_hash: passwordHash,
    role,
    email_verified_at: null,
    company,
    phone,
    lang: input.lang,
    created_at: now,
    updated_at: now,
    last_sign_in_at: null,
    deactivated_at: null,
  };
  const noticeToOwner = () =>
    deps.db.transaction().execute(async (trx) => {
      const owner = await q.findUserByEmail(trx, email);
      if (owner && (await mayMail(deps, trx, 'register-attempt', email))) {
        await enqueueMail(
          trx,
          deps.clock,
          registrationAttemptMail(
            langOf(owner),
            owner.email,
            greetingName(owner),
            `${deps.config.baseUrl}/account/password-reset`,
          ),
        );
      }
    });
  try {
    const created = await deps.db.transaction().execute(async (trx) => {
      if (await q.findUserByEmail(trx, email)) return false;
      // An address a live undo link would return an account to stays that account's: a thief who moved the
      // account away cannot block the owner's undo by registering the old address (answered like a known one).
      if (await q.findUserIdHoldingTokenFor(trx, email, 'undo-email-change', now)) return false;
      await q.insertUser(trx, user);
      await mayMail(deps, trx, 'verify', email, true);
      await sendVerification(deps, trx, user, input.next);
      return true;
    });
    if (!created) await noticeToOwner();
  } catch (err) {
    // Two registrations of one address at once: the second is an attempt on a known address, like any other.
    if (!isUniqueViolation(err)) throw err;
    await noticeToOwner();
  }
}

/**
 * Takes the per-address window for one mail of a kind; false when such a mail went out less than MAIL_WINDOW
 * ago (then nothing is sent, and the earlier mail's link still works). `always` sends and restarts the window.
 */
async function mayMail(
  deps: Pick<Deps, 'clock' | 'config'>,
  db: Deps['db'],
  kind: 'verify' | 'reset' | 'register-attempt' | 'change-confirm' | 'change-attempt',
  email: string,
  always = false,
): Promise<boolean> {
  const now = deps.clock.now();
  return q.claimMailWindow(
    db,
    limitKey(deps.config.secret, `mail:${kind}`, email),
    now,
    always ? Number.MAX_SAFE_INTEGER : now - MAIL_WINDOW,
  );
}

/** Only a same-site path travels in a confirmation link (web/context.ts safeBackPath checked it; checked again). */
const SAME_SITE_PATH = /^\/(?![/\\])[\w\-./~%]*$/;

async function sendVerification(
  deps: Pick<Deps, 'clock' | 'config'>,
  db: Deps['db'],
  user: UsersTable,
  next?: string,
): Promise<void> {
  // The token lives only in the message as sent; the outbox keeps a placeholder and the table its hash.
  const { token, placeholder } = issueSecret(deps.config.secret, 'account-verify-email', user.email);
  await q.insertAccountToken(db, {
    token_hash: hashToken(token),
    user_id: user.id,
    purpose: 'verify-email',
    email: user.email,
    created_at: deps.clock.now(),
    expires_at: deps.clock.now() + VERIFY_TTL,
    used_at: null,
  });
  const onward = next && next !== '/account' && SAME_SITE_PATH.test(next) ? `&next=${encodeURIComponent(next)}` : '';
  const link = `${deps.config.baseUrl}/account/verify?token=${placeholder}${onward}`;
  await enqueueMail(db, deps.clock, verificationMail(langOf(user), user.email, greetingName(user), link));
}

/** Sends the link again unless the address is confirmed or one went out in the window: silent either way. */
export async function resendVerification(deps: AccountsDeps, userId: string, next?: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const user = await q.findUserById(trx, userId);
    if (!user || user.email_verified_at !== null) return;
    if (!(await mayMail(deps, trx, 'verify', user.email))) return;
    await q.expireAccountTokens(trx, user.id, 'verify-email', deps.clock.now());
    await sendVerification(deps, trx, user, next);
  });
}

export async function verifyEmail(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await q.consumeAccountToken(trx, hashToken(token), 'verify-email', now);
    const user = row && (await q.findUserById(trx, row.user_id));
    // A token proves the address it was sent to; after an email change it proves nothing.
    if (!row || !user || user.email !== row.email) throw errors.badToken();
    if (user.email_verified_at === null) await q.updateUser(trx, user.id, { email_verified_at: now, updated_at: now });
  });
}

// ---- sessions ----

export interface StartedSession {
  token: string;
  session: SessionsTable;
}

export interface ClientInfo {
  device: string | null;
  ip: string;
}

/** `secondFactorAt`: when the person passed the second factor for this session (null: not, or no factor). */
export async function startSession(
  deps: Pick<Deps, 'clock'>,
  db: Deps['db'],
  userId: string,
  remember: boolean,
  client: ClientInfo,
  secondFactorAt: number | null = null,
): Promise<StartedSession> {
  const now = deps.clock.now();
  const token = newToken();
  const session: SessionsTable = {
    id: randomUUID(),
    user_id: userId,
    token_hash: hashToken(token),
    remember: remember ? 1 : 0,
    created_at: now,
    last_seen_at: now,
    idle_expires_at: now + (remember ? SESSION.rememberIdle : SESSION.idle),
    expires_at: now + (remember ? SESSION.rememberAbsolute : SESSION.absolute),
    device: client.device,
    ip: client.ip || null,
    second_factor_at: secondFactorAt,
  };
  await q.insertSession(db, session);
  await q.updateUser(db, userId, { last_sign_in_at: now });
  return { token, session };
}

/** How long a browser stays known to an account after its last successful sign-in there. */
export const KNOWN_DEVICE_TTL = 180 * DAY;

function deviceTag(secret: string, userId: string, nonce: string): string {
  return createHmac('sha256', secret).update(`known-device:${userId}:${nonce}`).digest('base64url').slice(0, 22);
}

/** The device id from a known-device cookie, if Candor signed it for this account; undefined otherwise. */
function knownDeviceOf(secret: string, userId: string, cookie: string | undefined): string | undefined {
  const m = cookie === undefined ? null : /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(cookie);
  if (!m) return undefined;
  const expected = Buffer.from(deviceTag(secret, userId, m[1]!));
  return timingSafeEqual(expected, Buffer.from(m[2]!)) ? m[1] : undefined;
}

/** How long the step between a right password and the code may take. */
export const SECOND_FACTOR_STEP_TTL = 10 * MINUTE;

/** The password was right and the account has a second factor: no session yet, only a pending token for the code. */
export interface PendingSecondFactor {
  token: string;
  expiresAt: number;
}

export type SignInResult =
  | (StartedSession & { user: UsersTable; device: string; pending?: undefined })
  | { pending: PendingSecondFactor; user: UsersTable; device: string };

/**
 * Signs in: a new session with a new token, and the session the browser had before (`replacing`) ends, so
 * a planted or stolen earlier cookie is worth nothing afterwards. Every state of the address (no account,
 * set-up link pending, wrong password, throttled or not) is handled the same way, with one argon2 check.
 * A browser with a known-device cookie for this account (set by an earlier successful sign-in: random id and an
 * HMAC binding it to the account, nothing personal) is counted on its own small limit instead of the address's,
 * so nobody can keep the owner out by guessing wrong passwords for the address. `device` is the cookie to set.
 */
export async function login(
  deps: AccountsDeps,
  throttle: SignInThrottle,
  input: { email: string; password: string; remember: boolean },
  client: ClientInfo,
  replacing?: string,
  deviceCookie?: string,
): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const user = await q.findUserByEmail(deps.db, email);
  const device = user ? knownDeviceOf(deps.config.secret, user.id, deviceCookie) : undefined;
  const wait = await throttle.attempt(email, device);
  if (wait > 0) throw errors.signInDelayed(Math.ceil(wait / 1000));
  const usable = user !== undefined && isPasswordHash(user.password_hash);
  const ok = await verifyPassword(usable ? user.password_hash : await decoyHash, input.password);
  // A deactivated account gets the answer of a wrong password (and counts as one): nothing tells the two apart.
  if (!user || !usable || !ok || user.deactivated_at !== null) throw errors.badCredentials();
  await throttle.succeed(email, device);
  const nonce = device ?? randomBytes(16).toString('base64url');
  const deviceCookieValue = `${nonce}.${deviceTag(deps.config.secret, user.id, nonce)}`;
  // An account with a second factor gets no session yet: a pending token that only the code step accepts.
  const factor = await tfq.findTwoFactorByUserId(deps.db, user.id);
  if (factor && factor.confirmed_at !== null) {
    const now = deps.clock.now();
    const token = newToken();
    const expiresAt = now + SECOND_FACTOR_STEP_TTL;
    await tfq.insertChallenge(deps.db, {
      token_hash: hashToken(token),
      user_id: user.id,
      remember: input.remember ? 1 : 0,
      created_at: now,
      expires_at: expiresAt,
    });
    return { pending: { token, expiresAt }, user, device: deviceCookieValue };
  }
  const started = await deps.db.transaction().execute(async (trx) => {
    if (replacing) await q.deleteSession(trx, replacing);
    return startSession(deps, trx, user.id, input.remember, client);
  });
  return { ...started, user, device: deviceCookieValue };
}

/** Re-authentication for changes that could take the account over; counted by the same per-address throttle. */
export async function confirmCurrentPassword(
  throttle: SignInThrottle,
  user: UsersTable,
  password: string | undefined,
  field: string,
): Promise<void> {
  if (password === undefined || password === '') {
    throw errors.invalidFields({
      [field]: {
        en: 'Enter your current password to confirm this change.',
        de: 'Geben Sie zur Bestätigung dieser Änderung Ihr aktuelles Passwort ein.',
      },
    });
  }
  const wait = await throttle.attempt(user.email);
  if (wait > 0) throw errors.signInDelayed(Math.ceil(wait / 1000));
  const ok = await verifyPassword(isPasswordHash(user.password_hash) ? user.password_hash : await decoyHash, password);
  if (!ok || !isPasswordHash(user.password_hash)) throw errors.wrongPassword();
  await throttle.succeed(user.email);
}

/** The viewer for a session cookie, or null when the token is unknown or the session timed out. */
export async function resolveSession(
  deps: Pick<Deps, 'db' | 'clock'>,
  token: string,
  ip: string,
): Promise<Viewer | null> {
  const row = await q.findSessionWithUserByTokenHash(deps.db, hashToken(token));
  if (!row) return null;
  const now = deps.clock.now();
  // Deactivation deletes the sessions; one started after it (a second-factor step begun before) is ended here.
  if (row.expires_at <= now || row.idle_expires_at <= now || row.deactivated_at !== null) {
    await q.deleteSession(deps.db, row.session_id);
    return null;
  }
  if (now - row.last_seen_at >= SESSION.touchEvery || row.ip !== ip) {
    const idle = row.remember ? SESSION.rememberIdle : SESSION.idle;
    await q.touchSession(deps.db, row.session_id, now, Math.min(now + idle, row.expires_at), ip);
  }
  return {
    userId: row.user_id,
    sessionId: row.session_id,
    name: row.name,
    role: row.role,
    emailVerified: row.email_verified_at !== null,
    secondFactor: row.second_factor_at !== null,
  };
}

export async function logout(deps: Pick<Deps, 'db'>, sessionId: string): Promise<void> {
  await q.deleteSession(deps.db, sessionId);
}

export async function listSessions(deps: Pick<Deps, 'db' | 'clock'>, userId: string): Promise<SessionsTable[]> {
  return q.listSessionsByUserId(deps.db, userId, deps.clock.now());
}

export async function revokeSession(deps: Pick<Deps, 'db'>, userId: string, sessionId: string): Promise<void> {
  if (!(await q.deleteSessionOfUser(deps.db, userId, sessionId))) throw errors.notFound();
}

// ---- password reset and change ----

/**
 * Answers the same whether or not the address has an account, so it tells nobody who is a customer, and does
 * comparable work: both look the address up and take its mail window (a write, in one transaction), so within a
 * window, the most a prober gets per address, both run the same statements; only the first request of a window
 * for a known address adds the token and the mail (two inserts in the same transaction).
 */
export async function requestPasswordReset(deps: AccountsDeps, rawEmail: string): Promise<void> {
  const email = normaliseEmail(rawEmail);
  const fields: FieldErrors = {};
  checkEmail(email, fields);
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
  await deps.db.transaction().execute(async (trx) => {
    const user = await q.findUserByEmail(trx, email);
    // Earlier links stay valid until they expire, so a stranger's requests cannot spoil the owner's.
    if (!(await mayMail(deps, trx, 'reset', email)) || !user || user.deactivated_at !== null) return;
    await sendResetLink(deps, trx, user, RESET_TTL);
  });
}

/** Returns the working link for the one caller that may show it (the CLI's `candor user create`); the outbox gets a placeholder. */
async function sendResetLink(
  deps: Pick<Deps, 'clock' | 'config'>,
  db: Deps['db'],
  user: UsersTable,
  ttl: number,
): Promise<string> {
  const { token, placeholder } = issueSecret(deps.config.secret, 'account-reset-password', user.email);
  await q.insertAccountToken(db, {
    token_hash: hashToken(token),
    user_id: user.id,
    purpose: 'reset-password',
    email: user.email,
    created_at: deps.clock.now(),
    expires_at: deps.clock.now() + ttl,
    used_at: null,
  });
  const link = `${deps.config.baseUrl}/account/password-reset/confirm?token=`;
  await enqueueMail(
    db,
    deps.clock,
    passwordResetMail(langOf(user), user.email, greetingName(user), `${link}${placeholder}`),
  );
  return `${link}${token}`;
}

export async function isResetTokenLive(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<boolean> {
  return (await q.findLiveAccountToken(deps.db, hashToken(token), 'reset-password', deps.clock.now())) !== undefined;
}

/**
 * Sets a new password from a reset link; every session of the account ends, and the per-address sign-in count is
 * forgotten (the link proved the mailbox), so an ongoing guessing attack cannot keep the owner out afterwards.
 */
export async function resetPassword(
  deps: Pick<Deps, 'db' | 'clock'>,
  throttle: SignInThrottle,
  token: string,
  password: string,
): Promise<{ userId: string; setUp: boolean }> {
  const weak = checkPassword(password);
  if (weak) throw errors.invalidFields({ password: weak });
  const passwordHash = await hashPassword(password);
  const { email, ...done } = await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await q.consumeAccountToken(trx, hashToken(token), 'reset-password', now);
    if (!row) throw errors.badToken();
    const user = await q.findUserById(trx, row.user_id);
    if (!user || user.deactivated_at !== null) throw errors.badToken();
    if (checkPassword(password, user)) throw errors.invalidFields({ password: checkPassword(password, user) as Text });
    // Following the link proves the address, too.
    await q.updateUser(trx, user.id, {
      password_hash: passwordHash,
      updated_at: now,
      email_verified_at: user.email === row.email ? (user.email_verified_at ?? now) : user.email_verified_at,
    });
    await q.expireAccountTokens(trx, user.id, 'reset-password', now);
    await q.deleteSessionsOfUser(trx, user.id);
    // A sign-in waiting for its code was started with the old password: it ends with it.
    await tfq.deleteChallengesOfUser(trx, user.id);
    // No usable password before: a set-up link (candor user create), which signs the person in (links routes),
    // unless the account has a second factor: a link proves the mailbox, not the device, so it signs in as usual.
    const factor = await tfq.findTwoFactorByUserId(trx, user.id);
    const setUp = !isPasswordHash(user.password_hash) && (factor === undefined || factor.confirmed_at === null);
    return { email: user.email, userId: user.id, setUp };
  });
  await throttle.succeed(email);
  return done;
}

/** Needs the current password; ends every other session and replaces the current one's token. */
export async function changePassword(
  deps: AccountsDeps,
  throttle: SignInThrottle,
  viewer: Viewer,
  current: string,
  next: string,
  client: ClientInfo,
  remember: boolean,
): Promise<StartedSession> {
  const user = await q.findUserById(deps.db, viewer.userId);
  if (!user) throw errors.unauthenticated();
  await confirmCurrentPassword(throttle, user, current, 'currentPassword');
  const weak = checkPassword(next, user);
  if (weak) throw errors.invalidFields({ newPassword: weak });
  const passwordHash = await hashPassword(next);
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    await q.updateUser(trx, user.id, { password_hash: passwordHash, updated_at: now });
    await q.deleteSessionsOfUser(trx, user.id);
    await tfq.deleteChallengesOfUser(trx, user.id);
    await q.expireAccountTokens(trx, user.id, 'reset-password', now);
    // The new session keeps what the current one proved: a second factor passed here stays passed.
    const passed = viewer.secondFactor ? now : null;
    const started = await startSession(deps, trx, user.id, remember, client, passed);
    await enqueueMail(
      trx,
      deps.clock,
      passwordChangedMail(
        langOf(user),
        user.email,
        greetingName(user),
        `${deps.config.baseUrl}/account/password-reset`,
      ),
    );
    return started;
  });
}

// ---- profile ----

export interface ProfileChanges {
  name?: string | undefined;
  email?: string | undefined;
  company?: string | null | undefined;
  phone?: string | null | undefined;
  lang?: Lang | undefined;
  /** Needed to change the email address, whatever the age of the session. */
  currentPassword?: string | undefined;
}

export async function getProfile(deps: Pick<Deps, 'db'>, userId: string): Promise<UsersTable> {
  const user = await q.findUserById(deps.db, userId);
  if (!user) throw errors.unauthenticated();
  return user;
}

/**
 * Corrects the profile. A new email address needs the current password and takes effect only when a link mailed
 * to that address is opened (confirmEmailChange). The answer is the same whether or not another account holds the
 * address; if one does, its owner gets a notice instead of a link. So a signed-in account cannot test addresses.
 */
export async function updateProfile(
  deps: AccountsDeps,
  throttle: SignInThrottle,
  userId: string,
  changes: ProfileChanges,
): Promise<UsersTable> {
  const fields: FieldErrors = {};
  const name = changes.name?.trim();
  const email = changes.email === undefined ? undefined : normaliseEmail(changes.email);
  const company = blankToNull(changes.company);
  const phone = blankToNull(changes.phone);
  const before = await q.findUserById(deps.db, userId);
  if (!before) throw errors.unauthenticated();
  if (name !== undefined) checkName(name, fields);
  // Only a new address is checked: a row stored under an older, looser rule can still correct its name.
  if (email !== undefined && email !== before.email) checkEmail(email, fields);
  checkOptional({ company, phone }, fields);
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
  if (email !== undefined && email !== before.email)
    await confirmCurrentPassword(throttle, before, changes.currentPassword, 'currentPassword');
  return deps.db.transaction().execute(async (trx) => {
    const user = await q.findUserById(trx, userId);
    if (!user) throw errors.unauthenticated();
    const now = deps.clock.now();
    const update: Partial<UsersTable> = {
      ...(name !== undefined ? { name } : {}),
      ...(company !== undefined ? { company } : {}),
      ...(phone !== undefined ? { phone } : {}),
      ...(changes.lang !== undefined ? { lang: changes.lang } : {}),
      updated_at: now,
    };
    await q.updateUser(trx, userId, update);
    const updated = { ...user, ...update };
    if (email !== undefined && email !== user.email) await requestEmailChange(deps, trx, updated, email);
    return updated;
  });
}

/** The same few statements whether or not `email` is taken: one lookup, one mail window, one mail. */
async function requestEmailChange(deps: AccountsDeps, db: Deps['db'], user: UsersTable, email: string): Promise<void> {
  const holder = await q.findUserByEmail(db, email);
  if (holder) {
    if (await mayMail(deps, db, 'change-attempt', email)) {
      await enqueueMail(
        db,
        deps.clock,
        emailChangeAttemptMail(
          langOf(holder),
          holder.email,
          greetingName(holder),
          `${deps.config.baseUrl}/account/password-reset`,
        ),
      );
    }
    return;
  }
  if (!(await mayMail(deps, db, 'change-confirm', email))) return;
  // The token lives only in the message as sent; the outbox keeps a placeholder and the table its hash.
  const { token, placeholder } = issueSecret(deps.config.secret, 'account-confirm-email-change', email);
  await q.insertAccountToken(db, {
    token_hash: hashToken(token),
    user_id: user.id,
    purpose: 'confirm-email-change',
    email,
    created_at: deps.clock.now(),
    expires_at: deps.clock.now() + VERIFY_TTL,
    used_at: null,
  });
  const link = `${deps.config.baseUrl}/account/email-change/confirm?token=${placeholder}`;
  // The new address has not confirmed anything yet: the mail greets without the name.
  await enqueueMail(db, deps.clock, emailChangeConfirmMail(langOf(user), email, '', link));
}

/**
 * From the link mailed to the new address: the account moves to it (proven by the link), every other pending
 * link of the account dies, and the old address gets the notice with the undo link.
 */
export async function confirmEmailChange(deps: AccountsDeps, token: string): Promise<void> {
  try {
    await deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now();
      const row = await q.consumeAccountToken(trx, hashToken(token), 'confirm-email-change', now);
      const user = row && (await q.findUserById(trx, row.user_id));
      if (!row || !user) throw errors.badToken();
      if (user.email === row.email) return;
      await q.updateUser(trx, user.id, { email: row.email, email_verified_at: now, updated_at: now });
      for (const purpose of ['verify-email', 'reset-password', 'confirm-email-change'] as const)
        await q.expireAccountTokens(trx, user.id, purpose, now);
      await sendUndoEmailChange(deps, trx, user, row.email);
    });
  } catch (err) {
    // Someone registered the address after the link was sent: the link proves nothing any more.
    if (isUniqueViolation(err)) throw errors.badToken();
    throw err;
  }
}

async function sendUndoEmailChange(
  deps: Pick<Deps, 'clock' | 'config'>,
  db: Deps['db'],
  before: UsersTable,
  newEmail: string,
): Promise<void> {
  const days = deps.config.emailChangeUndoDays;
  // The token lives only in the message as sent; the outbox keeps a placeholder and the table its hash.
  const { token, placeholder } = issueSecret(deps.config.secret, 'account-undo-email-change', before.email);
  // Undo links of one account are strictly ordered by created_at (undoing cancels only the later ones), even
  // when two changes fall into the same millisecond.
  const latest = await q.latestAccountTokenIssuedAt(db, before.id, 'undo-email-change');
  await q.insertAccountToken(db, {
    token_hash: hashToken(token),
    user_id: before.id,
    purpose: 'undo-email-change',
    email: before.email,
    created_at: Math.max(deps.clock.now(), latest === undefined ? 0 : latest + 1),
    expires_at: deps.clock.now() + days * DAY,
    used_at: null,
  });
  const link = `${deps.config.baseUrl}/account/email-change/undo?token=${placeholder}`;
  await enqueueMail(
    db,
    deps.clock,
    emailChangedMail(langOf(before), before.email, greetingName(before), newEmail, link, days),
  );
}

/**
 * From the link mailed to the old address: the account returns to that address (proven by the link), every
 * session ends and every pending link of the account dies, except undo links issued before this one. Whoever made the change knew the password, so it is
 * voided (the "not set" marker, like a staff account before set-up) and a reset link goes to the restored address.
 */
export async function undoEmailChange(deps: AccountsDeps, token: string): Promise<void> {
  try {
    await deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now();
      const row = await q.consumeAccountToken(trx, hashToken(token), 'undo-email-change', now);
      const user = row && (await q.findUserById(trx, row.user_id));
      if (!row || !user) throw errors.badToken();
      const restored: UsersTable = {
        ...user,
        email: row.email,
        email_verified_at: now,
        password_hash: unsetPassword(),
        updated_at: now,
      };
      await q.updateUser(trx, user.id, {
        email: restored.email,
        email_verified_at: now,
        password_hash: restored.password_hash,
        updated_at: now,
      });
      await q.deleteSessionsOfUser(trx, user.id);
      for (const purpose of ['verify-email', 'reset-password', 'confirm-email-change'] as const)
        await q.expireAccountTokens(trx, user.id, purpose, now);
      // Only the undo links issued after this one die: an older one (the owner's, from before a thief's second
      // change) stays valid for its period and wins, since it restores the address the account had first.
      await q.expireAccountTokensIssuedAfter(trx, user.id, 'undo-email-change', row.created_at, now);
      await mayMail(deps, trx, 'reset', restored.email, true);
      await sendResetLink(deps, trx, restored, RESET_TTL);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw errors.emailTaken();
    throw err;
  }
}

export async function isUndoTokenLive(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<boolean> {
  return (await q.findLiveAccountToken(deps.db, hashToken(token), 'undo-email-change', deps.clock.now())) !== undefined;
}

// ---- staff accounts (CLI) ----

/** Creates a staff account without a usable password and mails a link to choose one; returns the link. */
export async function createStaffUser(
  deps: AccountsDeps,
  input: { email: string; role: Role; name?: string },
): Promise<{ user: UsersTable; link: string }> {
  const email = normaliseEmail(input.email);
  const fields: FieldErrors = {};
  checkEmail(email, fields);
  if (input.name?.trim()) checkName(input.name.trim(), fields);
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
  const now = deps.clock.now();
  const user: UsersTable = {
    id: randomUUID(),
    email,
    name: input.name?.trim() || 'Staff',
    password_hash: unsetPassword(),
    role: input.role,
    email_verified_at: null,
    company: null,
    phone: null,
    lang: 'en',
    created_at: now,
    updated_at: now,
    last_sign_in_at: null,
    deactivated_at: null,
  };
  try {
    const link = await deps.db.transaction().execute(async (trx) => {
      await q.insertUser(trx, user);
      return sendResetLink(deps, trx, user, STAFF_SETUP_TTL);
    });
    return { user, link };
  } catch (err) {
    if (isUniqueViolation(err)) throw errors.emailTaken();
    throw err;
  }
}

/**
 * The name a mail to the account's address may greet with: only once that address has confirmed the account.
 * Before that, whoever typed the name need not own the address, so a stranger's text never reaches its mailbox.
 */
function greetingName(user: UsersTable): string {
  return user.email_verified_at !== null ? user.name : '';
}

function langOf(user: UsersTable): Lang {
  return isLang(user.lang) ? user.lang : 'en';
}
