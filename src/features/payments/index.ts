// Payments: the PaymentProvider interface, the provider chosen by PAYMENT_PROVIDER, and the TEST provider with
// its hosted payment page, token endpoint and tables (all of them only while it is the active provider).
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { PaymentProviderId } from '../../platform/config.ts';
import { defineFeature } from '../../platform/feature.ts';
import { createTestProvider } from './migrations/001-test-provider.ts';
import { widenChargeAmount } from './migrations/002-money-bigint.ts';
import { addHostedPayment } from './migrations/003-hosted-payment.ts';
import { dropTestProvider } from './migrations/004-drop-test-provider.ts';
import { hashTestSecrets } from './migrations/005-hash-test-secrets.ts';
import type { PaymentProvider } from './payment-provider.ts';
import { paymentsDataMap } from './payments.data-map.ts';
import { registerPaymentRoutes } from './payments.routes.ts';
import { createTestPaymentProvider } from './test-provider.ts';

export type { CardDetails, ChargeLookup, ChargeResult, PaymentProvider } from './payment-provider.ts';
export { createTestPaymentProvider, type TestPaymentProvider } from './test-provider.ts';
export { testModeNotice } from './test-provider.pages.ts';
export type { PaymentTables } from './payments.tables.ts';

/** The provider PAYMENT_PROVIDER names (config.ts refuses any other value). */
export function createPaymentProvider(id: PaymentProviderId, db: Kysely<Database>, clock: Clock): PaymentProvider {
  switch (id) {
    case 'test':
      return createTestPaymentProvider(db, clock);
  }
}

export const paymentsFeature = defineFeature({
  name: 'payments',
  // The test provider's tables exist only while it is the active provider; under another they are dropped.
  configuredMigrations: (config) => (config.paymentProvider === 'test' ? [createTestProvider, widenChargeAmount, addHostedPayment, hashTestSecrets] : [dropTestProvider]),
  dataMap: (config) => paymentsDataMap(config.paymentProvider ?? 'test'),
  routes: registerPaymentRoutes,
});
