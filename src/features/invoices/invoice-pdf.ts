// The invoice as a PDF with what §14 (4) UStG requires: supplier and recipient with addresses, the supplier's
// VAT ID, date of issue, a unique sequential number, quantity and kind of goods, date of supply, net amount,
// tax rate, tax amount and gross amount.
import { formatEuro, type Lang } from '../../platform/i18n.ts';
import type { Operator } from '../../platform/operator.ts';
import { pageSize, renderPdf, type PdfText } from '../../platform/pdf.ts';

export interface InvoiceDocument {
  number: string;
  issuedAt: number;
  orderNumber: string;
  recipient: { name: string; street: string; postalCode: string; city: string; country: string };
  lines: { title: string; quantity: number; unitCents: number; lineCents: number; vatRate: number }[];
  totalCents: number;
  vatCents: number;
  paymentMethod: string;
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
    note: 'Prices include VAT. Thank you for your order.',
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
    note: 'Die Preise enthalten die Umsatzsteuer. Vielen Dank für Ihre Bestellung.',
  },
};

export function renderInvoicePdf(doc: InvoiceDocument, operator: Operator, lang: Lang): Buffer {
  const l = labels[lang];
  const date = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'long',
    // The invoice date is the operator's calendar day (an invoice at 00:30 in Berlin is of that day, not the last).
    timeZone: operator.timeZone,
  }).format(new Date(doc.issuedAt));
  const euro = (cents: number) => formatEuro(lang, cents);
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
  line(doc.recipient.country);
  y -= 16;
  line(`${l.invoice} ${doc.number}`, { bold: true, size: 16 });
  line(`${l.number}: ${doc.number}`);
  line(`${l.date}: ${date}`);
  line(`${l.supply}: ${date}`);
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
      { x: left, y, text: String(item.quantity) },
      { x: left + 40, y, text: `${item.title} (${item.vatRate}% ${l.vat})` },
      { x: right - 90, y, text: euro(item.unitCents), alignRight: true },
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
  sum(`19% ${l.vat}`, doc.vatCents);
  sum(l.gross, doc.totalCents, true);
  y -= 12;
  line(`${l.payment}: ${doc.paymentMethod}`);
  line(l.note);
  line(operator.registry, { size: 8 });
  return renderPdf(
    [
      {
        texts,
        lines: [
          { x1: left, y1: header - 4, x2: right, y2: header - 4 },
          { x1: right - 200, y1: rule, x2: right, y2: rule },
        ],
      },
    ],
    {
      title: `${l.invoice} ${doc.number}`,
      author: operator.company,
      createdAt: new Date(doc.issuedAt),
    },
  );
}
