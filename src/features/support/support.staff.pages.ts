// Pages of the staff support console: the queue (state tabs with counts, assignment filters, search, keyset pages),
// one ticket with its whole thread and the customer beside it, and the canned replies. Plain forms, no scripts.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { csrfField, errorSummary, fieldId, layout, type FieldErrors, type PageContext } from '../../web/index.ts';
import type { SystemProfile } from './support.model.ts';
import type { QueueRow } from './support.search.queries.ts';
import {
  TICKET_CATEGORIES,
  TICKET_STATES,
  type SupportAttachmentsTable,
  type SupportCannedRepliesTable,
  type SupportMessagesTable,
  type SupportTicketsTable,
  type TicketState,
} from './support.tables.ts';

export const STATE_NAMES: Record<TicketState, Text> = {
  new: { en: 'New', de: 'Neu' },
  open: { en: 'Open', de: 'Offen' },
  waiting: { en: 'Waiting for customer', de: 'Wartet auf Kunden' },
  solved: { en: 'Solved', de: 'Gelöst' },
  closed: { en: 'Closed', de: 'Geschlossen' },
};

const CATEGORY_NAMES: Record<string, Text> = {
  question: { en: 'Question', de: 'Frage' },
  technical: { en: 'Technical problem', de: 'Technisches Problem' },
  licence: { en: 'Licence', de: 'Lizenz' },
  order: { en: 'Order', de: 'Bestellung' },
  repair: { en: 'Repair', de: 'Reparatur' },
  warranty: { en: 'Warranty', de: 'Gewährleistung' },
  other: { en: 'Other', de: 'Sonstiges' },
};

const T = {
  queue: { en: 'Support tickets', de: 'Supporttickets' },
  all: { en: 'All', de: 'Alle' },
  mine: { en: 'Assigned to me', de: 'Mir zugewiesen' },
  unassigned: { en: 'Unassigned', de: 'Nicht zugewiesen' },
  anyone: { en: 'Anyone', de: 'Alle Bearbeiter' },
  search: { en: 'Search tickets', de: 'Tickets suchen' },
  searchHint: {
    en: 'Words of the subject or the messages; "quotes" for a phrase',
    de: 'Wörter aus Betreff oder Nachrichten; "Anführungszeichen" für eine Wortfolge',
  },
  searchButton: { en: 'Search', de: 'Suchen' },
  ref: { en: 'Ticket', de: 'Ticket' },
  subject: { en: 'Subject', de: 'Betreff' },
  requester: { en: 'From', de: 'Von' },
  state: { en: 'State', de: 'Status' },
  assignee: { en: 'Assigned to', de: 'Zugewiesen an' },
  updated: { en: 'Last update', de: 'Letzte Änderung' },
  nobody: { en: 'nobody', de: 'niemand' },
  none: { en: 'No tickets here.', de: 'Hier sind keine Tickets.' },
  next: { en: 'Next page', de: 'Nächste Seite' },
  first: { en: 'First page', de: 'Erste Seite' },
  canned: { en: 'Canned replies', de: 'Textvorlagen' },
} satisfies Record<string, Text>;

export interface QueueView {
  rows: QueueRow[];
  next: string | null;
  counts: Record<TicketState, number>;
  query: {
    q: string;
    state?: TicketState | undefined;
    assigned?: 'me' | 'none' | undefined;
    after?: string | undefined;
  };
}

const displayName = (r: Pick<QueueRow, 'requester' | 'requester_name' | 'account_name'>): string =>
  r.account_name ?? (r.requester_name ? `${r.requester_name} <${r.requester}>` : r.requester);

export function queuePage(ctx: PageContext, view: QueueView, error?: Text): string {
  const t = (text: Text, params?: Record<string, string | number>) => tr(ctx.lang, text, params);
  const { query } = view;
  const link = (changes: Record<string, string | undefined>) => {
    const params: Record<string, string> = {};
    const merged = { q: query.q, state: query.state, assigned: query.assigned, ...changes };
    for (const [k, v] of Object.entries(merged)) if (v) params[k] = v;
    const s = new URLSearchParams(params).toString();
    return `/staff/support${s ? `?${s}` : ''}`;
  };
  const total = TICKET_STATES.reduce((n, s) => n + view.counts[s], 0);
  const tab = (label: string, n: number, href: string, current: boolean) =>
    html`<li><a href="${href}"${current ? html` aria-current="page"` : ''}>${label} <span class="count">(${n})</span></a></li>`;
  return layout(
    ctx,
    t(T.queue),
    html`<h1>${t(T.queue)}</h1>
<p><a href="/staff/support/canned">${t(T.canned)}</a></p>
${errorSummary(ctx.lang, error)}
<nav aria-label="${t(T.state)}"><ul class="tabs">
${tab(t(T.all), total, link({ state: undefined }), !query.state)}
${TICKET_STATES.map((s) => tab(t(STATE_NAMES[s]), view.counts[s], link({ state: s }), query.state === s))}
</ul></nav>
<nav aria-label="${t(T.assignee)}"><ul class="tabs">
<li><a href="${link({ assigned: undefined })}"${!query.assigned ? html` aria-current="page"` : ''}>${t(T.anyone)}</a></li>
<li><a href="${link({ assigned: 'me' })}"${query.assigned === 'me' ? html` aria-current="page"` : ''}>${t(T.mine)}</a></li>
<li><a href="${link({ assigned: 'none' })}"${query.assigned === 'none' ? html` aria-current="page"` : ''}>${t(T.unassigned)}</a></li>
</ul></nav>
<form method="get" action="/staff/support" role="search" aria-label="${t(T.search)}" class="shop-filter">
  ${query.state ? html`<input type="hidden" name="state" value="${query.state}">` : ''}
  ${query.assigned ? html`<input type="hidden" name="assigned" value="${query.assigned}">` : ''}
  <label for="support-search">${t(T.search)}</label>
  <input id="support-search" name="q" type="search" value="${query.q}" maxlength="200" aria-describedby="support-search-hint">
  <small id="support-search-hint">${t(T.searchHint)}</small>
  <button type="submit">${t(T.searchButton)}</button>
</form>
${
  view.rows.length === 0
    ? html`<p class="empty-state">${t(T.none)}</p>`
    : html`<table class="support-queue"><thead><tr><th scope="col">${t(T.ref)}</th><th scope="col">${t(T.subject)}</th><th scope="col">${t(T.requester)}</th><th scope="col">${t(T.state)}</th><th scope="col">${t(T.assignee)}</th><th scope="col">${t(T.updated)}</th></tr></thead>
<tbody>${view.rows.map(
        (r) =>
          html`<tr><td data-label="${t(T.ref)}"><a href="/staff/support/${r.id}">${r.ref}</a></td><td data-label="${t(T.subject)}">${r.subject}</td><td data-label="${t(T.requester)}">${displayName(r)}</td><td data-label="${t(T.state)}">${t(STATE_NAMES[r.state])}</td><td data-label="${t(T.assignee)}">${r.assignee_name ?? t(T.nobody)}</td><td data-label="${t(T.updated)}">${formatTime(ctx.lang, r.updated_at, ctx.timeZone)}</td></tr>`,
      )}</tbody></table>`
}
<nav class="pager" aria-label="${t({ en: 'Pages', de: 'Seiten' })}">${query.after ? html`<a href="${link({})}">${t(T.first)}</a> ` : ''}${view.next ? html`<a href="${link({ after: view.next })}" rel="next">${t(T.next)}</a>` : ''}</nav>`,
  );
}

const V = {
  thread: { en: 'Conversation', de: 'Verlauf' },
  customer: { en: 'Customer', de: 'Kunde' },
  staff: { en: 'Staff', de: 'Mitarbeiter' },
  note: { en: 'Internal note', de: 'Interne Notiz' },
  answer: { en: 'Answer', de: 'Antworten' },
  message: { en: 'Message', de: 'Nachricht' },
  after: { en: 'State after answering', de: 'Status nach der Antwort' },
  keepOpen: { en: 'Keep open', de: 'Offen lassen' },
  send: { en: 'Send answer', de: 'Antwort senden' },
  cannedPick: { en: 'Canned reply', de: 'Textvorlage' },
  insert: { en: 'Insert', de: 'Einfügen' },
  addNote: { en: 'Add note', de: 'Notiz hinzufügen' },
  noteHint: { en: 'Only staff see notes.', de: 'Notizen sehen nur Mitarbeiter.' },
  changeState: { en: 'Change state', de: 'Status ändern' },
  assign: { en: 'Assign', de: 'Zuweisen' },
  toMe: { en: 'to me', de: 'an mich' },
  category: { en: 'Category', de: 'Kategorie' },
  product: { en: 'Product id', de: 'Produkt-ID' },
  save: { en: 'Save', de: 'Speichern' },
  merge: { en: 'Merge into ticket', de: 'Zusammenführen mit Ticket' },
  mergeHint: {
    en: 'Moves this ticket’s messages and attachments to the ticket with this reference and closes this one.',
    de: 'Verschiebt Nachrichten und Anhänge dieses Tickets in das Ticket mit dieser Nummer und schließt dieses.',
  },
  mergedInto: { en: 'Merged into another ticket:', de: 'Zusammengeführt mit einem anderen Ticket:' },
  hold: { en: 'Hold for a legal claim', de: 'Für einen Rechtsanspruch aufbewahren' },
  holdReason: { en: 'What the claim is', de: 'Worum es bei dem Anspruch geht' },
  holdUntil: { en: 'Keep until (at most 10 years ahead)', de: 'Aufbewahren bis (höchstens 10 Jahre)' },
  holding: {
    en: 'Held for a legal claim until {date}: {reason}',
    de: 'Aufbewahrt für einen Rechtsanspruch bis {date}: {reason}',
  },
  lift: { en: 'Lift the hold', de: 'Aufbewahrung aufheben' },
  restricted: {
    en: 'Restricted: its person asked for erasure. Kept only {as} until {date}; no processing (no answer, note, state, assignment, category or merge).',
    de: 'Eingeschränkt: Die Person hat die Löschung verlangt. Nur noch {as} aufbewahrt bis {date}; keine Verarbeitung (keine Antwort, Notiz, Status, Zuweisung, Kategorie oder Zusammenführung).',
  },
  asLetter: { en: 'as a business letter', de: 'als Geschäftsbrief' },
  asClaim: { en: 'for a legal claim', de: 'für einen Rechtsanspruch' },
  orders: { en: 'Orders', de: 'Bestellungen' },
  serials: { en: 'Registered hardware', de: 'Registrierte Hardware' },
  profile: { en: 'System profile attached to this ticket', de: 'An dieses Ticket angehängtes Systemprofil' },
  repairs: { en: 'Repairs', de: 'Reparaturen' },
  guest: { en: 'Guest (no account)', de: 'Gast (ohne Kundenkonto)' },
  attachments: { en: 'Attachments', de: 'Anhänge' },
  noneYet: { en: 'none', de: 'keine' },
} satisfies Record<string, Text>;

export interface TicketView {
  ticket: SupportTicketsTable;
  mergedIntoRef: string | null;
  messages: SupportMessagesTable[];
  attachments: SupportAttachmentsTable[];
  staffNames: Record<string, string>;
  staff: { id: string; name: string }[];
  customer: { userId: string | null; name: string | null; email: string | null };
  orders: { id: string; number: string; status: string; created_at: number }[];
  serials: { id: string; serial: string; product_id: string }[];
  profile: SystemProfile | null;
  repairs: { id: string; serial: string; state: string; created_at: number }[];
  canned: SupportCannedRepliesTable[];
  /** The answer form's text (a canned reply inserted, or what was sent back with an error). */
  draft: string;
  error?: Text | undefined;
  fields?: FieldErrors | undefined;
  notice?: Text | undefined;
}

export function ticketPage(ctx: PageContext, v: TicketView): string {
  const t = (text: Text, params?: Record<string, string | number>) => tr(ctx.lang, text, params);
  const k = v.ticket;
  const base = `/staff/support/${k.id}`;
  const when = (ms: number) => formatTime(ctx.lang, ms, ctx.timeZone);
  const filesOf = (messageId: string) => v.attachments.filter((a) => a.message_id === messageId);
  const message = (m: SupportMessagesTable): SafeHtml => {
    const who =
      m.author === 'customer'
        ? t(V.customer)
        : `${t(m.author === 'note' ? V.note : V.staff)}${m.staff_id && v.staffNames[m.staff_id] ? ` · ${v.staffNames[m.staff_id]}` : ''}`;
    const files = filesOf(m.id);
    return html`<article class="support-message support-message-${m.author}">
<header><strong>${who}</strong> · <time>${when(m.created_at)}</time></header>
<div class="support-body">${m.body}</div>
${files.length > 0 ? html`<ul class="support-attachments">${files.map((f) => html`<li><a href="${base}/attachments/${f.id}">${f.file_name}</a> (${Math.ceil(f.size / 1024)} KB)</li>`)}</ul>` : ''}
</article>`;
  };
  const c = v.customer;
  const p = v.profile;
  const stateOptions = (selected: TicketState) =>
    TICKET_STATES.map(
      (s) => html`<option value="${s}"${s === selected ? html` selected` : ''}>${t(STATE_NAMES[s])}</option>`,
    );
  return layout(
    ctx,
    `${k.ref} · ${k.subject}`,
    html`<p><a href="/staff/support">${t(T.queue)}</a></p>
<h1>${k.ref}: ${k.subject}</h1>
${errorSummary(ctx.lang, v.error, v.fields ?? {})}
${v.notice ? html`<p class="notice" role="status">${t(v.notice)}</p>` : ''}
<p>${t(T.state)}: <strong>${t(STATE_NAMES[k.state])}</strong> · ${t(V.category)}: ${t(CATEGORY_NAMES[k.category] ?? CATEGORY_NAMES.other!)} · ${t(T.assignee)}: ${k.assignee_id ? (v.staffNames[k.assignee_id] ?? k.assignee_id) : t(T.nobody)}</p>
${v.mergedIntoRef && k.merged_into ? html`<p>${t(V.mergedInto)} <a href="/staff/support/${k.merged_into}">${v.mergedIntoRef}</a></p>` : ''}
${k.kept_reason === 'legal-claim' ? html`<p class="notice">${t(V.holding, { date: k.delete_after ? when(k.delete_after) : '—', reason: k.kept_note ?? '' })}</p>` : ''}
${k.restricted_at !== null ? html`<p class="notice support-restricted" role="note"><strong>${t(V.restricted, { as: t(k.kept_reason === 'legal-claim' ? V.asClaim : V.asLetter), date: k.delete_after ? when(k.delete_after) : '—' })}</strong></p>` : ''}
<div class="support-ticket">
<section aria-labelledby="thread-title">
<h2 id="thread-title">${t(V.thread)}</h2>
${v.messages.map(message)}
${
  k.restricted_at === null
    ? html`<h2 id="answer-title">${t(V.answer)}</h2>
<form method="post" action="${base}/canned" class="support-canned">${csrfField(ctx)}
  <label for="${fieldId('canned')}">${t(V.cannedPick)}</label>
  <select id="${fieldId('canned')}" name="canned">${v.canned.map((r) => html`<option value="${r.id}">${ctx.lang === 'de' ? r.title_de : r.title_en}</option>`)}</select>
  <button type="submit">${t(V.insert)}</button>
</form>
<form method="post" action="${base}/answer">${csrfField(ctx)}
  <label for="${fieldId('body')}">${t(V.message)}</label>
  <textarea id="${fieldId('body')}" name="body" rows="10" maxlength="20000" required>${v.draft}</textarea>
  <fieldset><legend>${t(V.after)}</legend>
    <label><input type="radio" name="then" value="waiting" checked> ${t(STATE_NAMES.waiting)}</label>
    <label><input type="radio" name="then" value="solved"> ${t(STATE_NAMES.solved)}</label>
    <label><input type="radio" name="then" value="open"> ${t(V.keepOpen)}</label>
  </fieldset>
  <button type="submit">${t(V.send)}</button>
</form>
<h2 id="note-title">${t(V.note)}</h2>
<form method="post" action="${base}/note">${csrfField(ctx)}
  <label for="${fieldId('note')}">${t(V.note)}</label> <small>${t(V.noteHint)}</small>
  <textarea id="${fieldId('note')}" name="body" rows="4" maxlength="20000" required></textarea>
  <button type="submit">${t(V.addNote)}</button>
</form>`
    : ''
}
</section>
<aside aria-labelledby="customer-title">
<h2 id="customer-title">${t(V.customer)}</h2>
${
  c.userId
    ? html`<p><a href="/staff/customers/${c.userId}">${c.name ?? c.userId}</a><br>${c.email ?? ''}</p>`
    : html`<p>${c.name ?? ''}<br>${c.email ?? ''}<br><small>${t(V.guest)}</small></p>`
}
<h3>${t(V.orders)}</h3>
${v.orders.length === 0 ? html`<p>${t(V.noneYet)}</p>` : html`<ul class="support-orders">${v.orders.map((o) => html`<li><a href="/staff/orders/${o.id}">${o.number}</a> · ${when(o.created_at)} · ${o.status}</li>`)}</ul>`}
<h3>${t(V.serials)}</h3>
${v.serials.length === 0 ? html`<p>${t(V.noneYet)}</p>` : html`<ul class="support-serials">${v.serials.map((s) => html`<li><code>${s.serial}</code></li>`)}</ul>`}
<h3>${t(V.profile)}</h3>
${
  p
    ? html`<dl class="support-profile"><dt>OS</dt><dd>${p.os} ${p.osVersion}</dd><dt>Host</dt><dd>${p.host} ${p.hostVersion}</dd><dt>Audio</dt><dd>${p.audioInterface}</dd><dt>${t({ en: 'Product versions', de: 'Produktversionen' })}</dt><dd>${p.productVersions}</dd><dt>${t({ en: 'Serials', de: 'Seriennummern' })}</dt><dd>${p.serials.join(', ')}</dd></dl>`
    : html`<p>${t(V.noneYet)}</p>`
}
${v.repairs.length > 0 ? html`<h3>${t(V.repairs)}</h3><ul class="support-repairs">${v.repairs.map((r) => html`<li><a href="/staff/support/repairs/${r.id}">${r.serial}</a> · ${r.state}</li>`)}</ul>` : ''}
${
  k.restricted_at === null
    ? html`<h3>${t(V.changeState)}</h3>
<form method="post" action="${base}/state">${csrfField(ctx)}
  <label for="${fieldId('state')}">${t(T.state)}</label>
  <select id="${fieldId('state')}" name="state">${stateOptions(k.state)}</select>
  <button type="submit">${t(V.save)}</button>
</form>
<h3>${t(V.assign)}</h3>
<form method="post" action="${base}/assign">${csrfField(ctx)}
  <label for="${fieldId('assignee')}">${t(T.assignee)}</label>
  <select id="${fieldId('assignee')}" name="assignee">
    <option value="me">${t(V.toMe)}</option>
    <option value=""${k.assignee_id === null ? html` selected` : ''}>${t(T.nobody)}</option>
    ${v.staff.map((s) => html`<option value="${s.id}"${s.id === k.assignee_id ? html` selected` : ''}>${s.name}</option>`)}
  </select>
  <button type="submit">${t(V.assign)}</button>
</form>
<h3>${t(V.category)}</h3>
<form method="post" action="${base}/category">${csrfField(ctx)}
  <label for="${fieldId('category')}">${t(V.category)}</label>
  <select id="${fieldId('category')}" name="category">${TICKET_CATEGORIES.map((cat) => html`<option value="${cat}"${cat === k.category ? html` selected` : ''}>${t(CATEGORY_NAMES[cat]!)}</option>`)}</select>
  <label for="${fieldId('productId')}">${t(V.product)}</label>
  <input id="${fieldId('productId')}" type="text" name="productId" value="${k.product_id ?? ''}" maxlength="64">
  <button type="submit">${t(V.save)}</button>
</form>
<h3>${t(V.merge)}</h3>
<form method="post" action="${base}/merge">${csrfField(ctx)}
  <label for="${fieldId('target')}">${t(V.merge)}</label>
  <input id="${fieldId('target')}" type="text" name="target" maxlength="40" required aria-describedby="merge-hint">
  <small id="merge-hint">${t(V.mergeHint)}</small>
  <button type="submit">${t(V.merge)}</button>
</form>`
    : ''
}
<h3>${t(V.hold)}</h3>
${
  k.kept_reason === 'legal-claim'
    ? html`<form method="post" action="${base}/hold">${csrfField(ctx)}<input type="hidden" name="lift" value="1"><button type="submit">${t(V.lift)}</button></form>`
    : html`<form method="post" action="${base}/hold">${csrfField(ctx)}
  <label for="${fieldId('reason')}">${t(V.holdReason)}</label>
  <textarea id="${fieldId('reason')}" name="reason" rows="2" maxlength="1000" required></textarea>
  <label for="${fieldId('until')}">${t(V.holdUntil)}</label>
  <input id="${fieldId('until')}" name="until" type="date" required>
  <button type="submit">${t(V.hold)}</button>
</form>`
}
</aside>
</div>`,
  );
}

const C = {
  title: { en: 'Canned replies', de: 'Textvorlagen' },
  add: { en: 'New canned reply', de: 'Neue Textvorlage' },
  edit: { en: 'Edit', de: 'Bearbeiten' },
  del: { en: 'Delete', de: 'Löschen' },
  titleEn: { en: 'Title (English)', de: 'Titel (Englisch)' },
  titleDe: { en: 'Title (German)', de: 'Titel (Deutsch)' },
  bodyEn: { en: 'Text (English)', de: 'Text (Englisch)' },
  bodyDe: { en: 'Text (German)', de: 'Text (Deutsch)' },
  save: { en: 'Save', de: 'Speichern' },
  none: { en: 'No canned replies yet.', de: 'Noch keine Textvorlagen.' },
} satisfies Record<string, Text>;

export function cannedListPage(ctx: PageContext, replies: SupportCannedRepliesTable[]): string {
  const t = (text: Text) => tr(ctx.lang, text);
  return layout(
    ctx,
    t(C.title),
    html`<p><a href="/staff/support">${t(T.queue)}</a></p>
<h1>${t(C.title)}</h1>
<p><a href="/staff/support/canned/new">${t(C.add)}</a></p>
${
  replies.length === 0
    ? html`<p class="empty-state">${t(C.none)}</p>`
    : html`<table class="support-canned-list"><thead><tr><th scope="col">${t(C.titleEn)}</th><th scope="col">${t(C.titleDe)}</th><th scope="col"><span class="visually-hidden">${t(C.edit)}</span></th></tr></thead>
<tbody>${replies.map(
        (r) =>
          html`<tr><td data-label="${t(C.titleEn)}">${r.title_en}</td><td data-label="${t(C.titleDe)}">${r.title_de}</td><td><div class="actions"><a href="/staff/support/canned/${r.id}">${t(C.edit)}<span class="visually-hidden">: ${ctx.lang === 'de' ? r.title_de : r.title_en}</span></a>
<form method="post" action="/staff/support/canned/${r.id}/delete" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${t(C.del)}<span class="visually-hidden">: ${ctx.lang === 'de' ? r.title_de : r.title_en}</span></button></form></div></td></tr>`,
      )}</tbody></table>`
}`,
  );
}

export function cannedEditPage(
  ctx: PageContext,
  id: string | null,
  values: { titleEn: string; titleDe: string; bodyEn: string; bodyDe: string },
  fields: FieldErrors = {},
  error?: Text,
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const labels = { titleEn: C.titleEn, titleDe: C.titleDe, bodyEn: C.bodyEn, bodyDe: C.bodyDe };
  const input = (name: 'titleEn' | 'titleDe') =>
    html`<label for="${fieldId(name)}">${t(labels[name])}</label><input id="${fieldId(name)}" type="text" name="${name}" value="${values[name]}" maxlength="200" required>`;
  const area = (name: 'bodyEn' | 'bodyDe') =>
    html`<label for="${fieldId(name)}">${t(labels[name])}</label><textarea id="${fieldId(name)}" name="${name}" rows="8" maxlength="20000" required>${values[name]}</textarea>`;
  const title = id ? t(C.edit) : t(C.add);
  return layout(
    ctx,
    title,
    html`<p><a href="/staff/support/canned">${t(C.title)}</a></p>
<h1>${title}</h1>
${errorSummary(ctx.lang, error, fields, labels, ['titleEn', 'titleDe', 'bodyEn', 'bodyDe'])}
<form method="post" action="/staff/support/canned/${id ?? 'new'}">${csrfField(ctx)}
${input('titleEn')}
${area('bodyEn')}
${input('titleDe')}
${area('bodyDe')}
<button type="submit">${t(C.save)}</button>
</form>`,
  );
}

/** The customer page's section: this customer's tickets. */
export function customerTicketsSection(
  lang: 'en' | 'de',
  timeZone: string,
  tickets: Pick<SupportTicketsTable, 'id' | 'ref' | 'subject' | 'state' | 'updated_at'>[],
): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  return html`<table class="customer-tickets"><thead><tr><th scope="col">${t(T.ref)}</th><th scope="col">${t(T.subject)}</th><th scope="col">${t(T.state)}</th><th scope="col">${t(T.updated)}</th></tr></thead>
<tbody>${tickets.map((k) => html`<tr><td data-label="${t(T.ref)}"><a href="/staff/support/${k.id}">${k.ref}</a></td><td data-label="${t(T.subject)}">${k.subject}</td><td data-label="${t(T.state)}">${t(STATE_NAMES[k.state])}</td><td data-label="${t(T.updated)}">${formatTime(lang, k.updated_at, timeZone)}</td></tr>`)}</tbody></table>`;
}
