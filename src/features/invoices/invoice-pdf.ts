// The invoice as a PDF with what §14 (4) UStG requires: supplier and recipient with addresses, the supplier's
// VAT ID, date of issue, a unique sequential number, quantity and kind of goods, date of supply, net amount,
// tax rate, tax amount and gross amount; and what a GmbH's business letter must name (§ 35a GmbHG: legal form,
// seat, registry court and number, managing directors).
import { countryName, formatDay, formatEuro, type Lang } from '../../platform/i18n.ts';
import type { Operator } from '../../platform/operator.ts';
import { pageSize, renderPdf, type PdfDocument, type PdfText } from '../../platform/pdf.ts';
import { formatRate, LEGACY_VAT_COUNTRY, vatGroups, vatLabel } from '../../shop/vat.ts';
import { formatIban, type InvoicePaymentDetails } from './payment-details.ts';

export interface InvoiceDocument {
  number: string;
  issuedAt: number;
  orderNumber: string;
  recipient: { name: string; street: string; postalCode: string; city: string; country: string };
  /** Each line's VAT rate and country (decision 0031; lines of orders before it carry the German rate: DE). */
  lines: {
    title: string;
    /** The product kind: hardware is supplied when shipped, anything else (digital) at once. */
    kind?: string;
    quantity: number;
    unitCents: number;
    lineCents: number;
    vatRate: number;
    vatCountry?: string;
  }[];
  totalCents: number;
  vatCents: number;
  paymentMethod: string;
  /** When the goods of the order were shipped (the date of supply of hardware); null or absent while not shipped. */
  shippedAt?: number | null;
  /** An order on invoice: the bank transfer it asks for (account, reference, due date). */
  payment?: InvoicePaymentDetails | null;
  /**
   * A cancellation invoice (decision 0048): the invoice it reverses. The lines and totals are given positive and
   * shown negative; a line of kind `shipping` is the shipping cost.
   */
  corrects?: { number: string; issuedAt: number } | null;
}

const labels = {
  en: {
    invoice: 'Invoice',
    number: 'Invoice number',
    date: 'Date of issue',
    supply: 'Date of supply',
    order: 'Order',
    qty: 'Qty',
    item: 'Item',
    unit: 'Unit price',
    amount: 'Amount',
    net: 'Net amount',
    vat: 'VAT',
    gross: 'Total',
    vatId: 'VAT ID',
    payment: 'Payment method',
    transfer: 'Please transfer {amount} by {due} to the following account, quoting the payment reference:',
    holder: 'Account holder',
    bank: 'Bank',
    reference: 'Payment reference',
    due: 'Due date',
    note: 'Prices include VAT. Thank you for your order.',
    supplyIsIssue: 'The date of supply is the date of issue.',
    supplyDigital: 'Digital content: supplied on the date of issue.',
    supplyShipped: 'Goods: shipped on {day}',
    supplyPending: 'Goods: the date of supply is the day of shipping (not shipped yet).',
    exportNote: 'No VAT ({country}): VAT-exempt export delivery.',
    notTaxable: 'No VAT ({country}): supply not taxable in Germany (place of supply abroad).',
    seat: 'Registered office',
    directors: 'Managing directors',
    correction: 'Cancellation invoice',
    corrects: 'relating to invoice {number} of {day}',
    supplyOfInvoice: 'as stated in invoice {number}',
    shipping: 'Shipping',
    correctionNote: 'This cancels the items above of invoice {number}, including their VAT.',
  },
  de: {
    invoice: 'Rechnung',
    number: 'Rechnungsnummer',
    date: 'Rechnungsdatum',
    supply: 'Leistungsdatum',
    order: 'Bestellung',
    qty: 'Menge',
    item: 'Artikel',
    unit: 'Einzelpreis',
    amount: 'Betrag',
    net: 'Nettobetrag',
    vat: 'USt.',
    gross: 'Gesamtbetrag',
    vatId: 'USt-IdNr.',
    payment: 'Zahlungsart',
    transfer: 'Bitte überweisen Sie {amount} bis zum {due} unter Angabe des Verwendungszwecks auf folgendes Konto:',
    holder: 'Kontoinhaber',
    bank: 'Bank',
    reference: 'Verwendungszweck',
    due: 'Fälligkeitsdatum',
    note: 'Die Preise enthalten die Umsatzsteuer. Vielen Dank für Ihre Bestellung.',
    supplyIsIssue: 'Leistungsdatum entspricht Rechnungsdatum.',
    supplyDigital: 'Digitale Inhalte: Leistungsdatum entspricht Rechnungsdatum.',
    supplyShipped: 'Waren: versandt am {day}',
    supplyPending: 'Waren: Leistungsdatum ist der Tag des Versands (noch nicht versandt).',
    exportNote: 'Keine Umsatzsteuer ({country}): steuerfreie Ausfuhrlieferung (§ 4 Nr. 1 Buchst. a, § 6 UStG).',
    notTaxable: 'Keine Umsatzsteuer ({country}): nicht im Inland steuerbare Leistung.',
    seat: 'Sitz der Gesellschaft',
    directors: 'Geschäftsführung',
    correction: 'Stornorechnung',
    corrects: 'zu Rechnung {number} vom {day}',
    supplyOfInvoice: 'wie in Rechnung {number} angegeben',
    shipping: 'Versandkosten',
    correctionNote: 'Storniert werden die obigen Positionen der Rechnung {number} einschließlich der USt.',
  },
};

export function renderInvoicePdf(doc: InvoiceDocument, operator: Operator, lang: Lang): Buffer {
  const { pages, info } = invoicePdfDocument(doc, operator, lang);
  return renderPdf(pages, info);
}

/** The invoice's pages, unwritten: a print run puts several invoices in one file (orders.print.ts). */
export function invoicePdfDocument(doc: InvoiceDocument, operator: Operator, lang: Lang): PdfDocument {
  const l = labels[lang];
  // Every day is the operator's calendar day (an invoice at 00:30 in Berlin is of that day, not the last).
  const day = (at: number) => formatDay(lang, at, operator.timeZone);
  const date = day(doc.issuedAt);
  const corrects = doc.corrects ?? null;
  // A cancellation invoice shows what it reverses as negative amounts.
  const sign = corrects ? -1 : 1;
  const euro = (cents: number) => formatEuro(lang, cents === 0 ? 0 : sign * cents);
  const heading = corrects ? l.correction : l.invoice;
  const left = 56;
  const right = pageSize.width - 56;
  let y = pageSize.height - 60;
  const texts: PdfText[] = [];
  const line = (text: string, opts: Partial<PdfText> = {}) => {
    texts.push({ x: left, y, text, ...opts });
    y -= (opts.size ?? 10) + 4;
  };
  line(operator.company, { bold: true, size: 12 });
  for (const a of operator.address) line(a);
  line(`${l.vatId}: ${operator.vatId}`);
  y -= 16;
  line(doc.recipient.name);
  line(doc.recipient.street);
  line(`${doc.recipient.postalCode} ${doc.recipient.city}`);
  line(countryName(lang, doc.recipient.country));
  y -= 16;
  line(`${heading} ${doc.number}`, { bold: true, size: 16 });
  if (corrects) line(l.corrects.replace('{number}', corrects.number).replace('{day}', day(corrects.issuedAt)));
  line(`${l.number}: ${doc.number}`);
  line(`${l.date}: ${date}`);
  if (corrects) line(`${l.supply}: ${l.supplyOfInvoice.replace('{number}', corrects.number)}`);
  else for (const supply of supplyLines(doc, l, day)) line(supply);
  line(`${l.order}: ${doc.orderNumber}`);
  y -= 12;
  const header = y;
  texts.push(
    { x: left, y: header, text: l.qty, bold: true },
    { x: left + 40, y: header, text: l.item, bold: true },
    { x: right - 90, y: header, text: l.unit, bold: true, alignRight: true },
    { x: right, y: header, text: l.amount, bold: true, alignRight: true },
  );
  y -= 16;
  for (const item of doc.lines) {
    texts.push(
      { x: left, y, text: String(sign * item.quantity) },
      {
        x: left + 40,
        y,
        text: `${item.kind === 'shipping' ? l.shipping : item.title} (${formatRate(lang, item.vatRate)} ${l.vat})`,
      },
      { x: right - 90, y, text: formatEuro(lang, item.unitCents), alignRight: true },
      { x: right, y, text: euro(item.lineCents), alignRight: true },
    );
    y -= 14;
  }
  y -= 8;
  const rule = y + 10;
  const sum = (label: string, cents: number, bold = false) => {
    texts.push(
      { x: right - 90, y, text: label, alignRight: true, bold },
      { x: right, y, text: euro(cents), alignRight: true, bold },
    );
    y -= 14;
  };
  sum(l.net, doc.totalCents - doc.vatCents);
  // VAT by destination (decision 0031): each rate with the country whose VAT it is.
  const groups = vatGroups(doc.lines.map((i) => ({ ...i, vatCountry: i.vatCountry ?? LEGACY_VAT_COUNTRY })));
  for (const g of groups.filter((g) => g.rate > 0))
    sum(vatLabel(lang, [{ rate: g.rate, country: g.country ?? LEGACY_VAT_COUNTRY }]), g.vatCents);
  sum(l.gross, doc.totalCents, true);
  y -= 12;
  for (const note of zeroVatNotes(doc, l, lang)) line(note);
  if (!corrects) line(`${l.payment}: ${doc.paymentMethod}`);
  if (doc.payment && !corrects) {
    const p = doc.payment;
    const due = day(p.dueAt);
    y -= 4;
    line(l.transfer.replace('{amount}', euro(p.amountCents)).replace('{due}', due));
    line(`${l.holder}: ${p.accountHolder}`);
    line(`IBAN: ${formatIban(p.iban)}`);
    line(`BIC: ${p.bic}`);
    line(`${l.bank}: ${p.bank}`);
    line(`${l.reference}: ${p.reference}`, { bold: true });
    line(`${l.due}: ${due}`, { bold: true });
    y -= 4;
  }
  line(corrects ? l.correctionNote.replace('{number}', corrects.number) : l.note);
  // § 35a GmbHG: legal form (in the company's name), seat, registry court and number, the managing directors.
  line(`${operator.company} · ${l.seat}: ${seatOf(operator)} · ${operator.registry}`, { size: 8 });
  line(`${l.directors}: ${operator.representedBy.join(', ')} · ${l.vatId}: ${operator.vatId}`, { size: 8 });
  return {
    pages: [
      {
        texts,
        lines: [
          { x1: left, y1: header - 4, x2: right, y2: header - 4 },
          { x1: right - 200, y1: rule, x2: right, y2: rule },
        ],
      },
    ],
    info: {
      title: `${heading} ${doc.number}`,
      author: operator.company,
      createdAt: new Date(doc.issuedAt),
    },
  };
}

type Labels = (typeof labels)[Lang];

/**
 * The date of supply (§ 14(4) no. 6 UStG): digital content is delivered when the order is confirmed, which is when
 * the invoice is issued; goods on the day they are shipped, which the invoice may precede.
 */
function supplyLines(doc: InvoiceDocument, l: Labels, day: (at: number) => string): string[] {
  const goods = doc.lines.some((i) => i.kind === 'hardware');
  const digital = doc.lines.some((i) => i.kind !== 'hardware');
  const shipped =
    doc.shippedAt != null ? `${l.supply}: ${l.supplyShipped.replace('{day}', day(doc.shippedAt))}` : l.supplyPending;
  if (!goods) return [l.supplyIsIssue];
  if (!digital) return doc.shippedAt != null ? [`${l.supply}: ${day(doc.shippedAt)}`] : [l.supplyPending];
  return [l.supplyDigital, shipped];
}

/** Why a line carries no VAT: goods leaving the EU are an exempt export; digital services abroad are not taxable here. */
function zeroVatNotes(doc: InvoiceDocument, l: Labels, lang: Lang): string[] {
  const notes = new Set<string>();
  for (const i of doc.lines.filter((i) => i.vatRate === 0)) {
    const country = countryName(lang, i.vatCountry ?? LEGACY_VAT_COUNTRY);
    notes.add((i.kind === 'hardware' ? l.exportNote : l.notTaxable).replace('{country}', country));
  }
  return [...notes];
}

/** The company's seat: the town of its address ("10115 Berlin" → "Berlin"), else the address as given. */
function seatOf(operator: Pick<Operator, 'address'>): string {
  for (const a of operator.address) {
    const town = /^\d{4,5}\s+(.+)$/.exec(a.trim())?.[1];
    if (town) return town;
  }
  return operator.address.join(', ');
}
