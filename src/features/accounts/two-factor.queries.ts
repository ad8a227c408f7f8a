// SQL of the second factor. Replay and double use are refused by conditional updates, so two requests with
// the same code (or recovery code) at once cannot both pass: only one update changes the row.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { TwoFactorChallengesTable, TwoFactorTable } from './two-factor.tables.ts';

type Db = Kysely<Database>;

export async function findTwoFactorByUserId(db: Db, userId: string): Promise<TwoFactorTable | undefined> {
  return db.selectFrom('two_factor').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** A fresh, unconfirmed secret replaces whatever unconfirmed one the account had. */
export async function replacePendingTwoFactor(db: Db, row: TwoFactorTable): Promise<boolean> {
  await db.deleteFrom('two_factor').where('user_id', '=', row.user_id).where('confirmed_at', 'is', null).execute();
  const existing = await findTwoFactorByUserId(db, row.user_id);
  if (existing) return false;
  await db.insertInto('two_factor').values(row).execute();
  return true;
}

/**
 * Takes a time step as the last accepted one, only if it is later than the last accepted one; `confirm` also turns
 * a pending enrolment on. True when this call took it.
 */
export async function claimTotpStep(db: Db, userId: string, step: number, confirmAt?: number): Promise<boolean> {
  let q = db
    .updateTable('two_factor')
    .set(
      confirmAt === undefined
        ? { last_step: step }
        : { last_step: step, confirmed_at: confirmAt, enrolling_session_id: null },
    )
    .where('user_id', '=', userId)
    .where('last_step', '<', step);
  q = confirmAt === undefined ? q.where('confirmed_at', 'is not', null) : q.where('confirmed_at', 'is', null);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteTwoFactorOfUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('two_factor').where('user_id', '=', userId).execute();
  await db.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute();
  await db.deleteFrom('two_factor_challenges').where('user_id', '=', userId).execute();
}

/** Ends every pending sign-in of the account (its password changed, it was deactivated, its factor reset). */
export async function deleteChallengesOfUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('two_factor_challenges').where('user_id', '=', userId).execute();
}

export async function replaceRecoveryCodes(db: Db, userId: string, hashes: string[], now: number): Promise<void> {
  await db.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('two_factor_recovery_codes')
    .values(hashes.map((code_hash) => ({ code_hash, user_id: userId, created_at: now, used_at: null })))
    .execute();
}

/** Marks an unused recovery code of the account used; true only for the one call that did. */
export async function consumeRecoveryCode(db: Db, userId: string, codeHash: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('two_factor_recovery_codes')
    .set({ used_at: now })
    .where('code_hash', '=', codeHash)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('two_factor_recovery_codes')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertChallenge(db: Db, row: TwoFactorChallengesTable): Promise<void> {
  await db.insertInto('two_factor_challenges').values(row).execute();
}

export async function findLiveChallenge(
  db: Db,
  tokenHash: string,
  now: number,
): Promise<TwoFactorChallengesTable | undefined> {
  return db
    .selectFrom('two_factor_challenges')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Ends a pending sign-in; true only for the one call that did (so one challenge starts one session). */
export async function deleteChallenge(db: Db, tokenHash: string): Promise<boolean> {
  const r = await db.deleteFrom('two_factor_challenges').where('token_hash', '=', tokenHash).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function markSessionSecondFactor(db: Db, sessionId: string, at: number): Promise<void> {
  await db.updateTable('sessions').set({ second_factor_at: at }).where('id', '=', sessionId).execute();
}

export async function clearSecondFactorOfSessions(db: Db, userId: string): Promise<void> {
  await db.updateTable('sessions').set({ second_factor_at: null }).where('user_id', '=', userId).execute();
}
