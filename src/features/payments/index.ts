// Payments: the provider chosen by PAYMENT_PROVIDER (the interface is the shop's, src/shop/payment-provider.ts),
// and the TEST provider with its hosted payment page, token endpoint and tables (only while it is the active one).
import { defineFeature } from '../../feature.ts';
import { createTestProvider } from './migrations/001-test-provider.ts';
import { widenChargeAmount } from './migrations/002-money-bigint.ts';
import { addHostedPayment } from './migrations/003-hosted-payment.ts';
import { dropTestProvider } from './migrations/004-drop-test-provider.ts';
import { hashTestSecrets } from './migrations/005-hash-test-secrets.ts';
import { addTestRefunds } from './migrations/006-test-refunds.ts';
import { paymentsDataMap } from './payments.data-map.ts';
import { registerPaymentRoutes } from './payments.routes.ts';

export type { CardDetails, ChargeLookup, ChargeResult, PaymentProvider } from '../../shop/payment-provider.ts';
export { createPaymentProvider, paymentProviderCompany } from './payments.service.ts';
export { createTestPaymentProvider, type TestPaymentProvider } from './test-provider.ts';
export { testModeNotice } from './test-provider.pages.ts';
export type { PaymentTables } from './payments.tables.ts';

export const paymentsFeature = defineFeature({
  name: 'payments',
  // The test provider's tables exist only while it is the active provider; under another they are dropped.
  configuredMigrations: (config) =>
    config.paymentProvider === 'test'
      ? [createTestProvider, widenChargeAmount, addHostedPayment, hashTestSecrets, addTestRefunds]
      : [dropTestProvider],
  dataMap: (config) => paymentsDataMap(config.paymentProvider ?? 'test'),
  routes: registerPaymentRoutes,
});
