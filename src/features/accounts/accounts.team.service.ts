// Use cases of the staff team (issue 12 point 7): the list, invitations (mailed link, 7 days, single use, only a hash
// stored), role changes and deactivation. Invariants: at least one active admin remains; a deactivated account has no
// session and cannot sign in; every change is one row of staff_changes, written in the same transaction.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { DAY } from '../../platform/clock.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Role, Viewer } from '../../platform/http/context.ts';
import { formatTime, isLang, type Lang, type Text } from '../../platform/i18n.ts';
import { issueSecret } from '../../platform/secret-links.ts';
import { enqueueMail } from '../mail/index.ts';
import * as q from './accounts.queries.ts';
import {
  checkEmail,
  hashToken,
  normaliseEmail,
  startSession,
  type ClientInfo,
  type StartedSession,
} from './accounts.service.ts';
import type { StaffChangeAction, StaffInvitationsTable, StaffRole, UsersTable } from './accounts.tables.ts';
import { staffInvitationMail } from './accounts.team.emails.ts';
import * as tq from './accounts.team.queries.ts';
import { resetSecondFactorIn } from './two-factor.service.ts';
import { deleteChallengesOfUser } from './two-factor.queries.ts';
import { nameProblem } from './names.ts';
import { encodeCursor, invalidCursor, parseTextCursor } from '../../web/keyset.ts';
import { checkPassword, hashPassword, isPasswordHash, verifyPassword } from './passwords.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

export const INVITATION_TTL = 7 * DAY;
export const TEAM_PAGE = 50;
export const staffRoles: StaffRole[] = ['staff', 'dpo', 'admin'];
/** What an admin may give an account on the team page: a staff role, or back to customer (no console). */
export const assignableRoles: Role[] = ['staff', 'dpo', 'admin', 'customer'];

type TeamDeps = Pick<Deps, 'db' | 'clock' | 'config'>;
/** The use cases that remove an admin lock the admin rows, which is dialect-specific. */
type GuardDeps = Pick<Deps, 'db' | 'clock' | 'dbKind'>;

export type MemberState = 'active' | 'deactivated' | 'invited';

export interface TeamMember {
  id: string;
  email: string;
  name: string;
  role: Role;
  state: MemberState;
  lastSignInAt: number | null;
}

export interface TeamPage {
  members: TeamMember[];
  /** The keyset for the next page of accounts (the last address shown and its id), or undefined on the last page. */
  nextAfter: string | undefined;
  invitations: StaffInvitationsTable[];
  nextInvitationsAfter: string | undefined;
}

/** An address as stored: no spaces or control characters, one "@" with text on both sides. */
const ADDRESS = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+$/u;

/** A keyset of the team page (web/keyset.ts: `<address>.<id>`); one whose value is no address is refused (400). */
function parseAddressCursor(raw: string | undefined): { email: string; id: string } | undefined {
  const cursor = parseTextCursor(raw);
  if (cursor && !ADDRESS.test(cursor.value)) throw invalidCursor();
  return cursor && { email: cursor.value, id: cursor.id };
}

/**
 * One page of accounts (by address) and one of open invitations; `after`/`invitationsAfter` are the keysets. A
 * position that no page link of ours could carry is refused (400), not silently read as the first page.
 */
export async function listTeam(
  deps: Pick<Deps, 'db'>,
  cursor: { after?: string | undefined; invitationsAfter?: string | undefined },
  limit = TEAM_PAGE,
): Promise<TeamPage> {
  // An empty position (a bare "?after=") is the first page.
  const after = parseAddressCursor(cursor.after);
  const invitationsAfter = parseAddressCursor(cursor.invitationsAfter);
  const rows = await tq.listStaffAccountsAfter(deps.db, after, limit + 1);
  const invRows = await tq.listOpenInvitationsAfter(deps.db, invitationsAfter, limit + 1);
  const members = rows.slice(0, limit).map((r): TeamMember => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    // An account made by `candor user create` whose set-up link is still unused has no password yet.
    state: r.deactivated_at !== null ? 'deactivated' : isPasswordHash(r.password_hash) ? 'active' : 'invited',
    lastSignInAt: r.last_sign_in_at === null ? null : Number(r.last_sign_in_at),
  }));
  const invitations = invRows.slice(0, limit);
  const lastInv = invitations.at(-1);
  const lastMember = members.at(-1);
  return {
    members,
    nextAfter: rows.length > limit && lastMember ? encodeCursor(lastMember.email, lastMember.id) : undefined,
    invitations,
    nextInvitationsAfter: invRows.length > limit && lastInv ? encodeCursor(lastInv.email, lastInv.id) : undefined,
  };
}

async function recordChange(
  db: Deps['db'],
  at: number,
  actorId: string | null,
  action: StaffChangeAction,
  about: { user?: string; invitation?: string },
  detail: string | null = null,
): Promise<void> {
  await tq.insertStaffChange(db, {
    id: randomUUID(),
    at,
    actor_user_id: actorId,
    subject_user_id: about.user ?? null,
    invitation_id: about.invitation ?? null,
    action,
    detail,
    restricted_at: null,
  });
}

const conflict = (code: string, text: Text) => new AppError(409, code, text);

export interface InvitationInput {
  email: string;
  name?: string | undefined;
  role: string;
  lang: string;
}

/** Mails a new invitation link; open invitations to the same address die (the newest one counts). */
export async function inviteStaff(
  deps: TeamDeps,
  actor: Viewer,
  input: InvitationInput,
): Promise<StaffInvitationsTable> {
  const email = normaliseEmail(input.email);
  const name = input.name?.trim() || null;
  const fields: Record<string, Text> = {};
  checkEmail(email, fields);
  if (name) {
    const problem = nameProblem(name);
    if (problem) fields.name = problem;
  }
  if (!(staffRoles as string[]).includes(input.role))
    fields.role = { en: 'Choose a role.', de: 'Wählen Sie eine Rolle.' };
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
  return deps.db.transaction().execute(async (trx) => {
    const existing = await q.findUserByEmail(trx, email);
    if (existing && existing.deactivated_at !== null)
      throw conflict('account_deactivated', {
        en: 'This address belongs to a deactivated account. Reactivate it in the list instead of inviting it.',
        de: 'Diese Adresse gehört zu einem deaktivierten Konto. Reaktivieren Sie es in der Liste, statt es einzuladen.',
      });
    if (existing && existing.role !== 'customer')
      throw conflict('already_staff', {
        en: 'This address already has a staff account; change its role in the list.',
        de: 'Diese Adresse hat bereits ein Konto in der Verwaltung; ändern Sie dessen Rolle in der Liste.',
      });
    const now = deps.clock.now();
    await tq.revokeOpenInvitationsTo(trx, email, now);
    const row: StaffInvitationsTable = {
      id: randomUUID(),
      email,
      name,
      role: input.role as StaffRole,
      lang: isLang(input.lang) ? input.lang : 'en',
      token_hash: '',
      invited_by: actor.userId,
      created_at: now,
      expires_at: now + INVITATION_TTL,
      accepted_at: null,
      revoked_at: null,
    };
    row.token_hash = await mailInvitation(deps, trx, row, actor);
    await tq.insertInvitation(trx, row);
    await recordChange(trx, now, actor.userId, 'invite', { invitation: row.id }, row.role);
    return row;
  });
}

/** Enqueues the invitation mail with a placeholder for a fresh token; returns the token's hash (all that is kept). */
async function mailInvitation(
  deps: TeamDeps,
  db: Deps['db'],
  row: StaffInvitationsTable,
  actor: Viewer,
): Promise<string> {
  const { token, placeholder } = issueSecret(deps.config.secret, 'staff-invitation', row.email);
  const lang: Lang = isLang(row.lang) ? row.lang : 'en';
  await enqueueMail(
    db,
    deps.clock,
    staffInvitationMail({
      lang,
      to: row.email,
      name: row.name,
      invitedBy: actor.name,
      shop: deps.config.operator.company,
      role: row.role,
      validUntil: formatTime(lang, row.expires_at, deps.config.operator.timeZone),
      link: `${deps.config.baseUrl}/account/invitation?token=${placeholder}`,
      dpoTitle: deps.config.operator.dpo.title,
    }),
  );
  return hashToken(token);
}

async function openInvitation(db: Deps['db'], id: string): Promise<StaffInvitationsTable> {
  const row = await tq.findInvitationById(db, id);
  if (!row) throw errors.notFound();
  if (row.accepted_at !== null || row.revoked_at !== null)
    throw conflict('invitation_closed', {
      en: 'This invitation was already accepted or revoked.',
      de: 'Diese Einladung wurde bereits angenommen oder widerrufen.',
    });
  return row;
}

/** A new link (new token, 7 days from now) by mail; the old link stops working at once. */
export async function resendInvitation(deps: TeamDeps, actor: Viewer, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await openInvitation(trx, id);
    const now = deps.clock.now();
    const renewed = { ...row, created_at: now, expires_at: now + INVITATION_TTL };
    const tokenHash = await mailInvitation(deps, trx, renewed, actor);
    await tq.updateInvitation(trx, id, { token_hash: tokenHash, created_at: now, expires_at: renewed.expires_at });
    await recordChange(trx, now, actor.userId, 'resend-invitation', { invitation: id }, row.role);
  });
}

export async function revokeInvitation(deps: Pick<Deps, 'db' | 'clock'>, actor: Viewer, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await openInvitation(trx, id);
    const now = deps.clock.now();
    await tq.updateInvitation(trx, id, { revoked_at: now });
    await recordChange(trx, now, actor.userId, 'revoke-invitation', { invitation: id });
  });
}

/** What the invitation page shows: the invitation, and whether its address already has an account. */
export async function findInvitationByToken(
  deps: Pick<Deps, 'db' | 'clock'>,
  token: string,
): Promise<{ invitation: StaffInvitationsTable; hasAccount: boolean } | undefined> {
  if (!token) return undefined;
  const invitation = await tq.findLiveInvitationByTokenHash(deps.db, hashToken(token), deps.clock.now());
  if (!invitation) return undefined;
  return { invitation, hasAccount: (await q.findUserByEmail(deps.db, invitation.email)) !== undefined };
}

/**
 * Accepts an invitation and signs the person in. A new address gets an account with the role, a chosen password and
 * a confirmed address (the link proved the mailbox). An address that already has a (customer) account is upgraded
 * only when that account's password is entered: the link alone must not hand someone's existing account, its orders
 * and its sessions, to whoever holds the mail (docs/decisions/0045).
 */
export async function acceptInvitation(
  deps: TeamDeps,
  throttle: SignInThrottle,
  token: string,
  input: { name?: string | undefined; password: string },
  client: ClientInfo,
): Promise<StartedSession & { user: UsersTable }> {
  const tokenHash = hashToken(token);
  const found = token ? await tq.findLiveInvitationByTokenHash(deps.db, tokenHash, deps.clock.now()) : undefined;
  if (!found) throw errors.badToken();
  const existing = await q.findUserByEmail(deps.db, found.email);
  let passwordHash: string | undefined;
  let name = '';
  if (existing) {
    if (existing.deactivated_at !== null) throw errors.badToken();
    const wait = await throttle.attempt(existing.email);
    if (wait > 0) throw errors.signInDelayed(Math.ceil(wait / 1000));
    const ok = isPasswordHash(existing.password_hash) && (await verifyPassword(existing.password_hash, input.password));
    if (!ok)
      throw new AppError(
        400,
        'wrong_password',
        { en: 'The password of your account is wrong.', de: 'Das Passwort Ihres Kontos ist falsch.' },
        {
          password: {
            en: 'Enter the password of your existing account.',
            de: 'Geben Sie das Passwort Ihres bestehenden Kontos ein.',
          },
        },
      );
    await throttle.succeed(existing.email);
  } else {
    name = input.name?.trim() || found.name || '';
    const fields: Record<string, Text> = {};
    const problem = nameProblem(name);
    if (problem) fields.name = problem;
    const weak = checkPassword(input.password, { email: found.email, name });
    if (weak) fields.password = weak;
    if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
    passwordHash = await hashPassword(input.password);
  }
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now();
      if (!(await tq.markInvitationAccepted(trx, found.id, tokenHash, now))) throw errors.badToken();
      let user: UsersTable;
      if (existing) {
        user = { ...existing, role: found.role, email_verified_at: existing.email_verified_at ?? now, updated_at: now };
        await q.updateUser(trx, existing.id, {
          role: user.role,
          email_verified_at: user.email_verified_at,
          updated_at: now,
        });
      } else {
        user = {
          id: randomUUID(),
          email: found.email,
          name,
          password_hash: passwordHash as string,
          role: found.role,
          email_verified_at: now,
          company: null,
          phone: null,
          lang: found.lang,
          created_at: now,
          updated_at: now,
          last_sign_in_at: null,
          deactivated_at: null,
        };
        await q.insertUser(trx, user);
      }
      await recordChange(trx, now, user.id, 'accept-invitation', { user: user.id, invitation: found.id }, found.role);
      const started = await startSession(deps, trx, user.id, false, client);
      return { ...started, user };
    });
  } catch (err) {
    // The address registered itself between the check and the insert: the link has to be opened again.
    if (isUniqueViolation(err)) throw errors.badToken();
    throw err;
  }
}

async function staffAccount(db: Deps['db'], id: string): Promise<UsersTable> {
  const user = await q.findUserById(db, id);
  if (!user || user.role === 'customer') throw errors.notFound();
  return user;
}

const LAST_ADMIN: Text = {
  en: 'At least one active administrator account must remain. Give another account the administrator role first.',
  de: 'Mindestens ein aktives Konto mit Administratorrechten muss bleiben. Geben Sie zuerst einem anderen Konto Administratorrechte.',
};

/**
 * Refuses to remove the last active admin. Called inside the write transaction, after locking the admin rows
 * (PostgreSQL), and re-reading the account under the lock: two removals at once cannot both see "one other left".
 */
async function keepAnAdmin(db: Deps['db'], kind: Deps['dbKind'], id: string): Promise<UsersTable> {
  await tq.lockActiveAdmins(db, kind);
  const user = await staffAccount(db, id);
  if (user.role === 'admin' && user.deactivated_at === null && (await tq.countOtherActiveAdmins(db, user.id)) === 0)
    throw conflict('last_admin', LAST_ADMIN);
  return user;
}

/** An admin who loses the role (or the account) loses the power to invite: their open invitations die with it. */
async function revokeInvitationsOf(db: Deps['db'], at: number, actorId: string, user: UsersTable): Promise<void> {
  if (user.role !== 'admin') return;
  for (const id of await tq.revokeOpenInvitationsBy(db, user.id, at))
    await recordChange(db, at, actorId, 'revoke-invitation', { invitation: id }, 'inviter-lost-admin');
}

/** Gives a staff account another role (or back to customer); the last active admin keeps theirs. */
export async function changeRole(deps: GuardDeps, actor: Viewer, id: string, role: string): Promise<void> {
  if (!assignableRoles.includes(role as Role))
    throw errors.invalidFields({ role: { en: 'Choose a role.', de: 'Wählen Sie eine Rolle.' } });
  await deps.db.transaction().execute(async (trx) => {
    const user = role === 'admin' ? await staffAccount(trx, id) : await keepAnAdmin(trx, deps.dbKind, id);
    if (user.role === role) return;
    const now = deps.clock.now();
    await q.updateUser(trx, id, { role: role as Role, updated_at: now });
    await recordChange(trx, now, actor.userId, 'change-role', { user: id }, `${user.role}→${role}`);
    await revokeInvitationsOf(trx, now, actor.userId, user);
  });
}

/** Ends every session of the account at once; it cannot sign in or reset its password until reactivated. */
export async function deactivateAccount(deps: GuardDeps, actor: Viewer, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const user = await keepAnAdmin(trx, deps.dbKind, id);
    if (user.deactivated_at !== null) return;
    const now = deps.clock.now();
    await q.updateUser(trx, id, { deactivated_at: now, updated_at: now });
    await q.deleteSessionsOfUser(trx, id);
    await deleteChallengesOfUser(trx, id);
    await q.expireAccountTokens(trx, id, 'reset-password', now);
    await recordChange(trx, now, actor.userId, 'deactivate', { user: id });
    await revokeInvitationsOf(trx, now, actor.userId, user);
  });
}

const notOnYourself = () =>
  new AppError(409, 'not_on_yourself', {
    en: 'You cannot reset your own second factor. Ask another administrator; if you are the only one and lost your device, the operator can run “candor user reset-second-factor --email …” on the server.',
    de: 'Ihren eigenen zweiten Faktor können Sie nicht zurücksetzen. Bitten Sie ein anderes Konto mit Administratorrechten darum; gibt es keines und ist Ihr Gerät verloren, kann der Betrieb auf dem Server „candor user reset-second-factor --email …“ ausführen.',
  });

/**
 * An admin resets another staff account's second factor (lost device): the factor and recovery codes are deleted,
 * every session of the account loses its passed factor (staff pages lead to enrolment again), and the change is
 * recorded. Not on oneself: a second person must confirm that the right person lost the device.
 */
export async function resetMemberSecondFactor(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: Viewer | null,
  id: string,
  confirmed: boolean,
): Promise<void> {
  if (actor && actor.userId === id) throw notOnYourself();
  if (!confirmed)
    throw new AppError(400, 'confirmation_required', {
      en: 'Nothing was reset. Tick the box to confirm that the person lost their device and that you checked who is asking.',
      de: 'Es wurde nichts zurückgesetzt. Kreuzen Sie an, dass die Person ihr Gerät verloren hat und Sie geprüft haben, wer anfragt.',
    });
  await deps.db.transaction().execute(async (trx) => {
    const user = await (actor ? staffAccount(trx, id) : q.findUserById(trx, id));
    if (!user) throw errors.notFound();
    const now = deps.clock.now();
    await resetSecondFactorIn(trx, user.id);
    await recordChange(trx, now, actor?.userId ?? null, 'reset-second-factor', { user: user.id }, actor ? null : 'cli');
  });
}

/** `candor user reset-second-factor --email E`: for the operator when the only admin lost the device. */
export async function resetSecondFactorByEmail(deps: Pick<Deps, 'db' | 'clock'>, email: string): Promise<UsersTable> {
  const user = await q.findUserByEmail(deps.db, normaliseEmail(email));
  if (!user) throw errors.notFound();
  await resetMemberSecondFactor(deps, null, user.id, true);
  return user;
}

export async function reactivateAccount(deps: Pick<Deps, 'db' | 'clock'>, actor: Viewer, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const user = await staffAccount(trx, id);
    if (user.deactivated_at === null) return;
    const now = deps.clock.now();
    await q.updateUser(trx, id, { deactivated_at: null, updated_at: now });
    await recordChange(trx, now, actor.userId, 'reactivate', { user: id });
  });
}
