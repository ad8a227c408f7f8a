// SQL of credit checks.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { CreditCheckLimitsTable, CreditChecksTable } from './credit.tables.ts';

export async function insertCreditCheck(db: Kysely<Database>, row: CreditChecksTable): Promise<void> {
  await db.insertInto('credit_checks').values(row).execute();
}

/**
 * Takes one check from the key's allowance in a single statement (no check-then-act race): a new key starts a
 * window; a window older than `windowMs` starts again; otherwise `used` grows while it is below `limit`.
 * False when the allowance is used up.
 */
export async function reserveCreditCheckSlot(
  db: Kysely<Database>,
  keyHash: string,
  now: number,
  windowMs: number,
  limit: number,
): Promise<boolean> {
  const expired = now - windowMs;
  const r = await db
    .insertInto('credit_check_limits')
    .values({ key_hash: keyHash, window_start: now, used: 1 })
    .onConflict((oc) =>
      oc
        .column('key_hash')
        .doUpdateSet({
          used: sql<number>`case when credit_check_limits.window_start <= ${expired} then 1 else credit_check_limits.used + 1 end`,
          window_start: sql<number>`case when credit_check_limits.window_start <= ${expired} then ${now} else credit_check_limits.window_start end`,
        })
        .where((eb) =>
          eb.or([eb('credit_check_limits.window_start', '<=', expired), eb('credit_check_limits.used', '<', limit)]),
        ),
    )
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows) === 1;
}

export async function findCreditCheckLimit(
  db: Kysely<Database>,
  keyHash: string,
): Promise<CreditCheckLimitsTable | undefined> {
  return db.selectFrom('credit_check_limits').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}
