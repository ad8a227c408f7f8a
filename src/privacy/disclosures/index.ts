// Disclosures to recipients (policy 8): the outbound gate, the log, the hand-off queue and its delivery job.
import { defineFeature } from '../../feature.ts';
import { disclosuresDataMap } from './disclosures.data-map.ts';
import { deliverHandoffsJob } from './disclosures.jobs.ts';
import { createDisclosureLog } from './migrations/001-log-and-handoffs.ts';
import { createAddressDisclosures } from './migrations/002-address-disclosures.ts';

export { disclose, deliverHandoffs, handoffDirectory } from './disclosures.service.ts';
export type { DisclosureTables } from './disclosures.tables.ts';
export {
  UndeclaredFieldError,
  passOutbound,
  sortFields,
  type OutboundCall,
  type Payload,
  type Person,
} from './outbound.ts';
export { gateCreditAgency, gateMailer, gatePaymentProvider } from './outbound.adapters.ts';

export const disclosuresFeature = defineFeature({
  name: 'disclosures',
  migrations: [createDisclosureLog, createAddressDisclosures],
  dataMap: disclosuresDataMap,
  jobs: [deliverHandoffsJob],
});
