// The order states of issue 8 (orders.tables.ts): placed orders become paid where charged, invoiced on invoice,
// and pending_payment otherwise (orders.reconcile-payments then asks the provider); delivered becomes completed;
// orders cancelled by a declined card become payment_failed; orders cancelled after a payment (they have a payment
// reference) become refunded, since cancelled now means "before any payment" (the old console cancelled paid
// orders; their money went back by hand). Payment tokens are no longer kept with orders.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

type Row = {
  id: string;
  status: string;
  payment_method: string;
  payment_reference: string | null;
  history: string;
  updated_at: number;
};

function newStatus(row: Row): string {
  if (row.status === 'placed')
    return row.payment_reference !== null ? 'paid' : row.payment_method === 'invoice' ? 'invoiced' : 'pending_payment';
  if (row.status === 'delivered') return 'completed';
  if (row.status === 'cancelled' && row.payment_reference !== null) return 'refunded';
  if (row.status === 'cancelled' && row.payment_method !== 'invoice' && row.payment_reference === null)
    return 'payment_failed';
  return row.status;
}

export const defineOrderStates: Migration = {
  id: 'orders.005-order-states',
  async up(db) {
    await db.schema.alterTable('orders').addColumn('payment_failed_at', types.time).execute();
    const rows = (await db
      .selectFrom('orders')
      .select(['id', 'status', 'payment_method', 'payment_reference', 'history', 'updated_at'])
      .execute()) as Row[];
    for (const row of rows) {
      const status = newStatus(row);
      const initial = row.payment_method === 'invoice' ? 'invoiced' : 'pending_payment';
      const history = (JSON.parse(row.history) as { status: string; at: number }[]).map((h) => ({
        ...h,
        status:
          h.status === 'placed'
            ? initial
            : h.status === 'delivered'
              ? 'completed'
              : h.status === 'cancelled' && (status === 'payment_failed' || status === 'refunded')
                ? status
                : h.status,
      }));
      // A placed order that was charged never recorded the step: add it.
      if (row.status === 'placed' && status === 'paid') history.push({ status: 'paid', at: row.updated_at });
      await db
        .updateTable('orders')
        .set({
          status,
          history: JSON.stringify(history),
          payment_token: null,
          ...(status === 'payment_failed' ? { payment_failed_at: row.updated_at } : {}),
        })
        .where('id', '=', row.id)
        .execute();
    }
  },
};
