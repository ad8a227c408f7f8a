// The competitions' job: the automatic draw once a competition ended (which deletes the non-winning entries, but
// those kept by a restriction), and the sweep of non-winners left in drawn competitions. Idempotent.
import type { Job } from '../../feature.ts';
import { drawEndedCompetitions } from './competitions.service.ts';

export const drawEndedCompetitionsJob: Job<'db' | 'clock'> = {
  name: 'competitions.draw-ended',
  everyMs: 60_000,
  run: async (deps) => {
    await drawEndedCompetitions(deps);
  },
};
