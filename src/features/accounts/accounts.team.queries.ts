// SQL of the staff team: the staff accounts and pending invitations (keyset paging by address), invitations by the
// hash of their token, and the record of changes. No rule is decided here (accounts.team.service.ts does).
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { DbKind } from '../../platform/db/dialect.ts';
import type { StaffChangesTable, StaffInvitationsTable, UsersTable } from './accounts.tables.ts';

type Db = Kysely<Database>;

export type TeamMemberRow = Pick<
  UsersTable,
  'id' | 'email' | 'name' | 'role' | 'last_sign_in_at' | 'deactivated_at' | 'password_hash' | 'created_at'
>;

/** Staff, DPO and admin accounts ordered by address (then id), the `limit` after `after` (keyset). */
export async function listStaffAccountsAfter(
  db: Db,
  after: { email: string; id: string } | undefined,
  limit: number,
): Promise<TeamMemberRow[]> {
  let q = db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'last_sign_in_at', 'deactivated_at', 'password_hash', 'created_at'])
    .where('role', 'in', ['staff', 'dpo', 'admin']);
  if (after)
    q = q.where((eb) =>
      eb.or([eb('email', '>', after.email), eb.and([eb('email', '=', after.email), eb('id', '>', after.id)])]),
    );
  return q.orderBy('email').orderBy('id').limit(limit).execute();
}

/** Open invitations (neither accepted nor revoked; expired ones too, so they can be resent), by address then id. */
export async function listOpenInvitationsAfter(
  db: Db,
  after: { email: string; id: string } | undefined,
  limit: number,
): Promise<StaffInvitationsTable[]> {
  let q = db
    .selectFrom('staff_invitations')
    .selectAll()
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null);
  if (after)
    q = q.where((eb) =>
      eb.or([eb('email', '>', after.email), eb.and([eb('email', '=', after.email), eb('id', '>', after.id)])]),
    );
  return q.orderBy('email').orderBy('id').limit(limit).execute();
}

/**
 * Locks the rows of the active admins (PostgreSQL: `for update`, in id order) until the transaction ends, so that two
 * transactions that each remove an admin run one after the other and the second counts what the first left. SQLite
 * needs no lock: it has a single writer, and Kysely runs its transactions one at a time on its one connection.
 */
export async function lockActiveAdmins(db: Db, kind: DbKind): Promise<void> {
  if (kind !== 'postgres') return;
  await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('deactivated_at', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Active admins other than `exceptId`: the last one may not lose the role or be deactivated. */
export async function countOtherActiveAdmins(db: Db, exceptId: string): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('role', '=', 'admin')
    .where('deactivated_at', 'is', null)
    .where('id', '!=', exceptId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function insertInvitation(db: Db, row: StaffInvitationsTable): Promise<void> {
  await db.insertInto('staff_invitations').values(row).execute();
}

export async function findInvitationById(db: Db, id: string): Promise<StaffInvitationsTable | undefined> {
  return db.selectFrom('staff_invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The invitation a link's token opens, if it is still open and not expired. */
export async function findLiveInvitationByTokenHash(
  db: Db,
  tokenHash: string,
  now: number,
): Promise<StaffInvitationsTable | undefined> {
  return db
    .selectFrom('staff_invitations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Marks a live invitation accepted; false when someone else used, revoked or renewed it first (single use). */
export async function markInvitationAccepted(db: Db, id: string, tokenHash: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('staff_invitations')
    .set({ accepted_at: now })
    .where('id', '=', id)
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateInvitation(
  db: Db,
  id: string,
  changes: Partial<Pick<StaffInvitationsTable, 'token_hash' | 'expires_at' | 'revoked_at' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('staff_invitations').set(changes).where('id', '=', id).execute();
}

/** Revokes every open invitation to an address (a new one replaces them). */
export async function revokeOpenInvitationsTo(db: Db, email: string, now: number): Promise<void> {
  await db
    .updateTable('staff_invitations')
    .set({ revoked_at: now })
    .where('email', '=', email)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Revokes the open invitations an account sent (it lost the power to invite); returns their ids. */
export async function revokeOpenInvitationsBy(db: Db, inviterId: string, now: number): Promise<string[]> {
  const rows = await db
    .updateTable('staff_invitations')
    .set({ revoked_at: now })
    .where('invited_by', '=', inviterId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function insertStaffChange(db: Db, row: StaffChangesTable): Promise<void> {
  await db.insertInto('staff_changes').values(row).execute();
}

export async function listStaffChangesAbout(db: Db, subjectUserId: string): Promise<StaffChangesTable[]> {
  return db
    .selectFrom('staff_changes')
    .selectAll()
    .where('subject_user_id', '=', subjectUserId)
    .orderBy('at', 'desc')
    .execute();
}
