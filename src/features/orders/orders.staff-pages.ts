// Staff console for orders: one order with its details (order-page.pages.ts), status changes and history.
import { html, type SafeHtml } from '../../platform/html.ts';
import { tr, type Text } from '../../platform/i18n.ts';
import { statusNames } from './orders.pages.ts';
import type { OrdersTable, OrderStatus } from './orders.tables.ts';
import { type PageContext, csrfField, errorSummary, layout } from '../../web/index.ts';
import { orderActionSections, orderDetailSections, timelineSection, type OrderPageModel } from './order-page.pages.ts';

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
  /** Customer, licences, refunds, notes and the invoice's state (order-page.pages.ts). */
  page?: OrderPageModel;
}

export function staffOrderPage(
  ctx: PageContext,
  order: OrdersTable,
  next: OrderStatus[],
  { error, serials, phone, ship, reminders, withdrawals, page }: StaffOrderExtras = {},
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = `${t({ en: 'Order', de: 'Bestellung' })} ${order.number}`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, error)}
<p>${t({ en: 'Status', de: 'Status' })}: <strong>${t(statusNames[order.status])}</strong></p>
${page ? orderDetailSections(ctx, order, page) : ''}
<p class="order-phone">${t({ en: 'Customer’s phone number', de: 'Telefonnummer des Kunden' })}: ${
      phone
        ? html`<a href="tel:${phone.replace(/[^0-9+]/g, '')}">${phone}</a> <small>(${t({ en: 'given voluntarily; use it only to call about this order, e.g. a delivery problem', de: 'freiwillig angegeben; nur für Anrufe zu dieser Bestellung verwenden, etwa bei einem Lieferproblem' })})</small>`
        : t({
            en: 'none given; contact the customer by email',
            de: 'nicht angegeben; kontaktieren Sie den Kunden per E-Mail',
          })
    }</p>
${timelineSection(ctx, order, page?.refunds ?? [])}
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
${page ? orderActionSections(ctx, order, page) : ''}
<p><a href="/staff/orders">${t({ en: 'All orders', de: 'Alle Bestellungen' })}</a></p>`,
  );
}
