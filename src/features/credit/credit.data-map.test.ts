// The credit check's policy texts say only what the code does (review findings 3a–g): no amount limits of our own,
// the other ways to pay as configured, the shared daily allowance, the reason in the data export, no gendered
// DPO, retention bases as phrases, and the configured agency's company as recipient and Art. 14 source.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CreditCheckMethod } from '../../platform/config.ts';
import { demoOperator } from '../../platform/operator.ts';
import { createDataMap } from '../../testing/app.ts';
import { APPROVAL_DAYS, REVIEW_WINDOW_DAYS } from './credit.reviews.service.ts';

const mapWith = (creditCheckMethods: CreditCheckMethod[] = ['invoice']) =>
  createDataMap({ retention: { invoiceYears: 8 }, operator: demoOperator, creditCheckMethods, creditChecksPerDay: 3 });
const activity = (methods?: CreditCheckMethod[]) =>
  mapWith(methods).activities.find((a) => a.id === 'credit.credit-check')!;

test('the automated decision claims no amount limits of our own and states the shared daily allowance and the export of the reason', () => {
  const d = activity().automatedDecision!;
  for (const lang of ['en', 'de'] as const) {
    assert.doesNotMatch(d.logic[lang], /fixed amount limits|feste Betragsgrenzen/);
    assert.match(d.logic[lang], /3 (checks|Prüfungen)/);
    assert.doesNotMatch(
      d.consequences[lang],
      /other payment methods are not affected|andere Zahlungsarten sind nicht betroffen/,
    );
    assert.match(d.consequences[lang], /all the checked payment methods share|aller geprüften Zahlungsarten teilen/);
    assert.doesNotMatch(d.consequences[lang], /do not show you or anyone else|weder Ihnen noch anderen/);
    assert.match(d.consequences[lang], /data export|Datenexport/);
    // The policy adds the DPO with the configured title: no hard-coded (gendered) form here.
    assert.doesNotMatch(d.humanReview[lang], /data protection officer|Datenschutzbeauftragte/);
  }
});

test('the other ways to pay follow CREDIT_CHECK_METHODS; with every method checked the text says there is none', () => {
  const byDefault = activity(['invoice']);
  assert.equal(
    byDefault.automatedDecision!.alternatives.en,
    'You can pay by credit card or by wallet without a credit check.',
  );
  assert.match(byDefault.automatedDecision!.alternatives.de, /mit Kreditkarte oder per Wallet/);
  assert.match(activity(['invoice', 'card']).automatedDecision!.alternatives.en, /^You can pay by wallet without/);
  const all = activity(['invoice', 'card', 'wallet']);
  for (const text of [all.automatedDecision!.alternatives, all.requirement!.without]) {
    assert.doesNotMatch(text.en, /any other payment method|every other payment method/);
    assert.match(text.en, /no way to pay without a check/);
    assert.match(text.de, /ohne Prüfung können Sie daher nicht bezahlen/);
  }
});

test('the configured agency’s company is the recipient and the Art. 14 source; the recipient id stays', () => {
  const a = activity();
  const agency = a.recipients.find((r) => r.id === 'credit-agency')!;
  assert.match(agency.name.en, /Test credit agency \(stand-in, no real company\)/);
  assert.match(agency.name.de, /Test credit agency \(stand-in, no real company\)/);
  assert.match(a.sources![0]!.from.en, /Test credit agency \(stand-in, no real company\)/);
  assert.doesNotMatch(a.sources![0]!.from.en, /^Our credit agency/);
});

test('the credit rules’ retention bases are lower-case phrases without brackets of their own, like the other maps', () => {
  const rules = mapWith()
    .tables.filter((t) => t.activity === 'credit.credit-check')
    .flatMap((t) => t.retention);
  assert.equal(rules.length, 3);
  for (const rule of rules)
    for (const lang of ['en', 'de'] as const) {
      const basis = rule.basis[lang];
      assert.match(basis, /^[a-zäöü]/, `${rule.id} ${lang}: ${basis}`);
      assert.doesNotMatch(basis.replace(/Art\. \d+\(\d+\)/g, ''), /[()]/, `${rule.id} ${lang}`);
      assert.doesNotMatch(basis, /\.$/);
    }
});

test('the activity declares the orders, users and outbox columns it reads', () => {
  const uses = activity().uses ?? [];
  assert.deepEqual(
    uses.map((u) => u.table),
    ['orders', 'users', 'outbox'],
  );
});

test('the review’s time limits in the policy are those the code applies: REVIEW_WINDOW_DAYS and APPROVAL_DAYS', () => {
  const d = activity().automatedDecision!;
  for (const lang of ['en', 'de'] as const) {
    const days = [...d.humanReview[lang].matchAll(/(\d+) (?:days|Tagen)/g)].map((m) => Number(m[1]));
    assert.deepEqual(days, [REVIEW_WINDOW_DAYS, APPROVAL_DAYS], d.humanReview[lang]);
  }
});

test('the automated decision names the Art. 22(2) exception relied on (the contract) and says an exhausted allowance makes no check', () => {
  const d = activity().automatedDecision!;
  assert.equal(d.exception, 'contract');
  assert.match(d.logic.en, /say that no check was made/);
  assert.match(d.logic.de, /dass keine Prüfung stattgefunden hat/);
});
