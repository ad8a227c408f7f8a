// Staff pages listing outgoing mail. They never show a working credential: links that grant access are stored
// as placeholders and shown as "[link hidden]"; only the message as sent (or its .eml file in development) has them.
import type { MailAttachmentRef } from '../../platform/email/compose.ts';
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { hideSecrets } from '../../platform/secret-links.ts';
import { type PageContext, csrfField, layout } from '../../web/index.ts';

export type MailState = 'queued' | 'retrying' | 'sent' | 'failed' | 'bounced' | 'suppressed';
export const MAIL_STATES: readonly MailState[] = ['queued', 'retrying', 'sent', 'failed', 'bounced', 'suppressed'];

const stateNames: Record<MailState, Text> = {
  queued: { en: 'queued', de: 'wartend' },
  retrying: { en: 'retrying', de: 'erneuter Versuch geplant' },
  sent: { en: 'sent', de: 'versandt' },
  failed: { en: 'failed', de: 'fehlgeschlagen' },
  bounced: { en: 'bounced', de: 'unzustellbar' },
  suppressed: { en: 'suppressed', de: 'gesperrt' },
};

/** What each end state means, on the mail's own page. */
const stateNotes: Partial<Record<MailState, Text>> = {
  bounced: {
    en: 'The receiving mail server refused this address for good, so the mail was not tried again. A marketing mail’s address is now on the suppression list: it gets no advertising until its owner subscribes again.',
    de: 'Der empfangende Mailserver hat diese Adresse endgültig abgelehnt; die E-Mail wurde daher nicht erneut versucht. Die Adresse einer Werbe-E-Mail steht nun auf der Sperrliste: Sie erhält keine Werbung, bis sich ihr Inhaber erneut anmeldet.',
  },
  suppressed: {
    en: 'Not sent: the address is on the suppression list for this list (it unsubscribed, bounced or was erased). Sending it again would be stopped the same way.',
    de: 'Nicht versandt: Die Adresse steht für diese Liste auf der Sperrliste (abgemeldet, unzustellbar oder gelöscht). Ein erneuter Versand würde ebenso gestoppt.',
  },
};

/** A mail's state from its delivery columns (the same reading as mail.service.ts deliveryState). */
export function mailState(m: {
  sent_at: number | null;
  failed_at: number | null;
  last_error: string | null;
}): MailState {
  if (m.sent_at !== null) return 'sent';
  if (m.failed_at !== null)
    return m.last_error === 'suppressed' ? 'suppressed' : m.last_error?.startsWith('bounced ') ? 'bounced' : 'failed';
  return m.last_error !== null ? 'retrying' : 'queued';
}

export interface MailListItem {
  id: string;
  recipient: string;
  subject: string;
  template: string | null;
  /** The marketing list of a marketing mail; null for transactional mail. */
  list: string | null;
  created_at: number;
  sent_at: number | null;
  failed_at: number | null;
  last_error: string | null;
}

/** What the list was asked for: the search, the filters, and the keyset of the page (`after`). */
export interface MailListQuery {
  q?: string | undefined;
  state?: MailState | undefined;
  template?: string | undefined;
  after?: string | undefined;
}

export interface MailListModel {
  items: MailListItem[];
  /** The `after` of the next page, when there is one. */
  next: string | null;
  templates: string[];
  query: MailListQuery;
  /** Where the file mail sink writes (development), or null. */
  directory: string | null;
}

/** The list's address with the search and filters kept, and the given keyset. */
function listHref(query: MailListQuery, after?: string): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.state) params.set('state', query.state);
  if (query.template) params.set('template', query.template);
  if (after) params.set('after', after);
  const qs = params.toString();
  return qs ? `/staff/mail?${qs}` : '/staff/mail';
}

export function mailListPage(ctx: PageContext, model: MailListModel): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Outgoing mail', de: 'Ausgehende E-Mails' });
  const { items, query } = model;
  const head = {
    created: t({ en: 'Created', de: 'Erstellt' }),
    to: t({ en: 'To', de: 'An' }),
    subject: t({ en: 'Subject', de: 'Betreff' }),
    template: t({ en: 'Template', de: 'Vorlage' }),
    list: t({ en: 'Marketing list', de: 'Werbeliste' }),
    state: t({ en: 'State', de: 'Status' }),
  };
  const filtered = Boolean(query.q || query.state || query.template);
  const empty = filtered
    ? html`<p>${t({ en: 'No mail matches this search.', de: 'Keine E-Mail passt zu dieser Suche.' })} <a href="/staff/mail">${t({ en: 'Show all mail', de: 'Alle E-Mails zeigen' })}</a></p>`
    : html`<p>${t({ en: 'No mail has been sent yet.', de: 'Bisher wurden keine E-Mails versandt.' })}</p>`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${model.directory ? html`<p class="notice">${tr(ctx.lang, { en: 'No SMTP server is configured: each mail is also written as an .eml file to {dir}.', de: 'Kein SMTP-Server eingerichtet: Jede E-Mail wird zusätzlich als .eml-Datei in {dir} geschrieben.' }, { dir: model.directory })}</p>` : ''}
<p><a href="/staff/letters">${t({ en: 'Kept business letters (order confirmations, 6 years)', de: 'Aufbewahrte Geschäftsbriefe (Bestellbestätigungen, 6 Jahre)' })}</a></p>
<form method="get" action="/staff/mail" class="shop-filter" role="search">
  <label for="mail-q">${t({ en: 'Address or subject', de: 'Adresse oder Betreff' })}</label>
  <input id="mail-q" type="search" name="q" maxlength="200" value="${query.q ?? ''}">
  <label for="mail-state">${head.state}</label>
  <select id="mail-state" name="state"><option value="">${t({ en: 'all', de: 'alle' })}</option>${MAIL_STATES.map((s) => html`<option value="${s}"${query.state === s ? html` selected` : ''}>${t(stateNames[s])}</option>`)}</select>
  <label for="mail-template">${head.template}</label>
  <select id="mail-template" name="template"><option value="">${t({ en: 'all', de: 'alle' })}</option>${model.templates.map((name) => html`<option value="${name}"${query.template === name ? html` selected` : ''}>${name}</option>`)}</select>
  <button type="submit">${t({ en: 'Search', de: 'Suchen' })}</button>
</form>
${
  items.length === 0
    ? empty
    : html`<table class="stack">
  <thead><tr><th scope="col">${head.created}</th><th scope="col">${head.to}</th><th scope="col">${head.subject}</th><th scope="col">${head.template}</th><th scope="col">${head.list}</th><th scope="col">${head.state}</th></tr></thead>
  <tbody>${items.map((m) => html`<tr><td data-label="${head.created}">${formatTime(ctx.lang, m.created_at, ctx.timeZone)}</td><td data-label="${head.to}">${m.recipient}</td><td data-label="${head.subject}"><a href="/staff/mail/${m.id}">${m.subject}</a></td><td data-label="${head.template}">${m.template ?? '–'}</td><td data-label="${head.list}">${m.list ?? '–'}</td><td data-label="${head.state}">${t(stateNames[mailState(m)])}</td></tr>`)}</tbody>
</table>`
}
${
  query.after || model.next
    ? html`<nav class="pager" aria-label="${t({ en: 'Pages', de: 'Seiten' })}">${query.after ? html`<a href="${listHref(query)}">${t({ en: 'Newest mail', de: 'Neueste E-Mails' })}</a> ` : ''}${model.next ? html`<a href="${listHref(query, model.next)}" rel="next">${t({ en: 'Older mail', de: 'Ältere E-Mails' })}</a>` : ''}</nav>`
    : ''
}`,
  );
}

/** The text part of a stored mail, its attachments named, as staff may read it: links that grant access hidden. */
function storedMail(
  ctx: PageContext,
  message: { body: string; html: string | null; attachments: string },
): { body: string; hidden: boolean; parts: SafeHtml } {
  const body = hideSecrets(message.body, tr(ctx.lang, { en: '[link hidden]', de: '[Link verborgen]' }));
  const files = (JSON.parse(message.attachments) as MailAttachmentRef[]).map((a) => a.filename);
  const parts = html`<p>${
    message.html !== null
      ? tr(ctx.lang, {
          en: 'Sent as plain text with an HTML version of the same content; the text part is shown.',
          de: 'Versandt als reiner Text mit einer HTML-Fassung desselben Inhalts; gezeigt wird der Textteil.',
        })
      : tr(ctx.lang, { en: 'Sent as plain text.', de: 'Versandt als reiner Text.' })
  }${
    files.length > 0
      ? html` ${tr(ctx.lang, { en: 'Attachments, made from the kept records when sent:', de: 'Anhänge, beim Versand aus den aufbewahrten Daten erstellt:' })} ${files.join(', ')}`
      : ''
  }</p>`;
  return { body, hidden: body !== message.body, parts };
}

/** `file`: where the file mail sink wrote the message as sent, links included (development only). */
export function mailMessagePage(
  ctx: PageContext,
  message: {
    id: string;
    recipient: string;
    subject: string;
    body: string;
    html: string | null;
    attachments: string;
    created_at: number;
    template: string | null;
    list: string | null;
    attempts: number;
    sent_at: number | null;
    failed_at: number | null;
    last_error: string | null;
  },
  file: string | null,
  resent = false,
): string {
  const { body, hidden, parts } = storedMail(ctx, message);
  const t = (text: Text) => tr(ctx.lang, text);
  const state = mailState(message);
  const when = (at: number) => formatTime(ctx.lang, at, ctx.timeZone);
  return layout(
    ctx,
    message.subject,
    html`<h1>${message.subject}</h1>
${resent ? html`<p class="notice" role="status">${t({ en: 'The mail is queued again and will be sent shortly.', de: 'Die E-Mail wartet wieder auf den Versand und wird in Kürze gesendet.' })}</p>` : ''}
<p>${t({ en: 'To', de: 'An' })}: ${message.recipient} · ${when(message.created_at)}</p>
<dl>
  <dt>${t({ en: 'State', de: 'Status' })}</dt><dd>${t(stateNames[state])}${message.sent_at !== null ? html` (${when(message.sent_at)})` : message.failed_at !== null ? html` (${when(message.failed_at)})` : ''}</dd>
  <dt>${t({ en: 'Template', de: 'Vorlage' })}</dt><dd>${message.template ?? '–'}</dd>
  <dt>${t({ en: 'Marketing list', de: 'Werbeliste' })}</dt><dd>${message.list ?? t({ en: 'none (transactional mail, never blocked by the suppression list)', de: 'keine (Transaktions-E-Mail, nie durch die Sperrliste blockiert)' })}</dd>
  <dt>${t({ en: 'Delivery attempts', de: 'Zustellversuche' })}</dt><dd>${String(message.attempts)}${message.last_error ? html` · ${t({ en: 'last error', de: 'letzter Fehler' })}: <code>${message.last_error}</code>` : ''}</dd>
</dl>
${stateNotes[state] ? html`<p class="notice">${t(stateNotes[state])}</p>` : ''}
${
  state === 'failed' || state === 'bounced'
    ? html`<form method="post" action="/staff/mail/${message.id}/resend">${csrfField(ctx)}
  <p>${
    hidden
      ? t({
          en: 'Sending it again delivers the same mail. Its links keep the validity they had when the mail was written: a link that has expired meanwhile stays expired (for a password reset, start a new one instead).',
          de: 'Erneutes Senden stellt dieselbe E-Mail zu. Ihre Links behalten die Gültigkeit, die sie beim Verfassen der E-Mail hatten: Ein inzwischen abgelaufener Link bleibt abgelaufen (für das Zurücksetzen eines Passworts lösen Sie stattdessen ein neues aus).',
        })
      : t({ en: 'Sending it again delivers the same mail.', de: 'Erneutes Senden stellt dieselbe E-Mail zu.' })
  }</p>
  <button type="submit">${t({ en: 'Send again', de: 'Erneut senden' })}</button>
</form>`
    : ''
}
${parts}
${
  hidden
    ? html`<p class="notice">${tr(ctx.lang, { en: 'Links that grant access (password reset, confirmation, unsubscribe) are not stored: they are made when the mail is sent, for the recipient only.', de: 'Links, die Zugang gewähren (Passwort zurücksetzen, Bestätigung, Abmeldung), werden nicht gespeichert: Sie entstehen beim Versand, nur für den Empfänger.' })}${
        file
          ? html` ${tr(ctx.lang, { en: 'In development, the message as sent is in {file}.', de: 'In der Entwicklung liegt die versandte Nachricht in {file}.' }, { file })}`
          : ''
      }</p>`
    : ''
}
<pre>${body}</pre>
<p><a href="/staff/mail">${tr(ctx.lang, { en: 'All mail', de: 'Alle E-Mails' })}</a></p>`,
  );
}

export interface LetterListItem {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  created_at: number;
  restricted_at: number | null;
}

const restrictedNote = {
  en: 'Restricted: the customer asked for erasure. The copy is kept only because the law requires it and may be used only for that purpose (Art. 18(2) GDPR), e.g. for a tax audit.',
  de: 'Eingeschränkt: Der Kunde hat die Löschung verlangt. Die Wiedergabe wird nur aufbewahrt, weil das Gesetz es verlangt, und darf nur dafür verwendet werden (Art. 18 Abs. 2 DSGVO), etwa für eine Außenprüfung.',
};

/** The kept copies of sent business letters (order confirmations), newest first; restricted ones for the DPO only. */
export function letterListPage(
  ctx: PageContext,
  items: LetterListItem[],
  years: number,
  paging: { after?: string | undefined; next: string | null } = { next: null },
): string {
  const title = tr(ctx.lang, { en: 'Kept business letters', de: 'Aufbewahrte Geschäftsbriefe' });
  const head = {
    sent: tr(ctx.lang, { en: 'Sent', de: 'Versandt' }),
    to: tr(ctx.lang, { en: 'To', de: 'An' }),
    subject: tr(ctx.lang, { en: 'Subject', de: 'Betreff' }),
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${tr(ctx.lang, { en: 'A copy of every order confirmation as it was sent, kept {years} years from the end of the year of sending (§ 257 HGB), whatever happens to the outgoing mail.', de: 'Eine Wiedergabe jeder Bestellbestätigung, wie sie versandt wurde, aufbewahrt {years} Jahre ab Ende des Jahres der Absendung (§ 257 HGB), unabhängig von den ausgehenden E-Mails.' }, { years: String(years) })}</p>
${
  items.length === 0
    ? html`<p>${tr(ctx.lang, { en: 'No letters kept yet.', de: 'Noch keine Briefe aufbewahrt.' })}</p>`
    : html`<table class="stack">
  <thead><tr><th scope="col">${head.sent}</th><th scope="col">${head.to}</th><th scope="col">${head.subject}</th></tr></thead>
  <tbody>${items.map((l) => html`<tr><td data-label="${head.sent}">${formatTime(ctx.lang, l.created_at, ctx.timeZone)}</td><td data-label="${head.to}">${l.recipient}</td><td data-label="${head.subject}"><a href="/staff/letters/${l.id}">${l.subject}</a>${l.restricted_at !== null ? html` (${tr(ctx.lang, { en: 'restricted', de: 'eingeschränkt' })})` : ''}</td></tr>`)}</tbody>
</table>`
}
${
  paging.after || paging.next
    ? html`<nav class="pager" aria-label="${tr(ctx.lang, { en: 'Pages', de: 'Seiten' })}">${paging.after ? html`<a href="/staff/letters">${tr(ctx.lang, { en: 'Newest letters', de: 'Neueste Briefe' })}</a> ` : ''}${paging.next ? html`<a href="/staff/letters?after=${encodeURIComponent(paging.next)}" rel="next">${tr(ctx.lang, { en: 'Older letters', de: 'Ältere Briefe' })}</a>` : ''}</nav>`
    : ''
}
<p><a href="/staff/mail">${tr(ctx.lang, { en: 'Outgoing mail', de: 'Ausgehende E-Mails' })}</a></p>`,
  );
}

export function letterPage(
  ctx: PageContext,
  letter: {
    recipient: string;
    subject: string;
    body: string;
    html: string | null;
    attachments: string;
    created_at: number;
    restricted_at: number | null;
  },
): string {
  const { body, parts } = storedMail(ctx, letter);
  return layout(
    ctx,
    letter.subject,
    html`<h1>${letter.subject}</h1>
<p>${tr(ctx.lang, { en: 'To', de: 'An' })}: ${letter.recipient} · ${formatTime(ctx.lang, letter.created_at, ctx.timeZone)}</p>
${letter.restricted_at !== null ? html`<p class="notice">${tr(ctx.lang, restrictedNote)}</p>` : ''}
${parts}
<pre>${body}</pre>
<p><a href="/staff/letters">${tr(ctx.lang, { en: 'All kept letters', de: 'Alle aufbewahrten Briefe' })}</a></p>`,
  );
}
