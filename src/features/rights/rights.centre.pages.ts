// The privacy centre's pages (/account/privacy): every right with what it does here, the access report, the
// person's requests, the erasure confirmation and the goodbye page. Pure functions from a model to HTML.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { csrfField, errorSummary, fieldId, layout, type FieldErrors, type PageContext } from '../../web/index.ts';
import { article, basisText, gdpr } from '../../privacy/policy.common.ts';
import { recipientRoleNames } from '../../privacy/policy.recipients.ts';
import { kindNames, stateNames, type RestrictionGround } from './rights.model.ts';
import type { AccessReport, ReportActivity } from './rights.report.ts';
import type { PrivacyRequestsTable } from './rights.tables.ts';

export interface CorrectableField {
  id: string;
  label: Text;
  /** The page where the person corrects it themselves; null: derived or historical, only by asking staff. */
  href: string | null;
  what: Text;
}

export interface ObjectionSwitch {
  activity: string;
  name: Text;
  purpose: Text;
  objected: boolean;
  /** A page of the feature itself that takes the objection (with effects beyond the record), instead of the switch. */
  page: string | null;
  directMarketing: boolean;
}

export interface ConsentEntry {
  name: Text;
  state: Text;
  href: string;
  action: Text;
}

export interface CentreModel {
  report: AccessReport;
  requests: PrivacyRequestsTable[];
  emailVerified: boolean;
  fields: CorrectableField[];
  objections: ObjectionSwitch[];
  consents: ConsentEntry[];
  storage: Text;
  company: string;
  dpo: { name: string; email: string };
  authority: { name: string; address: string[]; url: string };
  notice: Text | null;
  errors: FieldErrors;
  errorMessage: Text | null;
  /** Downloadable export: request id → until when. */
  now: number;
}

export const GROUNDS: Record<RestrictionGround, Text> = {
  accuracy: {
    en: 'I contest the accuracy of my data (while you check it)',
    de: 'Ich bestreite die Richtigkeit meiner Daten (während Sie sie prüfen)',
  },
  unlawful: {
    en: 'The processing is unlawful, but I want my data restricted rather than erased',
    de: 'Die Verarbeitung ist unrechtmäßig, ich möchte statt der Löschung eine Einschränkung',
  },
  'legal-claim': {
    en: 'I need the data to establish, exercise or defend a legal claim',
    de: 'Ich benötige die Daten zur Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen',
  },
  'objection-pending': {
    en: 'I objected, and you have not yet decided whether your grounds override mine',
    de: 'Ich habe widersprochen, und Sie haben noch nicht entschieden, ob Ihre Gründe überwiegen',
  },
};

const T = {
  title: { en: 'Privacy centre', de: 'Datenschutz-Center' },
  intro: {
    en: 'Every right you have over your data, and what it does here. Requests we must decide on are answered within one month.',
    de: 'Alle Ihre Rechte an Ihren Daten und was sie hier bewirken. Anfragen, über die wir entscheiden müssen, beantworten wir innerhalb eines Monats.',
  },
  contents: { en: 'On this page', de: 'Auf dieser Seite' },
  access: { en: 'What we hold about you', de: 'Was wir über Sie gespeichert haben' },
  portability: { en: 'A copy of your data', de: 'Eine Kopie Ihrer Daten' },
  rectification: { en: 'Correct your data', de: 'Ihre Daten berichtigen' },
  erasure: { en: 'Erase your account', de: 'Ihr Konto löschen' },
  restriction: { en: 'Restrict processing', de: 'Verarbeitung einschränken' },
  objection: { en: 'Object', de: 'Widersprechen' },
  consents: { en: 'Your consents', de: 'Ihre Einwilligungen' },
  complaint: { en: 'Complaints and our data protection officer', de: 'Beschwerde und unser Datenschutzbeauftragter' },
  purpose: { en: 'Purpose', de: 'Zweck' },
  basis: { en: 'Legal basis', de: 'Rechtsgrundlage' },
  origin: { en: 'Where the data comes from', de: 'Herkunft der Daten' },
  fromYou: { en: 'From you, and from your use of our shop.', de: 'Von Ihnen und aus Ihrer Nutzung unseres Shops.' },
  recipients: { en: 'Recipients', de: 'Empfänger' },
  noRecipients: { en: 'None: this data stays with us.', de: 'Keine: Diese Daten bleiben bei uns.' },
  retention: { en: 'How long we keep it', de: 'Wie lange wir sie aufbewahren' },
  storage: { en: 'Where it is stored', de: 'Wo sie gespeichert sind' },
  data: { en: 'Your data', de: 'Ihre Daten' },
  send: { en: 'Send', de: 'Absenden' },
  message: { en: 'Your message', de: 'Ihre Nachricht' },
} satisfies Record<string, Text>;

const time = (ctx: PageContext, at: number) => formatTime(ctx.lang, at, ctx.timeZone);

const recordCount = (lang: PageContext['lang'], n: number) =>
  n === 1 ? tr(lang, { en: '1 record', de: '1 Eintrag' }) : tr(lang, { en: '{n} records', de: '{n} Einträge' }, { n });

function activitySection(ctx: PageContext, a: ReportActivity, storage: Text, n: number): SafeHtml {
  const t = (x: Text) => tr(ctx.lang, x);
  const lang = ctx.lang;
  const records = a.tables.reduce((sum, table) => sum + table.count, 0);
  // Closed by default: the page lists every activity; the person opens the ones they want to read.
  return html`<details class="report-activity" id="act-${n}">
<summary><h3>${t(a.name)}</h3> ${recordCount(lang, records)}</summary>
<dl>
<dt>${t(T.purpose)}</dt><dd>${t(a.purpose)}</dd>
<dt>${t(T.basis)}</dt><dd>${t(basisText[a.basis])} (${article(lang, a.basis)}).${a.basisDetail ? html` ${t(a.basisDetail)}` : ''}</dd>
<dt>${t(T.origin)}</dt><dd>${a.sources.length === 0 ? t(T.fromYou) : html`${t(T.fromYou)} ${t({ en: 'Also from:', de: 'Außerdem von:' })} ${a.sources.map((s) => t(s)).join('; ')}`}</dd>
<dt>${t(T.recipients)}</dt><dd>${
    a.recipients.length === 0
      ? t(T.noRecipients)
      : html`<ul>${a.recipients.map(
          (r) =>
            html`<li>${t(r.name)}${r.company ? ` (${r.company})` : ''}, ${t(recipientRoleNames[r.role as keyof typeof recipientRoleNames] ?? { en: r.role, de: r.role })}: ${r.fields.map((f) => t(f)).join(', ')}. ${
              r.handoffs > 0 && r.lastHandoffAt !== null
                ? tr(
                    lang,
                    {
                      en: 'Hand-offs recorded: {n}, the last on {at}.',
                      de: 'Erfasste Übermittlungen: {n}, zuletzt am {at}.',
                    },
                    { n: r.handoffs, at: time(ctx, r.lastHandoffAt) },
                  )
                : t({ en: 'Nothing handed over about you so far.', de: 'Bisher nichts über Sie übermittelt.' })
            }</li>`,
        )}</ul>`
  }</dd>
<dt>${t(T.retention)}</dt><dd>${a.retention.length === 0 ? t({ en: 'As long as your account exists.', de: 'Solange Ihr Konto besteht.' }) : html`<ul>${a.retention.map((r) => html`<li>${t(r)}</li>`)}</ul>`}</dd>
<dt>${t(T.storage)}</dt><dd>${t(storage)}</dd>
</dl>
${a.tables.map(
  (table) => html`<details>
<summary>${table.table}: ${recordCount(lang, table.count)}${table.count > table.rows.length ? tr(lang, { en: ' (newest {k} shown; all in the copy)', de: ' (die neuesten {k} gezeigt; alle in der Kopie)' }, { k: table.rows.length }) : ''}</summary>
${table.rows.map((row) => html`<dl class="record">${row.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`)}
</details>`,
)}
</details>`;
}

function requestLine(ctx: PageContext, r: PrivacyRequestsTable, now: number): SafeHtml {
  const t = (x: Text) => tr(ctx.lang, x);
  const downloadable = r.state === 'done' && r.export_expires_at !== null && r.export_expires_at > now;
  return html`<li data-request="${r.id}" data-state="${r.state}">${t(kindNames[r.kind])}, ${time(ctx, r.received_at)}: ${t(stateNames[r.state])}${
    r.state === 'in-progress'
      ? html` <progress max="100" value="${r.progress}" aria-label="${t({ en: 'Progress', de: 'Fortschritt' })}">${r.progress}%</progress> ${r.progress}%`
      : ''
  }${
    downloadable
      ? html` <a href="/account/privacy/exports/${r.id}">${t({ en: 'Download (ZIP)', de: 'Herunterladen (ZIP)' })}</a> ${tr(ctx.lang, { en: '(works until {at})', de: '(gültig bis {at})' }, { at: time(ctx, r.export_expires_at!) })}`
      : r.state === 'done' && (r.kind === 'export' || r.kind === 'access')
        ? html` ${t({ en: '(the download has expired)', de: '(der Download ist abgelaufen)' })}`
        : ''
  }${r.due_at && r.state !== 'done' && r.state !== 'refused' ? html` ${tr(ctx.lang, { en: '(answer due by {at})', de: '(Antwort bis {at})' }, { at: time(ctx, r.due_at) })}` : ''}</li>`;
}

export function centrePage(ctx: PageContext, m: CentreModel): string {
  const t = (x: Text) => tr(ctx.lang, x);
  const exports = m.requests.filter((r) => r.kind === 'export' || r.kind === 'access');
  const others = m.requests.filter((r) => r.kind !== 'export' && r.kind !== 'access');
  const running = exports.some((r) => r.state === 'in-progress');
  const sections: [string, Text][] = [
    ['access', T.access],
    ['portability', T.portability],
    ['rectification', T.rectification],
    ['restriction', T.restriction],
    ['objection', T.objection],
    ['consents', T.consents],
    ['erasure', T.erasure],
    ['complaint', T.complaint],
  ];
  const page = layout(
    ctx,
    t(T.title),
    html`<h1>${t(T.title)}</h1>
${m.notice ? html`<p class="notice" role="status">${t(m.notice)}</p>` : ''}
${errorSummary(ctx.lang, m.errorMessage ?? undefined, m.errors)}
<p>${t(T.intro)}</p>
<nav aria-label="${t(T.contents)}"><ul>${sections.map(([id, label]) => html`<li><a href="#${id}">${t(label)}</a></li>`)}</ul></nav>

<section id="access" aria-labelledby="h-access">
<h2 id="h-access">${t(T.access)}</h2>
<p>${t({ en: 'Grouped by what we do with it (Art. 15 GDPR). Large lists show the newest entries; the copy below holds all of them.', de: 'Geordnet nach dem, was wir damit tun (Art. 15 DSGVO). Lange Listen zeigen die neuesten Einträge; die Kopie unten enthält alle.' })}</p>
${m.report.activities.map((a, i) => activitySection(ctx, a, m.storage, i))}
<h3>${t({ en: 'Disclosures to authorities', de: 'Übermittlungen an Behörden' })}</h3>
${
  m.report.authorities.length === 0
    ? html`<p>${t({ en: 'None that we may tell you about.', de: 'Keine, über die wir Sie informieren dürfen.' })}</p>`
    : html`<ul>${m.report.authorities.map((d) => html`<li>${d.authority}, ${time(ctx, d.disclosedAt)}: ${d.legalBasis} (${d.reference})</li>`)}</ul>`
}
<h3>${t({ en: 'Who at our company looked at your data', de: 'Wer bei uns Ihre Daten angesehen hat' })}</h3>
${
  m.report.accesses.length === 0
    ? html`<p>${t({ en: 'No member of staff has opened your data.', de: 'Niemand aus unserem Team hat Ihre Daten geöffnet.' })}</p>`
    : html`<ul class="accesses">${m.report.accesses.map((a) => html`<li>${time(ctx, a.at)}: ${t({ en: 'role', de: 'Rolle' })} ${a.role}, ${t({ en: 'what', de: 'was' })} ${a.what}, ${t({ en: 'why', de: 'warum' })} ${a.why}</li>`)}</ul>`
}
</section>

<section id="portability" aria-labelledby="h-portability">
<h2 id="h-portability">${t(T.portability)}</h2>
${running ? html`<p role="status">${t({ en: 'Your copy is being prepared; this page refreshes itself.', de: 'Ihre Kopie wird erstellt; diese Seite aktualisiert sich selbst.' })}</p>` : ''}
<p>${t({ en: 'A ZIP file with one JSON and one CSV file per data set and your files (Art. 20 GDPR). Only you can download it, for 7 days.', de: 'Eine ZIP-Datei mit je einer JSON- und einer CSV-Datei pro Datensatz und Ihren Dateien (Art. 20 DSGVO). Nur Sie können sie herunterladen, 7 Tage lang.' })}</p>
${
  m.emailVerified
    ? html`<form method="post" action="/account/privacy/export">${csrfField(ctx)}<button type="submit">${t({ en: 'Prepare a copy of my data', de: 'Kopie meiner Daten erstellen' })}</button></form>`
    : html`<p>${t({ en: 'Please confirm your email address first: the copy is sent only to a confirmed address’s owner.', de: 'Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse: Die Kopie erhält nur, wer die Adresse bestätigt hat.' })}</p>`
}
${exports.length > 0 ? html`<ul id="exports">${exports.map((r) => requestLine(ctx, r, m.now))}</ul>` : ''}
</section>

<section id="rectification" aria-labelledby="h-rectification">
<h2 id="h-rectification">${t(T.rectification)}</h2>
<p>${t({ en: 'You can correct and complete these yourself (Art. 16 GDPR):', de: 'Diese Angaben berichtigen und ergänzen Sie selbst (Art. 16 DSGVO):' })}</p>
<ul>${m.fields.filter((f) => f.href).map((f) => html`<li><a href="${f.href!}">${t(f.label)}</a>: ${t(f.what)}</li>`)}</ul>
<p>${t({ en: 'Some records are historical and cannot simply be changed, as they document what happened:', de: 'Manche Aufzeichnungen sind historisch und lassen sich nicht einfach ändern, weil sie belegen, was geschehen ist:' })}</p>
<ul>${m.fields.filter((f) => !f.href).map((f) => html`<li>${t(f.label)}: ${t(f.what)}</li>`)}</ul>
<form method="post" action="/account/privacy/correction" novalidate>
${csrfField(ctx)}
<p>${t({ en: 'Ask us to correct something: our staff check it and answer you.', de: 'Bitten Sie uns um eine Berichtigung: Unser Team prüft sie und antwortet Ihnen.' })}</p>
<label for="${fieldId('field')}">${t({ en: 'What is wrong', de: 'Was ist falsch' })}</label>
<select id="${fieldId('field')}" name="field"${m.errors.field ? html` aria-invalid="true"` : ''}>
${m.fields.map((f) => html`<option value="${f.id}">${t(f.label)}</option>`)}
</select>
<label for="${fieldId('message')}">${t({ en: 'What should it say instead', de: 'Was stattdessen stehen sollte' })}</label>
<textarea id="${fieldId('message')}" name="message" rows="3" maxlength="2000" required${m.errors.message ? html` aria-invalid="true"` : ''}></textarea>
<button type="submit">${t({ en: 'Ask for a correction', de: 'Berichtigung beantragen' })}</button>
</form>
</section>

<section id="restriction" aria-labelledby="h-restriction">
<h2 id="h-restriction">${t(T.restriction)}</h2>
<p>${t({ en: 'While a restriction lasts, we keep your data but use it for nothing else (Art. 18 GDPR). Our data protection officer decides and tells you.', de: 'Solange eine Einschränkung gilt, bewahren wir Ihre Daten auf, nutzen sie aber für nichts anderes (Art. 18 DSGVO). Unser Datenschutzbeauftragter entscheidet und informiert Sie.' })}</p>
<form method="post" action="/account/privacy/restriction" novalidate>
${csrfField(ctx)}
<fieldset><legend>${t({ en: 'Why', de: 'Warum' })}</legend>
${(Object.keys(GROUNDS) as RestrictionGround[]).map((g) => html`<div class="checkbox"><input type="radio" name="ground" value="${g}" id="${fieldId(`ground-${g}`)}"> <label for="${fieldId(`ground-${g}`)}">${t(GROUNDS[g])}</label></div>`)}
</fieldset>
<label for="${fieldId('restriction-message')}">${t(T.message)}</label>
<textarea id="${fieldId('restriction-message')}" name="message" rows="3" maxlength="2000"></textarea>
<button type="submit">${t({ en: 'Ask for a restriction', de: 'Einschränkung beantragen' })}</button>
</form>
${others.length > 0 ? html`<h3>${t({ en: 'Your requests', de: 'Ihre Anfragen' })}</h3><ul id="requests">${others.map((r) => requestLine(ctx, r, m.now))}</ul>` : ''}
</section>

<section id="objection" aria-labelledby="h-objection">
<h2 id="h-objection">${t(T.objection)}</h2>
<p>${t({ en: 'Where we rely on our legitimate interests, you can object (Art. 21 GDPR); to direct marketing always, without giving a reason.', de: 'Wo wir uns auf berechtigte Interessen stützen, können Sie widersprechen (Art. 21 DSGVO); der Direktwerbung jederzeit ohne Begründung.' })}</p>
<ul class="switches">${m.objections.map(
      (
        o,
      ) => html`<li data-activity="${o.activity}" data-objected="${o.objected ? 'yes' : 'no'}"><strong>${t(o.name)}</strong>${o.directMarketing ? ` (${t({ en: 'direct marketing', de: 'Direktwerbung' })})` : ''}: ${t(o.objected ? { en: 'you objected.', de: 'Sie haben widersprochen.' } : { en: 'active.', de: 'aktiv.' })}
${
  o.page
    ? html`<a href="${o.page}">${t(o.objected ? { en: 'Change', de: 'Ändern' } : { en: 'Object on its page', de: 'Auf der zugehörigen Seite widersprechen' })}<span class="visually-hidden"> (${t(o.name)})</span></a>`
    : html`<form method="post" action="/account/privacy/objection" class="inline">${csrfField(ctx)}<input type="hidden" name="activity" value="${o.activity}"><button type="submit" name="choice" value="${o.objected ? 'lift' : 'object'}">${t(o.objected ? { en: 'Withdraw my objection', de: 'Widerspruch zurücknehmen' } : { en: 'Object', de: 'Widersprechen' })}<span class="visually-hidden">: ${t(o.name)}</span></button></form>`
}</li>`,
    )}</ul>
</section>

<section id="consents" aria-labelledby="h-consents">
<h2 id="h-consents">${t(T.consents)}</h2>
<p>${t({ en: 'You can withdraw every consent at any time, as easily as you gave it (Art. 7(3) GDPR); what happened before stays lawful.', de: 'Jede Einwilligung können Sie jederzeit so einfach widerrufen, wie Sie sie erteilt haben (Art. 7 Abs. 3 DSGVO); was vorher geschah, bleibt rechtmäßig.' })}</p>
<ul>${m.consents.map((c) => html`<li><strong>${t(c.name)}</strong>: ${t(c.state)} <a href="${c.href}">${t(c.action)}<span class="visually-hidden"> (${t(c.name)})</span></a></li>`)}</ul>
</section>

<section id="erasure" aria-labelledby="h-erasure">
<h2 id="h-erasure">${t(T.erasure)}</h2>
<p>${t({ en: 'Close your account and erase your data (Art. 17 GDPR). What the law makes us keep stays, locked away, until its period ends; the next page lists it.', de: 'Schließen Sie Ihr Konto und löschen Sie Ihre Daten (Art. 17 DSGVO). Was wir gesetzlich aufbewahren müssen, bleibt gesperrt bis zum Ende der Frist; die nächste Seite nennt es.' })}</p>
<p><a href="/account/privacy/erasure">${t({ en: 'What erasure does, and confirm it', de: 'Was die Löschung bewirkt, und bestätigen' })}</a></p>
</section>

<section id="complaint" aria-labelledby="h-complaint">
<h2 id="h-complaint">${t(T.complaint)}</h2>
<p>${tr(ctx.lang, { en: 'Our data protection officer: {name}, {email}.', de: 'Unser Datenschutzbeauftragter: {name}, {email}.' }, { name: m.dpo.name, email: m.dpo.email })} <a href="mailto:${m.dpo.email}">${t({ en: 'Write to them', de: 'Schreiben' })}</a></p>
<p>${t({ en: 'You may also complain to a supervisory authority (Art. 77 GDPR), for example ours:', de: 'Sie können sich auch bei einer Aufsichtsbehörde beschweren (Art. 77 DSGVO), etwa bei der für uns zuständigen:' })}
${m.authority.name}, ${m.authority.address.join(', ')}${/^https:\/\//.test(m.authority.url) ? html`, <a href="${m.authority.url}" rel="noopener noreferrer">${m.authority.url}</a>` : ''}.</p>
<p>${tr(ctx.lang, { en: 'Controller ({art}): {company}.', de: 'Verantwortlicher ({art}): {company}.' }, { company: m.company, art: gdpr(ctx.lang, '4(7)') })}</p>
</section>`,
  );
  // A running export refreshes the page, so its progress and its link show without JavaScript.
  return running ? page.replace('<head>', '<head>\n<meta http-equiv="refresh" content="3">') : page;
}

export interface KeptItem {
  activity: Text;
  table: string;
  until: Text;
  basis: Text;
}

export interface ErasureModel {
  kept: KeptItem[];
  deletedActivities: Text[];
  staff: boolean;
  errors: FieldErrors;
  errorMessage: Text | null;
}

export function erasurePage(ctx: PageContext, m: ErasureModel): string {
  const t = (x: Text) => tr(ctx.lang, x);
  return layout(
    ctx,
    t(T.erasure),
    html`<h1>${t(T.erasure)}</h1>
${errorSummary(ctx.lang, m.errorMessage ?? undefined, m.errors, { password: { en: 'Password', de: 'Passwort' } })}
<h2>${t({ en: 'Deleted or made anonymous at once', de: 'Sofort gelöscht oder anonymisiert' })}</h2>
<p>${t({ en: 'Your account, your sessions, and everything we hold for these purposes (unless listed below):', de: 'Ihr Konto, Ihre Sitzungen und alles, was wir zu diesen Zwecken gespeichert haben (außer dem unten Genannten):' })}</p>
<ul>${m.deletedActivities.map((a) => html`<li>${t(a)}</li>`)}</ul>
<h2>${t({ en: 'Kept because the law requires it', de: 'Aufbewahrt, weil das Gesetz es verlangt' })}</h2>
<p>${t({ en: 'These records stay, locked: no feature uses them any more, and they are deleted when their period ends.', de: 'Diese Aufzeichnungen bleiben gesperrt: Keine Funktion nutzt sie mehr, und sie werden am Ende ihrer Frist gelöscht.' })}</p>
<ul class="kept">${m.kept.map((k) => html`<li><strong>${t(k.activity)} (${k.table})</strong>: ${t({ en: 'kept until', de: 'aufbewahrt bis' })} ${t(k.until)}. ${t({ en: 'Why', de: 'Warum' })}: ${t(k.basis)}.</li>`)}</ul>
<p>${t({ en: 'We send a final confirmation to your address, listing what is kept.', de: 'Wir senden eine abschließende Bestätigung an Ihre Adresse, mit dem, was aufbewahrt wird.' })}</p>
${
  m.staff
    ? html`<p class="notice" role="status">${t({ en: 'Staff accounts cannot be erased here: your account is also a record of what you did for the company. Ask an administrator to deactivate it; your personal data is then handled under the staff rules.', de: 'Verwaltungskonten können hier nicht gelöscht werden: Ihr Konto belegt auch, was Sie für das Unternehmen getan haben. Bitten Sie eine Administratorin oder einen Administrator, es zu deaktivieren; Ihre Daten werden dann nach den Regeln für Beschäftigte behandelt.' })}</p>`
    : html`<form method="post" action="/account/privacy/erasure" novalidate>
${csrfField(ctx)}
<label for="${fieldId('password')}">${t({ en: 'Your password, to confirm', de: 'Ihr Passwort zur Bestätigung' })}</label>
<input type="password" id="${fieldId('password')}" name="password" autocomplete="current-password" required${m.errors.password ? html` aria-invalid="true" aria-describedby="error-summary"` : ''}>
<button type="submit">${t({ en: 'Erase my account and data now', de: 'Mein Konto und meine Daten jetzt löschen' })}</button>
</form>`
}
<p><a href="/account/privacy">${t({ en: 'Back to the privacy centre', de: 'Zurück zum Datenschutz-Center' })}</a></p>`,
  );
}

export function erasedPage(ctx: PageContext, m: { company: string }): string {
  const t = (x: Text) => tr(ctx.lang, x);
  return layout(
    ctx,
    t({ en: 'Your account is erased', de: 'Ihr Konto ist gelöscht' }),
    html`<h1>${t({ en: 'Your account is erased', de: 'Ihr Konto ist gelöscht' })}</h1>
<p>${tr(ctx.lang, { en: 'Goodbye, and thank you for having been a customer of {company}. Your account and your data are deleted; what the law makes us keep is locked and listed in the confirmation we sent to your address.', de: 'Auf Wiedersehen, und danke, dass Sie Kunde von {company} waren. Ihr Konto und Ihre Daten sind gelöscht; was wir gesetzlich aufbewahren müssen, ist gesperrt und in der Bestätigung an Ihre Adresse aufgeführt.' }, { company: m.company })}</p>
<p><a href="/">${t({ en: 'To the shop', de: 'Zum Shop' })}</a></p>`,
  );
}

export type { Lang };
