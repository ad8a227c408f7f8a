// SQL of invoices. The counter row is updated in the caller's transaction, so numbers have no gaps.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { InvoiceCorrectionsTable, InvoicesTable, PaymentRemindersTable } from './invoices.tables.ts';

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

export async function insertInvoiceCorrection(db: Db, correction: InvoiceCorrectionsTable): Promise<void> {
  await db.insertInto('invoice_corrections').values(correction).execute();
}

export async function findCorrectionOfRefund(db: Db, refundId: string): Promise<InvoiceCorrectionsTable | undefined> {
  return db.selectFrom('invoice_corrections').selectAll().where('refund_id', '=', refundId).executeTakeFirst();
}

export async function findCancelCorrection(db: Db, invoiceId: string): Promise<InvoiceCorrectionsTable | undefined> {
  return db.selectFrom('invoice_corrections').selectAll().where('cancel_of', '=', invoiceId).executeTakeFirst();
}

/** The cancellation invoices of an order, oldest first. */
export async function listCorrectionsOfOrder(db: Db, orderId: string): Promise<InvoiceCorrectionsTable[]> {
  return db
    .selectFrom('invoice_corrections')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('issued_at')
    .orderBy('number')
    .execute();
}
