// The privacy policy's content and the Art. 30 record, generated from the data map, the consent registry and
// the operator's facts. No sentence here names a vendor, a period or a feature: each comes from the inputs,
// so a change there (a vendor switched off, a retention rule shortened) changes the published text.
import { html } from '../platform/html.ts';
import { tr, type Lang, type Text } from '../platform/i18n.ts';
import { linkFor } from './policy-links.ts';
import { categoryNames, legalBasisArticle, recipientCategories } from './data-map.ts';
import {
  type PolicyInput,
  type Section,
  describeActivities,
  describeRule,
  formatDuration,
  pageLink,
} from './policy.common.ts';
import { controllerSection, usageSection } from './policy.visit.ts';
import { cookiesSection, providersSection, socialSection, transfersSection } from './policy.cookies.ts';
import { automatedDecisionsSection, requirementsSection, sourcesSection } from './policy.decisions.ts';
import { processingSection, recipientsSection } from './policy.processing.ts';
import { rightsSection, objectionSection } from './policy.rights.ts';

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
    requirementsSection(lang, views),
    sourcesSection(lang, views),
    automatedDecisionsSection(lang, input, views),
    recipientsSection(lang, input, views),
    transfersSection(lang, input),
    rightsSection(lang, input),
    objectionSection(lang, input, views),
  ];
  return html`<p>${t({
    en: 'This policy explains which personal data our website and online shop process, why, on which legal basis, for how long, and what rights you have. It is generated from the same description of our data that our software works from. Two things in it our software carries out itself, and our automated tests check them: the deletion and shortening periods stated here, and that the services of other companies load only with your consent.',
    de: 'Diese Erklärung beschreibt, welche personenbezogenen Daten unsere Website und unser Onlineshop verarbeiten, zu welchen Zwecken, auf welcher Rechtsgrundlage und wie lange, und welche Rechte Ihnen zustehen. Sie wird aus derselben Beschreibung unserer Daten erzeugt, mit der unsere Software arbeitet. Zweierlei setzt unsere Software selbst um, und unsere automatisierten Tests prüfen es: die hier genannten Lösch- und Kürzungsfristen und dass Dienste anderer Unternehmen nur mit Ihrer Einwilligung geladen werden.',
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
    activities: views.map(({ activity, tables, files, categories, rules, usesDataOf }) => ({
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
      recipients: activity.recipients.map((r) => ({
        id: r.id,
        name: r.name,
        role: r.role,
        arrangement: r.arrangement ?? null,
        categories: recipientCategories(r).map((c) => ({ code: c, name: categoryNames[c] })),
        fields: Object.entries(r.fields).map(([path, f]) => ({ path, category: f.category, label: f.label })),
      })),
      // Only a recipient that is an enabled vendor with a declared transfer contributes; nothing is assumed.
      thirdCountryTransfers: activity.recipients.flatMap((r) => {
        const vendor = registry.vendors.find((v) => v.template.id === r.id)?.template;
        return vendor?.thirdCountry.transfer
          ? [{ recipient: r.id, countries: vendor.thirdCountry.countries, safeguards: vendor.thirdCountry.safeguards }]
          : [];
      }),
      retention: rules.map((r) => ({
        id: r.id,
        what: r.what,
        after: r.after,
        afterDays: 'days' in r.after ? r.after.days : null,
        from: r.fromEvent,
        action: r.action.kind,
        basis: r.basis,
        description: { en: describeRule('en', r), de: describeRule('de', r) },
      })),
      tables: tables.map((t) => ({
        name: t.table,
        partitioned: t.partitioned ?? null,
        erasure: t.erasure,
        keptUntil: t.keptUntil ?? null,
      })),
      files: files.map((f) => ({ id: f.id, directory: f.directory, erasure: f.erasure })),
      // Data of other activities' tables that this one reads or whose rows it owns in part (the beacon's events):
      // their retention applies, as the policy says.
      retentionOf: usesDataOf.map((a) => a.id),
    })),
    vendors: registry.vendors.map(({ template: v }) => ({
      id: v.id,
      name: v.name,
      company: v.company,
      category: v.category,
      role: v.role,
      purpose: v.purpose,
      dataTransferred: v.dataTransferred,
      thirdCountry: v.thirdCountry,
      jointControllership: v.jointControllership ?? null,
      retention: v.retention,
      optOutUrl: v.optOut.url ?? null,
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
