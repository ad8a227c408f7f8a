// The orders' section of the staff customer page: the customer's newest orders (number linking to the staff order
// page, date, status, items, total), and the customer search by order number or by the serial number of a unit
// sold to them (order_serials).
import type { CustomerSectionProvider } from '../../feature.ts';
import { html } from '../../platform/html.ts';
import { formatEuro, formatTime, tr, type Text } from '../../platform/i18n.ts';
import { statusNames } from './orders.emails.ts';
import {
  countOrdersOfCustomer,
  findOwnerOfOrderNumber,
  listNewestOrdersOfCustomer,
} from './orders.customer.queries.ts';
import type { OrderLine } from './orders.tables.ts';
import { findSaleOfSerial, isSerial, normaliseSerial } from './serials.service.ts';

const SHOWN = 20;
/** Order numbers look like 2026-4F7K2Q; anything else is not looked up. */
const ORDER_NUMBER = /^\d{4}-[A-Z0-9]{4,12}$/;

/** Column names (headers, and the labels of the stacked cells on phones). */
const L = {
  order: { en: 'Order', de: 'Bestellung' },
  date: { en: 'Date', de: 'Datum' },
  status: { en: 'Status', de: 'Status' },
  items: { en: 'Items', de: 'Artikel' },
  total: { en: 'Total', de: 'Summe' },
} satisfies Record<string, Text>;

export const orderCustomerSection: CustomerSectionProvider = {
  roles: ['staff', 'admin'],
  order: 10,
  async load(deps, userId, lang) {
    const orders = await listNewestOrdersOfCustomer(deps.db, userId, SHOWN);
    if (orders.length === 0) return null;
    const total = await countOrdersOfCustomer(deps.db, userId);
    const t = (text: Text, params?: Record<string, string | number>) => tr(lang, text, params);
    const zone = deps.config.operator.timeZone;
    return {
      title: { en: 'Orders', de: 'Bestellungen' },
      body: html`<table class="customer-orders"><thead><tr><th scope="col">${t(L.order)}</th><th scope="col">${t(L.date)}</th><th scope="col">${t(L.status)}</th><th scope="col">${t(L.items)}</th><th scope="col">${t(L.total)}</th></tr></thead>
<tbody>${orders.map(
        (o) =>
          html`<tr><td data-label="${t(L.order)}"><a href="/staff/orders/${o.id}">${o.number}</a></td><td data-label="${t(L.date)}">${formatTime(lang, o.created_at, zone)}</td><td data-label="${t(L.status)}">${t(statusNames[o.status])}</td><td data-label="${t(L.items)}">${(JSON.parse(o.lines) as OrderLine[]).map((l, i) => html`${i > 0 ? ', ' : ''}${l.quantity} × ${l.title}`)}</td><td data-label="${t(L.total)}">${formatEuro(lang, o.total_cents)}</td></tr>`,
      )}</tbody></table>
${total > orders.length ? html`<p>${t({ en: 'The newest {shown} of {total} orders.', de: 'Die neuesten {shown} von {total} Bestellungen.' }, { shown: orders.length, total })}</p>` : ''}`,
    };
  },
  async findCustomers(deps, term) {
    const upper = term.trim().toUpperCase();
    if (ORDER_NUMBER.test(upper)) {
      const owner = await findOwnerOfOrderNumber(deps.db, upper);
      return owner ? [owner] : [];
    }
    const serial = normaliseSerial(term);
    if (!isSerial(serial)) return [];
    const sale = await findSaleOfSerial(deps.db, serial);
    return sale ? [sale.userId] : [];
  },
};
