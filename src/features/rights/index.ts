// Every data-subject right end to end (policy 9; issue 16): the privacy centre of a signed-in customer, requests
// without an account, the DPO console with deadlines, requests run as persisted steps by the worker, exports as
// ZIP files under the data map, and the end of a dormant account.
import { defineFeature } from '../../feature.ts';
import { createPrivacyRequests } from './migrations/001-requests.ts';
import { createPrivacyRequestLinks } from './migrations/002-request-links.ts';
import { createAuthorityDisclosures } from './migrations/003-authority-disclosures.ts';
import { createDormancyNotices } from './migrations/004-dormancy-notices.ts';
import { rightsDataMap } from './rights.data-map.ts';
import { runRequestsJob } from './rights.jobs.ts';
import { dormantAccountsJob } from './rights.dormancy.ts';
import { centrePolicyLinks, registerCentreRoutes } from './rights.centre.routes.ts';
import { registerExportRoutes } from './rights.export.routes.ts';
import { registerGuestRoutes } from './rights.guest.routes.ts';
import { registerStaffRoutes } from './rights.staff.routes.ts';
import { privacyFigures } from './rights.staff.service.ts';

export type { RightsTables } from './rights.tables.ts';
export { openRequest, type OpenRequest } from './rights.service.ts';

export const rightsFeature = defineFeature({
  name: 'rights',
  navigation: [
    {
      href: '/staff/privacy',
      label: { en: 'Privacy requests', de: 'Datenschutzanfragen' },
      place: 'console',
      for: 'staff',
      roles: ['dpo', 'admin'],
      order: 59,
    },
  ],
  routes: (app, deps) => {
    registerCentreRoutes(app, deps);
    registerGuestRoutes(app, deps);
    registerStaffRoutes(app, deps);
    registerExportRoutes(app, deps);
  },
  migrations: [createPrivacyRequests, createPrivacyRequestLinks, createAuthorityDisclosures, createDormancyNotices],
  consoleFigures: privacyFigures,
  jobs: [runRequestsJob, dormantAccountsJob],
  // The privacy centre is where a signed-in person reads everything held about them and takes a copy of it; the
  // request form is the way in without an account.
  policyLinks: [
    ...centrePolicyLinks,
    {
      right: 'request-without-account',
      href: '/privacy/request',
      label: { en: 'the request form', de: 'Anfrageformular' },
    },
  ],
  dataMap: (config) => rightsDataMap({ exportDays: config.retention.exportDays ?? 7 }),
});
