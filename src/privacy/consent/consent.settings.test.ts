// The cookie settings page: a vendor box follows its category (never ticked under a category that is off), the
// server derives a consistent choice from any form, and saving on the page confirms the choice in words.
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

  test('ticking a category allows its vendors; then single ones can be unticked, and unticking all switches it off', async () => {
    const b = new Browser(h.app);
    // Without JavaScript the vendor boxes were disabled: the category alone is sent.
    await b.post(
      '/consent',
      [
        ['action', 'custom'],
        ['categories', 'statistics'],
      ],
      FROM_SETTINGS,
    );
    let c = await consentOf(b);
    assert.deepEqual(c.categories, ['statistics']);
    assert.ok(c.vendors.length >= 2 && c.vendors.includes('google-analytics'), c.vendors.join());
    const statistics = c.vendors;
    let boxes = vendorBoxes((await b.get('/cookies')).body);
    for (const [id, box] of boxes)
      assert.deepEqual(
        [id, box.checked, box.disabled],
        [id, box.category === 'statistics', box.category !== 'statistics'],
      );
    assert.match((await b.get('/cookies')).body, /<input type="hidden" name="offered" value="statistics">/);

    // One vendor unticked on the page (the form offers statistics' vendors).
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
    boxes = vendorBoxes((await b.get('/cookies')).body);
    assert.equal(boxes.get('google-analytics')?.checked, true);
    assert.equal(
      statistics.filter((v) => v !== 'google-analytics').some((v) => boxes.get(v)?.checked),
      false,
    );

    // Every vendor unticked, the category box left ticked: nothing is allowed, the category is off.
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
    assert.deepEqual([c.categories, c.vendors], [[], []]);
    // The receipts record exactly what the ledger always recorded: the consistent choices.
    const receipts = (await b.api('GET', '/api/v1/consent')).json().receipts as { action: string; choices: unknown }[];
    assert.deepEqual(
      receipts.map((r) => [r.action, r.choices]),
      [
        ['custom', { categories: ['statistics'], vendors: statistics }],
        ['custom', { categories: ['statistics'], vendors: ['google-analytics'] }],
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
