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
    // "Hallen" is only in the German summary of Driftwood Reverb: exactly that product is found, on the page and in the API.
    const german = (await b.get('/shop?q=Hallen', { 'accept-language': 'de' })).body;
    assert.match(german, /<html lang="de">/);
    assert.match(german, /1 Produkt\. Alle Preise/); // one product, in the singular
    assert.deepEqual(
      [...german.matchAll(/<h2><a href="\/shop\/([^"]+)">/g)].map((m) => m[1]),
      ['driftwood-reverb'],
    );
    assert.deepEqual(
      (await b.api('GET', '/api/v1/products?q=hallen')).json().items.map((p: { slug: string }) => p.slug),
      ['driftwood-reverb'],
    );
    const api = (await b.api('GET', '/api/v1/products?q=KEYSTEP')).json();
    assert.deepEqual(
      api.items.map((p: { slug: string }) => p.slug),
      ['keystep-49', 'keystep-61', 'keystep-88'],
    );
    // LIKE wildcards in the input match only themselves.
    assert.equal((await b.api('GET', '/api/v1/products?q=%25')).json().total, 0);
    assert.equal((await b.api('GET', '/api/v1/products?q=_')).json().total, 0);
    assert.equal((await b.api('GET', '/api/v1/products?category=effects&limit=2')).json().total, 5);
    const categories = (await b.api('GET', '/api/v1/categories', undefined, { 'accept-language': 'de' })).json().items;
    assert.ok(
      categories.some((c: { slug: string; name: string }) => c.slug === 'controllers' && c.name === 'Controller'),
    );
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

  test('a bundle page lists what the bundle contains and what it saves; the API lists the contents', async () => {
    const b = new Browser(h.app);
    const page = await b.get('/shop/studio-suite');
    assert.match(page.body, /<p class="kind">Bundle<\/p>/);
    assert.match(page.body, /This bundle contains/);
    assert.match(page.body, /<a href="\/shop\/aurora-synth">Aurora Synth<\/a>/);
    assert.match(page.body, /<a href="\/shop\/piano-noir">Piano Noir<\/a>/);
    // 11 software products and 2 expansions worth €1,343.00 together, for €599.00.
    assert.match(page.body, /Bought separately: €1,343\.00\. You save €744\.00\./);
    const api = (await b.api('GET', '/api/v1/products/studio-suite', undefined, { 'accept-language': 'de' })).json();
    assert.equal(api.kind, 'bundle');
    assert.equal(api.contents.length, 13);
    assert.deepEqual(api.contents[1], {
      id: api.contents[1].id,
      slug: 'granite-piano',
      kind: 'software',
      title: 'Granite Konzertflügel',
    });
    assert.equal((await b.api('GET', '/api/v1/products/aurora-synth')).json().contents, undefined);
    assert.doesNotMatch((await b.get('/shop/aurora-synth')).body, /This bundle contains/);
  });
});

describeEachDatabase('catalogue administration', (db) => {
  test('staff create and edit products; the shop shows them; bad input is refused with field messages', async () => {
    const h = await openHarness(db, { seed: true });
    try {
      const staff = new Browser(h.app);
      await staff.api('POST', '/api/v1/accounts', {
        name: 'Pia Products',
        email: 'pia@example.org',
        password: 'granite lagoon whistle',
      });
      await staff.api('POST', '/api/v1/sessions', { email: 'pia@example.org', password: 'granite lagoon whistle' });
      assert.equal((await staff.get('/staff/products')).statusCode, 403);
      await h.deps.db.updateTable('users').set({ role: 'staff' }).where('email', '=', 'pia@example.org').execute();
      const form = {
        slug: 'nebula-pad',
        title_en: 'Nebula Pad',
        title_de: 'Nebula Pad',
        summary_en: 'Ambient pad synth.',
        summary_de: 'Flächen-Synth.',
        price: '59,00',
        stock: '',
        kind: 'software',
        category_id: '',
      };
      const bad = await staff.submit('/staff/products/new', '/staff/products', {
        ...form,
        price: 'cheap',
        slug: 'Not A Slug',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Enter a price such as 199\.00/);
      assert.match(bad.body, /Use a-z, 0-9 and single dashes/);
      const created = await staff.submit('/staff/products/new', '/staff/products', form);
      assert.equal(created.statusCode, 303);
      assert.equal((await new Browser(h.app).api('GET', '/api/v1/products/nebula-pad')).json().price.amount, '59.00');
      assert.equal(
        (await new Browser(h.app).api('GET', '/api/v1/products?q=nebula')).json().items[0].price.amount,
        '59.00',
      );
      const duplicate = await staff.submit('/staff/products/new', '/staff/products', form);
      assert.equal(duplicate.statusCode, 409);
      const edited = await staff.submit(created.headers.location as string, created.headers.location as string, {
        ...form,
        price: '49.00',
      });
      assert.equal(edited.statusCode, 303);
      assert.match((await new Browser(h.app).get('/shop/nebula-pad')).body, /€49\.00/);
      // Listings are cached for two seconds, but a staff edit shows in this process at once.
      assert.equal(
        (await new Browser(h.app).api('GET', '/api/v1/products?q=nebula')).json().items[0].price.amount,
        '49.00',
      );

      // A bundle names its contents by address name: digital products only, never itself or hardware.
      const bundle = {
        ...form,
        slug: 'nebula-bundle',
        title_en: 'Nebula Bundle',
        title_de: 'Nebula-Paket',
        kind: 'bundle',
        price: '99.00',
      };
      const hardwareInside = await staff.submit('/staff/products/new', '/staff/products', {
        ...bundle,
        contents: 'nebula-pad, keystep-49',
      });
      assert.equal(hardwareInside.statusCode, 400);
      assert.match(hardwareInside.body, /Not a software product or expansion: keystep-49\./);
      const unknown = await staff.submit('/staff/products/new', '/staff/products', {
        ...bundle,
        contents: 'nebula-pad no-such-thing',
      });
      assert.match(unknown.body, /Not a software product or expansion: no-such-thing\./);
      assert.match(
        (await staff.submit('/staff/products/new', '/staff/products', { ...bundle, contents: 'nebula-pad' })).body,
        /between 2 and 50/,
      );
      assert.match(
        (
          await staff.submit('/staff/products/new', '/staff/products', {
            ...form,
            slug: 'plain',
            contents: 'nebula-pad, tape-loops',
          })
        ).body,
        /Only a bundle has contents/,
      );
      assert.equal(
        (await new Browser(h.app).api('GET', '/api/v1/products/nebula-bundle')).statusCode,
        404,
        'nothing was saved',
      );
      const madeBundle = await staff.submit('/staff/products/new', '/staff/products', {
        ...bundle,
        contents: 'nebula-pad, tape-loops',
      });
      assert.equal(madeBundle.statusCode, 303, madeBundle.body);
      assert.deepEqual(
        (await new Browser(h.app).api('GET', '/api/v1/products/nebula-bundle'))
          .json()
          .contents.map((c: { slug: string }) => c.slug),
        ['nebula-pad', 'tape-loops'],
      );
      const bundleUrl = madeBundle.headers.location as string;
      assert.match((await staff.get(bundleUrl)).body, /value="nebula-pad, tape-loops"/);
      await staff.submit(bundleUrl, bundleUrl, { ...bundle, contents: 'modular-textures, nebula-pad, vocal-chops' });
      assert.deepEqual(
        (await new Browser(h.app).api('GET', '/api/v1/products/nebula-bundle'))
          .json()
          .contents.map((c: { slug: string }) => c.slug),
        ['modular-textures', 'nebula-pad', 'vocal-chops'],
      );
      // A product inside a bundle cannot turn into hardware.
      const toHardware = await staff.submit(created.headers.location as string, created.headers.location as string, {
        ...form,
        kind: 'hardware',
        stock: '5',
      });
      assert.equal(toHardware.statusCode, 400);
      assert.match(toHardware.body, /A bundle contains this product/);
    } finally {
      await h.close();
    }
  });
});
