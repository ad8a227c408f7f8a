// The disclosures' job: handing over what a recipient is due (the hand-off files), once each.
import type { Job } from '../../feature.ts';
import { deliverHandoffs } from './disclosures.service.ts';

export const deliverHandoffsJob: Job<'db' | 'clock' | 'config'> = {
  name: 'disclosures.deliver-handoffs',
  everyMs: 5000,
  run: async (deps) => void (await deliverHandoffs(deps)),
};
