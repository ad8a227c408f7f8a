// Orders: checkout through the provider's hosted payment page, idempotent placement (credit check for invoice),
// the order states and their reconciliation with the provider, history, confirmation mail.
import { MINUTE } from '../../platform/clock.ts';
import { defineFeature } from '../../feature.ts';
import { createOrders } from './migrations/001-orders.ts';
import { widenOrderMoney } from './migrations/002-money-bigint.ts';
import { addRequestHash } from './migrations/003-request-hash.ts';
import { createOrderSerials } from './migrations/004-order-serials.ts';
import { defineOrderStates } from './migrations/005-order-states.ts';
import { ordersDataMap } from './orders.data-map.ts';
import { registerOrderApiRoutes } from './orders.api.routes.ts';
import { registerOrderPageRoutes } from './orders.pages.routes.ts';
import { reconcilePayments } from './orders.service.ts';
import { registerOrderStaffRoutes } from './orders.staff.routes.ts';
import { registerSerialRoutes } from './serials.routes.ts';

export type { OrderLine } from './orders.tables.ts';
export { listPurchases } from './orders.queries.ts';
export { findSaleOfSerial, isSerial, normaliseSerial, serialFormatText } from './serials.service.ts';

export const ordersFeature = defineFeature({
  name: 'orders',
  migrations: [createOrders, widenOrderMoney, addRequestHash, createOrderSerials, defineOrderStates],
  dataMap: (config) => ordersDataMap(config.retention.invoiceYears),
  jobs: [
    { name: 'orders.reconcile-payments', everyMs: MINUTE, run: async (deps) => void (await reconcilePayments(deps)) },
  ],
  routes(app, deps) {
    registerOrderApiRoutes(app, deps);
    registerOrderPageRoutes(app, deps);
    registerOrderStaffRoutes(app, deps);
    registerSerialRoutes(app, deps);
  },
});
