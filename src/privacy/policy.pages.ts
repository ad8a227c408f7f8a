// The published privacy policy and the record of processing activities, both generated from the data map,
// so that what the policy says and what the platform does cannot drift apart.
import { html, type SafeHtml } from '../platform/html.ts';
import { tr, type Lang, type Text } from '../platform/i18n.ts';
import type { Operator } from '../platform/operator.ts';
import { layout, type PageContext } from '../features/shell/index.ts';
import { categoryNames, legalBasisArticle, type Activity, type Category, type DataMap, type RetentionRule, type TableMap } from './data-map.ts';

const basisText: Record<Activity['legalBasis'], Text> = {
  consent: { en: 'your consent', de: 'Ihre Einwilligung' },
  contract: { en: 'performing our contract with you, or steps before it', de: 'die Erfüllung unseres Vertrags mit Ihnen oder vorvertragliche Maßnahmen' },
  'legal-obligation': { en: 'a legal obligation we are subject to', de: 'eine rechtliche Verpflichtung, der wir unterliegen' },
  'vital-interests': { en: 'protecting vital interests', de: 'den Schutz lebenswichtiger Interessen' },
  'public-task': { en: 'a task in the public interest', de: 'eine Aufgabe im öffentlichen Interesse' },
  'legitimate-interests': { en: 'our legitimate interests', de: 'unsere berechtigten Interessen' },
};

export interface ActivityView {
  activity: Activity;
  tables: TableMap[];
  categories: Category[];
  rules: RetentionRule[];
}

/** Activities that concern people, each with the data categories and retention rules of its tables. */
export function describeActivities(map: DataMap): ActivityView[] {
  return map.activities
    .map((activity) => {
      const tables = map.tables.filter((t) => t.activity === activity.id);
      const categories = [...new Set(tables.flatMap((t) => Object.values(t.columns)).filter((c): c is Category => c !== 'not-personal'))];
      return { activity, tables, categories, rules: tables.flatMap((t) => t.retention) };
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
      : { en: `${days} ${days === 1 ? 'day' : 'days'} after ${rule.fromEvent.en}`, de: `${days} ${days === 1 ? 'Tag' : 'Tage'} nach ${rule.fromEvent.de}` };
  return lang === 'de' ? `${rule.what.de} werden ${when.de} ${verb.de}.` : `${rule.what.en} are ${verb.en} ${when.en}.`;
}

function activitySection(lang: Lang, view: ActivityView): SafeHtml {
  const { activity } = view;
  const t = (text: Text) => tr(lang, text);
  const erasable = view.tables.some((tb) => tb.subject && tb.erasure?.action !== 'keep');
  return html`<section id="${activity.id}" aria-labelledby="${activity.id}-h">
  <h3 id="${activity.id}-h">${t(activity.name)}</h3>
  <dl>
    <dt>${t({ en: 'Why', de: 'Zweck' })}</dt><dd>${t(activity.purpose)}</dd>
    <dt>${t({ en: 'Legal basis', de: 'Rechtsgrundlage' })}</dt>
    <dd>${legalBasisArticle[activity.legalBasis]}: ${t(basisText[activity.legalBasis])}.${activity.basisDetail ? html` ${t(activity.basisDetail)}` : ''}</dd>
    <dt>${t({ en: 'Whose data', de: 'Betroffene' })}</dt><dd>${t(activity.subjects)}</dd>
    <dt>${t({ en: 'Which data', de: 'Welche Daten' })}</dt><dd>${view.categories.map((c) => t(categoryNames[c])).join('; ')}</dd>
    <dt>${t({ en: 'Who receives it', de: 'Empfänger' })}</dt>
    <dd>${activity.recipients.length === 0
      ? t({ en: 'Nobody outside our company.', de: 'Niemand außerhalb unseres Unternehmens.' })
      : html`<ul>${activity.recipients.map((r) => html`<li>${t(r.name)} (${r.kind === 'processor' ? t({ en: 'processor acting on our instructions', de: 'Auftragsverarbeiter nach unseren Weisungen' }) : t({ en: 'third party', de: 'Dritter' })}): ${r.receives.map((c) => t(categoryNames[c])).join(', ')}</li>`)}</ul>`}</dd>
    <dt>${t({ en: 'How long', de: 'Speicherdauer' })}</dt>
    <dd><ul>${view.rules.map((r) => html`<li>${describeRule(lang, r)}</li>`)}${erasable ? html`<li>${t({ en: 'Everything else is kept while you use the service and erased when you ask us to.', de: 'Alles Übrige bleibt gespeichert, solange Sie den Dienst nutzen, und wird auf Ihren Wunsch gelöscht.' })}</li>` : ''}</ul></dd>
  </dl>
</section>`;
}

const rights: Text[] = [
  { en: 'Access: you can ask what we hold about you, where it came from, who received it and why (Art. 15 GDPR).', de: 'Auskunft: Sie können erfragen, was wir über Sie speichern, woher es stammt, wer es erhalten hat und wozu (Art. 15 DSGVO).' },
  { en: 'Rectification: you can correct and complete your data; most of it directly in your account (Art. 16).', de: 'Berichtigung: Sie können Ihre Daten korrigieren und vervollständigen, das meiste direkt in Ihrem Konto (Art. 16).' },
  { en: 'Erasure: you can have your data erased, except what the law requires us to keep; that is then restricted until the period ends (Art. 17).', de: 'Löschung: Sie können Ihre Daten löschen lassen, außer was wir gesetzlich aufbewahren müssen; das wird bis zum Fristende eingeschränkt (Art. 17).' },
  { en: 'Restriction: you can ask us to only store your data and not use it otherwise (Art. 18).', de: 'Einschränkung: Sie können verlangen, dass wir Ihre Daten nur noch speichern und nicht anders verwenden (Art. 18).' },
  { en: 'Portability: you receive your data in a machine-readable format (JSON) (Art. 20).', de: 'Datenübertragbarkeit: Sie erhalten Ihre Daten in einem maschinenlesbaren Format (JSON) (Art. 20).' },
  { en: 'Objection: you can object to processing based on our legitimate interests, and to direct marketing at any time (Art. 21).', de: 'Widerspruch: Sie können der Verarbeitung auf Grundlage unserer berechtigten Interessen widersprechen, der Direktwerbung jederzeit (Art. 21).' },
  { en: 'Withdrawal of consent: with effect for the future, as easily as you gave it (Art. 7(3)).', de: 'Widerruf einer Einwilligung: mit Wirkung für die Zukunft, so einfach wie Sie sie erteilt haben (Art. 7 Abs. 3).' },
];

export function privacyPage(ctx: PageContext, map: DataMap, operator: Operator): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Privacy policy', de: 'Datenschutzerklärung' });
  const views = describeActivities(map);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t({ en: 'This page is generated from the same data map that our software enforces: every retention period below is carried out automatically.', de: 'Diese Seite wird aus derselben Datenübersicht erzeugt, die unsere Software durchsetzt: Jede der unten genannten Fristen wird automatisch umgesetzt.' })}</p>
<h2>${t({ en: 'Who is responsible', de: 'Verantwortlicher' })}</h2>
<address>${operator.company}<br>${operator.address.map((l) => html`${l}<br>`)}<a href="mailto:${operator.email}">${operator.email}</a></address>
<p>${t({ en: 'Data protection officer', de: 'Datenschutzbeauftragte(r)' })}: ${operator.dpo.name}, <a href="mailto:${operator.dpo.email}">${operator.dpo.email}</a></p>
<h2>${t({ en: 'What we process, why, and for how long', de: 'Was wir verarbeiten, warum und wie lange' })}</h2>
${views.map((v) => activitySection(ctx.lang, v))}
<h2>${t({ en: 'Cookies', de: 'Cookies' })}</h2>
<p>${t({ en: 'We set only cookies that the site needs; they are listed on the', de: 'Wir setzen nur Cookies, die die Website braucht; sie sind aufgeführt unter' })} <a href="/cookies">${t({ en: 'cookie page', de: 'Cookie-Einstellungen' })}</a>.</p>
<h2>${t({ en: 'Your rights', de: 'Ihre Rechte' })}</h2>
<ul>${rights.map((r) => html`<li>${t(r)}</li>`)}</ul>
<p>${t({ en: 'Write to our data protection officer to use them; we answer within one month.', de: 'Wenden Sie sich dafür an unsere(n) Datenschutzbeauftragte(n); wir antworten innerhalb eines Monats.' })}</p>
<p>${t({ en: 'You may also complain to a data protection supervisory authority, for example ours:', de: 'Sie können sich außerdem bei einer Datenschutz-Aufsichtsbehörde beschweren, zum Beispiel bei der für uns zuständigen:' })}
${operator.supervisoryAuthority.name}, ${operator.supervisoryAuthority.address.join(', ')}, <a href="${operator.supervisoryAuthority.url}" rel="noreferrer">${operator.supervisoryAuthority.url}</a></p>
<p><a href="/privacy/processing.json">${t({ en: 'Record of processing activities (JSON)', de: 'Verzeichnis der Verarbeitungstätigkeiten (JSON)' })}</a></p>`,
  );
}

/** GDPR Art. 30 record, machine-readable. */
export function processingRecord(map: DataMap, operator: Operator) {
  return {
    controller: { name: operator.company, address: operator.address, email: operator.email },
    dataProtectionOfficer: operator.dpo,
    activities: describeActivities(map).map(({ activity, tables, categories, rules }) => ({
      id: activity.id,
      name: activity.name,
      purpose: activity.purpose,
      legalBasis: { code: activity.legalBasis, article: legalBasisArticle[activity.legalBasis], detail: activity.basisDetail ?? null },
      dataSubjects: activity.subjects,
      dataCategories: categories.map((c) => ({ code: c, name: categoryNames[c] })),
      recipients: activity.recipients.map((r) => ({ id: r.id, name: r.name, kind: r.kind, receives: r.receives })),
      thirdCountryTransfers: [],
      retention: rules.map((r) => ({ id: r.id, what: r.what, after: r.after, afterDays: 'days' in r.after ? r.after.days : null, from: r.fromEvent, action: r.action.kind, description: { en: describeRule('en', r), de: describeRule('de', r) } })),
      tables: tables.map((t) => ({ name: t.table, partitioned: t.partitioned ?? null, erasure: t.erasure })),
    })),
    technicalMeasures: [
      'Passwords hashed with argon2id; session and mail tokens stored only as SHA-256 hashes',
      'Full IP addresses kept apart from usage data and removed after 7 days',
      'Strict Content-Security-Policy; no third-party requests without consent',
      'Application logs free of personal data',
    ],
  };
}
