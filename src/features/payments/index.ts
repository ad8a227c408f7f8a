// Payments: the PaymentProvider interface and the test provider (card and wallet) with its token endpoint.
import { defineFeature } from '../../platform/feature.ts';
import { createTestProvider } from './migrations/001-test-provider.ts';
import { paymentsDataMap } from './payments.data-map.ts';
import { registerPaymentRoutes } from './payments.routes.ts';

export { createTestPaymentProvider, type CardDetails, type ChargeResult, type PaymentProvider, type TestPaymentProvider } from './payment-provider.ts';
export { invalidCard } from './payments.routes.ts';
export type { PaymentTables } from './payments.tables.ts';

export const paymentsFeature = defineFeature({
  name: 'payments',
  migrations: [createTestProvider],
  dataMap: paymentsDataMap,
  routes: registerPaymentRoutes,
});
