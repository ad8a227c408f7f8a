// Legal texts: the operator's terms, withdrawal policy (with the model form), shipping and payment, and contact,
// versioned and edited by staff at /staff/legal. Orders record the versions accepted at checkout and send their
// texts with the order confirmation (the durable medium).
import { defineFeature } from '../../feature.ts';
import { legalDataMap } from './legal.data-map.ts';
import { registerLegalRoutes } from './legal.routes.ts';
import { seedLegalTexts } from './legal.seed.ts';
import { createLegalTexts } from './migrations/001-legal-texts.ts';

export type { LegalTables, LegalDoc } from './legal.tables.ts';
export {
  checkoutConsentProblems,
  DIGITAL_CONSENT_TEXT,
  isDigitalKind,
  LEGAL_NAMES,
  LEGAL_PATHS,
  legalTextsForOrder,
  legalVersionsToRecord,
  requireLegalTextsForOrders,
  type CheckoutConsents,
} from './legal.service.ts';

export const legalFeature = defineFeature({
  name: 'legal',
  navigation: [
    { href: '/legal/terms', label: { en: 'Terms', de: 'AGB' }, place: 'legal', for: 'everyone', order: 21 },
    {
      href: '/legal/withdrawal',
      label: { en: 'Right of withdrawal', de: 'Widerrufsbelehrung' },
      place: 'legal',
      for: 'everyone',
      order: 22,
    },
    {
      href: '/legal/shipping-and-payment',
      label: { en: 'Shipping and payment', de: 'Versand und Zahlung' },
      place: 'legal',
      for: 'everyone',
      order: 23,
    },
    { href: '/legal/contact', label: { en: 'Contact', de: 'Kontakt' }, place: 'legal', for: 'everyone', order: 24 },
    {
      href: '/staff/legal',
      label: { en: 'Legal texts', de: 'Rechtstexte' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'admin'],

      order: 55,
    },
  ],
  migrations: [createLegalTexts],
  dataMap: legalDataMap,
  routes: registerLegalRoutes,
  seed: seedLegalTexts,
});
