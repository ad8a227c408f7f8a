// SQL of experiments, their assignments and the aggregates kept when one stops. State changes are guarded by the
// state they start from (a draft is edited, started or deleted; only a running experiment stops). Raw event tables
// are named by code from dates, never from input.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { assertSafeIdentifier } from '../../platform/db/dialect.ts';
import type { AnalyticsExperimentResultsTable, AnalyticsExperimentsTable } from './analytics.tables.ts';

type Db = Kysely<Database>;

export type ExperimentRow = AnalyticsExperimentsTable;

export async function listExperiments(db: Db): Promise<ExperimentRow[]> {
  return db.selectFrom('analytics_experiments').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
}

export async function findExperimentById(db: Db, id: string): Promise<ExperimentRow | undefined> {
  return db.selectFrom('analytics_experiments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findExperimentByKey(db: Db, key: string): Promise<ExperimentRow | undefined> {
  return db.selectFrom('analytics_experiments').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function listExperimentsInState(db: Db, state: string): Promise<ExperimentRow[]> {
  return db.selectFrom('analytics_experiments').selectAll().where('state', '=', state).execute();
}

export async function insertExperiment(db: Db, row: ExperimentRow): Promise<void> {
  await db.insertInto('analytics_experiments').values(row).execute();
}

export type ExperimentDetailsRow = Pick<
  ExperimentRow,
  'key' | 'name' | 'changes' | 'goal_kind' | 'goal_path' | 'variants'
>;

/** Changes a draft; false when it is no longer a draft (or gone). */
export async function updateDraftExperiment(db: Db, id: string, details: ExperimentDetailsRow): Promise<boolean> {
  const r = await db
    .updateTable('analytics_experiments')
    .set(details)
    .where('id', '=', id)
    .where('state', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markExperimentRunning(db: Db, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('analytics_experiments')
    .set({ state: 'running', started_at: at })
    .where('id', '=', id)
    .where('state', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markExperimentStopped(db: Db, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('analytics_experiments')
    .set({ state: 'stopped', stopped_at: at })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteDraftExperiment(db: Db, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('analytics_experiments')
    .where('id', '=', id)
    .where('state', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export interface VariantCount {
  variant: string;
  exposures: number;
  conversions: number;
}

/** Exposures and conversions per variant, from the raw assignments of a running experiment. */
export async function countAssignmentsByVariant(db: Db, experimentId: string): Promise<VariantCount[]> {
  const rows = await db
    .selectFrom('analytics_assignments')
    .select((eb) => [
      'variant',
      eb.fn.countAll<number | string>().as('exposures'),
      eb.fn.count<number | string>('converted_at').as('conversions'),
    ])
    .where('experiment_id', '=', experimentId)
    .groupBy('variant')
    .execute();
  return rows.map((r) => ({ variant: r.variant, exposures: Number(r.exposures), conversions: Number(r.conversions) }));
}

export async function listExperimentResults(db: Db, experimentId: string): Promise<VariantCount[]> {
  return db
    .selectFrom('analytics_experiment_results')
    .select(['variant', 'exposures', 'conversions'])
    .where('experiment_id', '=', experimentId)
    .execute();
}

export async function insertExperimentResults(db: Db, rows: AnalyticsExperimentResultsTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('analytics_experiment_results').values(rows).execute();
}

export async function deleteAssignments(db: Db, experimentId: string): Promise<number> {
  const r = await db.deleteFrom('analytics_assignments').where('experiment_id', '=', experimentId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Assignments that arrived after their experiment stopped (another process still held it as running). */
export async function deleteAssignmentsOfStopped(db: Db): Promise<number> {
  const r = await db
    .deleteFrom('analytics_assignments')
    .where('experiment_id', 'in', (eb) =>
      eb.selectFrom('analytics_experiments').select('id').where('state', '!=', 'running'),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export type GoalMatch = { kind: 'pageview'; path: string } | { kind: 'goal'; target: string };

/**
 * Sets `converted_at` to the first goal event at or after the assignment, in one raw event table, for the
 * experiment's assignments not yet converted. Running it again changes nothing (converted rows are left alone).
 * One pass over the day's events, each looked up in the assignments by primary key: the events table has no index
 * but its primary key, and a subquery per assignment would scan it once per assignment.
 */
export async function markConversionsFrom(
  db: Db,
  eventTable: string,
  experimentId: string,
  goal: GoalMatch,
): Promise<number> {
  const events = sql.table(assertSafeIdentifier(eventTable));
  const match =
    goal.kind === 'pageview'
      ? sql`e.kind = 'pageview' and e.path = ${goal.path}`
      : sql`e.kind = 'goal' and e.target = ${goal.target}`;
  const r = await sql`
    update analytics_assignments set converted_at = c.first_at
    from (
      select a.pseudonym as pseudonym, min(e.at) as first_at
      from ${events} e
      join analytics_assignments a on a.experiment_id = ${experimentId} and a.pseudonym = e.pseudonym
      where ${match} and e.pseudonym is not null and e.at >= a.assigned_at and a.converted_at is null
      group by a.pseudonym
    ) c
    where analytics_assignments.experiment_id = ${experimentId}
      and analytics_assignments.pseudonym = c.pseudonym
      and analytics_assignments.converted_at is null`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
