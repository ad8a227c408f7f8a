// Advertising for similar products to purchasers (§7(3) UWG), with objection in the account and in every mail.
import { defineFeature } from '../../feature.ts';
import { advertisingCustomerSection } from './advertising.customer.ts';
import { advertisingDataMap } from './advertising.data-map.ts';
import { registerAdvertisingRoutes } from './advertising.routes.ts';
import { noProductSuggestions } from './advertising.service.ts';
import { createObjections } from './migrations/001-objections.ts';
import { moveObjectionsToEngine } from './migrations/002-objections-to-engine.ts';

// No route sends these mails: the campaign pipeline of issue 13 (newsletter) will call this.
export { sendSimilarProductMails } from './advertising.service.ts';
export type { AdvertisingTables } from './advertising.tables.ts';

export const advertisingFeature = defineFeature({
  name: 'advertising',
  migrations: [createObjections, moveObjectionsToEngine],
  dataMap: advertisingDataMap,
  customerSections: advertisingCustomerSection,
  routes: registerAdvertisingRoutes,
  checkoutChoices: [noProductSuggestions],
  policyLinks: [
    {
      right: 'object-direct-marketing',
      href: '/account/advertising',
      label: { en: 'Product suggestions in your account', de: 'Produktvorschläge in Ihrem Konto' },
      activity: 'advertising.similar-products',
      before: { en: 'For product suggestions by email, use', de: 'Für Produktvorschläge per E-Mail nutzen Sie' },
      after: { en: 'or the link at the end of each such email.', de: 'oder den Link am Ende jeder solchen E-Mail.' },
    },
  ],
});
