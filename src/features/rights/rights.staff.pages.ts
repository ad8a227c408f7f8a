// Pages of the DPO console: the list of requests with its chart, one request with its history and actions, and
// the disclosures to authorities. Pure functions of their model.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatDay, formatTime, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { categoryNames, type Category } from '../../privacy/data-map.ts';
import { csrfField, errorSummary, fieldId, layout, type FieldErrors, type PageContext } from '../../web/index.ts';
import { AUTOMATED_KINDS, kindNames, OPEN_STATES, REQUEST_KINDS, stateNames } from './rights.model.ts';
import type {
  AuthorityDisclosuresTable,
  PrivacyRequestEventsTable,
  PrivacyRequestsTable,
  RequestKind,
  RequestState,
} from './rights.tables.ts';

const DAY_MS = 24 * 3600 * 1000;
const ALL_STATES: RequestState[] = ['unverified', 'received', 'in-progress', 'waiting', 'done', 'refused'];

const T = {
  title: { en: 'Privacy requests', de: 'Datenschutzanfragen' },
  kind: { en: 'Type', de: 'Art' },
  person: { en: 'Person', de: 'Person' },
  received: { en: 'Received', de: 'Eingegangen' },
  deadline: { en: 'Legal deadline', de: 'Gesetzliche Frist' },
  state: { en: 'State', de: 'Status' },
  all: { en: 'all', de: 'alle' },
  overdueOnly: { en: 'Only overdue', de: 'Nur überfällige' },
  filter: { en: 'Filter', de: 'Filtern' },
  none: { en: 'No request matches.', de: 'Keine Anfrage passt.' },
  overdue: { en: 'overdue by {n} days', de: 'seit {n} Tagen überfällig' },
  daysLeft: { en: '{n} days left', de: 'noch {n} Tage' },
  extended: { en: 'extended', de: 'verlängert' },
  duplicate: { en: 'repeats an earlier request', de: 'wiederholt eine frühere Anfrage' },
  account: { en: 'account', de: 'Konto' },
  noAccount: { en: 'no account', de: 'ohne Konto' },
  older: { en: 'Older requests', de: 'Ältere Anfragen' },
  newest: { en: 'Newest requests', de: 'Neueste Anfragen' },
  pages: { en: 'Pages', de: 'Seiten' },
  disclosures: { en: 'Disclosures to authorities', de: 'Weitergaben an Behörden' },
  audit: { en: 'Compliance audit', de: 'Prüfung der Datenschutzzusagen' },
  record: { en: 'Record of processing activities', de: 'Verzeichnis der Verarbeitungstätigkeiten' },
  chartTitle: { en: 'Requests per month, last 12 months', de: 'Anfragen pro Monat, letzte 12 Monate' },
  month: { en: 'Month', de: 'Monat' },
  count: { en: 'Requests', de: 'Anfragen' },
  median: { en: 'Median days to completion', de: 'Median der Tage bis zur Erledigung' },
  numbers: { en: 'The numbers of the chart', de: 'Die Zahlen des Diagramms' },
} satisfies Record<string, Text>;

export interface MonthFigure {
  /** The month's first moment (UTC). */
  at: number;
  count: number;
  /** Median days from receipt to completion of the month's finished requests; null when none finished. */
  medianDays: number | null;
}

export interface RequestListQuery {
  state?: RequestState | undefined;
  kind?: RequestKind | undefined;
  overdue?: boolean | undefined;
  after?: string | undefined;
}

export interface RequestListModel {
  rows: PrivacyRequestsTable[];
  next: string | null;
  query: RequestListQuery;
  months: MonthFigure[];
  now: number;
  /** Account ids that may be linked to the customer page (the viewer may open it). */
  linkAccounts: boolean;
}

function listHref(q: RequestListQuery, after?: string): string {
  const p = new URLSearchParams();
  if (q.state) p.set('state', q.state);
  if (q.kind) p.set('kind', q.kind);
  if (q.overdue) p.set('overdue', '1');
  if (after) p.set('after', after);
  const s = p.toString();
  return s ? `/staff/privacy?${s}` : '/staff/privacy';
}

const monthLabel = (lang: Lang, at: number) =>
  new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(at));

/** Days until the deadline (negative when past), whole days rounded towards the deadline. */
export const daysLeft = (dueAt: number, now: number): number =>
  dueAt >= now ? Math.ceil((dueAt - now) / DAY_MS) : -Math.ceil((now - dueAt) / DAY_MS);

function deadlineCell(ctx: PageContext, r: PrivacyRequestsTable, now: number): SafeHtml {
  const t = (text: Text, p?: Record<string, string | number>) => tr(ctx.lang, text, p);
  const day = formatDay(ctx.lang, r.due_at, ctx.timeZone);
  const ext = r.extended_at !== null ? html` (${t(T.extended)})` : '';
  if (!OPEN_STATES.includes(r.state)) return html`${day}${ext}`;
  const left = daysLeft(r.due_at, now);
  return left < 0
    ? html`<strong class="overdue">${day}${ext} · ${t(T.overdue, { n: -left })}</strong>`
    : html`${day}${ext} · ${t(T.daysLeft, { n: left })}`;
}

function personCell(ctx: PageContext, r: PrivacyRequestsTable, link: boolean): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  if (r.subject.includes('@')) return html`${r.email} (${t(T.noAccount)})`;
  return link
    ? html`<a href="/staff/customers/${r.subject}">${r.email}</a> (${t(T.account)})`
    : html`${r.email} (${t(T.account)})`;
}

const WIDTH = 640;
const HEIGHT = 220;
const BOTTOM = 30;
const TOP = 24;

function requestChart(lang: Lang, months: MonthFigure[]): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  const max = Math.max(0, ...months.map((m) => m.count));
  const slot = WIDTH / Math.max(1, months.length);
  const plot = HEIGHT - TOP - BOTTOM;
  const y = (v: number) => Math.round((HEIGHT - BOTTOM - (max > 0 ? (v / max) * plot : 0)) * 10) / 10;
  const total = months.reduce((n, m) => n + m.count, 0);
  const desc = tr(
    lang,
    {
      en: '{total} requests from {first} to {last}; the most, {max}, in one month.',
      de: '{total} Anfragen von {first} bis {last}; die meisten, {max}, in einem Monat.',
    },
    {
      total,
      first: months[0] ? monthLabel(lang, months[0].at) : '',
      last: months.at(-1) ? monthLabel(lang, months.at(-1)!.at) : '',
      max,
    },
  );
  const fmtMedian = (m: number | null) =>
    m === null ? '–' : (Math.round(m * 10) / 10).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB');
  return html`<section class="console-chart" aria-labelledby="privacy-chart-heading">
<h2 id="privacy-chart-heading">${t(T.chartTitle)}</h2>
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="privacy-chart-title privacy-chart-desc" xmlns="http://www.w3.org/2000/svg">
<title id="privacy-chart-title">${t(T.chartTitle)}</title>
<desc id="privacy-chart-desc">${desc}</desc>
${months.map((m, i) => {
  const top = y(m.count);
  return html`<rect x="${Math.round(i * slot + slot * 0.15)}" y="${top}" width="${Math.round(slot * 0.7)}" height="${Math.round((HEIGHT - BOTTOM - top) * 10) / 10}" fill="#4a7fbf"/>`;
})}
<line x1="0" y1="${HEIGHT - BOTTOM}" x2="${WIDTH}" y2="${HEIGHT - BOTTOM}" stroke="#55555f"/>
<text x="2" y="16" font-size="15" fill="#55555f">${String(max)}</text>
${months[0] ? html`<text x="2" y="${HEIGHT - 8}" font-size="15" fill="#55555f">${monthLabel(lang, months[0].at)}</text>` : ''}
${months.length > 1 ? html`<text x="${WIDTH}" y="${HEIGHT - 8}" font-size="15" fill="#55555f" text-anchor="end">${monthLabel(lang, months.at(-1)!.at)}</text>` : ''}
</svg>
<details>
<summary>${t(T.numbers)}</summary>
<div class="table-box">
<table>
<caption>${t(T.chartTitle)}</caption>
<thead><tr><th scope="col">${t(T.month)}</th><th scope="col" class="num">${t(T.count)}</th><th scope="col" class="num">${t(T.median)}</th></tr></thead>
<tbody>${months.map((m) => html`<tr><th scope="row">${monthLabel(lang, m.at)}</th><td class="num">${String(m.count)}</td><td class="num">${fmtMedian(m.medianDays)}</td></tr>`)}</tbody>
</table>
</div>
</details>
</section>`;
}

export function requestListPage(ctx: PageContext, m: RequestListModel): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t(T.title);
  const q = m.query;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p><a href="/staff/privacy/disclosures">${t(T.disclosures)}</a> · <a href="/staff/privacy/audit">${t(T.audit)}</a> · <a href="/staff/privacy/record">${t(T.record)}</a></p>
<form method="get" action="/staff/privacy" class="shop-filter">
  <label for="privacy-state">${t(T.state)}</label>
  <select id="privacy-state" name="state"><option value="">${t(T.all)}</option>${ALL_STATES.map((s) => html`<option value="${s}"${q.state === s ? html` selected` : ''}>${t(stateNames[s])}</option>`)}</select>
  <label for="privacy-kind">${t(T.kind)}</label>
  <select id="privacy-kind" name="kind"><option value="">${t(T.all)}</option>${REQUEST_KINDS.map((k) => html`<option value="${k}"${q.kind === k ? html` selected` : ''}>${t(kindNames[k])}</option>`)}</select>
  <input id="privacy-overdue" type="checkbox" name="overdue" value="1"${q.overdue ? html` checked` : ''}><label for="privacy-overdue">${t(T.overdueOnly)}</label>
  <button type="submit">${t(T.filter)}</button>
</form>
${
  m.rows.length === 0
    ? html`<p>${t(T.none)}</p>`
    : html`<table class="stack">
<caption class="visually-hidden">${title}</caption>
<thead><tr><th scope="col">${t(T.kind)}</th><th scope="col">${t(T.person)}</th><th scope="col">${t(T.received)}</th><th scope="col">${t(T.deadline)}</th><th scope="col">${t(T.state)}</th></tr></thead>
<tbody>${m.rows.map(
        (r) =>
          html`<tr data-request="${r.id}"><td data-label="${t(T.kind)}"><a href="/staff/privacy/requests/${r.id}">${t(kindNames[r.kind])}</a>${r.duplicate_of ? html` <span class="duplicate">(${t(T.duplicate)})</span>` : ''}</td><td data-label="${t(T.person)}">${personCell(ctx, r, m.linkAccounts)}</td><td data-label="${t(T.received)}">${formatDay(ctx.lang, r.received_at, ctx.timeZone)}</td><td data-label="${t(T.deadline)}">${deadlineCell(ctx, r, m.now)}</td><td data-label="${t(T.state)}">${t(stateNames[r.state])}</td></tr>`,
      )}</tbody>
</table>`
}
${
  q.after || m.next
    ? html`<nav class="pager" aria-label="${t(T.pages)}">${q.after ? html`<a href="${listHref({ ...q, after: undefined })}">${t(T.newest)}</a> ` : ''}${m.next ? html`<a href="${listHref(q, m.next)}" rel="next">${t(T.older)}</a>` : ''}</nav>`
    : ''
}
${requestChart(ctx.lang, m.months)}`,
  );
}

export interface RequestPageModel {
  request: PrivacyRequestsTable;
  events: PrivacyRequestEventsTable[];
  now: number;
  /** The name of each staff member in the history, by account id. */
  actors: Record<string, string>;
  activityName: (id: string) => string | undefined;
  linkAccounts: boolean;
  notice?: Text | undefined;
  error?: Text | undefined;
  fields?: FieldErrors | undefined;
  /** The action whose form the field errors belong to. */
  failedAction?: string | undefined;
}

const whatNames: Record<string, Text> = {
  received: { en: 'Received', de: 'Eingegangen' },
  'received-unverified': { en: 'Received, address not yet confirmed', de: 'Eingegangen, Adresse noch nicht bestätigt' },
  verified: { en: 'Address confirmed', de: 'Adresse bestätigt' },
  duplicate: { en: 'Recognised as a repeat', de: 'Als Wiederholung erkannt' },
  extended: { en: 'Deadline extended', de: 'Frist verlängert' },
  refused: { en: 'Refused', de: 'Abgelehnt' },
  'identity-requested': { en: 'Identity check asked for', de: 'Identitätsprüfung angefordert' },
  'identity-checked': { en: 'Identity checked', de: 'Identität geprüft' },
  waiting: { en: 'Waiting for the person', de: 'Wartet auf die Person' },
  resumed: { en: 'Resumed', de: 'Fortgesetzt' },
  'run-now': { en: 'Run again', de: 'Erneut ausgeführt' },
  'restriction-granted': { en: 'Restriction granted until', de: 'Einschränkung gewährt bis' },
  'objection-recorded': { en: 'Objection recorded', de: 'Widerspruch erfasst' },
  rectified: { en: 'Corrected', de: 'Berichtigt' },
  failed: { en: 'Failed repeatedly; waits for staff', de: 'Wiederholt fehlgeschlagen; wartet auf Mitarbeiter' },
  done: { en: 'Done', de: 'Erledigt' },
};
const actorNames: Record<string, Text> = {
  subject: { en: 'the person', de: 'die Person' },
  staff: { en: 'staff', de: 'Mitarbeiter' },
  system: { en: 'system', de: 'System' },
};

/** The one field of a staff action's form, if it has one. */
interface ActionField {
  name: 'reason' | 'note' | 'until';
  label: Text;
  required: boolean;
  type?: 'date';
}

function actionForm(
  ctx: PageContext,
  action: string,
  id: string,
  legend: Text,
  button: Text,
  field?: ActionField,
  fields: FieldErrors = {},
): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const fid = field ? fieldId(`${action}-${field.name}`) : '';
  const err = field ? fields[field.name] : undefined;
  return html`<form method="post" action="/staff/privacy/requests/${id}/${action}" class="privacy-action">${csrfField(ctx)}
<fieldset><legend>${t(legend)}</legend>
${
  field
    ? html`<label for="${fid}">${t(field.label)}</label>${err ? html`<p class="field-error" id="${fid}-error">${t(err)}</p>` : ''}
${field.type === 'date' ? html`<input type="date" id="${fid}" name="${field.name}"${field.required ? html` required` : ''}${err ? html` aria-invalid="true" aria-describedby="${fid}-error"` : ''}>` : html`<textarea id="${fid}" name="${field.name}" rows="3" maxlength="2000"${field.required ? html` required` : ''}${err ? html` aria-invalid="true" aria-describedby="${fid}-error"` : ''}></textarea>`}`
    : ''
}
<button type="submit">${t(button)}</button>
</fieldset>
</form>`;
}

export function requestPage(ctx: PageContext, m: RequestPageModel): string {
  const t = (text: Text, p?: Record<string, string | number>) => tr(ctx.lang, text, p);
  const r = m.request;
  const title = `${t(kindNames[r.kind])} · ${r.email}`;
  const open = OPEN_STATES.includes(r.state);
  let detail: { ground?: string; activity?: string; field?: string; message?: string } = {};
  try {
    detail = r.detail ? (JSON.parse(r.detail) as typeof detail) : {};
  } catch {
    detail = {};
  }
  const when = (at: number) => formatTime(ctx.lang, at, ctx.timeZone);
  const fieldsFor = (action: string): FieldErrors => (m.failedAction === action ? (m.fields ?? {}) : {});
  const reasonField = {
    name: 'reason' as const,
    label: { en: 'Reason (sent to the person)', de: 'Grund (wird der Person gesendet)' },
    required: true,
  };
  const noteField = {
    name: 'note' as const,
    label: { en: 'Note (optional)', de: 'Notiz (optional)' },
    required: false,
  };
  const forms: SafeHtml[] = [];
  /** Adds the form of `action` on this request, with the error of its field if that action just failed. */
  const addForm = (action: string, legend: Text, button: Text, field?: ActionField) =>
    forms.push(actionForm(ctx, action, r.id, legend, button, field, fieldsFor(action)));
  if (open) {
    if (r.extended_at === null)
      addForm(
        'extend',
        {
          en: 'Extend the deadline by two months (Art. 12(3) GDPR)',
          de: 'Frist um zwei Monate verlängern (Art. 12 Abs. 3 DSGVO)',
        },
        { en: 'Extend the deadline', de: 'Frist verlängern' },
        reasonField,
      );
    if (r.kind === 'restriction')
      addForm(
        'grant-restriction',
        { en: 'Grant the restriction', de: 'Einschränkung gewähren' },
        { en: 'Grant the restriction', de: 'Einschränkung gewähren' },
        { name: 'until', label: { en: 'Restricted until', de: 'Eingeschränkt bis' }, required: true, type: 'date' },
      );
    if (r.kind === 'objection')
      addForm(
        'record-objection',
        { en: 'Record the objection', de: 'Widerspruch erfassen' },
        { en: 'Record the objection', de: 'Widerspruch erfassen' },
      );
    if (r.kind === 'rectification')
      addForm(
        'rectified',
        { en: 'Close as corrected', de: 'Als berichtigt abschließen' },
        { en: 'Close as corrected', de: 'Als berichtigt abschließen' },
        { name: 'note', label: { en: 'What was corrected', de: 'Was berichtigt wurde' }, required: true },
      );
    if (r.identity_check === 1 && r.identity_checked_at === null)
      addForm(
        'identity-checked',
        { en: 'Identity check', de: 'Identitätsprüfung' },
        { en: 'Mark the identity as checked', de: 'Identität als geprüft markieren' },
        noteField,
      );
    else
      addForm(
        'ask-identity',
        { en: 'Identity check', de: 'Identitätsprüfung' },
        { en: 'Ask for an identity check', de: 'Identitätsprüfung anfordern' },
        noteField,
      );
    if (r.state === 'received' || r.state === 'in-progress')
      addForm(
        'wait',
        { en: 'Wait for the person', de: 'Auf die Person warten' },
        { en: 'Mark as waiting', de: 'Als wartend markieren' },
        noteField,
      );
    if (r.state === 'waiting') {
      addForm('resume', { en: 'Resume', de: 'Fortsetzen' }, { en: 'Resume', de: 'Fortsetzen' }, noteField);
      if (AUTOMATED_KINDS.has(r.kind))
        addForm(
          'run-now',
          { en: 'Run again now', de: 'Jetzt erneut ausführen' },
          { en: 'Run now', de: 'Jetzt ausführen' },
        );
    }
    addForm(
      'refuse',
      { en: 'Refuse the request', de: 'Anfrage ablehnen' },
      { en: 'Refuse', de: 'Ablehnen' },
      reasonField,
    );
  }
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p><a href="/staff/privacy">${t(T.title)}</a></p>
${m.notice ? html`<p class="notice" role="status">${t(m.notice)}</p>` : ''}
${errorSummary(ctx.lang, m.error, {}, {})}
<dl>
  <dt>${t(T.state)}</dt><dd>${t(stateNames[r.state])}${r.refusal_reason ? html` · ${r.refusal_reason}` : ''}</dd>
  <dt>${t(T.person)}</dt><dd>${personCell(ctx, r, m.linkAccounts)}</dd>
  <dt>${t(T.received)}</dt><dd>${when(r.received_at)}</dd>
  <dt>${t(T.deadline)}</dt><dd>${deadlineCell(ctx, r, m.now)}${r.extension_reason ? html` · ${r.extension_reason}` : ''}</dd>
  ${r.duplicate_of ? html`<dt>${t(T.duplicate)}</dt><dd><a href="/staff/privacy/requests/${r.duplicate_of}">${r.duplicate_of}</a></dd>` : ''}
  ${r.identity_check === 1 ? html`<dt>${t({ en: 'Identity check', de: 'Identitätsprüfung' })}</dt><dd>${r.identity_checked_at !== null ? when(r.identity_checked_at) : t({ en: 'outstanding', de: 'ausstehend' })}</dd>` : ''}
  ${detail.ground ? html`<dt>${t({ en: 'Ground', de: 'Grund' })}</dt><dd>${detail.ground}</dd>` : ''}
  ${detail.activity ? html`<dt>${t({ en: 'Processing', de: 'Verarbeitung' })}</dt><dd>${m.activityName(detail.activity) ?? detail.activity}</dd>` : ''}
  ${detail.field ? html`<dt>${t({ en: 'Field', de: 'Feld' })}</dt><dd>${detail.field}</dd>` : ''}
  ${detail.message ? html`<dt>${t({ en: 'Message', de: 'Nachricht' })}</dt><dd>${detail.message}</dd>` : ''}
  <dt>${t({ en: 'Failed runs', de: 'Fehlgeschlagene Läufe' })}</dt><dd>${String(r.attempts)}</dd>
</dl>
<h2>${t({ en: 'History', de: 'Verlauf' })}</h2>
<table class="stack">
<thead><tr><th scope="col">${t({ en: 'When', de: 'Wann' })}</th><th scope="col">${t({ en: 'Who', de: 'Wer' })}</th><th scope="col">${t({ en: 'What', de: 'Was' })}</th><th scope="col">${t({ en: 'Note', de: 'Notiz' })}</th></tr></thead>
<tbody>${m.events.map(
      (e) =>
        html`<tr data-event="${e.what}"><td data-label="${t({ en: 'When', de: 'Wann' })}">${when(e.at)}</td><td data-label="${t({ en: 'Who', de: 'Wer' })}">${e.actor_user_id && m.actors[e.actor_user_id] ? m.actors[e.actor_user_id] : t(actorNames[e.actor] ?? { en: e.actor, de: e.actor })}</td><td data-label="${t({ en: 'What', de: 'Was' })}">${whatNames[e.what] ? t(whatNames[e.what]!) : e.what}</td><td data-label="${t({ en: 'Note', de: 'Notiz' })}">${e.note ?? ''}</td></tr>`,
    )}</tbody>
</table>
${forms.length > 0 ? html`<h2>${t({ en: 'Actions', de: 'Aktionen' })}</h2>${forms}` : ''}`,
  );
}

export interface DisclosurePageModel {
  rows: AuthorityDisclosuresTable[];
  next: string | null;
  after?: string | undefined;
  categories: Category[];
  notice?: Text | undefined;
  error?: Text | undefined;
  fields?: FieldErrors | undefined;
  /** What was entered, shown again after an error. */
  draft?: Record<string, string | string[] | undefined>;
}

export const DISCLOSURE_LABELS = {
  email: { en: 'The person’s email address (account or not)', de: 'E-Mail-Adresse der Person (mit oder ohne Konto)' },
  authority: { en: 'Authority', de: 'Behörde' },
  legalBasis: { en: 'Legal basis', de: 'Rechtsgrundlage' },
  reference: { en: 'Reference (file number)', de: 'Aktenzeichen' },
  categories: { en: 'Data categories disclosed', de: 'Weitergegebene Datenkategorien' },
  date: { en: 'Date of the disclosure', de: 'Datum der Weitergabe' },
  confidentialUntil: {
    en: 'Legally confidential until (optional; the person is not told before)',
    de: 'Gesetzlich vertraulich bis (optional; die Person erfährt es nicht vorher)',
  },
} satisfies Record<string, Text>;

export function disclosuresPage(ctx: PageContext, m: DisclosurePageModel): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t(T.disclosures);
  const fields = m.fields ?? {};
  const d = m.draft ?? {};
  const val = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  const chosen = new Set(
    Array.isArray(d.categories) ? d.categories : typeof d.categories === 'string' ? [d.categories] : [],
  );
  const input = (name: keyof typeof DISCLOSURE_LABELS, type: string, required: boolean) => {
    const id = fieldId(name);
    const err = fields[name];
    return html`<p><label for="${id}">${t(DISCLOSURE_LABELS[name])}</label>${err ? html`<span class="field-error" id="${id}-error">${t(err)}</span>` : ''}
<input id="${id}" name="${name}" type="${type}"${type === 'date' ? '' : html` maxlength="500"`} value="${val(name)}"${required ? html` required` : ''}${err ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}></p>`;
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p><a href="/staff/privacy">${t(T.title)}</a></p>
${m.notice ? html`<p class="notice" role="status">${t(m.notice)}</p>` : ''}
${errorSummary(ctx.lang, m.error, fields, DISCLOSURE_LABELS, ['email', 'authority', 'legalBasis', 'reference', 'categories', 'date', 'confidentialUntil'])}
<h2>${t({ en: 'Record a disclosure', de: 'Weitergabe erfassen' })}</h2>
<form method="post" action="/staff/privacy/disclosures">${csrfField(ctx)}
${input('email', 'email', true)}
${input('authority', 'text', true)}
${input('legalBasis', 'text', true)}
${input('reference', 'text', true)}
<fieldset id="${fieldId('categories')}"><legend>${t(DISCLOSURE_LABELS.categories)}</legend>
${m.categories.map((c) => html`<input type="checkbox" id="cat-${c}" name="categories" value="${c}"${chosen.has(c) ? html` checked` : ''}><label for="cat-${c}">${t(categoryNames[c])}</label><br>`)}
</fieldset>
${input('date', 'date', true)}
${input('confidentialUntil', 'date', false)}
<button type="submit">${t({ en: 'Record the disclosure', de: 'Weitergabe erfassen' })}</button>
</form>
<h2>${t({ en: 'Recorded disclosures', de: 'Erfasste Weitergaben' })}</h2>
${
  m.rows.length === 0
    ? html`<p>${t({ en: 'None recorded yet.', de: 'Noch keine erfasst.' })}</p>`
    : html`<table class="stack">
<thead><tr><th scope="col">${t(DISCLOSURE_LABELS.date)}</th><th scope="col">${t(DISCLOSURE_LABELS.authority)}</th><th scope="col">${t(DISCLOSURE_LABELS.legalBasis)}</th><th scope="col">${t(DISCLOSURE_LABELS.reference)}</th><th scope="col">${t(DISCLOSURE_LABELS.categories)}</th><th scope="col">${t({ en: 'Confidential until', de: 'Vertraulich bis' })}</th></tr></thead>
<tbody>${m.rows.map((r) => {
        let cats: string[] = [];
        try {
          cats = JSON.parse(r.categories) as string[];
        } catch {
          cats = [];
        }
        return html`<tr><td data-label="${t(DISCLOSURE_LABELS.date)}">${formatDay(ctx.lang, r.disclosed_at, ctx.timeZone)}</td><td data-label="${t(DISCLOSURE_LABELS.authority)}">${r.authority}</td><td data-label="${t(DISCLOSURE_LABELS.legalBasis)}">${r.legal_basis}</td><td data-label="${t(DISCLOSURE_LABELS.reference)}">${r.reference}</td><td data-label="${t(DISCLOSURE_LABELS.categories)}">${cats.map((c) => (categoryNames[c as Category] ? t(categoryNames[c as Category]) : c)).join(', ')}</td><td data-label="${t({ en: 'Confidential until', de: 'Vertraulich bis' })}">${r.confidential_until !== null ? formatDay(ctx.lang, r.confidential_until, ctx.timeZone) : '–'}</td></tr>`;
      })}</tbody>
</table>`
}
${m.next || m.after ? html`<nav class="pager" aria-label="${t(T.pages)}">${m.after ? html`<a href="/staff/privacy/disclosures">${t({ en: 'Newest', de: 'Neueste' })}</a> ` : ''}${m.next ? html`<a href="/staff/privacy/disclosures?after=${m.next}" rel="next">${t({ en: 'Older', de: 'Ältere' })}</a>` : ''}</nav>` : ''}`,
  );
}
