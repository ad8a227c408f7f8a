// buildWorker(deps): the scheduler with every feature's jobs (outbox delivery, retention, ...).
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
