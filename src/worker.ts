// buildWorker(deps): the scheduler with every feature's jobs. Any number of `candor worker` processes may run:
// scheduled jobs (retention, ...) run in the one holding the scheduler lease, `everyWorker` jobs (outbox delivery,
// campaign building) in all of them, each claiming its own rows (platform/jobs/scheduler.ts).
import type { Deps } from './deps.ts';
import { features } from './features.ts';
import { createScheduler, type Scheduler } from './platform/jobs/index.ts';

export function buildWorker(deps: Deps): Scheduler {
  return createScheduler(
    deps,
    features.flatMap((f) => f.jobs ?? []),
    deps,
    features.flatMap((f) => f.leaderServices ?? []),
  );
}
