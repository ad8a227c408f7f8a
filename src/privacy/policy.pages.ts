// The privacy policy page: a stored version of the generated policy body (policy.document.ts) with its
// version line, a notice on superseded versions and links to the other versions. The body is rendered once
// per version from the data map, the consent registry and the operator, and stored, so old versions stay readable.
import { html, unsafeRaw } from '../platform/html.ts';
import { formatTime, tr, type Text } from '../platform/i18n.ts';
import { type PageContext, layout } from '../web/index.ts';

export { processingRecord, renderPolicyBody } from './policy.document.ts';
export type { PolicyInput } from './policy.common.ts';

export interface PolicyVersionRef {
  number: number;
  publishedAt: number;
}

export function privacyPage(
  ctx: PageContext,
  model: { bodyHtml: string; version: PolicyVersionRef; versions: PolicyVersionRef[]; latest: boolean },
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Privacy policy', de: 'Datenschutzerklärung' });
  const published = (v: PolicyVersionRef) =>
    html`<time datetime="${new Date(v.publishedAt).toISOString()}">${formatTime(ctx.lang, v.publishedAt, ctx.timeZone)}</time>`;
  // The body is our own output: renderPolicyBody escapes every value through `html`, and only Candor stores it.
  const body = unsafeRaw(model.bodyHtml);
  const others = model.versions.filter((v) => v.number !== model.version.number).sort((a, b) => b.number - a.number);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t({ en: 'Version', de: 'Version' })} ${model.version.number}, ${t({ en: 'published', de: 'veröffentlicht am' })} ${published(model.version)}</p>
${
  model.latest
    ? ''
    : html`<p class="notice" role="note">${t({ en: 'This is an earlier version of our privacy policy and no longer applies.', de: 'Dies ist eine frühere Fassung unserer Datenschutzerklärung; sie gilt nicht mehr.' })} <a href="/privacy">${t({ en: 'Read the current privacy policy', de: 'Zur aktuellen Datenschutzerklärung' })}</a></p>`
}
${body}
${
  others.length > 0
    ? html`<section id="versions">
<h2>${model.latest ? t({ en: 'Earlier versions', de: 'Frühere Fassungen' }) : t({ en: 'Other versions', de: 'Weitere Fassungen' })}</h2>
<ul>${others.map((v) => html`<li><a href="/privacy/versions/${v.number}">${t({ en: 'Version', de: 'Version' })} ${v.number}</a>, ${t({ en: 'published', de: 'veröffentlicht am' })} ${published(v)}</li>`)}</ul>
</section>`
    : ''
}`,
  );
}

/** The record of processing activities (Art. 30 GDPR) as returned by processingRecord. */
export type ProcessingRecord = ReturnType<typeof import('./policy.document.ts').processingRecord>;

const R = {
  title: { en: 'Record of processing activities', de: 'Verzeichnis von Verarbeitungstätigkeiten' },
  intro: {
    en: 'Art. 30 GDPR. Generated from the data map, the operator file and the consent registry; the same record as /privacy/processing.json. Print this page or save it as PDF.',
    de: 'Art. 30 DSGVO. Erzeugt aus der Datenlandkarte, der Betreiberdatei und dem Einwilligungsregister; dasselbe Verzeichnis wie /privacy/processing.json. Drucken Sie diese Seite oder speichern Sie sie als PDF.',
  },
  controller: { en: 'Controller', de: 'Verantwortlicher' },
  dpo: { en: 'Data protection officer', de: 'Datenschutzbeauftragter' },
  authority: { en: 'Supervisory authority', de: 'Aufsichtsbehörde' },
  activities: { en: 'Processing activities', de: 'Verarbeitungstätigkeiten' },
  purpose: { en: 'Purpose', de: 'Zweck' },
  basis: { en: 'Legal basis', de: 'Rechtsgrundlage' },
  subjects: { en: 'Data subjects', de: 'Betroffene Personen' },
  categories: { en: 'Categories of personal data', de: 'Kategorien personenbezogener Daten' },
  recipients: { en: 'Recipients', de: 'Empfänger' },
  transfers: { en: 'Transfers to third countries', de: 'Übermittlungen in Drittländer' },
  retention: { en: 'Time limits for erasure', de: 'Löschfristen' },
  tables: { en: 'Where it is stored', de: 'Speicherort' },
  measures: { en: 'Technical and organisational measures', de: 'Technische und organisatorische Maßnahmen' },
  none: { en: 'none', de: 'keine' },
  policyHash: { en: 'Version of the policy (hash)', de: 'Fassung der Datenschutzerklärung (Hash)' },
  roles: {
    processor: { en: 'processor', de: 'Auftragsverarbeiter' },
    'independent-controller': { en: 'independent controller', de: 'eigenständiger Verantwortlicher' },
    'joint-controller': { en: 'joint controller', de: 'gemeinsam Verantwortlicher' },
  } as Record<string, Text>,
} satisfies Record<string, Text | Record<string, Text>>;

/** The Art. 30 record as a printable page for the DPO (the print stylesheet drops the site's navigation). */
export function processingRecordPage(ctx: PageContext, record: ProcessingRecord): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t(R.title);
  const list = (items: string[]) =>
    items.length === 0 ? t(R.none) : html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`;
  return layout(
    ctx,
    title,
    html`<article class="processing-record">
<h1>${title}</h1>
<p>${t(R.intro)}</p>
<dl>
<dt>${t(R.controller)}</dt><dd>${record.controller.name}<br>${record.controller.address.join(', ')}<br>${record.controller.email}</dd>
<dt>${t(R.dpo)}</dt><dd>${record.dataProtectionOfficer.name}, ${record.dataProtectionOfficer.email}</dd>
<dt>${t(R.authority)}</dt><dd>${record.supervisoryAuthority.name}, ${record.supervisoryAuthority.address.join(', ')}</dd>
<dt>${t(R.policyHash)}</dt><dd><code>${record.policyHash}</code></dd>
</dl>
<h2>${t(R.activities)}</h2>
${record.activities.map(
  (a) => html`<section aria-labelledby="activity-${a.id}">
<h3 id="activity-${a.id}">${t(a.name)} <code>${a.id}</code></h3>
<dl>
<dt>${t(R.purpose)}</dt><dd>${t(a.purpose)}</dd>
<dt>${t(R.basis)}</dt><dd>${a.legalBasis.article}${a.legalBasis.detail ? html` – ${t(a.legalBasis.detail)}` : ''}</dd>
<dt>${t(R.subjects)}</dt><dd>${t(a.dataSubjects)}</dd>
<dt>${t(R.categories)}</dt><dd>${list(a.dataCategories.map((c) => t(c.name)))}</dd>
<dt>${t(R.recipients)}</dt><dd>${list(a.recipients.map((r) => `${t(r.name)} (${t(R.roles[r.role] ?? { en: r.role, de: r.role })})`))}</dd>
<dt>${t(R.transfers)}</dt><dd>${list(a.thirdCountryTransfers.map((x) => `${x.recipient}: ${JSON.stringify(x.countries)}`))}</dd>
<dt>${t(R.retention)}</dt><dd>${list(a.retention.map((r) => (ctx.lang === 'de' ? r.description.de : r.description.en)))}</dd>
<dt>${t(R.tables)}</dt><dd>${list([...a.tables.map((tb) => tb.name), ...a.files.map((f) => `${f.directory || '.'}/ (${f.id})`)])}</dd>
</dl>
</section>`,
)}
<h2>${t(R.measures)}</h2>
${list(record.technicalMeasures)}
</article>`,
  );
}
