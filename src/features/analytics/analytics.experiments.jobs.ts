// The experiments' job: marks assignments converted when their pseudonym reached the goal at or after assignment,
// from yesterday's and today's raw event tables (idempotent: a converted assignment is left alone), and removes
// assignments that arrived after their experiment stopped (another process still held it as running).
import type { Deps } from '../../deps.ts';
import type { Job } from '../../feature.ts';
import { DAY } from '../../platform/clock.ts';
import { listTables } from '../../platform/db/dialect.ts';
import { partitionName } from '../../privacy/data-map.ts';
import { ANALYTICS_EVENTS } from './analytics.data-map.ts';
import {
  deleteAssignmentsOfStopped,
  listExperimentsInState,
  markConversionsFrom,
  type GoalMatch,
} from './analytics.experiments.queries.ts';

export async function markConversions(deps: Pick<Deps, 'db' | 'dbKind' | 'clock'>): Promise<number> {
  const now = deps.clock.now();
  const tables = new Set(await listTables(deps.db, deps.dbKind));
  // Yesterday first: an assignment converted on both days keeps its first conversion.
  const eventTables = [partitionName(ANALYTICS_EVENTS, now - DAY), partitionName(ANALYTICS_EVENTS, now)].filter((t) =>
    tables.has(t),
  );
  let marked = 0;
  for (const experiment of await listExperimentsInState(deps.db, 'running')) {
    const goal: GoalMatch | null =
      experiment.goal_kind === 'pageview'
        ? experiment.goal_path
          ? { kind: 'pageview', path: experiment.goal_path }
          : null
        : { kind: 'goal', target: experiment.goal_kind };
    if (!goal) continue;
    for (const table of eventTables) marked += await markConversionsFrom(deps.db, table, experiment.id, goal);
  }
  await deleteAssignmentsOfStopped(deps.db);
  return marked;
}

export const markConversionsJob: Job<'db' | 'dbKind' | 'clock' | 'log'> = {
  name: 'analytics.mark-conversions',
  everyMs: 5 * 60_000,
  run: async (deps) => {
    const marked = await markConversions(deps);
    if (marked > 0) deps.log.info({ marked }, 'experiment conversions marked');
  },
};

export const experimentJobs: Job[] = [markConversionsJob];
