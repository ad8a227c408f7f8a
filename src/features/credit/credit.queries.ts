// SQL of credit checks.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { CreditChecksTable } from './credit.tables.ts';

export async function insertCreditCheck(db: Kysely<Database>, row: CreditChecksTable): Promise<void> {
  await db.insertInto('credit_checks').values(row).execute();
}

/** Checks made for this customer since `since` (the daily limit). */
export async function countCreditChecksSince(db: Kysely<Database>, userId: string, since: number): Promise<number> {
  const r = await db.selectFrom('credit_checks').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('requested_at', '>=', since).executeTakeFirstOrThrow();
  return Number(r.n);
}
