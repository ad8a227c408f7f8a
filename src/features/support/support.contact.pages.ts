// The contact form (issue 14): name, address and message, an optional subject; the answer confirms on the page with
// the request's reference and says that we answer by mail. No mail goes out on sending (the address could be
// anyone's): the first mail is staff's answer. Pure functions from a model to HTML.
import { html } from '../../platform/html.ts';
import { tr, type Text } from '../../platform/i18n.ts';
import { csrfField, errorSummary, fieldId, layout, type FieldErrors, type PageContext } from '../../web/index.ts';
import { LIMITS } from './support.model.ts';

export interface ContactValues {
  name?: string;
  email?: string;
  subject?: string;
  message?: string;
}

export const contactLabels = {
  name: { en: 'Your name', de: 'Ihr Name' },
  email: { en: 'Email address', de: 'E-Mail-Adresse' },
  subject: { en: 'Subject', de: 'Betreff' },
  message: { en: 'Message', de: 'Nachricht' },
} satisfies Record<string, Text>;

export const contactReceived: Text = {
  en: 'We received your message (reference {ref}). We answer by mail to the address you gave.',
  de: 'Wir haben Ihre Nachricht erhalten (Referenz {ref}). Wir antworten per E-Mail an die angegebene Adresse.',
};

const required: Text = { en: '(required)', de: '(erforderlich)' };
const optional: Text = { en: '(optional)', de: '(freiwillig)' };

export function contactPage(
  ctx: PageContext,
  values: ContactValues = {},
  errors: FieldErrors = {},
  signedIn = false,
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Contact us', de: 'Kontakt' });
  const field = (
    name: keyof typeof contactLabels,
    control: (attrs: ReturnType<typeof html>) => ReturnType<typeof html>,
    isRequired: boolean,
  ) => {
    const error = errors[name];
    const id = fieldId(name);
    const attrs = error ? html` aria-invalid="true" aria-describedby="${id}-error"` : html``;
    return html`<div class="field">
    <label for="${id}">${t(contactLabels[name])} <span class="${isRequired ? 'required' : 'optional'}">${t(isRequired ? required : optional)}</span></label>
    ${control(attrs)}
    ${error ? html`<p class="field-error" id="${id}-error">${t(error)}</p>` : ''}
  </div>`;
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, undefined, errors, contactLabels, ['name', 'email', 'subject', 'message'])}
<p>${t({ en: 'Write to us with a question about our products, an order or anything else. We answer by mail, usually within two working days.', de: 'Schreiben Sie uns bei Fragen zu unseren Produkten, zu einer Bestellung oder zu allem anderen. Wir antworten per E-Mail, meist innerhalb von zwei Werktagen.' })}</p>
${signedIn ? html`<p>${t({ en: 'You are signed in: this request also appears under', de: 'Sie sind angemeldet: Diese Anfrage erscheint auch unter' })} <a href="/account/support">${t({ en: 'Support in your account', de: 'Support in Ihrem Konto' })}</a>.</p>` : ''}
<form method="post" action="/contact" novalidate>
  ${csrfField(ctx)}
  ${field('name', (a) => html`<input id="${fieldId('name')}" type="text" name="name" autocomplete="name" required maxlength="${LIMITS.name}" value="${values.name ?? ''}"${a}>`, true)}
  ${field('email', (a) => html`<input id="${fieldId('email')}" type="email" name="email" autocomplete="email" required maxlength="254" value="${values.email ?? ''}"${a}>`, true)}
  ${field('subject', (a) => html`<input id="${fieldId('subject')}" type="text" name="subject" maxlength="${LIMITS.subject}" value="${values.subject ?? ''}"${a}>`, false)}
  ${field('message', (a) => html`<textarea id="${fieldId('message')}" name="message" rows="8" required maxlength="${LIMITS.body}"${a}>${values.message ?? ''}</textarea>`, true)}
  <p class="hint">${t({ en: 'We use your name and address only to answer this request (see our', de: 'Ihren Namen und Ihre Adresse verwenden wir nur zur Beantwortung dieser Anfrage (siehe' })} <a href="/privacy">${t({ en: 'privacy policy', de: 'Datenschutzerklärung' })}</a>).</p>
  <button type="submit">${t({ en: 'Send message', de: 'Nachricht senden' })}</button>
</form>`,
  );
}

export function contactReceivedPage(ctx: PageContext, ref: string): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Message received', de: 'Nachricht erhalten' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p class="notice" role="status">${tr(ctx.lang, contactReceived, { ref })}</p>
<p>${t({ en: 'Please quote the reference if you write to us about the same matter again.', de: 'Bitte nennen Sie die Referenz, wenn Sie uns zum selben Anliegen erneut schreiben.' })}</p>
<p><a href="/shop">${t({ en: 'Back to the shop', de: 'Zurück zum Shop' })}</a></p>`,
  );
}
