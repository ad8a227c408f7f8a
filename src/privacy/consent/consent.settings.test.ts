// The cookie settings page: a vendor box follows its category (never ticked under a category that is off), the
// server derives a consistent choice from any form, our own statistics are a choice without any vendor, and saving
// on the page confirms the choice in words.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';

const FROM_SETTINGS = {
  origin: 'http://127.0.0.1:3000',
  'sec-fetch-site': 'same-origin',
  referer: 'http://127.0.0.1:3000/cookies',
};

/** Each vendor box of the settings page: its category, whether it is ticked and whether it can be changed. */
function vendorBoxes(body: string): Map<string, { category: string; checked: boolean; disabled: boolean }> {
  const boxes = new Map<string, { category: string; checked: boolean; disabled: boolean }>();
  for (const m of body.matchAll(
    /<input type="checkbox" id="page-vendor-[^"]+" name="vendors" value="([^"]+)" data-in-category="([^"]+)"([^>]*)>/g,
  ))
    boxes.set(m[1]!, { category: m[2]!, checked: m[3]!.includes(' checked'), disabled: m[3]!.includes(' disabled') });
  return boxes;
}

describeEachDatabase('cookie settings', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  const consentOf = async (b: Browser) => {
    const c = (await b.api('GET', '/api/v1/consent')).json();
    return { categories: c.categories as string[], vendors: c.vendors as string[], receipts: c.receipts as unknown[] };
  };

  test('under a category that is off, no vendor box is ticked and none can be ticked', async () => {
    const b = new Browser(h.app);
    const boxes = vendorBoxes((await b.get('/cookies')).body);
    assert.ok(boxes.size >= 4, 'the demo has vendors');
    for (const [id, box] of boxes) assert.deepEqual([id, box.checked, box.disabled], [id, false, true]);
    assert.doesNotMatch((await b.get('/cookies')).body, /name="offered"/);
  });

  test('in a category of vendors alone, ticking it allows its vendors; then single ones can be unticked, and unticking all switches it off', async () => {
    const b = new Browser(h.app);
    const marketing = h.deps.consent.vendors
      .filter((v) => v.template.category === 'marketing')
      .map((v) => v.template.id);
    assert.ok(marketing.length >= 2 && marketing.includes('criteo'), 'the demo has marketing vendors');
    // Without JavaScript the vendor boxes were disabled: the category alone is sent.
    await b.post(
      '/consent',
      [
        ['action', 'custom'],
        ['categories', 'marketing'],
      ],
      FROM_SETTINGS,
    );
    let c = await consentOf(b);
    assert.deepEqual([c.categories, c.vendors], [['marketing'], marketing]);
    let boxes = vendorBoxes((await b.get('/cookies')).body);
    for (const [id, box] of boxes)
      assert.deepEqual(
        [id, box.checked, box.disabled],
        [id, box.category === 'marketing', box.category !== 'marketing'],
      );
    assert.match((await b.get('/cookies')).body, /<input type="hidden" name="offered" value="marketing">/);

    // One vendor unticked on the page (the form offers marketing's vendors).
    await b.post(
      '/consent',
      [
        ['action', 'custom'],
        ['categories', 'marketing'],
        ['offered', 'marketing'],
        ['vendors', 'criteo'],
      ],
      FROM_SETTINGS,
    );
    c = await consentOf(b);
    assert.deepEqual([c.categories, c.vendors], [['marketing'], ['criteo']]);
    boxes = vendorBoxes((await b.get('/cookies')).body);
    assert.equal(boxes.get('criteo')?.checked, true);
    assert.equal(
      marketing.filter((v) => v !== 'criteo').some((v) => boxes.get(v)?.checked),
      false,
    );

    // Every vendor unticked, the category box left ticked: nothing is allowed, the category is off.
    await b.post(
      '/consent',
      [
        ['action', 'custom'],
        ['categories', 'marketing'],
        ['offered', 'marketing'],
      ],
      FROM_SETTINGS,
    );
    c = await consentOf(b);
    assert.deepEqual([c.categories, c.vendors], [[], []]);
    // The receipts record exactly what the ledger always recorded: the consistent choices.
    const receipts = (await b.api('GET', '/api/v1/consent')).json().receipts as { action: string; choices: unknown }[];
    assert.deepEqual(
      receipts.map((r) => [r.action, r.choices]),
      [
        ['custom', { categories: ['marketing'], vendors: marketing }],
        ['custom', { categories: ['marketing'], vendors: ['criteo'] }],
        ['custom', { categories: [], vendors: [] }],
      ],
    );
    // A vendor sent without its category (a forged or stale form) is not allowed.
    await b.post(
      '/consent',
      [
        ['action', 'custom'],
        ['vendors', 'criteo'],
      ],
      FROM_SETTINGS,
    );
    assert.deepEqual((await consentOf(b)).vendors, []);
  });

  test('statistics offer this shop’s own statistics as a box of their own: on without any vendor, each vendor by its own tick', async () => {
    const b = new Browser(h.app);
    const statistics = h.deps.consent.vendors
      .filter((v) => v.template.category === 'statistics')
      .map((v) => v.template.id);
    assert.ok(statistics.length >= 2 && statistics.includes('google-analytics'), 'the demo has statistics vendors');
    assert.ok(h.deps.consent.own.length > 0, 'and our own statistics');
    const page = (await b.get('/cookies')).body;
    assert.match(
      page,
      /<input type="checkbox" id="page-cat-statistics" name="categories" value="statistics" data-category="statistics" data-own> <label for="page-cat-statistics"><strong>This shop’s own statistics, no third party<\/strong><\/label>/,
    );
    assert.match(
      page,
      /each can be ticked on its own once this shop’s own statistics are allowed; allowing ours allows none of them/,
    );
    const de = (await b.get('/cookies', { 'accept-language': 'de' })).body;
    assert.match(
      de,
      /<label for="page-cat-statistics"><strong>Eigene Statistik dieses Shops, ohne Dritte<\/strong><\/label>/,
    );
    assert.match(de, /unsere zu erlauben erlaubt keinen von ihnen/);
    // Marketing has no purposes of our own: its box stays the category's.
    assert.match(
      page,
      /name="categories" value="marketing" data-category="marketing"> <label for="page-cat-marketing">Allow Marketing<\/label>/,
    );

    // Our own statistics alone (the form without JavaScript, vendor boxes disabled): on, and no vendor at all.
    await b.post(
      '/consent',
      [
        ['action', 'custom'],
        ['categories', 'statistics'],
      ],
      FROM_SETTINGS,
    );
    let c = await consentOf(b);
    assert.deepEqual([c.categories, c.vendors], [['statistics'], []]);
    const shop = (await b.get('/shop')).body;
    assert.match(shop, /src="\/analytics\/beacon\.js/, 'our own statistics follow the choice');
    assert.doesNotMatch(shop, /data-vendor=/, 'no vendor loads');
    assert.match(
      /consent-saved" role="status">([^<]*)</.exec((await b.get('/cookies?saved=1')).body)?.[1] ?? '',
      /statistics on \(this shop’s own\)/,
    );
    // Now the vendor boxes can be ticked one by one; none is ticked for the visitor.
    let boxes = vendorBoxes((await b.get('/cookies')).body);
    for (const id of statistics)
      assert.deepEqual([id, boxes.get(id)?.checked, boxes.get(id)?.disabled], [id, false, false]);

    // One vendor ticked besides our own.
    await b.post(
      '/consent',
      [
        ['action', 'custom'],
        ['categories', 'statistics'],
        ['offered', 'statistics'],
        ['vendors', 'google-analytics'],
      ],
      FROM_SETTINGS,
    );
    c = await consentOf(b);
    assert.deepEqual([c.categories, c.vendors], [['statistics'], ['google-analytics']]);
    assert.match(
      /consent-saved" role="status">([^<]*)</.exec((await b.get('/cookies?saved=1')).body)?.[1] ?? '',
      /statistics on \(this shop’s own\) and for Google Analytics 4/,
    );
    boxes = vendorBoxes((await b.get('/cookies')).body);
    assert.equal(boxes.get('google-analytics')?.checked, true);

    // Every vendor unticked again: our own statistics stay on, the vendors are off.
    await b.post(
      '/consent',
      [
        ['action', 'custom'],
        ['categories', 'statistics'],
        ['offered', 'statistics'],
      ],
      FROM_SETTINGS,
    );
    c = await consentOf(b);
    assert.deepEqual([c.categories, c.vendors], [['statistics'], []]);

    // A vendor without our own statistics is no valid choice: nothing is allowed.
    await b.post(
      '/consent',
      [
        ['action', 'custom'],
        ['offered', 'statistics'],
        ['vendors', 'google-analytics'],
      ],
      FROM_SETTINGS,
    );
    c = await consentOf(b);
    assert.deepEqual([c.categories, c.vendors], [[], []]);
    // "Accept all" still allows every vendor with our own statistics.
    await b.post('/consent', [['action', 'accept']], FROM_SETTINGS);
    c = await consentOf(b);
    assert.ok(c.categories.includes('statistics') && statistics.every((v) => c.vendors.includes(v)));
    const receipts = (await b.api('GET', '/api/v1/consent')).json().receipts as { action: string; choices: unknown }[];
    assert.deepEqual(
      receipts.slice(0, 4).map((r) => [r.action, r.choices]),
      [
        ['custom', { categories: ['statistics'], vendors: [] }],
        ['custom', { categories: ['statistics'], vendors: ['google-analytics'] }],
        ['custom', { categories: ['statistics'], vendors: [] }],
        ['custom', { categories: [], vendors: [] }],
      ],
    );
  });

  test('saving on the settings page confirms the choice in words, in both languages', async () => {
    const b = new Browser(h.app);
    const saved = await b.post(
      '/consent',
      [
        ['action', 'custom'],
        ['categories', 'marketing'],
        ['offered', 'marketing'],
        ['vendors', 'criteo'],
      ],
      FROM_SETTINGS,
    );
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/cookies?saved=1');
    const page = await b.get('/cookies?saved=1');
    const note = /<p class="notice consent-saved" role="status">([^<]*)<\/p>/.exec(page.body)?.[1] ?? '';
    assert.match(note, /^Saved: /);
    assert.match(note, /statistics off/);
    assert.match(note, /marketing on for Criteo OneTag\.$/);
    const de = /<p class="notice consent-saved" role="status">([^<]*)<\/p>/.exec(
      (await b.get('/cookies?saved=1', { 'accept-language': 'de' })).body,
    )?.[1];
    assert.match(de ?? '', /^Gespeichert: .*Statistik aus.*Marketing an für Criteo OneTag\.$/);
    assert.doesNotMatch((await b.get('/cookies')).body, /consent-saved/, 'only after saving');

    await b.post('/consent', [['action', 'withdraw']], FROM_SETTINGS);
    const withdrawn = /consent-saved" role="status">([^<]*)</.exec((await b.get('/cookies?saved=1')).body)?.[1] ?? '';
    assert.doesNotMatch(withdrawn, / on /);
    assert.match(withdrawn, /marketing off\.$/);
    // The banner elsewhere returns to its page, without the confirmation parameter.
    const elsewhere = await b.post('/consent', [['action', 'reject']], {
      ...FROM_SETTINGS,
      referer: 'http://127.0.0.1:3000/shop',
    });
    assert.equal(elsewhere.headers.location, '/shop');
  });
});
