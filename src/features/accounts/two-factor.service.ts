// The second factor (TOTP, RFC 6238: SHA-1, 6 digits, 30 s, ±1 step): enrolment, the code step of a sign-in,
// recovery codes, and turning it off or resetting it. A time step once accepted is never accepted again for the
// account (conditional update on last_step), and a recovery code is consumed by a conditional update too.
// Code guesses count on the sign-in throttle under their own per-account key, which only a right code resets.
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Viewer } from '../../platform/http/context.ts';
import type { Text } from '../../platform/i18n.ts';
import * as q from './accounts.queries.ts';
import {
  type AccountsDeps,
  type ClientInfo,
  confirmCurrentPassword,
  hashToken,
  type StartedSession,
  startSession,
} from './accounts.service.ts';
import type { UsersTable } from './accounts.tables.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';
import {
  decryptTotpSecret,
  encryptTotpSecret,
  hashRecoveryCode,
  newRecoveryCodes,
  normaliseRecoveryCode,
} from './two-factor.crypto.ts';
import * as tfq from './two-factor.queries.ts';

export const TOTP = { algorithm: 'SHA1', digits: 6, period: 30, window: 1 } as const;
/** An unconfirmed secret is shown again on reload for this long, so that a scanned QR code stays valid. */
const PENDING_REUSE = 30 * 60 * 1000;

const ISSUER = 'Candor';

const wrongCode = (): AppError =>
  new AppError(
    400,
    'invalid_second_factor',
    {
      en: 'This code is wrong or was used already. Enter the current code from your authenticator app, or a recovery code.',
      de: 'Dieser Code ist falsch oder wurde bereits verwendet. Geben Sie den aktuellen Code aus Ihrer Authenticator-App oder einen Wiederherstellungscode ein.',
    },
    {
      code: {
        en: 'Enter the current 6-digit code, or a recovery code.',
        de: 'Geben Sie den aktuellen 6-stelligen Code oder einen Wiederherstellungscode ein.',
      },
    },
  );

export const pendingExpired = (): AppError =>
  new AppError(401, 'second_factor_expired', {
    en: 'This sign-in has expired. Please sign in again with your email address and password.',
    de: 'Diese Anmeldung ist abgelaufen. Bitte melden Sie sich erneut mit E-Mail-Adresse und Passwort an.',
  });

const notForStaff = (): AppError =>
  new AppError(403, 'second_factor_mandatory', {
    en: 'Staff accounts must keep their second factor. An administrator can reset it if the device is lost.',
    de: 'Mitarbeiterkonten müssen ihren zweiten Faktor behalten. Bei Verlust des Geräts kann ein anderes Konto mit Administratorrechten ihn zurücksetzen.',
  });

const alreadyOn = (): AppError =>
  new AppError(409, 'second_factor_enabled', {
    en: 'The second factor is already set up for this account.',
    de: 'Für dieses Konto ist der zweite Faktor bereits eingerichtet.',
  });

function totpFor(base32: string, label: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label,
    algorithm: TOTP.algorithm,
    digits: TOTP.digits,
    period: TOTP.period,
    secret: OTPAuth.Secret.fromBase32(base32),
  });
}

/** "ABCD EFGH ..." for reading off the page; apps accept it with or without the spaces. */
export function groupSecret(base32: string): string {
  return base32.replace(/(.{4})(?=.)/g, '$1 ');
}

export interface TwoFactorStatus {
  enabled: boolean;
  confirmedAt: number | null;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(deps: Pick<Deps, 'db'>, userId: string): Promise<TwoFactorStatus> {
  const row = await tfq.findTwoFactorByUserId(deps.db, userId);
  const enabled = row !== undefined && row.confirmed_at !== null;
  return {
    enabled,
    confirmedAt: row?.confirmed_at ?? null,
    recoveryCodesLeft: enabled ? await tfq.countUnusedRecoveryCodes(deps.db, userId) : 0,
  };
}

export interface Enrolment {
  /** Base32, for the page only (grouped by groupSecret); stored encrypted. */
  secret: string;
  uri: string;
  /** The otpauth URI as an SVG QR code, rendered on the server. */
  qrSvg: string;
}

/**
 * A fresh secret (or the pending one this session was shown in the last 30 minutes), stored encrypted until the
 * first code confirms it. The key is shown to one session only: another session of the account (perhaps of
 * someone who knows the password) gets a new key, which voids the first, and never sees the one shown here.
 */
export async function startEnrolment(deps: AccountsDeps, user: UsersTable, sessionId: string): Promise<Enrolment> {
  const now = deps.clock.now();
  const existing = await tfq.findTwoFactorByUserId(deps.db, user.id);
  if (existing?.confirmed_at != null) throw alreadyOn();
  let base32: string;
  if (existing && existing.enrolling_session_id === sessionId && now - existing.created_at < PENDING_REUSE) {
    base32 = decryptTotpSecret(deps.config.secret, user.id, existing.secret_enc);
  } else {
    base32 = new OTPAuth.Secret({ size: 20 }).base32;
    const stored = await tfq.replacePendingTwoFactor(deps.db, {
      user_id: user.id,
      secret_enc: encryptTotpSecret(deps.config.secret, user.id, base32),
      confirmed_at: null,
      last_step: 0,
      created_at: now,
      enrolling_session_id: sessionId,
    });
    if (!stored) throw alreadyOn();
  }
  const uri = totpFor(base32, user.email).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret: base32, uri, qrSvg };
}

/** The time step a code belongs to (±1 step around now), or undefined when it matches none. */
function matchingStep(deps: Pick<Deps, 'clock' | 'config'>, userId: string, stored: string, code: string) {
  const base32 = decryptTotpSecret(deps.config.secret, userId, stored);
  const timestamp = deps.clock.now();
  const delta = totpFor(base32, '').validate({ token: code, timestamp, window: TOTP.window });
  if (delta === null) return undefined;
  return Math.floor(timestamp / 1000 / TOTP.period) + delta;
}

const throttleKey = (userId: string) => `second-factor:${userId}`;

async function countGuess(throttle: SignInThrottle, userId: string): Promise<void> {
  const wait = await throttle.attempt(throttleKey(userId));
  if (wait > 0) throw errors.signInDelayed(Math.ceil(wait / 1000));
}

function checkCodeShape(code: string): string {
  const trimmed = code.replace(/\s/g, '');
  if (trimmed === '' || trimmed.length > 20) throw wrongCode();
  return trimmed;
}

/**
 * Confirms enrolment with a current code: the factor is on, this session counts as having passed it, and the ten
 * recovery codes are returned to be shown once (only their hashes are stored).
 */
export async function confirmEnrolment(
  deps: AccountsDeps,
  throttle: SignInThrottle,
  viewer: Viewer,
  rawCode: string,
): Promise<string[]> {
  const code = checkCodeShape(rawCode);
  const row = await tfq.findTwoFactorByUserId(deps.db, viewer.userId);
  if (row?.confirmed_at != null) throw alreadyOn();
  // Only the session that was shown the key confirms it (the page then shows this session a new key).
  if (!row || row.enrolling_session_id !== viewer.sessionId) throw wrongCode();
  await countGuess(throttle, viewer.userId);
  const step = /^\d{6}$/.test(code) ? matchingStep(deps, viewer.userId, row.secret_enc, code) : undefined;
  if (step === undefined) throw wrongCode();
  const codes = newRecoveryCodes();
  const taken = await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    if (!(await tfq.claimTotpStep(trx, viewer.userId, step, now))) return false;
    const hashes = codes.map((c) => hashRecoveryCode(deps.config.secret, viewer.userId, c));
    await tfq.replaceRecoveryCodes(trx, viewer.userId, hashes, now);
    await tfq.markSessionSecondFactor(trx, viewer.sessionId, now);
    // Sessions started elsewhere before the factor existed (perhaps by whoever knew the password) end here.
    await q.deleteSessionsOfUser(trx, viewer.userId, viewer.sessionId);
    return true;
  });
  if (!taken) throw wrongCode();
  await throttle.succeed(throttleKey(viewer.userId));
  return codes;
}

/**
 * Checks a TOTP code or a recovery code of an account with the factor on and uses it up (the step, or the
 * recovery code); throws the "wrong code" error otherwise. Counted on the throttle before anything is checked.
 */
export async function useSecondFactor(
  deps: AccountsDeps,
  throttle: SignInThrottle,
  db: Deps['db'],
  userId: string,
  rawCode: string,
): Promise<'totp' | 'recovery-code'> {
  const code = checkCodeShape(rawCode);
  const row = await tfq.findTwoFactorByUserId(db, userId);
  if (!row || row.confirmed_at === null) throw wrongCode();
  await countGuess(throttle, userId);
  const now = deps.clock.now();
  if (/^\d{6}$/.test(code)) {
    const step = matchingStep(deps, userId, row.secret_enc, code);
    if (step === undefined || !(await tfq.claimTotpStep(db, userId, step))) throw wrongCode();
    await throttle.succeed(throttleKey(userId));
    return 'totp';
  }
  const hash = hashRecoveryCode(deps.config.secret, userId, normaliseRecoveryCode(code));
  if (!(await tfq.consumeRecoveryCode(db, userId, hash, now))) throw wrongCode();
  await throttle.succeed(throttleKey(userId));
  return 'recovery-code';
}

/** The pending sign-in a token stands for (live), or undefined. */
export async function findPendingSignIn(deps: Pick<Deps, 'db' | 'clock'>, token: string | undefined) {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  return tfq.findLiveChallenge(deps.db, hashToken(token), deps.clock.now());
}

/**
 * The code step of a sign-in: the pending token and a right code start the session (marked as having passed the
 * second factor); the session the browser had before ends. One pending token starts at most one session.
 */
export async function completeSignIn(
  deps: AccountsDeps,
  throttle: SignInThrottle,
  token: string | undefined,
  code: string,
  client: ClientInfo,
  replacing?: string,
): Promise<StartedSession & { user: UsersTable }> {
  const pending = await findPendingSignIn(deps, token);
  if (!pending || !token) throw pendingExpired();
  await useSecondFactor(deps, throttle, deps.db, pending.user_id, code);
  const user = await q.findUserById(deps.db, pending.user_id);
  // Deactivated between password and code (accounts.team.service.ts): no session.
  if (!user || user.deactivated_at !== null) throw pendingExpired();
  const started = await deps.db.transaction().execute(async (trx) => {
    if (!(await tfq.deleteChallenge(trx, pending.token_hash))) return undefined;
    if (replacing) await q.deleteSession(trx, replacing);
    return startSession(deps, trx, user.id, pending.remember === 1, client, deps.clock.now());
  });
  if (!started) throw pendingExpired();
  return { ...started, user };
}

/** A signed-in session without the second factor (e.g. from before the role was given) passes it with a code. */
export async function passSecondFactor(
  deps: AccountsDeps,
  throttle: SignInThrottle,
  viewer: Viewer,
  code: string,
): Promise<void> {
  await useSecondFactor(deps, throttle, deps.db, viewer.userId, code);
  await tfq.markSessionSecondFactor(deps.db, viewer.sessionId, deps.clock.now());
}

/**
 * Customers may turn the factor off with their password and a current code (or a recovery code): a stolen password
 * alone, or a session left open, must not remove the factor. Staff roles may not (an admin resets it instead).
 */
export async function disableTwoFactor(
  deps: AccountsDeps,
  throttle: SignInThrottle,
  viewer: Viewer,
  password: string,
  code: string,
): Promise<void> {
  if (viewer.role !== 'customer') throw notForStaff();
  const user = await q.findUserById(deps.db, viewer.userId);
  if (!user) throw errors.unauthenticated();
  await confirmCurrentPassword(throttle, user, password, 'password');
  await useSecondFactor(deps, throttle, deps.db, viewer.userId, code);
  await deps.db.transaction().execute(async (trx) => resetSecondFactorIn(trx, viewer.userId));
}

/**
 * New recovery codes for an account with the factor on, after a current code (or an unused recovery code): the old
 * codes die at once. Returns the new ones to be shown once.
 */
export async function renewRecoveryCodes(
  deps: AccountsDeps,
  throttle: SignInThrottle,
  viewer: Viewer,
  code: string,
): Promise<string[]> {
  await useSecondFactor(deps, throttle, deps.db, viewer.userId, code);
  const codes = newRecoveryCodes();
  const hashes = codes.map((c) => hashRecoveryCode(deps.config.secret, viewer.userId, c));
  await deps.db.transaction().execute((trx) => tfq.replaceRecoveryCodes(trx, viewer.userId, hashes, deps.clock.now()));
  return codes;
}

/**
 * Removes an account's second factor, recovery codes and pending sign-ins, inside the caller's transaction; every
 * session of the account loses its passed second factor, so staff pages send them to enrol again.
 */
export async function resetSecondFactorIn(db: Deps['db'], userId: string): Promise<void> {
  await tfq.deleteTwoFactorOfUser(db, userId);
  await tfq.clearSecondFactorOfSessions(db, userId);
}

/** resetSecondFactorIn in a transaction of its own (accounts.team.service.ts records who reset whose factor). */
export async function resetSecondFactor(deps: Pick<Deps, 'db'>, userId: string): Promise<void> {
  await deps.db.transaction().execute((trx) => resetSecondFactorIn(trx, userId));
}

/** Where a staff session without a passed second factor goes: the code step when enrolled, else enrolment. */
export async function secondFactorPath(deps: Pick<Deps, 'db'>, userId: string, next: string): Promise<string> {
  const status = await tfq.findTwoFactorByUserId(deps.db, userId);
  const base = status?.confirmed_at != null ? '/account/login/code' : '/account/two-factor';
  return `${base}?next=${encodeURIComponent(next)}`;
}

export const MESSAGES = {
  enabled: {
    en: 'The second factor is on. Keep your recovery codes in a safe place: each works once, and this is the only time they are shown.',
    de: 'Der zweite Faktor ist eingeschaltet. Bewahren Sie Ihre Wiederherstellungscodes sicher auf: Jeder gilt einmal, und sie werden nur dieses eine Mal angezeigt.',
  },
  renewed: {
    en: 'New recovery codes are ready; the earlier ones no longer work. Each works once, and this is the only time they are shown.',
    de: 'Neue Wiederherstellungscodes sind erstellt; die bisherigen gelten nicht mehr. Jeder gilt einmal, und sie werden nur dieses eine Mal angezeigt.',
  },
  disabled: {
    en: 'The second factor is off. Signing in needs only your password again.',
    de: 'Der zweite Faktor ist ausgeschaltet. Zur Anmeldung genügt wieder Ihr Passwort.',
  },
} satisfies Record<string, Text>;
