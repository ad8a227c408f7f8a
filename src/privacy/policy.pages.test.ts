// The generated privacy policy follows its inputs: the data map, the consent registry and the operator.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDataMap } from '../testing/app.ts';
import { escapeHtml, html } from '../platform/html.ts';
import { tr } from '../platform/i18n.ts';
import { cookiePolicy } from '../platform/http/cookies.ts';
import { demoOperator, type Operator } from '../platform/operator.ts';
import { buildConsentRegistry, candorCookies, type ConsentRegistry } from './consent/registry.ts';
import { vendorTemplates } from './consent/vendors.catalogue.ts';
import { buildDataMap, type DataMap } from './data-map.ts';
import { privacyPage, processingRecord, renderPolicyBody, type PolicyInput } from './policy.pages.ts';
import { type PageContext } from '../web/index.ts';

const cookieNames = { ...cookiePolicy('https://shop.example'), consent: 'candor_consent' };

function registryFor(operator: Operator, dataMap: DataMap): ConsentRegistry {
  return buildConsentRegistry(operator, dataMap, candorCookies(cookieNames));
}

function inputFor(operator: Operator = demoOperator, dataMap: DataMap = createDataMap()): PolicyInput {
  return { dataMap, operator, registry: registryFor(operator, dataMap) };
}

const bodies = (input: PolicyInput) => ({ en: renderPolicyBody('en', input), de: renderPolicyBody('de', input) });

/** The data map with the usage log's full-IP rule set to `days`. */
function withIpDays(map: DataMap, days: number): DataMap {
  const tables = map.tables.map((t) => ({
    ...t,
    retention: t.retention.map((r) => (r.id === 'usage.anonymise-ip-addresses' ? { ...r, after: { days } } : r)),
  }));
  const activities = map.activities.filter((a) => a.id !== 'platform.operation');
  return buildDataMap([{ activities, tables: tables.filter((t) => !['schema_migrations'].includes(t.table)) }]);
}

test('the policy names every processing activity in English and German', () => {
  const input = inputFor();
  const { en, de } = bodies(input);
  const activities = input.dataMap.activities.filter((a) =>
    input.dataMap.tables.some((t) => t.activity === a.id && Object.values(t.columns).some((c) => c !== 'not-personal')),
  );
  assert.ok(activities.length > 5);
  for (const a of activities) {
    assert.ok(en.includes(escapeHtml(a.name.en)), a.id);
    assert.ok(de.includes(escapeHtml(a.name.de)), a.id);
    assert.ok(en.includes(`id="${a.id}"`), a.id);
    assert.ok(en.includes(escapeHtml(a.purpose.en)), a.id);
    assert.ok(de.includes(escapeHtml(a.purpose.de)), a.id);
  }
});

test('every enabled vendor appears with its name, opt-out and privacy policy links in both languages', () => {
  const input = inputFor();
  // Exactly the vendors the operator switched on, each once and in the operator's order; the others not at all.
  const enabled = demoOperator.vendors.map((v) => v.id);
  assert.equal(enabled.length, 6);
  assert.deepEqual(
    input.registry.vendors.map((v) => v.template.id),
    enabled,
  );
  const { en, de } = bodies(input);
  for (const t of vendorTemplates.filter((t) => !enabled.includes(t.id))) {
    for (const body of [en, de]) assert.ok(!body.includes(escapeHtml(t.name)), `${t.id} is not switched on`);
  }
  for (const body of [en, de]) {
    for (const [, id] of body.matchAll(/id="vendor-([^"]+)"/g))
      assert.ok(enabled.includes(id!), `vendor-${id} is switched on`);
  }
  for (const { template: v } of input.registry.vendors) {
    for (const body of [en, de]) {
      assert.ok(body.includes(escapeHtml(v.name)), v.id);
      if (v.optOut.url !== undefined) assert.ok(body.includes(`href="${escapeHtml(v.optOut.url)}"`), `${v.id} opt-out`);
      else assert.ok(body.includes(escapeHtml(tr(body === en ? 'en' : 'de', v.optOut.noOptOut))), `${v.id} no opt-out`);
      assert.ok(body.includes(`href="${escapeHtml(v.privacyPolicyUrl)}"`), `${v.id} privacy policy`);
      assert.ok(body.includes(escapeHtml(v.company.name)), `${v.id} company`);
    }
  }
});

test('every cookie of the registry is listed, with a link to the cookie settings', () => {
  const input = inputFor();
  const { en, de } = bodies(input);
  for (const c of input.registry.cookies) {
    assert.ok(en.includes(`<code>${escapeHtml(c.name)}</code>`), c.name);
    assert.ok(de.includes(`<code>${escapeHtml(c.name)}</code>`), c.name);
  }
  assert.match(en, /<caption>[^<]+<\/caption>/);
  assert.match(en, /<a href="\/cookies">/);
});

test('switching a vendor off removes it from the policy and changes the policy hash', () => {
  const full = inputFor();
  const removed = demoOperator.vendors.find((v) => v.id === 'hotjar');
  assert.ok(removed, 'the demo operator enables hotjar');
  const operator = { ...demoOperator, vendors: demoOperator.vendors.filter((v) => v.id !== removed.id) };
  const reduced = inputFor(operator, full.dataMap);
  const name = full.registry.vendors.find((v) => v.template.id === removed.id)!.template.name;
  assert.ok(renderPolicyBody('en', full).includes(name));
  assert.ok(!renderPolicyBody('en', reduced).includes(name));
  assert.ok(!renderPolicyBody('de', reduced).includes(name));
  assert.notEqual(reduced.registry.hash, full.registry.hash);
});

test('retargeting, Global Privacy Control and Consent Mode appear only when such vendors are enabled', () => {
  const { en } = bodies(inputFor());
  for (const id of ['id="retargeting"', 'id="global-privacy-control"', 'id="google-consent-mode"'])
    assert.ok(en.includes(id), id);
  assert.match(en, /Sec-GPC: 1/);
  const none = bodies(inputFor({ ...demoOperator, vendors: [], social: [] })).en;
  for (const id of [
    'id="retargeting"',
    'id="global-privacy-control"',
    'id="google-consent-mode"',
    'id="social-links"',
    'id="vendor-',
  ])
    assert.ok(!none.includes(id), id);
  assert.match(none, /We do not embed services of other companies/);
});

test('social links are explained and listed when configured', () => {
  const input = inputFor();
  const { en, de } = bodies(input);
  assert.ok(input.registry.social.length > 0);
  for (const s of input.registry.social) {
    assert.ok(en.includes(s.name), s.name);
    assert.ok(de.includes(s.name), s.name);
  }
  assert.match(en, /id="social-links"/);
});

test('the period for full IP addresses follows the data map', () => {
  const input = inputFor();
  const rule = input.dataMap.tables.flatMap((t) => t.retention).find((r) => r.id === 'usage.anonymise-ip-addresses');
  assert.ok(rule && 'days' in rule.after);
  const days = rule.after.days;
  const { en, de } = bodies(input);
  assert.ok(en.includes(`keep it for ${days} days to detect and fend off attacks`));
  assert.ok(de.includes(`bewahren sie ${days} Tage lang auf`));
  const changed = withIpDays(input.dataMap, days + 4);
  const other = bodies({ ...input, dataMap: changed });
  assert.ok(other.en.includes(`keep it for ${days + 4} days to detect and fend off attacks`));
  assert.ok(!other.en.includes(`keep it for ${days} days`));
  assert.ok(other.de.includes(`bewahren sie ${days + 4} Tage lang auf`));
});

test('the controller, the DPO, the authority and how to use each right are stated', () => {
  const { en, de } = bodies(inputFor());
  for (const body of [en, de]) {
    assert.ok(body.includes(escapeHtml(demoOperator.company)));
    assert.ok(body.includes(`mailto:${demoOperator.dpo.email}`));
    assert.ok(body.includes(demoOperator.supervisoryAuthority.name));
    assert.ok(body.includes(`href="${demoOperator.supervisoryAuthority.url}"`));
    for (const path of ['/account/privacy', '/account/profile', '/account/advertising', '/cookies'])
      assert.ok(body.includes(`href="${path}"`), path);
    for (const id of [
      'access',
      'rectification',
      'erasure',
      'restriction',
      'portability',
      'objection',
      'withdrawal',
      'complaint',
    ])
      assert.ok(body.includes(`id="right-${id}"`), id);
  }
  assert.match(en, /within one month/);
  assert.match(en, /two further months/);
  assert.match(de, /innerhalb eines Monats/);
});

test('recipients across activities are listed with their role', () => {
  const input = inputFor();
  const { en } = bodies(input);
  const recipients = input.dataMap.activities.flatMap((a) => a.recipients);
  assert.ok(recipients.length > 0);
  // The name heads the row; the company behind it (where named) follows in the same cell.
  for (const r of recipients) assert.ok(en.includes(`<th scope="row">${escapeHtml(r.name.en)}`), r.id);
});

test('the body is well-formed for assistive technology: ordered headings, tables with captions and scoped headers', () => {
  const { en, de } = bodies(inputFor());
  assert.ok(!en.includes('<h1'), 'the page, not the body, has the h1');
  const levels = [...en.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
  assert.equal(levels[0], 2);
  for (let i = 1; i < levels.length; i++) assert.ok(levels[i]! <= levels[i - 1]! + 1, `heading level jumps at ${i}`);
  const tables = en.split('<table').length - 1;
  assert.equal(en.split('<caption>').length - 1, tables);
  assert.ok(!/<th[\s>](?![^>]*scope=)/.test(en) && !/<th>/.test(en), 'every header cell has a scope');
  const ids = [...en.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  for (const body of [en, de]) {
    const bodyIds = [...body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
    const targets = [...body.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    // The contents link to each section (a policy without in-page links would pass the loop below vacuously).
    for (const section of [
      'controller',
      'usage-data',
      'cookies',
      'providers',
      'processing',
      'recipients',
      'rights',
      'objection',
    ]) {
      assert.ok(targets.includes(section), `the contents link to #${section}`);
    }
    for (const target of targets) assert.ok(bodyIds.includes(target), `anchor #${target} exists`);
  }
});

test('the German policy cites articles as German law does (Art. 7 Abs. 3 DSGVO), the English one as the GDPR does', () => {
  const { en, de } = bodies(inputFor());
  assert.match(de, /Art\. 7 Abs\. 3 DSGVO/);
  assert.match(de, /Art\. 12 Abs\. 3 DSGVO/);
  assert.doesNotMatch(de, /Art\. \d+\(\d+\)/);
  assert.match(en, /Art\. 7\(3\) GDPR/);
});

test('the right to object has a section of its own, set apart, apart from withdrawing consent (Art. 21(4) GDPR)', () => {
  const { en, de } = bodies(inputFor());
  const wording = {
    en: [
      /Your right to object \(Art\. 21 GDPR\)/,
      /override your interests, rights and freedoms/,
      /direct marketing, you may object at any time and without giving reasons/,
    ],
    de: [
      /Ihr Widerspruchsrecht \(Art\. 21 DSGVO\)/,
      /Ihre Interessen, Rechte und Freiheiten überwiegen/,
      /jederzeit und ohne Angabe von Gründen widersprechen/,
    ],
  };
  for (const [lang, body] of [
    ['en', en],
    ['de', de],
  ] as const) {
    const section = /<section id="objection" class="notice">([\s\S]*?)\n<\/section>/.exec(body)?.[1];
    assert.ok(section, `${lang}: a highlighted section #objection`);
    for (const pattern of wording[lang]) assert.match(section, pattern, `${lang}: ${pattern}`);
    // Withdrawing consent is described elsewhere; the objection section only points there.
    assert.doesNotMatch(section, /id="right-withdrawal"/);
    assert.match(section, /href="#right-withdrawal"/);
    // The list of rights points to the section instead of repeating it.
    const rights = /<section id="right-objection">([\s\S]*?)<\/section>/.exec(body)?.[1] ?? '';
    assert.match(rights, /href="#objection"/);
    assert.doesNotMatch(rights, /override|überwiegen/);
  }
});

test('the record of processing activities lists vendors, cookies and the policy hash', () => {
  const input = inputFor();
  const record = processingRecord(input);
  assert.equal(record.policyHash, input.registry.hash);
  assert.deepEqual(
    record.vendors.map((v) => v.id),
    input.registry.vendors.map((v) => v.template.id),
  );
  const ga = record.vendors.find((v) => v.id === 'google-analytics');
  assert.ok(ga && ga.optOutUrl?.startsWith('https://') && ga.cookies.length > 0 && ga.thirdCountry.transfer);
  assert.equal(ga.role, 'processor');
  // Every period carries its statute or reason, and every open-ended table says until when, as the policy does.
  for (const a of record.activities) {
    for (const r of a.retention) assert.ok(r.basis.en.trim() && r.basis.de.trim(), r.id);
    assert.ok(a.retention.length > 0 || a.tables.some((t) => t.keptUntil !== null) || a.retentionOf.length > 0, a.id);
  }
  assert.equal(record.cookies.length, input.registry.cookies.length);
  // Each activity names the consent category it falls under; Candor's own are all necessary (none is based on consent).
  assert.ok(
    record.activities.every((a) =>
      a.legalBasis.code === 'consent' ? a.consentCategory !== 'necessary' : a.consentCategory === 'necessary',
    ),
  );
  assert.ok(record.activities.length > 5);
  assert.ok(
    record.cookies.some((c) => c.name === 'candor_consent' && c.category === 'necessary' && c.owner === 'candor'),
  );
  const usage = record.activities.find((a) => a.id === 'usage.request-log');
  assert.ok(usage?.retention.some((r) => r.id === 'usage.anonymise-ip-addresses' && r.afterDays !== null));
  // No activity's recipient is a vendor, so no transfer is claimed for any activity.
  for (const a of record.activities) assert.deepEqual(a.thirdCountryTransfers, []);
});

const ctx = (lang: 'en' | 'de'): PageContext => ({
  lang,
  viewer: null,
  csrfToken: () => 'token',
  path: '/privacy',
  company: demoOperator.company,
  slots: () => ({ head: html``, top: html`` }),
  navigation: [],
  social: [],
  timeZone: 'Europe/Berlin',
});

test('the page shows the version line, the other versions and a notice only on superseded versions', () => {
  const bodyHtml = renderPolicyBody('en', inputFor());
  const versions = [
    { number: 1, publishedAt: Date.UTC(2025, 0, 10) },
    { number: 2, publishedAt: Date.UTC(2025, 5, 1) },
    { number: 3, publishedAt: Date.UTC(2026, 1, 2) },
  ];
  const latest = privacyPage(ctx('en'), { bodyHtml, version: versions[2]!, versions, latest: true });
  assert.equal(latest.split('<h1').length - 1, 1);
  assert.match(latest, /Version 3, published <time datetime="2026-02-02T00:00:00.000Z">/);
  assert.ok(latest.includes(bodyHtml));
  assert.match(latest, /href="\/privacy\/versions\/1"/);
  assert.match(latest, /href="\/privacy\/versions\/2"/);
  assert.ok(!latest.includes('href="/privacy/versions/3"'));
  assert.ok(!latest.includes('role="note"'));

  const old = privacyPage(ctx('de'), {
    bodyHtml: renderPolicyBody('de', inputFor()),
    version: versions[0]!,
    versions,
    latest: false,
  });
  assert.match(old, /Version 1, veröffentlicht am <time/);
  assert.match(old, /role="note"[^>]*>[^<]*<a href="\/privacy">/);
  assert.match(old, /href="\/privacy\/versions\/3"/);

  const only = privacyPage(ctx('en'), { bodyHtml, version: versions[0]!, versions: [versions[0]!], latest: true });
  assert.ok(!only.includes('id="versions"'));
});

test('the DPO is named with the operator’s title, declined correctly in German, never as “Datenschutzbeauftragte(r)”', () => {
  const female = bodies(inputFor());
  assert.match(female.de, /Unsere Datenschutzbeauftragte ist Dana Beispiel/);
  assert.match(female.de, /[Ss]chreiben Sie an unsere Datenschutzbeauftragte unter/);
  const male = bodies(
    inputFor({
      ...demoOperator,
      dpo: { ...demoOperator.dpo, title: { en: 'data protection officer', de: 'Datenschutzbeauftragter' } },
    }),
  );
  assert.match(male.de, /Unser Datenschutzbeauftragter ist Dana Beispiel/);
  assert.match(male.de, /[Ss]chreiben Sie an unseren Datenschutzbeauftragten unter/);
  assert.match(male.de, /von unserem Datenschutzbeauftragten unter/);
  // Without a title the GDPR's own German form is used.
  const { title: _title, ...untitled } = demoOperator.dpo;
  assert.match(bodies(inputFor({ ...demoOperator, dpo: untitled })).de, /Unser Datenschutzbeauftragter ist/);
  for (const body of [female.de, male.de])
    assert.doesNotMatch(body, /Datenschutzbeauftragte\(|[Uu]nser\(e\)|unsere\(n\)/, 'no bracketed endings');
  assert.match(female.en, /Our data protection officer is Dana Beispiel/);
});

test('advertising vendors appear as joint controllers with the essence of the arrangement; each safeguard with its article', () => {
  const input = inputFor();
  const { en, de } = bodies(input);
  const block = (body: string, id: string) =>
    new RegExp(`<section id="vendor-${id}">([\\s\\S]*?)</section>`).exec(body)?.[1] ?? '';
  for (const id of ['criteo', 'facebook-pixel', 'google-remarketing']) {
    const template = vendorTemplates.find((v) => v.id === id)!;
    assert.match(block(en, id), /Joint controllers<\/dt>|Joint controllers \(Art\. 26 GDPR\)/, id);
    assert.ok(block(en, id).includes(escapeHtml(template.jointControllership!.arrangement.en)), `${id}: arrangement`);
    assert.match(block(en, id), /exercise your rights both with us and with/, `${id}: Art. 26(3)`);
    assert.match(block(de, id), /Gemeinsam Verantwortliche \(Art\. 26 DSGVO\)/, id);
    assert.match(block(de, id), /Art\. 26 Abs\. 3 DSGVO/, id);
  }
  for (const id of ['google-analytics', 'hotjar', 'zendesk'])
    assert.doesNotMatch(block(en, id), /Joint controllers/, `${id} is not a joint controller`);
  // The Data Privacy Framework is an adequacy decision (Art. 45), clauses are appropriate safeguards (Art. 46(2)(c)).
  const google = block(en, 'google-analytics');
  assert.match(
    google,
    /Adequacy decision of the European Commission for the EU-US Data Privacy Framework \(Art\. 45 GDPR\)/,
  );
  assert.match(google, /Standard contractual clauses [^<]*appropriate safeguards \(Art\. 46\(2\)\(c\) GDPR\)/);
  assert.match(google, /obtain a copy of the safeguards from our data protection officer at/);
  const googleDe = block(de, 'google-analytics');
  assert.match(
    googleDe,
    /Angemessenheitsbeschluss der Europäischen Kommission zum EU-US Data Privacy Framework \(Art\. 45 DSGVO\)/,
  );
  assert.match(googleDe, /Standardvertragsklauseln [^<]*geeignete Garantien \(Art\. 46 Abs\. 2 lit\. c DSGVO\)/);
  assert.match(googleDe, /Vereinigte Staaten/);
  assert.match(block(en, 'zendesk'), /Binding corporate rules [^<]*\(Art\. 46\(2\)\(b\) and Art\. 47 GDPR\)/);
  // Zendesk has no opt-out: no link that pretends to be one, and how to stop it instead.
  for (const body of [en, de]) {
    assert.doesNotMatch(block(body, 'zendesk'), /cookie-notice/);
    assert.doesNotMatch(block(body, 'zendesk'), /Opt out directly|Opt-out direkt/);
  }
  assert.match(block(en, 'zendesk'), /Zendesk offers no opt-out of its own/);
  // Each vendor's own retention, as its statement.
  for (const { template: v } of input.registry.vendors) {
    assert.ok(en.includes(escapeHtml(v.retention.statement.en)), `${v.id} retention (en)`);
    assert.ok(de.includes(escapeHtml(v.retention.statement.de)), `${v.id} retention (de)`);
  }
  assert.match(en, /id="transfers"/);
});

test('no claim stronger than the code: the IP prefix kept, one consent rule, the TC string as personal data, a precise intro', () => {
  const { en, de } = bodies(
    inputFor({ ...demoOperator, tcf: { cmpId: 300, cmpVersion: 1, vendorListFile: 'gvl.json' } }),
  );
  // What the usage log keeps (usage-log/ip.ts): the first 24 bits of IPv4, the first 48 of IPv6.
  assert.match(
    en,
    /for IPv4 the first three of its four bytes \(the last 8 bits set to zero\), for IPv6 the first 48 of its 128 bits/,
  );
  assert.match(en, /can therefore still point to it/);
  assert.doesNotMatch(en, /no longer points to a single connection/);
  assert.match(de, /bei IPv6 die ersten 48 von 128 Bit/);
  assert.doesNotMatch(de, /keinen einzelnen Anschluss mehr erkennen/);
  // The consent model in one wording: category and service, wherever it is stated.
  assert.equal(en.split('only after you have consented both to its category and to the service itself').length - 1, 3);
  assert.equal(
    de.split('nachdem Sie sowohl in seine Kategorie als auch in den einzelnen Dienst eingewilligt haben').length - 1,
    3,
  );
  assert.doesNotMatch(en, /after you agreed to its category \(/);
  // TCF: the string can be personal data (CJEU C-604/22), not "your choices only".
  assert.match(en, /it is personal data \(CJEU, IAB Europe, C-604\/22\)/);
  assert.match(de, /ist sie ein personenbezogenes Datum \(EuGH, IAB Europe, C-604\/22\)/);
  assert.doesNotMatch(en, /contains your choices only/);
  // The introduction promises only what the software carries out and tests check.
  assert.doesNotMatch(en, /what it says is what the shop does/);
  assert.doesNotMatch(de, /was hier steht, tut der Shop auch/);
  assert.match(
    en,
    /the deletion and shortening periods stated here, and that the services of other companies load only with your consent/,
  );
});

test('the German policy uses the statutory terms and the formal register', () => {
  const { de } = bodies(inputFor());
  for (const term of [
    /unbedingt erforderlich/,
    /unrichtiger/,
    /Einschränkung der Verarbeitung/,
    /Angemessenheitsbeschluss/,
    /geeignete Garantien/,
    /So üben Sie dieses Recht aus:/,
    /Deutschland/,
  ])
    assert.match(de, term);
  assert.doesNotMatch(de, /So geht es/);
  assert.doesNotMatch(de, /\b(du|dein|deine|dich|dir)\b/i, 'no informal address');
  assert.doesNotMatch(de, /\b(United States|Germany)\b/, 'country names in German');
});
