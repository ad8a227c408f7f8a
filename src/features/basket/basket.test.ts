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

  test('adding from a product page says once what was added, with the way to the basket and the checkout', async () => {
    const b = new Browser(h.app);
    const added = await b.submit('/shop/keystep-49', '/basket/items', {
      productId: ids['keystep-49'] as string,
      quantity: '1',
    });
    assert.equal(added.statusCode, 303);
    assert.equal(added.headers.location, '/shop/keystep-49', 'back to the page the shopper was on');
    const page = await b.get('/shop/keystep-49');
    const notice = /<aside class="notice basket-added"[\s\S]*?<\/aside>/.exec(page.body)?.[0] ?? '';
    assert.match(notice, /Keystep 49 Controller was added to your basket\./);
    assert.match(notice, /href="\/basket"/);
    assert.match(notice, /href="\/checkout"/);
    assert.doesNotMatch((await b.get('/shop/keystep-49')).body, /was added to your basket/, 'shown once');
    // Two more, in German, from another page of ours; a foreign `back` is not followed.
    const more = await b.submit('/shop', '/basket/items', {
      productId: ids['keystep-49'] as string,
      quantity: '2',
      back: '//evil.example/x',
    });
    assert.equal(more.headers.location, '/shop/keystep-49');
    assert.match(
      (await b.get('/shop', { 'accept-language': 'de' })).body,
      /2 × Keystep 49 Controller wurden in Ihren Warenkorb gelegt\./,
    );
    // The API answers with the basket and leaves no notice for a later page.
    await b.api('POST', '/api/v1/basket/items', { productId: ids['padgrid'], quantity: 1 });
    assert.doesNotMatch((await b.get('/shop')).body, /added to your basket/);
  });

  test("the header shows how many items are in the basket, in the link's accessible name", async () => {
    const b = new Browser(h.app);
    const empty = await b.get('/shop');
    assert.match(empty.body, /<a href="\/basket">Basket<\/a>/, 'no number for an empty basket');
    await b.api('POST', '/api/v1/basket/items', { productId: ids['aurora-synth'], quantity: 2 });
    await b.api('POST', '/api/v1/basket/items', { productId: ids['padgrid'], quantity: 1 });
    const page = await b.get('/shop');
    assert.match(
      page.body,
      /<a href="\/basket">Basket <span class="nav-count" aria-hidden="true">3<\/span><span class="visually-hidden"> \(3 items\)<\/span><\/a>/,
    );
    await b.api('DELETE', `/api/v1/basket/items/${ids['aurora-synth']}`);
    assert.match(
      (await b.get('/', { 'accept-language': 'de' })).body,
      /Warenkorb <span class="nav-count" aria-hidden="true">1<\/span><span class="visually-hidden"> \(1 Artikel\)<\/span>/,
    );
  });

  test('a stock refusal names the product and is shown at its line', async () => {
    const b = new Browser(h.app);
    await b.api('POST', '/api/v1/basket/items', { productId: ids['aurora-synth'], quantity: 1 });
    await b.api('POST', '/api/v1/basket/items', { productId: ids['keystep-88'], quantity: 1 });
    const refused = await b.submit('/basket', `/basket/items/${ids['keystep-88']}`, { quantity: '11' });
    assert.equal(refused.statusCode, 409);
    assert.match(
      refused.body,
      /role="alert"><p><a href="#qty-[^"]+">Only 10 of “Keystep 88 Controller” left in stock\.<\/a>/,
    );
    const id = ids['keystep-88'] as string;
    assert.match(refused.body, new RegExp(`<p class="field-error" id="qty-${id}-error">At most 10\\.</p>`));
    assert.match(refused.body, new RegExp(`id="qty-${id}"[^>]*aria-invalid="true" aria-describedby="qty-${id}-error"`));
    assert.doesNotMatch(refused.body, new RegExp(`id="qty-${ids['aurora-synth']}"[^>]*aria-invalid`), 'only that line');
    assert.equal((await b.api('GET', '/api/v1/basket')).json().count, 2, 'nothing changed');
    const api = await b.api('PATCH', `/api/v1/basket/items/${id}`, { quantity: 11 }, { 'accept-language': 'de' });
    assert.equal(api.json().error.message, 'Von „Keystep 88 Controller“ sind nur noch 10 auf Lager.');
  });

  test('a product in the basket alone and inside a bundle of the basket is pointed out; the totals add up', async () => {
    const b = new Browser(h.app);
    await b.api('POST', '/api/v1/basket/items', { productId: ids['prism-eq'], quantity: 1 });
    await b.api('POST', '/api/v1/basket/items', { productId: ids['keystep-49'], quantity: 1 });
    let page = (await b.get('/basket')).body;
    assert.doesNotMatch(page, /buy it twice/);
    assert.match(page, /<img class="basket-thumb" src="\/assets\/products\/prism-eq\.svg" alt=""/);
    await b.api('POST', '/api/v1/basket/items', { productId: ids['studio-suite'], quantity: 1 });
    page = (await b.get('/basket')).body;
    assert.match(
      page,
      /<div class="warning" role="status"><p>“Prism EQ” is also part of “Studio Suite 5” in your basket, so you would buy it twice\./,
    );
    assert.match(page, /Also in “Studio Suite 5”\./);
    const totals = /<dl class="basket-totals">[\s\S]*?<\/dl>/.exec(page)?.[0] ?? '';
    const total = 11900 + 29900 + 59900;
    assert.match(totals, /Subtotal \(3 items\)<\/dt><dd>€1,017\.00/);
    assert.match(totals, /Shipping<\/dt><dd>free/);
    assert.match(
      totals,
      new RegExp(`Included VAT \\(19%[^)]*\\)</dt><dd>€${(Math.round(total - total / 1.19) / 100).toFixed(2)}`),
    );
    assert.match(totals, /Total<\/dt><dd><strong>€1,017\.00/);
    await b.api('DELETE', `/api/v1/basket/items/${ids['keystep-49']}`);
    assert.match((await b.get('/basket', { 'accept-language': 'de' })).body, /Versand<\/dt><dd>entfällt \(Download\)/);
  });
});
