// Checkout and order pages. The checkout form works without JavaScript; its hidden one-time key makes a
// double submit place one order.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatEuro, formatTime, tr, type Text } from '../../platform/i18n.ts';
import type { BasketView } from '../basket/index.ts';
import { testModeNotice } from '../payments/index.ts';
import { paymentMethodNames, statusNames } from './orders.emails.ts';
import type { Address, OrderLine, OrdersTable, OrderStatus } from './orders.tables.ts';
import { type PageContext, csrfField, layout } from '../../web/index.ts';

export { statusNames };

/** What a checkout page needs besides the basket: the provider's test mode, whether invoice is offered, attempts. */
export interface CheckoutState {
  testMode: boolean;
  invoiceOffered: boolean;
  attempts: OrdersTable[];
  /** The order was just refused by the credit check: the page offers the human review. */
  declined?: boolean;
}

/** After an automated refusal: other methods, and a person to review, hear and reconsider (Art. 22(3) GDPR). */
function reviewOffer(ctx: PageContext, state: CheckoutState): SafeHtml | string {
  if (!state.declined) return '';
  return html`<p class="notice"><a href="/account/decision-review">${tr(ctx.lang, { en: 'Ask for a person to review this decision', de: 'Überprüfung dieser Entscheidung durch eine Person beantragen' })}</a></p>`;
}

function testModeBanner(ctx: PageContext, state: Pick<CheckoutState, 'testMode'>): SafeHtml | string {
  return state.testMode
    ? html`<p class="notice test-mode" role="note"><strong>${tr(ctx.lang, testModeNotice)}</strong></p>`
    : '';
}

/** The truth about recent payment attempts: still waiting for the provider, or failed (nothing charged). */
function attemptsNotice(ctx: PageContext, attempts: OrdersTable[]): SafeHtml | string {
  if (attempts.length === 0) return '';
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  return html`<div class="notice" role="status"><ul>${attempts.map((a) =>
    a.status === 'pending_payment'
      ? html`<li>${t({ en: 'The payment for your order attempt of {at} ({total}) is not confirmed yet; its items stay reserved for up to 30 minutes.', de: 'Die Zahlung Ihres Bestellversuchs vom {at} ({total}) ist noch nicht bestätigt; die Artikel bleiben bis zu 30 Minuten reserviert.' }, { at: formatTime(ctx.lang, a.created_at, ctx.timeZone), total: formatEuro(ctx.lang, a.total_cents) })}</li>`
      : html`<li>${t({ en: 'Your payment attempt of {at} ({total}) failed: nothing was charged and no order was placed.', de: 'Ihr Zahlungsversuch vom {at} ({total}) ist fehlgeschlagen: Nichts wurde belastet und keine Bestellung aufgegeben.' }, { at: formatTime(ctx.lang, a.created_at, ctx.timeZone), total: formatEuro(ctx.lang, a.total_cents) })}</li>`,
  )}</ul></div>`;
}

const addressLabels: Record<keyof Address, Text> = {
  name: { en: 'Name', de: 'Name' },
  street: { en: 'Street and number', de: 'Straße und Hausnummer' },
  postalCode: { en: 'Postal code', de: 'Postleitzahl' },
  city: { en: 'City', de: 'Ort' },
  country: { en: 'Country (two letters, e.g. DE)', de: 'Land (zwei Buchstaben, z. B. DE)' },
};

export type CheckoutValues = Record<string, string | undefined>;

/** What a table of lines shows: the basket before buying, or the order bought. */
interface LinesSummary {
  items: { title: string; kind: string; quantity: number; unitCents: number; lineCents: number }[];
  count: number;
  vatCents: number;
  totalCents: number;
}

/**
 * Every line with unit price, quantity and line total, then shipping, VAT and the total: nothing is bought unseen
 * (a merged guest basket included). Shipping is charged nowhere in an order's total, so goods to ship say it is
 * free; downloads alone have no shipping line at all.
 */
function linesTable(ctx: PageContext, summary: LinesSummary, caption: string, className: string): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const euro = (cents: number) => formatEuro(ctx.lang, cents);
  const ships = summary.items.some((i) => i.kind === 'hardware');
  const head = {
    product: t({ en: 'Product', de: 'Produkt' }),
    unit: t({ en: 'Unit price', de: 'Einzelpreis' }),
    quantity: t({ en: 'Quantity', de: 'Menge' }),
    total: t({ en: 'Total', de: 'Summe' }),
  };
  return html`<table class="${className}">
  <caption>${caption}</caption>
  <thead><tr><th scope="col">${head.product}</th><th scope="col">${head.unit}</th><th scope="col">${head.quantity}</th><th scope="col">${head.total}</th></tr></thead>
  <tbody>${summary.items.map(
    (i) =>
      html`<tr><th scope="row">${i.title}</th><td data-label="${head.unit}">${euro(i.unitCents)}</td><td data-label="${head.quantity}">${i.quantity}</td><td data-label="${head.total}">${euro(i.lineCents)}</td></tr>`,
  )}</tbody>
  <tfoot>
    ${ships ? html`<tr class="lines-shipping"><th scope="row" colspan="3">${t({ en: 'Shipping', de: 'Versand' })}</th><td>${t({ en: 'free', de: 'kostenlos' })}</td></tr>` : ''}
    <tr class="lines-vat"><th scope="row" colspan="3">${t({ en: 'Included VAT', de: 'Enthaltene MwSt.' })}</th><td>${euro(summary.vatCents)}</td></tr>
    <tr class="lines-total"><th scope="row" colspan="3">${t({ en: 'Total', de: 'Gesamtsumme' })}</th><td><strong>${euro(summary.totalCents)}</strong></td></tr>
  </tfoot>
</table>`;
}

function checkoutLines(ctx: PageContext, basket: BasketView): SafeHtml {
  const caption = tr(
    ctx.lang,
    { en: 'Your order: {n} items', de: 'Ihre Bestellung: {n} Artikel' },
    { n: basket.count },
  );
  return linesTable(ctx, basket, caption, 'stack checkout-lines');
}

function addressFields(
  ctx: PageContext,
  prefix: string,
  values: CheckoutValues,
  errors: Record<string, Text>,
  required: boolean,
): SafeHtml {
  return html`${(Object.keys(addressLabels) as (keyof Address)[]).map((f) => {
    const name = `${prefix}.${f}`;
    const id = `f-${prefix}-${f}`;
    const error = errors[name];
    return html`<div class="field"><label for="${id}">${tr(ctx.lang, addressLabels[f])}</label>
    ${error ? html`<p class="field-error" id="${id}-error">${tr(ctx.lang, error)}</p>` : ''}
    <input id="${id}" type="text" name="${name}" value="${values[name] ?? ''}" maxlength="200"${required ? html` required` : ''}${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}></div>`;
  })}`;
}

export function checkoutPage(
  ctx: PageContext,
  basket: BasketView,
  formKey: string,
  state: CheckoutState,
  values: CheckoutValues = {},
  errors: Record<string, Text> = {},
  message?: Text,
): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = t({ en: 'Checkout', de: 'Kasse' });
  const methods = state.invoiceOffered ? (['card', 'wallet', 'invoice'] as const) : (['card', 'wallet'] as const);
  const method = (methods as readonly string[]).includes(values['payment.method'] ?? '')
    ? values['payment.method']
    : 'card';
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${testModeBanner(ctx, state)}
${message ? html`<div class="error-summary" role="alert"><p>${t(message)}</p></div>` : ''}
${reviewOffer(ctx, state)}
${attemptsNotice(ctx, state.attempts)}
${checkoutLines(ctx, basket)}
<p><a href="/basket">${t({ en: 'Change basket', de: 'Warenkorb ändern' })}</a></p>
<form method="post" action="/checkout" novalidate>
  ${csrfField(ctx)}
  <input type="hidden" name="formKey" value="${formKey}">
  <fieldset><legend>${t({ en: 'Billing address', de: 'Rechnungsadresse' })}</legend>${addressFields(ctx, 'billingAddress', values, errors, true)}</fieldset>
  <div class="checkbox"><input id="f-ship-same" type="checkbox" name="shipToBilling" value="1"${values.shipToBilling !== '0' ? ' checked' : ''}> <label for="f-ship-same">${t({ en: 'Ship to the billing address', de: 'An die Rechnungsadresse liefern' })}</label></div>
  <fieldset><legend>${t({ en: 'Shipping address (only if different)', de: 'Lieferadresse (nur wenn abweichend)' })}</legend>${addressFields(ctx, 'shippingAddress', values, errors, false)}</fieldset>
  <fieldset><legend>${t({ en: 'Payment', de: 'Zahlung' })}</legend>
    ${methods.map((m) => html`<div class="checkbox"><input id="pm-${m}" type="radio" name="payment.method" value="${m}"${method === m ? ' checked' : ''}> <label for="pm-${m}">${tr(ctx.lang, paymentMethodNames[m])}</label></div>`)}
    <p class="hint">${t({ en: 'For a card payment you enter your card on our payment provider’s page, never on ours; we receive only a single-use token. Orders on invoice need a credit check first (see the privacy policy).', de: 'Für eine Kartenzahlung geben Sie Ihre Karte auf der Seite unseres Zahlungsdienstleisters ein, nie auf unserer; wir erhalten nur ein Einmal-Token. Bestellungen auf Rechnung brauchen vorher eine Bonitätsprüfung (siehe Datenschutzerklärung).' })}</p>
  </fieldset>
  <p class="hint" id="advertising-notice">${t({ en: 'As a customer you may receive emails from us about products similar to those you buy, at the email address of your account. You may object to this use of your email address at any time, without incurring any costs other than the transmission costs at the basic rates: in your account under', de: 'Als Kunde erhalten Sie von uns gegebenenfalls E-Mails zu ähnlichen Produkten wie den gekauften, an die E-Mail-Adresse Ihres Kontos. Sie können dieser Verwendung Ihrer E-Mail-Adresse jederzeit widersprechen, ohne dass hierfür andere als die Übermittlungskosten nach den Basistarifen entstehen: in Ihrem Konto unter' })} <a href="/account/advertising">${t({ en: 'Product suggestions', de: 'Produktvorschläge' })}</a> ${t({ en: 'or with the link in each such email (§ 7(3) UWG).', de: 'oder über den Link in jeder solchen E-Mail (§ 7 Abs. 3 UWG).' })}</p>
  <p><button type="submit">${t({ en: 'Buy now', de: 'Zahlungspflichtig bestellen' })}</button></p>
</form>`,
  );
}

function orderLines(ctx: PageContext, lines: OrderLine[], order: OrdersTable): SafeHtml {
  const count = lines.reduce((sum, l) => sum + l.quantity, 0);
  const caption = tr(ctx.lang, { en: 'What you ordered: {n} items', de: 'Ihre Bestellung: {n} Artikel' }, { n: count });
  return linesTable(
    ctx,
    { items: lines, count, vatCents: order.vat_cents, totalCents: order.total_cents },
    caption,
    'stack order-lines',
  );
}

/** The title a product had in this order, as a line of its own or inside a bundle. */
function titleOfProductIn(lines: OrderLine[], productId: string): string {
  for (const line of lines) {
    if (line.productId === productId) return line.title;
    const inside = line.contents?.find((c) => c.productId === productId);
    if (inside) return inside.title;
  }
  return '';
}

export function orderPage(
  ctx: PageContext,
  order: OrdersTable,
  justPlaced: boolean,
  licences: { key: string; productId: string }[] = [],
): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = t({ en: 'Order {n}', de: 'Bestellung {n}' }, { n: order.number });
  const shipping = JSON.parse(order.shipping) as Address;
  const history = JSON.parse(order.history) as { status: OrderStatus; at: number }[];
  const payment =
    order.payment_method === 'card' && order.card_brand
      ? `${tr(ctx.lang, paymentMethodNames.card)} (${order.card_brand} •••• ${order.card_last4})`
      : tr(ctx.lang, paymentMethodNames[order.payment_method]);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${justPlaced && order.status !== 'pending_payment' ? html`<p class="notice" role="status">${t({ en: 'Thank you! Your order is placed; a confirmation is on its way by email.', de: 'Vielen Dank! Ihre Bestellung ist aufgegeben; eine Bestätigung kommt per E-Mail.' })}</p>` : ''}
${order.status === 'pending_payment' ? html`<p class="notice" role="status">${t({ en: 'We are waiting for the payment provider to confirm the payment. This page shows the result once it is in.', de: 'Wir warten auf die Bestätigung der Zahlung durch den Zahlungsdienstleister. Diese Seite zeigt das Ergebnis, sobald es vorliegt.' })}</p>` : ''}
<p>${t({ en: 'Status', de: 'Status' })}: <strong>${t(statusNames[order.status])}</strong></p>
${orderLines(ctx, JSON.parse(order.lines) as OrderLine[], order)}
<p>${t({ en: 'Payment', de: 'Zahlung' })}: ${payment}</p>
${!['cancelled', 'pending_payment'].includes(order.status) ? html`<p><a href="/api/v1/orders/${order.id}/invoice.pdf">${t({ en: 'Invoice (PDF)', de: 'Rechnung (PDF)' })}</a></p>` : ''}
${
  licences.length > 0
    ? html`<h2>${t({ en: 'Licence keys', de: 'Lizenzschlüssel' })}</h2>
<ul>${licences.map((l) => html`<li>${titleOfProductIn(JSON.parse(order.lines) as OrderLine[], l.productId)}: <code class="licence-key">${l.key}</code></li>`)}</ul>
<p><a href="/account/products">${t({ en: 'Manage activations', de: 'Aktivierungen verwalten' })}</a></p>`
    : ''
}
<h2>${t({ en: 'Shipping address', de: 'Lieferadresse' })}</h2>
<address>${shipping.name}<br>${shipping.street}<br>${shipping.postalCode} ${shipping.city}<br>${shipping.country}</address>
<h2>${t({ en: 'History', de: 'Verlauf' })}</h2>
<ol>${history.map((h) => html`<li>${formatTime(ctx.lang, h.at, ctx.timeZone)}: ${t(statusNames[h.status])}</li>`)}</ol>
<p><a href="/account/orders">${t({ en: 'All my orders', de: 'Alle meine Bestellungen' })}</a></p>`,
  );
}

export function ordersPage(ctx: PageContext, orders: OrdersTable[]): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'My orders', de: 'Meine Bestellungen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${
  orders.length === 0
    ? html`<p>${t({ en: 'No orders yet.', de: 'Noch keine Bestellungen.' })}</p>`
    : html`<table><thead><tr><th scope="col">${t({ en: 'Order', de: 'Bestellung' })}</th><th scope="col">${t({ en: 'Date', de: 'Datum' })}</th><th scope="col">${t({ en: 'Status', de: 'Status' })}</th><th scope="col">${t({ en: 'Total', de: 'Summe' })}</th></tr></thead>
<tbody>${orders.map((o) => html`<tr><td><a href="/account/orders/${o.id}">${o.number}</a></td><td>${formatTime(ctx.lang, o.created_at, ctx.timeZone)}</td><td>${t(statusNames[o.status])}</td><td>${formatEuro(ctx.lang, o.total_cents)}</td></tr>`)}</tbody></table>`
}`,
  );
}
