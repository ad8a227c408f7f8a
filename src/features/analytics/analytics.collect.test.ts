// Counting on the server: the visitor hash of a day, what is never stored (IP, user agent), who is not counted
// (opt-out, DNT, GPC, staff, bots per reason), route patterns for pages whose address carries ids or tokens, the
// consented pseudonym, exclusions, goals, and the batched writer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { DAY } from '../../platform/clock.ts';
import { listTables } from '../../platform/db/dialect.ts';
import { placeOrder, productId, signedIn, staffMember } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, START, type Harness } from '../../testing/harness.ts';
import {
  classifyAgent,
  countryFromLanguage,
  countryFromTimeZone,
  lacksBrowserHeaders,
  languageOf,
  referrerHost,
  utmOf,
} from './analytics.classify.ts';
import { eventIdPrefix, OPT_OUT_COOKIE } from './analytics.model.ts';
import {
  eventTableOf,
  listBotCounts,
  listEvents,
  listExcludedPseudonyms,
  upsertExclusions,
} from './analytics.queries.ts';
import type { AnalyticsEventRow } from './analytics.tables.ts';
import { eventsOf, recordedEvent } from './analytics.testing.ts';
import { pseudonymOf } from './analytics.visitor.ts';
import { createAnalyticsWriter } from './analytics.writer.ts';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const browserHeaders = (ua = FIREFOX) => ({ 'user-agent': ua, 'accept-language': 'de-AT,de;q=0.9,en;q=0.5' });
const SAME_ORIGIN = { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' };
const ENV = { RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_AUTH_PER_MINUTE: '10000' };

describe('classifying a request', () => {
  test('browser, system and device families from the user agent, and bots by the maintained list', () => {
    assert.deepEqual(classifyAgent(FIREFOX), { browser: 'Firefox', os: 'Linux', device: 'desktop', bot: false });
    assert.deepEqual(classifyAgent(IPHONE), { browser: 'Safari', os: 'iOS', device: 'mobile', bot: false });
    const edge =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0';
    assert.deepEqual(classifyAgent(edge), { browser: 'Edge', os: 'Windows', device: 'desktop', bot: false });
    const samsungTablet =
      'Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Safari/537.36';
    assert.deepEqual(classifyAgent(samsungTablet), {
      browser: 'Samsung Internet',
      os: 'Android',
      device: 'tablet',
      bot: false,
    });
    const chromeAndroid =
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
    assert.deepEqual(classifyAgent(chromeAndroid), { browser: 'Chrome', os: 'Android', device: 'mobile', bot: false });
    const mac =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0';
    assert.deepEqual(classifyAgent(mac), { browser: 'Opera', os: 'macOS', device: 'desktop', bot: false });
    const chromebook =
      'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
    assert.equal(classifyAgent(chromebook).os, 'ChromeOS');
    assert.equal(classifyAgent('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)').bot, true);
    assert.equal(classifyAgent('curl/8.5.0').bot, true);
    assert.equal(classifyAgent(undefined).bot, true, 'no user agent at all is no browser');
    assert.equal(classifyAgent('SomethingNew/1.0').browser, 'other');
  });

  test('language and country come from Accept-Language or the time zone, never from the address', () => {
    assert.equal(languageOf('de-AT,de;q=0.9,en;q=0.5'), 'de');
    assert.equal(countryFromLanguage('de-AT,de;q=0.9'), 'AT');
    assert.equal(countryFromLanguage('de,en-US;q=0.5'), null, 'only the first, preferred entry counts');
    assert.equal(countryFromLanguage('zh-Hant-TW'), 'TW');
    assert.equal(countryFromLanguage('es-419'), null);
    assert.equal(languageOf('*'), null);
    assert.equal(languageOf(undefined), null);
    assert.equal(countryFromTimeZone('Europe/Vienna'), 'AT');
    assert.equal(countryFromTimeZone('America/Argentina/Buenos_Aires'), 'AR');
    assert.equal(countryFromTimeZone('Mars/Olympus'), null);
    assert.equal(countryFromTimeZone('../../etc'), null);
  });

  test('the referrer keeps only another site’s host; UTM values are trimmed, cut and cleaned', () => {
    assert.equal(referrerHost('https://Search.Example.ORG/q?id=7', '127.0.0.1'), 'search.example.org');
    assert.equal(referrerHost('http://127.0.0.1:3000/shop', '127.0.0.1'), null, 'our own pages are no source');
    assert.equal(referrerHost('android-app://com.example', 'shop.test'), null);
    assert.equal(referrerHost('not a url', 'shop.test'), null);
    assert.deepEqual(utmOf('/shop?utm_source=%20News%0Aletter%20&utm_medium=email&utm_campaign=' + 'x'.repeat(150)), {
      utm_source: 'Newsletter',
      utm_medium: 'email',
      utm_campaign: 'x'.repeat(100),
    });
    assert.deepEqual(utmOf('/shop?page=2'), { utm_source: null, utm_medium: null, utm_campaign: null });
  });

  test('a page request without what browsers send is no browser', () => {
    assert.equal(lacksBrowserHeaders({ accept: 'text/html', 'accept-language': 'en' }), false);
    assert.equal(lacksBrowserHeaders({ accept: 'text/html', 'sec-fetch-mode': 'navigate' }), false);
    assert.equal(lacksBrowserHeaders({ accept: 'text/html' }), true);
    assert.equal(lacksBrowserHeaders({ accept: '*/*', 'accept-language': 'en' }), true);
  });
});

describeEachDatabase('counting on the server', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true, env: ENV });
  });
  after(() => h.close());

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the daily tables are named at run time
  const anyDb = () => h.deps.db as Kysely<any>;
  async function botCount(reason: string): Promise<number> {
    await h.app.analyticsRecorder.flush();
    return (await listBotCounts(h.deps.db)).filter((r) => r.reason === reason).reduce((n, r) => n + r.count, 0);
  }
  const consentTo = (b: Browser) =>
    b.post('/consent', [['action', 'accept']], { ...SAME_ORIGIN, referer: 'http://127.0.0.1:3000/' });
  const pages = (events: AnalyticsEventRow[]) => events.filter((e) => e.kind === 'pageview');

  test('two visits of one browser on one day are one visitor; the next day, or another browser, another', async () => {
    h.clock.set(START);
    try {
      const b = new Browser(h.app, '198.51.100.10', browserHeaders());
      const other = new Browser(h.app, '198.51.100.10', browserHeaders(IPHONE));
      const today = pages(
        await eventsOf(h, async () => {
          assert.equal((await b.get('/')).statusCode, 200);
          h.clock.advance(3 * 60 * 60_000);
          assert.equal((await b.get('/shop')).statusCode, 200);
          await other.get('/');
        }),
      );
      assert.equal(today.length, 3);
      const [first, second, iphone] = today as [AnalyticsEventRow, AnalyticsEventRow, AnalyticsEventRow];
      assert.equal(first.visitor, second.visitor, 'one browser, one day: one visitor');
      assert.notEqual(iphone.visitor, first.visitor, 'another user agent: another visitor');
      assert.deepEqual(
        [first.path, first.browser, first.os, first.device, first.language, first.country, first.pseudonym],
        ['/', 'Firefox', 'Linux', 'desktop', 'de', 'AT', null],
      );
      assert.equal(iphone.device, 'mobile');

      h.clock.set(Date.UTC(2026, 10, 30, 0, 0, 30));
      const tomorrow = pages(await eventsOf(h, () => b.get('/')));
      assert.equal(tomorrow.length, 1);
      assert.notEqual(tomorrow[0]!.visitor, first.visitor, 'the next day the same browser is a new visitor');
      assert.equal(tomorrow[0]!.pseudonym, null);
      assert.equal(eventTableOf(tomorrow[0]!.at), 'analytics_events_d20261130', 'events go to their day’s table');
      // Without consent nothing in the events links the two days: every identifying value differs.
      for (const column of ['id', 'visitor'] as const) assert.notEqual(tomorrow[0]![column], first[column], column);
    } finally {
      h.clock.set(START);
    }
  });

  test('no analytics table holds an IP address or a user agent', async () => {
    const ips = ['198.51.100.21', '198.51.100.22'];
    const consenting = new Browser(h.app, ips[0], browserHeaders());
    await consentTo(consenting);
    const account = await signedIn(h, { ip: ips[1] });
    await account.b.post('/consent', [['action', 'accept']], { ...SAME_ORIGIN, referer: 'http://127.0.0.1:3000/' });
    const written = await eventsOf(h, async () => {
      await consenting.get('/shop?utm_source=mail', { referer: 'https://news.example.com/a?b=c' });
      await account.b.get('/', browserHeaders(IPHONE));
      await account.b.api('POST', '/api/v1/basket/items', {
        productId: await productId(h, 'aurora-synth'),
        quantity: 1,
      });
      await new Browser(h.app, ips[0], browserHeaders('Googlebot/2.1 (+http://www.google.com/bot.html)')).get('/');
    });
    assert.ok(written.length >= 3, 'the visits were counted');
    assert.ok(written.some((e) => e.pseudonym !== null));
    const forbidden = [...ips, FIREFOX, IPHONE, 'rv:128.0', 'Gecko/20100101', 'iPhone OS 17_5', 'Googlebot/2.1'];
    const tables = (await listTables(anyDb(), h.deps.dbKind)).filter((t) => t.startsWith('analytics_'));
    assert.ok(tables.includes('analytics_events_d20261129') && tables.includes('analytics_bots'));
    for (const table of tables) {
      for (const row of await anyDb().selectFrom(table).selectAll().execute()) {
        for (const [column, value] of Object.entries(row as Record<string, unknown>)) {
          if (typeof value !== 'string') continue;
          for (const bad of forbidden) assert.ok(!value.includes(bad), `${table}.${column} holds ${bad}`);
        }
      }
    }
  });

  test('opted-out, Do Not Track, Global Privacy Control and staff are not counted; bots only per reason', async () => {
    const staff = await staffMember(h, { ip: '198.51.100.30' });
    const before = {
      agent: await botCount('user-agent'),
      headers: await botCount('no-browser-headers'),
      fast: await botCount('too-fast'),
    };
    const b = new Browser(h.app, '198.51.100.31', browserHeaders());
    const none = await eventsOf(h, async () => {
      assert.equal((await b.get('/', { cookie: `${OPT_OUT_COOKIE}=1` })).statusCode, 200);
      assert.equal((await b.get('/', { dnt: '1' })).statusCode, 200);
      assert.equal((await b.get('/', { 'sec-gpc': '1' })).statusCode, 200);
      assert.equal((await staff.b.get('/shop', browserHeaders())).statusCode, 200);
      const bot = new Browser(h.app, '198.51.100.32', {
        'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
        'accept-language': 'en',
      });
      assert.equal((await bot.get('/')).statusCode, 200);
      // A script that asks for pages the way no browser does.
      await new Browser(h.app, '198.51.100.33', { 'user-agent': FIREFOX }).get('/');
    });
    assert.deepEqual(none, []);
    assert.equal(await botCount('user-agent'), before.agent + 1);
    assert.equal(await botCount('no-browser-headers'), before.headers + 1);

    // More than 30 pages a minute from one visitor: the rest count as a bot, not as page views.
    const fast = new Browser(h.app, '198.51.100.34', browserHeaders());
    const burst = await eventsOf(h, async () => {
      for (let i = 0; i < 33; i++) await fast.get('/');
    });
    assert.equal(pages(burst).length, 30);
    assert.equal(await botCount('too-fast'), before.fast + 3);
    const bots = await listBotCounts(h.deps.db);
    assert.ok(
      bots.every((r) => r.day % DAY === 0),
      'counted per UTC day',
    );
  });

  test('a page whose address carries an id or a token is stored as its route pattern, with no query', async () => {
    const person = await signedIn(h, { ip: '198.51.100.40' });
    const order = await placeOrder(h, person.b, ['aurora-synth']);
    const written = pages(
      await eventsOf(h, async () => {
        // A route that declares itself sensitive, and a page under a sensitive prefix (the account area).
        const demo = await person.b.get('/shop/aurora-synth/demo/start', browserHeaders());
        assert.equal(demo.statusCode, 200);
        assert.equal((await person.b.get(`/account/orders/${order.id}`, browserHeaders())).statusCode, 200);
        await person.b.get('/shop?q=secret-search&utm_medium=email', browserHeaders());
      }),
    );
    assert.deepEqual(
      written.map((e) => [e.path, e.utm_medium]),
      [
        ['/shop/:slug/demo/start', null],
        ['/account/orders/:id', null],
        ['/shop', 'email'],
      ],
    );
    assert.ok(!written.some((e) => e.path.includes(order.id)));
  });

  test('a consenting person on a sensitive page or an address with a token: the pattern only, no pseudonym, referrer or campaign', async () => {
    const person = await signedIn(h, { ip: '198.51.100.41' });
    await person.b.post('/consent', [['action', 'accept']], { ...SAME_ORIGIN, referer: 'http://127.0.0.1:3000/' });
    const from = { ...browserHeaders(), referer: 'https://news.example.com/mail' };
    const written = pages(
      await eventsOf(h, async () => {
        assert.equal((await person.b.get('/account?utm_campaign=spring', from)).statusCode, 200);
        assert.equal((await person.b.get('/?utm_campaign=spring&token=abcdef0123456789abcdef', from)).statusCode, 200);
        assert.equal((await person.b.get('/?utm_campaign=spring', from)).statusCode, 200);
      }),
    );
    assert.deepEqual(
      written.map((e) => [e.path, e.pseudonym === null, e.referrer_host, e.utm_campaign]),
      [
        ['/account', true, null, null],
        ['/', true, null, null],
        ['/', false, 'news.example.com', 'spring'],
      ],
    );
  });

  test('the pseudonym needs statistics consent; it stays the same across days and differs between accounts', async () => {
    const key = h.deps.config.analyticsKey;
    try {
      const b = new Browser(h.app, '198.51.100.50', browserHeaders());
      const without = pages(await eventsOf(h, () => b.get('/')));
      assert.equal(without[0]!.pseudonym, null);
      await consentTo(b);
      const day1 = pages(await eventsOf(h, () => b.get('/')));
      h.clock.advance(DAY);
      const day2 = pages(await eventsOf(h, () => b.get('/')));
      assert.ok(day1[0]!.pseudonym);
      assert.equal(day2[0]!.pseudonym, day1[0]!.pseudonym, 'the same consenting browser the next day');
      assert.notEqual(day2[0]!.visitor, day1[0]!.visitor);

      const anna = await signedIn(h, { ip: '198.51.100.51' });
      const bert = await signedIn(h, { ip: '198.51.100.52' });
      const unconsented = pages(await eventsOf(h, () => anna.b.get('/', browserHeaders())));
      assert.equal(unconsented[0]!.pseudonym, null, 'signed in is not consent');
      for (const a of [anna, bert])
        await a.b.post('/consent', [['action', 'accept']], { ...SAME_ORIGIN, referer: 'http://127.0.0.1:3000/' });
      const both = pages(
        await eventsOf(h, async () => {
          await anna.b.get('/', browserHeaders());
          await bert.b.get('/', browserHeaders());
        }),
      );
      assert.deepEqual(
        both.map((e) => e.pseudonym),
        [pseudonymOf(key, 'account', anna.id), pseudonymOf(key, 'account', bert.id)],
      );
      assert.notEqual(both[0]!.pseudonym, both[1]!.pseudonym);
    } finally {
      h.clock.set(START);
    }
  });

  test('adding to the basket and placing an order are goals; a refused one is not', async () => {
    const b = new Browser(h.app, '198.51.100.60', browserHeaders());
    const written = await eventsOf(h, async () => {
      const added = await b.api('POST', '/api/v1/basket/items', {
        productId: await productId(h, 'aurora-synth'),
        quantity: 1,
      });
      assert.equal(added.statusCode, 201);
      const refused = await b.api('POST', '/api/v1/basket/items', { productId: 'no-such-product', quantity: 1 });
      assert.ok(refused.statusCode >= 400);
    });
    assert.deepEqual(
      written.map((e) => [e.kind, e.target, e.path]),
      [['goal', 'add-to-basket', '/api/v1/basket/items']],
    );
    const customer = await signedIn(h, { ip: '198.51.100.61' });
    const ordered = await eventsOf(h, () => placeOrder(h, customer.b, ['aurora-synth']));
    assert.deepEqual(
      ordered.map((e) => [e.kind, e.target]),
      [
        ['goal', 'add-to-basket'],
        ['goal', 'order'],
      ],
    );
  });

  test('an excluded pseudonym’s queued events are not written, and a signed-in excluded person is not counted', async () => {
    const recorder = h.app.analyticsRecorder;
    const event = (pseudonym: string | null, path: string) =>
      recordedEvent(h.clock.now(), { visitor: 'v-test', pseudonym, path });
    const written = await eventsOf(h, async () => {
      recorder.record(event('p-queued', '/queued'));
      recorder.record(event('p-kept', '/kept'));
      recorder.exclude('p-queued', 'objection');
      assert.equal(recorder.isExcluded('p-queued'), true, 'at once, in this process');
      recorder.record(event('p-queued', '/after'));
    });
    assert.deepEqual(
      written.map((e) => e.path),
      ['/kept'],
    );
    assert.ok((await listExcludedPseudonyms(h.deps.db)).includes('p-queued'), 'stored for other processes');

    // A consenting customer who objects is no longer counted at all, not even without the pseudonym.
    const person = await signedIn(h, { ip: '198.51.100.70' });
    await person.b.post('/consent', [['action', 'accept']], { ...SAME_ORIGIN, referer: 'http://127.0.0.1:3000/' });
    const counted = pages(await eventsOf(h, () => person.b.get('/', browserHeaders())));
    assert.equal(counted.length, 1);
    recorder.exclude(pseudonymOf(h.deps.config.analyticsKey, 'account', person.id), 'objection');
    assert.deepEqual(await eventsOf(h, () => person.b.get('/', browserHeaders())), []);

    // Another process's exclusion applies once the list is read again.
    await upsertExclusions(h.deps.db, [{ pseudonym: 'p-elsewhere', reason: 'erasure', added_at: h.clock.now() }]);
    assert.equal(recorder.isExcluded('p-elsewhere'), false);
    await h.app.analyticsRecorder.flush();
    await (recorder as unknown as { refreshExclusions(): Promise<void> }).refreshExclusions();
    assert.equal(recorder.isExcluded('p-elsewhere'), true);
    recorder.include('p-elsewhere');
    assert.equal(recorder.isExcluded('p-elsewhere'), false);
    await recorder.flush();
    assert.ok(!(await listExcludedPseudonyms(h.deps.db)).includes('p-elsewhere'), 'lifted for every process');
  });

  test('the writer writes large batches by day with ids growing with time, adds bot counts, and survives a bad batch', async () => {
    const base = Date.UTC(2026, 11, 5, 23, 59, 0);
    const writer = createAnalyticsWriter(h.deps.db, h.deps.log, { clock: h.clock, maxBatch: 1000, maxQueued: 3000 });
    try {
      const row = (i: number) =>
        recordedEvent(base + i * 50, {
          visitor: `v${i % 7}`,
          path: `/p/${i % 13}`,
          language: 'en',
          browser: 'Firefox',
          os: 'Linux',
          device: 'desktop',
        });
      for (let i = 0; i < 3100; i++) writer.record(row(i));
      assert.equal(writer.droppedEvents(), 100, 'beyond the bound new events are dropped and counted');
      writer.recordBot(base, 'too-fast');
      await writer.flush();
      writer.recordBot(base + 1000, 'too-fast');
      writer.recordBot(base + DAY, 'too-fast');
      await writer.flush();

      const first = await listEvents(anyDb(), 'analytics_events_d20261205');
      const second = await listEvents(anyDb(), 'analytics_events_d20261206');
      assert.equal(first.length + second.length, 3000);
      assert.equal(first.length, 1200, '60 s of events before midnight');
      const ids = [...first, ...second].map((e) => e.id);
      assert.deepEqual(ids, [...ids].sort(), 'ids grow with time');
      const since = base + 2000 * 50;
      const recent = await listEvents(anyDb(), 'analytics_events_d20261206', eventIdPrefix(since));
      assert.equal(recent.length, 1000, '`id >= prefix` finds the events since a time');
      const bots = (await listBotCounts(h.deps.db)).filter((r) => r.day >= Date.UTC(2026, 11, 5));
      assert.deepEqual(
        bots.map((r) => [r.day, r.reason, r.count]),
        [
          [Date.UTC(2026, 11, 5), 'too-fast', 2],
          [Date.UTC(2026, 11, 6), 'too-fast', 1],
        ],
      );

      // A batch the database refuses is logged without its content and dropped; the next one is written.
      writer.record({ ...row(0), path: null as unknown as string, visitor: 'v-bad' });
      await assert.doesNotReject(writer.flush());
      assert.ok(h.logLines.some((l) => l.includes('analytics event batch lost')));
      assert.ok(!h.logLines.some((l) => l.includes('analytics') && l.includes('v-bad')));
      writer.record(row(1));
      await writer.flush();
      assert.equal((await listEvents(anyDb(), 'analytics_events_d20261205')).length, 1201);
    } finally {
      await writer.close();
    }
  });
});
