import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';

describeEachDatabase('basket', (db) => {
  let h: Harness;
  const ids: Record<string, string> = {};
  before(async () => {
    h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    for (const p of (await new Browser(h.app).api('GET', '/api/v1/products?limit=100')).json().items as {
      id: string;
      slug: string;
    }[])
      ids[p.slug] = p.id;
  });
  after(() => h.close());

  test('a guest basket lives behind a session cookie and adds up quantities', async () => {
    const guest = new Browser(h.app);
    assert.deepEqual((await guest.api('GET', '/api/v1/basket')).json().items, []);
    const added = await guest.api('POST', '/api/v1/basket/items', { productId: ids['aurora-synth'], quantity: 1 });
    assert.equal(added.statusCode, 201);
    const cookie = (added.cookies as { name: string; maxAge?: number; httpOnly?: boolean }[]).find(
      (c) => c.name === '__Host-candor_basket',
    );
    assert.ok(cookie && cookie.maxAge === undefined && cookie.httpOnly, 'a session cookie');
    await guest.api('POST', '/api/v1/basket/items', { productId: ids['aurora-synth'], quantity: 2 });
    await guest.api('POST', '/api/v1/basket/items', { productId: ids['keystep-49'], quantity: 1 });
    const basket = (await guest.api('GET', '/api/v1/basket')).json();
    assert.deepEqual(
      basket.items.map((i: { slug: string; quantity: number }) => [i.slug, i.quantity]),
      [
        ['aurora-synth', 3],
        ['keystep-49', 1],
      ],
    );
    assert.equal(basket.total.amount, (3 * 199 + 299).toFixed(2));
    assert.equal(basket.total.vatIncluded, (Math.round(89600 - 89600 / 1.19) / 100).toFixed(2));
    // Another visitor sees none of it.
    assert.deepEqual((await new Browser(h.app).api('GET', '/api/v1/basket')).json().items, []);
  });

  test('quantities can be changed and lines removed; stock and bounds are enforced', async () => {
    const b = new Browser(h.app);
    await b.api('POST', '/api/v1/basket/items', { productId: ids['keystep-88'], quantity: 2 });
    assert.equal((await b.api('PATCH', `/api/v1/basket/items/${ids['keystep-88']}`, { quantity: 5 })).json().count, 5);
    const tooMany = await b.api('PATCH', `/api/v1/basket/items/${ids['keystep-88']}`, { quantity: 11 });
    assert.equal(tooMany.statusCode, 409);
    assert.equal(tooMany.json().error.code, 'insufficient_stock');
    assert.equal((await b.api('POST', '/api/v1/basket/items', { productId: 'nope', quantity: 1 })).statusCode, 404);
    assert.equal(
      (await b.api('POST', '/api/v1/basket/items', { productId: ids['keystep-88'], quantity: 0 })).statusCode,
      400,
    );
    assert.equal((await b.api('DELETE', `/api/v1/basket/items/${ids['padgrid']}`)).statusCode, 404);
    const removed = await b.api('DELETE', `/api/v1/basket/items/${ids['keystep-88']}`);
    assert.deepEqual(removed.json().items, []);
    assert.equal((await new Browser(h.app).api('DELETE', `/api/v1/basket/items/${ids['padgrid']}`)).statusCode, 404);
  });

  test('signing in merges the guest basket into the account basket', async () => {
    const owner = new Browser(h.app);
    await owner.api('POST', '/api/v1/accounts', {
      name: 'Basket Buyer',
      email: 'buyer@example.org',
      password: 'copper kettle evening',
    });
    await owner.api('POST', '/api/v1/sessions', { email: 'buyer@example.org', password: 'copper kettle evening' });
    await owner.api('POST', '/api/v1/basket/items', { productId: ids['padgrid'], quantity: 1 });
    await owner.api('DELETE', '/api/v1/sessions/current');

    const b = new Browser(h.app);
    await b.api('POST', '/api/v1/basket/items', { productId: ids['padgrid'], quantity: 2 });
    await b.api('POST', '/api/v1/basket/items', { productId: ids['tape-loops'], quantity: 1 });
    await b.submit('/account/login', '/account/login', {
      email: 'buyer@example.org',
      password: 'copper kettle evening',
    });
    const merged = (await b.api('GET', '/api/v1/basket')).json();
    assert.deepEqual(
      merged.items.map((i: { slug: string; quantity: number }) => [i.slug, i.quantity]),
      [
        ['padgrid', 3],
        ['tape-loops', 1],
      ],
    );
    assert.equal(b.cookie('__Host-candor_basket'), undefined, 'the guest cookie is dropped');
    // The account basket follows the account to another device.
    const other = new Browser(h.app);
    await other.api('POST', '/api/v1/sessions', { email: 'buyer@example.org', password: 'copper kettle evening' });
    assert.equal((await other.api('GET', '/api/v1/basket')).json().count, 4);
  });

  test('the basket page works without JavaScript and explains when cookies are blocked', async () => {
    const b = new Browser(h.app);
    const added = await b.submit('/shop/granite-piano', '/basket/items', {
      productId: ids['granite-piano'] as string,
      quantity: '2',
    });
    assert.equal(added.statusCode, 303);
    const page = await b.get('/basket');
    assert.match(page.body, /Granite Grand Piano/);
    assert.match(page.body, /€298\.00/);
    assert.doesNotMatch(page.body, /sends no cookies/);
    const update = await b.submit('/basket', `/basket/items/${ids['granite-piano']}`, { quantity: '99' });
    assert.equal(update.statusCode, 303);
    const removed = await b.submit('/basket', `/basket/items/${ids['granite-piano']}/remove`, {});
    assert.equal(removed.statusCode, 303);
    assert.match((await b.get('/basket')).body, /Your basket is empty/);

    const blocked = await h.app.inject({
      method: 'GET',
      url: '/basket',
      headers: { accept: 'text/html', 'accept-language': 'de' },
    });
    assert.equal(blocked.statusCode, 200);
    assert.match(blocked.body, /Ihr Browser sendet keine Cookies/);
    const shop = await h.app.inject({ method: 'GET', url: '/shop', headers: { accept: 'text/html' } });
    assert.equal(shop.statusCode, 200, 'the shop stays browsable without cookies');
  });
});
