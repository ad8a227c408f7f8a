// SQL of the staff home's mail figure and of the outbox backlog the operations figures show.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';

/** Outbox messages whose delivery failed for good. */
export async function countFailedMail(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('failed_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The outbox's backlog for the operations figures: messages waiting (unsent, not failed for good; paused campaign
 * mail included) and the due time of the oldest one that is due now (null when none is due).
 */
export async function findOutboxBacklog(
  db: Kysely<Database>,
  now: number,
): Promise<{ waiting: number; oldestDueAt: number | null }> {
  const [waiting, due] = await Promise.all([
    db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('outbox')
      .select((eb) => eb.fn.min<number | null>('next_attempt_at').as('at'))
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .executeTakeFirstOrThrow(),
  ]);
  return { waiting: Number(waiting.n), oldestDueAt: due.at === null ? null : Number(due.at) };
}
