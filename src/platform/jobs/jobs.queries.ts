// SQL of the scheduler's leader lease: an insert-or-take-over that succeeds for one process at a time.
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../db/dialect.ts';
import type { JobTables } from './jobs.tables.ts';

type Db = Kysely<JobTables>;

/** True when `holder` now holds the lease (newly taken, renewed, or taken over after expiry). */
export async function acquireLease(db: Db, name: string, holder: string, now: number, until: number): Promise<boolean> {
  const taken = await db
    .updateTable('job_leases')
    .set({ holder, expires_at: until })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<', now)]))
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 1) return true;
  try {
    await db.insertInto('job_leases').values({ name, holder, expires_at: until }).execute();
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.deleteFrom('job_leases').where('name', '=', name).where('holder', '=', holder).execute();
}
