// The analytics jobs of the worker: rolling raw events up into the daily and hourly aggregates, and keeping the
// exclusion list in step with the objections and restrictions recorded in the privacy engine. Both idempotent.
import type { Job } from '../../feature.ts';
import { ACTIVITY } from './analytics.model.ts';
import { excludePseudonyms } from './analytics.exclusions.ts';
import { rollUpDueDays } from './analytics.rollup.ts';
import { deleteExclusions, listExclusions } from './analytics.queries.ts';
import { listPersonsRefusing } from './analytics.rollup.queries.ts';
import { pseudonymOf } from './analytics.visitor.ts';
import type { Deps } from '../../deps.ts';

export const rollUpDaysJob: Job<'db' | 'clock' | 'config' | 'log'> = {
  name: 'analytics.roll-up-days',
  everyMs: 5 * 60_000,
  run: async (deps) => {
    const started = Date.now();
    const outcomes = await rollUpDueDays(deps);
    deps.log.debug({ days: outcomes.length, ms: Date.now() - started }, 'analytics days rolled up');
  },
};

/**
 * Excludes the account pseudonyms of persons who objected to or restricted counting or the returning-visitor
 * pseudonym. Renews each exclusion's `added_at` on every run, so it outlives the raw events while the objection
 * lasts (retention deletes exclusions after the raw days).
 */
export async function syncExclusions(deps: Pick<Deps, 'db' | 'clock' | 'config'>): Promise<number> {
  const now = deps.clock.now();
  const persons = await listPersonsRefusing(deps.db, [ACTIVITY.counting, ACTIVITY.returning], now);
  for (const reason of ['objection', 'restriction']) {
    const pseudonyms = persons
      .filter((p) => p.kind === reason)
      .map((p) => pseudonymOf(deps.config.analyticsKey, 'account', p.userId));
    await excludePseudonyms(deps.db, pseudonyms, reason, now);
    // A restriction that ended or was lifted: the person is counted again (only this job excludes for 'restriction').
    if (reason === 'restriction') {
      const standing = new Set(pseudonyms);
      const ended = (await listExclusions(deps.db))
        .filter((e) => e.reason === 'restriction' && !standing.has(e.pseudonym))
        .map((e) => e.pseudonym);
      if (ended.length > 0) await deleteExclusions(deps.db, ended, 'restriction');
    }
  }
  return persons.length;
}

export const syncExclusionsJob: Job<'db' | 'clock' | 'config'> = {
  name: 'analytics.sync-exclusions',
  everyMs: 60 * 60_000,
  run: async (deps) => {
    await syncExclusions(deps);
  },
};

export const analyticsJobs: Job[] = [rollUpDaysJob, syncExclusionsJob];
