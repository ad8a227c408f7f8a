// The staff order page's sections (issue 12, point 2): customer, addresses, lines with VAT, payment and its state,
// invoice PDF, licence keys, status history with refunds, internal notes, and the forms that lead to the
// confirmation pages of the irreversible steps (cancel, refund) or record an invoice's payment. Pure functions.
import { html, type SafeHtml } from '../../platform/html.ts';
import { countryName, formatEuro, formatTime, tr, type Text } from '../../platform/i18n.ts';
import { formatRate, vatOfGross } from '../../shop/vat.ts';
import { type FieldErrors, type PageContext, csrfField, errorSummary, fieldId, layout } from '../../web/index.ts';
import { formatDay } from '../invoices/index.ts';
import { maskedKeysNotice, maskKey } from '../licences/index.ts';
import type { OrderNotesTable, OrderRefundsTable, RefundedLine } from './order-page.tables.ts';
import { NOTE_MAX, PAID_REFERENCE_MAX, type RefundPlan, type RefundState } from './order-page.service.ts';
import type { CorrectionListItem } from './orders.corrections.ts';
import { correctionsList } from './orders.corrections.pages.ts';
import { paymentMethodNames, statusNames } from './orders.emails.ts';
import type { Address, OrderLine, OrdersTable, OrderStatus } from './orders.tables.ts';

/** A licence as the page shows it. */
export interface ConsoleLicence {
  licence_key: string;
  product_id: string;
  revoked_at: number | null;
}

/** Everything the staff order page shows beyond the order row. */
export interface OrderPageModel {
  customer: { id: string; name: string; email: string } | null;
  licences: ConsoleLicence[];
  refunds: OrderRefundsTable[];
  refundState: RefundState;
  notes: (OrderNotesTable & { author_name: string | null })[];
  /** An invoice order's due date and whether it is past it unpaid; null for other methods. */
  invoice: { dueAt: number; overdue: boolean } | null;
  /** The invoice PDF exists (issued at confirmation). */
  hasInvoice: boolean;
  /** The cancellation invoices of the order (decision 0048), oldest first. */
  corrections?: CorrectionListItem[];
  /** Today in the operator's calendar (YYYY-MM-DD), the default and upper bound of the day of payment. */
  today: string;
  /** What was typed into a refused form, with the problems at their fields. */
  form?: { name: 'note' | 'paid'; values: Record<string, string>; fields: FieldErrors };
}

type T = (text: Text, p?: Record<string, string | number>) => string;

function addressBlock(a: Address | null, lang: 'en' | 'de'): SafeHtml | string {
  if (!a) return '';
  return html`<address>${a.name}<br>${a.street}<br>${a.postalCode} ${a.city}<br>${countryName(lang, a.country)}</address>`;
}

const parse = <V>(json: string | null | undefined): V | null => (json ? (JSON.parse(json) as V) : null);

/** The lines with unit price, quantity, VAT rate and amount, line total; shipping and the totals. */
export function linesTable(ctx: PageContext, order: OrdersTable): SafeHtml {
  const t: T = (text, p) => tr(ctx.lang, text, p);
  const lines = parse<OrderLine[]>(order.lines) ?? [];
  const shipping = Math.max(0, order.total_cents - lines.reduce((s, l) => s + l.lineCents, 0));
  const money = (c: number) => formatEuro(ctx.lang, c);
  // Phones show each line as a block, every cell under its column's name (data-label, site.css).
  const col = {
    unit: t({ en: 'Unit price', de: 'Einzelpreis' }),
    qty: t({ en: 'Quantity', de: 'Menge' }),
    rate: t({ en: 'VAT rate', de: 'MwSt.-Satz' }),
    vat: t({ en: 'VAT', de: 'MwSt.' }),
    total: t({ en: 'Line total', de: 'Gesamt' }),
  };
  return html`<table class="order-lines stack"><caption>${t({ en: 'Items', de: 'Positionen' })}</caption>
<thead><tr><th scope="col">${t({ en: 'Item', de: 'Artikel' })}</th><th scope="col">${col.unit}</th><th scope="col">${col.qty}</th><th scope="col">${col.rate}</th><th scope="col">${col.vat}</th><th scope="col">${col.total}</th></tr></thead>
<tbody>${lines.map(
    (l) =>
      html`<tr><th scope="row">${l.title}</th><td data-label="${col.unit}">${money(l.unitCents)}</td><td data-label="${col.qty}">${l.quantity}</td><td data-label="${col.rate}">${formatRate(ctx.lang, l.vatRate)}${l.vatCountry ? ` (${l.vatCountry})` : ''}</td><td data-label="${col.vat}">${money(vatOfGross(l.lineCents, l.vatRate))}</td><td data-label="${col.total}">${money(l.lineCents)}</td></tr>`,
  )}${shipping > 0 ? html`<tr><th scope="row">${t({ en: 'Shipping', de: 'Versand' })}</th><td></td><td></td><td></td><td></td><td data-label="${col.total}">${money(shipping)}</td></tr>` : ''}</tbody>
<tfoot><tr><th scope="row" colspan="4">${t({ en: 'Total', de: 'Summe' })}</th><td data-label="${col.vat}">${money(order.vat_cents)}</td><td data-label="${col.total}"><strong>${money(order.total_cents)}</strong></td></tr></tfoot></table>`;
}

function paymentSection(ctx: PageContext, order: OrdersTable, model: OrderPageModel): SafeHtml {
  const t: T = (text, p) => tr(ctx.lang, text, p);
  const history = parse<{ status: OrderStatus; at: number }[]>(order.history) ?? [];
  const paidAt = history.find((h) => h.status === 'paid')?.at;
  const rows: [Text, SafeHtml | string][] = [
    [{ en: 'Method', de: 'Zahlungsart' }, t(paymentMethodNames[order.payment_method])],
  ];
  if (order.card_brand || order.card_last4)
    rows.push([{ en: 'Card', de: 'Karte' }, `${order.card_brand ?? ''} •••• ${order.card_last4 ?? ''}`]);
  if (order.payment_reference)
    rows.push([{ en: 'Provider reference', de: 'Referenz des Zahlungsdienstleisters' }, order.payment_reference]);
  if (order.payment_method === 'invoice') {
    const inv = model?.invoice;
    if (inv) rows.push([{ en: 'Due date', de: 'Fällig am' }, formatDay(ctx.lang, inv.dueAt, ctx.timeZone)]);
    if (order.invoice_paid_on) {
      rows.push([{ en: 'Paid on', de: 'Bezahlt am' }, order.invoice_paid_on]);
      rows.push([
        { en: 'Bank statement reference', de: 'Verwendungszweck laut Kontoauszug' },
        order.invoice_paid_reference ?? '',
      ]);
    } else if (order.status === 'invoiced')
      rows.push([
        { en: 'State', de: 'Stand' },
        inv?.overdue
          ? html`<strong class="overdue">${t({ en: 'Overdue: not paid by the due date', de: 'Überfällig: bis zum Fälligkeitsdatum nicht bezahlt' })}</strong>`
          : t({ en: 'Awaiting bank transfer', de: 'Überweisung ausstehend' }),
      ]);
  } else if (paidAt !== undefined) {
    rows.push([{ en: 'Paid at', de: 'Bezahlt am' }, formatTime(ctx.lang, paidAt, ctx.timeZone)]);
  }
  const refund = model?.refundState;
  if (refund && refund.refundedCents > 0)
    rows.push([{ en: 'Refunded', de: 'Erstattet' }, formatEuro(ctx.lang, refund.refundedCents)]);
  return html`<section aria-labelledby="payment-title" class="order-payment"><h2 id="payment-title">${t({ en: 'Payment', de: 'Zahlung' })}</h2>
<dl>${rows.map(([k, v]) => html`<dt>${t(k)}</dt><dd>${v}</dd>`)}</dl>
${model?.hasInvoice ? html`<p><a href="/staff/orders/${order.id}/invoice.pdf">${t({ en: 'Invoice (PDF)', de: 'Rechnung (PDF)' })}</a></p>` : ''}
${correctionsList(ctx, `/staff/orders/${order.id}/corrections`, model?.corrections ?? [])}
</section>`;
}

function licencesSection(ctx: PageContext, order: OrdersTable, licences: ConsoleLicence[]): SafeHtml {
  const t: T = (text, p) => tr(ctx.lang, text, p);
  const titles = new Map<string, string>();
  for (const l of parse<OrderLine[]>(order.lines) ?? []) {
    titles.set(l.productId, l.title);
    for (const c of l.contents ?? []) titles.set(c.productId, c.title);
  }
  return html`<section aria-labelledby="licences-title" class="order-licences"><h2 id="licences-title">${t({ en: 'Licence keys', de: 'Lizenzschlüssel' })}</h2>
${
  licences.length === 0
    ? html`<p>${t({ en: 'No licence keys were issued for this order.', de: 'Für diese Bestellung wurden keine Lizenzschlüssel ausgegeben.' })}</p>`
    : html`<p>${t(maskedKeysNotice)}</p><ul>${licences.map((l) => html`<li><code>${maskKey(l.licence_key)}</code> ${titles.get(l.product_id) ?? ''} ${l.revoked_at === null ? html`<span class="licence-valid">(${t({ en: 'valid', de: 'gültig' })})</span>` : html`<span class="licence-revoked">(${t({ en: 'revoked', de: 'widerrufen' })} ${formatTime(ctx.lang, l.revoked_at, ctx.timeZone)})</span>`}</li>`)}</ul>`
}</section>`;
}

function refundLineText(ctx: PageContext, l: RefundedLine): string {
  return `${l.quantity} × ${l.title} (${formatEuro(ctx.lang, l.amountCents)})`;
}

/** The status history and the refunds, oldest first. */
export function timelineSection(ctx: PageContext, order: OrdersTable, refunds: OrderRefundsTable[]): SafeHtml {
  const t: T = (text, p) => tr(ctx.lang, text, p);
  const history = parse<{ status: OrderStatus; at: number }[]>(order.history) ?? [];
  const events: { at: number; text: SafeHtml | string }[] = [
    ...history.map((h, i) => ({
      at: h.at,
      text:
        i === 0 && h.status === 'pending_payment'
          ? t({ en: 'Order placed', de: 'Bestellung aufgegeben' })
          : h.status === 'paid' && order.invoice_paid_on
            ? `${t(statusNames.paid)} (${t({ en: 'bank transfer of {day} recorded', de: 'Überweisung vom {day} erfasst' }, { day: order.invoice_paid_on })})`
            : t(statusNames[h.status]),
    })),
    ...refunds.map((r) => ({
      at: r.created_at,
      text: html`${
        r.state === 'pending'
          ? t({ en: 'Refund pending', de: 'Erstattung ausstehend' })
          : r.state === 'unknown'
            ? t({
                en: 'Refund unconfirmed (the payment provider did not answer; asked again automatically)',
                de: 'Erstattung unbestätigt (der Zahlungsdienstleister hat nicht geantwortet; wird automatisch erneut angefragt)',
              })
            : t({ en: 'Refunded', de: 'Erstattet' })
      }: ${formatEuro(ctx.lang, Number(r.amount_cents))}${
        (JSON.parse(r.lines) as RefundedLine[]).length > 0
          ? ` — ${(JSON.parse(r.lines) as RefundedLine[]).map((l) => refundLineText(ctx, l)).join(', ')}`
          : ''
      }${Number(r.shipping_cents) > 0 ? ` — ${t({ en: 'shipping', de: 'Versand' })} ${formatEuro(ctx.lang, Number(r.shipping_cents))}` : ''}`,
    })),
  ].sort((a, b) => a.at - b.at);
  return html`<section aria-labelledby="history-title" class="order-timeline"><h2 id="history-title">${t({ en: 'History', de: 'Verlauf' })}</h2>
<ol>${events.map((e) => html`<li><time datetime="${new Date(e.at).toISOString()}">${formatTime(ctx.lang, e.at, ctx.timeZone)}</time>: ${e.text}</li>`)}</ol></section>`;
}

function notesSection(ctx: PageContext, order: OrdersTable, model: OrderPageModel): SafeHtml {
  const t: T = (text, p) => tr(ctx.lang, text, p);
  const form = model.form?.name === 'note' ? model.form : undefined;
  const problem = form?.fields.note;
  return html`<section aria-labelledby="notes-title" class="order-notes"><h2 id="notes-title">${t({ en: 'Internal notes', de: 'Interne Notizen' })}</h2>
<form method="post" action="/staff/orders/${order.id}/notes">${csrfField(ctx)}
<label for="${fieldId('note')}">${t({ en: 'New note (only staff see it; the customer can ask for a copy of their data, notes included)', de: 'Neue Notiz (nur für das Team sichtbar; wer bestellt hat, kann eine Kopie der eigenen Daten verlangen, Notizen eingeschlossen)' })}</label>
${problem ? html`<p class="field-error" id="note-error">${t(problem)}</p>` : ''}
<textarea id="${fieldId('note')}" name="note" rows="3" maxlength="${NOTE_MAX}"${problem ? html` aria-invalid="true" aria-describedby="note-error"` : ''}>${form?.values.note ?? ''}</textarea>
<button type="submit">${t({ en: 'Add note', de: 'Notiz hinzufügen' })}</button></form>
${
  model.notes.length === 0
    ? html`<p>${t({ en: 'No notes yet.', de: 'Noch keine Notizen.' })}</p>`
    : html`<ul class="notes">${model.notes.map((n) => html`<li><p class="note-meta">${n.author_name ?? t({ en: 'former team member', de: 'ehemaliges Teammitglied' })}, <time datetime="${new Date(n.created_at).toISOString()}">${formatTime(ctx.lang, n.created_at, ctx.timeZone)}</time></p><p class="note-body">${n.body}</p></li>`)}</ul>`
}</section>`;
}

/** The actions with money: cancel (unpaid invoice), refund (paid), record an invoice's payment. */
function moneyActions(ctx: PageContext, order: OrdersTable, model: OrderPageModel): SafeHtml {
  const t: T = (text, p) => tr(ctx.lang, text, p);
  const parts: (SafeHtml | string)[] = [];
  if (order.status === 'invoiced' && order.payment_method === 'invoice') {
    const form = model.form?.name === 'paid' ? model.form : undefined;
    const err = (name: string) =>
      form?.fields[name] ? html`<p class="field-error" id="${name}-error">${t(form.fields[name])}</p>` : '';
    const invalid = (name: string) =>
      form?.fields[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : '';
    parts.push(html`<form method="post" action="/staff/orders/${order.id}/paid" class="mark-paid">${csrfField(ctx)}
<fieldset><legend>${t({ en: 'Record the bank transfer', de: 'Überweisung erfassen' })}</legend>
<label for="${fieldId('paidOn')}">${t({ en: 'Day of payment (from the bank statement)', de: 'Zahlungsdatum (laut Kontoauszug)' })}</label>${err('paidOn')}
<input type="date" id="${fieldId('paidOn')}" name="paidOn" required max="${model.today}" value="${form?.values.paidOn ?? model.today}"${invalid('paidOn')}>
<label for="${fieldId('reference')}">${t({ en: 'Reference on the bank statement', de: 'Verwendungszweck laut Kontoauszug' })}</label>${err('reference')}
<input id="${fieldId('reference')}" name="reference" required maxlength="${PAID_REFERENCE_MAX}" value="${form?.values.reference ?? ''}"${invalid('reference')}>
<button type="submit">${t({ en: 'Mark paid', de: 'Als bezahlt markieren' })}</button></fieldset></form>`);
    parts.push(
      html`<p><a href="/staff/orders/${order.id}/cancel">${t({ en: 'Cancel this order…', de: 'Diese Bestellung stornieren …' })}</a></p>`,
    );
  }
  const state = model.refundState;
  if (state.refundable) {
    parts.push(html`<form method="get" action="/staff/orders/${order.id}/refund" class="refund-start">
<fieldset><legend>${t({ en: 'Refund', de: 'Erstatten' })}</legend>
<p>${t({ en: 'Paid {paid}, refunded {refunded}, left {left}.', de: 'Bezahlt {paid}, erstattet {refunded}, verbleibend {left}.' }, { paid: formatEuro(ctx.lang, state.paidCents), refunded: formatEuro(ctx.lang, state.refundedCents), left: formatEuro(ctx.lang, state.remainingCents) })}</p>
<button type="submit" name="scope" value="full">${t({ en: 'Refund everything left…', de: 'Alles Verbleibende erstatten …' })}</button>
<p>${t({ en: 'Or only some items:', de: 'Oder nur einzelne Artikel:' })}</p>
${state.lines
  .filter((l) => l.remainingQuantity > 0)
  .map(
    (l) =>
      html`<p><label for="${fieldId(`qty.${l.lineNo}`)}">${l.line.title} (${t({ en: 'up to {n}', de: 'bis zu {n}' }, { n: l.remainingQuantity })})</label> <input type="number" inputmode="numeric" min="0" max="${l.remainingQuantity}" step="1" value="0" id="${fieldId(`qty.${l.lineNo}`)}" name="qty.${l.lineNo}"></p>`,
  )}
${state.shippingRemainingCents > 0 ? html`<div class="checkbox"><input type="checkbox" id="f-shipping" name="shipping" value="1"> <label for="f-shipping">${t({ en: 'Shipping cost', de: 'Versandkosten' })} (${formatEuro(ctx.lang, state.shippingRemainingCents)})</label></div>` : ''}
<button type="submit" name="scope" value="lines">${t({ en: 'Refund the chosen items…', de: 'Gewählte Artikel erstatten …' })}</button>
</fieldset></form>`);
  } else if (order.status === 'invoiced' && state.reason) {
    parts.push(html`<p class="refund-not-possible">${t(state.reason)}</p>`);
  }
  if (parts.length === 0) return html``;
  return html`<section aria-labelledby="money-title" class="order-money"><h2 id="money-title">${t({ en: 'Payment actions', de: 'Zahlungsaktionen' })}</h2>${parts}</section>`;
}

/** The sections above the shipping parts: customer, addresses, lines, payment, licences. */
export function orderDetailSections(ctx: PageContext, order: OrdersTable, model: OrderPageModel): SafeHtml {
  const t: T = (text, p) => tr(ctx.lang, text, p);
  const billing = parse<Address>(order.billing);
  const shipping = parse<Address>(order.shipping);
  const customer = model?.customer;
  return html`${
    model
      ? html`<section aria-labelledby="customer-title" class="order-customer"><h2 id="customer-title">${t({ en: 'Customer', de: 'Kunde' })}</h2>
${customer ? html`<p><a href="/staff/customers/${customer.id}">${customer.name}</a> &lt;<a href="mailto:${customer.email}">${customer.email}</a>&gt;</p>` : html`<p>${t({ en: 'The account no longer exists.', de: 'Das Konto besteht nicht mehr.' })}</p>`}</section>`
      : ''
  }
<div class="order-addresses">${billing ? html`<section aria-labelledby="billing-title"><h2 id="billing-title">${t({ en: 'Billing address', de: 'Rechnungsanschrift' })}</h2>${addressBlock(billing, ctx.lang)}</section>` : ''}
${shipping ? html`<section aria-labelledby="shipping-title"><h2 id="shipping-title">${t({ en: 'Shipping address', de: 'Lieferanschrift' })}</h2>${addressBlock(shipping, ctx.lang)}</section>` : ''}</div>
${linesTable(ctx, order)}
${paymentSection(ctx, order, model)}
${licencesSection(ctx, order, model.licences)}`;
}

/** The sections below: the money actions (cancel, refund, an invoice's payment) and the notes. */
export function orderActionSections(ctx: PageContext, order: OrdersTable, model: OrderPageModel): SafeHtml {
  return html`${moneyActions(ctx, order, model)}
${notesSection(ctx, order, model)}`;
}

/** The confirmation of a cancellation: what it will do; the POST carries `confirm`. */
export function cancelConfirmPage(
  ctx: PageContext,
  order: OrdersTable,
  lines: OrderLine[],
  licenceCount: number,
  error?: Text,
): string {
  const t: T = (text, p) => tr(ctx.lang, text, p);
  const title = t({ en: 'Cancel order {n}?', de: 'Bestellung {n} stornieren?' }, { n: order.number });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, error)}
<p>${t({ en: 'This cannot be undone. Cancelling has these consequences:', de: 'Das kann nicht rückgängig gemacht werden. Die Stornierung hat diese Folgen:' })}</p>
<ul class="consequences">
<li>${t({ en: 'The claim of {amount} ends: the invoice is no longer owed and no more reminders go out.', de: 'Die Forderung über {amount} entfällt: Die Rechnung muss nicht mehr bezahlt werden, und es werden keine Zahlungserinnerungen mehr versandt.' }, { amount: formatEuro(ctx.lang, order.total_cents) })}</li>
<li>${t({ en: 'These items go back into stock:', de: 'Diese Artikel werden in den Bestand zurückgebucht:' })} ${lines.map((l) => `${l.quantity} × ${l.title}`).join(', ')}.</li>
<li>${t(licenceCount === 1 ? { en: 'The licence key of this order is revoked: it no longer activates.', de: 'Der Lizenzschlüssel dieser Bestellung wird widerrufen und lässt sich nicht mehr aktivieren.' } : { en: '{n} licence keys of this order are revoked: they no longer activate.', de: '{n} Lizenzschlüssel dieser Bestellung werden widerrufen und lassen sich nicht mehr aktivieren.' }, { n: licenceCount })}</li>
</ul>
<form method="post" action="/staff/orders/${order.id}/cancel">${csrfField(ctx)}
<input type="hidden" name="confirm" value="yes">
<button type="submit">${t({ en: 'Cancel the order', de: 'Bestellung stornieren' })}</button></form>
<p><a href="/staff/orders/${order.id}">${t({ en: 'Back to the order without cancelling', de: 'Zurück zur Bestellung, ohne zu stornieren' })}</a></p>`,
  );
}

/** The confirmation of a refund: amount, lines, licences revoked, the order's status after; POST with `confirm`. */
export function refundConfirmPage(ctx: PageContext, plan: RefundPlan, error?: Text): string {
  const t: T = (text, p) => tr(ctx.lang, text, p);
  const order = plan.order;
  const title = t(
    { en: 'Refund {amount} of order {n}?', de: '{amount} der Bestellung {n} erstatten?' },
    { amount: formatEuro(ctx.lang, plan.amountCents), n: order.number },
  );
  const through =
    order.payment_method === 'invoice'
      ? t({
          en: 'This order was paid by bank transfer: the refund is recorded here, and you transfer the amount back to the customer yourself.',
          de: 'Diese Bestellung wurde per Überweisung bezahlt: Die Erstattung wird hier erfasst; den Betrag überweisen Sie selbst auf das Konto zurück, von dem die Zahlung kam.',
        })
      : t({
          en: 'The amount goes back through the payment provider to the means of payment the customer used.',
          de: 'Der Betrag wird über den Zahlungsdienstleister auf das bei der Bestellung verwendete Zahlungsmittel zurückgezahlt.',
        });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, error)}
<p>${t({ en: 'This cannot be undone.', de: 'Das kann nicht rückgängig gemacht werden.' })} ${through}</p>
<ul class="consequences">
${plan.lines.map((l) => html`<li>${refundLineText(ctx, l)}</li>`)}
${plan.shippingCents > 0 ? html`<li>${t({ en: 'Shipping cost', de: 'Versandkosten' })} (${formatEuro(ctx.lang, plan.shippingCents)})</li>` : ''}
<li>${
      plan.licences.length === 0
        ? t({ en: 'No licence keys are revoked.', de: 'Es werden keine Lizenzschlüssel widerrufen.' })
        : t(
            {
              en: 'Licence keys revoked (they no longer activate): {list}',
              de: 'Widerrufene Lizenzschlüssel (sie lassen sich nicht mehr aktivieren): {list}',
            },
            { list: plan.licences.map((l) => `${l.count} × ${l.title}`).join(', ') },
          )
    }</li>
<li>${
      plan.completes
        ? t({
            en: 'The order is then refunded in full and gets the status “Refunded”.',
            de: 'Die Bestellung ist dann vollständig erstattet und erhält den Status „Erstattet“.',
          })
        : t(
            {
              en: 'The order keeps its status “{s}”; the rest stays paid.',
              de: 'Die Bestellung behält ihren Status „{s}“; der Rest bleibt bezahlt.',
            },
            { s: t(statusNames[order.status]) },
          )
    }</li>
</ul>
<form method="post" action="/staff/orders/${order.id}/refund">${csrfField(ctx)}
<input type="hidden" name="confirm" value="yes">
<input type="hidden" name="amount" value="${plan.amountCents}">
${
  plan.scope === 'full'
    ? html`<input type="hidden" name="scope" value="full">`
    : html`<input type="hidden" name="scope" value="lines">${plan.lines.map((l) => html`<input type="hidden" name="qty.${l.lineNo}" value="${l.quantity}">`)}${plan.shippingCents > 0 ? html`<input type="hidden" name="shipping" value="1">` : ''}`
}
<button type="submit">${t({ en: 'Refund {amount}', de: '{amount} erstatten' }, { amount: formatEuro(ctx.lang, plan.amountCents) })}</button></form>
<p><a href="/staff/orders/${order.id}">${t({ en: 'Back to the order without refunding', de: 'Zurück zur Bestellung, ohne zu erstatten' })}</a></p>`,
  );
}
