// Orders: checkout through the provider's hosted payment page, idempotent placement (credit check for invoice),
// the order states and their reconciliation with the provider, history, confirmation mail.
import { defineFeature } from '../../feature.ts';
import { createOrders } from './migrations/001-orders.ts';
import { widenOrderMoney } from './migrations/002-money-bigint.ts';
import { addRequestHash } from './migrations/003-request-hash.ts';
import { createOrderSerials } from './migrations/004-order-serials.ts';
import { defineOrderStates } from './migrations/005-order-states.ts';
import { dropPaymentToken } from './migrations/006-drop-payment-token.ts';
import { ordersDataMap } from './orders.data-map.ts';
import { reconcilePaymentsJob } from './orders.jobs.ts';
import { registerOrderRoutes } from './orders.routes.ts';

export type { OrderLine } from './orders.tables.ts';
export { listPurchases } from './orders.queries.ts';
export { findSaleOfSerial, isSerial, normaliseSerial, serialFormatText } from './serials.service.ts';

export const ordersFeature = defineFeature({
  name: 'orders',
  navigation: [
    {
      href: '/staff/orders',
      label: { en: 'Orders (staff)', de: 'Bestellungen (Team)' },
      place: 'header',
      for: 'staff',
      order: 50,
    },
  ],
  // Addresses and the payment start at checkout (the basket holds no personal data and stays measurable).
  sensitivePaths: ['/checkout'],
  migrations: [createOrders, widenOrderMoney, addRequestHash, createOrderSerials, defineOrderStates, dropPaymentToken],
  dataMap: (config) => ordersDataMap(config.retention.invoiceYears),
  jobs: [reconcilePaymentsJob],
  routes: registerOrderRoutes,
});
