// Orders: checkout, idempotent placement with credit check and payment, history, confirmation mail.
import { defineFeature } from '../../platform/feature.ts';
import { createOrders } from './migrations/001-orders.ts';
import { ordersDataMap } from './orders.data-map.ts';
import { registerOrderRoutes } from './orders.routes.ts';

export type { OrderTables, OrderLine } from './orders.tables.ts';
export { listPurchases } from './orders.queries.ts';

export const ordersFeature = defineFeature({
  name: 'orders',
  migrations: [createOrders],
  dataMap: (config) => ordersDataMap(config.retention.invoiceYears),
  routes: registerOrderRoutes,
});
