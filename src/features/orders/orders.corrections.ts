// The cancellation invoices (Stornorechnungen, decision 0048) of an order as PDF, drawn from their kept rows with
// the invoice's renderer (invoicePdfDocument with `corrects`): the same company details, the invoice they refer to,
// negative amounts and VAT per rate. Shown to staff and to the order's owner.
import type { Deps } from '../../deps.ts';
import type { Lang } from '../../platform/i18n.ts';
import {
  findInvoiceByOrderId,
  listCorrectionsOfOrder,
  renderInvoicePdf,
  type CorrectionLine,
} from '../invoices/index.ts';
import { paymentMethodNames } from './orders.emails.ts';
import type { Address, OrdersTable } from './orders.tables.ts';

/** A cancellation invoice as a page lists it. */
export interface CorrectionListItem {
  id: string;
  number: string;
  issuedAt: number;
  totalCents: number;
}

export async function listOrderCorrections(deps: Pick<Deps, 'db'>, orderId: string): Promise<CorrectionListItem[]> {
  return (await listCorrectionsOfOrder(deps.db, orderId)).map((c) => ({
    id: c.id,
    number: c.number,
    issuedAt: Number(c.issued_at),
    totalCents: Number(c.total_cents),
  }));
}

/** Cancellation invoice `correctionId` of `order` as PDF in `lang`, or undefined when the order has no such one. */
export async function orderCorrectionPdf(
  deps: Pick<Deps, 'db' | 'config'>,
  order: OrdersTable,
  correctionId: string,
  lang: Lang,
): Promise<{ number: string; pdf: Buffer } | undefined> {
  const correction = (await listCorrectionsOfOrder(deps.db, order.id)).find((c) => c.id === correctionId);
  const invoice = await findInvoiceByOrderId(deps.db, order.id);
  if (!correction || !invoice || correction.invoice_id !== invoice.id) return undefined;
  const pdf = renderInvoicePdf(
    {
      number: correction.number,
      issuedAt: Number(correction.issued_at),
      orderNumber: order.number,
      recipient: JSON.parse(order.billing) as Address,
      lines: JSON.parse(correction.lines) as CorrectionLine[],
      totalCents: Number(correction.total_cents),
      vatCents: Number(correction.vat_cents),
      paymentMethod: paymentMethodNames[order.payment_method][lang],
      corrects: { number: invoice.number, issuedAt: Number(invoice.issued_at) },
    },
    deps.config.operator,
    lang,
  );
  return { number: correction.number, pdf };
}
