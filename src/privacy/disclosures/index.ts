// Disclosures to processors (policy 8): the gate, the log, the hand-off queue and its delivery job.
import { defineFeature } from '../../feature.ts';
import { disclosuresDataMap } from './disclosures.data-map.ts';
import { deliverHandoffsJob } from './disclosures.jobs.ts';
import { createDisclosureLog } from './migrations/001-log-and-handoffs.ts';

export { disclose, deliverHandoffs, handoffDirectory, stripToAllowed } from './disclosures.service.ts';
export type { DisclosureTables } from './disclosures.tables.ts';

export const disclosuresFeature = defineFeature({
  name: 'disclosures',
  migrations: [createDisclosureLog],
  dataMap: disclosuresDataMap,
  jobs: [deliverHandoffsJob],
});
