// The competitions' jobs: the automatic draw once a competition ended (which deletes the non-winning entries),
// and the removal of entries of account holders who objected or had the activity restricted. Both idempotent.
import type { Job } from '../../feature.ts';
import { deleteObjectedEntries, drawEndedCompetitions } from './competitions.service.ts';

export const drawEndedCompetitionsJob: Job<'db' | 'clock'> = {
  name: 'competitions.draw-ended',
  everyMs: 60_000,
  run: async (deps) => {
    await drawEndedCompetitions(deps);
  },
};

export const deleteObjectedEntriesJob: Job<'db' | 'dataMap'> = {
  name: 'competitions.delete-objected-entries',
  everyMs: 10 * 60_000,
  run: async (deps) => {
    await deleteObjectedEntries(deps);
  },
};
