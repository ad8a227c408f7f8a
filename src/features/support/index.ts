// Contact and support (policy 4a, 4b; issue 14): the contact form and inbound mail open tickets, registered customers
// use the helpdesk in their account with a saved system profile, staff answer in the console, repairs of registered
// hardware, all under the data map (support.data-map.ts).
import { defineFeature } from '../../feature.ts';
import { createSupport } from './migrations/001-support.ts';
import { supportDataMap } from './support.data-map.ts';
import { closeSolvedJob } from './support.jobs.ts';

export type { SupportTables } from './support.tables.ts';

export const supportFeature = defineFeature({
  name: 'support',
  navigation: [
    {
      href: '/staff/support',
      label: { en: 'Support', de: 'Support' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'admin'],
      order: 45,
    },
  ],
  migrations: [createSupport],
  jobs: [closeSolvedJob],
  dataMap: (config) =>
    supportDataMap({
      ticketDays: config.retention.supportTicketDays ?? 730,
      repairAddressDays: config.retention.repairAddressDays ?? 30,
      letterYears: config.retention.letterYears ?? 6,
    }),
});
