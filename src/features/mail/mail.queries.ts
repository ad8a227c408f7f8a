// SQL of the outbox. Claiming a message is a conditional update, so two workers never send the same one.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { containsIgnoringCase } from '../../platform/db/search.ts';
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

/** Where a mail stands: waiting for its first try, waiting to be tried again, delivered, or given up. */
export type OutboxState = 'queued' | 'retrying' | 'sent' | 'failed';

export interface OutboxSearch {
  /** Part of the recipient's address or of the subject (any case). */
  text?: string;
  state?: OutboxState;
  template?: string;
  /** The last row of the page before (keyset: newest first, by creation time then id). */
  after?: { createdAt: number; id: string };
  limit: number;
}

/** One page of the outbox for the mail console, newest first; `limit + 1` rows so the caller sees whether more follow. */
export async function searchOutbox(db: Db, s: OutboxSearch) {
  let q = db
    .selectFrom('outbox')
    .select(['id', 'recipient', 'subject', 'template', 'created_at', 'sent_at', 'failed_at', 'attempts', 'last_error']);
  if (s.text) {
    const text = s.text;
    q = q.where((eb) =>
      eb.or([containsIgnoringCase(db, eb.ref('recipient'), text), containsIgnoringCase(db, eb.ref('subject'), text)]),
    );
  }
  if (s.template) q = q.where('template', '=', s.template);
  switch (s.state) {
    case 'sent':
      q = q.where('sent_at', 'is not', null);
      break;
    case 'failed':
      q = q.where('failed_at', 'is not', null);
      break;
    case 'queued':
    case 'retrying':
      q = q
        .where('sent_at', 'is', null)
        .where('failed_at', 'is', null)
        .where('last_error', s.state === 'queued' ? 'is' : 'is not', null);
      break;
  }
  const after = s.after;
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    );
  return q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(s.limit + 1)
    .execute();
}

/** The template names the outbox holds, for the console's filter. */
export async function listOutboxTemplates(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('outbox')
    .select('template')
    .distinct()
    .where('template', 'is not', null)
    .orderBy('template')
    .execute();
  return rows.map((r) => r.template as string);
}

/**
 * Puts a mail that failed for good back in the queue as if new (attempts from zero); only a failed one, so two
 * staff members pressing "send again" queue it once. The stored text is unchanged: its secret links keep their
 * tokens' own expiry.
 */
export async function requeueFailedOutboxMessage(db: Db, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ attempts: 0, failed_at: null, last_error: null, locked_until: null, next_attempt_at: now })
    .where('id', '=', id)
    .where('failed_at', 'is not', null)
    .where('sent_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
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

/**
 * The kept letters for the staff list, newest first (then by id); restricted ones only when `withRestricted` (the
 * DPO). `after` is the last row of the page before (keyset); asks for `limit` rows: pass one more than a page.
 */
export async function listRecentBusinessLetters(
  db: Db,
  limit: number,
  withRestricted: boolean,
  after?: { createdAt: number; id: string },
) {
  let q = db
    .selectFrom('business_letters')
    .select(['id', 'kind', 'ref', 'recipient', 'subject', 'created_at', 'restricted_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
  if (!withRestricted) q = q.where('restricted_at', 'is', null);
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    );
  return q.execute();
}

export async function findBusinessLetter(db: Db, id: string): Promise<BusinessLettersTable | undefined> {
  return db.selectFrom('business_letters').selectAll().where('id', '=', id).executeTakeFirst();
}
