// The newsletter's pages: sign-up (with the consent text shown and stored), the neutral answer to every sign-up,
// the confirmation and unsubscribe pages (a button each: a GET never changes anything), and the account's list of
// subscriptions with a switch each. Pure functions from a model to HTML.
import { html } from '../../platform/html.ts';
import { formatTime, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { csrfField, errorSummary, layout, type FieldErrors, type PageContext } from '../../web/index.ts';
import { consentText, TOPICS } from './newsletter.service.ts';

export interface SignUpValues {
  email?: string;
  topics?: string[];
  lang?: string;
}

const langNames: Record<Lang, Text> = {
  en: { en: 'English', de: 'Englisch' },
  de: { en: 'German', de: 'Deutsch' },
};

export function newsletterPage(ctx: PageContext, values: SignUpValues = {}, errors: FieldErrors = {}): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Newsletter', de: 'Newsletter' });
  const chosenLang = values.lang === 'en' || values.lang === 'de' ? values.lang : ctx.lang;
  const emailError = errors.email;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, undefined, errors, { email: { en: 'Email address', de: 'E-Mail-Adresse' }, topics: { en: 'Topics', de: 'Themen' } }, ['email', 'topics'])}
<p>${t({ en: 'News about our products, offers, tutorials and events, about once a month. Only your email address is required.', de: 'Neuigkeiten zu unseren Produkten, Angeboten, Anleitungen und Veranstaltungen, etwa einmal im Monat. Nur Ihre E-Mail-Adresse ist erforderlich.' })}</p>
<form method="post" action="/newsletter" novalidate>
  ${csrfField(ctx)}
  <div class="field">
    <label for="f-email">${t({ en: 'Email address', de: 'E-Mail-Adresse' })} <span class="required">${t({ en: '(required)', de: '(erforderlich)' })}</span></label>
    <input id="f-email" type="email" name="email" autocomplete="email" required maxlength="254" value="${values.email ?? ''}"${emailError ? html` aria-invalid="true" aria-describedby="f-email-error"` : ''}>
    ${emailError ? html`<p class="field-error" id="f-email-error">${t(emailError)}</p>` : ''}
  </div>
  <fieldset id="f-topics" aria-describedby="f-topics-hint"><legend>${t({ en: 'Topics', de: 'Themen' })} <span class="optional">${t({ en: '(optional)', de: '(freiwillig)' })}</span></legend>
    <p class="hint" id="f-topics-hint">${t({ en: 'With none chosen, you receive all topics.', de: 'Ohne Auswahl erhalten Sie alle Themen.' })}</p>
    ${Object.entries(TOPICS).map(([id, name]) => html`<div class="checkbox"><input id="f-topic-${id}" type="checkbox" name="topic-${id}" value="1"${values.topics?.includes(id) ? ' checked' : ''}> <label for="f-topic-${id}">${t(name)}</label></div>`)}
  </fieldset>
  <div class="field">
    <label for="f-lang">${t({ en: 'Language of the newsletter', de: 'Sprache des Newsletters' })} <span class="optional">${t({ en: '(optional)', de: '(freiwillig)' })}</span></label>
    <select id="f-lang" name="lang">${(['en', 'de'] as const).map((l) => html`<option value="${l}"${l === chosenLang ? ' selected' : ''}>${t(langNames[l])}</option>`)}</select>
  </div>
  <p id="newsletter-consent">${t(consentText)} ${t({ en: 'More in the', de: 'Mehr in der' })} <a href="/privacy">${t({ en: 'privacy policy', de: 'Datenschutzerklärung' })}</a>.</p>
  <p><button type="submit">${t({ en: 'Subscribe', de: 'Abonnieren' })}</button></p>
</form>`,
  );
}

/** The one answer to every sign-up, whether the address is new, pending, confirmed or throttled. */
export function signUpReceivedPage(ctx: PageContext): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Please check your inbox', de: 'Bitte sehen Sie in Ihr Postfach' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p role="status">${t(signUpReceived)}</p>`,
  );
}

export const signUpReceived: Text = {
  en: 'Thank you. If this address is not subscribed yet, we have sent it a mail with a link to confirm. Only after you confirm do you receive the newsletter.',
  de: 'Danke. Ist diese Adresse noch nicht angemeldet, haben wir ihr eine E-Mail mit einem Bestätigungslink geschickt. Erst nach Ihrer Bestätigung erhalten Sie den Newsletter.',
};

export function confirmPage(ctx: PageContext, action: string): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Confirm your subscription', de: 'Abonnement bestätigen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t({ en: 'Please confirm with the button below that you want to receive our newsletter. Nothing happens until you do.', de: 'Bitte bestätigen Sie mit der Schaltfläche unten, dass Sie unseren Newsletter erhalten möchten. Vorher geschieht nichts.' })}</p>
<form method="post" action="${action}"><button type="submit">${t({ en: 'Confirm the subscription', de: 'Abonnement bestätigen' })}</button></form>`,
  );
}

export function confirmedPage(ctx: PageContext): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Subscription confirmed', de: 'Abonnement bestätigt' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p role="status">${t({ en: 'Thank you: you now receive our newsletter. A welcome mail is on its way; every mail has a link to unsubscribe.', de: 'Danke: Sie erhalten jetzt unseren Newsletter. Eine Willkommens-E-Mail ist unterwegs; jede E-Mail enthält einen Link zum Abbestellen.' })}</p>`,
  );
}

export function unsubscribePage(ctx: PageContext, action: string): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Unsubscribe', de: 'Abbestellen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<form method="post" action="${action}">
  <fieldset><legend>${t({ en: 'What do you want to stop?', de: 'Was möchten Sie abbestellen?' })}</legend>
    <div class="checkbox"><input id="scope-list" type="radio" name="scope" value="list" checked> <label for="scope-list">${t({ en: 'Only the mailing this link came with (such as the newsletter)', de: 'Nur die Zusendung, aus der dieser Link stammt (etwa den Newsletter)' })}</label></div>
    <div class="checkbox"><input id="scope-all" type="radio" name="scope" value="all"> <label for="scope-all">${t({ en: 'All marketing mail from us, including product suggestions and survey invitations', de: 'Alle Werbe-E-Mails von uns, einschließlich Produktvorschlägen und Umfrage-Einladungen' })}</label></div>
  </fieldset>
  <p class="hint">${t({ en: 'Mail about your orders and your account still reaches you.', de: 'E-Mails zu Ihren Bestellungen und Ihrem Konto erhalten Sie weiterhin.' })}</p>
  <p><button type="submit">${t({ en: 'Unsubscribe now', de: 'Jetzt abbestellen' })}</button></p>
</form>`,
  );
}

export function unsubscribedPage(ctx: PageContext, scope: 'list' | 'all'): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Unsubscribed', de: 'Abbestellt' });
  const done =
    scope === 'all'
      ? t({ en: 'You will get no more marketing mail from us.', de: 'Sie erhalten keine Werbe-E-Mails mehr von uns.' })
      : t({ en: 'You will get no more mail of this kind.', de: 'Sie erhalten keine E-Mails dieser Art mehr.' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p role="status">${done}</p>
<p>${t({ en: 'Changed your mind? You can subscribe again on the', de: 'Anders entschieden? Wieder anmelden können Sie sich auf der' })} <a href="/newsletter">${t({ en: 'newsletter page', de: 'Newsletter-Seite' })}</a>.</p>`,
  );
}

export interface AccountSubscription {
  list: string;
  origin: string;
  status: string;
  since: number;
}

const listNames: Record<string, Text> = {
  newsletter: { en: 'Newsletter', de: 'Newsletter' },
  'similar-products': { en: 'Suggestions of similar products', de: 'Vorschläge ähnlicher Produkte' },
};
const originNames: Record<string, Text> = {
  'double-opt-in': { en: 'your sign-up, confirmed by mail', de: 'Ihre Anmeldung, per E-Mail bestätigt' },
  purchase: { en: 'a purchase (§ 7(3) UWG)', de: 'ein Kauf (§ 7 Abs. 3 UWG)' },
  'demo-download': { en: 'a demo download, confirmed by mail', de: 'ein Demo-Download, per E-Mail bestätigt' },
  account: { en: 'your account', de: 'Ihr Konto' },
};
const statusNames: Record<string, Text> = {
  pending: { en: 'waiting for your confirmation', de: 'wartet auf Ihre Bestätigung' },
  confirmed: { en: 'on', de: 'an' },
  unsubscribed: { en: 'off', de: 'aus' },
};

export function accountSubscriptionsPage(
  ctx: PageContext,
  rows: AccountSubscription[],
  zone: string,
  notice?: Text,
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Subscriptions', de: 'Abonnements' });
  const lists = ['newsletter', 'similar-products'];
  const row = (list: string) => rows.find((r) => r.list === list);
  const cols = {
    origin: t({ en: 'Origin', de: 'Herkunft' }),
    since: t({ en: 'Since', de: 'Seit' }),
    state: t({ en: 'State', de: 'Status' }),
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${notice ? html`<p class="notice" role="status">${t(notice)}</p>` : ''}
<p>${t({ en: 'The marketing mail we send to the address of your account: where each subscription came from, and a switch to turn it on or off.', de: 'Die Werbe-E-Mails an die Adresse Ihres Kontos: woher jedes Abonnement stammt, und ein Schalter zum Ein- und Ausschalten.' })}</p>
<table class="stack">
<caption>${t({ en: 'Your subscriptions', de: 'Ihre Abonnements' })}</caption>
<thead><tr><th scope="col">${t({ en: 'List', de: 'Liste' })}</th><th scope="col">${cols.origin}</th><th scope="col">${cols.since}</th><th scope="col">${cols.state}</th><th scope="col">${t({ en: 'Switch', de: 'Schalter' })}</th></tr></thead>
<tbody>
${lists.map((list) => {
  const r = row(list);
  const on = r?.status === 'confirmed' || r?.status === 'pending';
  const name = t(listNames[list]!);
  // Suggestions go only to purchasers: without a purchase there is nothing to switch on.
  const switchable = list === 'newsletter' || r !== undefined;
  return html`<tr>
<th scope="row">${name}</th>
<td data-label="${cols.origin}">${r ? t(originNames[r.origin] ?? { en: r.origin, de: r.origin }) : '—'}</td>
<td data-label="${cols.since}">${r ? formatTime(ctx.lang, r.since, zone) : '—'}</td>
<td data-label="${cols.state}">${r ? t(statusNames[r.status] ?? { en: r.status, de: r.status }) : t({ en: 'off', de: 'aus' })}</td>
<td>${switchable ? html`<form method="post" action="/account/subscriptions">${csrfField(ctx)}<input type="hidden" name="list" value="${list}"><input type="hidden" name="on" value="${on ? 'no' : 'yes'}"><button type="submit">${on ? t({ en: 'Switch off', de: 'Ausschalten' }) : t({ en: 'Switch on', de: 'Einschalten' })}<span class="visually-hidden">: ${name}</span></button></form>` : t({ en: 'Comes only with a purchase', de: 'Nur nach einem Kauf möglich' })}</td>
</tr>`;
})}
</tbody>
</table>`,
  );
}
