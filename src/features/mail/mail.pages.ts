// Staff pages listing outgoing mail. They never show a working credential: links that grant access are stored
// as placeholders and shown as "[link hidden]"; only the message as sent (or its .eml file in development) has them.
import type { MailAttachmentRef } from '../../platform/email/compose.ts';
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr } from '../../platform/i18n.ts';
import { hideSecrets } from '../../platform/secret-links.ts';
import { type PageContext, layout } from '../../web/index.ts';

export interface MailListItem {
  id: string;
  recipient: string;
  subject: string;
  created_at: number;
  sent_at: number | null;
  failed_at: number | null;
}

export function mailListPage(ctx: PageContext, items: MailListItem[], directory: string | null): string {
  const title = tr(ctx.lang, { en: 'Outgoing mail', de: 'Ausgehende E-Mails' });
  const state = (m: MailListItem) =>
    m.sent_at
      ? tr(ctx.lang, { en: 'sent', de: 'versandt' })
      : m.failed_at
        ? tr(ctx.lang, { en: 'failed', de: 'fehlgeschlagen' })
        : tr(ctx.lang, { en: 'queued', de: 'wartend' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${directory ? html`<p class="notice">${tr(ctx.lang, { en: 'No SMTP server is configured: each mail is also written as an .eml file to {dir}.', de: 'Kein SMTP-Server eingerichtet: Jede E-Mail wird zusätzlich als .eml-Datei in {dir} geschrieben.' }, { dir: directory })}</p>` : ''}
<p><a href="/staff/letters">${tr(ctx.lang, { en: 'Kept business letters (order confirmations, 6 years)', de: 'Aufbewahrte Geschäftsbriefe (Bestellbestätigungen, 6 Jahre)' })}</a></p>
<table class="stack">
  <thead><tr><th scope="col">${tr(ctx.lang, { en: 'Created', de: 'Erstellt' })}</th><th scope="col">${tr(ctx.lang, { en: 'To', de: 'An' })}</th><th scope="col">${tr(ctx.lang, { en: 'Subject', de: 'Betreff' })}</th><th scope="col">${tr(ctx.lang, { en: 'State', de: 'Status' })}</th></tr></thead>
  <tbody>${items.map((m) => html`<tr><td data-label="${tr(ctx.lang, { en: 'Created', de: 'Erstellt' })}">${formatTime(ctx.lang, m.created_at, ctx.timeZone)}</td><td data-label="${tr(ctx.lang, { en: 'To', de: 'An' })}">${m.recipient}</td><td data-label="${tr(ctx.lang, { en: 'Subject', de: 'Betreff' })}"><a href="/staff/mail/${m.id}">${m.subject}</a></td><td data-label="${tr(ctx.lang, { en: 'State', de: 'Status' })}">${state(m)}</td></tr>`)}</tbody>
</table>`,
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
    recipient: string;
    subject: string;
    body: string;
    html: string | null;
    attachments: string;
    created_at: number;
  },
  file: string | null,
): string {
  const { body, hidden, parts } = storedMail(ctx, message);
  return layout(
    ctx,
    message.subject,
    html`<h1>${message.subject}</h1>
<p>${tr(ctx.lang, { en: 'To', de: 'An' })}: ${message.recipient} · ${formatTime(ctx.lang, message.created_at, ctx.timeZone)}</p>
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
export function letterListPage(ctx: PageContext, items: LetterListItem[], years: number): string {
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
