// Software licences and activation (policy 6b).
import { defineFeature } from '../../feature.ts';
import { licenceCustomerSection } from './licences.customer.ts';
import { licencesDataMap } from './licences.data-map.ts';
import { registerLicenceRoutes } from './licences.routes.ts';
import { createLicences } from './migrations/001-licences.ts';
import { addMachineNames } from './migrations/002-machine-names.ts';
import { addLicenceRevocations } from './migrations/003-revocations.ts';

export { verifyActivationFile } from './licence-signing.ts';
export { copyKeysScript, keyBox, licenceDetails, licencesSection, type LicenceRow } from './licences.pages.ts';
export { issueLicences, licenceRows, licenceSigningPublicKey, revokeWithdrawnLines } from './licences.service.ts';
export { listLicencesOfOrder } from './licences.queries.ts';
export { maskedKeysNotice, maskKey } from './licences.mask.ts';

export const licencesFeature = defineFeature({
  name: 'licences',
  migrations: [createLicences, addMachineNames, addLicenceRevocations],
  dataMap: licencesDataMap,
  customerSections: licenceCustomerSection,
  routes: registerLicenceRoutes,
});
