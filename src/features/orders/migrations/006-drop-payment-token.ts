// An order never kept a payment token: placeOrder wrote null since 005, which cleared the older ones, and the token
// is single-use and the provider's business (decision 0028). The column that nothing wrote is dropped, and with it
// the rule that promised to clear it. The id is recorded in databases: never change it.
import type { Migration } from '../../../platform/db/migrate.ts';

export const dropPaymentToken: Migration = {
  id: 'orders.006-drop-payment-token',
  async up(db) {
    await db.schema.alterTable('orders').dropColumn('payment_token').execute();
  },
};
