// Support's scheduled work: solved tickets close themselves after 7 days without an answer.
import type { Job } from '../../feature.ts';
import { closeSolvedTickets } from './support.service.ts';

export const closeSolvedJob: Job<'db' | 'clock' | 'config' | 'log'> = {
  name: 'support.close-solved',
  everyMs: 10 * 60_000,
  run: async (deps) => {
    const closed = await closeSolvedTickets(deps);
    if (closed > 0) deps.log.info({ closed }, 'solved support tickets closed after 7 days without an answer');
  },
};
