// SQL of invoices. The counter row is updated in the caller's transaction, so numbers have no gaps.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { InvoicesTable, PaymentRemindersTable } from './invoices.tables.ts';

type Db = Kysely<Database>;

export async function nextInvoiceSequence(db: Db, year: number): Promise<number> {
  await db
    .insertInto('invoice_counters')
    .values({ year, last: 0 })
    .onConflict((oc) => oc.column('year').doNothing())
    .execute();
  const row = await db
    .updateTable('invoice_counters')
    .set((eb) => ({ last: eb('last', '+', 1) }))
    .where('year', '=', year)
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

export async function insertInvoice(db: Db, invoice: InvoicesTable): Promise<void> {
  await db.insertInto('invoices').values(invoice).execute();
}

export async function findInvoiceByOrderId(db: Db, orderId: string): Promise<InvoicesTable | undefined> {
  return db.selectFrom('invoices').selectAll().where('order_id', '=', orderId).executeTakeFirst();
}

export async function listRemindersOfOrder(db: Db, orderId: string): Promise<PaymentRemindersTable[]> {
  return db.selectFrom('payment_reminders').selectAll().where('order_id', '=', orderId).orderBy('level').execute();
}

/** Records a reminder unless this step of this order is recorded already; true when this call recorded it. */
export async function insertReminderOnce(db: Db, reminder: PaymentRemindersTable): Promise<boolean> {
  const result = await db
    .insertInto('payment_reminders')
    .values(reminder)
    .onConflict((oc) => oc.columns(['order_id', 'level']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
