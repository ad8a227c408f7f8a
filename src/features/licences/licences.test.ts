import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { placeOrder, signedIn } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, linkIn, openHarness, type Harness } from '../../testing/harness.ts';
import { deliverDueMail } from '../mail/index.ts';
import { verifyActivationFile } from './index.ts';

const machine = (name: string) => createHash('sha256').update(name).digest('hex');

describeEachDatabase('licences', (db) => {
  let h: Harness;
  let owner: Browser;
  let other: Browser;
  let key: string;

  before(async () => {
    h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    const products = (await new Browser(h.app).api('GET', '/api/v1/products?limit=100')).json().items as {
      id: string;
      slug: string;
    }[];
    const browsers: Browser[] = [];
    for (const [i, email] of ['lena@example.org', 'mo@example.org'].entries()) {
      const b = new Browser(h.app, `203.0.113.${30 + i}`);
      await b.api('POST', '/api/v1/accounts', { name: `Buyer ${i}`, email, password: 'quartz river morning' });
      await b.api('POST', '/api/v1/sessions', { email, password: 'quartz river morning' });
      await deliverDueMail({
        db: h.deps.db,
        clock: h.clock,
        mailer: h.mailer,
        log: h.deps.log,
        from: 'shop@test',
        secret: h.deps.config.secret,
      });
      await b.get(linkIn(h.mailer.to(email)[0]!.text, '/account/verify'));
      browsers.push(b);
    }
    [owner, other] = browsers as [Browser, Browser];
    await owner.api('POST', '/api/v1/basket/items', {
      productId: products.find((p) => p.slug === 'prism-eq')!.id,
      quantity: 1,
    });
    await owner.api('POST', '/api/v1/basket/items', {
      productId: products.find((p) => p.slug === 'pedal-sustain')!.id,
      quantity: 1,
    });
    const order = await owner.api(
      'POST',
      '/api/v1/orders',
      {
        billingAddress: { name: 'Buyer 0', street: 'Weg 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
        payment: { method: 'wallet' },
      },
      { 'idempotency-key': 'licence-order-1' },
    );
    assert.equal(order.statusCode, 201, order.body);
    const licences = (await owner.api('GET', '/api/v1/me/licences')).json().items;
    assert.equal(licences.length, 1, 'one licence for the one software unit, none for hardware');
    key = licences[0].key;
    assert.match(key, /^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);
  });
  after(() => h.close());

  test('a bundle gives one licence per software product inside it, and none for its expansions', async () => {
    const products = (await other.api('GET', '/api/v1/products?limit=100')).json().items as {
      id: string;
      slug: string;
    }[];
    const suite = (await other.api('GET', '/api/v1/products/studio-suite')).json();
    await other.api('POST', '/api/v1/basket/items', {
      productId: products.find((p) => p.slug === 'studio-suite')!.id,
      quantity: 1,
    });
    const order = await other.api(
      'POST',
      '/api/v1/orders',
      {
        billingAddress: { name: 'Buyer 1', street: 'Weg 2', postalCode: '10115', city: 'Berlin', country: 'DE' },
        payment: { method: 'wallet' },
      },
      { 'idempotency-key': 'bundle-order-1' },
    );
    assert.equal(order.statusCode, 201, order.body);
    const licences = (await other.api('GET', '/api/v1/me/licences')).json().items as {
      key: string;
      productId: string;
    }[];
    const software = (suite.contents as { id: string; kind: string }[])
      .filter((c) => c.kind === 'software')
      .map((c) => c.id);
    assert.equal(software.length, 11);
    assert.deepEqual(licences.map((l) => l.productId).sort(), software.sort());
    const page = await other.get(`/account/orders/${order.json().id}`);
    assert.match(page.body, /Granite Grand Piano: <code class="licence-key">/);
    for (const l of licences) assert.ok(page.body.includes(l.key));
  });

  test('the order page shows the licence key', async () => {
    const orders = (await owner.api('GET', '/api/v1/orders')).json().items;
    const page = await owner.get(`/account/orders/${orders[0].id}`);
    assert.match(page.body, new RegExp(key));
  });

  test('a product activates on up to 2 machines with a signed offline file; the same machine twice counts once', async () => {
    const first = await new Browser(h.app).api('POST', `/api/v1/licences/${key}/activations`, {
      fingerprint: machine('studio-pc'),
    });
    assert.equal(first.statusCode, 201);
    const publicKey = (await new Browser(h.app).get('/api/v1/licences/public-key')).body;
    assert.ok(verifyActivationFile(publicKey, first.json().offlineFile));
    assert.ok(
      !verifyActivationFile(publicKey, {
        ...first.json().offlineFile,
        payload: first.json().offlineFile.payload.replace(machine('studio-pc'), machine('pirate-pc')),
      }),
    );
    assert.equal(JSON.parse(first.json().offlineFile.payload).machine, machine('studio-pc'));
    const again = await new Browser(h.app).api('POST', `/api/v1/licences/${key}/activations`, {
      fingerprint: machine('studio-pc'),
    });
    assert.equal(again.json().id, first.json().id);
    assert.equal(
      (await new Browser(h.app).api('POST', `/api/v1/licences/${key}/activations`, { fingerprint: machine('laptop') }))
        .statusCode,
      201,
    );
    const third = await new Browser(h.app).api('POST', `/api/v1/licences/${key}/activations`, {
      fingerprint: machine('tour-laptop'),
    });
    assert.equal(third.statusCode, 409);
    assert.equal(third.json().error.code, 'activation_limit');
    // A host name or anything but a hash is refused.
    assert.equal(
      (await new Browser(h.app).api('POST', `/api/v1/licences/${key}/activations`, { fingerprint: 'my-hostname' }))
        .statusCode,
      400,
    );
    assert.equal(
      (
        await new Browser(h.app).api('POST', '/api/v1/licences/AAAAA-AAAAA-AAAAA-AAAAA/activations', {
          fingerprint: machine('x'),
        })
      ).statusCode,
      404,
    );
  });

  test('the owner deactivates a machine in the account, which frees the slot', async () => {
    const page = await owner.get('/account/products');
    assert.match(page.body, new RegExp(key));
    assert.match(page.body, /2 of 2 activations in use/);
    const activationId = (await owner.api('GET', `/api/v1/licences/${key}`)).json().activations[0].id;
    const done = await owner.submit(
      '/account/products',
      `/account/products/licences/${key}/activations/${activationId}/deactivate`,
      {},
    );
    assert.equal(done.statusCode, 303);
    assert.match((await owner.get('/account/products')).body, /1 of 2 activations in use/);
    assert.equal(
      (
        await new Browser(h.app).api('POST', `/api/v1/licences/${key}/activations`, {
          fingerprint: machine('tour-laptop'),
        })
      ).statusCode,
      201,
    );
  });

  test("customer A gets 404 for customer B's licence", async () => {
    // Its own harness and buyers: this test runs alone too, and the activations above must not count here.
    const own = await openHarness(db, { seed: true });
    try {
      const a = await signedIn(own, { ip: '203.0.113.40' });
      const b = await signedIn(own, { ip: '203.0.113.41' });
      await placeOrder(own, b.b, ['prism-eq']);
      const [licence] = (await b.b.api('GET', '/api/v1/me/licences')).json().items as { key: string }[];
      const activate = { fingerprint: machine('studio-pc') };
      assert.equal(
        (await new Browser(own.app).api('POST', `/api/v1/licences/${licence!.key}/activations`, activate)).statusCode,
        201,
      );
      assert.equal((await a.b.api('GET', `/api/v1/licences/${licence!.key}`)).statusCode, 404);
      const activationId = (await b.b.api('GET', `/api/v1/licences/${licence!.key}`)).json().activations[0].id;
      const deactivate = `/account/products/licences/${licence!.key}/activations/${activationId}/deactivate`;
      assert.equal((await a.b.submit('/account/products', deactivate, {})).statusCode, 404);
      assert.equal((await b.b.api('GET', `/api/v1/licences/${licence!.key}`)).json().activations.length, 1);
    } finally {
      await own.close();
    }
  });
});
