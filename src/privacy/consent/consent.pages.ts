// The consent banner, the settings form (in a dialog on the banner, and as the /cookies page), the tags of
// consented vendors, and the visitor's receipts. Pure functions; they work without JavaScript (plain forms
// posting to /consent) and consent.js only adds the dialog behaviour.
import { createHash } from 'node:crypto';
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { categoryInfo, optionalCategories, type OptionalCategory } from './model.ts';
import type { ConsentRegistry, EnabledVendor } from './registry.ts';
import type { ConsentRecordsTable } from './consent.tables.ts';
import type { EffectiveConsent } from './state.ts';
import { transferText } from '../policy.cookies.ts';

const T = {
  bannerTitle: { en: 'Your privacy choices', de: 'Ihre Datenschutz-Auswahl' },
  policyChanged: {
    en: 'Our privacy policy has changed since your last choice, so we ask again.',
    de: 'Unsere Datenschutzerklärung hat sich seit Ihrer letzten Auswahl geändert; daher fragen wir erneut.',
  },
  accept: { en: 'Accept all', de: 'Alle akzeptieren' },
  reject: { en: 'Reject all', de: 'Alle ablehnen' },
  choose: { en: 'Choose', de: 'Auswählen' },
  save: { en: 'Save my choice', de: 'Auswahl speichern' },
  close: { en: 'Close', de: 'Schließen' },
  withdraw: { en: 'Withdraw all consent', de: 'Alle Einwilligungen widerrufen' },
  policy: { en: 'Privacy policy', de: 'Datenschutzerklärung' },
  settingsTitle: { en: 'Cookie settings', de: 'Cookie-Einstellungen' },
  details: { en: 'Details', de: 'Details' },
  company: { en: 'Company', de: 'Unternehmen' },
  purpose: { en: 'Purpose', de: 'Zweck' },
  data: { en: 'Data it receives', de: 'Daten, die er erhält' },
  transfer: { en: 'Transfer outside the EU/EEA', de: 'Übermittlung außerhalb der EU/des EWR' },
  none: { en: 'None', de: 'Keine' },
  cookies: { en: 'Cookies', de: 'Cookies' },
  optOut: { en: 'Opt out at the provider', de: 'Opt-out beim Anbieter' },
  vendorPolicy: { en: 'Provider’s privacy policy', de: 'Datenschutzerklärung des Anbieters' },
  alwaysOn: { en: 'always on', de: 'immer aktiv' },
  ownStatistics: { en: 'This shop’s own statistics, no third party', de: 'Eigene Statistik dieses Shops, ohne Dritte' },
  vendorsApart: {
    en: 'Services of other companies for statistics, each only with its own tick (our own statistics stay on without them):',
    de: 'Statistikdienste anderer Unternehmen, jeder nur mit eigenem Häkchen (unsere eigene Statistik bleibt auch ohne sie an):',
  },
  vendorsAfterOwn: {
    en: 'Services of other companies for statistics: each can be ticked on its own once this shop’s own statistics are allowed; allowing ours allows none of them.',
    de: 'Statistikdienste anderer Unternehmen: Jeder kann einzeln angehakt werden, sobald die eigene Statistik dieses Shops erlaubt ist; unsere zu erlauben erlaubt keinen von ihnen.',
  },
  gpcOff: {
    en: 'off: your browser sends Global Privacy Control. Tick the box to allow it anyway.',
    de: 'aus: Ihr Browser sendet „Global Privacy Control“. Setzen Sie das Häkchen, um es trotzdem zu erlauben.',
  },
} satisfies Record<string, Text>;

const purposeWords: Record<OptionalCategory, Text> = {
  preferences: { en: 'extra features such as a help widget', de: 'Zusatzfunktionen wie ein Hilfe-Widget' },
  statistics: { en: 'statistics', de: 'Statistik' },
  marketing: { en: 'advertising on other websites', de: 'Werbung auf anderen Websites' },
};

/**
 * The banner's text, naming only the purposes the operator's vendors serve (and not marketing under GPC), and our
 * own statistics when the shop keeps them (not under GPC: a browser that sends it is never counted).
 */
function bannerText(lang: Lang, registry: ConsentRegistry, gpc: boolean): string {
  const asked = optionalCategories.filter((c) => vendorsIn(registry, c).length > 0 && !(gpc && c === 'marketing'));
  const ownNote = gpc || registry.own.length === 0 ? '' : ownStatisticsText(lang, registry, asked.length > 0);
  const words = asked.map((c) => tr(lang, purposeWords[c]));
  const list =
    words.length <= 1
      ? (words[0] ?? '')
      : `${words.slice(0, -1).join(', ')} ${lang === 'de' ? 'und' : 'and'} ${words.at(-1)}`;
  const gpcNote =
    gpc && vendorsIn(registry, 'marketing').length > 0
      ? tr(lang, {
          en: ' Your browser sends the Global Privacy Control signal, so advertising services stay off and we do not ask about them.',
          de: ' Ihr Browser sendet das Signal „Global Privacy Control“; Werbedienste bleiben daher aus, und wir fragen nicht danach.',
        })
      : '';
  if (asked.length === 0)
    return tr(
      lang,
      {
        en: '{own} You can change your choice at any time under “Cookie settings” at the bottom of every page.',
        de: '{own} Sie können Ihre Auswahl jederzeit unter „Cookie-Einstellungen“ unten auf jeder Seite ändern.',
      },
      { own: ownNote },
    );
  return tr(
    lang,
    {
      en: 'We would like to use services of other companies for {list}. They load only if you agree.{gpc}{own} You can change your choice at any time under “Cookie settings” at the bottom of every page.',
      de: 'Wir möchten Dienste anderer Unternehmen für {list} nutzen. Sie werden nur geladen, wenn Sie zustimmen.{gpc}{own} Sie können Ihre Auswahl jederzeit unter „Cookie-Einstellungen“ unten auf jeder Seite ändern.',
    },
    { list, gpc: gpcNote, own: ownNote ? ` ${ownNote}` : '' },
  );
}

/** Our own statistics in one sentence: what they are, that no third party is involved, that they need consent. */
function ownStatisticsText(lang: Lang, registry: ConsentRegistry, alsoVendors: boolean): string {
  const names = registry.own.map((p) => tr(lang, p.name));
  const and = lang === 'de' ? 'und' : 'and';
  const list = names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${and} ${names.at(-1)}`;
  return tr(
    lang,
    alsoVendors
      ? {
          en: 'We would also like to keep this shop’s own statistics, with no third party involved, only if you agree: {list}.',
          de: 'Außerdem möchten wir eigene Statistiken dieses Shops führen, ohne Dritte und nur wenn Sie zustimmen: {list}.',
        }
      : {
          en: 'We would like to keep this shop’s own statistics, with no third party involved, only if you agree: {list}.',
          de: 'Wir möchten eigene Statistiken dieses Shops führen, ohne Dritte und nur wenn Sie zustimmen: {list}.',
        },
    { list },
  );
}

/** What a banner showed, as a hash for the ledger (which text the visitor was shown). */
export function bannerHash(lang: Lang, registry: ConsentRegistry, gpc: boolean): string {
  return createHash('sha256')
    .update(bannerText(lang, registry, gpc))
    .digest('hex');
}

const vendorsIn = (registry: ConsentRegistry, c: OptionalCategory) =>
  registry.vendors.filter((v) => v.template.category === c);

/** Our own purposes of a category (statistics: issue 15); a category is asked about when it has these or vendors. */
const ownIn = (registry: ConsentRegistry, c: OptionalCategory) => registry.own.filter((p) => p.category === c);
const asksAbout = (registry: ConsentRegistry, c: OptionalCategory) =>
  vendorsIn(registry, c).length > 0 || ownIn(registry, c).length > 0;

/**
 * Our own purposes of a category as its own box: the category's box itself, since the category is on exactly when our
 * own purposes are (state.ts choicesFor); the vendors below it are separate choices, none included.
 */
function ownPurposesBox(
  lang: Lang,
  registry: ConsentRegistry,
  c: OptionalCategory,
  consent: EffectiveConsent,
  id: string,
): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  const on = consent.categories.has(c);
  return html`<div class="consent-own">
    <div class="checkbox"><input type="checkbox" id="${id}" name="categories" value="${c}" data-category="${c}" data-own${on ? html` checked` : ''}> <label for="${id}"><strong>${t(T.ownStatistics)}</strong></label></div>
    ${consent.gpc ? html`<p class="hint">${t({ en: '(off while your browser sends Global Privacy Control)', de: '(aus, solange Ihr Browser „Global Privacy Control“ sendet)' })}</p>` : ''}
    <ul>${ownIn(registry, c).map((p) => html`<li>${t(p.name)}: ${t(p.purpose)}</li>`)}</ul>
  </div>`;
}

function vendorDetails(lang: Lang, v: EnabledVendor): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  const tc = v.template.thirdCountry;
  return html`<details>
  <summary>${t(T.details)}<span class="visually-hidden">: ${v.template.name}</span></summary>
  <dl>
    <dt>${t(T.company)}</dt><dd>${v.template.company.name}, ${v.template.company.address}</dd>
    <dt>${t(T.purpose)}</dt><dd>${t(v.template.purpose)}</dd>
    <dt>${t(T.data)}</dt><dd>${t(v.template.dataTransferred)}</dd>
    <dt>${t(T.transfer)}</dt><dd>${tc.transfer ? transferText(lang, tc) : t(T.none)}</dd>
    <dt>${t(T.cookies)}</dt><dd>${v.template.cookies.map((c) => c.name).join(', ') || t(T.none)}</dd>
  </dl>
  <p>${v.template.optOut.url !== undefined ? html`<a href="${v.template.optOut.url}" rel="noreferrer noopener" target="_blank">${t(T.optOut)}: ${v.template.name}</a> · ` : ''}<a href="${v.template.privacyPolicyUrl}" rel="noreferrer noopener" target="_blank">${t(T.vendorPolicy)}: ${v.template.name}</a></p>
  ${v.template.optOut.url === undefined ? html`<p>${t(v.template.optOut.noOptOut)}</p>` : ''}
</details>`;
}

/**
 * The choice form: every optional category and its vendors, pre-set to what is in effect. A vendor box follows its
 * category: under a category that is off it is unticked and disabled (nothing reads as consent nobody gave); ticking
 * the category and saving allows all of its vendors, after which single ones can be unticked. consent.js does the same
 * at once in the browser. `offered` tells the server which categories showed their vendors to choose from, so that
 * unticking every vendor of such a category switches it off (state.ts choicesFor). A category with purposes of our own
 * (statistics) differs: its box is our own statistics, on by itself; ticking it ticks no vendor, and unticking every
 * vendor leaves it on.
 */
export function settingsForm(
  lang: Lang,
  registry: ConsentRegistry,
  consent: EffectiveConsent,
  idPrefix: string,
  options: { askMarketing: boolean } = { askMarketing: true },
): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  const categories = optionalCategories.filter(
    (c) => asksAbout(registry, c) && (c !== 'marketing' || options.askMarketing),
  );
  return html`<form method="post" action="/consent" class="consent-form">
  <fieldset>
    <legend>${t(categoryInfo.necessary.name)} (${t(T.alwaysOn)})</legend>
    <p class="hint">${t(categoryInfo.necessary.description)}</p>
  </fieldset>
  ${categories.map((c) => {
    const on = consent.categories.has(c);
    const id = `${idPrefix}-cat-${c}`;
    const name = t(categoryInfo[c].name);
    const own = ownIn(registry, c).length > 0;
    const vendors = vendorsIn(registry, c);
    const gpcNote =
      c === 'marketing' && consent.gpc && !on
        ? html` ${t({ en: 'Marketing is', de: 'Marketing ist' })} ${t(T.gpcOff)}`
        : '';
    // With purposes of our own, the category's box is ours alone and every vendor needs a tick of its own.
    const head = own
      ? html`<p class="hint">${t(categoryInfo[c].description)}${gpcNote}</p>
    ${ownPurposesBox(lang, registry, c, consent, id)}
    ${vendors.length === 0 ? '' : html`<p class="hint consent-vendors-note">${t(on ? T.vendorsApart : T.vendorsAfterOwn)}</p>`}`
      : html`<div class="checkbox"><input type="checkbox" id="${id}" name="categories" value="${c}" data-category="${c}"${on ? html` checked` : ''}> <label for="${id}">${tr(lang, { en: 'Allow {name}', de: '{name} erlauben' }, { name })}</label></div>
    <p class="hint">${t(categoryInfo[c].description)}${gpcNote}${on || vendors.length === 0 ? '' : html` ${tr(lang, { en: 'Allowing it allows the providers below; you can then untick single ones.', de: 'Wenn Sie es erlauben, erlauben Sie die Anbieter darunter; einzelne können Sie danach abwählen.' })}`}</p>`;
    return html`<fieldset>
    <legend>${name}</legend>
    ${head}
    ${on ? html`<input type="hidden" name="offered" value="${c}">` : ''}
    ${
      vendors.length === 0
        ? ''
        : html`<ul class="consent-vendors">${vendors.map((v) => {
            const vid = `${idPrefix}-vendor-${v.template.id}`;
            const vendorOn = on && consent.vendors.includes(v);
            return html`<li><div class="checkbox"><input type="checkbox" id="${vid}" name="vendors" value="${v.template.id}" data-in-category="${c}"${vendorOn ? html` checked` : ''}${on ? '' : html` disabled`}> <label for="${vid}">${v.template.name}</label></div>${vendorDetails(lang, v)}</li>`;
          })}</ul>`
    }
  </fieldset>`;
  })}
  <div class="consent-actions">
    <button type="submit" name="action" value="custom">${t(T.save)}</button>
    <button type="submit" name="action" value="accept">${t(T.accept)}</button>
    <button type="submit" name="action" value="reject">${t(T.reject)}</button>
  </div>
</form>`;
}

/** The first-layer banner: accept and reject side by side, with the same weight; "Choose" opens the settings. */
export function consentBanner(lang: Lang, registry: ConsentRegistry, consent: EffectiveConsent): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  const changed =
    consent.stored !== null && consent.stored.explicit && consent.stored.hash !== registry.hash.slice(0, 16);
  return html`<dialog open class="consent-banner" id="consent-banner" aria-labelledby="consent-banner-title" data-consent-banner>
  <h2 id="consent-banner-title">${t(T.bannerTitle)}</h2>
  ${changed ? html`<p>${t(T.policyChanged)}</p>` : ''}
  <p>${bannerText(lang, registry, consent.gpc)} <a href="/privacy">${t(T.policy)}</a></p>
  <form method="post" action="/consent" class="consent-actions">
    <button type="submit" name="action" value="accept">${t(T.accept)}</button>
    <button type="submit" name="action" value="reject">${t(T.reject)}</button>
    <a class="button secondary" href="/cookies" data-open-settings>${t(T.choose)}</a>
  </form>
</dialog>`;
}

/**
 * The settings as a dialog, fetched by consent.js when the visitor chooses "Choose" (without JavaScript that
 * link opens /cookies). Kept out of every page so that a first visit stays light.
 */
export function settingsDialog(lang: Lang, registry: ConsentRegistry, consent: EffectiveConsent): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  return html`<dialog class="consent-settings" id="consent-settings" aria-labelledby="consent-settings-title">
  <h2 id="consent-settings-title">${t(T.settingsTitle)}</h2>
  ${settingsForm(lang, registry, consent, 'dlg', { askMarketing: !consent.gpc })}
  <form method="dialog"><button type="submit" class="secondary">${t(T.close)}</button></form>
</dialog>`;
}

/** Script tags of the vendors in effect, after the Consent Mode defaults; nothing for a visitor without consent. */
export function vendorTags(
  registry: ConsentRegistry,
  consent: EffectiveConsent,
  tcf: { cmpId: number; cmpVersion: number; tcString: string } | null,
): SafeHtml {
  const google = registry.vendors.some((v) => v.template.googleConsentMode);
  const granted = (c: OptionalCategory) =>
    consent.categories.has(c) && consent.vendors.some((v) => v.template.googleConsentMode && v.template.category === c)
      ? 'granted'
      : 'denied';
  const modeState = JSON.stringify({
    ad_storage: granted('marketing'),
    ad_user_data: granted('marketing'),
    ad_personalization: granted('marketing'),
    analytics_storage: granted('statistics'),
  });
  return html`${google ? html`<script src="/consent/consent-mode.js" data-state="${modeState}"></script>\n` : ''}${tcf ? html`<script src="/consent/tcf.js" data-cmp-id="${tcf.cmpId}" data-cmp-version="${tcf.cmpVersion}" data-tc-string="${tcf.tcString}" data-ui-visible="${consent.ask ? 'true' : 'false'}"></script>\n` : ''}${consent.vendors.map(
    (v) =>
      html`${v.tag.bootstrap ? html`<script src="/consent/vendors/${v.template.id}.js"></script>\n` : ''}${v.tag.scripts.map((src) => html`<script src="${src}" async data-vendor="${v.template.id}"></script>\n`)}`,
  )}`;
}

export function receiptsTable(
  lang: Lang,
  records: ConsentRecordsTable[],
  registry: ConsentRegistry,
  timeZone: string,
): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  const actionNames: Record<string, Text> = {
    accept: { en: 'accepted all', de: 'alle akzeptiert' },
    reject: { en: 'rejected all', de: 'alle abgelehnt' },
    custom: { en: 'own choice', de: 'eigene Auswahl' },
    gpc: { en: 'Global Privacy Control signal', de: 'Signal „Global Privacy Control“' },
    withdraw: { en: 'withdrew all', de: 'alle widerrufen' },
  };
  const names = new Map(registry.vendors.map((v) => [v.template.id, v.template.name]));
  // Column names, also on each cell for phones, where rows stack (site CSS, .stack).
  const head = {
    when: { en: 'When', de: 'Wann' },
    what: { en: 'What', de: 'Was' },
    allowed: { en: 'Allowed', de: 'Erlaubt' },
    receipt: { en: 'Receipt', de: 'Beleg' },
  } satisfies Record<string, Text>;
  if (records.length === 0)
    return html`<p>${t({ en: 'No choices recorded for this browser yet.', de: 'Für diesen Browser ist noch keine Auswahl gespeichert.' })}</p>`;
  return html`<table class="stack">
  <caption>${t({ en: 'Your consent receipts (this browser)', de: 'Ihre Einwilligungsbelege (dieser Browser)' })}</caption>
  <thead><tr><th scope="col">${t(head.when)}</th><th scope="col">${t(head.what)}</th><th scope="col">${t(head.allowed)}</th><th scope="col">${t(head.receipt)}</th></tr></thead>
  <tbody>${records.map((r) => {
    const choices = JSON.parse(r.choices) as { categories: OptionalCategory[]; vendors: string[] };
    const allowed = [
      ...choices.categories.map((c) => t(categoryInfo[c].name)),
      ...choices.vendors.map((v) => names.get(v) ?? v),
    ];
    return html`<tr><td data-label="${t(head.when)}">${formatTime(lang, Number(r.recorded_at), timeZone)}</td><td data-label="${t(head.what)}">${t(actionNames[r.action] ?? { en: r.action, de: r.action })}</td><td data-label="${t(head.allowed)}">${allowed.join(', ') || t(T.none)}</td><td data-label="${t(head.receipt)}"><code>${r.hash.slice(0, 16)}</code></td></tr>`;
  })}</tbody>
</table>`;
}

/**
 * The saved choice in words, for the confirmation after saving on the settings page: every category the page asks
 * about, off or on with the vendors it allows ("Saved: statistics off, marketing on for Criteo.").
 */
export function savedChoiceText(lang: Lang, registry: ConsentRegistry, consent: EffectiveConsent): string {
  const and = lang === 'de' ? 'und' : 'and';
  const list = (words: string[]) =>
    words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} ${and} ${words.at(-1)}`;
  const parts = optionalCategories
    .filter((c) => asksAbout(registry, c))
    .map((c) => {
      const name = tr(lang, categoryInfo[c].name);
      const shown = lang === 'en' ? name.toLowerCase() : name;
      const vendors = consent.vendors.filter((v) => v.template.category === c).map((v) => v.template.name);
      const own = ownIn(registry, c).length > 0;
      if (consent.categories.has(c) && vendors.length > 0 && own)
        return tr(
          lang,
          {
            en: '{name} on (this shop’s own) and for {vendors}',
            de: '{name} an (die eigene des Shops) und für {vendors}',
          },
          { name: shown, vendors: list(vendors) },
        );
      if (consent.categories.has(c) && vendors.length > 0)
        return tr(
          lang,
          { en: '{name} on for {vendors}', de: '{name} an für {vendors}' },
          { name: shown, vendors: list(vendors) },
        );
      // Our own statistics alone (no vendor of the category configured or chosen).
      if (consent.categories.has(c) && own)
        return tr(lang, { en: '{name} on (this shop’s own)', de: '{name} an (die eigene des Shops)' }, { name: shown });
      return tr(lang, { en: '{name} off', de: '{name} aus' }, { name: shown });
    });
  return tr(lang, { en: 'Saved: {parts}.', de: 'Gespeichert: {parts}.' }, { parts: parts.join(', ') });
}
