// Staff page parts of shipping and payment reminders: the ship form (carrier, tracking number, a serial number per
// hardware unit, every error at its field), the parcel once shipped, and the reminder schedule of an invoice order.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import type { Carrier } from '../../platform/operator.ts';
import { formatDay } from '../invoices/index.ts';
import type { ReminderState } from './orders.reminders.ts';
import type { OrdersTable } from './orders.tables.ts';
import type { SerialSlot } from './serials.service.ts';
import { type PageContext, csrfField } from '../../web/index.ts';

export interface ShipFormState {
  values?: { carrier?: string; tracking?: string; serials?: string[] };
  fields?: Record<string, Text>;
}

function fieldError(ctx: PageContext, id: string, error: Text | undefined): SafeHtml | string {
  return error ? html`<p class="field-error" id="${id}-error">${tr(ctx.lang, error)}</p>` : '';
}

const invalid = (id: string, error: Text | undefined): SafeHtml | string =>
  error ? html` aria-invalid="true" aria-describedby="${id}-error"` : '';

export function shipForm(
  ctx: PageContext,
  order: OrdersTable,
  carriers: Carrier[],
  slots: SerialSlot[],
  { values = {}, fields = {} }: ShipFormState = {},
): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const chosen = values.carrier ?? (carriers.length === 1 ? carriers[0]!.id : '');
  return html`<section aria-labelledby="ship-title"><h2 id="ship-title">${t({ en: 'Ship the order', de: 'Bestellung versenden' })}</h2>
<form method="post" action="/staff/orders/${order.id}/ship" novalidate>${csrfField(ctx)}
<div class="field"><label for="ship-carrier">${t({ en: 'Carrier', de: 'Versanddienstleister' })}</label>
${fieldError(ctx, 'ship-carrier', fields.carrier)}
<select id="ship-carrier" name="carrier"${invalid('ship-carrier', fields.carrier)}><option value="">${t({ en: 'Choose …', de: 'Bitte wählen …' })}</option>${carriers.map((c) => html`<option value="${c.id}"${c.id === chosen ? html` selected` : ''}>${c.name}</option>`)}</select></div>
<div class="field"><label for="ship-tracking">${t({ en: 'Tracking number', de: 'Sendungsnummer' })}</label>
${fieldError(ctx, 'ship-tracking', fields.tracking)}
<input id="ship-tracking" type="text" name="tracking" value="${values.tracking ?? ''}" maxlength="60" autocomplete="off" spellcheck="false"${invalid('ship-tracking', fields.tracking)}></div>
${
  slots.length > 0
    ? html`<fieldset><legend>${t({ en: 'Serial number of each hardware unit', de: 'Seriennummer jedes Hardware-Geräts' })}</legend>
${slots.map((slot, i) => {
  const id = `ship-serial-${i}`;
  const error = fields[`serial.${i}`];
  return html`<div class="field"><label for="${id}">${slot.title} (${t({ en: 'unit', de: 'Gerät' })} ${i + 1})</label>
${fieldError(ctx, id, error)}
<input id="${id}" type="text" name="serial.${i}" value="${values.serials?.[i] ?? slot.serial}" maxlength="20" autocomplete="off" spellcheck="false"${invalid(id, error)}></div>`;
})}</fieldset>`
    : ''
}
<p class="hint">${t({ en: 'The order is then marked as shipped and the customer receives a shipping email with the tracking link.', de: 'Die Bestellung wird dann als versandt markiert und der Kunde erhält eine Versandbestätigung mit dem Link zur Sendungsverfolgung.' })}</p>
<p><button type="submit">${t({ en: 'Mark as shipped and notify the customer', de: 'Als versandt markieren und Kunden benachrichtigen' })}</button></p>
</form></section>`;
}

/** The parcel of a shipped order, as staff see it. */
export function parcelSection(
  ctx: PageContext,
  tracking: { carrier: string; number: string; url: string } | null,
): SafeHtml | string {
  if (!tracking) return '';
  const t = (text: Text) => tr(ctx.lang, text);
  return html`<p class="order-parcel">${t({ en: 'Shipped with', de: 'Versandt mit' })} ${tracking.carrier}, ${t({ en: 'tracking number', de: 'Sendungsnummer' })} <code>${tracking.number}</code>${
    tracking.url
      ? html` (<a href="${tracking.url}" rel="noopener noreferrer">${t({ en: 'tracking page', de: 'Sendungsverfolgung' })}</a>)`
      : ''
  }</p>`;
}

const ordinalName = (level: number): Text => ({ en: `Reminder ${level}`, de: `${level}. Zahlungserinnerung` });

/** An invoice order's due date, the reminders sent and the next one planned (or why there is none). */
export function remindersSection(ctx: PageContext, state: ReminderState | null): SafeHtml | string {
  if (!state) return '';
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const next = state.next
    ? t(
        { en: 'Next: {what}, due {at}.', de: 'Nächste: {what}, fällig am {at}.' },
        { what: t(ordinalName(state.next.level)), at: formatTime(ctx.lang, state.next.at, ctx.timeZone) },
      )
    : state.stopped
      ? t({
          en: 'No further reminders: the order is no longer waiting for payment.',
          de: 'Keine weiteren Erinnerungen: Die Bestellung wartet nicht mehr auf eine Zahlung.',
        })
      : t({ en: 'No further reminders are planned.', de: 'Weitere Erinnerungen sind nicht vorgesehen.' });
  return html`<section aria-labelledby="reminders-title"><h2 id="reminders-title">${t({ en: 'Payment reminders', de: 'Zahlungserinnerungen' })}</h2>
<p>${t({ en: 'Payment due by {due}.', de: 'Zahlung fällig bis {due}.' }, { due: formatDay(ctx.lang, state.dueAt, ctx.timeZone) })}</p>
${
  state.sent.length > 0
    ? html`<ul class="reminders-sent">${state.sent.map((r) => html`<li>${t(ordinalName(r.level))}: ${t({ en: 'sent', de: 'versandt' })} ${formatTime(ctx.lang, r.sent_at, ctx.timeZone)}</li>`)}</ul>`
    : html`<p>${t({ en: 'No reminder sent yet.', de: 'Noch keine Erinnerung versandt.' })}</p>`
}
<p class="reminders-next">${next}</p></section>`;
}
