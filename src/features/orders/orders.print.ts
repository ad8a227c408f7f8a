// Printing chosen orders as one PDF (issue 12, point 2): per order its invoice (the very document the customer
// downloads, orders.invoice.ts) and, when it holds hardware, a delivery note for the parcel: the shipping address,
// the goods and their serial numbers, no prices. Each order's documents are in its customer's language.
import type { Deps } from '../../deps.ts';
import { countryName, formatDay, isLang, type Lang } from '../../platform/i18n.ts';
import type { Operator } from '../../platform/operator.ts';
import { pageSize, renderPdfDocuments, type PdfDocument, type PdfText } from '../../platform/pdf.ts';
import { findCustomers, findOrdersByIds } from './orders.console.queries.ts';
import { orderInvoiceDocument } from './orders.invoice.ts';
import { invoicePdfDocument } from '../invoices/index.ts';
import type { Address, OrderLine, OrdersTable } from './orders.tables.ts';
import { listSerialsOfOrder } from './serials.queries.ts';

const labels = {
  en: {
    note: 'Delivery note',
    order: 'Order',
    date: 'Order date',
    qty: 'Qty',
    item: 'Item',
    serials: 'Serial numbers',
    contains: 'contains',
    thanks: 'Please check the parcel on arrival. Questions: {email}',
  },
  de: {
    note: 'Lieferschein',
    order: 'Bestellung',
    date: 'Bestelldatum',
    qty: 'Menge',
    item: 'Artikel',
    serials: 'Seriennummern',
    contains: 'enthält',
    thanks: 'Bitte prüfen Sie die Sendung bei Erhalt. Fragen: {email}',
  },
};

/** The hardware lines of an order (a bundle counts with its hardware inside). */
function goodsOf(lines: OrderLine[]): { line: OrderLine; lineNo: number; inside: string[] }[] {
  return lines.flatMap((line, lineNo) => {
    const inside = (line.contents ?? []).filter((c) => c.kind === 'hardware').map((c) => c.title);
    return line.kind === 'hardware' || inside.length > 0 ? [{ line, lineNo, inside }] : [];
  });
}

/** The delivery note of an order with hardware; null when it holds none (nothing is shipped). */
export function deliveryNoteDocument(
  order: OrdersTable,
  serials: { line_no: number; serial: string }[],
  operator: Operator,
  lang: Lang,
): PdfDocument | null {
  const goods = goodsOf(JSON.parse(order.lines) as OrderLine[]);
  if (goods.length === 0) return null;
  const l = labels[lang];
  const to = JSON.parse(order.shipping) as Address;
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
  y -= 16;
  line(to.name);
  line(to.street);
  line(`${to.postalCode} ${to.city}`);
  line(countryName(lang, to.country));
  y -= 16;
  line(`${l.note} ${order.number}`, { bold: true, size: 16 });
  line(`${l.order}: ${order.number}`);
  line(`${l.date}: ${formatDay(lang, order.created_at, operator.timeZone)}`);
  y -= 12;
  const header = y;
  texts.push({ x: left, y, text: l.qty, bold: true }, { x: left + 40, y, text: l.item, bold: true });
  y -= 16;
  for (const g of goods) {
    texts.push(
      { x: left, y, text: String(g.line.quantity) },
      {
        x: left + 40,
        y,
        text: g.inside.length > 0 ? `${g.line.title} (${l.contains}: ${g.inside.join(', ')})` : g.line.title,
      },
    );
    y -= 14;
    const of = serials.filter((s) => s.line_no === g.lineNo).map((s) => s.serial);
    if (of.length > 0) {
      texts.push({ x: left + 40, y, text: `${l.serials}: ${of.join(', ')}`, size: 9 });
      y -= 13;
    }
  }
  y -= 12;
  line(l.thanks.replace('{email}', operator.email));
  return {
    pages: [{ texts, lines: [{ x1: left, y1: header - 4, x2: right, y2: header - 4 }] }],
    info: { title: `${l.note} ${order.number}`, author: operator.company, createdAt: new Date(order.created_at) },
  };
}

/**
 * One PDF with the invoice and the delivery note of each chosen order, in the order of the list; the customers
 * whose data it holds (for the access audit). An order with neither (no invoice, no hardware) adds no page.
 */
export async function printOrders(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
  ids: string[],
  fallbackLang: Lang,
): Promise<{ pdf: Buffer; userIds: string[]; documents: number }> {
  const operator = deps.config.operator;
  const orders = await findOrdersByIds(deps.db, ids);
  const langs = new Map(
    (
      await findCustomers(
        deps.db,
        orders.map((o) => o.user_id),
      )
    ).map((c) => [c.id, c.lang] as const),
  );
  const documents: PdfDocument[] = [];
  for (const order of orders) {
    const stored = langs.get(order.user_id);
    const lang: Lang = isLang(stored) ? stored : fallbackLang;
    const invoice = await orderInvoiceDocument(deps, order, lang);
    if (invoice) documents.push(invoicePdfDocument(invoice, operator, lang));
    const note = deliveryNoteDocument(order, await listSerialsOfOrder(deps.db, order.id), operator, lang);
    if (note) documents.push(note);
  }
  const title = fallbackLang === 'de' ? 'Rechnungen und Lieferscheine' : 'Invoices and delivery notes';
  return {
    pdf: renderPdfDocuments(documents, { title, author: operator.company, createdAt: new Date(deps.clock.now()) }),
    userIds: orders.map((o) => o.user_id),
    documents: documents.length,
  };
}
