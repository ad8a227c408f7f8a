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
  assert.equal(
    loadConfig({ DATA_DIR: '/tmp/candor-h5-config', CANDOR_SECRET: 'x'.repeat(32) }).paymentProvider,
    'test',
  );
  assert.throws(
    () => loadConfig({ DATA_DIR: '/tmp/candor-h5-config', CANDOR_SECRET: 'x'.repeat(32), PAYMENT_PROVIDER: 'stripe' }),
    /PAYMENT_PROVIDER must be one of: test/,
  );
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
    await deliverDueMail({
      db: h.deps.db,
      clock: h.clock,
      mailer: h.mailer,
      log: h.deps.log,
      from: 'shop@test',
      secret: h.deps.config.secret,
    });
    await b.get(linkIn(h.mailer.to(email)[0]!.text, '/account/verify'));
    await b.api('POST', '/api/v1/basket/items', {
      productId: (await b.api('GET', '/api/v1/products/aurora-synth')).json().id,
      quantity: 1,
    });
    return { b, email };
  }
  const token = async (b: Browser) =>
    (
      await b.api('POST', '/api/v1/test-payments/tokens', {
        number: '4242 4242 4242 4242',
        expMonth: 12,
        expYear: 2030,
        cvc: '123',
      })
    ).json().token as string;

  test('while the test provider is active the start-up log says so and its page and token endpoint exist', async () => {
    assert.ok(
      h.logLines.some((l) => /TEST payment provider/.test(l)),
      'start-up log names test mode',
    );
    assert.equal(h.deps.payments.testMode, true);
    assert.equal(
      (
        await new Browser(h.app).api('POST', '/api/v1/test-payments/tokens', {
          number: '4242424242424242',
          expMonth: 12,
          expYear: 2030,
          cvc: '123',
        })
      ).statusCode,
      401,
    );
    assert.equal((await new Browser(h.app).get('/test-payments/pay/unknown-session')).statusCode, 410);
  });

  test('a payment token is single-use and bound to the customer who made it: another customer’s token is refused with 4xx', async () => {
    const alice = await customer();
    const bob = await customer();
    const alices = await token(alice.b);
    const stolen = await bob.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: address, payment: { method: 'card', token: alices } },
      { 'idempotency-key': `stolen-${counter}` },
    );
    assert.equal(stolen.statusCode, 400, stolen.body);
    assert.equal(stolen.json().error.code, 'payment_token_invalid');
    const first = await alice.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: address, payment: { method: 'card', token: alices } },
      { 'idempotency-key': `alice-1-${counter}` },
    );
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().status, 'paid');
    await alice.b.api('POST', '/api/v1/basket/items', {
      productId: (await alice.b.api('GET', '/api/v1/products/vocal-chops')).json().id,
      quantity: 1,
    });
    const reused = await alice.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: address, payment: { method: 'card', token: alices } },
      { 'idempotency-key': `alice-2-${counter}` },
    );
    assert.equal(reused.statusCode, 400);
    assert.equal(reused.json().error.code, 'payment_token_invalid');
  });

  test('the test provider’s charges are deleted 90 days after they were made (payments.delete-test-charges), not kept for ever', async () => {
    const { runRetention } = await import('../../privacy/retention.ts');
    const { b } = await customer();
    const res = await b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: address, payment: { method: 'card', token: await token(b) } },
      { 'idempotency-key': `retention-${counter}` },
    );
    assert.equal(res.statusCode, 201, res.body);
    const charge = () =>
      h.deps.db
        .selectFrom('test_payment_charges')
        .select('id')
        .where('idempotency_key', '=', res.json().id)
        .executeTakeFirst();
    h.clock.advance(89 * 24 * 60 * 60_000);
    await runRetention(h.deps);
    assert.ok(await charge(), 'kept for 89 days');
    h.clock.advance(24 * 60 * 60_000 + 60_000);
    await runRetention(h.deps);
    assert.equal(await charge(), undefined, 'deleted after 90 days');
  });

  test('after a hosted payment no table cell holds the payment token or the payment page’s session id that the browser saw, nor an API token', async () => {
    const { listTables } = await import('../../platform/db/dialect.ts');
    const { b } = await customer();
    const apiToken = await token(b);
    const page = await b.get('/checkout');
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page.body)?.[1] as string;
    const toProvider = await b.post('/checkout', {
      _csrf: field('_csrf'),
      formKey: field('formKey'),
      'billingAddress.name': 'Tara Token',
      'billingAddress.street': 'Testweg 1',
      'billingAddress.postalCode': '10115',
      'billingAddress.city': 'Berlin',
      'billingAddress.country': 'DE',
      shipToBilling: '1',
      'payment.method': 'card',
      acceptTerms: '1',
      digitalConsent: '1',
    });
    assert.equal(toProvider.statusCode, 303, toProvider.body);
    const paymentPage = toProvider.headers.location as string;
    const sessionId = paymentPage.split('/').pop() as string;
    const providerPage = await b.get(paymentPage);
    assert.equal(providerPage.statusCode, 200);
    const back = await b.post(paymentPage, {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(providerPage.body)?.[1] as string,
      number: '4242 4242 4242 4242',
      expMonth: '12',
      expYear: '2030',
      cvc: '123',
    });
    assert.equal(back.statusCode, 303, back.body);
    const returned = new URL(back.headers.location as string);
    const paymentToken = returned.searchParams.get('token') as string;
    assert.match(paymentToken, /^tok_test_/);
    const placed = await b.get(returned.pathname + returned.search);
    assert.equal(placed.statusCode, 303, placed.body);
    // The usage log writes in batches: flushed first, so its rows are searched too (the payment page's address,
    // with the session id in its path, must be logged as its route pattern).
    await h.deps.usageLog.flush();
    let cells = '';
    for (const table of await listTables(h.deps.db, h.deps.dbKind))
      cells += JSON.stringify(
        await h.deps.db
          .selectFrom(table as 'orders')
          .selectAll()
          .execute(),
      );
    for (const [what, secret] of [
      ['payment token', paymentToken],
      ['session id', sessionId],
      ['API token', apiToken],
    ] as const)
      assert.ok(
        !cells.includes(secret),
        `a table holds the ${what}: …${cells.slice(cells.indexOf(secret) - 200, cells.indexOf(secret))}`,
      );
    // Stored as hashes, they still work: the page is used up, and the API token still pays once.
    assert.equal((await b.get(paymentPage)).statusCode, 410);
    await b.api('POST', '/api/v1/basket/items', {
      productId: (await b.api('GET', '/api/v1/products/aurora-synth')).json().id,
      quantity: 1,
    });
    const paid = await b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: address, payment: { method: 'card', token: apiToken } },
      { 'idempotency-key': `hashed-${counter}` },
    );
    assert.equal(paid.statusCode, 201, paid.body);
    assert.deepEqual(paid.json().payment, { method: 'card', brand: 'visa', last4: '4242' });
  });

  test('payment tokens are not part of the data export', async () => {
    const { b, email } = await customer();
    const t = await token(b);
    assert.equal(
      (
        await b.api(
          'POST',
          '/api/v1/orders',
          { billingAddress: address, payment: { method: 'card', token: t } },
          { 'idempotency-key': `export-${counter}` },
        )
      ).statusCode,
      201,
    );
    const exported = await exportSubjectData(h.deps, email);
    assert.ok(!JSON.stringify(exported).includes(t));
    assert.ok(!exported.records.some((r) => r.table.startsWith('test_payment')));
  });
});

describeEachDatabase('payments without the test provider', (db) => {
  test('under another payment provider the test provider’s tables are dropped at start and left out of the data map; with the test provider again they come back', async () => {
    const { paymentsFeature } = await import('./index.ts');
    const { migrate } = await import('../../platform/db/migrate.ts');
    const { listTables } = await import('../../platform/db/dialect.ts');
    const { createDataMap } = await import('../../testing/app.ts');
    const { findUnclassifiedColumns } = await import('../../privacy/classification.ts');
    const h = await openHarness(db);
    try {
      const testTables = async () =>
        (await listTables(h.deps.db, h.deps.dbKind)).filter((t) => t.startsWith('test_payment')).sort();
      assert.deepEqual(await testTables(), [
        'test_payment_charges',
        'test_payment_refunds',
        'test_payment_sessions',
        'test_payment_tokens',
      ]);
      const real = { paymentProvider: 'real' };
      const migrations = paymentsFeature.configuredMigrations?.(real) ?? [];
      await migrate(h.deps.db, h.deps.dbKind, migrations, h.clock.now());
      assert.deepEqual(await testTables(), []);
      const map = createDataMap({ ...h.deps.config, ...real });
      assert.ok(!map.tables.some((t) => t.table.startsWith('test_payment')));
      assert.deepEqual(await findUnclassifiedColumns(h.deps.db, h.deps.dbKind, map), []);
      // A second start under the real provider finds nothing to drop; a start in test mode creates them afresh.
      await migrate(h.deps.db, h.deps.dbKind, paymentsFeature.configuredMigrations?.(real) ?? [], h.clock.now());
      await migrate(
        h.deps.db,
        h.deps.dbKind,
        paymentsFeature.configuredMigrations?.({ paymentProvider: 'test' }) ?? [],
        h.clock.now(),
      );
      assert.deepEqual(await testTables(), [
        'test_payment_charges',
        'test_payment_refunds',
        'test_payment_sessions',
        'test_payment_tokens',
      ]);
      assert.deepEqual(await findUnclassifiedColumns(h.deps.db, h.deps.dbKind, h.deps.dataMap), []);
      // And under the real provider once more, they go again.
      await migrate(h.deps.db, h.deps.dbKind, paymentsFeature.configuredMigrations?.(real) ?? [], h.clock.now());
      assert.deepEqual(await testTables(), []);
    } finally {
      await h.close();
    }
  });

  test('migration payments.005 leaves no plain payment token or session id: open tokens and sessions are deleted, a charge keeps only the SHA-256 of its token', async () => {
    const { createHash } = await import('node:crypto');
    const { migrate } = await import('../../platform/db/migrate.ts');
    const { createTestProvider } = await import('./migrations/001-test-provider.ts');
    const { widenChargeAmount } = await import('./migrations/002-money-bigint.ts');
    const { addHostedPayment } = await import('./migrations/003-hosted-payment.ts');
    const { dropTestProvider } = await import('./migrations/004-drop-test-provider.ts');
    const { hashTestSecrets } = await import('./migrations/005-hash-test-secrets.ts');
    const h = await openHarness(db);
    try {
      // Back to the schema before 005, with rows as the old code wrote them.
      await migrate(h.deps.db, h.deps.dbKind, [dropTestProvider], h.clock.now());
      await migrate(h.deps.db, h.deps.dbKind, [createTestProvider, widenChargeAmount, addHostedPayment], h.clock.now());
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the old schema has no Kysely types
      const raw = h.deps.db as any;
      const now = h.clock.now();
      await raw
        .insertInto('test_payment_tokens')
        .values({
          token: 'tok_test_plain',
          customer_ref: 'u1',
          brand: 'visa',
          last4: '4242',
          exp_month: 12,
          exp_year: 2030,
          outcome: 'approve',
          used_at: now,
          created_at: now,
        })
        .execute();
      await raw
        .insertInto('test_payment_sessions')
        .values({
          id: 'plainsessionid',
          customer_ref: 'u1',
          order_ref: 'o1',
          amount_cents: 100,
          currency: 'EUR',
          return_url: 'http://x/',
          completed_at: null,
          created_at: now,
        })
        .execute();
      await raw
        .insertInto('test_payment_charges')
        .values({
          id: 'ch_1',
          token: 'tok_test_plain',
          method: 'card',
          amount_cents: 100,
          currency: 'EUR',
          idempotency_key: 'o1',
          status: 'succeeded',
          refunded_at: null,
          created_at: now,
        })
        .execute();
      await migrate(h.deps.db, h.deps.dbKind, [hashTestSecrets], h.clock.now());
      assert.deepEqual(await h.deps.db.selectFrom('test_payment_tokens').selectAll().execute(), []);
      assert.deepEqual(await h.deps.db.selectFrom('test_payment_sessions').selectAll().execute(), []);
      const charge = await h.deps.db.selectFrom('test_payment_charges').selectAll().executeTakeFirstOrThrow();
      assert.equal(charge.token_hash, createHash('sha256').update('tok_test_plain').digest('hex'));
      const { findUnclassifiedColumns } = await import('../../privacy/classification.ts');
      assert.deepEqual(await findUnclassifiedColumns(h.deps.db, h.deps.dbKind, h.deps.dataMap), []);
    } finally {
      await h.close();
    }
  });

  test('the test provider’s routes exist only while it is the active provider', async () => {
    const { createTestPaymentProvider } = await import('./index.ts');
    const h = await openHarness(db, { seed: true });
    try {
      // A stand-in for a real adapter: the same behaviour, not in test mode.
      const real = { ...createTestPaymentProvider(h.deps.db, h.clock), id: 'real', testMode: false };
      const { buildApp } = await import('../../testing/app.ts');
      const app = await buildApp({ ...h.deps, payments: real });
      try {
        assert.equal(
          (
            await new Browser(app).api('POST', '/api/v1/test-payments/tokens', {
              number: '4242424242424242',
              expMonth: 12,
              expYear: 2030,
              cvc: '123',
            })
          ).statusCode,
          404,
        );
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
