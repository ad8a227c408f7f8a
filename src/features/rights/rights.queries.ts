// SQL of data-subject requests: the request rows, their history and their done steps.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../database.ts';
import type {
  PrivacyRequestEventsTable,
  PrivacyRequestStepsTable,
  PrivacyRequestsTable,
  RequestKind,
  RequestState,
} from './rights.tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertRequest(db: Db, row: PrivacyRequestsTable): Promise<void> {
  await db.insertInto('privacy_requests').values(row).execute();
}

export async function insertRequestEvent(db: Db, row: PrivacyRequestEventsTable): Promise<void> {
  await db.insertInto('privacy_request_events').values(row).execute();
}

export async function selectRequest(db: Db, id: string): Promise<PrivacyRequestsTable | undefined> {
  return db.selectFrom('privacy_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function selectRequestEvents(db: Db, id: string): Promise<PrivacyRequestEventsTable[]> {
  return db
    .selectFrom('privacy_request_events')
    .selectAll()
    .where('request_id', '=', id)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** The person's requests (by account id or address), newest first. */
export async function selectRequestsOf(
  db: Db,
  subjects: readonly string[],
  limit = 100,
): Promise<PrivacyRequestsTable[]> {
  if (subjects.length === 0) return [];
  return db
    .selectFrom('privacy_requests')
    .selectAll()
    .where('subject', 'in', [...subjects])
    .orderBy('received_at', 'desc')
    .limit(limit)
    .execute();
}

/** An open request (not done, not refused) of this kind by this person: a new one repeats it. */
export async function selectOpenRequestOf(
  db: Db,
  subject: string,
  kind: RequestKind,
): Promise<PrivacyRequestsTable | undefined> {
  return db
    .selectFrom('privacy_requests')
    .selectAll()
    .where('subject', '=', subject)
    .where('kind', '=', kind)
    .where('state', 'not in', ['done', 'refused'])
    .where('duplicate_of', 'is', null)
    .orderBy('received_at')
    .executeTakeFirst();
}

export async function updateRequest(
  db: Db,
  id: string,
  set: Partial<Omit<PrivacyRequestsTable, 'id'>>,
  onlyInStates?: readonly RequestState[],
): Promise<number> {
  let q = db.updateTable('privacy_requests').set(set).where('id', '=', id);
  if (onlyInStates) q = q.where('state', 'in', [...onlyInStates]);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Requests the worker may run now: in progress, identity checked where asked, and not held by a live lease. */
export async function selectRunnableRequestIds(db: Db, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('privacy_requests')
    .select('id')
    .where('state', '=', 'in-progress')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .where((eb) => eb.or([eb('identity_check', '=', 0), eb('identity_checked_at', 'is not', null)]))
    .orderBy('received_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Takes the request for `owner` unless another live lease holds it or staff hold it for an identity check; true when
 * taken. Every way to run a request (the worker, at once in the web process) goes through here.
 */
export async function claimRequest(db: Db, id: string, owner: string, now: number, until: number): Promise<boolean> {
  const r = await db
    .updateTable('privacy_requests')
    .set({ lease_owner: owner, lease_until: until })
    .where('id', '=', id)
    .where('state', '=', 'in-progress')
    .where((eb) => eb.or([eb('identity_check', '=', 0), eb('identity_checked_at', 'is not', null)]))
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', owner)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** An account's address and whether it is confirmed; undefined when the account does not exist (any more). */
export async function selectAccountAddress(
  db: Db,
  userId: string,
): Promise<{ email: string; email_verified_at: number | null } | undefined> {
  return db.selectFrom('users').select(['email', 'email_verified_at']).where('id', '=', userId).executeTakeFirst();
}

export async function selectDoneSteps(db: Db, id: string): Promise<PrivacyRequestStepsTable[]> {
  return db.selectFrom('privacy_request_steps').selectAll().where('request_id', '=', id).execute();
}

export async function insertDoneStep(db: Db, row: PrivacyRequestStepsTable): Promise<void> {
  await db.insertInto('privacy_request_steps').values(row).execute();
}
