// Software licences and activation (policy 6b).
import { defineFeature } from '../../feature.ts';
import { licencesDataMap } from './licences.data-map.ts';
import { registerLicenceRoutes } from './licences.routes.ts';
import { createLicences } from './migrations/001-licences.ts';

export { verifyActivationFile } from './licence-signing.ts';
export { licencesSection } from './licences.pages.ts';
export { issueLicences, licenceRows } from './licences.service.ts';
export { listLicencesOfOrder } from './licences.queries.ts';

export const licencesFeature = defineFeature({
  name: 'licences',
  migrations: [createLicences],
  dataMap: licencesDataMap,
  routes: registerLicenceRoutes,
});
