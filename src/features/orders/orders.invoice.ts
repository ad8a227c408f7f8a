// The invoice PDF of an order, drawn from the kept order and invoice rows whenever it is asked for: by the
// customer's download (orders.api.routes.ts) and as the order confirmation's attachment (mail delivery). One
// function for both, so the PDF the customer downloads and the one the mail carries never differ.
import type { Deps } from '../../deps.ts';
import type { AttachmentRenderer } from '../../platform/email/compose.ts';
import type { Lang } from '../../platform/i18n.ts';
import {
  findInvoiceByOrderId,
  invoicePaymentDetails,
  renderInvoicePdf,
  type InvoiceDocument,
} from '../invoices/index.ts';
import { paymentMethodNames } from './orders.emails.ts';
import { findOrderById } from './orders.queries.ts';
import type { Address, OrderLine, OrdersTable } from './orders.tables.ts';

export interface OrderInvoicePdf {
  /** The invoice number, e.g. RE-2026-000001 (the file is named after it). */
  number: string;
  pdf: Buffer;
}

/** The order's invoice as PDF in `lang`, or undefined when the order has no invoice (yet, or any more). */
export async function orderInvoicePdf(
  deps: Pick<Deps, 'db' | 'config'>,
  order: OrdersTable,
  lang: Lang,
): Promise<OrderInvoicePdf | undefined> {
  const doc = await orderInvoiceDocument(deps, order, lang);
  if (!doc) return undefined;
  return { number: doc.number, pdf: renderInvoicePdf(doc, deps.config.operator, lang) };
}

/** What the order's invoice says, or undefined when the order has no invoice: the PDF's and a print run's source. */
export async function orderInvoiceDocument(
  deps: Pick<Deps, 'db' | 'config'>,
  order: OrdersTable,
  lang: Lang,
): Promise<InvoiceDocument | undefined> {
  const invoice = await findInvoiceByOrderId(deps.db, order.id);
  if (!invoice) return undefined;
  return {
    number: invoice.number,
    issuedAt: invoice.issued_at,
    orderNumber: order.number,
    recipient: JSON.parse(order.billing) as Address,
    lines: JSON.parse(order.lines) as OrderLine[],
    totalCents: order.total_cents,
    vatCents: order.vat_cents,
    paymentMethod: paymentMethodNames[order.payment_method][lang],
    // The date of supply of goods: the day they were shipped (the history's last "shipped" step).
    shippedAt:
      (JSON.parse(order.history) as { status: string; at: number }[]).filter((h) => h.status === 'shipped').at(-1)
        ?.at ?? null,
    // An order on invoice: bank account, reference and due date (issue 11, point 6).
    payment: invoicePaymentDetails(deps.config.operator, order),
  };
}

/**
 * The mail attachment renderer for `invoice` references (the reference is the order's id): registered by the
 * composition root. A restricted order (erasure requested) or a missing invoice renders nothing, so the delivery
 * fails rather than sending a letter without the invoice it announces.
 */
export async function renderInvoiceAttachment(
  deps: Pick<Deps, 'db' | 'config'>,
  orderId: string,
  lang: Lang,
): Promise<OrderInvoicePdf | undefined> {
  const order = await findOrderById(deps.db, orderId);
  if (!order || order.restricted_at !== null) return undefined;
  return orderInvoicePdf(deps, order, lang);
}

/** The renderer of `invoice` attachment references (the order's id) for mail delivery (Deps.mailAttachments). */
export function invoiceAttachmentRenderer(deps: Pick<Deps, 'db' | 'config'>): AttachmentRenderer {
  return async (ref) => {
    const found = await renderInvoiceAttachment(deps, ref.ref, ref.lang ?? 'en');
    return found && { filename: `${found.number}.pdf`, contentType: 'application/pdf', content: found.pdf };
  };
}
