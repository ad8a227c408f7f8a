// Checkout and order pages. The checkout form works without JavaScript; its hidden one-time key makes a
// double submit place one order.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatEuro, formatTime, tr, type Text } from '../../platform/i18n.ts';
import { countryName, LEGACY_VAT_COUNTRY, vatLabel, vatPlacesOf } from '../../shop/vat.ts';
import type { BasketView } from '../basket/index.ts';
import { kindNames } from '../catalog/index.ts';
import {
  addressFieldLabels,
  addressFieldNames,
  checkoutAddressPart,
  type CheckoutAddressModel,
} from './addresses.pages.ts';
import { formatDay, formatIban, type InvoicePaymentDetails } from '../invoices/index.ts';
import { DIGITAL_CONSENT_TEXT, isDigitalKind, LEGAL_PATHS } from '../legal/index.ts';
import { testModeNotice } from '../payments/index.ts';
import type { CorrectionListItem } from './orders.corrections.ts';
import { correctionsList } from './orders.corrections.pages.ts';
import { paymentMethodNames, statusNames } from './orders.emails.ts';
import type { Address, OrderLine, OrdersTable, OrderStatus } from './orders.tables.ts';
import { type FieldLabels, type PageContext, csrfField, errorSummary, fieldId, layout } from '../../web/index.ts';
import type { CheckoutChoice } from '../../feature.ts';

export { statusNames };

/** What a checkout page needs besides the basket: the provider's test mode, whether invoice is offered, attempts. */
export interface CheckoutState {
  testMode: boolean;
  invoiceOffered: boolean;
  attempts: OrdersTable[];
  /** The order was just refused by the credit check: the page offers the human review. */
  declined?: boolean;
  /** The address part: countries sold to, the default country, the saved addresses (addresses.pages.ts). */
  address?: Pick<CheckoutAddressModel, 'countries' | 'defaultCountry' | 'saved'>;
  /** The VAT of the lines for the country chosen (decision 0031) and its label (shop/vat.ts vatLabel). */
  vat?: { cents: number; label: string };
  /** The error summary's order of fields (the form's order) and labels; other features add theirs. */
  fieldOrder?: string[];
  fieldLabels?: FieldLabels;
  /** The boxes other features add under the order form (the manifests' checkoutChoices), each with its notice. */
  choices?: readonly CheckoutChoice[];
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

export type CheckoutValues = Record<string, string | undefined>;

/** What a table of lines shows: the basket before buying, or the order bought. */
interface LinesSummary {
  /** Each line; `summary` is the product's essential features, where known (the basket's lines). */
  items: { title: string; kind: string; summary?: string; quantity: number; unitCents: number; lineCents: number }[];
  count: number;
  vatCents: number;
  totalCents: number;
  /** The VAT row's label with its rates and countries (shop/vat.ts vatLabel). */
  vatLabel: string;
}

/**
 * Every line with its essential features (kind and summary), unit price, quantity and line total, then shipping,
 * VAT and the total: nothing is bought unseen (a merged guest basket included), and at the checkout this is the
 * summary §312j(2) BGB wants directly above the order button. Shipping is charged nowhere in an order's total, so
 * goods to ship say it is free; downloads alone have no shipping line at all.
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
  const kind = (k: string) => (k in kindNames ? t(kindNames[k as keyof typeof kindNames]) : k);
  const features = (i: LinesSummary['items'][number]) =>
    html`<br><span class="line-features">${kind(i.kind)}${i.summary ? html`: ${i.summary}` : ''}</span>`;
  return html`<table class="${className}">
  <caption>${caption}</caption>
  <thead><tr><th scope="col">${head.product}</th><th scope="col">${head.unit}</th><th scope="col">${head.quantity}</th><th scope="col">${head.total}</th></tr></thead>
  <tbody>${summary.items.map(
    (i) =>
      html`<tr><th scope="row"><span class="line-title">${i.title}</span>${features(i)}</th><td data-label="${head.unit}">${euro(i.unitCents)}</td><td data-label="${head.quantity}">${i.quantity}</td><td data-label="${head.total}">${euro(i.lineCents)}</td></tr>`,
  )}</tbody>
  <tfoot>
    ${ships ? html`<tr class="lines-shipping"><th scope="row" colspan="3">${t({ en: 'Shipping', de: 'Versand' })}</th><td>${t({ en: 'free', de: 'kostenlos' })}</td></tr>` : ''}
    <tr class="lines-vat"><th scope="row" colspan="3">${summary.vatLabel}</th><td>${euro(summary.vatCents)}</td></tr>
    <tr class="lines-total"><th scope="row" colspan="3">${t({ en: 'Total incl. VAT', de: 'Gesamtsumme inkl. MwSt.' })}</th><td><strong>${euro(summary.totalCents)}</strong></td></tr>
  </tfoot>
</table>`;
}

function checkoutLines(ctx: PageContext, basket: BasketView, vat: CheckoutState['vat']): SafeHtml {
  const caption = tr(
    ctx.lang,
    { en: 'Your order: {n} items', de: 'Ihre Bestellung: {n} Artikel' },
    { n: basket.count },
  );
  // Before the checkout knows a country, the basket's own VAT (its remembered country, else the home rate).
  const summary = vat
    ? { ...basket, vatCents: vat.cents, vatLabel: vat.label }
    : { ...basket, vatLabel: vatLabel(ctx.lang, [basket.vat ?? { country: LEGACY_VAT_COUNTRY, rate: 19 }]) };
  return linesTable(ctx, summary, caption, 'stack checkout-lines');
}

const consentFieldLabels = {
  acceptTerms: { en: 'Terms', de: 'AGB' },
  digitalConsent: { en: 'Digital content', de: 'Digitale Inhalte' },
} satisfies Record<string, Text>;

/**
 * Before the order button: acceptance of the terms, with the withdrawal policy and its model form one click away,
 * and, when the basket holds digital content, the separate consent and acknowledgement of § 356(5) BGB. Neither is
 * ticked in advance; the links open in a new tab so that nothing typed is lost.
 */
function legalConsents(
  ctx: PageContext,
  basket: BasketView,
  values: CheckoutValues,
  errors: Record<string, Text>,
): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const digital = basket.items.filter((i) => isDigitalKind(i.kind));
  const box = (name: 'acceptTerms' | 'digitalConsent', label: SafeHtml) => {
    const id = `f-${name}`;
    const error = errors[name];
    return html`${error ? html`<p class="field-error" id="${id}-error">${t(error)}</p>` : ''}<div class="checkbox"><input id="${id}" type="checkbox" name="${name}" value="1" required${values[name] === '1' ? html` checked` : ''}${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}> <label for="${id}">${label}</label></div>`;
  };
  const link = (href: string, text: Text) => html`<a href="${href}" target="_blank" rel="noopener">${t(text)}</a>`;
  return html`<fieldset class="checkout-consents"><legend>${t({ en: 'Terms and right of withdrawal', de: 'AGB und Widerrufsrecht' })}</legend>
  ${box('acceptTerms', html`${t({ en: 'I accept the', de: 'Ich akzeptiere die' })} ${link(LEGAL_PATHS.terms, { en: 'terms and conditions', de: 'AGB' })}.`)}
  <p class="hint" id="withdrawal-information">${t({ en: 'You have a right of withdrawal: see the', de: 'Ihnen steht ein Widerrufsrecht zu; Einzelheiten in der' })} ${link(LEGAL_PATHS.withdrawal, { en: 'withdrawal policy', de: 'Widerrufsbelehrung' })} ${t({ en: 'with the model withdrawal form.', de: 'mit dem Muster-Widerrufsformular.' })}</p>
  ${
    digital.length > 0
      ? html`${box('digitalConsent', html`${t(DIGITAL_CONSENT_TEXT)}`)}
  <p class="hint" id="digital-consent-items">${t({ en: 'Digital content in this order', de: 'Digitale Inhalte dieser Bestellung' })}: ${digital.map((i) => i.title).join(', ')}</p>`
      : ''
  }
  <p class="hint">${link(LEGAL_PATHS.shipping, { en: 'Shipping and payment', de: 'Versand und Zahlung' })}</p>
</fieldset>`;
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
${errorSummary(ctx.lang, message, errors, { ...addressFieldLabels('billingAddress'), ...addressFieldLabels('shippingAddress'), 'payment.method': { en: 'Payment', de: 'Zahlung' }, ...consentFieldLabels, ...state.fieldLabels }, [...addressFieldNames('billingAddress'), ...addressFieldNames('shippingAddress'), 'payment.method', ...Object.keys(consentFieldLabels), ...(state.fieldOrder ?? [])])}
${reviewOffer(ctx, state)}
${attemptsNotice(ctx, state.attempts)}
<form method="post" action="/checkout" class="checkout-form" novalidate>
  ${csrfField(ctx)}
  <input type="hidden" name="formKey" value="${formKey}">
  ${checkoutAddressPart(ctx, { values, errors, ships: basket.items.some((i) => i.kind === 'hardware'), countries: state.address?.countries ?? ['DE'], defaultCountry: state.address?.defaultCountry ?? 'DE', saved: state.address?.saved ?? [] })}
  <fieldset id="f-payment-method"${errors['payment.method'] ? html` aria-describedby="f-payment-method-error"` : ''}><legend>${t({ en: 'Payment', de: 'Zahlung' })}</legend>
    ${errors['payment.method'] ? html`<p class="field-error" id="f-payment-method-error">${t(errors['payment.method'])}</p>` : ''}
    ${methods.map((m) => html`<div class="checkbox"><input id="pm-${m}" type="radio" name="payment.method" value="${m}"${method === m ? ' checked' : ''}> <label for="pm-${m}">${tr(ctx.lang, paymentMethodNames[m])}</label></div>`)}
    <p class="hint">${t({ en: 'For a card payment you enter your card on our payment provider’s page, never on ours; we receive only a single-use token. Orders on invoice need a credit check first (see the privacy policy).', de: 'Für eine Kartenzahlung geben Sie Ihre Karte auf der Seite unseres Zahlungsdienstleisters ein, nie auf unserer; wir erhalten nur ein Einmal-Token. Bestellungen auf Rechnung brauchen vorher eine Bonitätsprüfung (siehe Datenschutzerklärung).' })}</p>
  </fieldset>
  ${legalConsents(ctx, basket, values, errors)}
  <p class="hint" id="advertising-notice">${t({ en: 'As a customer you may receive emails from us about products similar to those you buy, at the email address of your account. You may object to this use of your email address at any time, without incurring any costs other than the transmission costs at the basic rates: in your account under', de: 'Als Kunde erhalten Sie von uns gegebenenfalls E-Mails zu ähnlichen Produkten wie den gekauften, an die E-Mail-Adresse Ihres Kontos. Sie können dieser Verwendung Ihrer E-Mail-Adresse jederzeit widersprechen, ohne dass hierfür andere als die Übermittlungskosten nach den Basistarifen entstehen: in Ihrem Konto unter' })} <a href="/account/advertising">${t({ en: 'Product suggestions', de: 'Produktvorschläge' })}</a> ${t({ en: 'or with the link in each such email (§ 7(3) UWG).', de: 'oder über den Link in jeder solchen E-Mail (§ 7 Abs. 3 UWG).' })}</p>
  ${(state.choices ?? []).map((c) => html`<div class="checkout-choice"><p class="hint" id="notice-${c.field}">${t(c.notice)}</p><div class="checkbox"><input id="${fieldId(c.field)}" type="checkbox" name="${c.field}" value="1" aria-describedby="notice-${c.field}"${values[c.field] === '1' ? ' checked' : ''}> <label for="${fieldId(c.field)}">${t(c.label)}</label></div></div>`)}
  <p><a href="/basket">${t({ en: 'Change basket', de: 'Warenkorb ändern' })}</a></p>
  ${checkoutLines(ctx, basket, state.vat)}
  <p><button type="submit">${t({ en: 'Buy now', de: 'Zahlungspflichtig bestellen' })}</button></p>
</form>`,
  );
}

function orderLines(ctx: PageContext, lines: OrderLine[], order: OrdersTable): SafeHtml {
  const count = lines.reduce((sum, l) => sum + l.quantity, 0);
  const caption = tr(ctx.lang, { en: 'What you ordered: {n} items', de: 'Ihre Bestellung: {n} Artikel' }, { n: count });
  return linesTable(
    ctx,
    {
      items: lines,
      count,
      vatCents: order.vat_cents,
      totalCents: order.total_cents,
      vatLabel: vatLabel(ctx.lang, vatPlacesOf(lines)),
    },
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

/** What the order page shows beyond the row: how to pay an invoice, and the parcel's tracking. */
export interface OrderPageExtras {
  /** An order on invoice: the bank details, reference and due date (shown while it is unpaid). */
  payment?: InvoicePaymentDetails | null;
  /** Once shipped: the carrier's name, the tracking number and the carrier's tracking page for it. */
  tracking?: { carrier: string; number: string; url: string } | null;
  /** The order's cancellation invoices (decision 0048). */
  corrections?: CorrectionListItem[];
}

/** Bank transfer of an order on invoice: amount, due date, account and the reference to give. */
function invoicePayment(ctx: PageContext, order: OrdersTable, payment: InvoicePaymentDetails | null | undefined) {
  if (!payment || order.status !== 'invoiced') return '';
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const due = formatDay(ctx.lang, payment.dueAt, ctx.timeZone);
  const rows: [Text, string][] = [
    [{ en: 'Amount', de: 'Betrag' }, formatEuro(ctx.lang, payment.amountCents)],
    [{ en: 'Due by', de: 'Fällig bis' }, due],
    [{ en: 'Account holder', de: 'Kontoinhaber' }, payment.accountHolder],
    [{ en: 'IBAN', de: 'IBAN' }, formatIban(payment.iban)],
    [{ en: 'BIC', de: 'BIC' }, payment.bic],
    [{ en: 'Bank', de: 'Bank' }, payment.bank],
    [{ en: 'Payment reference', de: 'Verwendungszweck' }, payment.reference],
  ];
  return html`<section class="invoice-payment" aria-labelledby="invoice-payment-title">
<h2 id="invoice-payment-title">${t({ en: 'Payment by bank transfer', de: 'Zahlung per Überweisung' })}</h2>
<p>${t({ en: 'Please transfer {amount} by {due} to the account below, with the payment reference {reference} so that we can match your payment.', de: 'Bitte überweisen Sie {amount} bis zum {due} auf das folgende Konto und geben Sie als Verwendungszweck {reference} an, damit wir Ihre Zahlung zuordnen können.' }, { amount: formatEuro(ctx.lang, payment.amountCents), due, reference: payment.reference })}</p>
<dl class="bank-details">${rows.map(([label, value]) => html`<dt>${t(label)}</dt><dd>${value}</dd>`)}</dl>
</section>`;
}

/** The order's way so far, oldest first, in words and the operator's time; the shipped step links to the parcel. */
function statusTimeline(ctx: PageContext, order: OrdersTable, tracking: OrderPageExtras['tracking']): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const history = JSON.parse(order.history) as { status: OrderStatus; at: number }[];
  // The first step is the order being placed; "waiting for payment confirmation" was a moment, not the story.
  const label = (status: OrderStatus, i: number): Text =>
    i === 0 && status === 'pending_payment' ? { en: 'Order placed', de: 'Bestellung aufgegeben' } : statusNames[status];
  return html`<ol class="order-timeline">${history.map(
    (h, i) =>
      html`<li${i === history.length - 1 ? html` aria-current="step"` : ''}><strong>${t(label(h.status, i))}</strong> <time datetime="${new Date(h.at).toISOString()}">${formatTime(ctx.lang, h.at, ctx.timeZone)}</time>${
        h.status === 'shipped' && tracking
          ? html`<br>${t({ en: 'with', de: 'mit' })} ${tracking.carrier}, ${t({ en: 'tracking number', de: 'Sendungsnummer' })} <span class="tracking-number">${tracking.number}</span>: <a href="${tracking.url}" rel="noopener noreferrer">${t({ en: 'Track your parcel', de: 'Sendung verfolgen' })}</a>`
          : ''
      }</li>`,
  )}</ol>`;
}

export function orderPage(
  ctx: PageContext,
  order: OrdersTable,
  justPlaced: boolean,
  licences: { key: string; productId: string }[] = [],
  extras: OrderPageExtras = {},
): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = t({ en: 'Order {n}', de: 'Bestellung {n}' }, { n: order.number });
  const shipping = JSON.parse(order.shipping) as Address;
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
${invoicePayment(ctx, order, extras.payment)}
${!['cancelled', 'pending_payment'].includes(order.status) ? html`<p><a href="/api/v1/orders/${order.id}/invoice.pdf">${t({ en: 'Invoice (PDF)', de: 'Rechnung (PDF)' })}</a></p>` : ''}
${correctionsList(ctx, `/account/orders/${order.id}/corrections`, extras.corrections ?? [], 2)}
${['invoiced', 'paid', 'shipped', 'completed'].includes(order.status) ? html`<p class="order-withdraw"><a href="/account/orders/${order.id}/withdraw">${t({ en: 'Withdraw from contract', de: 'Vertrag widerrufen' })}</a></p>` : ''}
${
  licences.length > 0
    ? html`<h2>${t({ en: 'Licence keys', de: 'Lizenzschlüssel' })}</h2>
<ul>${licences.map((l) => html`<li>${titleOfProductIn(JSON.parse(order.lines) as OrderLine[], l.productId)}: <code class="licence-key">${l.key}</code></li>`)}</ul>
<p><a href="/account/products">${t({ en: 'Manage activations', de: 'Aktivierungen verwalten' })}</a></p>`
    : ''
}
<h2>${t({ en: 'Shipping address', de: 'Lieferadresse' })}</h2>
<address>${shipping.name}<br>${shipping.street}<br>${shipping.postalCode} ${shipping.city}<br>${countryName(ctx.lang, shipping.country)}</address>
<h2>${t({ en: 'Order status', de: 'Bestellstatus' })}</h2>
${statusTimeline(ctx, order, extras.tracking)}
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
