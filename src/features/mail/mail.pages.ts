// Staff pages listing outgoing mail. They never show a working credential: links that grant access are stored
// as placeholders and shown as "[link hidden]"; only the message as sent (or its .eml file in development) has them.
import { html } from '../../platform/html.ts';
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
<table>
  <thead><tr><th scope="col">${tr(ctx.lang, { en: 'Created', de: 'Erstellt' })}</th><th scope="col">${tr(ctx.lang, { en: 'To', de: 'An' })}</th><th scope="col">${tr(ctx.lang, { en: 'Subject', de: 'Betreff' })}</th><th scope="col">${tr(ctx.lang, { en: 'State', de: 'Status' })}</th></tr></thead>
  <tbody>${items.map((m) => html`<tr><td>${formatTime(ctx.lang, m.created_at, ctx.timeZone)}</td><td>${m.recipient}</td><td><a href="/staff/mail/${m.id}">${m.subject}</a></td><td>${state(m)}</td></tr>`)}</tbody>
</table>`,
  );
}

/** `file`: where the file mail sink wrote the message as sent, links included (development only). */
export function mailMessagePage(
  ctx: PageContext,
  message: { recipient: string; subject: string; body: string; created_at: number },
  file: string | null,
): string {
  const body = hideSecrets(message.body, tr(ctx.lang, { en: '[link hidden]', de: '[Link verborgen]' }));
  return layout(
    ctx,
    message.subject,
    html`<h1>${message.subject}</h1>
<p>${tr(ctx.lang, { en: 'To', de: 'An' })}: ${message.recipient} · ${formatTime(ctx.lang, message.created_at, ctx.timeZone)}</p>
${
  body !== message.body
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
