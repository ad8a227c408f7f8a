// SQL of the outbox. Claiming messages leases them (skip-locked on PostgreSQL), so two workers never send the same one.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { dbKindOf } from '../../platform/db/dialect.ts';
import { containsIgnoringCase } from '../../platform/db/search.ts';
import type { BusinessLettersTable, OutboxTable } from './mail.tables.ts';

type Db = Kysely<Database>;

/** In statements of at most 500 rows (PostgreSQL takes at most 65,535 parameters in one). */
export async function insertOutboxMessages(db: Db, rows: OutboxTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('outbox')
      .values(rows.slice(i, i + 500))
      .execute();
}

/**
 * Due messages, transactional ones (no list) first and then the rest, each oldest first: a campaign of thousands of
 * due mails does not hold back a password reset or an order confirmation (two range scans, outbox_due_by_list).
 * With `lock` (PostgreSQL, inside the claiming transaction) the rows are locked `for update skip locked`: rows
 * another worker is claiming this moment are passed over, not waited for.
 */
export async function listDueOutboxIds(db: Db, now: number, limit: number, lock = false): Promise<string[]> {
  const due = (list: 'none' | 'some', n: number) => {
    let q = db
      .selectFrom('outbox')
      .select('id')
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .where('list', list === 'none' ? 'is' : 'is not', null)
      .orderBy('next_attempt_at')
      .limit(n);
    if (lock) q = q.forUpdate().skipLocked();
    return q.execute();
  };
  const first = (await due('none', limit)).map((r) => r.id);
  if (first.length === limit) return first;
  const rest = (await due('some', limit - first.length)).map((r) => r.id);
  return [...first, ...rest];
}

/**
 * Takes the lease on a batch of due messages and answers the rows this caller won; attempts count up here. Any
 * number of workers claim side by side. PostgreSQL: the ids are picked `for update skip locked` in the claiming
 * transaction, so concurrent claims take disjoint rows without waiting for each other. SQLite has one writer at a
 * time: the conditional update is the claim (a row another worker leased in between fails its conditions and is
 * not returned).
 */
export async function claimDueOutboxBatch(
  db: Db,
  now: number,
  leaseUntil: number,
  limit: number,
): Promise<OutboxTable[]> {
  const lock = dbKindOf(db) === 'postgres';
  const claim = async (trx: Db) => {
    const ids = await listDueOutboxIds(trx, now, limit, lock);
    if (ids.length === 0) return { ids, rows: [] };
    const rows = await trx
      .updateTable('outbox')
      .set((eb) => ({ locked_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', ids)
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .returningAll()
      .execute();
    return { ids, rows };
  };
  const { ids, rows } = lock && !db.isTransaction ? await db.transaction().execute(claim) : await claim(db);
  // In the order they fell due, as listed.
  const order = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

/** Gives a claimed message back untried (its lease would run out before it could be sent): the attempt is undone. */
export async function releaseOutboxLease(db: Db, id: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({ locked_until: null, attempts: eb('attempts', '-', 1) }))
    .where('id', '=', id)
    .where('sent_at', 'is', null)
    .execute();
}

export async function markOutboxSent(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ sent_at: now, locked_until: null, last_error: null })
    .where('id', '=', id)
    .execute();
}

/** A row paused while it was in flight stays paused: its retry waits for the resume. */
export async function markOutboxRetry(db: Db, id: string, nextAttemptAt: number, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({
      next_attempt_at: eb
        .case()
        .when('next_attempt_at', '>=', PAUSED_FROM)
        .then(eb.ref('next_attempt_at'))
        .else(nextAttemptAt)
        .end(),
      locked_until: null,
      last_error: error,
    }))
    .where('id', '=', id)
    .execute();
}

/**
 * A paused message waits at this time or later (9999-01-01): pausing moves its next attempt there, so no worker
 * finds it due, and resuming gives it a time again. The time is its only mark: no column, nothing to migrate.
 */
export const PAUSED_FROM = Date.UTC(9999, 0, 1);

/** Pauses these messages where they are still unsent (a campaign paused by staff); answers how many. */
export async function pauseOutboxRows(db: Db, ids: string[]): Promise<number> {
  let paused = 0;
  for (const chunk of chunks(ids)) {
    const result = await db
      .updateTable('outbox')
      .set({ next_attempt_at: PAUSED_FROM })
      .where('id', 'in', chunk)
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '<', PAUSED_FROM)
      .executeTakeFirst();
    paused += Number(result.numUpdatedRows);
  }
  return paused;
}

/**
 * Resumes these messages where they are paused: the i-th of them (in the order given, paused ones only) falls due
 * at `startAt + i * spacingMs`, so a throttled campaign keeps its rate. Answers how many.
 */
export async function resumeOutboxRows(db: Db, ids: string[], startAt: number, spacingMs: number): Promise<number> {
  const paused = new Set<string>();
  for (const chunk of chunks(ids)) {
    const rows = await db
      .selectFrom('outbox')
      .select('id')
      .where('id', 'in', chunk)
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '>=', PAUSED_FROM)
      .execute();
    for (const r of rows) paused.add(r.id);
  }
  const order = ids.filter((id) => paused.has(id));
  let resumed = 0;
  for (let i = 0; i < order.length; i += 200) {
    const chunk = order.slice(i, i + 200);
    const result = await db
      .updateTable('outbox')
      .set((eb) => {
        let times = eb
          .case()
          .when('id', '=', chunk[0]!)
          .then(startAt + i * spacingMs);
        chunk.slice(1).forEach((id, j) => {
          times = times.when('id', '=', id).then(startAt + (i + j + 1) * spacingMs);
        });
        return { next_attempt_at: times.else(eb.ref('next_attempt_at')).end() };
      })
      .where('id', 'in', chunk)
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '>=', PAUSED_FROM)
      .executeTakeFirst();
    resumed += Number(result.numUpdatedRows);
  }
  return resumed;
}

/** What delivery did with each of these messages (absent: no such row, e.g. removed by retention). */
export async function listOutboxDeliveryRows(db: Db, ids: string[]) {
  const rows: { id: string; sent_at: number | null; failed_at: number | null; last_error: string | null }[] = [];
  for (const chunk of chunks(ids))
    rows.push(
      ...(await db
        .selectFrom('outbox')
        .select(['id', 'sent_at', 'failed_at', 'last_error'])
        .where('id', 'in', chunk)
        .execute()),
    );
  return rows;
}

function chunks<T>(items: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function markOutboxFailed(db: Db, id: string, now: number, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ failed_at: now, locked_until: null, last_error: error })
    .where('id', '=', id)
    .execute();
}

/**
 * Where a mail stands: waiting for its first try, waiting to be tried again, delivered, given up, refused for good
 * by the receiving server (`bounced <code>`), or not sent since its address is on the suppression list.
 */
export type OutboxState = 'queued' | 'retrying' | 'sent' | 'failed' | 'bounced' | 'suppressed';

/** The last_error of a marketing mail delivery dropped (its address is suppressed for its list). */
export const SUPPRESSED_ERROR = 'suppressed';
/** The start of the last_error of a mail the receiving server refused for good: `bounced 550`. */
export const BOUNCED_ERROR = 'bounced';

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
    .select([
      'id',
      'recipient',
      'subject',
      'template',
      'list',
      'created_at',
      'sent_at',
      'failed_at',
      'attempts',
      'last_error',
    ]);
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
      q = q
        .where('failed_at', 'is not', null)
        .where((eb) =>
          eb.or([
            eb('last_error', 'is', null),
            eb.and([eb('last_error', '<>', SUPPRESSED_ERROR), eb('last_error', 'not like', `${BOUNCED_ERROR} %`)]),
          ]),
        );
      break;
    case 'suppressed':
      q = q.where('failed_at', 'is not', null).where('last_error', '=', SUPPRESSED_ERROR);
      break;
    case 'bounced':
      q = q.where('failed_at', 'is not', null).where('last_error', 'like', `${BOUNCED_ERROR} %`);
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
