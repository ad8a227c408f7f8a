// Contact and support (policy 4a, 4b; issue 14): the contact form and inbound mail open tickets, registered customers
// use the helpdesk in their account with a saved system profile, staff answer in the console, repairs of registered
// hardware, all under the data map (support.data-map.ts).
import { defineFeature } from '../../feature.ts';
import { createSupport } from './migrations/001-support.ts';
import { createSupportSearch } from './migrations/002-search.ts';
import { supportDataMap } from './support.data-map.ts';
import { closeSolvedJob } from './support.jobs.ts';
import { registerSupportAccountRoutes } from './support.account.routes.ts';
import { registerSupportApiRoutes } from './support.api.routes.ts';
import { registerSupportContactRoutes } from './support.contact.routes.ts';
import { registerRepairRoutes } from './support.repairs.routes.ts';
import { seedSupport } from './support.seed.ts';
import { supportConsoleFigures, supportCustomerSection } from './support.staff.console.ts';
import { registerSupportStaffRoutes } from './support.staff.routes.ts';
import { inboundSmtpService } from './support.inbound-smtp.ts';
import { readInboxJob } from './support.inbox.ts';

export type { SupportTables } from './support.tables.ts';
export { repairSummary, type RepairSummary } from './support.repairs.ts';

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
    {
      href: '/contact',
      label: { en: 'Contact form', de: 'Kontaktformular' },
      place: 'legal',
      for: 'everyone',
      order: 61,
    },
  ],
  routes: async (app, deps) => {
    registerRepairRoutes(app, deps);
    registerSupportStaffRoutes(app, deps);
    registerSupportContactRoutes(app, deps);
    registerSupportApiRoutes(app, deps);
    await registerSupportAccountRoutes(app, deps);
  },
  migrations: [createSupport, createSupportSearch],
  jobs: [readInboxJob, closeSolvedJob],
  leaderServices: [inboundSmtpService],
  seed: seedSupport,
  customerSections: supportCustomerSection,
  consoleFigures: supportConsoleFigures,
  dataMap: (config) =>
    supportDataMap({
      ticketDays: config.retention.supportTicketDays ?? 730,
      repairAddressDays: config.retention.repairAddressDays ?? 30,
      letterYears: config.retention.letterYears ?? 6,
    }),
});
