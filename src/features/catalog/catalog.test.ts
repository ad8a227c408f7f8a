import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { asRole, signedIn } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { insertCategories, insertProduct, updateProduct } from './catalog.queries.ts';
import { pageNumbers, productCount } from './catalog.pages.ts';
import { demoProducts } from './catalog.seed.ts';
import { createProductSearch } from './migrations/005-search.ts';

const slugsOf = (body: { items: { slug: string }[] }) => body.items.map((p) => p.slug);
const cardSlugs = (page: string) => [...page.matchAll(/<h[23]><a href="\/shop\/([^"]+)">/g)].map((m) => m[1]);
const pricesOf = (body: { items: { price: { amount: string } }[] }) => body.items.map((p) => Number(p.price.amount));

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
    assert.match(page.body, /incl\. 19% VAT \(Germany\): €47\.74/);
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
      const pia = await signedIn(h, { name: 'Pia Products' });
      const staff = pia.b;
      assert.equal((await staff.get('/staff/products')).statusCode, 403);
      await asRole(h, pia, 'staff');
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
      // A staff edit rewrites the words the product is found by.
      await staff.submit(created.headers.location as string, created.headers.location as string, {
        ...form,
        price: '49.00',
        title_de: 'Nebel-Fläche',
      });
      assert.deepEqual(
        (await new Browser(h.app).api('GET', '/api/v1/products?q=nebel%20flache'))
          .json()
          .items.map((p: { slug: string }) => p.slug),
        ['nebula-pad'],
      );
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

describeEachDatabase('catalogue search', (db) => {
  let h: Harness;
  before(async () => {
    // No listing cache: one test writes products behind the staff pages' back.
    h = await openHarness(db, { seed: true, env: { LISTING_CACHE_MS: '0' } });
  });
  after(() => h.close());
  const search = async (q: string, lang = 'en') =>
    slugsOf(
      (
        await new Browser(h.app).api('GET', `/api/v1/products?q=${encodeURIComponent(q)}`, undefined, {
          'accept-language': lang,
        })
      ).json(),
    );

  test('finds what the shopper meant: "reverbs", "Kontroller" and "keystep49"', async () => {
    assert.equal((await search('reverbs'))[0], 'driftwood-reverb');
    // Every controller, and the controllers first (the travel case is for a controller keyboard).
    const controllers = ['keystep-49', 'keystep-61', 'keystep-88', 'padgrid', 'fadebox'];
    assert.deepEqual((await search('Kontroller')).slice(0, 5).sort(), [...controllers].sort());
    assert.deepEqual((await search('kontroller', 'de')).slice(0, 5).sort(), [...controllers].sort());
    assert.equal((await search('keystep49'))[0], 'keystep-49');
    assert.equal((await search('KeyStep 49'))[0], 'keystep-49');
    // The same on the page a shopper sees.
    const page = (await new Browser(h.app).get('/shop?q=reverbs')).body;
    assert.equal(cardSlugs(page)[0], 'driftwood-reverb');
    assert.match(page, /1 product\. All prices/);
  });

  test('matches beginnings and parts of words, without regard to case or diacritics, in German and English', async () => {
    // "keyst" begins "keystep"; it is also similar to "keys" (in Vocal Chops), which ranks below.
    assert.deepEqual((await search('keyst')).slice(0, 3), ['keystep-49', 'keystep-61', 'keystep-88']);
    assert.deepEqual(await search('FLÜGEL', 'de'), ['granite-piano']);
    assert.deepEqual(await search('konzertflugel'), ['granite-piano']);
    assert.deepEqual(await search('Konzertflü'), ['granite-piano']);
    assert.deepEqual(await search('hallen'), ['driftwood-reverb']);
    // Every word must match: a reverb that is no delay is not found for both.
    assert.deepEqual(await search('reverb delay'), []);
    assert.deepEqual(await search('xyzzy'), []);
  });

  test('ranks the same word above a word it begins, and that above a typo; written with every product', async () => {
    const [template] = demoProducts(h.deps.clock.now());
    const spring = {
      ...template!,
      id: 'test-spring-reverbs',
      slug: 'spring-reverbs',
      title_en: 'Spring Reverbs',
      title_de: 'Federhall-Sammlung',
      summary_en: 'Three vintage spring tanks.',
      summary_de: 'Drei alte Federhallgeräte.',
      position: -1, // first in the shop's own order, so only the score can put it behind
      created_at: h.deps.clock.now() + 60_000,
      category_id: null,
    };
    await insertProduct(h.deps.db, h.deps.dbKind, spring);
    // "reverb": Driftwood Reverb has the word itself, Spring Reverbs only a word it begins.
    assert.deepEqual((await search('reverb')).slice(0, 2), ['driftwood-reverb', 'spring-reverbs']);
    // "reverbs": Spring Reverbs has the word, Driftwood Reverb only a similar one.
    assert.deepEqual((await search('reverbs')).slice(0, 2), ['spring-reverbs', 'driftwood-reverb']);
    assert.deepEqual(await search('federhall'), ['spring-reverbs']);
    assert.deepEqual(slugsOf((await new Browser(h.app).api('GET', '/api/v1/products?sort=newest&limit=2')).json()), [
      'spring-reverbs',
      'aurora-synth', // the demo products are all equally new: the shop's order decides
    ]);
    await updateProduct(h.deps.db, h.deps.dbKind, spring.id, {
      slug: 'spring-tanks',
      title_en: 'Spring Tanks',
      title_de: 'Federtanks',
    });
    assert.deepEqual(await search('reverbs'), ['driftwood-reverb'], 'the old title is no longer found');
    assert.deepEqual(await search('federtanks'), ['spring-tanks']);
    await h.deps.db.deleteFrom('products').where('id', '=', spring.id).execute();
    assert.deepEqual(await search('federtanks'), [], 'its words went with it');
  });

  test('the search migration writes the words of existing products itself, as the live rules do, importing no live code', async () => {
    // A migration runs once on each database, whenever that is: it must not call code that changes later.
    const source = readFileSync(new URL('./migrations/005-search.ts', import.meta.url), 'utf8');
    assert.deepEqual(
      [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]).filter((from) => !from?.startsWith('kysely')),
      ['../../../platform/db/dialect.ts', '../../../platform/db/migrate.ts'],
    );
    const db = h.deps.db;
    const words = async () => ({
      terms: await db.selectFrom('product_search_terms').selectAll().orderBy('product_id').orderBy('term').execute(),
    });
    const live = await words(); // written by the seed through writeSearchTerms
    assert.ok(live.terms.length > 100);
    // Migration 009 replaced SQLite's per-product trigrams with trigrams of distinct words; 005 writes them again.
    await db.schema.dropTable('product_search_terms').execute();
    await createProductSearch.up(db, h.deps.dbKind);
    if (h.deps.dbKind === 'sqlite') await db.schema.dropTable('product_search_trigrams').execute();
    // When this fails because catalog.search.ts changed, add a migration that rewrites every product's words.
    assert.deepEqual(await words(), live);
  });
});

describeEachDatabase('catalogue listing', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  test('the home page shows categories with counts and featured products with local pictures', async () => {
    const b = new Browser(h.app);
    const home = (await b.get('/')).body;
    assert.match(
      home,
      /<a href="\/shop\?category=controllers"><span class="category-name">Controllers<\/span> <span class="hint">5 products<\/span><\/a>/,
    );
    assert.match(
      home,
      /<span class="category-name">Expansions and sample packs<\/span> <span class="hint">10 products<\/span>/,
    );
    assert.equal(cardSlugs(home).length, 10);
    assert.ok(cardSlugs(home).includes('keystep-49'));
    // A card's drawing is decorative: the kind is written below it (the product page describes its drawing).
    assert.match(
      home,
      /<img src="\/assets\/products\/aurora-synth\.svg" alt="" width="240" height="150" decoding="async" loading="lazy">\s*<p class="kind">Software<\/p>/,
    );
    assert.match(home, /See all 32 products/);
    const de = (await b.get('/', { 'accept-language': 'de' })).body;
    assert.match(de, /<span class="category-name">Controller<\/span> <span class="hint">5 Produkte<\/span>/);
    assert.match(
      (await b.get('/shop/keystep-49', { 'accept-language': 'de' })).body,
      /alt="Illustration: ein Gerät mit Tasten und Reglern"/,
    );
    const svg = await b.get('/assets/products/keystep-49.svg');
    assert.equal(svg.headers['content-type'], 'image/svg+xml');
    assert.ok(svg.body.length < 2048, `small: ${svg.body.length} bytes`);
    assert.doesNotMatch(svg.body.replace('http://www.w3.org/2000/svg', ''), /https?:|href/, 'loads nothing');
  });

  test('the filter form shows each listing’s own choices, in its language, whatever was shown before', async () => {
    const b = new Browser(h.app);
    const chosen = (page: string) =>
      [...page.matchAll(/<option value="([^"]*)" selected>([^<]*)</g)].map((m) => `${m[1]}=${m[2]}`);
    const visits: [string, string, string[]][] = [
      ['/shop', 'en', ['relevance=Featured']],
      ['/shop?category=effects&sort=price-asc', 'en', ['effects=Effects', 'price-asc=Price: low to high']],
      ['/shop?category=effects&sort=price-asc', 'de', ['effects=Effekte', 'price-asc=Preis: aufsteigend']],
      ['/shop?kind=hardware', 'de', ['hardware=Hardware', 'relevance=Empfohlen']],
      ['/shop', 'de', ['relevance=Empfohlen']],
      ['/shop', 'en', ['relevance=Featured']],
      ['/shop?q=reverb&kind=software', 'en', ['software=Software', 'relevance=Best match']],
      ['/shop?minPrice=10&maxPrice=%3Cb%3E', 'en', ['relevance=Featured']],
    ];
    for (const [path, lang, expected] of visits) {
      const page = (await b.get(path, { 'accept-language': lang })).body;
      assert.deepEqual(chosen(page), expected, `${path} ${lang}`);
      assert.match(page, new RegExp(`<html lang="${lang}">`));
    }
    const typed = (await b.get('/shop?q=%22quoted%22&minPrice=5')).body;
    assert.match(typed, /name="q" value="&quot;quoted&quot;"/);
    assert.match(typed, /name="minPrice" value="5"/);
    assert.match((await b.get('/shop')).body, /name="q" value=""/);
  });

  test('every page has a search field in the header that leads to the catalogue', async () => {
    const b = new Browser(h.app);
    for (const path of ['/', '/privacy', '/shop/keystep-49']) {
      const page = (await b.get(path, { 'accept-language': 'de' })).body;
      assert.match(
        page,
        /<form class="site-search" method="get" action="\/shop" role="search" aria-label="Produkte suchen">\s*<label for="site-search-q" class="visually-hidden">Produkte suchen<\/label>\s*<input id="site-search-q" type="search" name="q"/,
        path,
      );
    }
    assert.equal(cardSlugs((await b.get('/shop?q=keystep49')).body)[0], 'keystep-49');
  });

  test('sorts by price, name and age, filters by kind and price, and keeps every choice in the pager', async () => {
    const b = new Browser(h.app);
    const hardware = (await b.get('/shop?kind=hardware')).body;
    assert.match(hardware, /10 products\./);
    assert.match(hardware, /<option value="hardware" selected>Hardware<\/option>/);
    const cheap = (await b.get('/shop?kind=expansion&sort=price-asc')).body;
    assert.deepEqual(cardSlugs(cheap).slice(0, 3), ['field-recordings', 'analog-drums', 'vocal-chops']);
    const api = (await b.api('GET', '/api/v1/products?kind=hardware&sort=price-desc&limit=3')).json();
    assert.deepEqual(
      { total: api.total, limit: api.limit, offset: api.offset, slugs: slugsOf(api) },
      { total: 10, limit: 3, offset: 0, slugs: ['keystep-88', 'fadebox', 'keystep-61'] },
    );
    const prices = pricesOf((await b.api('GET', '/api/v1/products?minPrice=100&maxPrice=200&sort=price-asc')).json());
    assert.ok(prices.length > 2 && prices.every((p) => p >= 100 && p <= 200), String(prices));
    assert.deepEqual(
      [...prices].sort((x, y) => x - y),
      prices,
    );
    assert.deepEqual(slugsOf((await b.api('GET', '/api/v1/products?sort=name&limit=3')).json()), [
      'analog-drums',
      'aurora-presets-2',
      'aurora-synth',
    ]);
    // Search, category, kind and price together.
    assert.deepEqual(
      slugsOf(
        (await b.api('GET', '/api/v1/products?q=synth&kind=expansion&category=sound-packs&maxPrice=29,00')).json(),
      ),
      ['aurora-presets-2'],
    );
    // The pager keeps the filter and the order, and offers previous and next.
    const first = (await b.get('/shop?sort=price-desc&minPrice=10')).body;
    assert.match(first, /Page 1 of 2/);
    assert.match(first, /<a href="\/shop\?minPrice=10&amp;sort=price-desc&amp;page=2" rel="next">Next ›<\/a>/);
    assert.doesNotMatch(first, /rel="prev"/);
    const second = (await b.get('/shop?sort=price-desc&minPrice=10&page=2')).body;
    assert.match(second, /<a href="\/shop\?minPrice=10&amp;sort=price-desc" rel="prev">‹ Previous<\/a>/);
    assert.match(second, /<span aria-current="page">2<\/span>/);
    assert.doesNotMatch(second, /rel="next"/);
    assert.equal(cardSlugs(second).at(-1), 'field-recordings', 'the cheapest last');
  });

  test('"1 product", "2 products", "1 Produkt", "2 Produkte" and empty states that say what to do', async () => {
    const b = new Browser(h.app);
    assert.equal(productCount('en', 0), 'No products');
    assert.equal(productCount('de', 1), '1 Produkt');
    assert.equal(productCount('de', 1234), '1.234 Produkte');
    assert.equal(productCount('en', 100_000), '100,000 products');
    assert.equal(productCount('de', 1_234_567), '1.234.567 Produkte');
    assert.match((await b.get('/shop?maxPrice=15')).body, /<p role="status">1 product\. /);
    assert.match((await b.get('/shop?maxPrice=19')).body, /<p role="status">2 products\. /);
    assert.match((await b.get('/shop?maxPrice=15', { 'accept-language': 'de' })).body, /<p role="status">1 Produkt\. /);
    assert.match(
      (await b.get('/shop?maxPrice=19', { 'accept-language': 'de' })).body,
      /<p role="status">2 Produkte\. /,
    );
    const none = (await b.get('/shop?q=xyzzy&kind=hardware')).body;
    assert.match(none, /<p role="status">No products\. /);
    assert.match(none, /Nothing matches “xyzzy”\./);
    assert.match(none, /<a href="\/shop\?q=xyzzy">Search “xyzzy” in all products<\/a>/);
    assert.match(none, /<a href="\/shop">Show all products<\/a>/);
    const keine = (await b.get('/shop?kind=bundle&minPrice=700', { 'accept-language': 'de' })).body;
    assert.match(keine, /Keine Produkte\. /);
    assert.match(keine, /Kein Produkt passt zu diesen Filtern\./);
    // What the page cannot use it says, and it shows the rest.
    const typo = await b.get('/shop?minPrice=zehn&kind=hardware');
    assert.equal(typo.statusCode, 200);
    assert.match(typo.body, /The price from “zehn” is not an amount such as 50 or 49\.99; it was left out\./);
    assert.match(typo.body, /10 products\./);
    const swapped = (await b.get('/shop?minPrice=300&maxPrice=100', { 'accept-language': 'de' })).body;
    assert.match(swapped, /Der Mindestpreis liegt über dem Höchstpreis\./);
  });

  test('a page past the end says so and links to the last page, never "32 products" and an empty list', async () => {
    const b = new Browser(h.app);
    const beyond = await b.get('/shop?page=99');
    assert.equal(beyond.statusCode, 404);
    assert.match(beyond.body, /There is no page 99: the 32 products fit on 2 pages\./);
    assert.match(beyond.body, /<a href="\/shop\?page=2">Go to the last page \(2\)<\/a>/);
    assert.equal(cardSlugs(beyond.body).length, 0);
    assert.doesNotMatch(beyond.body, /aria-current="page"/);
    const one = await b.get('/shop?kind=hardware&page=3', { 'accept-language': 'de' });
    assert.match(one.body, /Seite 3 gibt es nicht: Die 10 Produkte passen auf eine Seite\./);
    assert.match(one.body, /<a href="\/shop\?kind=hardware">Produkte anzeigen<\/a>/);
    // The JSON listing keeps its contract: past the end is an empty page of the same total.
    assert.deepEqual((await b.api('GET', '/api/v1/products?offset=500')).json(), {
      items: [],
      total: 32,
      limit: 20,
      offset: 500,
    });
  });

  test('the JSON listing refuses parameters it does not know, with 400 in the language of the request', async () => {
    const b = new Browser(h.app);
    for (const query of [
      'sort=cheapest',
      'kind=toaster',
      'minPrice=abc',
      'maxPrice=-5',
      'minPrice=1.999',
      'colour=red',
    ]) {
      const res = await b.api('GET', `/api/v1/products?${query}`);
      assert.equal(res.statusCode, 400, query);
      assert.ok(res.json().error.message, query);
    }
    const swapped = await b.api('GET', '/api/v1/products?minPrice=300&maxPrice=100', undefined, {
      'accept-language': 'de',
    });
    assert.equal(swapped.statusCode, 400);
    assert.equal(swapped.json().error.message, 'Der Mindestpreis liegt über dem Höchstpreis.');
  });
});

describeEachDatabase('the home page of a shop with many categories', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  test('every category with products shows its first two, in the categories’ order (a statement per eight)', async () => {
    // Forty more categories ahead of the demo's five, each with three products on sale and one draft: 45 in all, too
    // many for one statement in SQLite's statement cache.
    const [template] = demoProducts(h.deps.clock.now());
    const extra = Array.from({ length: 40 }, (_, i) => ({
      id: `many-${i}`,
      slug: `many-${i}`,
      name_en: `Many ${i}`,
      name_de: `Viele ${i}`,
      position: -100 + i,
    }));
    await insertCategories(h.deps.db, extra);
    for (const c of extra)
      for (const [n, status] of [
        [0, 'draft'],
        [1, 'active'],
        [2, 'active'],
        [3, 'active'],
      ] as const)
        await insertProduct(h.deps.db, h.deps.dbKind, {
          ...template!,
          id: `${c.id}-p${n}`,
          slug: `${c.slug}-p${n}`,
          category_id: c.id,
          position: n,
          status,
        });
    const home = (await new Browser(h.app).get('/')).body;
    const cards = cardSlugs(home);
    assert.deepEqual(
      cards.slice(0, 80),
      extra.flatMap((c) => [`${c.slug}-p1`, `${c.slug}-p2`]),
    );
    assert.equal(cards.length, 80 + 10, 'and the demo’s five categories, two each');
    assert.match(home, /See all 152 products/);
  });
});

test('the pager numbers the first and last page and two either side of the current one, gaps as null', () => {
  // What the pager promises, written as a walk over every page: the function builds it from the few numbers shown.
  const walked = (current: number, last: number) => {
    const out: (number | null)[] = [];
    for (let n = 1; n <= last; n++) {
      if (n === 1 || n === last || Math.abs(n - current) <= 2) out.push(n);
      else if (out[out.length - 1] !== null) out.push(null);
    }
    return out;
  };
  for (let last = 1; last <= 12; last++)
    for (let current = 1; current <= last; current++)
      assert.deepEqual(pageNumbers(current, last), walked(current, last), `page ${current} of ${last}`);
  assert.deepEqual(pageNumbers(2_500, 5_002), [1, null, 2_498, 2_499, 2_500, 2_501, 2_502, null, 5_002]);
  assert.deepEqual(pageNumbers(5_002, 5_002), [1, null, 5_000, 5_001, 5_002]);
});
