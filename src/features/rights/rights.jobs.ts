// The worker's part: running the requests that are due (a crashed run's expired lease is taken over here).
import type { Job } from '../../feature.ts';
import { runDueRequests } from './rights.engine.ts';
import { runnerOf } from './rights.steps.ts';

export const runRequestsJob: Job = {
  name: 'rights.run-requests',
  everyMs: 10_000,
  run: async (deps) => {
    const finished = await runDueRequests(runnerOf(deps));
    if (finished > 0) deps.log.info({ finished }, 'data-subject requests finished');
  },
};
