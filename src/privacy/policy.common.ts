// What the policy's sections share: the activities as the policy sees them, legal bases, article citations in
// both languages, periods and links.
import { html, type SafeHtml } from '../platform/html.ts';
import { countryName, tr, type Lang, type Text } from '../platform/i18n.ts';
import { defaultDpoTitle, type DpoTitle, type Operator } from '../platform/operator.ts';
import type { ConsentRegistry } from './consent/registry.ts';
import { linkFor, type PolicyLink } from './policy-links.ts';
import {
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

export const basisText: Record<LegalBasis, Text> = {
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

export const basisArticleDe: Record<LegalBasis, string> = {
  consent: 'Art. 6 Abs. 1 lit. a DSGVO',
  contract: 'Art. 6 Abs. 1 lit. b DSGVO',
  'legal-obligation': 'Art. 6 Abs. 1 lit. c DSGVO',
  'vital-interests': 'Art. 6 Abs. 1 lit. d DSGVO',
  'public-task': 'Art. 6 Abs. 1 lit. e DSGVO',
  'legitimate-interests': 'Art. 6 Abs. 1 lit. f DSGVO',
};

/** Headings of the groups in the list of processing activities, in the order they appear. */

/** The first letter in upper case: a reason stands after its label as a sentence of its own. */
const sentenceCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * One rule as two sentences: the period, then the statute or the reason for it. "Orders are deleted 8 years after
 * the end of the calendar year of the order. Why: Booking vouchers under § 147(1) no. 4 and (3) AO …". The reason
 * is a sentence of its own, not a bracket: reasons cite statutes with brackets of their own.
 */
export function describeRule(lang: Lang, rule: RetentionRule): string {
  const verb = rule.action.kind === 'clear' ? { en: 'removed', de: 'entfernt' } : { en: 'deleted', de: 'gelöscht' };
  // The data map gives the basis as a phrase without a final full stop (policy.retention.test.ts checks it).
  const basis = sentenceCase(
    tr(lang, rule.basis)
      .trim()
      .replace(/\.\s*$/, ''),
  );
  const reason = lang === 'de' ? ` Grund: ${basis}.` : ` Why: ${basis}.`;
  if ('months' in rule.after) {
    const m = rule.after.months;
    return lang === 'de'
      ? `${rule.what.de} werden ${m} ${m === 1 ? 'Monat' : 'Monate'} nach ${rule.fromEvent.de} ${verb.de}.${reason}`
      : `${rule.what.en} are ${verb.en} ${m} ${m === 1 ? 'month' : 'months'} after ${rule.fromEvent.en}.${reason}`;
  }
  if (!('days' in rule.after)) {
    const y = rule.after.years;
    return lang === 'de'
      ? `${rule.what.de} werden ${y} Jahre nach Ende des Kalenderjahres ${rule.fromEvent.de} ${verb.de}.${reason}`
      : `${rule.what.en} are ${verb.en} ${y} years after the end of the calendar year of ${rule.fromEvent.en}.${reason}`;
  }
  const days = rule.after.days;
  const when: Text =
    days === 0
      ? { en: `at ${rule.fromEvent.en}`, de: `bei ${rule.fromEvent.de}` }
      : {
          en: `${days} ${days === 1 ? 'day' : 'days'} after ${rule.fromEvent.en}`,
          de: `${days} ${days === 1 ? 'Tag' : 'Tage'} nach ${rule.fromEvent.de}`,
        };
  return lang === 'de'
    ? `${rule.what.de} werden ${when.de} ${verb.de}.${reason}`
    : `${rule.what.en} are ${verb.en} ${when.en}.${reason}`;
}

/** A period as a noun phrase in the nominative/accusative ("7 days", "7 Tage"). */
export function formatDuration(lang: Lang, d: Duration): string {
  if ('days' in d)
    return lang === 'de' ? `${d.days} ${d.days === 1 ? 'Tag' : 'Tage'}` : `${d.days} ${d.days === 1 ? 'day' : 'days'}`;
  if ('months' in d)
    return lang === 'de'
      ? `${d.months} ${d.months === 1 ? 'Monat' : 'Monate'}`
      : `${d.months} ${d.months === 1 ? 'month' : 'months'}`;
  return lang === 'de'
    ? `${d.years} Jahre ab Ende des Kalenderjahres`
    : `${d.years} years from the end of the calendar year`;
}

export function article(lang: Lang, basis: LegalBasis): string {
  return lang === 'de' ? basisArticleDe[basis] : legalBasisArticle[basis];
}

/** "Art. 7(3) GDPR" / "Art. 7 Abs. 3 DSGVO": German cites paragraphs and points as German law does. */
export function gdpr(lang: Lang, art: string): string {
  if (lang !== 'de') return `Art. ${art} GDPR`;
  const german = art.replace(
    /^(\d+)\((\d+)\)(?:\(([a-z])\))?$/,
    (_m, article: string, paragraph: string, point?: string) =>
      point ? `${article} Abs. ${paragraph} lit. ${point}` : `${article} Abs. ${paragraph}`,
  );
  return `Art. ${german} DSGVO`;
}

/** Only https addresses become links; anything else from configuration is shown as text. */
export function externalLink(url: string, label: string): SafeHtml {
  return /^https:\/\/[^\s"'<>]+$/.test(url)
    ? html`<a href="${url}" rel="noopener noreferrer">${label}</a>`
    : html`${label}: ${url}`;
}

/** Countries by name in running text ("Vereinigte Staaten, Kanada"): codes through i18n's countryName. */
export function countryNames(lang: Lang, codes: string[]): string {
  return codes.map((c) => countryName(lang, c)).join(', ');
}

export function joinList(lang: Lang, items: string[]): string {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
}

/** Items of markup joined as a list in running text: "a, b and c" / "a, b und c". */
export function joinHtml(lang: Lang, items: SafeHtml[]): SafeHtml {
  const and = lang === 'de' ? ' und ' : ' and ';
  return html`${items.map((item, i) => html`${i === 0 ? '' : i === items.length - 1 ? and : ', '}${item}`)}`;
}

/** A link to a page a feature declared for a right (its label is the feature's). */
export function pageLink(lang: Lang, link: PolicyLink): SafeHtml {
  return html`<a href="${link.href}">${tr(lang, link.label)}</a>`;
}

/** The link's note in brackets, with its leading space, or nothing. */
export function linkNote(lang: Lang, link: PolicyLink): string {
  return link.note ? ` (${tr(lang, link.note)})` : '';
}

export function mailto(email: string): SafeHtml {
  return html`<a href="mailto:${email}">${email}</a>`;
}

/** The grammatical case the DPO's title is needed in: German declines it ("an unseren Datenschutzbeauftragten"). */
export type GrammaticalCase = 'nominative' | 'accusative' | 'dative';

const germanDpo: Record<DpoTitle['de'], Record<GrammaticalCase, string>> = {
  Datenschutzbeauftragte: {
    nominative: 'unsere Datenschutzbeauftragte',
    accusative: 'unsere Datenschutzbeauftragte',
    dative: 'unserer Datenschutzbeauftragten',
  },
  Datenschutzbeauftragter: {
    nominative: 'unser Datenschutzbeauftragter',
    accusative: 'unseren Datenschutzbeauftragten',
    dative: 'unserem Datenschutzbeauftragten',
  },
};

/** "our data protection officer" / "unsere Datenschutzbeauftragte", in the operator's title and the case needed. */
export function ourDpo(lang: Lang, operator: Operator, grammaticalCase: GrammaticalCase): string {
  const title = operator.dpo.title ?? defaultDpoTitle;
  return lang === 'de' ? germanDpo[title.de][grammaticalCase] : `our ${title.en}`;
}

/** "write to our data protection officer at <mail>" / "schreiben Sie an unsere Datenschutzbeauftragte unter <mail>". */
export function writeToDpo(lang: Lang, operator: Operator, startsSentence = false): SafeHtml {
  return lang === 'de'
    ? html`${startsSentence ? 'Schreiben' : 'schreiben'} Sie an ${ourDpo(lang, operator, 'accusative')} unter ${mailto(operator.dpo.email)}`
    : html`write to ${ourDpo(lang, operator, 'accusative')} at ${mailto(operator.dpo.email)}`;
}

export interface Section {
  id: string;
  title: Text;
  body: SafeHtml;
  /** Shown set apart from the rest (the right to object must be, Art. 21(4) GDPR). */
  highlight?: boolean;
}

export interface ActivityView {
  activity: Activity;
  tables: TableMap[];
  /** Files under the data directory that the activity writes. */
  files: FileSetMap[];
  categories: Category[];
  rules: RetentionRule[];
  /** The activities whose tables this one `uses`: that data is kept as they say. */
  usesDataOf: Activity[];
}

/**
 * Activities that concern people, each with its data categories (the classifications of its own tables' columns,
 * of the columns of other tables it `uses`, and of its files' contents) and the retention rules of its tables.
 */
export function describeActivities(map: DataMap): ActivityView[] {
  return map.activities
    .map((activity) => {
      // Objection records are listed with each activity a person can object to, as well as with their own.
      const tables = map.tables.filter(
        (t) => t.activity === activity.id || (t.describesObjectable === true && activity.objectable === true),
      );
      const files = map.files.filter((f) => f.activity === activity.id);
      const used = (activity.uses ?? []).flatMap((u) => {
        const table = map.tables.find((t) => t.table === u.table);
        return table ? u.columns.map((c) => table.columns[c]) : [];
      });
      const categories = [
        ...new Set(
          [...tables.flatMap((t) => Object.values(t.columns)), ...used, ...files.flatMap((f) => f.contents)].filter(
            (c): c is Category => c !== undefined && c !== 'not-personal',
          ),
        ),
      ];
      // Files are deleted from their modification time, as a table's rows are from a column.
      const fileRules: RetentionRule[] = files.flatMap((f) =>
        f.retention.map((r) => ({ ...r, from: 'file-time', action: { kind: 'delete' as const } })),
      );
      const usesDataOf = [
        ...new Set(
          (activity.uses ?? []).flatMap((u) => {
            const owner = map.tables.find((t) => t.table === u.table)?.activity;
            return owner && owner !== activity.id ? [map.activity(owner)] : [];
          }),
        ),
      ];
      const rules = [...tables.flatMap((t) => t.retention), ...fileRules];
      return { activity, tables, files, categories, rules, usesDataOf };
    })
    .filter((v) => v.categories.length > 0);
}

/**
 * The consent model in one wording, used wherever the policy states it: a service of another company runs, and its
 * cookies are set, only when the visitor has agreed both to its category and to the service itself (the banner's
 * "accept" for a category selects each of its services, which the settings let one deselect).
 */
export const consentRule: Text = {
  en: 'only after you have consented both to its category and to the service itself',
  // German puts the verb first ("wird erst gesetzt, …"), so the sentence carries "erst" and the comma.
  de: 'nachdem Sie sowohl in seine Kategorie als auch in den einzelnen Dienst eingewilligt haben',
};

/** "in the <cookie settings>" where a feature offers them; else how to write to the data protection officer. */
export function cookieSettingsPlace(lang: Lang, { dataMap, operator }: PolicyInput, inThe: Text): SafeHtml {
  const settings = linkFor(dataMap.links, 'cookie-settings');
  if (settings) return html`${tr(lang, inThe)} ${pageLink(lang, settings)}`;
  return lang === 'de'
    ? html`per Nachricht an ${ourDpo(lang, operator, 'accusative')} unter ${mailto(operator.dpo.email)}`
    : html`by writing to ${ourDpo(lang, operator, 'accusative')} at ${mailto(operator.dpo.email)}`;
}
