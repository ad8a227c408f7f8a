// Issuing invoices: called in the transaction that confirms an order, so an order and its invoice number
// commit together and numbers stay gap-free.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import type { Clock } from '../../platform/clock.ts';
import { findInvoiceByOrderId, insertInvoice, nextInvoiceSequence } from './invoices.queries.ts';
import type { InvoicesTable } from './invoices.tables.ts';

export async function issueInvoice(
  db: Deps['db'],
  clock: Clock,
  order: { id: string; userId: string },
): Promise<InvoicesTable> {
  const existing = await findInvoiceByOrderId(db, order.id);
  if (existing) return existing;
  const now = clock.now();
  const invoice: InvoicesTable = {
    id: randomUUID(),
    number: await nextInvoiceNumber(db, now),
    order_id: order.id,
    user_id: order.userId,
    issued_at: now,
    restricted_at: null,
  };
  await insertInvoice(db, invoice);
  return invoice;
}

/** The next number of the invoice sequence (invoices and cancellation invoices share it): RE-2026-000042. */
export async function nextInvoiceNumber(db: Deps['db'], now: number): Promise<string> {
  const year = new Date(now).getUTCFullYear();
  const sequence = await nextInvoiceSequence(db, year);
  return `RE-${year}-${String(sequence).padStart(6, '0')}`;
}
