// SQL of the scheduler: the leader lease (an insert-or-take-over that succeeds for one process at a time, and a
// renewal that succeeds only for the holder whose lease has not run out) and the record of job runs.
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../db/dialect.ts';
import type { JobOutcome, JobRunsTable, JobTables } from './jobs.tables.ts';

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

/**
 * Extends the lease only while `holder` still holds it unexpired: false once it ran out (even if nobody took it
 * meanwhile, another process may have led in between) or another process holds it. The heartbeat and the fence.
 */
export async function renewLease(db: Db, name: string, holder: string, now: number, until: number): Promise<boolean> {
  const renewed = await db
    .updateTable('job_leases')
    .set({ expires_at: until })
    .where('name', '=', name)
    .where('holder', '=', holder)
    .where('expires_at', '>=', now)
    .executeTakeFirst();
  return Number(renewed.numUpdatedRows) === 1;
}

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.deleteFrom('job_leases').where('name', '=', name).where('holder', '=', holder).execute();
}

export async function findLease(db: Db, name: string) {
  return db.selectFrom('job_leases').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function insertJobRun(db: Db, row: JobRunsTable): Promise<void> {
  await db.insertInto('job_runs').values(row).execute();
}

export async function finishJobRun(
  db: Db,
  id: string,
  end: { ended_at: number; outcome: JobOutcome; items: number | null; error: string | null },
): Promise<void> {
  await db.updateTable('job_runs').set(end).where('id', '=', id).execute();
}

/** The newest runs, of one job or all, newest first. */
export async function listRecentJobRuns(db: Db, limit: number, job?: string): Promise<JobRunsTable[]> {
  let q = db.selectFrom('job_runs').selectAll();
  if (job !== undefined) q = q.where('job', '=', job);
  return q.orderBy('started_at', 'desc').orderBy('id').limit(limit).execute();
}

/** Per job: its newest run's start, and the failed runs since `since` (one pass over the index by job). */
export async function summariseJobRuns(db: Db, since: number) {
  return db
    .selectFrom('job_runs')
    .select((eb) => [
      'job',
      eb.fn.max('started_at').as('last_started_at'),
      eb.fn
        .sum<number | string | null>(
          eb
            .case()
            .when(eb.and([eb('outcome', '=', 'failed'), eb('started_at', '>=', since)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('failures'),
      eb.fn.sum<number | string | null>(eb.case().when('started_at', '>=', since).then(1).else(0).end()).as('runs'),
    ])
    .groupBy('job')
    .execute();
}

/** The run of `job` that started at `startedAt` (the newest, found by summariseJobRuns). */
export async function findJobRunAt(db: Db, job: string, startedAt: number): Promise<JobRunsTable | undefined> {
  return db
    .selectFrom('job_runs')
    .selectAll()
    .where('job', '=', job)
    .where('started_at', '=', startedAt)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}
