// Every item of information that Art. 13(1), 13(2) and 14 GDPR require has its place in the published policy, in
// English and German: a checklist from article item to the element that answers it, each checked for content.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { elementById, policyInput, textOf } from '../testing/policy.ts';
import { createDataMap } from '../testing/app.ts';
import { escapeHtml } from '../platform/html.ts';
import { tr, type Lang } from '../platform/i18n.ts';
import { categoryNames, type DataMap } from './data-map.ts';
import { linkFor } from './policy-links.ts';
import { renderPolicyBody, type PolicyInput } from './policy.pages.ts';

const langs: Lang[] = ['en', 'de'];

/** Article item → the element that answers it. Each must exist with text of its own in both languages. */
const checklist: { item: string; what: string; ids: string[] }[] = [
  { item: '13(1)(a)', what: 'identity and contact details of the controller', ids: ['controller'] },
  { item: '13(1)(b)', what: 'contact details of the data protection officer', ids: ['dpo'] },
  { item: '13(1)(c)', what: 'purposes and legal basis', ids: ['processing'] },
  { item: '13(1)(d)', what: 'the legitimate interests pursued', ids: ['basis-legitimate-interests'] },
  { item: '13(1)(e)', what: 'recipients', ids: ['recipients'] },
  { item: '13(1)(f)', what: 'transfers to third countries and their safeguards', ids: ['transfers'] },
  { item: '13(2)(a)', what: 'storage periods', ids: ['processing'] },
  {
    item: '13(2)(b)',
    what: 'access, rectification, erasure, restriction, objection, portability',
    ids: [
      'right-access',
      'right-rectification',
      'right-erasure',
      'right-restriction',
      'objection',
      'right-portability',
    ],
  },
  { item: '13(2)(c)', what: 'withdrawing consent', ids: ['right-withdrawal'] },
  { item: '13(2)(d)', what: 'complaint to a supervisory authority', ids: ['right-complaint'] },
  { item: '13(2)(e)', what: 'required or voluntary, and the consequences', ids: ['requirements'] },
  { item: '13(2)(f)', what: 'automated decision-making, its logic and consequences', ids: ['automated-decisions'] },
  { item: '14(1)(d)', what: 'categories of data obtained from others', ids: ['sources'] },
  { item: '14(2)(f)', what: 'the source, and whether it is publicly accessible', ids: ['sources'] },
];

/** Everything the checklist finds missing in one rendered policy. */
function missingItems(lang: Lang, body: string, input: PolicyInput): string[] {
  const t = (text: { en: string; de: string }) => escapeHtml(tr(lang, text));
  const problems: string[] = [];
  for (const { item, what, ids } of checklist) {
    for (const id of ids) {
      const found = elementById(body, id);
      if (found === undefined || textOf(found).length < 40) problems.push(`${lang} Art. ${item} (${what}): #${id}`);
    }
  }
  // 13(1)(a), (b): who the controller and the DPO are, and how to reach them.
  const { operator } = input;
  const controller = elementById(body, 'controller') ?? '';
  if (!controller.includes(escapeHtml(operator.company)) || !controller.includes(`mailto:${operator.email}`))
    problems.push(`${lang} Art. 13(1)(a): the controller's name and contact`);
  const dpo = elementById(body, 'dpo') ?? '';
  if (!dpo.includes(escapeHtml(operator.dpo.name)) || !dpo.includes(`mailto:${operator.dpo.email}`))
    problems.push(`${lang} Art. 13(1)(b): the DPO's name and contact`);
  // 13(1)(f): every transferring vendor with the article that makes the transfer lawful.
  const transfers = elementById(body, 'transfers') ?? '';
  for (const { template: v } of input.registry.vendors.filter((x) => x.template.thirdCountry.transfer)) {
    if (!transfers.includes(`href="#vendor-${v.id}"`)) problems.push(`${lang} Art. 13(1)(f): ${v.id}`);
  }
  if (input.registry.vendors.some((x) => x.template.thirdCountry.transfer) && !/Art\. 4[5-7]/.test(transfers))
    problems.push(`${lang} Art. 13(1)(f): no article for the safeguards`);
  const views = input.dataMap.activities.filter((a) => body.includes(`<section id="${a.id}">`));
  // 13(1)(c), 13(2)(a): every activity in the list states its purpose, its legal basis and how long.
  for (const a of views) {
    const section = elementById(body, a.id) ?? '';
    for (const [label, text] of [
      ['purpose', t(a.purpose)],
      ['legal basis', lang === 'de' ? 'Rechtsgrundlage' : 'Legal basis'],
      ['storage period', lang === 'de' ? 'Speicherdauer' : 'How long'],
    ] as const)
      if (!section.includes(text)) problems.push(`${lang} Art. 13: ${a.id} lacks its ${label}`);
  }
  // 13(2)(e): each declared requirement, with what happens without the data.
  for (const a of input.dataMap.activities.filter((x) => x.requirement)) {
    const section = elementById(body, `requirement-${a.id}`) ?? '';
    if (!section.includes(t(a.requirement!.required)) || !section.includes(t(a.requirement!.without)))
      problems.push(`${lang} Art. 13(2)(e): ${a.id}`);
  }
  // 13(2)(f), 22(3): each automated decision with its logic and the route to a human review.
  const review = linkFor(input.dataMap.links, 'contest-automated-decision');
  for (const a of input.dataMap.activities.filter((x) => x.automatedDecision)) {
    const section = elementById(body, `decision-${a.id}`) ?? '';
    const d = a.automatedDecision!;
    for (const part of [d.inputs, d.logic, d.consequences, d.alternatives, d.humanReview])
      if (!section.includes(t(part))) problems.push(`${lang} Art. 13(2)(f): ${a.id} lacks "${part.en.slice(0, 30)}…"`);
    const route = elementById(body, `review-${a.id}`) ?? '';
    if (review && !route.includes(`href="${review.href}"`)) problems.push(`${lang} Art. 22(3): ${a.id} review page`);
    if (!route.includes(`mailto:${input.operator.dpo.email}`)) problems.push(`${lang} Art. 22(3): ${a.id} DPO`);
  }
  // 14(1)(d), 14(2)(f): each source named with the categories obtained and whether it is public.
  const sources = elementById(body, 'sources') ?? '';
  for (const a of input.dataMap.activities)
    for (const s of a.sources ?? []) {
      if (!sources.includes(t(s.from))) problems.push(`${lang} Art. 14(2)(f): ${a.id} source`);
      for (const c of s.categories)
        if (!sources.includes(t(categoryNames[c]))) problems.push(`${lang} Art. 14(1)(d): ${a.id} ${c}`);
    }
  return problems;
}

test('each Art. 13(1), 13(2) and 14 item has its section with content in English and German', () => {
  const input = policyInput();
  for (const lang of langs) {
    const body = renderPolicyBody(lang, input);
    assert.deepEqual(missingItems(lang, body, input), [], lang);
    // Each answering section is also in the contents.
    for (const id of new Set(checklist.flatMap((c) => c.ids)))
      if (/^(right-|basis-|dpo$)/.test(id) === false)
        assert.ok(body.includes(`href="#${id}"`), `${lang}: the contents link to #${id}`);
  }
});

test('the checklist fails for a policy that lacks a section (the Art. 22, Art. 14 and Art. 13(2)(e) ones removed)', () => {
  const input = policyInput();
  for (const lang of langs) {
    const body = renderPolicyBody(lang, input);
    for (const [id, item] of [
      ['automated-decisions', '13(2)(f)'],
      ['sources', '14(2)(f)'],
      ['requirements', '13(2)(e)'],
      ['transfers', '13(1)(f)'],
      ['dpo', '13(1)(b)'],
    ] as const) {
      const inner = elementById(body, id);
      assert.ok(inner !== undefined, `${lang}: #${id} is there to remove`);
      const without = body.replace(inner, '');
      assert.ok(
        missingItems(lang, without, input).some((p) => p.includes(`Art. ${item}`)),
        `${lang}: removing #${id} is noticed as Art. ${item}`,
      );
    }
  }
});

test('the credit decision is disclosed under Art. 22 with its review route, and the agency as the source of the result (Art. 14)', () => {
  const input = policyInput();
  const credit = input.dataMap.activities.find((a) => a.id === 'credit.credit-check');
  assert.ok(credit?.automatedDecision, 'the credit check declares its automated decision');
  assert.ok(credit.sources?.some((s) => s.categories.includes('creditworthiness') && !s.publiclyAccessible));
  const review = linkFor(input.dataMap.links, 'contest-automated-decision');
  assert.ok(review, 'a feature declares the page for a human review');
  const words = {
    en: { agency: /credit agency/, result: /credit check/, review: /human intervention/ },
    de: { agency: /Auskunftei/, result: /Bonität/, review: /Eingreifen einer Person/ },
  };
  for (const lang of langs) {
    const body = renderPolicyBody(lang, input);
    const decision = elementById(body, 'decision-credit.credit-check') ?? '';
    assert.match(decision, words[lang].review, lang);
    assert.ok(decision.includes(`href="${review.href}"`), `${lang}: links the review page`);
    assert.doesNotMatch(decision, /profiling/i, `${lang}: no claim of profiling`);
    const sources = elementById(body, 'sources') ?? '';
    assert.match(sources, words[lang].agency, `${lang}: names the credit agency`);
    assert.match(sources, words[lang].result, `${lang}: names the creditworthiness category`);
    assert.match(sources, lang === 'de' ? /nicht öffentlich zugänglich/ : /not publicly accessible/);
    const requirements = elementById(body, 'requirements') ?? '';
    for (const id of ['accounts.user-account', 'orders.purchase', 'credit.credit-check'])
      assert.ok(requirements.includes(`id="requirement-${id}"`), `${lang}: requirement of ${id}`);
    // The voluntary phone number has its purpose and legal basis.
    const account = elementById(body, 'requirement-accounts.user-account') ?? '';
    assert.match(
      account,
      lang === 'de' ? /Telefonnummer[\s\S]*Art\. 6 Abs\. 1 lit\. a DSGVO/ : /phone number[\s\S]*Art\. 6\(1\)\(a\) GDPR/,
    );
  }
});

test('without an automated decision or another source, the policy says so instead of leaving the items out', () => {
  const full = createDataMap();
  const dataMap: DataMap = {
    ...full,
    activities: full.activities.map(({ automatedDecision: _d, sources: _s, ...a }) => a),
  };
  const input = policyInput(dataMap);
  const en = renderPolicyBody('en', input);
  const de = renderPolicyBody('de', input);
  assert.match(
    elementById(en, 'automated-decisions') ?? '',
    /We make no decisions about you that are based solely on automated processing/,
  );
  assert.match(
    elementById(de, 'automated-decisions') ?? '',
    /keine ausschließlich auf einer automatisierten Verarbeitung beruhenden Entscheidungen/,
  );
  assert.match(elementById(en, 'sources') ?? '', /We obtain no data about you from others/);
  assert.match(elementById(de, 'sources') ?? '', /Von anderen erhalten wir keine Daten über Sie/);
  assert.ok(!en.includes('id="decision-'));
});
