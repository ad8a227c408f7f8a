// Staff pages of the order list (issue 12, point 2): the list with its search, filters (a plain GET form), keyset
// pager and CSV link; the bulk form around it (checkboxes, one POST with CSRF for shipping or printing the chosen
// orders); and the bulk ship page, one carrier, tracking number and serials per order, with what was refused.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatEuro, formatTime, tr, type Text } from '../../platform/i18n.ts';
import type { Carrier } from '../../platform/operator.ts';
import { PAYMENT_METHODS, type OrderStatus } from './orders.tables.ts';
import { paymentMethodNames, statusNames } from './orders.emails.ts';
import {
  FROM_LABEL,
  TO_LABEL,
  filterQuery,
  itemsOf,
  type BulkShipItem,
  type BulkShipOutcome,
  type ListParams,
  type OrderListPage,
} from './orders.console.ts';
import { type PageContext, csrfField, layout } from '../../web/index.ts';

/** The statuses staff filter by, in the order an order passes them. */
const FILTER_STATUSES: OrderStatus[] = [
  'invoiced',
  'paid',
  'shipped',
  'completed',
  'cancelled',
  'refunded',
  'pending_payment',
  'payment_failed',
];

const ITEM_TITLES_SHOWN = 2;

function link(params: ListParams, position?: { after?: string; before?: string }, path = '/staff/orders'): string {
  const query = filterQuery(params);
  if (position?.after) query.set('after', position.after);
  if (position?.before) query.set('before', position.before);
  const s = query.toString();
  return s ? `${path}?${s}` : path;
}

const isFiltered = (p: ListParams) =>
  p.q !== '' || p.statuses.length > 0 || p.method !== null || p.from !== '' || p.to !== '' || p.overdue;

export function staffOrderListPage(
  ctx: PageContext,
  params: ListParams,
  page: OrderListPage,
  carriersConfigured: boolean,
): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = t({ en: 'Orders', de: 'Bestellungen' });
  const head = {
    select: t({ en: 'Select', de: 'Auswahl' }),
    order: t({ en: 'Order', de: 'Bestellung' }),
    date: t({ en: 'Date', de: 'Datum' }),
    customer: t({ en: 'Customer', de: 'Kunde' }),
    items: t({ en: 'Items', de: 'Artikel' }),
    method: t({ en: 'Payment method', de: 'Zahlungsart' }),
    status: t({ en: 'Status', de: 'Status' }),
    total: t({ en: 'Total', de: 'Summe' }),
  };
  const quick = (label: Text, target: Partial<ListParams>) => {
    const p: ListParams = { q: '', statuses: [], method: null, from: '', to: '', overdue: false, ...target };
    return html`<li><a href="${link(p)}">${t(label)}</a></li>`;
  };
  const rows = page.rows.map((r) => {
    const items = itemsOf(r.lines);
    const shown = items.titles.slice(0, ITEM_TITLES_SHOWN).join(', ');
    const more = items.titles.length > ITEM_TITLES_SHOWN ? ', …' : '';
    return html`<tr>
<td data-label="${head.select}"><input type="checkbox" name="order" value="${r.id}" id="pick-${r.id}"><label for="pick-${r.id}" class="visually-hidden">${t({ en: 'Select order {n}', de: 'Bestellung {n} auswählen' }, { n: r.number })}</label></td>
<th scope="row"><a href="/staff/orders/${r.id}">${r.number}</a></th>
<td data-label="${head.date}">${formatTime(ctx.lang, r.created_at, ctx.timeZone)}</td>
<td data-label="${head.customer}">${r.customer_email === null ? t({ en: '(account deleted)', de: '(Konto gelöscht)' }) : html`${r.customer_name}<br><small>${r.customer_email}</small>`}</td>
<td data-label="${head.items}">${t({ en: '{n} items', de: '{n} Artikel' }, { n: items.count })}: ${shown}${more}</td>
<td data-label="${head.method}">${t(paymentMethodNames[r.payment_method])}</td>
<td data-label="${head.status}">${t(statusNames[r.status])}</td>
<td data-label="${head.total}">${formatEuro(ctx.lang, r.total_cents)}</td>
</tr>`;
  });
  const pager =
    page.previous || page.next
      ? html`<nav aria-label="${t({ en: 'Pages', de: 'Seiten' })}" class="pager"><ul class="pages">
${page.previous ? html`<li><a href="${link(params, { before: page.previous })}" rel="prev">‹ ${t({ en: 'Newer orders', de: 'Neuere Bestellungen' })}</a></li>` : ''}
${page.next ? html`<li><a href="${link(params, { after: page.next })}" rel="next">${t({ en: 'Older orders', de: 'Ältere Bestellungen' })} ›</a></li>` : ''}
</ul></nav>`
      : '';
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<ul class="quick-filters">
${quick({ en: 'To ship (paid)', de: 'Zu versenden (bezahlt)' }, { statuses: ['paid'] })}
${quick({ en: 'Unpaid invoices past their due date', de: 'Unbezahlte Rechnungen nach Fälligkeit' }, { overdue: true })}
${quick({ en: 'All orders', de: 'Alle Bestellungen' }, {})}
</ul>
<form method="get" action="/staff/orders" class="order-filter" role="search" aria-label="${t({ en: 'Search orders', de: 'Bestellungen suchen' })}">
<div class="field"><label for="orders-q">${t({ en: 'Order number, customer email or name, serial number', de: 'Bestellnummer, E-Mail oder Name des Kunden, Seriennummer' })}</label>
<input id="orders-q" type="search" name="q" value="${params.q}" maxlength="200"></div>
<fieldset><legend>${t({ en: 'Status', de: 'Status' })}</legend>
${FILTER_STATUSES.map((s) => html`<label><input type="checkbox" name="status" value="${s}"${params.statuses.includes(s) ? html` checked` : ''}> ${t(statusNames[s])}</label> `)}
</fieldset>
<div class="field"><label for="orders-method">${t({ en: 'Payment method', de: 'Zahlungsart' })}</label>
<select id="orders-method" name="method"><option value="">${t({ en: 'All', de: 'Alle' })}</option>${PAYMENT_METHODS.map((m) => html`<option value="${m}"${m === params.method ? html` selected` : ''}>${t(paymentMethodNames[m])}</option>`)}</select></div>
<div class="field"><label for="orders-from">${t(FROM_LABEL)}</label> <input id="orders-from" type="date" name="from" value="${params.from}"></div>
<div class="field"><label for="orders-to">${t(TO_LABEL)}</label> <input id="orders-to" type="date" name="to" value="${params.to}"></div>
${params.overdue ? html`<input type="hidden" name="overdue" value="1"><p>${t({ en: 'Showing only unpaid invoices past their due date.', de: 'Nur unbezahlte Rechnungen nach Fälligkeit werden gezeigt.' })}</p>` : ''}
<p><button type="submit">${t({ en: 'Show', de: 'Anzeigen' })}</button> <a href="/staff/orders">${t({ en: 'Reset', de: 'Zurücksetzen' })}</a></p>
</form>
<p><a href="${link(params, undefined, '/staff/orders.csv')}" download>${t({ en: 'Export these orders as CSV', de: 'Diese Bestellungen als CSV exportieren' })}</a></p>
${
  page.rows.length === 0
    ? html`<p class="empty">${
        isFiltered(params)
          ? t({ en: 'No orders match these filters.', de: 'Keine Bestellungen entsprechen diesen Filtern.' })
          : t({ en: 'There are no orders yet.', de: 'Es gibt noch keine Bestellungen.' })
      }</p>`
    : html`<form method="post" action="/staff/orders/print">${csrfField(ctx)}
<table class="stack order-list"><caption class="visually-hidden">${title}</caption><thead><tr><th scope="col">${head.select}</th><th scope="col">${head.order}</th><th scope="col">${head.date}</th><th scope="col">${head.customer}</th><th scope="col">${head.items}</th><th scope="col">${head.method}</th><th scope="col">${head.status}</th><th scope="col">${head.total}</th></tr></thead>
<tbody>${rows}</tbody></table>
<p>${t({ en: 'With the selected orders:', de: 'Mit den ausgewählten Bestellungen:' })}
${carriersConfigured ? html`<button type="submit" formaction="/staff/orders/bulk-ship">${t({ en: 'Mark as shipped …', de: 'Als versandt markieren …' })}</button>` : ''}
<button type="submit" formaction="/staff/orders/print">${t({ en: 'Print invoices and delivery notes (PDF)', de: 'Rechnungen und Lieferscheine drucken (PDF)' })}</button></p>
</form>`
}
${pager}`,
  );
}

/** One order's fields on the bulk ship page: `carrier.<id>`, `tracking.<id>`, `serial.<id>.<i>`. */
function shipFields(ctx: PageContext, item: BulkShipItem, carriers: Carrier[], outcome?: BulkShipOutcome): SafeHtml {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const id = item.order.id;
  const fields = outcome?.fields ?? {};
  const error = (name: string, fid: string) =>
    fields[name] ? html`<p class="field-error" id="${fid}-error">${t(fields[name])}</p>` : '';
  const invalid = (name: string, fid: string) =>
    fields[name] ? html` aria-invalid="true" aria-describedby="${fid}-error"` : '';
  const chosen = outcome?.input.carrier ?? (carriers.length === 1 ? carriers[0]!.id : '');
  const cid = `f-carrier-${id}`;
  const tid = `f-tracking-${id}`;
  return html`<input type="hidden" name="order" value="${id}">
<div class="field"><label for="${cid}">${t({ en: 'Carrier', de: 'Versanddienstleister' })}</label>
${error('carrier', cid)}
<select id="${cid}" name="carrier.${id}"${invalid('carrier', cid)}><option value="">${t({ en: 'Choose …', de: 'Bitte wählen …' })}</option>${carriers.map((c) => html`<option value="${c.id}"${c.id === chosen ? html` selected` : ''}>${c.name}</option>`)}</select></div>
<div class="field"><label for="${tid}">${t({ en: 'Tracking number', de: 'Sendungsnummer' })}</label>
${error('tracking', tid)}
<input id="${tid}" type="text" name="tracking.${id}" value="${outcome?.input.tracking ?? ''}" maxlength="60" autocomplete="off" spellcheck="false"${invalid('tracking', tid)}></div>
${item.slots.map((slot, i) => {
  const sid = `f-serial-${id}-${i}`;
  return html`<div class="field"><label for="${sid}">${t({ en: 'Serial number', de: 'Seriennummer' })}: ${slot.title} (${t({ en: 'unit', de: 'Gerät' })} ${i + 1})</label>
${error(`serial.${i}`, sid)}
<input id="${sid}" type="text" name="serial.${id}.${i}" value="${outcome?.input.serials[i] ?? slot.serial}" maxlength="20" autocomplete="off" spellcheck="false"${invalid(`serial.${i}`, sid)}></div>`;
})}`;
}

/**
 * The bulk ship page: each chosen paid order with its own fields; orders that cannot ship are named with the
 * reason. After a submission: what was shipped, and each refused order again with its reason and what was typed.
 */
export function bulkShipPage(
  ctx: PageContext,
  items: BulkShipItem[],
  carriers: Carrier[],
  outcomes: BulkShipOutcome[] = [],
): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = t({ en: 'Mark orders as shipped', de: 'Bestellungen als versandt markieren' });
  const shipped = outcomes.filter((o) => o.shipped);
  const refused = new Map(outcomes.filter((o) => !o.shipped).map((o) => [o.orderId, o]));
  const open = items.filter((i) => i.refusal === null && (outcomes.length === 0 || refused.has(i.order.id)));
  const skipped = items.filter((i) => i.refusal !== null && !shipped.some((s) => s.orderId === i.order.id));
  const report =
    outcomes.length > 0
      ? html`<div class="notice" role="status">
${shipped.length > 0 ? html`<p>${t({ en: 'Shipped, and the customers notified:', de: 'Versandt, die Kunden wurden benachrichtigt:' })}</p><ul class="shipped">${shipped.map((o) => html`<li><a href="/staff/orders/${o.orderId}">${o.number}</a></li>`)}</ul>` : ''}
${refused.size > 0 ? html`<p>${t({ en: 'Not shipped: {n}. Correct them below and send again.', de: 'Nicht versandt: {n}. Korrigieren Sie sie unten und senden Sie erneut.' }, { n: refused.size })}</p>` : ''}
</div>`
      : '';
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${report}
${
  skipped.length > 0
    ? html`<section aria-labelledby="skipped-title"><h2 id="skipped-title">${t({ en: 'Cannot be shipped', de: 'Nicht versandfähig' })}</h2><ul>${skipped.map((i) => html`<li><a href="/staff/orders/${i.order.id}">${i.order.number}</a>: ${t(i.refusal!)}</li>`)}</ul></section>`
    : ''
}
${
  open.length === 0
    ? html`<p>${t({ en: 'No order is left to ship here.', de: 'Hier ist keine Bestellung mehr zu versenden.' })}</p>`
    : html`<form method="post" action="/staff/orders/bulk-ship/apply" novalidate>${csrfField(ctx)}
${open.map((item) => {
  const outcome = refused.get(item.order.id);
  const to = JSON.parse(item.order.shipping) as { name: string; city: string };
  return html`<fieldset class="bulk-ship-order"><legend>${t({ en: 'Order', de: 'Bestellung' })} ${item.order.number} · ${to.name}, ${to.city}</legend>
${outcome?.error ? html`<p class="field-error" role="alert">${t(outcome.error)}</p>` : ''}
<p>${itemsOf(item.order.lines).titles.join(', ')}${item.customer ? html` · ${item.customer.email}` : ''}</p>
${shipFields(ctx, item, carriers, outcome)}
</fieldset>`;
})}
<p class="hint">${t({ en: 'Each order is shipped on its own: an order with a mistake is shown again and the others are shipped. Every customer receives a shipping email with the tracking link.', de: 'Jede Bestellung wird einzeln versandt: Eine Bestellung mit einem Fehler wird erneut angezeigt, die anderen werden versandt. Jeder Kunde erhält eine Versandbestätigung mit dem Link zur Sendungsverfolgung.' })}</p>
<p><button type="submit">${t({ en: 'Mark as shipped and notify the customers', de: 'Als versandt markieren und Kunden benachrichtigen' })}</button></p>
</form>`
}
<p><a href="/staff/orders">${t({ en: 'Back to the orders', de: 'Zurück zu den Bestellungen' })}</a></p>`,
  );
}
