// Cancellation invoices (Stornorechnungen, § 14 UStG, GoBD; decision 0048): the issued invoice is never changed; a
// refund or a cancellation gets a document of its own that refers to the invoice and reverses exactly what was
// refunded or cancelled, numbered from the invoices' sequence. Called inside the caller's transaction (the one that
// settles the refund or cancels the order), so the number and the reversal commit together and numbers stay gap-free.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { vatOfLines } from '../../shop/vat.ts';
import {
  findCancelCorrection,
  findCorrectionOfRefund,
  findInvoiceByOrderId,
  insertInvoiceCorrection,
} from './invoices.queries.ts';
import { nextInvoiceNumber } from './invoices.service.ts';
import type { CorrectionLine, InvoiceCorrectionsTable } from './invoices.tables.ts';

/**
 * Issues the cancellation invoice of a refund (`refundId`) or of the order's cancellation (`refundId` null) for
 * `lines`, dated `at`; nothing for an order without invoice. Idempotent: a refund (or an invoice's cancel) that has
 * its document already gets that one back.
 */
export async function issueCorrection(
  db: Deps['db'],
  at: number,
  input: { orderId: string; refundId: string | null; lines: CorrectionLine[] },
): Promise<InvoiceCorrectionsTable | undefined> {
  const invoice = await findInvoiceByOrderId(db, input.orderId);
  if (!invoice) return undefined;
  const existing =
    input.refundId !== null
      ? await findCorrectionOfRefund(db, input.refundId)
      : await findCancelCorrection(db, invoice.id);
  if (existing) return existing;
  const lines = input.lines.filter((l) => l.quantity > 0 && l.lineCents > 0);
  if (lines.length === 0) return undefined;
  const correction: InvoiceCorrectionsTable = {
    id: randomUUID(),
    number: await nextInvoiceNumber(db, at),
    invoice_id: invoice.id,
    order_id: invoice.order_id,
    user_id: invoice.user_id,
    refund_id: input.refundId,
    cancel_of: input.refundId === null ? invoice.id : null,
    lines: JSON.stringify(lines),
    total_cents: lines.reduce((s, l) => s + l.lineCents, 0),
    vat_cents: vatOfLines(lines),
    issued_at: at,
    restricted_at: null,
  };
  await insertInvoiceCorrection(db, correction);
  return correction;
}
