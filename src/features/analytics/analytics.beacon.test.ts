// The consented beacon: its size, where its script tag appears, what the endpoint records and refuses, its rate
// limit, and that a withdrawn statistics consent excludes the visitor's pseudonyms at once.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { consentIdOf, signedIn } from '../../testing/factories.ts';
import { beaconJs } from './analytics.beacon.client.ts';
import { todaysEvents } from './analytics.testing.ts';
import { pseudonymOf } from './analytics.visitor.ts';

const SAME_ORIGIN = { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' };
const BEACON = /<script src="\/analytics\/beacon\.js\?v=[0-9a-f]+" defer><\/script>/;
const EVENTS = '/api/v1/analytics/events';
const batch = {
  path: '/shop',
  screen: { w: 1366, h: 768 },
  tz: 'Europe/Vienna',
  events: [
    { kind: 'engagement', duration_ms: 12_345, scroll_pct: 80 },
    { kind: 'click', target: 'main > div.product-card > a#buy.button' },
    { kind: 'outbound', target: 'example.org' },
  ],
};

test('the beacon script stays under 2 KB gzip and reads no text, values or keys', () => {
  const size = gzipSync(beaconJs).length;
  assert.ok(size < 2048, `beacon.js is ${size} bytes gzip`);
  for (const word of ['textContent', 'innerText', '.value', 'keydown', 'keypress', 'keyup', 'input', 'cookie'])
    if (word === 'input') assert.match(beaconJs, /closest\('form,input,textarea,select/);
    else assert.ok(!beaconJs.includes(word), word);
});

describeEachDatabase('the statistics beacon', (db) => {
  let h: Harness;
  let ip = 10;
  const visitor = () => new Browser(h.app, `198.51.100.${ip++}`);
  const consenting = async (action: 'accept' | 'reject' = 'accept') => {
    const b = visitor();
    const res = await b.post('/consent', [['action', action]], { ...SAME_ORIGIN, referer: 'http://127.0.0.1:3000/' });
    assert.equal(res.statusCode, 303);
    return b;
  };
  const beaconEvents = async () => (await todaysEvents(h)).filter((r) => r.kind !== 'pageview' && r.kind !== 'goal');
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  test('pages carry the beacon script only with statistics consent, never with the opt-out, DNT or on sensitive pages', async () => {
    assert.doesNotMatch((await visitor().get('/')).body, BEACON, 'no choice yet');
    const rejected = await consenting('reject');
    assert.doesNotMatch((await rejected.get('/')).body, BEACON, 'rejected');
    const b = await consenting();
    const page = await b.get('/shop');
    assert.match(page.body, BEACON, 'consented');
    // The CSP admits it: our own origin for scripts and for the beacon's request.
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    assert.match(String(page.headers['content-security-policy']), /connect-src 'self'/);
    assert.doesNotMatch((await b.get('/shop', { dnt: '1' })).body, BEACON, 'Do Not Track');
    assert.doesNotMatch((await b.get('/shop', { 'sec-gpc': '1' })).body, BEACON, 'GPC');
    assert.doesNotMatch((await b.get('/account/login')).body, BEACON, 'sensitive page');
    assert.doesNotMatch((await b.get(`/shop?token=${'Ab1'.repeat(12)}`)).body, BEACON, 'a token in the address');
    const optedOut = await b.get('/shop', { cookie: `${b.cookieHeader()}; candor_analytics_optout=1` });
    assert.doesNotMatch(optedOut.body, BEACON, 'opted out');

    const script = await b.get('/analytics/beacon.js');
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /^text\/javascript/);
    assert.match(String(script.headers['cache-control']), /max-age=31536000/);
  });

  test('without statistics consent the endpoint records nothing; with it, each event is queued with the page’s facts', async () => {
    const before = (await beaconEvents()).length;
    const none = await visitor().api('POST', EVENTS, batch, SAME_ORIGIN);
    assert.equal(none.statusCode, 204);
    const rejected = await consenting('reject');
    assert.equal((await rejected.api('POST', EVENTS, batch, SAME_ORIGIN)).statusCode, 204);
    const optedOut = await consenting();
    const res = await optedOut.api('POST', EVENTS, batch, {
      ...SAME_ORIGIN,
      cookie: `${optedOut.cookieHeader()}; candor_analytics_optout=1`,
    });
    assert.equal(res.statusCode, 204, 'opted out');
    assert.equal((await beaconEvents()).length, before);

    const b = await consenting();
    const ok = await b.api('POST', EVENTS, batch, { ...SAME_ORIGIN, 'accept-language': 'de-DE' });
    assert.equal(ok.statusCode, 202, ok.body);
    const events = (await beaconEvents()).slice(before);
    assert.deepEqual(events.map((e) => e.kind).sort(), ['click', 'engagement', 'outbound']);
    const engagement = events.find((e) => e.kind === 'engagement')!;
    assert.equal(Number(engagement.duration_ms), 12_345);
    assert.equal(Number(engagement.scroll_pct), 80);
    assert.equal(engagement.screen, '1360x800');
    assert.equal(engagement.country, 'AT', 'from the time zone, before the language');
    assert.equal(engagement.language, 'de');
    assert.equal(engagement.browser, 'Firefox');
    assert.equal(engagement.path, '/shop');
    assert.ok(engagement.pseudonym, 'a consenting visitor’s pseudonym');
    assert.equal(events.find((e) => e.kind === 'click')!.target, 'main > div.product-card > a#buy.button');
    assert.equal(events.find((e) => e.kind === 'outbound')!.target, 'example.org');
    for (const e of events) assert.ok(!JSON.stringify(e).includes('198.51.100.'), 'no IP');

    // A report about a sensitive page is dropped.
    assert.equal((await b.api('POST', EVENTS, { ...batch, path: '/account/orders' }, SAME_ORIGIN)).statusCode, 204);
  });

  test('bad input is refused with 400 in the visitor’s language', async () => {
    const b = await consenting();
    const cases: [string, unknown][] = [
      ['text in a selector', { ...batch, events: [{ kind: 'click', target: 'a[href="x"]' }] }],
      ['unknown kind', { ...batch, events: [{ kind: 'keypress', target: 'a' }] }],
      ['extra field', { ...batch, events: [{ kind: 'click', target: 'a', text: 'Buy now' }] }],
      ['path not from the root', { ...batch, path: 'shop' }],
      ['too many events', { ...batch, events: Array.from({ length: 21 }, () => ({ kind: 'click', target: 'a' })) }],
      ['outbound without a host', { ...batch, events: [{ kind: 'outbound', target: 'a > b' }] }],
      ['scroll over 100', { ...batch, events: [{ kind: 'engagement', duration_ms: 1, scroll_pct: 101 }] }],
    ];
    for (const [name, body] of cases) {
      const en = await b.api('POST', EVENTS, body, { ...SAME_ORIGIN, 'accept-language': 'en' });
      assert.equal(en.statusCode, 400, name);
      const de = await b.api('POST', EVENTS, body, { ...SAME_ORIGIN, 'accept-language': 'de' });
      assert.equal(de.statusCode, 400, name);
      const [enMessage, deMessage] = [en, de].map(
        (r) => (JSON.parse(r.body) as { error: { message: string } }).error.message,
      );
      assert.notEqual(enMessage, deMessage, `${name}: ${enMessage}`);
    }
    const big = await b.api('POST', EVENTS, { ...batch, path: `/${'a'.repeat(9000)}` }, SAME_ORIGIN);
    assert.equal(big.statusCode, 413);
    const foreign = await b.api('POST', EVENTS, batch, {
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    assert.equal(foreign.statusCode, 403);
  });

  test('withdrawing statistics consent excludes the consent’s and the account’s pseudonyms at once', async () => {
    const person = await signedIn(h);
    const b = person.b;
    const accepted = await b.post('/consent', [['action', 'accept']], {
      ...SAME_ORIGIN,
      referer: 'http://127.0.0.1:3000/',
    });
    assert.equal(accepted.statusCode, 303);
    const consentId = consentIdOf(b);
    const key = h.deps.config.analyticsKey;
    const recorder = h.app.analyticsRecorder;
    assert.equal(recorder.isExcluded(pseudonymOf(key, 'consent', consentId)), false);
    // Saving again with statistics kept excludes nothing.
    await b.post(
      '/consent',
      [
        ['action', 'custom'],
        ['categories', 'statistics'],
      ],
      SAME_ORIGIN,
    );
    assert.equal(recorder.isExcluded(pseudonymOf(key, 'consent', consentId)), false);
    await b.post(
      '/consent',
      [
        ['action', 'custom'],
        ['categories', 'preferences'],
      ],
      SAME_ORIGIN,
    );
    assert.equal(recorder.exclusionOf(pseudonymOf(key, 'consent', consentId)), 'withdrawal');
    assert.equal(recorder.exclusionOf(pseudonymOf(key, 'account', person.id)), 'withdrawal');
  });

  test('after a withdrawal the beacon’s events go, and the page views stay without the pseudonym', async () => {
    const person = await signedIn(h);
    const b = person.b;
    await b.post('/consent', [['action', 'accept']], { ...SAME_ORIGIN, referer: 'http://127.0.0.1:3000/' });
    const pseudonym = pseudonymOf(h.deps.config.analyticsKey, 'account', person.id);
    const all = () => todaysEvents(h);
    assert.equal((await b.get('/shop', { accept: 'text/html', 'accept-language': 'de-DE' })).statusCode, 200);
    const sent = await b.api('POST', EVENTS, batch, SAME_ORIGIN);
    assert.equal(sent.statusCode, 202, sent.body);
    const before = (await all()).filter((e) => e.pseudonym === pseudonym);
    assert.ok(before.some((e) => e.kind === 'pageview'));
    assert.ok(before.some((e) => e.kind === 'engagement'));

    await b.post('/consent', [['action', 'reject']], { ...SAME_ORIGIN, referer: 'http://127.0.0.1:3000/' });
    // The exclusion's clean-up runs once the exclusion is stored: wait for the writer, then read.
    await h.app.analyticsRecorder.flush();
    const after = (await all()).filter((e) => before.some((o) => o.id === e.id));
    assert.ok(
      after.some((e) => e.kind === 'pageview'),
      'the page view counted without consent stays',
    );
    assert.ok(
      after.every((e) => e.pseudonym === null),
      'without the pseudonym',
    );
    assert.ok(!after.some((e) => e.kind === 'engagement' || e.kind === 'click'), 'the beacon’s events are gone');
  });
});

describeEachDatabase('the beacon’s rate limit', (db) => {
  test('one client sending too many batches is answered 429', async () => {
    const h = await openHarness(db, { env: { RATE_LIMIT_PER_MINUTE: '50' } });
    try {
      const b = new Browser(h.app, '192.0.2.44');
      const codes: number[] = [];
      for (let i = 0; i < 11; i++) codes.push((await b.api('POST', EVENTS, batch, SAME_ORIGIN)).statusCode);
      assert.deepEqual(codes.slice(0, 10), Array(10).fill(204));
      assert.equal(codes[10], 429);
    } finally {
      await h.close();
    }
  });
});

describeEachDatabase('the beacon’s page address', (db) => {
  let h: Harness;
  let ip = 10;
  before(async () => {
    h = await openHarness(db, { env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  after(() => h.close());
  const consenting = async () => {
    const b = new Browser(h.app, `203.0.113.${ip++}`);
    const res = await b.post('/consent', [['action', 'accept']], { ...SAME_ORIGIN, referer: 'http://127.0.0.1:3000/' });
    assert.equal(res.statusCode, 303);
    return b;
  };
  const storedPaths = async () => (await todaysEvents(h)).filter((r) => r.kind === 'engagement').map((r) => r.path);
  const report = (b: Browser, path: string, headers: Record<string, string> = {}) =>
    b.api('POST', EVENTS, { ...batch, path, events: [batch.events[0]] }, { ...SAME_ORIGIN, ...headers });

  test('a sensitive page is refused however its address is written', async () => {
    const b = await consenting();
    const before = await storedPaths();
    const sensitive = [
      '//account',
      '//account/orders',
      '/ACCOUNT/x',
      '/Account/Orders',
      '/account%2Forders',
      '/account%2forders/1',
      '/shop/../account/orders',
      '/shop/%2e%2e/account',
      '/./account',
      '/staff//orders',
      '/checkout',
      '/contact', // sensitive by its route, outside the prefixes
      '/newsletter',
      '/shop/aurora-synth/demo/start',
      `/shop/${'Ab1'.repeat(12)}`, // a token in the address
    ];
    for (const path of sensitive) assert.equal((await report(b, path)).statusCode, 204, path);
    assert.deepEqual(await storedPaths(), before, 'nothing recorded');
  });

  test('only a page of the site is recorded, under its normalised address', async () => {
    const b = await consenting();
    const before = await storedPaths();
    const unknown = [
      '/<script>alert(1)</script>',
      '/%3Cscript%3E',
      '/no-such-page',
      '/shop/<b>bold</b>',
      '/shop/a%20b',
      '/shop/',
      '/SHOP',
      '/assets/site.css',
      '/analytics/beacon.js',
      '/healthz',
      '/privacy/processing.json',
      '/api/v1/analytics/events',
    ];
    for (const path of unknown) assert.equal((await report(b, path)).statusCode, 204, path);
    assert.deepEqual(await storedPaths(), before, 'nothing recorded for an unknown page');

    const known: [string, string][] = [
      ['/shop', '/shop'],
      ['//shop', '/shop'],
      ['/legal/../shop/%61urora-synth', '/shop/aurora-synth'],
      ['/./privacy', '/privacy'],
      ['/', '/'],
    ];
    for (const [path] of known) assert.equal((await report(b, path)).statusCode, 202, path);
    assert.deepEqual(
      (await storedPaths()).slice(before.length),
      known.map(([, stored]) => stored),
    );
  });

  test('a bad percent escape in the address is refused with 400 in the visitor’s language', async () => {
    const b = await consenting();
    for (const path of ['/%%%', '/shop%zz', '/shop/%E0%A4%A', '/%C0%AF']) {
      const en = await report(b, path, { 'accept-language': 'en' });
      const de = await report(b, path, { 'accept-language': 'de' });
      assert.equal(en.statusCode, 400, path);
      assert.equal(de.statusCode, 400, path);
      const [enMessage, deMessage] = [en, de].map(
        (r) => (JSON.parse(r.body) as { error: { message: string } }).error.message,
      );
      assert.notEqual(enMessage, deMessage);
    }
  });
});
