// Issue 17, "Done when" 2: a web process killed during checkout. A real `candor serve` child, armed with
// CANDOR_FAULT_AT (src/platform/faults.ts), is SIGKILLed at each named step of placing an order (inside the order's
// transaction, after its commit, after the provider's charge, after the settlement). Then, as after a restart, the
// customer retries with the same idempotency key (on another web process over the same database: the test's app)
// and orders.reconcile-payments runs past the payment timeout. The order exists once (paid) or not at all (never
// placed, or payment_failed: it never became one), the stock is right and the test provider's charges match.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FixedClock } from '../../platform/clock.ts';
import { BERLIN, fillBasket, signedIn, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { startServe } from '../../testing/serve.ts';
import { createWorkerDatabase } from '../../testing/worker.ts';
import { PAYMENT_TIMEOUT_MS, reconcilePayments } from './orders.service.ts';

const SLUG = 'keystep-49';
const QUANTITY = 2;
const POINTS = [
  'orders.after-order-row',
  'orders.after-stock-reserved',
  'orders.after-commit',
  'orders.after-charge',
  'orders.after-settle',
];

describeEachDatabase('a web process killed during checkout', (kind) => {
  let h: Harness;
  let env: Record<string, string>;
  let drop: (() => Promise<void>) | undefined;

  before(async () => {
    let databaseUrl: string | undefined;
    if (kind === 'postgres') {
      const database = await createWorkerDatabase('candor_checkout_crash');
      databaseUrl = database.url;
      drop = database.drop;
    }
    env = {
      RATE_LIMIT_AUTH_PER_MINUTE: '10000',
      RATE_LIMIT_PER_MINUTE: '100000',
      USAGE_LOG: 'off',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };
    // 'sqlite' here means "no schema of the harness's": with DATABASE_URL the harness uses that database whole.
    h = await openHarness('sqlite', { seed: true, env });
    // The child keeps real time; sessions and orders are made at the same time.
    h.clock.set(Date.now());
    await h.deps.db.updateTable('products').set({ stock: 1000 }).where('slug', '=', SLUG).execute();
  });

  after(async () => {
    await h?.close();
    await drop?.();
  });

  const stockOf = async () =>
    (await h.deps.db.selectFrom('products').select('stock').where('slug', '=', SLUG).executeTakeFirstOrThrow())
      .stock as number;

  for (const point of POINTS) {
    test(`killed at ${point}: the order is placed once or not at all, the stock is right, the charge matches`, async () => {
      const customer = await signedIn(h, { ip: `198.51.100.${POINTS.indexOf(point) + 40}` });
      await fillBasket(h, customer.b, [[SLUG, QUANTITY]]);
      const stockBefore = await stockOf();
      const key = `crash-${point}-${Date.now()}`;
      const body = { billingAddress: BERLIN, payment: { method: 'wallet' } };

      const died = await orderOnArmedChild(h, env, point, customer, key, body);
      assert.deepEqual(died, { signal: 'SIGKILL', answered: false }, 'the child died at the point, unanswered');

      // The customer tries again with the same key, on a web process that lives.
      const retry = await customer.b.api('POST', '/api/v1/orders', body, { 'idempotency-key': key });
      assert.ok([201, 402].includes(retry.statusCode), `${retry.statusCode} ${retry.body}`);
      // The reconcile job, once the payment timeout has passed (a worker's own clock).
      const later = new FixedClock(Date.now() + PAYMENT_TIMEOUT_MS + 60_000);
      await reconcilePayments({ ...h.deps, clock: later });
      await reconcilePayments({ ...h.deps, clock: later }); // idempotent: a second run changes nothing

      const orders = await h.deps.db
        .selectFrom('orders')
        .selectAll()
        .where('user_id', '=', customer.id)
        .where('idempotency_key', '=', key)
        .execute();
      assert.equal(orders.length, 1, 'one order row for the key (the retry placed it or found it)');
      const order = orders[0]!;
      const charges = await h.deps.db
        .selectFrom('test_payment_charges')
        .selectAll()
        .where('idempotency_key', '=', order.id)
        .execute();
      const succeeded = charges.filter((c) => c.status === 'succeeded');
      if (order.status === 'payment_failed') {
        assert.equal(succeeded.length, 0, 'a failed order charged nothing');
        assert.equal(await stockOf(), stockBefore, 'its stock is back');
      } else {
        assert.equal(order.status, 'paid');
        assert.equal(succeeded.length, 1, 'charged exactly once');
        assert.equal(succeeded[0]!.amount_cents, order.total_cents, 'for the order total');
        assert.equal(await stockOf(), stockBefore - QUANTITY, 'its stock taken once');
      }
      // Killed before the commit, nothing of the first attempt is left: the retry made the (one) order.
      if (point === 'orders.after-order-row' || point === 'orders.after-stock-reserved')
        assert.equal(order.status, 'paid', 'the retry placed and paid it');
    });
  }
});

/** Sends the order to a `candor serve` armed at `point`; answers how the child ended and whether it answered. */
async function orderOnArmedChild(
  h: Harness,
  env: Record<string, string>,
  point: string,
  customer: Account,
  key: string,
  body: unknown,
): Promise<{ signal: NodeJS.Signals | null; answered: boolean }> {
  const served = await startServe(
    {
      ...env,
      CANDOR_SECRET: h.deps.config.secret,
      BASE_URL: h.deps.config.baseUrl,
      CANDOR_FAULT_AT: `${point}:1`,
    },
    { dataDir: h.dataDir },
  );
  try {
    const base = served.url;
    const answered = await fetch(`${base}/api/v1/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: customer.b.cookieHeader(),
        'idempotency-key': key,
        'user-agent': 'crash-test',
      },
      body: JSON.stringify(body),
    }).then(
      () => true,
      () => false,
    );
    const signal = await Promise.race([
      served.exited.then((e) => e.signal),
      new Promise<null>((r) => setTimeout(() => r(null), 5000)),
    ]);
    return { signal, answered };
  } finally {
    await served.stop();
  }
}
