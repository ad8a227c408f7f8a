// The pages of a request without an account: the form, the one answer to every form (whatever the address), the
// confirmation page the mailed link leads to (what will happen, and a button: a GET never acts), and what happens
// next. Pure functions from a model to HTML, in English and German.
import { html } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { csrfField, errorSummary, layout, type FieldErrors, type PageContext } from '../../web/index.ts';
import { kindNames, REQUEST_KINDS, type RestrictionGround } from './rights.model.ts';
import type { RequestKind } from './rights.tables.ts';

export interface GuestFormValues {
  email?: string;
  kind?: string;
  ground?: string;
  message?: string;
}

const kindHints: Record<RequestKind, Text> = {
  access: {
    en: 'What we hold about you, why, on what legal basis, for how long and whom we gave it to (Art. 15 GDPR).',
    de: 'Was wir über Sie gespeichert haben, wozu, auf welcher Rechtsgrundlage, wie lange und an wen wir es weitergegeben haben (Art. 15 DSGVO).',
  },
  export: {
    en: 'Your data as a ZIP file, one JSON and one CSV file per data set, to keep or take elsewhere (Art. 20 GDPR).',
    de: 'Ihre Daten als ZIP-Datei, je Datenbestand eine JSON- und eine CSV-Datei, zum Aufbewahren oder Mitnehmen (Art. 20 DSGVO).',
  },
  erasure: {
    en: 'We delete everything about this address that no law makes us keep; what we must keep is restricted and listed in a final mail (Art. 17 GDPR).',
    de: 'Wir löschen alles zu dieser Adresse, was kein Gesetz uns aufzubewahren verpflichtet; was wir aufbewahren müssen, wird gesperrt und in einer letzten E-Mail aufgeführt (Art. 17 DSGVO).',
  },
  rectification: {
    en: 'Tell us what is wrong or incomplete; our data protection officer corrects it (Art. 16 GDPR).',
    de: 'Teilen Sie uns mit, was falsch oder unvollständig ist; unsere Datenschutzbeauftragte berichtigt es (Art. 16 DSGVO).',
  },
  restriction: {
    en: 'We keep your data but use it for nothing else while the ground lasts (Art. 18 GDPR).',
    de: 'Wir bewahren Ihre Daten auf, verwenden sie aber für nichts anderes, solange der Grund besteht (Art. 18 DSGVO).',
  },
  objection: {
    en: 'Against processing based on our legitimate interest, and always against direct marketing (Art. 21 GDPR).',
    de: 'Gegen eine Verarbeitung aufgrund unseres berechtigten Interesses und stets gegen Direktwerbung (Art. 21 DSGVO).',
  },
};

const groundNames: Record<RestrictionGround, Text> = {
  accuracy: { en: 'I contest that my data is accurate', de: 'Ich bestreite, dass meine Daten richtig sind' },
  unlawful: {
    en: 'The processing is unlawful, but I do not want the data erased',
    de: 'Die Verarbeitung ist unrechtmäßig, aber ich möchte keine Löschung',
  },
  'legal-claim': {
    en: 'I need the data for a legal claim',
    de: 'Ich brauche die Daten für einen Rechtsanspruch',
  },
  'objection-pending': {
    en: 'I objected, and the objection is not yet decided',
    de: 'Ich habe widersprochen, und über den Widerspruch ist noch nicht entschieden',
  },
};

/** What happens once the person confirms, by kind. */
const whatHappens: Record<RequestKind, Text> = {
  access: {
    en: 'We put together everything we hold about this address, with the purpose, legal basis and period of each part, and mail you a link to download it. The link works only for you and for a few days.',
    de: 'Wir stellen alles zusammen, was wir zu dieser Adresse gespeichert haben, mit Zweck, Rechtsgrundlage und Frist jedes Teils, und schicken Ihnen einen Link zum Herunterladen. Der Link funktioniert nur für Sie und nur einige Tage.',
  },
  export: {
    en: 'We build a ZIP file of everything we hold about this address and mail you a link to download it. The link works only for you and for a few days.',
    de: 'Wir erstellen eine ZIP-Datei mit allem, was wir zu dieser Adresse gespeichert haben, und schicken Ihnen einen Link zum Herunterladen. Der Link funktioniert nur für Sie und nur einige Tage.',
  },
  erasure: {
    en: 'We delete at once everything about this address that no law makes us keep. This cannot be undone. A final mail lists what we must keep, until when and why.',
    de: 'Wir löschen sofort alles zu dieser Adresse, was kein Gesetz uns aufzubewahren verpflichtet. Das lässt sich nicht rückgängig machen. Eine letzte E-Mail führt auf, was wir aufbewahren müssen, bis wann und warum.',
  },
  rectification: {
    en: 'Your request goes to our data protection officer, who answers within one month.',
    de: 'Ihre Anfrage geht an unsere Datenschutzbeauftragte, die innerhalb eines Monats antwortet.',
  },
  restriction: {
    en: 'Your request goes to our data protection officer, who decides within one month and tells you.',
    de: 'Ihre Anfrage geht an unsere Datenschutzbeauftragte, die innerhalb eines Monats entscheidet und Sie benachrichtigt.',
  },
  objection: {
    en: 'Your objection goes to our data protection officer, who answers within one month.',
    de: 'Ihr Widerspruch geht an unsere Datenschutzbeauftragte, die innerhalb eines Monats antwortet.',
  },
};

const labels = {
  email: { en: 'Your email address', de: 'Ihre E-Mail-Adresse' },
  kind: { en: 'What you ask for', de: 'Was Sie verlangen' },
  ground: { en: 'Ground of the restriction', de: 'Grund der Einschränkung' },
  message: { en: 'Your message', de: 'Ihre Nachricht' },
};

export function guestRequestPage(ctx: PageContext, values: GuestFormValues = {}, errors: FieldErrors = {}): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'A request about your data', de: 'Eine Anfrage zu Ihren Daten' });
  const invalid = (name: string) => (errors[name] ? html` aria-invalid="true" aria-describedby="f-${name}-error"` : '');
  const problem = (name: string) =>
    errors[name] ? html`<p class="field-error" id="f-${name}-error">${t(errors[name])}</p>` : '';
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, undefined, errors, labels, ['email', 'kind', 'ground', 'message'])}
<p>${t({ en: 'You have rights over the data we hold about you. You need no account to use them: we send a link to your address, and nothing is shown or done until you follow it. If you have an account, we ask you to sign in instead.', de: 'Sie haben Rechte an den Daten, die wir über Sie gespeichert haben. Dafür brauchen Sie kein Kundenkonto: Wir schicken einen Link an Ihre Adresse, und erst wenn Sie ihm folgen, wird etwas gezeigt oder getan. Haben Sie ein Kundenkonto, bitten wir Sie stattdessen, sich anzumelden.' })}</p>
<form method="post" action="/privacy/request" novalidate>
  ${csrfField(ctx)}
  <div class="field">
    <label for="f-email">${t(labels.email)} <span class="required">${t({ en: '(required)', de: '(erforderlich)' })}</span></label>
    <input id="f-email" type="email" name="email" autocomplete="email" required maxlength="254" value="${values.email ?? ''}"${invalid('email')}>
    ${problem('email')}
  </div>
  <fieldset id="f-kind"${errors.kind ? html` aria-describedby="f-kind-error"` : ''}><legend>${t(labels.kind)} <span class="required">${t({ en: '(required)', de: '(erforderlich)' })}</span></legend>
    ${problem('kind')}
    ${REQUEST_KINDS.map((k) => html`<div class="checkbox"><input id="f-kind-${k}" type="radio" name="kind" value="${k}" aria-describedby="f-kind-${k}-hint"${values.kind === k ? ' checked' : ''}> <label for="f-kind-${k}">${t(kindNames[k])}</label><p class="hint" id="f-kind-${k}-hint">${t(kindHints[k])}</p></div>`)}
  </fieldset>
  <div class="field">
    <label for="f-ground">${t(labels.ground)} <span class="optional">${t({ en: '(only for a restriction)', de: '(nur bei einer Einschränkung)' })}</span></label>
    <select id="f-ground" name="ground"${invalid('ground')}><option value="">${t({ en: 'Choose a ground', de: 'Grund wählen' })}</option>${(Object.keys(groundNames) as RestrictionGround[]).map((g) => html`<option value="${g}"${values.ground === g ? ' selected' : ''}>${t(groundNames[g])}</option>`)}</select>
    ${problem('ground')}
  </div>
  <div class="field">
    <label for="f-message">${t(labels.message)} <span class="optional">${t({ en: '(required for a correction or an objection)', de: '(erforderlich bei Berichtigung oder Widerspruch)' })}</span></label>
    <textarea id="f-message" name="message" rows="5" maxlength="2000"${invalid('message')}>${values.message ?? ''}</textarea>
    ${problem('message')}
  </div>
  <p><button type="submit">${t({ en: 'Send the request', de: 'Anfrage senden' })}</button></p>
</form>
<p>${t({ en: 'More about your rights in the', de: 'Mehr zu Ihren Rechten in der' })} <a href="/privacy">${t({ en: 'privacy policy', de: 'Datenschutzerklärung' })}</a>.</p>`,
  );
}

/** The one answer to every valid form: the same whether the address has an account, has none, or was limited. */
export function guestRequestReceivedPage(ctx: PageContext): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Please check your inbox', de: 'Bitte sehen Sie in Ihr Postfach' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p role="status">${t(guestRequestReceived)}</p>`,
  );
}

export const guestRequestReceived: Text = {
  en: 'Thank you. We have sent a mail to this address. Follow the link in it to confirm your request: nothing is shown or done before you do. If the address has a customer account, the mail asks you to sign in instead.',
  de: 'Danke. Wir haben eine E-Mail an diese Adresse geschickt. Folgen Sie dem Link darin, um Ihre Anfrage zu bestätigen: Vorher wird nichts gezeigt oder getan. Gibt es zu der Adresse ein Kundenkonto, bittet die E-Mail Sie stattdessen, sich anzumelden.',
};

/** The page the mailed link leads to: what will happen, and the button (only its POST acts). */
export function guestConfirmPage(ctx: PageContext, action: string, kind: RequestKind | undefined): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Confirm your request', de: 'Anfrage bestätigen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${kind ? html`<p><strong>${t(kindNames[kind])}</strong></p><p>${t(whatHappens[kind])}</p>` : ''}
<p>${t({ en: 'Please confirm with the button below. Nothing happens until you do.', de: 'Bitte bestätigen Sie mit der Schaltfläche unten. Vorher geschieht nichts.' })}</p>
<form method="post" action="${action}"><button type="submit">${t({ en: 'Confirm the request', de: 'Anfrage bestätigen' })}</button></form>`,
  );
}

export interface GuestConfirmedModel {
  kind: RequestKind;
  dueAt: number;
  /** True when an open request of this kind by this address already existed (this one was recorded as its repeat). */
  duplicate: boolean;
}

export function guestConfirmedPage(ctx: PageContext, m: GuestConfirmedModel, timeZone: string): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Request confirmed', de: 'Anfrage bestätigt' });
  const due = formatTime(ctx.lang, m.dueAt, timeZone);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p role="status">${m.duplicate ? t({ en: 'We already have an open request of this kind from this address; we answer both together.', de: 'Von dieser Adresse liegt bereits eine offene Anfrage dieser Art vor; wir beantworten beide gemeinsam.' }) : t(whatHappens[m.kind])}</p>
<p>${tr(ctx.lang, { en: 'We answer by {due} at the latest, as the law requires.', de: 'Wir antworten spätestens bis {due}, wie es das Gesetz verlangt.' }, { due })}</p>`,
  );
}

/** The kind named in the clean address of the confirmation page (public: it only chooses the text shown). */
export function kindOfParam(value: string | undefined): RequestKind | undefined {
  return REQUEST_KINDS.find((k) => k === value);
}
