// The staff analytics dashboard over seeded rollups and raw days: key figures with the change against the previous
// period, the hourly chart of a day, the tables, filters read from the raw days with the days they cannot cover, the
// realtime count, CSV content and formula escaping, 400 pages for bad parameters, and no way in for customers.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { asRole, signedIn, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, START, type Harness } from '../../testing/harness.ts';
import { parseDashboardParams } from './analytics.dashboard.ts';
import { insertBotRows, insertDailyRows, insertHourlyRows } from './analytics.dashboard.queries.ts';
import { createEventPartition, insertEvents } from './analytics.queries.ts';
import type { AnalyticsEventRow } from './analytics.tables.ts';
import { FIREFOX_DE, rawEvent } from './analytics.testing.ts';

const DAY = 86_400_000;
const TODAY = START - (START % DAY); // 2026-11-29
const HOOK = '=HYPERLINK("http://evil.example")';

/** The bars of the chart (the image, not its legend). */
function bars(body: string): number {
  const start = body.indexOf('role="img"');
  return (body.slice(start, body.indexOf('</svg>', start)).match(/<rect /g) ?? []).length;
}

const event = (at: number, visitor: string, path: string, extra: Partial<AnalyticsEventRow> = {}) =>
  rawEvent(at, { visitor, path, ...FIREFOX_DE, ...extra });

describeEachDatabase('the staff analytics dashboard', (db) => {
  let h: Harness;
  let staff: Account;
  let customer: Account;

  before(async () => {
    h = await openHarness(db, { env: { RATE_LIMIT_AUTH_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' } });
    staff = await asRole(h, await signedIn(h, { name: 'Sam Staff' }), 'staff');
    customer = await signedIn(h, { name: 'Cora Customer' });
    const daily = [];
    // The last 30 days (31 Oct – 29 Nov) and the 30 before them (1 – 30 Oct).
    for (let i = 0; i < 60; i++) {
      const day = TODAY - i * DAY;
      const f = i < 30 ? 2 : 1;
      daily.push({
        day,
        dimension: '',
        value: '',
        visitors: 5 * f,
        visits: 6 * f,
        pageviews: 15 * f,
        bounces: 3 * f,
        duration_ms: 6 * f * 60_000,
      });
      daily.push({ day, dimension: 'page', value: '/', visitors: 4 * f, visits: 4 * f, pageviews: 9 * f });
      daily.push({ day, dimension: 'page', value: '/products', visitors: 3, visits: 3, pageviews: 4, bounces: 1 });
      daily.push({ day, dimension: 'country', value: 'DE', visitors: 4 * f, visits: 5 * f, pageviews: 12 * f });
      daily.push({ day, dimension: 'country', value: 'AT', visitors: f, visits: f, pageviews: 3 * f });
    }
    daily.push({ day: TODAY - DAY, dimension: 'page', value: HOOK, visitors: 1, visits: 1, pageviews: 1 });
    daily.push({ day: TODAY - DAY, dimension: 'source', value: 'news.example', visitors: 2, visits: 2, pageviews: 2 });
    daily.push({ day: TODAY - DAY, dimension: 'page', value: '/<b>bold', visitors: 1, visits: 1, pageviews: 1 });
    for (const [value, visitors] of [
      ['basket', 40],
      ['checkout', 20],
      ['order', 10],
    ] as const)
      daily.push({ day: TODAY - 2 * DAY, dimension: 'funnel', value, visitors });
    daily.push({ day: TODAY - 2 * DAY, dimension: 'goal', value: 'order', visitors: 10, events: 11 });
    await insertDailyRows(h.deps.db, daily);
    await insertHourlyRows(h.deps.db, [
      { hour: TODAY + 8 * 3_600_000, visitors: 4, visits: 5, pageviews: 9 },
      { hour: TODAY + 9 * 3_600_000, visitors: 6, visits: 7, pageviews: 11 },
    ]);
    await insertBotRows(h.deps.db, [
      { day: TODAY - DAY, reason: 'user-agent', count: 7 },
      { day: TODAY, reason: 'user-agent', count: 3 },
      { day: TODAY, reason: 'too-fast', count: 2 },
    ]);
    // Raw days: yesterday and today (the other days of the period have no raw events any more).
    const now = START;
    const mobile = { device: 'mobile', referrer_host: 'news.example' };
    await createEventPartition(h.deps.db, TODAY);
    await insertEvents(h.deps.db, TODAY, [
      event(now - 60_000, 'vhash-aaaa1111', '/products', mobile),
      event(now - 90_000, 'vhash-bbbb2222', '/products', mobile),
      event(now - 120_000, 'vhash-cccc3333', '/', { country: 'AT' }),
      event(now - 10 * 60_000, 'vhash-dddd4444', '/products'),
      event(now - 30_000, 'vhash-eeee5555', '/products', { pseudonym: 'pseud-excluded' }),
      { ...event(now - 20_000, 'vhash-aaaa1111', '/products', mobile), kind: 'outbound', target: 'maker.example' },
    ]);
    await createEventPartition(h.deps.db, TODAY - DAY);
    await insertEvents(h.deps.db, TODAY - DAY, [
      event(TODAY - DAY + 3_600_000, 'vhash-ffff6666', '/products', { country: 'AT' }),
    ]);
    await h.deps.db
      .insertInto('analytics_exclusions')
      .values({ pseudonym: 'pseud-excluded', reason: 'objection', added_at: now - DAY })
      .execute();
  });
  after(() => h.close());

  it('shows the key figures of the last 30 days with the change against the 30 days before', async () => {
    const res = await staff.b.get('/staff/analytics?period=30d');
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.headers['cache-control'] as string, /no-store/);
    const body = res.body;
    assert.match(body, /<span class="figure-value">300<\/span> <span class="figure-label">Visitors/);
    assert.match(body, /<span class="figure-value">360<\/span> <span class="figure-label">Visits/);
    assert.match(body, /<span class="figure-value">900<\/span> <span class="figure-label">Page views/);
    assert.match(body, /<span class="figure-value">2\.50<\/span> <span class="figure-label">Views per visit/);
    assert.match(body, /<span class="figure-value">50 %<\/span> <span class="figure-label">Bounce rate/);
    assert.match(body, /<span class="figure-value">1 min 00 s<\/span> <span class="figure-label">Visit duration/);
    assert.match(body, /\+100\.0 %<\/span> <span class="figure-previous">\(previous period: 150\)/);
    assert.match(body, /31 October 2026 – 29 November 2026/);
    assert.match(body, /Compared with 1 October 2026 – 30 October 2026/);
    // The chart: one bar per day, an image with a title and a description, its numbers as a table.
    assert.equal(bars(body), 30);
    assert.match(body, /<svg viewBox="[^"]+" role="img" aria-labelledby="traffic-title traffic-desc"/);
    assert.match(
      body,
      /<desc id="traffic-desc">Visitors and page views per day from 31 Oct 2026 to 29 Nov 2026: 300 visitors and 900 page views/,
    );
  });

  it('lists the tables from the rollups: pages, countries, funnel with conversion, goals and bots', async () => {
    const body = (await staff.b.get('/staff/analytics?period=30d')).body;
    const tableOf = (id: string) => {
      const start = body.indexOf(`id="table-${id}-heading"`);
      assert.ok(start > 0, id);
      return body.slice(start, body.indexOf('</section>', start));
    };
    const pages = tableOf('pages');
    assert.ok(pages.indexOf('>/</a>') < pages.indexOf('>/products</a>'), 'most visitors first');
    assert.match(pages, />\/<\/a><\/th><td class="num">240<\/td><td class="num">540<\/td>/);
    assert.match(pages, /\/&lt;b&gt;bold/, 'values are escaped');
    assert.match(tableOf('countries'), /Germany \(DE\)<\/a><\/th><td class="num">240/);
    const funnel = tableOf('funnel');
    assert.match(funnel, /Basket<\/th><td class="num">40<\/td><td class="num">—/);
    assert.match(funnel, /Checkout<\/th><td class="num">20<\/td><td class="num">50\.0 %/);
    assert.match(funnel, /Order<\/th><td class="num">10<\/td><td class="num">50\.0 %/);
    assert.match(tableOf('goals'), /Order placed<\/th><td class="num">10<\/td><td class="num">11/);
    assert.match(tableOf('bots'), /Known bot \(user agent\)<\/th><td class="num">10<\/td>/);
    assert.match(tableOf('bots'), /Too fast<\/th><td class="num">2<\/td>/);
    assert.match(tableOf('sources'), /news\.example/);
    // Aggregates only: no visitor hash or pseudonym reaches the page.
    assert.doesNotMatch(body, /vhash-|pseud-/);
  });

  it('draws today per hour from the hourly rollup and counts the visitors of the last 5 minutes', async () => {
    const body = (await staff.b.get('/staff/analytics?period=today')).body;
    assert.equal(bars(body), 24);
    assert.match(body, /<th scope="row">09:00<\/th><td class="num">6<\/td><td class="num">11<\/td>/);
    // v1, v2 and v3 in the last 5 minutes; v4 was 10 minutes ago; the excluded pseudonym never counts.
    assert.match(
      body,
      /<span class="figure-value">3<\/span> <span class="figure-label">Visitors in the last 5 minutes/,
    );
    const filtered = (await staff.b.get('/staff/analytics?period=today&page=/products')).body;
    assert.match(
      filtered,
      /<span class="figure-value">2<\/span> <span class="figure-label">Visitors in the last 5 minutes/,
    );
  });

  it('filters by page: figures from the page’s rollups, tables from the raw days, naming the days not covered', async () => {
    const res = await staff.b.get('/staff/analytics?period=30d&page=%2Fproducts&device=');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.body;
    // Figures from the /products rows: 3 visitors a day for 30 days, against 90 before (no change).
    assert.match(body, /<span class="figure-value">90<\/span> <span class="figure-label">Visitors/);
    assert.match(body, /±0\.0 %/);
    const start = body.indexOf('id="table-pages-heading"');
    const pages = body.slice(start, body.indexOf('</section>', start));
    // From the raw days: v1, v2, v4 today and v6 yesterday viewed /products (v5 is excluded).
    assert.match(pages, />\/products<\/a><\/th><td class="num">4<\/td><td class="num">4<\/td>/);
    assert.doesNotMatch(pages, />\/<\/a>/);
    const countries = body.slice(body.indexOf('id="table-countries-heading"'));
    assert.match(countries, /Germany \(DE\)<\/a><\/th><td class="num">3<\/td>/);
    assert.match(countries, /Austria \(AT\)<\/a><\/th><td class="num">1<\/td>/);
    assert.match(body, /do not cover these days \(no raw events kept\): 31 October 2026 – 27 November 2026\./);
    assert.match(body, /Remove filter page = \/products/);
    const outbound = body.slice(body.indexOf('id="table-outbound-heading"'));
    assert.match(outbound, /maker\.example<\/th><td class="num">1<\/td><td class="num">1<\/td>/);

    const both = (await staff.b.get('/staff/analytics?period=30d&page=/products&device=mobile')).body;
    const bothPages = both.slice(both.indexOf('id="table-pages-heading"'));
    assert.match(bothPages, />\/products<\/a><\/th><td class="num">2<\/td><td class="num">2<\/td>/);
    assert.match(both, /Key figures and the chart follow the page filter alone/);
  });

  it('compares a custom period with the days just before it', async () => {
    const query = parseDashboardParams({ from: '2026-11-01', to: '2026-11-10' }, START);
    assert.equal(query.period.key, 'custom');
    assert.equal(query.period.days, 10);
    assert.equal(query.previous.from, Date.UTC(2026, 9, 22));
    assert.equal(query.previous.to, Date.UTC(2026, 10, 1));
    const month = parseDashboardParams({ period: '12m' }, START);
    assert.equal(month.period.from, Date.UTC(2025, 11, 1));
    const body = (await staff.b.get('/staff/analytics?period=custom&from=2026-10-29&to=2026-11-02')).body;
    // 29 and 30 Oct at 5 visitors, 31 Oct – 2 Nov at 10; before: 24 – 28 Oct at 5.
    assert.match(body, /<span class="figure-value">40<\/span> <span class="figure-label">Visitors/);
    assert.match(body, /\+60\.0 %<\/span> <span class="figure-previous">\(previous period: 25\)/);
    const year = (await staff.b.get('/staff/analytics?period=12m')).body;
    assert.equal(bars(year), 12, 'a year is drawn per month');
  });

  it('downloads each table as CSV with a byte order mark and formulas defused', async () => {
    const res = await staff.b.get('/staff/analytics.csv?period=30d&table=pages');
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.headers['content-type'] as string, /^text\/csv; charset=utf-8/);
    assert.match(
      res.headers['content-disposition'] as string,
      /attachment; filename="analytics-pages-2026-10-31-2026-11-29\.csv"/,
    );
    assert.ok(res.body.startsWith('\ufeffValue,Visitors,Page views\n'), res.body.slice(0, 50));
    assert.match(res.body, /\n\/,240,540\n/);
    assert.match(res.body, /\n"'=HYPERLINK\(""http:\/\/evil\.example""\)",1,1\n/);
    assert.doesNotMatch(res.body, /\n"?=/);
    const de = await staff.b.get('/staff/analytics.csv?period=30d&table=funnel', { 'accept-language': 'de' });
    assert.ok(
      de.body.startsWith('\ufeffWert,Besucher,Konversion\nbasket,40,\ncheckout,20,50.0\norder,10,50.0\n'),
      de.body,
    );
    const figures = await staff.b.get('/staff/analytics.csv?period=30d&table=figures');
    assert.match(figures.body, /\nVisitors,300,150,100\.0\n/);
    assert.match(figures.body, /\nBounce rate \(%\),50\.00,50\.00,0\.0\n/);
    const chart = await staff.b.get('/staff/analytics.csv?period=today&table=chart');
    assert.match(chart.body, /\n2026-11-29 09:00,6,11\n/);
    const filtered = await staff.b.get('/staff/analytics.csv?period=30d&page=/products&table=countries');
    assert.match(filtered.body, /\nDE,3,3\nAT,1,1\n/);
    for (const r of [res, de, figures, chart, filtered]) assert.doesNotMatch(r.body, /vhash-|pseud-/);
    const unknown = await staff.b.get('/staff/analytics.csv?table=visitors');
    assert.equal(unknown.statusCode, 400);
  });

  it('answers bad dates and filters with a 400 page in the staff member’s language', async () => {
    const cases: [string, RegExp, RegExp][] = [
      [
        'period=custom&from=2026-02-30&to=2026-03-01',
        /Enter a date as YYYY-MM-DD/,
        /Geben Sie ein Datum als JJJJ-MM-TT an/,
      ],
      ['from=2026-11-10&to=2026-11-01', /must not be before the start date/, /darf nicht vor dem Anfangsdatum/],
      ['from=2026-11-10&to=2030-01-01', /must not be in the future/, /darf nicht in der Zukunft/],
      ['from=2020-01-01&to=2026-11-01', /at most two years/, /höchstens zwei Jahren/],
      ['period=forever', /Choose one of the periods/, /Wählen Sie einen der Zeiträume/],
      ['country=Germany', /two-letter code/, /Code aus zwei Buchstaben/],
      ['device=toaster', /Choose one of the devices/, /Wählen Sie eines der Geräte/],
      ['page=products', /begins with \//, /mit \/ beginnt/],
    ];
    for (const [query, en, de] of cases) {
      const res = await staff.b.get(`/staff/analytics?${query}`);
      assert.equal(res.statusCode, 400, query);
      assert.match(res.body, en, query);
      assert.match(res.body, /<form method="get" action="\/staff\/analytics"/, 'the form stays to correct it');
      const german = await staff.b.get(`/staff/analytics?${query}`, { 'accept-language': 'de' });
      assert.equal(german.statusCode, 400, query);
      assert.match(german.body, de, query);
    }
    const csv = await staff.b.get('/staff/analytics.csv?table=pages&from=2026-13-01&to=2026-13-02');
    assert.equal(csv.statusCode, 400);
    const long = await staff.b.get(`/staff/analytics?page=/${'x'.repeat(600)}`);
    assert.equal(long.statusCode, 400);
  });

  it('refuses customers and sends guests to sign in', async () => {
    for (const path of ['/staff/analytics', '/staff/analytics.csv?table=pages']) {
      const asCustomer = await customer.b.get(path);
      assert.equal(asCustomer.statusCode, 403, path);
      assert.doesNotMatch(asCustomer.body, /figure-value/);
      const guest = await new Browser(h.app, '198.51.100.9').get(path);
      assert.equal(guest.statusCode, 303, path);
      assert.match(String(guest.headers.location), /^\/account\/login\?next=/);
    }
  });
});
