// Staff console for orders: list, detail, status changes with history.
import { html, type SafeHtml } from '../../platform/html.ts';
import { countryName, formatEuro, formatTime, tr, type Text } from '../../platform/i18n.ts';
import { statusNames } from './orders.pages.ts';
import type { Address, OrderLine, OrdersTable, OrderStatus } from './orders.tables.ts';
import { type PageContext, csrfField, errorSummary, layout } from '../../web/index.ts';

export function staffOrdersPage(ctx: PageContext, orders: OrdersTable[], status: OrderStatus | undefined): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Orders', de: 'Bestellungen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<form method="get" action="/staff/orders" class="shop-filter">
  <label for="status-filter">${t({ en: 'Status', de: 'Status' })}</label>
  <select id="status-filter" name="status"><option value="">${t({ en: 'All', de: 'Alle' })}</option>${(Object.keys(statusNames) as OrderStatus[]).map((s) => html`<option value="${s}"${s === status ? html` selected` : ''}>${t(statusNames[s])}</option>`)}</select>
  <button type="submit">${t({ en: 'Show', de: 'Anzeigen' })}</button>
</form>
<table><thead><tr><th scope="col">${t({ en: 'Order', de: 'Bestellung' })}</th><th scope="col">${t({ en: 'Date', de: 'Datum' })}</th><th scope="col">${t({ en: 'Status', de: 'Status' })}</th><th scope="col">${t({ en: 'Total', de: 'Summe' })}</th></tr></thead>
<tbody>${orders.map((o) => html`<tr><td><a href="/staff/orders/${o.id}">${o.number}</a></td><td>${formatTime(ctx.lang, o.created_at, ctx.timeZone)}</td><td>${t(statusNames[o.status])}</td><td>${formatEuro(ctx.lang, o.total_cents)}</td></tr>`)}</tbody></table>`,
  );
}

export interface StaffOrderExtras {
  error?: Text | undefined;
  serials?: SafeHtml;
  /** The customer's voluntary phone number, to call about this order; null when they gave none. */
  phone?: string | null;
  /** The ship form (a paid order with hardware) or the shipped parcel. */
  ship?: SafeHtml | string;
  /** An invoice order's payment reminders. */
  reminders?: SafeHtml | string;
  /** The customer's withdrawals from this order (withdrawals.pages.ts). */
  withdrawals?: SafeHtml | string;
}

export function staffOrderPage(
  ctx: PageContext,
  order: OrdersTable,
  next: OrderStatus[],
  { error, serials, phone, ship, reminders, withdrawals }: StaffOrderExtras = {},
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const shipping = JSON.parse(order.shipping) as Address;
  const history = JSON.parse(order.history) as { status: OrderStatus; at: number }[];
  const title = `${t({ en: 'Order', de: 'Bestellung' })} ${order.number}`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, error)}
<p>${t({ en: 'Status', de: 'Status' })}: <strong>${t(statusNames[order.status])}</strong></p>
<ul>${(JSON.parse(order.lines) as OrderLine[]).map((l) => html`<li>${l.quantity} × ${l.title}</li>`)}</ul>
<p>${t({ en: 'Ship to', de: 'Lieferung an' })}: ${shipping.name}, ${shipping.street}, ${shipping.postalCode} ${shipping.city}, ${countryName(ctx.lang, shipping.country)}</p>
<p class="order-phone">${t({ en: 'Customer’s phone number', de: 'Telefonnummer des Kunden' })}: ${
      phone
        ? html`<a href="tel:${phone.replace(/[^0-9+]/g, '')}">${phone}</a> <small>(${t({ en: 'given voluntarily; use it only to call about this order, e.g. a delivery problem', de: 'freiwillig angegeben; nur für Anrufe zu dieser Bestellung verwenden, etwa bei einem Lieferproblem' })})</small>`
        : t({
            en: 'none given; contact the customer by email',
            de: 'nicht angegeben; kontaktieren Sie den Kunden per E-Mail',
          })
    }</p>
<ol>${history.map((h) => html`<li>${formatTime(ctx.lang, h.at, ctx.timeZone)}: ${t(statusNames[h.status])}</li>`)}</ol>
${reminders ?? ''}
${ship ?? ''}
${
  next.length > 0
    ? html`<form method="post" action="/staff/orders/${order.id}/status">${csrfField(ctx)}
  <label for="next-status">${t({ en: 'Change status to', de: 'Status ändern auf' })}</label>
  <select id="next-status" name="status">${next.map((s) => html`<option value="${s}">${t(statusNames[s])}</option>`)}</select>
  <button type="submit">${t({ en: 'Change', de: 'Ändern' })}</button></form>`
    : ''
}
${serials ?? ''}
${withdrawals ?? ''}
<p><a href="/staff/orders">${t({ en: 'All orders', de: 'Alle Bestellungen' })}</a></p>`,
  );
}
