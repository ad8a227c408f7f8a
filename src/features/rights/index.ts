// Every data-subject right end to end (policy 9; issue 16): the privacy centre of a signed-in customer, requests
// without an account, the DPO console with deadlines, requests run as persisted steps by the worker, exports as
// ZIP files under the data map, and the end of a dormant account.
import { defineFeature } from '../../feature.ts';
import { createPrivacyRequests } from './migrations/001-requests.ts';
import { rightsDataMap } from './rights.data-map.ts';
import { runRequestsJob } from './rights.jobs.ts';
import { registerCentreRoutes } from './rights.centre.routes.ts';
import { registerExportRoutes } from './rights.export.routes.ts';
import { registerGuestRoutes } from './rights.guest.routes.ts';
import { registerStaffRoutes } from './rights.staff.routes.ts';

export type { RightsTables } from './rights.tables.ts';
export { openRequest, type OpenRequest } from './rights.service.ts';

export const rightsFeature = defineFeature({
  name: 'rights',
  navigation: [],
  routes: (app, deps) => {
    registerCentreRoutes(app, deps);
    registerGuestRoutes(app, deps);
    registerStaffRoutes(app, deps);
    registerExportRoutes(app, deps);
  },
  migrations: [createPrivacyRequests],
  jobs: [runRequestsJob],
  dataMap: (config) => rightsDataMap({ exportDays: config.retention.exportDays ?? 7 }),
});
