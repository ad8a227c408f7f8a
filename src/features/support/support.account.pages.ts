// The customer's helpdesk in the account (issue 14): the list of their requests, a new request (with attachments and
// the saved system profile), one request's thread with the reply form, and the system profile. Pure functions from
// a model to HTML; internal notes never reach them.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { csrfField, errorSummary, fieldId, layout, type FieldErrors, type PageContext } from '../../web/index.ts';
import { ALLOWED_EXTENSIONS } from './support.files.ts';
import { LIMITS, type SystemProfile } from './support.model.ts';
import type { AttachmentRefused } from './support.service.ts';
import type { TicketCategory, TicketState } from './support.tables.ts';

export const STATE_NAMES: Record<TicketState, Text> = {
  new: { en: 'Received', de: 'Eingegangen' },
  open: { en: 'In progress', de: 'In Bearbeitung' },
  waiting: { en: 'Answered, waiting for you', de: 'Beantwortet, wartet auf Sie' },
  solved: { en: 'Solved', de: 'Gelöst' },
  closed: { en: 'Closed', de: 'Geschlossen' },
};

export const CATEGORY_NAMES: Record<TicketCategory, Text> = {
  question: { en: 'General question', de: 'Allgemeine Frage' },
  technical: { en: 'Technical problem', de: 'Technisches Problem' },
  licence: { en: 'Licence or activation', de: 'Lizenz oder Aktivierung' },
  order: { en: 'Order, delivery or invoice', de: 'Bestellung, Lieferung oder Rechnung' },
  repair: { en: 'Repair', de: 'Reparatur' },
  warranty: { en: 'Warranty', de: 'Gewährleistung' },
  other: { en: 'Something else', de: 'Sonstiges' },
};

/** The customer's categories on the form: repairs have their own form (/account/support/repairs/new). */
export const FORM_CATEGORIES: TicketCategory[] = ['question', 'technical', 'licence', 'order', 'warranty', 'other'];

const allowedTypes = ALLOWED_EXTENSIONS.map((e) => e.toUpperCase()).join(', ');

/** Why an attachment was refused, naming the file, the allowed types and the limit. */
export function refusalText(err: AttachmentRefused, maxMb: number): Text {
  const file = err.fileName;
  switch (err.reason) {
    case 'too-big':
      return {
        en: `The file “${file}” is larger than ${maxMb} MB, the limit per file. Nothing was saved.`,
        de: `Die Datei „${file}“ ist größer als ${maxMb} MB, die Grenze pro Datei. Es wurde nichts gespeichert.`,
      };
    case 'type':
      return {
        en: `The file “${file}” is not one of the allowed types (${allowedTypes}), or its name does not match its content. Nothing was saved.`,
        de: `Die Datei „${file}“ hat keinen der erlaubten Typen (${allowedTypes}), oder ihr Name passt nicht zu ihrem Inhalt. Es wurde nichts gespeichert.`,
      };
    case 'empty':
      return {
        en: `The file “${file}” is empty. Nothing was saved.`,
        de: `Die Datei „${file}“ ist leer. Es wurde nichts gespeichert.`,
      };
    case 'too-many':
      return {
        en: `At most ${LIMITS.attachmentsPerMessage} files per message (“${file}” is one too many). Nothing was saved.`,
        de: `Höchstens ${LIMITS.attachmentsPerMessage} Dateien pro Nachricht („${file}“ ist eine zu viel). Es wurde nichts gespeichert.`,
      };
  }
}

const T = {
  support: { en: 'Support', de: 'Support' },
  newRequest: { en: 'New request', de: 'Neue Anfrage' },
  repair: { en: 'Request a repair of a registered device', de: 'Reparatur eines registrierten Geräts anfragen' },
  profile: { en: 'My system profile', de: 'Mein Systemprofil' },
  ref: { en: 'Reference', de: 'Referenz' },
  subject: { en: 'Subject', de: 'Betreff' },
  state: { en: 'State', de: 'Status' },
  updated: { en: 'Last update', de: 'Letzte Änderung' },
  category: { en: 'Topic', de: 'Thema' },
  product: { en: 'Product', de: 'Produkt' },
  order: { en: 'Order', de: 'Bestellung' },
  message: { en: 'Message', de: 'Nachricht' },
  attachments: { en: 'Attachments', de: 'Anhänge' },
  optional: { en: '(optional)', de: '(freiwillig)' },
  required: { en: '(required)', de: '(erforderlich)' },
  none: { en: 'None', de: 'Keine Angabe' },
  send: { en: 'Send', de: 'Senden' },
} satisfies Record<string, Text>;

const attachmentHint = (lang: Lang, maxMb: number): string =>
  tr(
    lang,
    {
      en: 'Up to {n} files of at most {mb} MB each; allowed types: {types}.',
      de: 'Bis zu {n} Dateien mit je höchstens {mb} MB; erlaubte Typen: {types}.',
    },
    { n: LIMITS.attachmentsPerMessage, mb: maxMb, types: allowedTypes },
  );

export interface TicketListRow {
  id: string;
  ref: string;
  subject: string;
  state: TicketState;
  updatedAt: number;
}

export function supportListPage(ctx: PageContext, rows: TicketListRow[]): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Support requests', de: 'Support-Anfragen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p class="actions"><a href="/account/support/new" class="button">${t(T.newRequest)}</a> <a href="/account/support/repairs/new">${t(T.repair)}</a> <a href="/account/support/profile">${t(T.profile)}</a></p>
${
  rows.length === 0
    ? html`<p>${t({ en: 'You have no support requests.', de: 'Sie haben keine Support-Anfragen.' })}</p>`
    : html`<table class="stack">
<caption>${t({ en: 'Your requests', de: 'Ihre Anfragen' })}</caption>
<thead><tr><th scope="col">${t(T.ref)}</th><th scope="col">${t(T.subject)}</th><th scope="col">${t(T.state)}</th><th scope="col">${t(T.updated)}</th></tr></thead>
<tbody>
${rows.map(
  (r) => html`<tr>
<td data-label="${t(T.ref)}"><a href="/account/support/${r.id}">${r.ref}</a></td>
<td data-label="${t(T.subject)}">${r.subject}</td>
<td data-label="${t(T.state)}">${t(STATE_NAMES[r.state])}</td>
<td data-label="${t(T.updated)}">${formatTime(ctx.lang, r.updatedAt, ctx.timeZone)}</td>
</tr>`,
)}
</tbody>
</table>`
}`,
  );
}

export interface NewRequestValues {
  subject?: string;
  category?: string;
  product?: string;
  order?: string;
  message?: string;
  profile?: boolean;
}

export interface NewRequestModel {
  products: { id: string; title: string }[];
  orders: { id: string; number: string }[];
  hasProfile: boolean;
  maxMb: number;
}

const labelOf = (name: string, label: Text, lang: Lang, isRequired: boolean): SafeHtml =>
  html`<label for="${fieldId(name)}">${tr(lang, label)} <span class="${isRequired ? 'required' : 'optional'}">${tr(lang, isRequired ? T.required : T.optional)}</span></label>`;

const errorOf = (name: string, errors: FieldErrors, lang: Lang): SafeHtml | string =>
  errors[name] ? html`<p class="field-error" id="${fieldId(name)}-error">${tr(lang, errors[name])}</p>` : '';

const invalid = (name: string, errors: FieldErrors): SafeHtml | string =>
  errors[name] ? html` aria-invalid="true" aria-describedby="${fieldId(name)}-error"` : '';

export const newRequestLabels = {
  subject: T.subject,
  category: T.category,
  product: T.product,
  order: T.order,
  message: T.message,
  attachments: T.attachments,
};

export function newRequestPage(
  ctx: PageContext,
  model: NewRequestModel,
  values: NewRequestValues = {},
  errors: FieldErrors = {},
  message?: Text,
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const lang = ctx.lang;
  const title = t(T.newRequest);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(lang, message, errors, newRequestLabels, ['subject', 'category', 'product', 'order', 'message', 'attachments'])}
<p>${t({ en: 'For a repair of a registered device use', de: 'Für eine Reparatur eines registrierten Geräts nutzen Sie' })} <a href="/account/support/repairs/new">${t({ en: 'the repair request', de: 'die Reparaturanfrage' })}</a>.</p>
<form method="post" action="/account/support/new" enctype="multipart/form-data" novalidate>
  ${csrfField(ctx)}
  <div class="field">${labelOf('subject', T.subject, lang, true)}
    <input id="${fieldId('subject')}" type="text" name="subject" required maxlength="${LIMITS.subject}" value="${values.subject ?? ''}"${invalid('subject', errors)}>
    ${errorOf('subject', errors, lang)}</div>
  <div class="field">${labelOf('category', T.category, lang, true)}
    <select id="${fieldId('category')}" name="category"${invalid('category', errors)}>
      ${FORM_CATEGORIES.map((c) => html`<option value="${c}"${values.category === c ? ' selected' : ''}>${t(CATEGORY_NAMES[c])}</option>`)}
    </select>
    ${errorOf('category', errors, lang)}</div>
  ${
    model.products.length > 0
      ? html`<div class="field">${labelOf('product', T.product, lang, false)}
    <select id="${fieldId('product')}" name="product"${invalid('product', errors)}>
      <option value="">${t(T.none)}</option>
      ${model.products.map((p) => html`<option value="${p.id}"${values.product === p.id ? ' selected' : ''}>${p.title}</option>`)}
    </select>
    ${errorOf('product', errors, lang)}</div>`
      : ''
  }
  ${
    model.orders.length > 0
      ? html`<div class="field">${labelOf('order', T.order, lang, false)}
    <select id="${fieldId('order')}" name="order"${invalid('order', errors)}>
      <option value="">${t(T.none)}</option>
      ${model.orders.map((o) => html`<option value="${o.id}"${values.order === o.id ? ' selected' : ''}>${o.number}</option>`)}
    </select>
    ${errorOf('order', errors, lang)}</div>`
      : ''
  }
  <div class="field">${labelOf('message', T.message, lang, true)}
    <textarea id="${fieldId('message')}" name="message" rows="8" required maxlength="${LIMITS.body}"${invalid('message', errors)}>${values.message ?? ''}</textarea>
    ${errorOf('message', errors, lang)}</div>
  <div class="field">${labelOf('attachments', T.attachments, lang, false)}
    <input id="${fieldId('attachments')}" type="file" name="attachments" multiple aria-describedby="${fieldId('attachments')}-hint">
    <p class="hint" id="${fieldId('attachments')}-hint">${attachmentHint(lang, model.maxMb)}</p>
    ${errorOf('attachments', errors, lang)}</div>
  ${
    model.hasProfile
      ? html`<div class="checkbox"><input id="${fieldId('profile')}" type="checkbox" name="profile" value="1"${values.profile ? ' checked' : ''}> <label for="${fieldId('profile')}">${t({ en: 'Attach my saved system profile', de: 'Mein gespeichertes Systemprofil anhängen' })}</label> (<a href="/account/support/profile">${t({ en: 'see it', de: 'ansehen' })}</a>)</div>`
      : html`<p class="hint">${t({ en: 'You can save a system profile (operating system, host, audio interface) to attach it to requests:', de: 'Sie können ein Systemprofil (Betriebssystem, Host, Audio-Interface) speichern, um es Anfragen anzuhängen:' })} <a href="/account/support/profile">${t(T.profile)}</a></p>`
  }
  <button type="submit">${t(T.send)}</button>
</form>`,
  );
}

export interface ThreadModel {
  ticket: {
    id: string;
    ref: string;
    subject: string;
    state: TicketState;
    category: TicketCategory;
    createdAt: number;
    profile: SystemProfile | null;
    /** Kept only under restriction after an erasure request: it takes no more messages. */
    restricted?: boolean;
  };
  messages: {
    author: 'customer' | 'staff';
    body: string;
    createdAt: number;
    attachments: { id: string; fileName: string; size: number }[];
  }[];
  maxMb: number;
}

/** A message's text as written: paragraphs at blank lines, line breaks kept (no inline style: CSP style-src 'self'). */
const textBlock = (text: string): SafeHtml[] =>
  text
    .split(/\n\s*\n/)
    .map((para) => html`<p>${para.split('\n').map((line, i) => html`${i > 0 ? html`<br>` : ''}${line}`)}</p>`);

const sizeText = (size: number): string =>
  size >= 1024 * 1024 ? `${(size / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(size / 1024))} KB`;

export function threadPage(
  ctx: PageContext,
  model: ThreadModel,
  errors: FieldErrors = {},
  message?: Text,
  values: { message?: string } = {},
  notice?: Text,
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const lang = ctx.lang;
  const { ticket } = model;
  const title = `${ticket.ref}: ${ticket.subject}`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${notice ? html`<p class="notice" role="status">${t(notice)}</p>` : ''}
${errorSummary(lang, message, errors, { message: T.message, attachments: T.attachments }, ['message', 'attachments'])}
<dl>
  <dt>${t(T.state)}</dt><dd>${t(STATE_NAMES[ticket.state])}</dd>
  <dt>${t(T.category)}</dt><dd>${t(CATEGORY_NAMES[ticket.category])}</dd>
  <dt>${t({ en: 'Opened', de: 'Eröffnet' })}</dt><dd>${formatTime(lang, ticket.createdAt, ctx.timeZone)}</dd>
  ${ticket.profile ? html`<dt>${t({ en: 'System profile attached', de: 'Angehängtes Systemprofil' })}</dt><dd>${profileSummary(lang, ticket.profile)}</dd>` : ''}
</dl>
<h2>${t({ en: 'Messages', de: 'Nachrichten' })}</h2>
<ol class="thread">
${model.messages.map(
  (m) => html`<li class="message ${m.author}">
<p><strong>${m.author === 'staff' ? t({ en: 'Our support', de: 'Unser Support' }) : t({ en: 'You', de: 'Sie' })}</strong>, ${formatTime(lang, m.createdAt, ctx.timeZone)}</p>
<div class="body">${textBlock(m.body)}</div>
${m.attachments.length > 0 ? html`<ul class="attachments">${m.attachments.map((a) => html`<li><a href="/account/support/${ticket.id}/attachments/${a.id}" download>${a.fileName}</a> (${sizeText(a.size)})</li>`)}</ul>` : ''}
</li>`,
)}
</ol>
${
  ticket.restricted
    ? html`<p class="notice">${t({ en: 'This request is closed and kept only under restriction; it can no longer be answered. Please open a new request.', de: 'Diese Anfrage ist abgeschlossen und wird nur noch eingeschränkt aufbewahrt; sie lässt sich nicht mehr beantworten. Bitte stellen Sie eine neue Anfrage.' })}</p>`
    : html`<h2>${t({ en: 'Answer', de: 'Antworten' })}</h2>
${ticket.state === 'closed' || ticket.state === 'solved' ? html`<p class="hint">${t({ en: 'Writing again reopens this request.', de: 'Wenn Sie erneut schreiben, wird diese Anfrage wieder geöffnet.' })}</p>` : ''}
<form method="post" action="/account/support/${ticket.id}" enctype="multipart/form-data" novalidate>
  ${csrfField(ctx)}
  <div class="field">${labelOf('message', T.message, lang, true)}
    <textarea id="${fieldId('message')}" name="message" rows="6" required maxlength="${LIMITS.body}"${invalid('message', errors)}>${values.message ?? ''}</textarea>
    ${errorOf('message', errors, lang)}</div>
  <div class="field">${labelOf('attachments', T.attachments, lang, false)}
    <input id="${fieldId('attachments')}" type="file" name="attachments" multiple aria-describedby="${fieldId('attachments')}-hint">
    <p class="hint" id="${fieldId('attachments')}-hint">${attachmentHint(lang, model.maxMb)}</p>
    ${errorOf('attachments', errors, lang)}</div>
  <button type="submit">${t(T.send)}</button>
</form>`
}
<p><a href="/account/support">${t({ en: 'All my requests', de: 'Alle meine Anfragen' })}</a></p>`,
  );
}

export const PROFILE_LABELS = {
  os: { en: 'Operating system', de: 'Betriebssystem' },
  osVersion: { en: 'Operating system version', de: 'Version des Betriebssystems' },
  host: { en: 'Host software (DAW)', de: 'Host-Software (DAW)' },
  hostVersion: { en: 'Host software version', de: 'Version der Host-Software' },
  audioInterface: { en: 'Audio interface', de: 'Audio-Interface' },
  productVersions: { en: 'Versions of our products', de: 'Versionen unserer Produkte' },
  serials: { en: 'Serial numbers of my devices', de: 'Seriennummern meiner Geräte' },
} satisfies Record<keyof SystemProfile, Text>;

const TEXT_FIELDS = ['os', 'osVersion', 'host', 'hostVersion', 'audioInterface'] as const;

function profileSummary(lang: Lang, p: SystemProfile): SafeHtml {
  const parts = [
    [p.os, p.osVersion].filter(Boolean).join(' '),
    [p.host, p.hostVersion].filter(Boolean).join(' '),
    p.audioInterface,
    p.productVersions,
    p.serials.length > 0 ? `${tr(lang, PROFILE_LABELS.serials)}: ${p.serials.join(', ')}` : '',
  ].filter(Boolean);
  return html`${parts.join('; ') || '—'}`;
}

export interface ProfileModel {
  profile: SystemProfile | null;
  updatedAt: number | null;
  serials: { id: string; serial: string }[];
}

export function profilePage(
  ctx: PageContext,
  model: ProfileModel,
  values: SystemProfile,
  errors: FieldErrors = {},
  notice?: Text,
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const lang = ctx.lang;
  const title = t(T.profile);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${notice ? html`<p class="notice" role="status">${t(notice)}</p>` : ''}
${errorSummary(lang, undefined, errors, PROFILE_LABELS, [...TEXT_FIELDS, 'productVersions', 'serials'])}
<p>${t({ en: 'Your setup, saved for your support requests: you choose for each request whether to attach it. Staff see the version you attached.', de: 'Ihre Ausstattung, gespeichert für Ihre Support-Anfragen: Bei jeder Anfrage entscheiden Sie, ob Sie das Profil anhängen. Unser Support sieht die Fassung, die Sie angehängt haben.' })}</p>
${
  model.profile && model.updatedAt !== null
    ? html`<p>${tr(lang, { en: 'Saved on {when}.', de: 'Gespeichert am {when}.' }, { when: formatTime(lang, model.updatedAt, ctx.timeZone) })}</p>`
    : html`<p>${t({ en: 'No profile saved.', de: 'Kein Profil gespeichert.' })}</p>`
}
<form method="post" action="/account/support/profile" novalidate>
  ${csrfField(ctx)}
  ${TEXT_FIELDS.map(
    (name) => html`<div class="field">${labelOf(name, PROFILE_LABELS[name], lang, false)}
    <input id="${fieldId(name)}" type="text" name="${name}" maxlength="${name === 'audioInterface' ? 120 : 80}" value="${values[name]}"${invalid(name, errors)}>
    ${errorOf(name, errors, lang)}</div>`,
  )}
  <div class="field">${labelOf('productVersions', PROFILE_LABELS.productVersions, lang, false)}
    <textarea id="${fieldId('productVersions')}" name="productVersions" rows="3" maxlength="1000"${invalid('productVersions', errors)}>${values.productVersions}</textarea>
    ${errorOf('productVersions', errors, lang)}</div>
  ${
    model.serials.length > 0
      ? html`<fieldset id="${fieldId('serials')}"><legend>${t(PROFILE_LABELS.serials)} <span class="optional">${t(T.optional)}</span></legend>
    ${model.serials.map((s) => html`<div class="checkbox"><input id="f-serial-${s.id}" type="checkbox" name="serial-${s.id}" value="1"${values.serials.includes(s.serial) ? ' checked' : ''}> <label for="f-serial-${s.id}">${s.serial}</label></div>`)}
    ${errorOf('serials', errors, lang)}</fieldset>`
      : errorOf('serials', errors, lang)
  }
  <button type="submit">${t({ en: 'Save profile', de: 'Profil speichern' })}</button>
</form>
${
  model.profile
    ? html`<p><a href="/account/support/profile/delete">${t({ en: 'Delete my system profile', de: 'Mein Systemprofil löschen' })}</a></p>`
    : ''
}
<p><a href="/account/support">${t(T.support)}</a></p>`,
  );
}

/** The confirmation step of deleting the profile. */
export function deleteProfilePage(ctx: PageContext): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Delete the system profile?', de: 'Systemprofil löschen?' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t({ en: 'Requests you already sent keep the profile as you attached it.', de: 'Bereits gesendete Anfragen behalten das Profil in der angehängten Fassung.' })}</p>
<form method="post" action="/account/support/profile/delete">
  ${csrfField(ctx)}
  <input type="hidden" name="confirm" value="yes">
  <button type="submit">${t({ en: 'Yes, delete it', de: 'Ja, löschen' })}</button>
</form>
<p><a href="/account/support/profile">${t({ en: 'Cancel', de: 'Abbrechen' })}</a></p>`,
  );
}
