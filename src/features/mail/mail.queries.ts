// SQL of the outbox. Claiming a message is a conditional update, so two workers never send the same one.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { BusinessLettersTable, OutboxTable } from './mail.tables.ts';

type Db = Kysely<Database>;

export async function insertOutboxMessage(db: Db, row: OutboxTable): Promise<void> {
  await db.insertInto('outbox').values(row).execute();
}

export async function listDueOutboxIds(db: Db, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('outbox')
    .select('id')
    .where('sent_at', 'is', null)
    .where('failed_at', 'is', null)
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Takes the lease on one message; returns it only if this caller won the lease. */
export async function claimOutboxMessage(
  db: Db,
  id: string,
  now: number,
  leaseUntil: number,
): Promise<OutboxTable | undefined> {
  const result = await db
    .updateTable('outbox')
    .set((eb) => ({ locked_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('sent_at', 'is', null)
    .where('failed_at', 'is', null)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function markOutboxSent(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ sent_at: now, locked_until: null, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function markOutboxRetry(db: Db, id: string, nextAttemptAt: number, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ next_attempt_at: nextAttemptAt, locked_until: null, last_error: error })
    .where('id', '=', id)
    .execute();
}

export async function markOutboxFailed(db: Db, id: string, now: number, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ failed_at: now, locked_until: null, last_error: error })
    .where('id', '=', id)
    .execute();
}

export async function listRecentOutbox(db: Db, limit: number) {
  return db
    .selectFrom('outbox')
    .select(['id', 'recipient', 'subject', 'created_at', 'sent_at', 'failed_at', 'attempts'])
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function findOutboxMessage(db: Db, id: string) {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listExistingOutboxIds(db: Db, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('outbox')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}

export async function insertBusinessLetter(db: Db, row: BusinessLettersTable): Promise<void> {
  await db.insertInto('business_letters').values(row).execute();
}

/** The newest kept letters for the staff list; restricted ones only when `withRestricted` (the DPO). */
export async function listRecentBusinessLetters(db: Db, limit: number, withRestricted: boolean) {
  let q = db
    .selectFrom('business_letters')
    .select(['id', 'kind', 'ref', 'recipient', 'subject', 'created_at', 'restricted_at'])
    .orderBy('created_at', 'desc')
    .limit(limit);
  if (!withRestricted) q = q.where('restricted_at', 'is', null);
  return q.execute();
}

export async function findBusinessLetter(db: Db, id: string): Promise<BusinessLettersTable | undefined> {
  return db.selectFrom('business_letters').selectAll().where('id', '=', id).executeTakeFirst();
}
