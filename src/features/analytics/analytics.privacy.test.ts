// The promises of issue 15 end to end, through the real app, the worker's jobs and the retention engine: after a day
// of visits no analytics table holds an IP address or a user agent; for a visitor without consent nothing stays the
// same across two days except what every visitor shares; the consented pseudonym is the one stable value; salts go
// 48 hours after their day began; a restriction or an objection keeps the person out of new data and their
// pseudonymous data out of the reports.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Kysely } from 'kysely';
import { DAY } from '../../platform/clock.ts';
import { listTables } from '../../platform/db/dialect.ts';
import { recordObjection } from '../../privacy/objections.ts';
import { runRetention } from '../../privacy/retention.ts';
import { signedIn } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, START, type Harness } from '../../testing/harness.ts';
import { rollUpDueDays } from './analytics.rollup.ts';
import { syncExclusions } from './analytics.jobs.ts';
import { ACTIVITY } from './analytics.model.ts';
import type { AnalyticsEventRow } from './analytics.tables.ts';
import { allEvents } from './analytics.testing.ts';
import { pseudonymOf } from './analytics.visitor.ts';
import type { AnalyticsWriter } from './analytics.writer.ts';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const FIREFOX_127 = 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const SAME_ORIGIN = {
  origin: 'http://127.0.0.1:3000',
  'sec-fetch-site': 'same-origin',
  referer: 'http://127.0.0.1:3000/',
};
const ENV = { RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_AUTH_PER_MINUTE: '10000' };
const headers = (ua: string) => ({ 'user-agent': ua, 'accept-language': 'de-DE,de;q=0.9' });
const DAY_ONE = START;
const DAY_TWO = Date.UTC(2026, 10, 30, 9, 0, 0);

describeEachDatabase('analytics keeps its promises', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true, env: ENV });
  });
  after(() => h.close());
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the daily tables are named at run time
  const anyDb = () => h.deps.db as Kysely<any>;

  const eventsOfDay = async (day: number) =>
    (await allEvents(h)).filter((e) => e.at >= day - (day % DAY) && e.at < day - (day % DAY) + DAY);
  /** Every string or number in every analytics table, with where it was found. */
  async function everyValue(): Promise<{ where: string; value: string }[]> {
    const out: { where: string; value: string }[] = [];
    for (const table of (await listTables(anyDb(), h.deps.dbKind)).filter((t) => t.startsWith('analytics_')))
      for (const row of await anyDb().selectFrom(table).selectAll().execute())
        for (const [column, value] of Object.entries(row as Record<string, unknown>))
          if (typeof value === 'string' || typeof value === 'number')
            out.push({ where: `${table}.${column}`, value: String(value) });
    return out;
  }
  const visit = async (b: Browser, ua = CHROME) => {
    for (const path of ['/', '/shop', '/shop?utm_source=newsletter&utm_campaign=winter', '/basket'])
      assert.equal(
        (await b.get(path, { ...headers(ua), referer: 'https://forum.example.org/thread/9' })).statusCode,
        200,
        path,
      );
  };

  test('after two days of visits: no IP, no user agent, and nothing of a visitor without consent lasts into the next day but the consented pseudonym', async () => {
    const ipX = '203.0.113.77';
    const ipY = '198.51.100.91';
    const ipZ = '192.0.2.55';
    try {
      h.clock.set(DAY_ONE);
      const x = new Browser(h.app, ipX, headers(FIREFOX));
      // Y: another address and another Firefox on Linux: the coarse facts (browser family, system) are shared by
      // many visitors, so they may last; what only X has must not.
      const y = new Browser(h.app, ipY, headers(FIREFOX_127));
      const z = new Browser(h.app, ipZ, headers(FIREFOX));
      assert.equal((await z.post('/consent', [['action', 'accept']], SAME_ORIGIN)).statusCode, 303);
      await visit(x, FIREFOX);
      await visit(y, FIREFOX_127);
      await visit(z, FIREFOX);
      const dayOne = await eventsOfDay(DAY_ONE);
      await rollUpDueDays(h.deps);

      h.clock.set(DAY_TWO);
      await visit(x, FIREFOX);
      await visit(z, FIREFOX);
      const dayTwo = await eventsOfDay(DAY_TWO);
      await rollUpDueDays(h.deps);

      // Who is who, from the first page each made (the test knows the order of its own requests).
      const visitorsOne = [...new Set(dayOne.filter((e) => e.kind === 'pageview').map((e) => e.visitor))];
      assert.equal(visitorsOne.length, 3, 'three browsers, three visitors');
      const xOne = dayOne.filter((e) => e.visitor === visitorsOne[0]);
      const yOne = dayOne.filter((e) => e.visitor === visitorsOne[1]);
      const zOne = dayOne.filter((e) => e.visitor === visitorsOne[2]);
      const visitorsTwo = [...new Set(dayTwo.filter((e) => e.kind === 'pageview').map((e) => e.visitor))];
      assert.equal(visitorsTwo.length, 2);
      const xTwo = dayTwo.filter((e) => e.visitor === visitorsTwo[0]);
      const zTwo = dayTwo.filter((e) => e.visitor === visitorsTwo[1]);
      assert.ok(xOne.length >= 4 && xTwo.length >= 4 && yOne.length >= 4);

      // No IP address and no user agent (nor a telling part of one) in any analytics table, raw or aggregated.
      const forbidden = [
        ipX,
        ipY,
        ipZ,
        FIREFOX,
        FIREFOX_127,
        CHROME,
        'rv:128.0',
        'rv:127.0',
        'Gecko/20100101',
        'Win64; x64',
        'Chrome/126.0',
      ];
      const values = await everyValue();
      assert.ok(
        values.some((v) => v.where.startsWith('analytics_daily')),
        'the days were rolled up',
      );
      for (const v of values) for (const bad of forbidden) assert.ok(!v.value.includes(bad), `${v.where} holds ${bad}`);

      // Visitor X without consent: every value of theirs found on both days is one that visitor Y, another browser
      // with another address, produced as well: a fact about the pages, not about X.
      const valuesOf = (rows: AnalyticsEventRow[]) =>
        new Set(
          rows.flatMap((r) =>
            Object.values(r)
              .filter((v) => v !== null)
              .map(String),
          ),
        );
      const shared = valuesOf(yOne);
      const lasting = [...valuesOf(xOne)].filter((v) => valuesOf(xTwo).has(v));
      assert.ok(lasting.includes('/shop'), 'the pages are the same on both days');
      assert.deepEqual(
        lasting.filter((v) => !shared.has(v)),
        [],
        'nothing that only visitor X has lasts into the next day',
      );
      assert.ok(xOne.every((e) => e.pseudonym === null) && xTwo.every((e) => e.pseudonym === null));
      assert.notEqual(xOne[0]!.visitor, xTwo[0]!.visitor);

      // Visitor Z consented: the pseudonym (of the consent id) is the value that lasts, and the only one beyond Y's.
      const pseudonym = zOne[0]!.pseudonym;
      assert.ok(
        pseudonym && zOne.every((e) => e.pseudonym === pseudonym) && zTwo.every((e) => e.pseudonym === pseudonym),
      );
      const zLasting = [...valuesOf(zOne)].filter((v) => valuesOf(zTwo).has(v) && !shared.has(v));
      assert.deepEqual(zLasting, [pseudonym]);

      // The salts: kept while a visitor hash of their day can still be made, gone 48 hours after their day began.
      const salts = async () =>
        (await h.deps.db.selectFrom('analytics_salts').select('day').orderBy('day').execute()).map((r) => r.day);
      assert.deepEqual(await salts(), ['20261129', '20261130']);
      h.clock.set(Date.UTC(2026, 11, 1, 0, 30));
      await runRetention(h.deps);
      assert.deepEqual(await salts(), ['20261130'], 'the first day’s salt is gone 48 hours after its day began');
      h.clock.set(Date.UTC(2026, 11, 2, 0, 30));
      await runRetention(h.deps);
      assert.deepEqual(await salts(), []);
    } finally {
      h.clock.set(START);
    }
  });

  for (const kind of ['restriction', 'objection'] as const)
    test(`a ${kind} keeps the person out of new data and their pseudonymous data out of the reports`, async () => {
      try {
        h.clock.set(Date.UTC(2026, 11, 10, 10));
        const account = await signedIn(h, { ip: '203.0.113.140' });
        await account.b.post('/consent', [['action', 'accept']], { ...SAME_ORIGIN, ...headers(CHROME) });
        const other = new Browser(h.app, '203.0.113.141', headers(CHROME));
        await visit(account.b);
        await visit(other);
        const pseudonym = pseudonymOf(h.deps.config.analyticsKey, 'account', account.id);
        const before = await eventsOfDay(h.clock.now());
        assert.ok(
          before.some((e) => e.pseudonym === pseudonym),
          'counted under the pseudonym while consenting',
        );
        await rollUpDueDays(h.deps);
        const totals = async () =>
          await h.deps.db
            .selectFrom('analytics_daily')
            .select(['visitors', 'pageviews'])
            .where('dimension', '=', '')
            .where('day', '=', Date.UTC(2026, 11, 10))
            .executeTakeFirstOrThrow();
        const counted = await totals();
        assert.equal(counted.visitors, 2);

        // The DPO records a restriction of the counting (or the person objects to it elsewhere than on our page).
        await recordObjection(h.deps.db, h.clock.now(), {
          person: account.id,
          activity: ACTIVITY.counting,
          kind,
          via: 'staff',
        });
        h.clock.advance(60 * 60_000);
        await syncExclusions(h.deps);
        // Web processes read the stored exclusions every 10 seconds; this one at once.
        await (h.app.analyticsRecorder as AnalyticsWriter).refreshExclusions();
        const left = await eventsOfDay(h.clock.now());
        assert.ok(!left.some((e) => e.pseudonym === pseudonym), 'their pseudonymous events are deleted');
        await rollUpDueDays(h.deps);
        const after = await totals();
        assert.equal(after.visitors, 1, 'the re-rolled day no longer counts them');
        assert.ok(after.pageviews < counted.pageviews);

        // New visits are not counted at all, cookieless or not.
        const known = new Set(left.map((e) => e.id));
        await visit(account.b);
        const fresh = (await eventsOfDay(h.clock.now())).filter((e) => !known.has(e.id));
        assert.deepEqual(fresh, [], 'nothing new from the person');
      } finally {
        h.clock.set(START);
      }
    });
});
