// Account pages: pure functions from a model to HTML. Forms work without JavaScript; every input has a
// label, errors are tied to their field with aria-describedby, and voluntary fields say so.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import type { SessionsTable, UsersTable } from './accounts.tables.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from './passwords.ts';
import { whyAnAccount, withNext } from './accounts.onward.pages.ts';
import { type PageContext, csrfField, errorSummary as formErrorSummary, layout } from '../../web/index.ts';

export type FormErrors = Record<string, Text>;
export type FormValues = Record<string, string | undefined>;

const T = {
  required: { en: '(required)', de: '(Pflichtfeld)' },
  optional: { en: '(voluntary)', de: '(freiwillig)' },
  name: { en: 'Name', de: 'Name' },
  email: { en: 'Email address', de: 'E-Mail-Adresse' },
  password: { en: 'Password', de: 'Passwort' },
  passwordHint: {
    en: `At least ${PASSWORD_MIN} characters; a passphrase of several words is easy to remember. Common passwords are refused.`,
    de: `Mindestens ${PASSWORD_MIN} Zeichen; ein Satz aus mehreren Wörtern ist leicht zu merken. Verbreitete Passwörter werden abgelehnt.`,
  },
  company: { en: 'Company', de: 'Firma' },
  phone: { en: 'Phone', de: 'Telefon' },
  fixErrors: { en: 'Please correct the marked fields.', de: 'Bitte korrigieren Sie die markierten Felder.' },
} satisfies Record<string, Text>;

interface FieldSpec {
  name: string;
  label: Text;
  type: 'text' | 'email' | 'password' | 'tel';
  autocomplete: string;
  required: boolean;
  hint?: Text;
  maxLength?: number;
}

function field(ctx: PageContext, spec: FieldSpec, values: FormValues, errors: FormErrors): SafeHtml {
  const id = `f-${spec.name}`;
  const error = errors[spec.name];
  const describedBy = [spec.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
  <label for="${id}">${tr(ctx.lang, spec.label)} <span class="${spec.required ? 'required' : 'optional'}">${tr(ctx.lang, spec.required ? T.required : T.optional)}</span></label>
  ${spec.hint ? html`<p class="hint" id="${id}-hint">${tr(ctx.lang, spec.hint)}</p>` : ''}
  ${error ? html`<p class="field-error" id="${id}-error">${tr(ctx.lang, error)}</p>` : ''}
  <input id="${id}" name="${spec.name}" type="${spec.type}" autocomplete="${spec.autocomplete}"${spec.required ? html` required` : ''}${spec.maxLength ? html` maxlength="${spec.maxLength}"` : ''}${spec.type === 'password' ? '' : html` value="${values[spec.name] ?? ''}"`}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? html` aria-invalid="true"` : ''}>
</div>`;
}

/** The form's error summary (web/forms.ts): the message, or "please correct" when only fields are wrong. */
function errorSummary(ctx: PageContext, errors: FormErrors, message?: Text): SafeHtml | string {
  if (!message && Object.keys(errors).length === 0) return '';
  return formErrorSummary(ctx.lang, message ?? T.fixErrors);
}

const nameField: FieldSpec = {
  name: 'name',
  label: T.name,
  type: 'text',
  autocomplete: 'name',
  required: true,
  maxLength: 200,
};
const emailField: FieldSpec = {
  name: 'email',
  label: T.email,
  type: 'email',
  autocomplete: 'email',
  required: true,
  maxLength: 254,
};
const companyField: FieldSpec = {
  name: 'company',
  label: T.company,
  type: 'text',
  autocomplete: 'organization',
  required: false,
  maxLength: 200,
};
const phoneField: FieldSpec = {
  name: 'phone',
  label: T.phone,
  type: 'tel',
  autocomplete: 'tel',
  required: false,
  maxLength: 40,
};

export function registerPage(
  ctx: PageContext,
  values: FormValues = {},
  errors: FormErrors = {},
  message?: Text,
  next = '',
): string {
  const title = tr(ctx.lang, { en: 'Create an account', de: 'Konto anlegen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx, errors, message)}
<p>${tr(ctx.lang, { en: 'Only name, email address and password are needed. Everything else is voluntary.', de: 'Nötig sind nur Name, E-Mail-Adresse und Passwort. Alles andere ist freiwillig.' })}</p>
<form method="post" action="/account/register" novalidate>
  ${csrfField(ctx)}
  ${next ? html`<input type="hidden" name="next" value="${next}">` : ''}
  ${field(ctx, nameField, values, errors)}
  ${field(ctx, emailField, values, errors)}
  ${field(ctx, { name: 'password', label: T.password, type: 'password', autocomplete: 'new-password', required: true, hint: T.passwordHint, maxLength: PASSWORD_MAX }, values, errors)}
  <fieldset>
    <legend>${tr(ctx.lang, { en: 'Voluntary details', de: 'Freiwillige Angaben' })}</legend>
    ${field(ctx, companyField, values, errors)}
    ${field(ctx, phoneField, values, errors)}
  </fieldset>
  <p class="hint">${tr(ctx.lang, { en: 'How we use these details is explained in the', de: 'Wie wir diese Angaben verwenden, erklärt die' })} <a href="/privacy#accounts.user-account">${tr(ctx.lang, { en: 'privacy policy', de: 'Datenschutzerklärung' })}</a>.</p>
  <p><button type="submit">${title}</button></p>
</form>
<p><a href="${withNext('/account/login', next)}">${tr(ctx.lang, { en: 'I already have an account', de: 'Ich habe schon ein Konto' })}</a></p>`,
  );
}

export function loginPage(ctx: PageContext, next: string, values: FormValues = {}, message?: Text): string {
  const title = tr(ctx.lang, { en: 'Sign in', de: 'Anmelden' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx, {}, message)}
${whyAnAccount(ctx, next)}
<form method="post" action="/account/login" novalidate>
  ${csrfField(ctx)}
  <input type="hidden" name="next" value="${next}">
  ${field(ctx, emailField, values, {})}
  ${field(ctx, { name: 'password', label: T.password, type: 'password', autocomplete: 'current-password', required: true, maxLength: PASSWORD_MAX }, values, {})}
  <div class="checkbox"><input id="f-remember" type="checkbox" name="remember" value="1"${values.remember ? ' checked' : ''}> <label for="f-remember">${tr(ctx.lang, { en: 'Remember me on this device (stays signed in for up to 90 days; you can end it any time under Sessions)', de: 'Auf diesem Gerät angemeldet bleiben (bis zu 90 Tage; jederzeit unter Sitzungen beendbar)' })}</label></div>
  <p><button type="submit">${title}</button></p>
</form>
<p><a href="/account/password-reset">${tr(ctx.lang, { en: 'Forgot your password?', de: 'Passwort vergessen?' })}</a> · <a href="${withNext('/account/register', next === '/account' ? '' : next)}">${tr(ctx.lang, { en: 'Create an account', de: 'Konto anlegen' })}</a></p>`,
  );
}

export function accountPage(ctx: PageContext, user: UsersTable, notice?: Text): string {
  const title = tr(ctx.lang, { en: 'My account', de: 'Mein Konto' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${notice ? html`<p class="notice" role="status">${tr(ctx.lang, notice)}</p>` : ''}
${
  user.email_verified_at === null
    ? html`<div class="notice" role="status"><p>${tr(ctx.lang, { en: 'Please confirm your email address {email}: we sent you a link. Until then, things that need a confirmed address (checkout, data export) are not available.', de: 'Bitte bestätigen Sie Ihre E-Mail-Adresse {email}: Wir haben Ihnen einen Link geschickt. Bis dahin ist alles, was eine bestätigte Adresse braucht (Bestellung, Datenexport), nicht verfügbar.' }, { email: user.email })}</p>
  <form method="post" action="/account/verify/resend">${csrfField(ctx)}<button type="submit" class="secondary">${tr(ctx.lang, { en: 'Send the link again', de: 'Link erneut senden' })}</button></form></div>`
    : ''
}
<dl>
  <dt>${tr(ctx.lang, T.name)}</dt><dd>${user.name}</dd>
  <dt>${tr(ctx.lang, T.email)}</dt><dd>${user.email} ${user.email_verified_at !== null ? tr(ctx.lang, { en: '(confirmed)', de: '(bestätigt)' }) : tr(ctx.lang, { en: '(not confirmed yet)', de: '(noch nicht bestätigt)' })}</dd>
  <dt>${tr(ctx.lang, T.company)}</dt><dd>${user.company ?? '—'}</dd>
  <dt>${tr(ctx.lang, T.phone)}</dt><dd>${user.phone ?? '—'}</dd>
</dl>
<ul>
  <li><a href="/account/orders">${tr(ctx.lang, { en: 'My orders', de: 'Meine Bestellungen' })}</a></li>
  <li><a href="/account/addresses">${tr(ctx.lang, { en: 'Address book', de: 'Adressbuch' })}</a></li>
  <li><a href="/account/advertising">${tr(ctx.lang, { en: 'Product suggestions by email', de: 'Produktvorschläge per E-Mail' })}</a></li>
  <li><a href="/account/subscriptions">${tr(ctx.lang, { en: 'Newsletter and other subscriptions', de: 'Newsletter und andere Abonnements' })}</a></li>
  <li><a href="/account/surveys">${tr(ctx.lang, { en: 'Invitations to surveys', de: 'Einladungen zu Umfragen' })}</a></li>
  <li><a href="/account/competitions">${tr(ctx.lang, { en: 'Your competition entries', de: 'Ihre Gewinnspiel-Teilnahmen' })}</a></li>
  <li><a href="/account/support">${tr(ctx.lang, { en: 'Support requests', de: 'Support-Anfragen' })}</a></li>
  <li><a href="/account/products">${tr(ctx.lang, { en: 'My products (licences)', de: 'Meine Produkte (Lizenzen)' })}</a></li>
  <li><a href="/account/profile">${tr(ctx.lang, { en: 'Correct my details', de: 'Meine Angaben korrigieren' })}</a></li>
  <li><a href="/account/password">${tr(ctx.lang, { en: 'Change password', de: 'Passwort ändern' })}</a></li>
  <li><a href="/account/sessions">${tr(ctx.lang, { en: 'Active sessions', de: 'Aktive Sitzungen' })}</a></li>
  <li><a href="/account/two-factor">${tr(ctx.lang, { en: 'Two-step sign-in (authenticator app)', de: 'Anmeldung in zwei Schritten (Authenticator-App)' })}</a></li>
  <li><a href="/account/privacy">${tr(ctx.lang, { en: 'Privacy centre: see, copy, correct or erase my data; objections and consents', de: 'Datenschutz-Center: meine Daten einsehen, kopieren, berichtigen oder löschen; Widersprüche und Einwilligungen' })}</a></li>
</ul>`,
  );
}

export function profilePage(ctx: PageContext, values: FormValues, errors: FormErrors = {}, message?: Text): string {
  const title = tr(ctx.lang, { en: 'My details', de: 'Meine Angaben' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx, errors, Object.keys(errors).length ? message : undefined)}
${message && Object.keys(errors).length === 0 ? html`<p class="notice" role="status">${tr(ctx.lang, message)}</p>` : ''}
<form method="post" action="/account/profile" novalidate>
  ${csrfField(ctx)}
  ${field(ctx, nameField, values, errors)}
  ${field(ctx, { ...emailField, hint: { en: 'A new address takes effect when you open the link we send to it; the old address is then told.', de: 'Eine neue Adresse gilt erst, wenn Sie den Link öffnen, den wir an sie senden; die alte Adresse wird dann benachrichtigt.' } }, values, errors)}
  ${field(ctx, companyField, values, errors)}
  ${field(ctx, phoneField, values, errors)}
  ${field(ctx, { name: 'currentPassword', label: { en: 'Current password (only to change the email address)', de: 'Aktuelles Passwort (nur zum Ändern der E-Mail-Adresse)' }, type: 'password', autocomplete: 'current-password', required: false, maxLength: PASSWORD_MAX }, {}, errors)}
  <p><button type="submit">${tr(ctx.lang, { en: 'Save', de: 'Speichern' })}</button></p>
</form>
<p><a href="/account">${tr(ctx.lang, { en: 'Back to my account', de: 'Zurück zu meinem Konto' })}</a></p>`,
  );
}

export function passwordPage(ctx: PageContext, errors: FormErrors = {}, message?: Text): string {
  const title = tr(ctx.lang, { en: 'Change password', de: 'Passwort ändern' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx, errors, message)}
<p>${tr(ctx.lang, { en: 'Changing the password signs you out on all other devices.', de: 'Eine Passwortänderung meldet Sie auf allen anderen Geräten ab.' })}</p>
<form method="post" action="/account/password" novalidate>
  ${csrfField(ctx)}
  ${field(ctx, { name: 'currentPassword', label: { en: 'Current password', de: 'Aktuelles Passwort' }, type: 'password', autocomplete: 'current-password', required: true, maxLength: PASSWORD_MAX }, {}, errors)}
  ${field(ctx, { name: 'newPassword', label: { en: 'New password', de: 'Neues Passwort' }, type: 'password', autocomplete: 'new-password', required: true, hint: T.passwordHint, maxLength: PASSWORD_MAX }, {}, errors)}
  <p><button type="submit">${title}</button></p>
</form>`,
  );
}

export function sessionsPage(ctx: PageContext, sessions: SessionsTable[], currentId: string, notice?: Text): string {
  const title = tr(ctx.lang, { en: 'Active sessions', de: 'Aktive Sitzungen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${notice ? html`<p class="notice" role="status">${tr(ctx.lang, notice)}</p>` : ''}
<p>${tr(ctx.lang, { en: 'These devices are signed in to your account. End any session you do not recognise, then change your password.', de: 'Diese Geräte sind in Ihrem Konto angemeldet. Beenden Sie jede Sitzung, die Sie nicht kennen, und ändern Sie dann Ihr Passwort.' })}</p>
<table>
  <thead><tr>
    <th scope="col">${tr(ctx.lang, { en: 'Device', de: 'Gerät' })}</th>
    <th scope="col">${tr(ctx.lang, { en: 'Signed in', de: 'Angemeldet' })}</th>
    <th scope="col">${tr(ctx.lang, { en: 'Last active', de: 'Zuletzt aktiv' })}</th>
    <th scope="col">${tr(ctx.lang, { en: 'Ends at the latest', de: 'Endet spätestens' })}</th>
    <th scope="col"><span class="visually-hidden">${tr(ctx.lang, { en: 'Action', de: 'Aktion' })}</span></th>
  </tr></thead>
  <tbody>${sessions.map(
    (s) => html`<tr>
    <td>${s.device ?? tr(ctx.lang, { en: 'unknown device', de: 'unbekanntes Gerät' })}${s.id === currentId ? html` <strong>(${tr(ctx.lang, { en: 'this session', de: 'diese Sitzung' })})</strong>` : ''}${s.remember ? html`<br><span class="hint">${tr(ctx.lang, { en: 'remembered', de: 'angemeldet bleiben' })}</span>` : ''}${s.ip ? html`<br><span class="hint">IP ${s.ip}</span>` : ''}</td>
    <td>${formatTime(ctx.lang, s.created_at, ctx.timeZone)}</td>
    <td>${formatTime(ctx.lang, s.last_seen_at, ctx.timeZone)}</td>
    <td>${formatTime(ctx.lang, Math.min(s.expires_at, s.idle_expires_at), ctx.timeZone)}</td>
    <td><form method="post" action="/account/sessions/${s.id}/revoke">${csrfField(ctx)}<button type="submit" class="secondary" aria-label="${tr(ctx.lang, { en: 'End session on {device}', de: 'Sitzung auf {device} beenden' }, { device: s.device ?? '?' })}">${tr(ctx.lang, { en: 'End session', de: 'Sitzung beenden' })}</button></form></td>
  </tr>`,
  )}</tbody>
</table>
<p><a href="/account">${tr(ctx.lang, { en: 'Back to my account', de: 'Zurück zu meinem Konto' })}</a></p>`,
  );
}

export function resetRequestPage(
  ctx: PageContext,
  sent: boolean,
  values: FormValues = {},
  errors: FormErrors = {},
): string {
  const title = tr(ctx.lang, { en: 'Reset password', de: 'Passwort zurücksetzen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${
  sent
    ? html`<p class="notice" role="status">${tr(ctx.lang, { en: 'If an account exists for this address, we have sent it a link to choose a new password. The link is valid for one hour. We send at most one such mail in 15 minutes; until then, use the link in the last one.', de: 'Falls es für diese Adresse ein Konto gibt, haben wir einen Link zum Wählen eines neuen Passworts dorthin geschickt. Der Link ist eine Stunde gültig. Wir senden höchstens eine solche E-Mail in 15 Minuten; bis dahin gilt der Link in der letzten.' })}</p>`
    : html`${errorSummary(ctx, errors)}
<form method="post" action="/account/password-reset" novalidate>
  ${csrfField(ctx)}
  ${field(ctx, emailField, values, errors)}
  <p><button type="submit">${tr(ctx.lang, { en: 'Send link', de: 'Link senden' })}</button></p>
</form>`
}`,
  );
}

export function resetConfirmPage(ctx: PageContext, token: string, valid: boolean, errors: FormErrors = {}): string {
  const title = tr(ctx.lang, { en: 'Choose a new password', de: 'Neues Passwort wählen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${
  valid
    ? html`${errorSummary(ctx, errors)}
<form method="post" action="/account/password-reset/confirm" novalidate>
  ${csrfField(ctx)}
  <input type="hidden" name="token" value="${token}">
  ${field(ctx, { name: 'password', label: { en: 'New password', de: 'Neues Passwort' }, type: 'password', autocomplete: 'new-password', required: true, hint: T.passwordHint, maxLength: PASSWORD_MAX }, {}, errors)}
  <p><button type="submit">${tr(ctx.lang, { en: 'Save password', de: 'Passwort speichern' })}</button></p>
</form>`
    : html`<p role="alert">${tr(ctx.lang, { en: 'This link is invalid, used or expired.', de: 'Dieser Link ist ungültig, bereits benutzt oder abgelaufen.' })}</p>
<p><a href="/account/password-reset">${tr(ctx.lang, { en: 'Request a new link', de: 'Neuen Link anfordern' })}</a></p>`
}`,
  );
}

export function undoEmailChangePage(ctx: PageContext, valid: boolean): string {
  const title = tr(ctx.lang, { en: 'Undo the email change', de: 'E-Mail-Änderung rückgängig machen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${
  valid
    ? html`<p>${tr(ctx.lang, { en: 'Your account returns to this address and every session ends, so whoever changed it is signed out. Afterwards, choose a new password.', de: 'Ihr Konto kehrt zu dieser Adresse zurück und alle Sitzungen enden, sodass abgemeldet wird, wer sie geändert hat. Wählen Sie danach ein neues Passwort.' })}</p>
<form method="post" action="/account/email-change/undo">
  ${csrfField(ctx)}
  <p><button type="submit">${title}</button></p>
</form>`
    : html`<p role="alert">${tr(ctx.lang, { en: 'This link is invalid, used or expired.', de: 'Dieser Link ist ungültig, bereits benutzt oder abgelaufen.' })}</p>
<p><a href="/account/password-reset">${tr(ctx.lang, { en: 'Reset password', de: 'Passwort zurücksetzen' })}</a></p>`
}`,
  );
}

export function messagePage(ctx: PageContext, title: Text, text: Text, link: { href: string; label: Text }): string {
  return layout(
    ctx,
    tr(ctx.lang, title),
    html`<h1>${tr(ctx.lang, title)}</h1>
<p role="status">${tr(ctx.lang, text)}</p>
<p><a href="${link.href}">${tr(ctx.lang, link.label)}</a></p>`,
  );
}
