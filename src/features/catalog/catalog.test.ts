import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';

describeEachDatabase('catalogue', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  test('the shop lists products by category and finds them by words in either language', async () => {
    const b = new Browser(h.app);
    const all = await b.get('/shop');
    assert.match(all.body, /32 products/);
    assert.equal((all.body.match(/<li>\s*<img/g) ?? []).length, 20);
    const second = await b.get('/shop?page=2');
    assert.equal((second.body.match(/<li>\s*<img/g) ?? []).length, 12);
    assert.match(second.body, /<span aria-current="page">2<\/span>/);
    const controllers = await b.get('/shop?category=controllers');
    assert.match(controllers.body, /<h1>Controllers<\/h1>/);
    assert.match(controllers.body, /5 products/);
    assert.match((await b.get('/shop?q=reverb')).body, /Driftwood Reverb/);
    assert.match((await b.get('/shop?q=Hall', { 'accept-language': 'de' })).body, /1 Produkte|Driftwood Reverb/);
    const api = (await b.api('GET', '/api/v1/products?q=KEYSTEP')).json();
    assert.deepEqual(api.items.map((p: { slug: string }) => p.slug), ['keystep-49', 'keystep-61', 'keystep-88']);
    // LIKE wildcards in the input match only themselves.
    assert.equal((await b.api('GET', '/api/v1/products?q=%25')).json().total, 0);
    assert.equal((await b.api('GET', '/api/v1/products?q=_')).json().total, 0);
    assert.equal((await b.api('GET', '/api/v1/products?category=effects&limit=2')).json().total, 5);
    const categories = (await b.api('GET', '/api/v1/categories', undefined, { 'accept-language': 'de' })).json().items;
    assert.ok(categories.some((c: { slug: string; name: string }) => c.slug === 'controllers' && c.name === 'Controller'));
  });

  test('a product page shows the price with the VAT it contains, stock, and a local image', async () => {
    const b = new Browser(h.app);
    const page = await b.get('/shop/keystep-49');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /€299\.00/);
    assert.match(page.body, /incl\. 19% VAT \(€47\.74\)/);
    assert.match(page.body, /In stock/);
    assert.match(page.body, /<img src="\/assets\/products\/keystep-49\.svg"/);
    const image = await b.get('/assets/products/keystep-49.svg');
    assert.equal(image.statusCode, 200);
    assert.equal(image.headers['content-type'], 'image/svg+xml');
    assert.equal((await b.get('/assets/products/nope.svg')).statusCode, 404);
    assert.equal((await b.get('/shop/nope')).statusCode, 404);
    await h.deps.db.updateTable('products').set({ stock: 0 }).where('slug', '=', 'keystep-49').execute();
    const soldOut = await b.get('/shop/keystep-49');
    assert.match(soldOut.body, /Sold out/);
    assert.doesNotMatch(soldOut.body, /Add to basket/);
  });
});
