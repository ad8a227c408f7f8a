// The staff form for the serial numbers of an order's hardware units: one field per unit, errors tied to their field.
import { html, type SafeHtml } from '../../platform/html.ts';
import { tr, type Text } from '../../platform/i18n.ts';
import type { OrdersTable } from './orders.tables.ts';
import { canRecordSerials, type SerialSlot } from './serials.service.ts';
import { type PageContext, csrfField, errorSummary, layout } from '../../web/index.ts';

export function serialsSection(
  ctx: PageContext,
  order: OrdersTable,
  slots: SerialSlot[],
  values?: string[],
  fields: Record<string, Text> = {},
): SafeHtml {
  if (slots.length === 0) return html``;
  const t = (text: Text) => tr(ctx.lang, text);
  const heading = t({ en: 'Serial numbers of the hardware', de: 'Seriennummern der Hardware' });
  if (!canRecordSerials(order)) {
    const recorded = slots.filter((s) => s.serial !== '');
    return recorded.length === 0
      ? html``
      : html`<h2>${heading}</h2><ul>${recorded.map((s) => html`<li>${s.title}: <code>${s.serial}</code></li>`)}</ul>`;
  }
  return html`<h2>${heading}</h2>
<p>${t({ en: 'Record one serial number per unit when the order ships; the buyer can then register the device.', de: 'Erfassen Sie beim Versand eine Seriennummer je Gerät; der Käufer kann das Gerät dann registrieren.' })}</p>
<form method="post" action="/staff/orders/${order.id}/serials" novalidate>${csrfField(ctx)}
${slots.map((slot, i) => {
  const error = fields[`serial.${i}`];
  return html`<div><label for="serial-${i}">${slot.title} (${t({ en: 'unit', de: 'Gerät' })} ${i + 1})</label>
  ${error ? html`<p class="field-error" id="serial-${i}-error">${t(error)}</p>` : ''}
  <input id="serial-${i}" type="text" name="serial.${i}" value="${values?.[i] ?? slot.serial}" maxlength="20" autocomplete="off"${error ? html` aria-invalid="true" aria-describedby="serial-${i}-error"` : ''}></div>`;
})}
<p><button type="submit">${t({ en: 'Save serial numbers', de: 'Seriennummern speichern' })}</button></p></form>`;
}

/** Shown when the serial numbers could not be saved: the form again, with the reasons. */
export function staffSerialsPage(
  ctx: PageContext,
  order: OrdersTable,
  slots: SerialSlot[],
  values: string[],
  error: Text,
  fields: Record<string, Text>,
): string {
  const title = `${tr(ctx.lang, { en: 'Order', de: 'Bestellung' })} ${order.number}`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, error)}
${serialsSection(ctx, order, slots, values, fields)}
<p><a href="/staff/orders/${order.id}">${tr(ctx.lang, { en: 'Back to the order', de: 'Zurück zur Bestellung' })}</a></p>`,
  );
}
