// The order confirmation. It names the payment method and nothing else about the payment: no card number,
// no last digits, no token, no IBAN (policy 6a). It is made from the order row alone (its type allows nothing
// else), so the kept order is our copy of this sent commercial letter (decision 0028, orders.data-map.ts).
import { formatEuro, type Lang } from '../../platform/i18n.ts';
import type { MailMessage } from '../mail/index.ts';
import type { Address, OrderLine, OrdersTable, OrderStatus, PaymentMethod } from './orders.tables.ts';

export const paymentMethodNames: Record<PaymentMethod, { en: string; de: string }> = {
  card: { en: 'Credit card', de: 'Kreditkarte' },
  wallet: { en: 'Wallet', de: 'Wallet' },
  invoice: { en: 'Invoice (payment on account)', de: 'Rechnung (Zahlung auf Rechnung)' },
};

/**
 * An order's status as the customer and staff read it, wherever it is shown (pages, messages, mails); the raw
 * values are the API's and the database's, never a page's.
 */
export const statusNames: Record<OrderStatus, { en: string; de: string }> = {
  pending_payment: { en: 'Waiting for payment confirmation', de: 'Warten auf Zahlungsbestätigung' },
  payment_failed: { en: 'Payment failed', de: 'Zahlung fehlgeschlagen' },
  invoiced: { en: 'Ordered, payment by invoice open', de: 'Bestellt, Zahlung auf Rechnung offen' },
  paid: { en: 'Payment received', de: 'Zahlung eingegangen' },
  shipped: { en: 'Shipped', de: 'Versandt' },
  completed: { en: 'Completed', de: 'Abgeschlossen' },
  cancelled: { en: 'Cancelled', de: 'Storniert' },
  refunded: { en: 'Refunded', de: 'Erstattet' },
};

/** The columns of the order row the confirmation shows: all of them are kept for the order's whole period. */
export type ConfirmedOrder = Pick<
  OrdersTable,
  'id' | 'number' | 'lines' | 'shipping' | 'total_cents' | 'vat_cents' | 'payment_method'
>;

export function orderConfirmationMail(lang: Lang, to: string, row: ConfirmedOrder, baseUrl: string): MailMessage {
  const order = {
    number: row.number,
    lines: JSON.parse(row.lines) as OrderLine[],
    totalCents: row.total_cents,
    vatCents: row.vat_cents,
    method: row.payment_method,
    shipping: JSON.parse(row.shipping) as Address,
  };
  const link = `${baseUrl}/account/orders/${row.id}`;
  const lines = order.lines.map((l) => `  ${l.quantity} × ${l.title}  ${formatEuro(lang, l.lineCents)}`).join('\n');
  const address = [
    order.shipping.name,
    order.shipping.street,
    `${order.shipping.postalCode} ${order.shipping.city}`,
    order.shipping.country,
  ].join('\n  ');
  return lang === 'de'
    ? {
        to,
        subject: `Bestellbestätigung ${order.number}`,
        body: `Vielen Dank für Ihre Bestellung ${order.number}.\n\n${lines}\n\nGesamt: ${formatEuro(lang, order.totalCents)} (inkl. ${formatEuro(lang, order.vatCents)} MwSt.)\nZahlungsart: ${paymentMethodNames[order.method].de}\n\nLieferanschrift:\n  ${address}\n\nIhre Bestellung im Konto: ${link}\n`,
      }
    : {
        to,
        subject: `Order confirmation ${order.number}`,
        body: `Thank you for your order ${order.number}.\n\n${lines}\n\nTotal: ${formatEuro(lang, order.totalCents)} (incl. ${formatEuro(lang, order.vatCents)} VAT)\nPayment method: ${paymentMethodNames[order.method].en}\n\nShipping address:\n  ${address}\n\nYour order in your account: ${link}\n`,
      };
}
