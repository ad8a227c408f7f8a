// The scheduler, its lease and its run records (no personal data). `src/features.ts` lists these in the manifest
// of the platform's jobs; the platform itself knows no manifest.
import { createLeases } from './migrations/001-leases.ts';
import { createJobRuns } from './migrations/002-job-runs.ts';

export { jobsDataMap, JOB_RUNS_DAYS } from './jobs.data-map.ts';
export { findLease, listRecentJobRuns, summariseJobRuns, findJobRunAt } from './jobs.queries.ts';
export type { JobOutcome, JobRunsTable, JobTables } from './jobs.tables.ts';
export {
  createScheduler,
  errorCode,
  JobAbortedError,
  LEADER_LEASE,
  LEASE_MS,
  type Job,
  type JobResult,
  type JobRun,
  type LeaderService,
  type Scheduler,
  type SchedulerContext,
  type SchedulerOptions,
} from './scheduler.ts';

export const jobsMigrations = [createLeases, createJobRuns];
