// Every storage statement of the policy stands on a rule of the data map: each period with its statute or reason,
// each table without a period with the mechanism that ends it, and no sentence that no rule stands behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { policyBodies, policyInput } from '../testing/policy.ts';
import { createDataMap } from '../testing/app.ts';
import { escapeHtml } from '../platform/html.ts';
import type { Lang } from '../platform/i18n.ts';
import { describeRule } from './policy.common.ts';

const langs: Lang[] = ['en', 'de'];
/** A basis as the policy prints it after "Why:" / "Grund:": a sentence of its own. */
const sentence = (basis: string) => basis.charAt(0).toUpperCase() + basis.slice(1).replace(/\.\s*$/, '');

function render() {
  const map = createDataMap();
  return { map, bodies: policyBodies(policyInput(map)) };
}

test('the policy makes no storage promise without a rule: no "no deletion period", no "while you use the service"', () => {
  const { bodies } = render();
  for (const phrase of [/no automatic deletion period/i, /no deletion period/i, /while you use the service/i])
    assert.doesNotMatch(bodies.en, phrase);
  for (const phrase of [/keine automatische Löschfrist/i, /keine Löschfrist/i, /solange Sie den Dienst nutzen/i])
    assert.doesNotMatch(bodies.de, phrase);
});

test('every retention rule is published with its statute or reason, and every open-ended table with its end', () => {
  const { map, bodies } = render();
  // The policy is about personal data: a rule on a table without any (the job-run records) runs, unpublished.
  const rules = map.tables
    .filter((t) => Object.values(t.columns).some((c) => c !== 'not-personal'))
    .flatMap((t) => t.retention);
  assert.ok(rules.length > 20);
  for (const lang of langs) {
    for (const rule of rules) {
      assert.ok(rule.basis[lang].trim().length > 0, `${rule.id} has no basis`);
      assert.ok(bodies[lang].includes(escapeHtml(describeRule(lang, rule))), `${rule.id} (${lang})`);
    }
    for (const set of map.files)
      for (const rule of set.retention)
        assert.ok(bodies[lang].includes(escapeHtml(sentence(rule.basis[lang]))), rule.id);
    for (const table of map.tables) {
      const personal = Object.values(table.columns).some((c) => c !== 'not-personal');
      if (!personal) continue;
      assert.ok(table.retention.length > 0 || table.keptUntil, `${table.table} says not how long`);
      if (table.keptUntil) assert.ok(bodies[lang].includes(escapeHtml(table.keptUntil[lang])), table.table);
    }
  }
});

test('orders cite § 147 AO as booking vouchers, the kept order confirmations § 257 HGB for 6 years; card details go after 180 days, with the reason', () => {
  const { map, bodies } = render();
  const orders = map.tables.find((t) => t.table === 'orders')!;
  const rule = (id: string) => orders.retention.find((r) => r.id === id)!;
  assert.match(
    describeRule('de', rule('orders.delete-expired-orders')),
    /gelöscht\. Grund: Buchungsbelege nach § 147 Abs\. 1 Nr\. 4, Abs\. 3 AO/,
  );
  assert.match(
    describeRule('en', rule('orders.delete-expired-orders')),
    /deleted 8 years after the end of the calendar year of the order\. Why: Booking vouchers under § 147\(1\) no\. 4 and \(3\)/,
  );
  const card = rule('orders.clear-card-details');
  assert.deepEqual(card.after, { days: 180 });
  // The provider's reference belongs to the booking voucher and stays with the order (decision 0028).
  assert.deepEqual(card.action, { kind: 'clear', columns: ['card_brand', 'card_last4', 'card_exp_month'] });
  assert.ok(bodies.en.includes('are removed 180 days after the order. Why: Needed only to match card chargebacks'));
  assert.ok(bodies.de.includes('werden 180 Tage nach der Bestellung entfernt. Grund: Nur nötig, um Rückbelastungen'));
  // The order confirmation's copy is kept apart, as written, for the 6 years of a sent business letter.
  const letters = map.tables.find((t) => t.table === 'business_letters')!;
  assert.match(
    describeRule('en', letters.retention[0]!),
    /6 years after the end of the calendar year of sending\. Why: Copies of sent commercial letters, kept 6 years under § 257\(1\) no\. 3/,
  );
  assert.equal(letters.erasure?.action, 'keep');
  const invoices = map.tables.find((t) => t.table === 'invoices')!;
  assert.match(describeRule('de', invoices.retention[0]!), /§ 14b Abs\. 1 UStG/);
});
