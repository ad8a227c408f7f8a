// The order confirmation, a business letter on a durable medium: the lines, VAT, total, payment method and
// addresses; the licence keys; for an order on invoice the bank details, reference and due date; the consent to
// immediate delivery of digital content (§ 312f(3) BGB); the terms and the withdrawal information of the versions
// accepted; the invoice PDF as an attachment. It names the payment method and nothing else about the payment: no
// card number, no last digits, no token (policy 6a). A copy is kept for 6 years (mail: business_letters).
import { composeMail, type ComposedMail, type MailBlock } from '../../platform/email/compose.ts';
import { countryName, formatEuro, formatTime, type Lang, type Text } from '../../platform/i18n.ts';
import { vatLabel, vatPlacesOf } from '../../shop/vat.ts';
import type { Operator } from '../../platform/operator.ts';
import type { InvoicePaymentDetails } from '../invoices/index.ts';
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

/** The columns of the order row the confirmation shows (never the card's details or the provider's reference). */
export type ConfirmedOrder = Pick<
  OrdersTable,
  | 'id'
  | 'number'
  | 'lines'
  | 'billing'
  | 'shipping'
  | 'total_cents'
  | 'vat_cents'
  | 'payment_method'
  | 'created_at'
  | 'digital_consent_at'
>;

/** Everything the confirmation says besides the order row, gathered in the transaction that confirms the order. */
export interface ConfirmationFacts {
  order: ConfirmedOrder;
  /** One per licence issued for the order, titled by its product. */
  keys: { title: string; key: string }[];
  /** The invoice issued with the confirmation (its PDF is attached); null when there is none. */
  invoiceNumber: string | null;
  /** The terms and the withdrawal information (with the model form) of the versions accepted at checkout. */
  legalTexts: { key: string; title: string; text: string }[];
  /** For an order on invoice: where and by when to pay. */
  payment: InvoicePaymentDetails | null;
  /** The express consent and acknowledgement of § 356(5) BGB as given at checkout; null without digital lines. */
  digitalConsent: Text | null;
  operator: Pick<Operator, 'company' | 'address' | 'email' | 'registry' | 'vatId' | 'representedBy' | 'timeZone'>;
  /** IBAN in groups and the due day as the operator's calendar shows it (the invoices feature's formats). */
  format: { iban(iban: string): string; day(lang: Lang, at: number, timeZone: string): string };
}

const words = {
  en: {
    subject: 'Order confirmation',
    heading: 'Thank you for your order',
    intro: (n: string, at: string, keys: boolean) =>
      `This email confirms your order ${n} of ${at}. Please keep it: it contains ${keys ? 'your licence keys, ' : ''}our terms and the information on your right of withdrawal.`,
    lines: 'Your order',
    shipping: 'Shipping',
    free: 'free',
    total: 'Total',
    method: 'Payment method',
    transfer: 'Please transfer the amount to',
    holder: 'Account holder',
    iban: 'IBAN',
    bic: 'BIC',
    bank: 'Bank',
    reference: 'Payment reference',
    amount: 'Amount',
    due: 'Due by',
    billing: 'Billing address',
    shipTo: 'Shipping address',
    keys: 'Your licence keys',
    keysNote: 'You also find them, with downloads and activations, under “My products” in your account.',
    invoice: (n: string) => `Your invoice ${n} is attached as a PDF.`,
    account: 'Your order in your account',
    consent: (at: string) => `Your consent to immediate delivery of digital content, given at checkout on ${at}:`,
    contains: 'contains',
  },
  de: {
    subject: 'Bestellbestätigung',
    heading: 'Vielen Dank für Ihre Bestellung',
    intro: (n: string, at: string, keys: boolean) =>
      `Mit dieser E-Mail bestätigen wir Ihre Bestellung ${n} vom ${at}. Bitte bewahren Sie sie auf: Sie enthält ${keys ? 'Ihre Lizenzschlüssel, ' : ''}unsere AGB und die Belehrung über Ihr Widerrufsrecht.`,
    lines: 'Ihre Bestellung',
    shipping: 'Versand',
    free: 'kostenlos',
    total: 'Gesamtbetrag',
    method: 'Zahlungsart',
    transfer: 'Bitte überweisen Sie den Betrag an',
    holder: 'Kontoinhaber',
    iban: 'IBAN',
    bic: 'BIC',
    bank: 'Bank',
    reference: 'Verwendungszweck',
    amount: 'Betrag',
    due: 'Fällig bis',
    billing: 'Rechnungsanschrift',
    shipTo: 'Lieferanschrift',
    keys: 'Ihre Lizenzschlüssel',
    keysNote: 'Sie finden sie mit Downloads und Aktivierungen auch unter „Meine Produkte“ in Ihrem Kundenkonto.',
    invoice: (n: string) => `Ihre Rechnung ${n} finden Sie als PDF im Anhang.`,
    account: 'Ihre Bestellung im Kundenkonto',
    consent: (at: string) =>
      `Ihre Zustimmung zur sofortigen Lieferung digitaler Inhalte, erteilt beim Bestellen am ${at}:`,
    contains: 'enthält',
  },
} as const;

function addressLines(lang: Lang, a: Address): string[] {
  return [a.name, a.street, `${a.postalCode} ${a.city}`, countryName(lang, a.country)];
}

/** The invoice PDF, attached by reference and made when the mail is sent (mail delivery's `invoice` renderer). */
export function invoiceAttachment(orderId: string, invoiceNumber: string, lang: Lang) {
  return { kind: 'invoice', ref: orderId, filename: `${invoiceNumber}.pdf`, lang };
}

export function orderConfirmationMail(lang: Lang, to: string, facts: ConfirmationFacts, baseUrl: string): ComposedMail {
  const w = words[lang];
  const { order, operator } = facts;
  const lines = JSON.parse(order.lines) as OrderLine[];
  const billing = JSON.parse(order.billing) as Address;
  const shipping = JSON.parse(order.shipping) as Address;
  const goods = lines.some((l) => l.kind === 'hardware');
  const shippingCents = order.total_cents - lines.reduce((sum, l) => sum + l.lineCents, 0);
  const at = formatTime(lang, order.created_at, operator.timeZone);

  const blocks: MailBlock[] = [
    { kind: 'heading', text: w.heading },
    { kind: 'paragraph', text: w.intro(order.number, at, facts.keys.length > 0) },
    {
      kind: 'table',
      caption: w.lines,
      rows: [
        ...lines.map((l) => ({
          label: `${l.quantity} × ${l.title}${l.contents?.length ? ` (${w.contains}: ${l.contents.map((c) => c.title).join(', ')})` : ''}`,
          value: formatEuro(lang, l.lineCents),
        })),
        ...(goods || shippingCents !== 0
          ? [{ label: w.shipping, value: shippingCents === 0 ? w.free : formatEuro(lang, shippingCents) }]
          : []),
        { label: w.total, value: formatEuro(lang, order.total_cents), strong: true },
        { label: vatLabel(lang, vatPlacesOf(lines)), value: formatEuro(lang, order.vat_cents) },
      ],
    },
    // A paragraph, not a table row: the method reads "Payment method: Credit card" in either part.
    { kind: 'paragraph', text: `${w.method}: ${paymentMethodNames[order.payment_method][lang]}` },
  ];
  if (facts.payment) {
    const p = facts.payment;
    blocks.push({
      kind: 'table',
      caption: w.transfer,
      rows: [
        { label: w.holder, value: p.accountHolder },
        { label: w.iban, value: facts.format.iban(p.iban) },
        { label: w.bic, value: p.bic },
        { label: w.bank, value: p.bank },
        { label: w.reference, value: p.reference, strong: true },
        { label: w.amount, value: formatEuro(lang, p.amountCents) },
        { label: w.due, value: facts.format.day(lang, p.dueAt, operator.timeZone), strong: true },
      ],
    });
  }
  blocks.push({ kind: 'address', caption: w.billing, lines: addressLines(lang, billing) });
  if (goods) blocks.push({ kind: 'address', caption: w.shipTo, lines: addressLines(lang, shipping) });
  if (facts.keys.length > 0) {
    blocks.push({ kind: 'codes', caption: w.keys, items: facts.keys.map((k) => ({ label: k.title, code: k.key })) });
    blocks.push({ kind: 'paragraph', text: w.keysNote });
  }
  if (facts.invoiceNumber) blocks.push({ kind: 'paragraph', text: w.invoice(facts.invoiceNumber) });
  blocks.push({ kind: 'link', label: w.account, href: `${baseUrl}/account/orders/${order.id}` });
  if (facts.digitalConsent && order.digital_consent_at !== null) {
    blocks.push({
      kind: 'paragraph',
      text: `${w.consent(formatTime(lang, order.digital_consent_at, operator.timeZone))}\n${lang === 'de' ? `„${facts.digitalConsent.de}“` : `“${facts.digitalConsent.en}”`}`,
    });
  }
  for (const legal of facts.legalTexts) blocks.push({ kind: 'text', title: legal.title, text: legal.text });
  // The particulars a business letter of a company must state (§ 35a GmbHG, § 37a HGB).
  blocks.push({
    kind: 'note',
    text: [
      [operator.company, ...operator.address].join(', '),
      operator.email,
      `${lang === 'de' ? 'Geschäftsführung' : 'Managing directors'}: ${operator.representedBy.join(', ')}`,
      operator.registry,
      `${lang === 'de' ? 'USt-IdNr.' : 'VAT ID'}: ${operator.vatId}`,
    ].join('\n'),
  });

  return composeMail({
    to,
    lang,
    subject: `${w.subject} ${order.number}`,
    blocks,
    template: 'order-confirmation',
    ...(facts.invoiceNumber ? { attachments: [invoiceAttachment(order.id, facts.invoiceNumber, lang)] } : {}),
  });
}
