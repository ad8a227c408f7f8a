// The pages of repairs: the customer's request form and their repair's page, the staff list and a repair's page
// with its state buttons. Pure functions of their models.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { type PageContext, csrfField, errorSummary, fieldId, layout, type FieldErrors } from '../../web/index.ts';
import { REPAIR_STATES, repairStateText, type RepairInput } from './support.repairs.ts';
import type { SupportRepairsTable } from './support.tables.ts';

const T = {
  newTitle: { en: 'Request a repair', de: 'Reparatur anfragen' },
  unit: { en: 'Registered unit', de: 'Registriertes Gerät' },
  fault: { en: 'What is wrong with it?', de: 'Was funktioniert nicht?' },
  address: { en: 'Return address', de: 'Rücksendeadresse' },
  addressWhy: {
    en: 'We ask for your postal address only for a repair: it goes to our repair workshop and the delivery company, and we delete it {days} days after the repair is closed.',
    de: 'Wir fragen Ihre Postanschrift nur für eine Reparatur ab: Sie geht an unsere Reparaturwerkstatt und das Versandunternehmen, und wir löschen sie {days} Tage nach Abschluss der Reparatur.',
  },
  name: { en: 'Name', de: 'Name' },
  line1: { en: 'Street and house number', de: 'Straße und Hausnummer' },
  line2: { en: 'Address line 2 (optional)', de: 'Adresszusatz (freiwillig)' },
  postalCode: { en: 'Postal code', de: 'Postleitzahl' },
  city: { en: 'City', de: 'Ort' },
  country: { en: 'Country', de: 'Land' },
  send: { en: 'Request the repair', de: 'Reparatur anfragen' },
  noUnits: {
    en: 'No hardware is registered to your account. Register your unit under “My products” first.',
    de: 'In Ihrem Konto ist keine Hardware registriert. Registrieren Sie Ihr Gerät zuerst unter „Meine Produkte“.',
  },
  repair: { en: 'Repair', de: 'Reparatur' },
  state: { en: 'State', de: 'Stand' },
  serial: { en: 'Serial number', de: 'Seriennummer' },
  requested: { en: 'Requested', de: 'Angefragt' },
  closedAt: { en: 'Closed', de: 'Abgeschlossen' },
  addressGone: { en: 'deleted after the repair', de: 'nach der Reparatur gelöscht' },
  ticket: { en: 'The request', de: 'Die Anfrage' },
  repairs: { en: 'Repairs', de: 'Reparaturen' },
  none: { en: 'No repairs.', de: 'Keine Reparaturen.' },
  moveTo: { en: 'Set state', de: 'Stand setzen' },
  created: { en: 'Your repair request was received.', de: 'Ihre Reparaturanfrage ist eingegangen.' },
  changed: { en: 'The state was changed.', de: 'Der Stand wurde geändert.' },
} satisfies Record<string, Text>;

const LABELS: Record<string, Text> = {
  registrationId: T.unit,
  fault: T.fault,
  name: T.name,
  line1: T.line1,
  line2: T.line2,
  postalCode: T.postalCode,
  city: T.city,
  country: T.country,
};

export const repairNotices: Record<string, Text> = { created: T.created, changed: T.changed };

export function newRepairPage(
  ctx: PageContext,
  units: { id: string; serial: string }[],
  addressDays: number,
  values: Partial<RepairInput> = {},
  errors: FieldErrors = {},
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t(T.newTitle);
  if (units.length === 0) return layout(ctx, title, html`<h1>${title}</h1><p>${t(T.noUnits)}</p>`);
  const problem = (name: string) =>
    errors[name] ? html`<p class="field-error" id="${fieldId(name)}-error">${t(errors[name])}</p>` : '';
  const input = (name: keyof RepairInput, max: number, autocomplete: string) =>
    html`<label for="${fieldId(name)}">${t(LABELS[name]!)}</label>${problem(name)}
<input id="${fieldId(name)}" type="text" name="${name}" maxlength="${max}" autocomplete="${autocomplete}" value="${values[name] ?? ''}">`;
  const summary = errorSummary(ctx.lang, undefined, errors, LABELS, [
    'registrationId',
    'fault',
    'name',
    'line1',
    'line2',
    'postalCode',
    'city',
    'country',
  ]);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${summary}
<form method="post" action="/account/support/repairs" novalidate>
  ${csrfField(ctx)}
  <label for="${fieldId('registrationId')}">${t(T.unit)}</label>${problem('registrationId')}
  <select id="${fieldId('registrationId')}" name="registrationId">${units.map(
    (u) => html`<option value="${u.id}"${u.id === values.registrationId ? html` selected` : ''}>${u.serial}</option>`,
  )}</select>
  <label for="${fieldId('fault')}">${t(T.fault)}</label>${problem('fault')}
  <textarea id="${fieldId('fault')}" name="fault" rows="6" maxlength="4000">${values.fault ?? ''}</textarea>
  <fieldset><legend>${t(T.address)}</legend>
  <p>${tr(ctx.lang, T.addressWhy, { days: addressDays })}</p>
  ${input('name', 100, 'name')}
  ${input('line1', 100, 'address-line1')}
  ${input('line2', 100, 'address-line2')}
  ${input('postalCode', 12, 'postal-code')}
  ${input('city', 60, 'address-level2')}
  ${input('country', 60, 'country-name')}
  </fieldset>
  <p><button type="submit">${t(T.send)}</button></p>
</form>`,
  );
}

function addressLines(r: SupportRepairsTable): (string | null)[] {
  return [
    r.address_name,
    r.address_line1,
    r.address_line2,
    [r.postal_code, r.city].filter(Boolean).join(' '),
    r.country,
  ];
}

function repairDetails(ctx: PageContext, r: SupportRepairsTable): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const lines = addressLines(r).filter((l): l is string => Boolean(l));
  return html`<dl>
<dt>${t(T.state)}</dt><dd class="repair-state">${t(repairStateText[r.state])}</dd>
<dt>${t(T.serial)}</dt><dd><code>${r.serial}</code></dd>
<dt>${t(T.requested)}</dt><dd>${formatTime(ctx.lang, r.created_at, ctx.timeZone)}</dd>
${r.closed_at !== null ? html`<dt>${t(T.closedAt)}</dt><dd>${formatTime(ctx.lang, r.closed_at, ctx.timeZone)}</dd>` : ''}
<dt>${t(T.fault)}</dt><dd>${r.fault}</dd>
<dt>${t(T.address)}</dt><dd>${lines.length > 0 ? lines.map((l, i) => html`${i > 0 ? html`<br>` : ''}${l}`) : t(T.addressGone)}</dd>
</dl>`;
}

export function repairPage(ctx: PageContext, r: SupportRepairsTable, notice?: Text): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = `${t(T.repair)} ${r.serial}`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${notice ? html`<p class="notice" role="status">${t(notice)}</p>` : ''}
${repairDetails(ctx, r)}
<p><a href="/account/support/${r.ticket_id}">${t(T.ticket)}</a></p>`,
  );
}

export function staffRepairsPage(ctx: PageContext, rows: SupportRepairsTable[]): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t(T.repairs);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${
  rows.length === 0
    ? html`<p>${t(T.none)}</p>`
    : html`<table><thead><tr><th>${t(T.serial)}</th><th>${t(T.state)}</th><th>${t(T.requested)}</th></tr></thead><tbody>${rows.map(
        (r) =>
          html`<tr><td><a href="/staff/support/repairs/${r.id}">${r.serial}</a></td><td>${t(repairStateText[r.state])}</td><td>${formatTime(ctx.lang, r.created_at, ctx.timeZone)}</td></tr>`,
      )}</tbody></table>`
}`,
  );
}

export function staffRepairPage(ctx: PageContext, r: SupportRepairsTable, notice?: Text): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = `${t(T.repair)} ${r.serial}`;
  const buttons = REPAIR_STATES.filter((s) => s !== r.state).map(
    (s) =>
      html`<form method="post" action="/staff/support/repairs/${r.id}/state" class="inline">${csrfField(ctx)}<input type="hidden" name="state" value="${s}"><button type="submit" class="secondary">${t(T.moveTo)}: ${t(repairStateText[s])}</button></form>`,
  );
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${notice ? html`<p class="notice" role="status">${t(notice)}</p>` : ''}
${repairDetails(ctx, r)}
${r.restricted_at === null ? html`<div>${buttons}</div>` : ''}
<p><a href="/staff/support/${r.ticket_id}">${t(T.ticket)}</a> · <a href="/staff/support/repairs">${t(T.repairs)}</a></p>`,
  );
}
