// Consent as a feature: the ledger tables, their data map, the enforcement hooks, the
// banner and /consent. The registry itself is built in deps (deps.consent) from the operator's configuration.
import { defineFeature } from '../../feature.ts';
import { consentCustomerSection } from './consent.customer.ts';
import { consentDataMap } from './consent.data-map.ts';
import { createConsentLedger } from './migrations/001-consent.ts';
import { consentPlugin } from './consent.plugin.ts';
import { registerConsentRoutes } from './consent.routes.ts';

export { verifyConsentChain } from './ledger.ts';

export const consentFeature = defineFeature({
  name: 'consent',
  navigation: [
    {
      href: '/cookies',
      label: { en: 'Cookie settings', de: 'Cookie-Einstellungen' },
      place: 'legal',
      for: 'everyone',
      order: 30,
    },
  ],
  migrations: [createConsentLedger],
  plugins: [consentPlugin],
  routes: registerConsentRoutes,
  dataMap: consentDataMap,
  customerSections: consentCustomerSection,
  policyLinks: [
    { right: 'cookie-settings', href: '/cookies', label: { en: 'cookie settings', de: 'Cookie-Einstellungen' } },
  ],
});
