// The findings of the legal review of the generated policy (issue 10), each pinned in English and German: objection
// and withdrawal kept apart, the Art. 22 exception and one review route, who sets a vendor's retention, vendor roles,
// retention reasons as sentences, no repeated periods, truthful recipient checks, and categories that fit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { elementById, policyBodies, policyInput } from '../testing/policy.ts';
import { createDataMap } from '../testing/app.ts';
import { escapeHtml } from '../platform/html.ts';
import { tr, type Lang } from '../platform/i18n.ts';
import { demoOperator } from '../platform/operator.ts';
import { categoryNames, type DataMap, type RetentionRule } from './data-map.ts';
import { describeRule } from './policy.common.ts';

const langs: Lang[] = ['en', 'de'];

const count = (text: string, part: string | RegExp) =>
  typeof part === 'string' ? text.split(part).length - 1 : (text.match(new RegExp(part, 'g')) ?? []).length;

test('direct marketing is listed only under the absolute right to object, and advertising cookies under withdrawal', () => {
  const input = policyInput();
  const marketing = input.dataMap.links.filter((l) => l.right === 'object-direct-marketing').map((l) => l.activity!);
  assert.ok(marketing.includes('advertising.similar-products'), 'the advertising mail declares its objection page');
  const { en, de } = policyBodies(input);
  for (const [lang, body] of [
    ['en', en],
    ['de', de],
  ] as const) {
    const objection = elementById(body, 'objection') ?? '';
    const [situation, directMarketing] = objection.split(
      lang === 'de' ? 'Widerspruch gegen Direktwerbung' : 'Objection to direct marketing',
    );
    assert.ok(situation && directMarketing, `${lang}: both parts of the objection section`);
    for (const id of marketing) {
      assert.ok(!situation.includes(`href="#${id}"`), `${lang}: ${id} is not weighed case by case (Art. 21(1))`);
      assert.ok(directMarketing.includes(`href="#${id}"`), `${lang}: ${id} is under direct marketing (Art. 21(2))`);
    }
    // Other legitimate interests stay under Art. 21(1).
    assert.ok(situation.includes('href="#credit.credit-check"'), `${lang}: the credit check is under Art. 21(1)`);
    assert.match(directMarketing, lang === 'de' ? /Art\. 21 Abs\. 2 DSGVO/ : /Art\. 21\(2\) GDPR/);
    // Cookies are a matter of consent: their place is the withdrawal, not the objection.
    assert.doesNotMatch(objection, lang === 'de' ? /Werbe-Cookies/ : /advertising cookies/i);
    assert.match(elementById(body, 'right-withdrawal') ?? '', lang === 'de' ? /Werbe-Cookies/ : /advertising cookies/);
  }
});

test('the Art. 22 section names the exception relied on and gives one review route through the DPO title', () => {
  const full = createDataMap();
  const withException: DataMap = {
    ...full,
    activities: full.activities.map((a) =>
      a.automatedDecision ? { ...a, automatedDecision: { ...a.automatedDecision, exception: 'contract' as const } } : a,
    ),
  };
  const withoutException: DataMap = {
    ...full,
    activities: full.activities.map((a) => {
      if (!a.automatedDecision) return a;
      const { exception: _e, ...d } = a.automatedDecision;
      return { ...a, automatedDecision: d };
    }),
  };
  const declared = policyBodies(policyInput(withException));
  const undeclared = policyBodies(policyInput(withoutException));
  assert.match(
    elementById(declared.en, 'exception-credit.credit-check') ?? '',
    /Art\. 22\(2\)\(a\) GDPR: the decision is necessary for entering into, or performing, a contract/,
  );
  assert.match(
    elementById(declared.de, 'exception-credit.credit-check') ?? '',
    /Art\. 22 Abs\. 2 lit\. a DSGVO: Die Entscheidung ist für den Abschluss oder die Erfüllung eines Vertrags/,
  );
  for (const lang of langs) {
    // Without a declared exception nothing is claimed.
    assert.equal(elementById(undeclared[lang], 'exception-credit.credit-check'), undefined, lang);
    const review = elementById(declared[lang], 'review-credit.credit-check') ?? '';
    // The statutory safeguards once, and one route to the DPO, named with the operator's title.
    assert.equal(count(review, lang === 'de' ? 'Standpunkt darzulegen' : 'express your point of view'), 1, lang);
    assert.equal(count(review, demoOperator.dpo.email), 2, `${lang}: one mailto link (href and text)`);
    assert.equal(
      count(review, lang === 'de' ? /Datenschutzbeauftragte/ : /data protection officer/),
      1,
      `${lang}: the DPO is named once in the review route: ${review}`,
    );
  }
});

test('each vendor says who sets its retention period, in one phrase with one source link', () => {
  const input = policyInput();
  const { en, de } = policyBodies(input);
  for (const { template: v } of input.registry.vendors) {
    for (const [lang, body] of [
      ['en', en],
      ['de', de],
    ] as const) {
      const block = elementById(body, `provider-retention-${v.id}`) ?? '';
      assert.ok(block.includes(escapeHtml(tr(lang, v.retention.statement))), `${v.id} (${lang})`);
      assert.equal(count(block, '<a '), 1, `${v.id} (${lang}): one source link`);
      assert.ok(block.includes(`href="${escapeHtml(v.retention.source)}"`), `${v.id} (${lang})`);
      const who =
        v.retention.setBy === 'us'
          ? lang === 'de'
            ? 'Die Speicherdauer legen wir fest.'
            : 'We set this period.'
          : lang === 'de'
            ? `Die Speicherdauer legt ${v.company.name} fest.`
            : `${v.company.name} sets this period.`;
      assert.ok(block.includes(escapeHtml(who)), `${v.id} (${lang}): ${block}`);
      assert.doesNotMatch(block, /Laut |Angabe des Anbieters|Quelle:|According to|Source:|not we|nicht wir/);
      assert.doesNotMatch(block, /\d+ (or|oder) \d+/, `${v.id} (${lang}): one period, not alternatives`);
    }
  }
  // The periods we configure are ours: Analytics' retention and the audience lists' duration.
  assert.match(
    elementById(de, 'provider-retention-google-analytics') ?? '',
    /2 Monate[\s\S]*Die Speicherdauer legen wir fest/,
  );
  assert.match(elementById(en, 'provider-retention-google-remarketing') ?? '', /30 days[\s\S]*We set this period/);
});

test('each vendor entry states the provider’s role: processor (Art. 28) or joint controller (Art. 26)', () => {
  const input = policyInput();
  const { en, de } = policyBodies(input);
  for (const { template: v } of input.registry.vendors) {
    const roleEn = elementById(en, `role-${v.id}`) ?? '';
    const roleDe = elementById(de, `role-${v.id}`) ?? '';
    if (v.role === 'processor') {
      assert.match(roleEn, /^Processor \(Art\. 28 GDPR\)/, v.id);
      assert.match(roleDe, /^Auftragsverarbeiter \(Art\. 28 DSGVO\)/, v.id);
    } else {
      assert.match(roleEn, /^Joint controller with us \(Art\. 26 GDPR\)/, v.id);
      assert.match(roleDe, /^Mit uns gemeinsam Verantwortlicher \(Art\. 26 DSGVO\)/, v.id);
      assert.ok(elementById(en, `joint-${v.id}`), `${v.id}: the arrangement follows`);
    }
  }
  for (const id of ['google-analytics', 'hotjar', 'zendesk'])
    assert.match(elementById(de, `role-${id}`) ?? '', /Auftragsverarbeiter/, id);
});

test('a retention rule is a sentence and its reason a sentence of its own, never a bracket', () => {
  const rule: RetentionRule = {
    id: 'test.rule',
    what: { en: 'Records', de: 'Aufzeichnungen' },
    after: { days: 30 },
    from: 'at',
    fromEvent: { en: 'the request', de: 'der Anfrage' },
    basis: {
      en: 'to answer questions under Art. 15(1)(c) GDPR',
      de: 'um Fragen nach Art. 15 Abs. 1 lit. c DSGVO zu beantworten',
    },
    action: { kind: 'delete' },
  };
  assert.equal(
    describeRule('en', rule),
    'Records are deleted 30 days after the request. Why: To answer questions under Art. 15(1)(c) GDPR.',
  );
  assert.equal(
    describeRule('de', rule),
    'Aufzeichnungen werden 30 Tage nach der Anfrage gelöscht. Grund: Um Fragen nach Art. 15 Abs. 1 lit. c DSGVO zu beantworten.',
  );
});

/** Capitalised words that open a sentence, not a noun phrase: a German basis must not start with one. */
const germanSentenceOpeners =
  /^(Ein|Eine|Einer|Der|Die|Das|Den|Dem|Wie|Um|Damit|Nur|Wir|Sie|Es|Er|Diese|Dieser|Dieses|Bis|Solange|Weil|Da|Zur|Zum|Für|Nach|Bei|Mit|Im|In|Auf|So|Wenn|Als|Kein|Keine|Unser|Unsere|Aufbewahrt|Gespeichert)\b/;

test('every retention reason in the data map is a lower-case phrase without brackets or a final full stop', () => {
  const map = createDataMap();
  const rules = [...map.tables.flatMap((t) => t.retention), ...map.files.flatMap((f) => f.retention)];
  assert.ok(rules.length > 20);
  const problems: string[] = [];
  for (const rule of rules) {
    for (const lang of langs) {
      const basis = rule.basis[lang];
      // English citations number paragraphs and points in brackets (Art. 7(1) GDPR, § 147(1) no. 4 and (3) AO).
      const words = basis.replace(/(?<=[\w)]|\band )\((\d{1,2}|[a-z])\)/g, '');
      if (/[()]/.test(words)) problems.push(`${rule.id} (${lang}) has brackets: ${basis}`);
      if (/\.\s*$/.test(basis)) problems.push(`${rule.id} (${lang}) ends with a full stop`);
      const sentenceCased =
        lang === 'en' ? /^[A-Z]/.test(basis) && !/^(Art\.|GDPR)/.test(basis) : germanSentenceOpeners.test(basis);
      if (sentenceCased) problems.push(`${rule.id} (${lang}) starts as a sentence: ${basis}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the request log’s retention texts need no brackets', () => {
  const map = createDataMap();
  for (const table of map.tables.filter((t) => t.activity === 'usage.request-log' || t.table === 'account_tokens'))
    for (const rule of table.retention)
      for (const lang of langs) assert.doesNotMatch(rule.what[lang], /[()]/, `${rule.id} (${lang})`);
});

test('no period is stated twice: the full IP once on the visit section, the data of other activities in one sentence', () => {
  const input = policyInput();
  const ipRule = input.dataMap.tables.flatMap((t) => t.retention).find((r) => r.id === 'usage.anonymise-ip-addresses')!;
  const { en, de } = policyBodies(input);
  for (const [lang, body] of [
    ['en', en],
    ['de', de],
  ] as const) {
    const visit = elementById(body, 'usage-data') ?? '';
    assert.ok(
      !visit.includes(escapeHtml(describeRule(lang, ipRule))),
      `${lang}: the IP period once in the visit section`,
    );
    assert.ok(body.includes(escapeHtml(describeRule(lang, ipRule))), `${lang}: and in the full list`);
    for (const activity of input.dataMap.activities) {
      const section = elementById(body, activity.id) ?? '';
      assert.ok(count(section, lang === 'de' ? 'Für die Daten aus' : 'For the data taken from') <= 1, activity.id);
    }
    const orders = elementById(body, 'orders.purchase') ?? '';
    assert.match(
      elementById(orders, 'uses-orders.purchase') ?? '',
      lang === 'de'
        ? /gelten die dort jeweils genannten Speicherfristen\.$/
        : /the storage periods stated there apply\.$/,
    );
    // A request for erasure of data kept by law: a sentence, not a fragment.
    assert.doesNotMatch(body, /; Aufbewahrung:|it is kept for \d/);
    assert.match(
      orders,
      lang === 'de'
        ? /Verlangen Sie die Löschung, schränken wir die Verarbeitung dieser Daten ein, statt sie zu löschen/
        : /If you ask for erasure, we restrict the processing of this data instead of deleting it/,
    );
  }
});

test('the recipients section says truthfully how the list is enforced: calls refused, hand-offs cut down', () => {
  const { en, de } = policyBodies();
  const recipientsEn = elementById(en, 'recipients') ?? '';
  const recipientsDe = elementById(de, 'recipients') ?? '';
  assert.match(recipientsEn, /A direct call to a recipient[\s\S]*is refused/);
  assert.match(recipientsEn, /hand-off file, is cut down to the fields listed/);
  assert.match(recipientsDe, /Eine unmittelbare Übermittlung[\s\S]*wird sie verweigert/);
  assert.match(
    recipientsDe,
    /Übergabedatei für das Versandunternehmen, werden vor der Übergabe auf die für den Empfänger aufgeführten Felder beschränkt/,
  );
  assert.doesNotMatch(recipientsEn, /checks every transmission against this list/);
});

test('the telephone number is a category of its own, listed only where a phone number is held', () => {
  const input = policyInput();
  const users = input.dataMap.tables.find((t) => t.table === 'users')!;
  assert.equal(users.columns.phone, 'phone');
  assert.equal(users.columns.email, 'contact');
  assert.deepEqual(categoryNames.contact, { en: 'email address', de: 'E-Mail-Adresse' });
  assert.deepEqual(categoryNames.communication, {
    en: 'messages between you and us',
    de: 'Nachrichten zwischen Ihnen und uns',
  });
  const { en, de } = policyBodies(input);
  for (const [lang, body] of [
    ['en', en],
    ['de', de],
  ] as const) {
    const label = lang === 'de' ? 'Welche Daten' : 'Which data';
    for (const activity of input.dataMap.activities) {
      const section = elementById(body, activity.id) ?? '';
      const listed = new RegExp(`<dt>${label}</dt><dd>([^<]*)</dd>`).exec(section)?.[1] ?? '';
      const holdsPhone = input.dataMap.tables.some(
        (t) => t.activity === activity.id && Object.values(t.columns).includes('phone'),
      );
      assert.equal(/Telefon|phone/i.test(listed), holdsPhone, `${activity.id} (${lang}): ${listed}`);
    }
  }
});

test('the voluntary phone number and company name have a stated purpose, and the German policy speaks as “wir”', () => {
  const { en, de } = policyBodies();
  const accountEn = elementById(en, 'requirement-accounts.user-account') ?? '';
  const accountDe = elementById(de, 'requirement-accounts.user-account') ?? '';
  assert.match(accountEn, /our staff see it with your orders so that they can call you about an order/);
  assert.match(accountDe, /um Sie zu einer Bestellung anrufen zu können/);
  assert.match(accountEn, /not printed on invoices or delivery addresses/);
  assert.match(accountDe, /weder auf Rechnungen noch in Lieferanschriften/);
  assert.doesNotMatch(accountEn, /uses them for nothing else/);
  assert.doesNotMatch(de, /legt der Betreiber fest/);
  assert.match(de, /diese Frist legen wir selbst fest/);
});
