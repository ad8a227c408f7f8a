// Sends the order confirmation from the transaction that confirms the order (paid by card or wallet, or accepted
// on invoice): licences and the invoice are issued before it in the same transaction, so the mail carries the keys
// and the invoice (as a PDF made at delivery). It is a business letter: the mail feature keeps its copy 6 years.
import type { Deps } from '../../deps.ts';
import type { Lang } from '../../platform/i18n.ts';
import { findInvoiceByOrderId, formatDay, formatIban, invoicePaymentDetails } from '../invoices/index.ts';
import { DIGITAL_CONSENT_TEXT, legalTextsForOrder } from '../legal/index.ts';
import { listLicencesOfOrder } from '../licences/index.ts';
import { enqueueBusinessLetter } from '../mail/index.ts';
import { orderConfirmationMail, type ConfirmationFacts } from './orders.emails.ts';
import type { OrderLine, OrdersTable } from './orders.tables.ts';

/** The business letter kind of the order confirmation (its copies' `kind`, the order id their `ref`). */
export const ORDER_CONFIRMATION = 'order-confirmation';

/** What the confirmation of `order` says, read inside the confirming transaction `db`. */
export async function confirmationFacts(
  deps: Pick<Deps, 'config'>,
  db: Deps['db'],
  order: OrdersTable,
  lang: Lang,
): Promise<ConfirmationFacts> {
  const lines = JSON.parse(order.lines) as OrderLine[];
  // A licence's product is a line's, or the software inside a bundle line.
  const titles = new Map<string, string>();
  for (const line of lines) {
    titles.set(line.productId, line.title);
    for (const c of line.contents ?? []) if (!titles.has(c.productId)) titles.set(c.productId, c.title);
  }
  const licences = await listLicencesOfOrder(db, order.id);
  const invoice = await findInvoiceByOrderId(db, order.id);
  const versions = order.legal_versions ? (JSON.parse(order.legal_versions) as Record<string, number>) : null;
  return {
    order,
    keys: licences.map((l) => ({ title: titles.get(l.product_id) ?? l.product_id, key: l.licence_key })),
    invoiceNumber: invoice?.number ?? null,
    legalTexts: await legalTextsForOrder(db, lang, versions),
    payment: invoicePaymentDetails(deps.config.operator, order),
    digitalConsent: order.digital_consent_at !== null ? DIGITAL_CONSENT_TEXT : null,
    operator: deps.config.operator,
    format: { iban: formatIban, day: formatDay },
  };
}

/** Queues the confirmation to `to` and keeps its copy; call after the invoice and the licences were issued. */
export async function sendOrderConfirmation(
  deps: Pick<Deps, 'clock' | 'config'>,
  db: Deps['db'],
  order: OrdersTable,
  to: string,
  lang: Lang,
): Promise<void> {
  const mail = orderConfirmationMail(lang, to, await confirmationFacts(deps, db, order, lang), deps.config.baseUrl);
  await enqueueBusinessLetter(db, deps.clock, mail, {
    kind: ORDER_CONFIRMATION,
    ref: order.id,
    userId: order.user_id,
    lang,
  });
}
