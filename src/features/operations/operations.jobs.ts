// The staff page of the jobs' runs (issue 17, point 2), admin only: read from job_runs and the scheduler's lease,
// which every worker writes (platform/jobs). No personal data on it.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { HOUR } from '../../platform/clock.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import {
  findJobRunAt,
  findLease,
  LEADER_LEASE,
  listRecentJobRuns,
  summariseJobRuns,
} from '../../platform/jobs/index.ts';
import { pageContext, sendPage } from '../../web/index.ts';
import { jobRunsPage, type JobRunsModel, type JobSummary } from './operations.jobs.pages.ts';
import { JOB_RUNS_PATH } from './operations.pages.ts';

const RECENT = 100;
const JobRunsQuery = Type.Object({
  /** Only this job's runs in the list (job names are `<feature>.<verb>-<noun>`). */
  job: Type.Optional(Type.String({ pattern: '^([a-z][a-z0-9-]*(\\.[a-z0-9-]+)*)?$', maxLength: 100 })),
});

export async function loadJobRuns(deps: Pick<Deps, 'db' | 'clock'>, job?: string): Promise<JobRunsModel> {
  const db = deps.db;
  const now = deps.clock.now();
  const lease = await findLease(db, LEADER_LEASE);
  const jobs: JobSummary[] = [];
  for (const s of await summariseJobRuns(db, now - 24 * HOUR)) {
    const last = await findJobRunAt(db, s.job, Number(s.last_started_at));
    if (last) jobs.push({ job: s.job, last, runs24h: Number(s.runs ?? 0), failures24h: Number(s.failures ?? 0) });
  }
  jobs.sort((a, b) => a.job.localeCompare(b.job));
  return {
    now,
    leader: lease && lease.expires_at >= now ? { holder: lease.holder, expiresAt: lease.expires_at } : null,
    jobs,
    recent: await listRecentJobRuns(db, RECENT, job),
    job,
  };
}

export function registerJobRunPages(app: App, deps: Deps): void {
  app.get(JOB_RUNS_PATH, { schema: { querystring: JobRunsQuery } }, async (request, reply) => {
    requireRole(request.viewer, ['admin']);
    const model = await loadJobRuns(deps, request.query.job || undefined);
    return sendPage(reply, jobRunsPage(pageContext(request), model));
  });
}
