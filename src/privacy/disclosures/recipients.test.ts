// Recipients are named (issue 10, point 6; Art. 13(1)(e), 14(1)(e), 15(1)(c) GDPR, CJEU C-154/21): the policy and
// the access export say "name, address" of the delivery company and the mail relay (operator.json) and of the
// payment provider (its adapter), in English and German.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Company } from '../../platform/operator.ts';
import { placeOrder, signedIn } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { renderPolicyBody } from '../policy.pages.ts';
import { exportSubjectData } from '../subject.ts';

const delivery: Company = {
  name: 'Paketprobe Versand GmbH',
  address: ['Probeweg 3', '04109 Leipzig', 'Deutschland'],
  privacyPolicyUrl: 'https://paketprobe.example/datenschutz',
};
const relay: Company = { name: 'Relaisprobe AG', address: ['Relaisgasse 4', '50667 Köln', 'Deutschland'] };
const provider: Company = { name: 'Zahlprobe Payments S.A.', address: ['1 Rue de Test', 'L-1000 Luxembourg'] };

const identity = (c: Company) => [c.name, ...c.address].join(', ');

describeEachDatabase('recipients are named', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, {
      seed: true,
      operator: { recipients: { 'delivery-company': delivery, 'mail-provider': relay } },
      // The company comes from the adapter in use, not from a list of its own.
      beyondGate: { payments: (p) => ({ ...p, company: provider }) },
    });
  });
  after(() => h.close());

  test('the policy names each recipient’s company beside its role, in its activity and in the recipients table, in both languages', () => {
    const input = { dataMap: h.deps.dataMap, operator: h.deps.config.operator, registry: h.deps.consent };
    for (const lang of ['en', 'de'] as const) {
      const body = renderPolicyBody(lang, input);
      const element = (id: string) => {
        const at = body.indexOf(`id="${id}"`);
        assert.ok(at > 0, `${lang}: ${id} is on the page`);
        return body.slice(at, body.indexOf(id.startsWith('recipient-') ? '</tr>' : '</li>', at));
      };
      for (const [id, company] of [
        ['orders.purchase--delivery-company', delivery],
        ['mail.service-messages--mail-provider', relay],
        ['payments.card-payment--payment-provider', provider],
        ['recipient-delivery-company', delivery],
        ['recipient-mail-provider', relay],
        ['recipient-payment-provider', provider],
      ] as const)
        assert.ok(element(id).includes(`<span class="recipient-company">${identity(company)}`), `${lang}: ${id}`);
      assert.match(
        element('orders.purchase--delivery-company'),
        lang === 'en'
          ? /Company: .*\(<a href="https:\/\/paketprobe\.example\/datenschutz" rel="noopener noreferrer">its privacy notice<\/a>\)/
          : /Unternehmen: .*\(<a href="https:\/\/paketprobe\.example\/datenschutz" rel="noopener noreferrer">seine Datenschutzhinweise<\/a>\)/,
      );
    }
  });

  test('the access export names the company of each recipient of the person’s data', async () => {
    const customer = await signedIn(h, { name: 'Ella Export' });
    await placeOrder(h, customer.b, ['padgrid']);
    const exported = await exportSubjectData(h.deps, customer.email);
    const recipientsOf = (table: string) => exported.records.find((r) => r.table === table)?.recipients ?? [];
    assert.equal(recipientsOf('orders').find((r) => r.id === 'delivery-company')?.company, identity(delivery));
    assert.equal(recipientsOf('outbox').find((r) => r.id === 'mail-provider')?.company, identity(relay));
  });
});
