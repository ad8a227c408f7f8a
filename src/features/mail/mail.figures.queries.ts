// SQL of the staff home's mail figure.
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
