// The scheduler and its lease table (no personal data). `src/features.ts` lists these in the manifest of
// the platform's jobs; the platform itself knows no manifest.
import { createLeases } from './migrations/001-leases.ts';

export { jobsDataMap } from './jobs.data-map.ts';
export { createScheduler, type Job, type LeaderService, type Scheduler, type SchedulerContext } from './scheduler.ts';

export const jobsMigrations = [createLeases];
