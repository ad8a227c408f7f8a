// Policy sections 1 and 2: who is responsible, and what is recorded on every visit.
import { html } from '../platform/html.ts';
import { tr, type Lang, type Text } from '../platform/i18n.ts';
import { categoryNames } from './data-map.ts';
import {
  type ActivityView,
  type PolicyInput,
  type Section,
  article,
  basisText,
  describeRule,
  formatDuration,
  mailto,
  ourDpo,
} from './policy.common.ts';

export const usageFieldLabels: Record<string, Text> = {
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
  ip_prefix: { en: 'your shortened IP address (see below)', de: 'Ihre gekürzte IP-Adresse (siehe unten)' },
};

// ---------------------------------------------------------------- 1. controller

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function controllerSection(lang: Lang, { operator }: PolicyInput): Section {
  const t = (text: Text) => tr(lang, text);
  return {
    id: 'controller',
    title: { en: 'Who is responsible', de: 'Verantwortlicher' },
    body: html`<p>${t({ en: 'The controller responsible for the processing described on this page is:', de: 'Verantwortlich für die auf dieser Seite beschriebene Verarbeitung ist:' })}</p>
<address>${operator.company}<br>${operator.address.map((l) => html`${l}<br>`)}${t({ en: 'Email', de: 'E-Mail' })}: ${mailto(operator.email)}</address>
<p id="dpo">${capitalise(ourDpo(lang, operator, 'nominative'))} ${t({ en: 'is', de: 'ist' })} ${operator.dpo.name}, ${t({ en: 'reachable at', de: 'erreichbar unter' })} ${mailto(operator.dpo.email)}. ${t(
      {
        en: 'Write there with any question about your data and to use any of the rights described below.',
        de: 'Wenden Sie sich dorthin mit allen Fragen zu Ihren Daten und zur Ausübung der unten beschriebenen Rechte.',
      },
    )}</p>`,
  };
}

// ---------------------------------------------------------------- 2. usage data

export function usageSection(lang: Lang, view: ActivityView): Section {
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
          ? `Ihre vollständige IP-Adresse speichern wir getrennt von den übrigen Anfragedaten und bewahren sie ${ipPeriod} lang auf, um Angriffe zu erkennen und abzuwehren. Danach wird sie gelöscht. Die Anfrageprotokolle enthalten von Anfang an nur eine gekürzte Adresse: bei IPv4 die ersten drei von vier Bytes (die letzten 8 Bit werden auf null gesetzt), bei IPv6 die ersten 48 von 128 Bit (das Netzpräfix; die letzten 80 Bit werden auf null gesetzt). Eine gekürzte IPv4-Adresse steht für bis zu 256 Adressen; ein IPv6-Präfix dieser Länge wird dagegen oft einem einzelnen Anschluss zugeteilt und kann daher weiterhin auf ihn verweisen.`
          : `We store your full IP address apart from the other request data and keep it for ${ipPeriod} to detect and fend off attacks. After that it is deleted. From the start, the request records hold only a shortened address: for IPv4 the first three of its four bytes (the last 8 bits set to zero), for IPv6 the first 48 of its 128 bits (the network prefix; the last 80 bits set to zero). A shortened IPv4 address is shared by up to 256 addresses; an IPv6 prefix of this length, however, is often assigned to a single connection and can therefore still point to it.`
      }</p>`
    : ''
}
${
  // The full IP's period is stated in the paragraph above; the list gives the other periods (the full list of
  // processing activities repeats every rule).
  view.rules.some((r) => r !== ipRule || !ipPeriod)
    ? html`<ul>${view.rules.filter((r) => r !== ipRule || !ipPeriod).map((r) => html`<li>${describeRule(lang, r)}</li>`)}</ul>`
    : ''
}
<p>${t({ en: 'We build no profiles from these records, and they hold no reference to your account.', de: 'Wir bilden aus diesen Protokollen keine Profile, und sie enthalten keinen Bezug zu Ihrem Konto.' })} <a href="#${activity.id}">${t({ en: 'Details of this processing in the full list', de: 'Einzelheiten zu dieser Verarbeitung in der vollständigen Liste' })}</a>.</p>`,
  };
}
