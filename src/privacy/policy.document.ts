// The privacy policy's content and the Art. 30 record, generated from the data map, the consent registry and
// the operator's facts. No sentence here names a vendor, a period or a feature: each comes from the inputs,
// so a change there (a vendor switched off, a retention rule shortened) changes the published text.
import { html, type SafeHtml } from '../platform/html.ts';
import { tr, type Lang, type Text } from '../platform/i18n.ts';
import type { Operator } from '../platform/operator.ts';
import { categoryInfo, optionalCategories, type ConsentCategory } from './consent/model.ts';
import type { ConsentRegistry, EnabledVendor } from './consent/registry.ts';
import { linkFor, type PolicyLink } from './policy-links.ts';
import {
  categoryNames,
  legalBasisArticle,
  type Activity,
  type Category,
  type DataMap,
  type Duration,
  type FileSetMap,
  type LegalBasis,
  type RetentionRule,
  type TableMap,
} from './data-map.ts';

export interface PolicyInput {
  dataMap: DataMap;
  operator: Operator;
  registry: ConsentRegistry;
}

// Which activity is the request log or the disclosure record is said by its `role` in the data map, and which
// page exercises a right by the manifests' policy links (dataMap.links): this file names no feature and no route.

const basisText: Record<LegalBasis, Text> = {
  consent: { en: 'your consent', de: 'Ihre Einwilligung' },
  contract: {
    en: 'performing our contract with you, or steps before it',
    de: 'die Erfüllung unseres Vertrags mit Ihnen oder vorvertragliche Maßnahmen',
  },
  'legal-obligation': {
    en: 'a legal obligation we are subject to',
    de: 'eine rechtliche Verpflichtung, der wir unterliegen',
  },
  'vital-interests': { en: 'protecting vital interests', de: 'den Schutz lebenswichtiger Interessen' },
  'public-task': { en: 'a task in the public interest', de: 'eine Aufgabe im öffentlichen Interesse' },
  'legitimate-interests': { en: 'our legitimate interests', de: 'unsere berechtigten Interessen' },
};

const basisArticleDe: Record<LegalBasis, string> = {
  consent: 'Art. 6 Abs. 1 lit. a DSGVO',
  contract: 'Art. 6 Abs. 1 lit. b DSGVO',
  'legal-obligation': 'Art. 6 Abs. 1 lit. c DSGVO',
  'vital-interests': 'Art. 6 Abs. 1 lit. d DSGVO',
  'public-task': 'Art. 6 Abs. 1 lit. e DSGVO',
  'legitimate-interests': 'Art. 6 Abs. 1 lit. f DSGVO',
};

/** Headings of the groups in the list of processing activities, in the order they appear. */
const basisGroups: { basis: LegalBasis; title: Text }[] = [
  {
    basis: 'contract',
    title: { en: 'To perform our contract with you', de: 'Zur Erfüllung unseres Vertrags mit Ihnen' },
  },
  { basis: 'legal-obligation', title: { en: 'Because the law requires it', de: 'Weil das Gesetz es verlangt' } },
  {
    basis: 'legitimate-interests',
    title: { en: 'For our legitimate interests', de: 'Aufgrund unserer berechtigten Interessen' },
  },
  { basis: 'consent', title: { en: 'With your consent', de: 'Mit Ihrer Einwilligung' } },
  {
    basis: 'vital-interests',
    title: { en: 'To protect vital interests', de: 'Zum Schutz lebenswichtiger Interessen' },
  },
  {
    basis: 'public-task',
    title: { en: 'For a task in the public interest', de: 'Für eine Aufgabe im öffentlichen Interesse' },
  },
];

/** Readable names of the usage log's columns; a column not listed here is described by its category. */
const usageFieldLabels: Record<string, Text> = {
  at: { en: 'date and time of the request', de: 'Datum und Uhrzeit der Anfrage' },
  duration_ms: { en: 'how long the answer took', de: 'Dauer der Beantwortung' },
  tz_offset_min: {
    en: 'the time zone offset, where your browser tells it',
    de: 'die Zeitzonenabweichung, soweit Ihr Browser sie mitteilt',
  },
  method: { en: 'the kind of request (for example GET or POST)', de: 'die Art der Anfrage (etwa GET oder POST)' },
  path: { en: 'the page or file requested', de: 'die aufgerufene Seite oder Datei' },
  status: { en: 'the answer’s status code', de: 'der Statuscode der Antwort' },
  bytes: { en: 'the amount of data sent', de: 'die übertragene Datenmenge' },
  referrer: { en: 'the page you came from (referrer)', de: 'die Seite, von der Sie kamen (Referrer)' },
  browser: { en: 'browser type', de: 'Browsertyp' },
  browser_version: { en: 'browser version', de: 'Browserversion' },
  language: { en: 'browser language', de: 'Browsersprache' },
  os: { en: 'operating system', de: 'Betriebssystem' },
  ip: { en: 'your IP address', de: 'Ihre IP-Adresse' },
};

export interface ActivityView {
  activity: Activity;
  tables: TableMap[];
  /** Files under the data directory that the activity writes. */
  files: FileSetMap[];
  categories: Category[];
  rules: RetentionRule[];
}

/** Activities that concern people, each with the data categories and retention rules of its tables. */
export function describeActivities(map: DataMap): ActivityView[] {
  return map.activities
    .map((activity) => {
      // Objection records are listed with each activity a person can object to, as well as with their own.
      const tables = map.tables.filter(
        (t) => t.activity === activity.id || (t.describesObjectable === true && activity.objectable === true),
      );
      const files = map.files.filter((f) => f.activity === activity.id);
      const categories = [
        ...new Set(
          [...tables.flatMap((t) => Object.values(t.columns)), ...files.flatMap((f) => f.contents)].filter(
            (c): c is Category => c !== 'not-personal',
          ),
        ),
      ];
      // Files are deleted from their modification time, as a table's rows are from a column.
      const fileRules: RetentionRule[] = files.flatMap((f) =>
        f.retention.map((r) => ({ ...r, from: 'file-time', action: { kind: 'delete' as const } })),
      );
      return { activity, tables, files, categories, rules: [...tables.flatMap((t) => t.retention), ...fileRules] };
    })
    .filter((v) => v.categories.length > 0);
}

export function describeRule(lang: Lang, rule: RetentionRule): string {
  const verb = rule.action.kind === 'clear' ? { en: 'removed', de: 'entfernt' } : { en: 'deleted', de: 'gelöscht' };
  if (!('days' in rule.after)) {
    const y = rule.after.years;
    return lang === 'de'
      ? `${rule.what.de} werden ${y} Jahre nach Ende des Kalenderjahres ${rule.fromEvent.de} ${verb.de}.`
      : `${rule.what.en} are ${verb.en} ${y} years after the end of the calendar year of ${rule.fromEvent.en}.`;
  }
  const days = rule.after.days;
  const when: Text =
    days === 0
      ? { en: `at ${rule.fromEvent.en}`, de: `bei ${rule.fromEvent.de}` }
      : {
          en: `${days} ${days === 1 ? 'day' : 'days'} after ${rule.fromEvent.en}`,
          de: `${days} ${days === 1 ? 'Tag' : 'Tage'} nach ${rule.fromEvent.de}`,
        };
  return lang === 'de' ? `${rule.what.de} werden ${when.de} ${verb.de}.` : `${rule.what.en} are ${verb.en} ${when.en}.`;
}

/** A period as a noun phrase in the nominative/accusative ("7 days", "7 Tage"). */
function formatDuration(lang: Lang, d: Duration): string {
  if ('days' in d)
    return lang === 'de' ? `${d.days} ${d.days === 1 ? 'Tag' : 'Tage'}` : `${d.days} ${d.days === 1 ? 'day' : 'days'}`;
  return lang === 'de'
    ? `${d.years} Jahre ab Ende des Kalenderjahres`
    : `${d.years} years from the end of the calendar year`;
}

function article(lang: Lang, basis: LegalBasis): string {
  return lang === 'de' ? basisArticleDe[basis] : legalBasisArticle[basis];
}

/** "Art. 7(3) GDPR" / "Art. 7 Abs. 3 DSGVO": German cites paragraphs and points as German law does. */
function gdpr(lang: Lang, art: string): string {
  if (lang !== 'de') return `Art. ${art} GDPR`;
  const german = art.replace(
    /^(\d+)\((\d+)\)(?:\(([a-z])\))?$/,
    (_m, article: string, paragraph: string, point?: string) =>
      point ? `${article} Abs. ${paragraph} lit. ${point}` : `${article} Abs. ${paragraph}`,
  );
  return `Art. ${german} DSGVO`;
}

/** Only https addresses become links; anything else from configuration is shown as text. */
function externalLink(url: string, label: string): SafeHtml {
  return /^https:\/\/[^\s"'<>]+$/.test(url)
    ? html`<a href="${url}" rel="noopener noreferrer">${label}</a>`
    : html`${label}: ${url}`;
}

function countryNames(lang: Lang, codes: string[]): string {
  const names = new Intl.DisplayNames([lang], { type: 'region' });
  return codes
    .map((c) => {
      if (!/^[A-Z]{2}$/.test(c)) return c;
      try {
        return names.of(c) ?? c;
      } catch {
        return c;
      }
    })
    .join(', ');
}

function joinList(lang: Lang, items: string[]): string {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
}

/** A link to a page a feature declared for a right (its label is the feature's). */
function pageLink(lang: Lang, link: PolicyLink): SafeHtml {
  return html`<a href="${link.href}">${tr(lang, link.label)}</a>`;
}

/** The link's note in brackets, with its leading space, or nothing. */
function linkNote(lang: Lang, link: PolicyLink): string {
  return link.note ? ` (${tr(lang, link.note)})` : '';
}

function mailto(email: string): SafeHtml {
  return html`<a href="mailto:${email}">${email}</a>`;
}

interface Section {
  id: string;
  title: Text;
  body: SafeHtml;
  /** Shown set apart from the rest (the right to object must be, Art. 21(4) GDPR). */
  highlight?: boolean;
}

// ---------------------------------------------------------------- 1. controller

function controllerSection(lang: Lang, { operator }: PolicyInput): Section {
  const t = (text: Text) => tr(lang, text);
  return {
    id: 'controller',
    title: { en: 'Who is responsible', de: 'Verantwortlicher' },
    body: html`<p>${t({ en: 'The controller responsible for the processing described on this page is:', de: 'Verantwortlich für die auf dieser Seite beschriebene Verarbeitung ist:' })}</p>
<address>${operator.company}<br>${operator.address.map((l) => html`${l}<br>`)}${t({ en: 'Email', de: 'E-Mail' })}: ${mailto(operator.email)}</address>
<p>${t({ en: 'Our data protection officer is', de: 'Unser(e) Datenschutzbeauftragte(r) ist' })} ${operator.dpo.name}, ${t({ en: 'reachable at', de: 'erreichbar unter' })} ${mailto(operator.dpo.email)}. ${t(
      {
        en: 'Write there with any question about your data and to use any of the rights described below.',
        de: 'Schreiben Sie dorthin bei allen Fragen zu Ihren Daten und um die unten beschriebenen Rechte auszuüben.',
      },
    )}</p>`,
  };
}

// ---------------------------------------------------------------- 2. usage data

function usageSection(lang: Lang, view: ActivityView): Section {
  const t = (text: Text) => tr(lang, text);
  const { activity, tables } = view;
  const fields: string[] = [];
  for (const table of tables) {
    for (const [column, cls] of Object.entries(table.columns)) {
      if (cls === 'not-personal') continue;
      const label = t(usageFieldLabels[column] ?? categoryNames[cls]);
      if (!fields.includes(label)) fields.push(label);
    }
  }
  const ipTables = tables.filter((tb) => Object.values(tb.columns).includes('ip-address'));
  const ipRule = ipTables.flatMap((tb) => tb.retention)[0];
  const ipPeriod = ipRule ? formatDuration(lang, ipRule.after) : undefined;
  return {
    id: 'usage-data',
    title: { en: 'What we record on every visit', de: 'Was wir bei jedem Besuch erfassen' },
    body: html`<p>${t({
      en: 'Each time your browser requests a page or a file from us, or a program calls our API, our server records the request. This happens whether or not you have an account, and without any cookie. We record:',
      de: 'Jedes Mal, wenn Ihr Browser eine Seite oder Datei bei uns abruft oder ein Programm unsere API aufruft, hält unser Server die Anfrage fest. Das geschieht unabhängig davon, ob Sie ein Konto haben, und ohne Cookie. Wir erfassen:',
    })}</p>
<ul>${fields.map((f) => html`<li>${f}</li>`)}</ul>
<p>${t({ en: 'Why', de: 'Zweck' })}: ${t(activity.purpose)} ${t({ en: 'Legal basis', de: 'Rechtsgrundlage' })}: ${article(lang, activity.legalBasis)}, ${t(basisText[activity.legalBasis])}.${activity.basisDetail ? html` ${t(activity.basisDetail)}` : ''}</p>
${
  ipPeriod
    ? html`<p>${
        lang === 'de'
          ? `Ihre vollständige IP-Adresse speichern wir getrennt von den übrigen Anfragedaten und bewahren sie ${ipPeriod} lang auf, um Angriffe zu erkennen und abzuwehren. Danach wird sie gelöscht; in den Anfrageprotokollen bleibt nur eine gekürzte Form, die keinen einzelnen Anschluss mehr erkennen lässt.`
          : `We store your full IP address apart from the other request data and keep it for ${ipPeriod} to detect and fend off attacks. After that it is deleted; the request records keep only a shortened form that no longer points to a single connection.`
      }</p>`
    : ''
}
<ul>${view.rules.map((r) => html`<li>${describeRule(lang, r)}</li>`)}</ul>
<p>${t({ en: 'We build no profiles from these records, and they hold no reference to your account.', de: 'Wir bilden aus diesen Protokollen keine Profile, und sie enthalten keinen Bezug zu Ihrem Konto.' })} <a href="#${activity.id}">${t({ en: 'Details of this processing in the full list', de: 'Einzelheiten zu dieser Verarbeitung in der vollständigen Liste' })}</a>.</p>`,
  };
}

// ---------------------------------------------------------------- 3. cookies

function vendorName(registry: ConsentRegistry, id: string): string {
  return registry.vendors.find((v) => v.template.id === id)?.template.name ?? id;
}

/** Every cookie of the registry with purpose, lifetime, category, party and who sets it (also on the cookie settings page). */
export function cookieTable(lang: Lang, registry: ConsentRegistry, company: string): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  const party = (p: 'first' | 'third') =>
    p === 'first'
      ? t({ en: 'first party (our domain)', de: 'Erstanbieter (unsere Domain)' })
      : t({ en: 'third party (the provider’s domain)', de: 'Drittanbieter (Domain des Anbieters)' });
  return html`<table>
<caption>${t({ en: 'Every cookie this site may set', de: 'Alle Cookies, die diese Website setzen kann' })}</caption>
<thead><tr><th scope="col">${t({ en: 'Name', de: 'Name' })}</th><th scope="col">${t({ en: 'Purpose', de: 'Zweck' })}</th><th scope="col">${t({ en: 'Lifetime', de: 'Speicherdauer' })}</th><th scope="col">${t({ en: 'Category', de: 'Kategorie' })}</th><th scope="col">${t({ en: 'First or third party', de: 'Erst- oder Drittanbieter' })}</th><th scope="col">${t({ en: 'Set by', de: 'Gesetzt von' })}</th></tr></thead>
<tbody>${registry.cookies.map(
    (c) =>
      html`<tr><th scope="row"><code>${c.name}</code></th><td>${t(c.purpose)}</td><td>${t(c.lifetime)}</td><td>${t(categoryInfo[c.category].name)}</td><td>${party(c.party)}</td><td>${c.owner === 'candor' ? company : vendorName(registry, c.owner)}</td></tr>`,
  )}</tbody>
</table>`;
}

/** "in the <cookie settings>" where a feature offers them; else how to write to the data protection officer. */
function cookieSettingsPlace(lang: Lang, { dataMap, operator }: PolicyInput, inThe: Text): SafeHtml {
  const settings = linkFor(dataMap.links, 'cookie-settings');
  if (settings) return html`${tr(lang, inThe)} ${pageLink(lang, settings)}`;
  return html`${tr(lang, { en: 'by writing to our data protection officer at', de: 'per Nachricht an unsere(n) Datenschutzbeauftragte(n) unter' })} ${mailto(operator.dpo.email)}`;
}

function cookiesSection(lang: Lang, input: PolicyInput): Section {
  const { registry, operator } = input;
  const t = (text: Text) => tr(lang, text);
  const used = new Set<ConsentCategory>(registry.cookies.map((c) => c.category));
  for (const v of registry.vendors) used.add(v.template.category);
  const categories = (['necessary', ...optionalCategories] as ConsentCategory[]).filter((c) => used.has(c));
  const wildcard = registry.cookies.some((c) => c.name.endsWith('*'));
  return {
    id: 'cookies',
    title: { en: 'Cookies', de: 'Cookies' },
    body: html`<p>${t({
      en: 'Cookies are small pieces of text that a website stores in your browser and reads again later. We set cookies that the site needs for something you asked for without asking first (§ 25(2) no. 2 TDDDG). Every other cookie is set only after you agreed to its category (§ 25(1) TDDDG, Art. 6(1)(a) GDPR).',
      de: 'Cookies sind kleine Textdateien, die eine Website in Ihrem Browser ablegt und später wieder ausliest. Cookies, die die Website für eine von Ihnen gewünschte Funktion braucht, setzen wir ohne vorherige Nachfrage (§ 25 Abs. 2 Nr. 2 TDDDG). Jedes andere Cookie wird erst gesetzt, nachdem Sie seiner Kategorie zugestimmt haben (§ 25 Abs. 1 TDDDG, Art. 6 Abs. 1 lit. a DSGVO).',
    })}</p>
<dl>${categories.map((c) => html`<dt>${t(categoryInfo[c].name)}</dt><dd>${t(categoryInfo[c].description)}</dd>`)}</dl>
${cookieTable(lang, registry, operator.company)}
${wildcard ? html`<p>${t({ en: 'A name ending in * stands for every cookie whose name starts that way.', de: 'Ein Name, der auf * endet, steht für alle Cookies, deren Name so beginnt.' })}</p>` : ''}
<p>${t({ en: 'You can change or withdraw your choices at any time', de: 'Ihre Auswahl können Sie jederzeit ändern oder widerrufen' })} ${cookieSettingsPlace(lang, input, { en: 'in the', de: 'in den' })}. ${t(
      {
        en: 'When you withdraw, the services concerned stop loading, and cookies they placed under our domain are expired with the next page. Cookies under a provider’s own domain can be deleted in your browser.',
        de: 'Nach einem Widerruf werden die betroffenen Dienste nicht mehr geladen, und Cookies, die sie unter unserer Domain abgelegt haben, laufen mit der nächsten Seite ab. Cookies unter der eigenen Domain eines Anbieters können Sie in Ihrem Browser löschen.',
      },
    )}</p>
<p>${t({
      en: 'You can also block cookies in your browser. Browsing the shop, the product pages and this policy keeps working. Only what has to recognise you from one page to the next stops working: the basket, signing in and sending forms need the necessary cookies listed above.',
      de: 'Sie können Cookies auch in Ihrem Browser sperren. Shop, Produktseiten und diese Erklärung bleiben nutzbar. Nur was Sie von Seite zu Seite wiedererkennen muss, funktioniert dann nicht: Warenkorb, Anmeldung und das Absenden von Formularen brauchen die oben genannten notwendigen Cookies.',
    })}</p>`,
  };
}

// ---------------------------------------------------------------- 4. third-party providers

function vendorBlock(lang: Lang, vendor: EnabledVendor, registry: ConsentRegistry): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  const v = vendor.template;
  const cookies = registry.cookies.filter((c) => c.owner === v.id);
  return html`<section id="vendor-${v.id}">
<h4>${v.name}</h4>
<dl>
<dt>${t({ en: 'Provider', de: 'Anbieter' })}</dt><dd>${v.company.name}, ${v.company.address}</dd>
<dt>${t({ en: 'Purpose', de: 'Zweck' })}</dt><dd>${t(v.purpose)}</dd>
<dt>${t({ en: 'Data the provider receives', de: 'Daten, die der Anbieter erhält' })}</dt><dd>${t(v.dataTransferred)}</dd>
<dt>${t({ en: 'Transfer outside the EU/EEA', de: 'Übermittlung außerhalb der EU/des EWR' })}</dt>
<dd>${
    v.thirdCountry.transfer
      ? html`${t({ en: 'Yes, to', de: 'Ja, in folgende Länder' })}: ${countryNames(lang, v.thirdCountry.countries)}. ${t({ en: 'Safeguard', de: 'Garantie' })}: ${t(v.thirdCountry.safeguard)}`
      : t({ en: 'No; the data stays in the EU/EEA.', de: 'Nein; die Daten bleiben in der EU bzw. im EWR.' })
  }</dd>
<dt>${t({ en: 'Cookies', de: 'Cookies' })}</dt>
<dd>${cookies.length === 0 ? t({ en: 'none', de: 'keine' }) : cookies.map((c, i) => html`${i > 0 ? ', ' : ''}<code>${c.name}</code>`)}</dd>
<dt>${t({ en: 'More information', de: 'Weitere Informationen' })}</dt>
<dd><ul>
<li>${externalLink(v.privacyPolicyUrl, lang === 'de' ? `Datenschutzerklärung von ${v.name}` : `Privacy policy of ${v.name}`)}</li>
<li>${externalLink(v.optOutUrl, lang === 'de' ? `Widerspruch (Opt-out) direkt bei ${v.name}` : `Opt out directly with ${v.name}`)}</li>
</ul></dd>
</dl>
</section>`;
}

function providersSection(lang: Lang, input: PolicyInput): Section {
  const { registry, operator } = input;
  const t = (text: Text) => tr(lang, text);
  const title = { en: 'Services of other companies', de: 'Dienste anderer Unternehmen' };
  if (registry.vendors.length === 0) {
    return {
      id: 'providers',
      title,
      body: html`<p>${t({
        en: 'We do not embed services of other companies: no script, image or font on our pages is loaded from another company’s servers.',
        de: 'Wir binden keine Dienste anderer Unternehmen ein: Kein Skript, Bild oder Schriftart auf unseren Seiten wird von Servern eines anderen Unternehmens geladen.',
      })}</p>`,
    };
  }
  const byCategory = optionalCategories
    .map((category) => ({ category, vendors: registry.vendors.filter((v) => v.template.category === category) }))
    .filter((g) => g.vendors.length > 0);
  const marketing = registry.vendors.filter((v) => v.template.category === 'marketing');
  const google = registry.vendors.filter((v) => v.template.googleConsentMode);
  return {
    id: 'providers',
    title,
    body: html`<p>${t({
      en: 'With your consent we use the services listed below. Their scripts are loaded only after you agreed to their category and to the service itself; until then your browser does not contact them, and our server blocks their cookies. Legal basis: your consent under Art. 6(1)(a) GDPR and § 25(1) TDDDG.',
      de: 'Mit Ihrer Einwilligung nutzen wir die unten aufgeführten Dienste. Ihre Skripte werden erst geladen, nachdem Sie der Kategorie und dem einzelnen Dienst zugestimmt haben; bis dahin nimmt Ihr Browser keinen Kontakt zu ihnen auf, und unser Server blockiert ihre Cookies. Rechtsgrundlage: Ihre Einwilligung nach Art. 6 Abs. 1 lit. a DSGVO und § 25 Abs. 1 TDDDG.',
    })}</p>
<p>${t({ en: 'You can withdraw your consent at any time, as easily as you gave it,', de: 'Sie können Ihre Einwilligung jederzeit so einfach widerrufen, wie Sie sie erteilt haben,' })} ${cookieSettingsPlace(lang, input, { en: 'in the', de: 'in den' })}. ${t(
      {
        en: 'The withdrawal applies from then on; it does not make earlier processing unlawful.',
        de: 'Der Widerruf wirkt ab diesem Zeitpunkt; frühere Verarbeitung bleibt davon unberührt.',
      },
    )}</p>
${byCategory.map(
  (g) => html`<section id="providers-${g.category}">
<h3>${t(categoryInfo[g.category].name)}</h3>
<p>${t(categoryInfo[g.category].description)}</p>
${g.vendors.map((v) => vendorBlock(lang, v, registry))}
</section>`,
)}
${
  marketing.length > 0
    ? html`<section id="retargeting">
<h3>${t({ en: 'Retargeting', de: 'Retargeting' })}</h3>
<p>${t({
        en: 'The marketing services place a cookie that lets their advertising network recognise your browser when you later visit other websites that belong to it. Those websites can then show you advertisements for products you looked at here. This happens only if you agreed to the category Marketing and to the service.',
        de: 'Die Marketing-Dienste legen ein Cookie ab, an dem ihr Werbenetzwerk Ihren Browser wiedererkennt, wenn Sie später andere Websites dieses Netzwerks besuchen. Diese Websites können Ihnen dann Werbung für Produkte zeigen, die Sie sich hier angesehen haben. Das geschieht nur, wenn Sie der Kategorie Marketing und dem jeweiligen Dienst zugestimmt haben.',
      })}</p>
<p>${t({ en: 'Retargeting services we use:', de: 'Von uns genutzte Retargeting-Dienste:' })}</p>
<ul>${marketing.map((v) => html`<li><a href="#vendor-${v.template.id}">${v.template.name}</a></li>`)}</ul>
<p>${t({
        en: 'Besides withdrawing your consent here, you can object to interest-based advertising directly with each provider through the opt-out link given in its entry.',
        de: 'Neben dem Widerruf Ihrer Einwilligung bei uns können Sie interessenbasierter Werbung auch direkt beim jeweiligen Anbieter über den in seinem Eintrag genannten Opt-out-Link widersprechen.',
      })}</p>
</section>
<section id="global-privacy-control">
<h3>${t({ en: 'Global Privacy Control', de: 'Global Privacy Control' })}</h3>
<p>${t({
        en: 'If your browser or an extension sends the Global Privacy Control signal (the request header Sec-GPC: 1), we treat it as a refusal of marketing: the category Marketing is switched off for every request that carries the signal. Only a choice you make in the cookie settings while the signal is on can switch it back on.',
        de: 'Sendet Ihr Browser oder eine Erweiterung das Signal Global Privacy Control (den Anfrage-Header Sec-GPC: 1), werten wir es als Ablehnung von Marketing: Die Kategorie Marketing ist für jede Anfrage mit diesem Signal ausgeschaltet. Nur eine Auswahl, die Sie bei eingeschaltetem Signal in den Cookie-Einstellungen treffen, kann sie wieder einschalten.',
      })}</p>
</section>`
    : ''
}
${
  google.length > 0
    ? html`<section id="google-consent-mode">
<h3>${t({ en: 'Google Consent Mode', de: 'Google Consent Mode' })}</h3>
<p>${
        lang === 'de'
          ? `Für ${joinList(
              lang,
              google.map((v) => v.template.name),
            )} geben wir Ihre Auswahl zusätzlich als Signale des Google Consent Mode (Version 2) weiter: ob Analyse- und Werbe-Cookies gespeichert und ob Daten für Werbung und personalisierte Werbung verwendet werden dürfen. So halten sich auch Googles Tags an Ihre Entscheidung für jede einzelne Kategorie. Geladen werden diese Tags ohnehin nur nach Ihrer Einwilligung.`
          : `For ${joinList(
              lang,
              google.map((v) => v.template.name),
            )} we also pass your choices on as Google Consent Mode (version 2) signals: whether analytics and advertising cookies may be stored, and whether data may be used for advertising and for personalised advertising. This way Google's tags follow your decision for each category. The tags themselves load only after your consent in any case.`
      }</p>
</section>`
    : ''
}
${
  operator.tcf
    ? html`<section id="tcf">
<h3>${t({ en: 'IAB Transparency and Consent Framework', de: 'IAB Transparency and Consent Framework' })}</h3>
<p>${t({
        en: 'We also record your choices in the format of the IAB Transparency and Consent Framework (version 2.2), so that advertising providers registered in that framework can read what you agreed to. The string contains your choices only, not who you are.',
        de: 'Wir halten Ihre Auswahl zusätzlich im Format des IAB Transparency and Consent Framework (Version 2.2) fest, damit dort registrierte Werbeanbieter erkennen, wozu Sie eingewilligt haben. Die Zeichenkette enthält nur Ihre Auswahl, nicht wer Sie sind.',
      })}</p>
</section>`
    : ''
}`,
  };
}

// ---------------------------------------------------------------- 5. social links

function socialSection(lang: Lang, { registry }: PolicyInput): Section {
  const t = (text: Text) => tr(lang, text);
  const names = registry.social.map((s) => s.name);
  return {
    id: 'social-links',
    title: { en: 'Links to social networks', de: 'Links zu sozialen Netzwerken' },
    body: html`<p>${
      lang === 'de'
        ? `Unsere Seiten verlinken auf unsere Auftritte bei ${joinList(lang, names)}.`
        : `Our pages link to our profiles on ${joinList(lang, names)}.`
    } ${t({
      en: 'These are plain links: no button, script, image or font is loaded from these networks, so they learn nothing about your visit to our site. Only when you click a link does your browser open the network’s page, and from then on its own privacy policy applies. Our site tells other sites nothing about the page you came from.',
      de: 'Es handelt sich um einfache Links: Von diesen Netzwerken wird weder ein Button noch ein Skript, Bild oder eine Schriftart geladen, sie erfahren also nichts über Ihren Besuch bei uns. Erst wenn Sie einen Link anklicken, öffnet Ihr Browser die Seite des Netzwerks; ab dann gilt dessen eigene Datenschutzerklärung. Unsere Website teilt anderen Websites nicht mit, von welcher Seite Sie kommen.',
    })}</p>`,
  };
}

// ---------------------------------------------------------------- 6. processing activities

function activitySection(lang: Lang, view: ActivityView): SafeHtml {
  const { activity } = view;
  const t = (text: Text) => tr(lang, text);
  const erasable = view.tables.some((tb) => tb.subject && tb.erasure?.action !== 'keep');
  const kept = view.tables.flatMap((tb) => (tb.erasure?.action === 'keep' ? [tb.erasure] : []));
  return html`<section id="${activity.id}">
<h4>${t(activity.name)}</h4>
<dl>
<dt>${t({ en: 'Why', de: 'Zweck' })}</dt><dd>${t(activity.purpose)}</dd>
<dt>${t({ en: 'Legal basis', de: 'Rechtsgrundlage' })}</dt>
<dd>${article(lang, activity.legalBasis)}: ${t(basisText[activity.legalBasis])}.${activity.basisDetail ? html` ${t(activity.basisDetail)}` : ''}</dd>
<dt>${t({ en: 'Whose data', de: 'Betroffene' })}</dt><dd>${t(activity.subjects)}</dd>
<dt>${t({ en: 'Which data', de: 'Welche Daten' })}</dt><dd>${view.categories.map((c) => t(categoryNames[c])).join('; ')}</dd>
<dt>${t({ en: 'Who receives it', de: 'Empfänger' })}</dt>
<dd>${
    activity.recipients.length === 0
      ? t({ en: 'Nobody outside our company.', de: 'Niemand außerhalb unseres Unternehmens.' })
      : html`<ul>${activity.recipients.map((r) => html`<li>${t(r.name)} (${r.kind === 'processor' ? t({ en: 'processor acting on our instructions', de: 'Auftragsverarbeiter nach unseren Weisungen' }) : t({ en: 'third party', de: 'Dritter' })}): ${r.receives.map((c) => t(categoryNames[c])).join(', ')}</li>`)}</ul>`
  }</dd>
<dt>${t({ en: 'How long', de: 'Speicherdauer' })}</dt>
<dd><ul>${view.rules.map((r) => html`<li>${describeRule(lang, r)}</li>`)}${kept.map(
    (k) =>
      html`<li>${t({ en: 'If you ask for erasure, this data is restricted instead of deleted; it is kept for', de: 'Auf einen Löschantrag hin werden diese Daten eingeschränkt statt gelöscht; Aufbewahrung:' })} ${t(k.until)} (${t(k.basis)}).</li>`,
  )}${erasable ? html`<li>${t({ en: 'Everything else is kept while you use the service and erased when you ask us to.', de: 'Alles Übrige bleibt gespeichert, solange Sie den Dienst nutzen, und wird auf Ihren Wunsch gelöscht.' })}</li>` : ''}${
    view.rules.length === 0 && kept.length === 0 && !erasable
      ? html`<li>${t({ en: 'No automatic deletion period applies to this data.', de: 'Für diese Daten gilt keine automatische Löschfrist.' })}</li>`
      : ''
  }</ul></dd>
</dl>
</section>`;
}

function processingSection(lang: Lang, views: ActivityView[]): Section {
  const t = (text: Text) => tr(lang, text);
  const groups = basisGroups
    .map((g) => ({ ...g, views: views.filter((v) => v.activity.legalBasis === g.basis) }))
    .filter((g) => g.views.length > 0);
  return {
    id: 'processing',
    title: { en: 'What we process, why, and for how long', de: 'Was wir verarbeiten, warum und wie lange' },
    body: html`<p>${t({
      en: 'Here is every purpose for which we process personal data, grouped by its legal basis. Each retention period is carried out automatically by our software.',
      de: 'Hier steht jeder Zweck, zu dem wir personenbezogene Daten verarbeiten, geordnet nach Rechtsgrundlage. Jede Speicherfrist setzt unsere Software automatisch um.',
    })}</p>
${groups.map(
  (g) => html`<section id="basis-${g.basis}">
<h3>${t(g.title)} (${article(lang, g.basis)})</h3>
${g.views.map((v) => activitySection(lang, v))}
</section>`,
)}`,
  };
}

// ---------------------------------------------------------------- 7. recipients

interface RecipientSummary {
  id: string;
  name: Text;
  kind: 'processor' | 'third-party';
  receives: Category[];
  activities: Activity[];
}

function collectRecipients(views: ActivityView[]): RecipientSummary[] {
  const byId = new Map<string, RecipientSummary>();
  for (const { activity } of views) {
    for (const r of activity.recipients) {
      const known = byId.get(r.id) ?? { id: r.id, name: r.name, kind: r.kind, receives: [], activities: [] };
      for (const c of r.receives) if (!known.receives.includes(c)) known.receives.push(c);
      if (!known.activities.includes(activity)) known.activities.push(activity);
      // A recipient that acts for itself in any activity is a third party for the reader.
      if (r.kind === 'third-party') known.kind = 'third-party';
      byId.set(r.id, known);
    }
  }
  return [...byId.values()];
}

function recipientsSection(lang: Lang, input: PolicyInput, views: ActivityView[]): Section {
  const t = (text: Text) => tr(lang, text);
  const recipients = collectRecipients(views);
  const disclosure = views.find((v) => v.activity.role === 'disclosure-record');
  return {
    id: 'recipients',
    title: { en: 'Who receives your data', de: 'Wer Ihre Daten erhält' },
    body: html`<p>${t({
      en: 'A processor handles data only on our behalf and on our instructions, under a contract as Art. 28 GDPR requires. A third party decides for itself what it does with the data it receives. Each recipient gets only the data listed for it; our software refuses to hand over anything else.',
      de: 'Ein Auftragsverarbeiter verarbeitet Daten nur in unserem Auftrag und nach unseren Weisungen, auf Grundlage eines Vertrags nach Art. 28 DSGVO. Ein Dritter entscheidet selbst, was er mit den erhaltenen Daten tut. Jeder Empfänger erhält nur die für ihn genannten Daten; unsere Software verweigert die Weitergabe von allem anderen.',
    })}</p>
${
  recipients.length === 0
    ? html`<p>${t({ en: 'No company outside ours receives personal data from the processing described here.', de: 'Kein Unternehmen außerhalb unseres eigenen erhält personenbezogene Daten aus der hier beschriebenen Verarbeitung.' })}</p>`
    : html`<table>
<caption>${t({ en: 'Recipients of personal data', de: 'Empfänger personenbezogener Daten' })}</caption>
<thead><tr><th scope="col">${t({ en: 'Recipient', de: 'Empfänger' })}</th><th scope="col">${t({ en: 'Role', de: 'Rolle' })}</th><th scope="col">${t({ en: 'What it receives', de: 'Was er erhält' })}</th><th scope="col">${t({ en: 'For', de: 'Wofür' })}</th></tr></thead>
<tbody>${recipients.map(
        (r) =>
          html`<tr><th scope="row">${t(r.name)}</th><td>${r.kind === 'processor' ? t({ en: 'processor', de: 'Auftragsverarbeiter' }) : t({ en: 'third party', de: 'Dritter' })}</td><td>${r.receives.map((c) => t(categoryNames[c])).join('; ')}</td><td>${r.activities.map((a, i) => html`${i > 0 ? ', ' : ''}<a href="#${a.id}">${t(a.name)}</a>`)}</td></tr>`,
      )}</tbody>
</table>`
}
${
  input.registry.vendors.length > 0
    ? html`<p>${t({ en: 'The', de: 'Die' })} <a href="#providers">${t({ en: 'services of other companies', de: 'Dienste anderer Unternehmen' })}</a> ${t(
        {
          en: 'receive data only after your consent, and only what their entries say.',
          de: 'erhalten Daten nur nach Ihrer Einwilligung und nur in dem dort genannten Umfang.',
        },
      )}</p>`
    : ''
}
${
  disclosure
    ? html`<p>${t({
        en: 'Public authorities, such as the police or a public prosecutor, receive data only where the law obliges us to hand it over, for example when an offence is suspected. We record every such disclosure:',
        de: 'Behörden wie Polizei oder Staatsanwaltschaft erhalten Daten nur, wenn das Gesetz uns zur Herausgabe verpflichtet, etwa beim Verdacht einer Straftat. Jede solche Herausgabe halten wir fest:',
      })} <a href="#${disclosure.activity.id}">${t(disclosure.activity.name)}</a>.</p>`
    : ''
}
<p>${t({ en: 'We pass your data to nobody else, and we never sell it.', de: 'Darüber hinaus geben wir Ihre Daten an niemanden weiter, und wir verkaufen sie nie.' })}</p>`,
  };
}

// ---------------------------------------------------------------- 8. rights

const OBJECTION_TITLE: Text = { en: 'Your right to object', de: 'Ihr Widerspruchsrecht' };

/**
 * The right to object, set apart from every other text as Art. 21(4) GDPR asks, and kept apart from withdrawing a
 * consent: case by case for what rests on legitimate interests, and always for direct marketing.
 */
function objectionSection(lang: Lang, input: PolicyInput, views: ActivityView[]): Section {
  const t = (text: Text) => tr(lang, text);
  const dpoLine = html`${t({ en: 'write to our data protection officer at', de: 'schreiben Sie an unsere(n) Datenschutzbeauftragte(n) unter' })} ${mailto(input.operator.dpo.email)}`;
  const interests = views.filter((v) => v.activity.legalBasis === 'legitimate-interests');
  const links = input.dataMap.links;
  const cookieSettings = linkFor(links, 'cookie-settings');
  const marketing = links.filter(
    (l) => l.right === 'object-direct-marketing' && views.some((v) => v.activity.id === l.activity),
  );
  return {
    id: 'objection',
    title: { en: `${OBJECTION_TITLE.en} (Art. 21 GDPR)`, de: `${OBJECTION_TITLE.de} (Art. 21 DSGVO)` },
    highlight: true,
    body: html`<h3>${t({ en: 'Objection on grounds of your particular situation', de: 'Widerspruch aus Gründen Ihrer besonderen Situation' })}</h3>
<p>${t({
      en: `Where we process your data on the basis of our legitimate interests (${article('en', 'legitimate-interests')}), you have the right to object at any time, on grounds relating to your particular situation. We then no longer process your data for that purpose, unless we can demonstrate compelling legitimate grounds for the processing which override your interests, rights and freedoms, or the processing serves the establishment, exercise or defence of legal claims.`,
      de: `Soweit wir Ihre Daten auf Grundlage berechtigter Interessen verarbeiten (${article('de', 'legitimate-interests')}), haben Sie das Recht, aus Gründen, die sich aus Ihrer besonderen Situation ergeben, jederzeit Widerspruch einzulegen. Wir verarbeiten Ihre Daten dann für diesen Zweck nicht mehr, es sei denn, wir können zwingende schutzwürdige Gründe für die Verarbeitung nachweisen, die Ihre Interessen, Rechte und Freiheiten überwiegen, oder die Verarbeitung dient der Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen.`,
    })}</p>
${
  interests.length > 0
    ? html`<p>${t({ en: 'This concerns:', de: 'Das betrifft:' })}</p>
<ul>${interests.map((v) => html`<li><a href="#${v.activity.id}">${t(v.activity.name)}</a></li>`)}</ul>`
    : ''
}
<p>${t({ en: 'How: ', de: 'So üben Sie dieses Recht aus: ' })}${dpoLine}.</p>
<h3>${t({ en: 'Objection to direct marketing', de: 'Widerspruch gegen Direktwerbung' })}</h3>
<p>${t({
      en: 'Where we use your data for direct marketing, you may object at any time and without giving reasons; this includes profiling connected with such marketing. We then no longer use your data for it.',
      de: 'Verwenden wir Ihre Daten für Direktwerbung, können Sie dem jederzeit und ohne Angabe von Gründen widersprechen; das gilt auch für ein damit verbundenes Profiling. Wir verwenden Ihre Daten dann nicht mehr dafür.',
    })}${marketing.map(
      (l) => html`${l.before ? ` ${t(l.before)}` : ''} ${pageLink(lang, l)}${l.after ? ` ${t(l.after)}` : '.'}`,
    )} ${
      cookieSettings
        ? html`${t({ en: 'For advertising cookies, use the', de: 'Für Werbe-Cookies nutzen Sie die' })} ${pageLink(lang, cookieSettings)}`
        : html`${t({ en: 'For advertising cookies,', de: 'Für Werbe-Cookies' })} ${dpoLine}`
    }.</p>
<p>${t({
      en: 'An objection is not the same as withdrawing a consent: where we process data because you consented, see',
      de: 'Ein Widerspruch ist etwas anderes als der Widerruf einer Einwilligung: Wo wir Daten aufgrund Ihrer Einwilligung verarbeiten, siehe',
    })} <a href="#right-withdrawal">${t({ en: 'Withdrawing consent', de: 'Widerruf einer Einwilligung' })}</a>.</p>`,
  };
}

function rightsSection(lang: Lang, input: PolicyInput): Section {
  const { operator, dataMap } = input;
  const t = (text: Text) => tr(lang, text);
  const dpo = mailto(operator.dpo.email);
  const sa = operator.supervisoryAuthority;
  const kept = [
    ...new Map(
      dataMap.tables.flatMap((tb) =>
        tb.erasure?.action === 'keep'
          ? [
              [
                `${tb.activity}|${t(tb.erasure.until)}`,
                { activity: dataMap.activity(tb.activity), until: tb.erasure.until, basis: tb.erasure.basis },
              ] as const,
            ]
          : [],
      ),
    ).values(),
  ];
  const links = dataMap.links;
  const [access, portability, profile, password] = (
    ['access', 'portability', 'rectification', 'password'] as const
  ).map((r) => linkFor(links, r));
  const right = (id: string, title: Text, art: string, body: SafeHtml) => html`<section id="right-${id}">
<h3>${t(title)} (${gdpr(lang, art)})</h3>
${body}
</section>`;
  const dpoLine = html`${t({ en: 'write to our data protection officer at', de: 'schreiben Sie an unsere(n) Datenschutzbeauftragte(n) unter' })} ${dpo}`;
  return {
    id: 'rights',
    title: { en: 'Your rights and how to use them', de: 'Ihre Rechte und wie Sie sie ausüben' },
    body: html`<p>${t({
      en: 'Using your rights costs you nothing. Where we cannot tell from your account who you are, we may ask you to confirm your identity before we answer, so that nobody else receives your data.',
      de: 'Die Ausübung Ihrer Rechte ist für Sie kostenlos. Wenn wir nicht anhand Ihres Kontos erkennen können, wer Sie sind, bitten wir Sie gegebenenfalls um eine Bestätigung Ihrer Identität, damit niemand sonst Ihre Daten erhält.',
    })}</p>
${right(
  'access',
  { en: 'Access', de: 'Auskunft' },
  '15',
  html`<p>${t({
    en: 'You can learn which data we hold about you, where it came from, who received it, for what purposes and for how long we keep it.',
    de: 'Sie können erfahren, welche Daten wir über Sie speichern, woher sie stammen, wer sie erhalten hat, zu welchen Zwecken und wie lange wir sie aufbewahren.',
  })}</p>
<p>${
    access
      ? html`${t({ en: 'How: when signed in, download everything at once from', de: 'So geht es: Laden Sie angemeldet alles auf einmal herunter unter' })} ${pageLink(lang, access)}${linkNote(lang, access)}; ${t({ en: 'or', de: 'oder' })}`
      : t({ en: 'How:', de: 'So geht es:' })
  } ${dpoLine}.</p>`,
)}
${right(
  'rectification',
  { en: 'Rectification', de: 'Berichtigung' },
  '16',
  html`<p>${t({ en: 'You can have wrong data corrected and incomplete data completed.', de: 'Sie können falsche Daten berichtigen und unvollständige Daten vervollständigen lassen.' })}</p>
<p>${
    profile
      ? html`${t({ en: 'How: change your name and contact details yourself in', de: 'So geht es: Ändern Sie Namen und Kontaktdaten selbst in' })} ${pageLink(lang, profile)}${
          password
            ? html`${t({ en: ', and your password under', de: ', Ihr Passwort unter' })} ${pageLink(lang, password)}`
            : ''
        }. ${t({ en: 'For anything else,', de: 'Für alles Weitere' })}`
      : t({ en: 'How:', de: 'So geht es:' })
  } ${dpoLine}.</p>`,
)}
${right(
  'erasure',
  { en: 'Erasure', de: 'Löschung' },
  '17',
  html`<p>${t({
    en: 'You can have your data erased where we no longer need it, where you withdraw the consent it rests on, or where you successfully object. Data that the law obliges us to keep is not deleted at once: we restrict it, so that it is used for nothing else, and delete it when the period ends.',
    de: 'Sie können Ihre Daten löschen lassen, wenn wir sie nicht mehr benötigen, wenn Sie die zugrunde liegende Einwilligung widerrufen oder wenn Sie erfolgreich widersprechen. Daten, die wir gesetzlich aufbewahren müssen, werden nicht sofort gelöscht: Wir schränken sie ein, sodass sie für nichts anderes verwendet werden, und löschen sie mit Ablauf der Frist.',
  })}</p>
${
  kept.length > 0
    ? html`<ul>${kept.map((k) => html`<li><a href="#${k.activity.id}">${t(k.activity.name)}</a>: ${t(k.until)} (${t(k.basis)})</li>`)}</ul>`
    : ''
}
<p>${t({ en: 'How:', de: 'So geht es:' })} ${dpoLine}${t({
    en: ', preferably from the email address of your account.',
    de: ', am besten von der E-Mail-Adresse Ihres Kontos aus.',
  })}</p>`,
)}
${right(
  'restriction',
  { en: 'Restriction of processing', de: 'Einschränkung der Verarbeitung' },
  '18',
  html`<p>${t({
    en: 'You can ask us to keep your data but not otherwise use it, for example while we check whether it is correct or while your objection is being decided.',
    de: 'Sie können verlangen, dass wir Ihre Daten nur noch speichern und nicht anders verwenden, etwa solange wir ihre Richtigkeit prüfen oder über Ihren Widerspruch entschieden wird.',
  })}</p>
<p>${t({ en: 'How:', de: 'So geht es:' })} ${dpoLine}.</p>`,
)}
${right(
  'portability',
  { en: 'Data portability', de: 'Datenübertragbarkeit' },
  '20',
  html`<p>${t({
    en: 'You can receive the data you gave us in a structured, common, machine-readable format and pass it on to someone else.',
    de: 'Sie können die Daten, die Sie uns gegeben haben, in einem strukturierten, gängigen und maschinenlesbaren Format erhalten und an andere weitergeben.',
  })}</p>
<p>${
    portability
      ? html`${t({ en: 'How: the download under', de: 'So geht es: Der Download unter' })} ${pageLink(lang, portability)}${linkNote(lang, portability)} ${t(
          {
            en: 'is a JSON file made for exactly this; or',
            de: 'ist eine JSON-Datei, genau dafür gemacht; oder',
          },
        )}`
      : t({ en: 'How:', de: 'So geht es:' })
  } ${dpoLine}.</p>`,
)}
${right(
  'objection',
  { en: 'Objection', de: 'Widerspruch' },
  '21',
  html`<p>${t({
    en: 'Your right to object to processing based on our legitimate interests, and to direct marketing, is set out on its own:',
    de: 'Ihr Recht, einer Verarbeitung auf Grundlage unserer berechtigten Interessen und der Direktwerbung zu widersprechen, ist gesondert dargestellt:',
  })} <a href="#objection">${t(OBJECTION_TITLE)}</a>.</p>`,
)}
${right(
  'withdrawal',
  { en: 'Withdrawing consent', de: 'Widerruf einer Einwilligung' },
  '7(3)',
  html`<p>${t({
    en: 'You can withdraw any consent you gave us at any time, as easily as you gave it. The withdrawal works for the future; processing before it stays lawful.',
    de: 'Jede Einwilligung können Sie jederzeit so einfach widerrufen, wie Sie sie erteilt haben. Der Widerruf wirkt für die Zukunft; die Verarbeitung bis dahin bleibt rechtmäßig.',
  })}</p>
<p>${t({ en: 'How: for cookies and the services of other companies', de: 'So geht es: Für Cookies und Dienste anderer Unternehmen' })} ${cookieSettingsPlace(lang, input, { en: 'in the', de: 'in den' })}${t(
    {
      en: '; for emails you agreed to, through the link in each of them; for anything else,',
      de: '; für E-Mails, denen Sie zugestimmt haben, über den Link in jeder davon; für alles andere',
    },
  )} ${dpoLine}.</p>`,
)}
${right(
  'complaint',
  { en: 'Complaint to a supervisory authority', de: 'Beschwerde bei einer Aufsichtsbehörde' },
  '77',
  html`<p>${t({
    en: 'If you believe that our processing of your data breaks data protection law, you can complain to a supervisory authority, in particular in the member state where you live or work or where the suspected breach took place. You do not have to contact us first. The authority responsible for us is:',
    de: 'Wenn Sie meinen, dass unsere Verarbeitung Ihrer Daten gegen das Datenschutzrecht verstößt, können Sie sich bei einer Aufsichtsbehörde beschweren, insbesondere in dem Mitgliedstaat, in dem Sie wohnen oder arbeiten oder in dem der mutmaßliche Verstoß stattfand. Sie müssen sich vorher nicht an uns wenden. Für uns zuständig ist:',
  })}</p>
<address>${sa.name}<br>${sa.address.map((l) => html`${l}<br>`)}${externalLink(sa.url, `Website: ${sa.url}`)}</address>`,
)}
<section id="right-response">
<h3>${t({ en: 'When we answer', de: 'Wann wir antworten' })} (${gdpr(lang, '12(3)')})</h3>
<p>${t({
      en: 'We answer within one month of receiving your request. Where requests are complex or numerous, we may extend this by up to two further months; if so, we tell you within the first month, with the reasons.',
      de: 'Wir antworten innerhalb eines Monats nach Eingang Ihres Antrags. Bei komplexen oder zahlreichen Anträgen können wir diese Frist um bis zu zwei weitere Monate verlängern; dann teilen wir Ihnen das innerhalb des ersten Monats mit Begründung mit.',
    })}</p>
</section>`,
  };
}

// ---------------------------------------------------------------- the document

export function renderPolicyBody(lang: Lang, input: PolicyInput): string {
  const t = (text: Text) => tr(lang, text);
  const views = describeActivities(input.dataMap);
  const usage = views.find((v) => v.activity.role === 'request-log');
  const record = linkFor(input.dataMap.links, 'processing-record');
  const sections: Section[] = [
    controllerSection(lang, input),
    ...(usage ? [usageSection(lang, usage)] : []),
    cookiesSection(lang, input),
    providersSection(lang, input),
    ...(input.registry.social.length > 0 ? [socialSection(lang, input)] : []),
    processingSection(lang, views),
    recipientsSection(lang, input, views),
    rightsSection(lang, input),
    objectionSection(lang, input, views),
  ];
  return html`<p>${t({
    en: 'This policy explains which personal data our website and online shop process, why, on which legal basis, for how long, and what rights you have. It is generated from the same description of our data that our software enforces, so what it says is what the shop does.',
    de: 'Diese Erklärung beschreibt, welche personenbezogenen Daten unsere Website und unser Onlineshop verarbeiten, warum, auf welcher Rechtsgrundlage, wie lange und welche Rechte Sie haben. Sie wird aus derselben Beschreibung unserer Daten erzeugt, die unsere Software durchsetzt; was hier steht, tut der Shop auch.',
  })}</p>
<nav aria-labelledby="contents">
<h2 id="contents">${t({ en: 'Contents', de: 'Inhalt' })}</h2>
<ol>${sections.map((s) => html`<li><a href="#${s.id}">${t(s.title)}</a></li>`)}</ol>
</nav>
${sections.map(
  (s) => html`<section id="${s.id}"${s.highlight ? html` class="notice"` : ''}>
<h2>${t(s.title)}</h2>
${s.body}
</section>
`,
)}${record ? html`<p>${pageLink(lang, record)}</p>` : ''}`.toString();
}

// ---------------------------------------------------------------- Art. 30 record

/** GDPR Art. 30 record, machine-readable, with the consent registry's vendors and cookies. */
export function processingRecord(input: PolicyInput) {
  const { dataMap, operator, registry } = input;
  const views = describeActivities(dataMap);
  const usageIpRule = views
    .find((v) => v.activity.role === 'request-log')
    ?.tables.filter((tb) => Object.values(tb.columns).includes('ip-address'))
    .flatMap((tb) => tb.retention)[0];
  return {
    controller: { name: operator.company, address: operator.address, email: operator.email },
    dataProtectionOfficer: operator.dpo,
    supervisoryAuthority: operator.supervisoryAuthority,
    policyHash: registry.hash,
    activities: views.map(({ activity, tables, files, categories, rules }) => ({
      id: activity.id,
      name: activity.name,
      purpose: activity.purpose,
      legalBasis: {
        code: activity.legalBasis,
        article: legalBasisArticle[activity.legalBasis],
        detail: activity.basisDetail ?? null,
      },
      consentCategory: activity.consentCategory ?? 'necessary',
      dataSubjects: activity.subjects,
      dataCategories: categories.map((c) => ({ code: c, name: categoryNames[c] })),
      recipients: activity.recipients.map((r) => ({ id: r.id, name: r.name, kind: r.kind, receives: r.receives })),
      // Only a recipient that is an enabled vendor with a declared transfer contributes; nothing is assumed.
      thirdCountryTransfers: activity.recipients.flatMap((r) => {
        const vendor = registry.vendors.find((v) => v.template.id === r.id)?.template;
        return vendor?.thirdCountry.transfer
          ? [{ recipient: r.id, countries: vendor.thirdCountry.countries, safeguard: vendor.thirdCountry.safeguard }]
          : [];
      }),
      retention: rules.map((r) => ({
        id: r.id,
        what: r.what,
        after: r.after,
        afterDays: 'days' in r.after ? r.after.days : null,
        from: r.fromEvent,
        action: r.action.kind,
        description: { en: describeRule('en', r), de: describeRule('de', r) },
      })),
      tables: tables.map((t) => ({ name: t.table, partitioned: t.partitioned ?? null, erasure: t.erasure })),
      files: files.map((f) => ({ id: f.id, directory: f.directory, erasure: f.erasure })),
    })),
    vendors: registry.vendors.map(({ template: v }) => ({
      id: v.id,
      name: v.name,
      company: v.company,
      category: v.category,
      purpose: v.purpose,
      dataTransferred: v.dataTransferred,
      thirdCountry: v.thirdCountry,
      optOutUrl: v.optOutUrl,
      privacyPolicyUrl: v.privacyPolicyUrl,
      cookies: registry.cookies.filter((c) => c.owner === v.id).map((c) => c.name),
    })),
    cookies: registry.cookies.map((c) => ({
      name: c.name,
      category: c.category,
      party: c.party,
      lifetime: c.lifetime,
      purpose: c.purpose,
      owner: c.owner,
    })),
    technicalMeasures: [
      'Passwords hashed with argon2id; session and mail tokens stored only as SHA-256 hashes',
      usageIpRule
        ? `Full IP addresses kept apart from usage data and removed after ${formatDuration('en', usageIpRule.after)}`
        : 'Full IP addresses kept apart from usage data',
      'Strict Content-Security-Policy; third-party hosts admitted only for vendors the visitor consented to',
      'Application logs free of personal data',
    ],
  };
}
