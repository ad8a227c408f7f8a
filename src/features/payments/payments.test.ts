// The payment provider seam: chosen by PAYMENT_PROVIDER, the test provider's routes only while it is active,
// and its tokens single-use, bound to their customer and outside the data export.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../platform/config.ts';
import { Browser, describeEachDatabase, linkIn, openHarness, type Harness } from '../../testing/harness.ts';
import { exportSubjectData } from '../../privacy/subject.ts';
import { deliverDueMail } from '../mail/index.ts';

const address = { name: 'Tara Token', street: 'Testweg 1', postalCode: '10115', city: 'Berlin', country: 'DE' };

test('PAYMENT_PROVIDER defaults to the test provider, and an unknown value is a configuration error that names the choices', () => {
  assert.equal(loadConfig({ DATA_DIR: '/tmp/candor-h5-config', CANDOR_SECRET: 'x'.repeat(32) }).paymentProvider, 'test');
  assert.throws(() => loadConfig({ DATA_DIR: '/tmp/candor-h5-config', CANDOR_SECRET: 'x'.repeat(32), PAYMENT_PROVIDER: 'stripe' }), /PAYMENT_PROVIDER must be one of: test/);
});

describeEachDatabase('payments', (db) => {
  let h: Harness;
  let counter = 0;
  before(async () => {
    h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '10000' } });
  });
  after(() => h.close());

  async function customer(): Promise<{ b: Browser; email: string }> {
    const email = `payer${++counter}@example.org`;
    const b = new Browser(h.app, `198.51.100.${counter}`);
    await b.api('POST', '/api/v1/accounts', { name: 'Tara Token', email, password: 'sturdy walnut ladder' });
    await b.api('POST', '/api/v1/sessions', { email, password: 'sturdy walnut ladder' });
    await deliverDueMail({ db: h.deps.db, clock: h.clock, mailer: h.mailer, log: h.deps.log, from: 'shop@test', secret: h.deps.config.secret });
    await b.get(linkIn(h.mailer.to(email)[0]!.text, '/account/verify'));
    await b.api('POST', '/api/v1/basket/items', { productId: (await b.api('GET', '/api/v1/products/aurora-synth')).json().id, quantity: 1 });
    return { b, email };
  }
  const token = async (b: Browser) => (await b.api('POST', '/api/v1/test-payments/tokens', { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2030, cvc: '123' })).json().token as string;

  test('while the test provider is active the start-up log says so and its page and token endpoint exist', async () => {
    assert.ok(h.logLines.some((l) => /TEST payment provider/.test(l)), 'start-up log names test mode');
    assert.equal(h.deps.payments.testMode, true);
    assert.equal((await new Browser(h.app).api('POST', '/api/v1/test-payments/tokens', { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' })).statusCode, 401);
    assert.equal((await new Browser(h.app).get('/test-payments/pay/unknown-session')).statusCode, 410);
  });

  test('a payment token is single-use and bound to the customer who made it: another customer’s token is refused with 4xx', async () => {
    const alice = await customer();
    const bob = await customer();
    const alices = await token(alice.b);
    const stolen = await bob.b.api('POST', '/api/v1/orders', { billingAddress: address, payment: { method: 'card', token: alices } }, { 'idempotency-key': `stolen-${counter}` });
    assert.equal(stolen.statusCode, 400, stolen.body);
    assert.equal(stolen.json().error.code, 'payment_token_invalid');
    const first = await alice.b.api('POST', '/api/v1/orders', { billingAddress: address, payment: { method: 'card', token: alices } }, { 'idempotency-key': `alice-1-${counter}` });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().status, 'paid');
    await alice.b.api('POST', '/api/v1/basket/items', { productId: (await alice.b.api('GET', '/api/v1/products/vocal-chops')).json().id, quantity: 1 });
    const reused = await alice.b.api('POST', '/api/v1/orders', { billingAddress: address, payment: { method: 'card', token: alices } }, { 'idempotency-key': `alice-2-${counter}` });
    assert.equal(reused.statusCode, 400);
    assert.equal(reused.json().error.code, 'payment_token_invalid');
  });

  test('payment tokens are not part of the data export', async () => {
    const { b, email } = await customer();
    const t = await token(b);
    assert.equal((await b.api('POST', '/api/v1/orders', { billingAddress: address, payment: { method: 'card', token: t } }, { 'idempotency-key': `export-${counter}` })).statusCode, 201);
    const exported = await exportSubjectData(h.deps, email);
    assert.ok(!JSON.stringify(exported).includes(t));
    assert.ok(!exported.records.some((r) => r.table.startsWith('test_payment')));
  });
});

describeEachDatabase('payments without the test provider', (db) => {
  test('the test provider’s routes exist only while it is the active provider', async () => {
    const { createTestPaymentProvider } = await import('./index.ts');
    const h = await openHarness(db, { seed: true });
    try {
      // A stand-in for a real adapter: the same behaviour, not in test mode.
      const real = { ...createTestPaymentProvider(h.deps.db, h.clock), id: 'real', testMode: false };
      const { buildApp } = await import('../../app.ts');
      const app = await buildApp({ ...h.deps, payments: real });
      try {
        assert.equal((await new Browser(app).api('POST', '/api/v1/test-payments/tokens', { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' })).statusCode, 404);
        assert.equal((await new Browser(app).get('/test-payments/pay/some-session')).statusCode, 404);
        assert.equal((await new Browser(h.app).get('/test-payments/pay/some-session')).statusCode, 410);
      } finally {
        await app.close();
      }
    } finally {
      await h.close();
    }
  });
});
