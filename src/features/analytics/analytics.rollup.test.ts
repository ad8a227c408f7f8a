// The daily rollup (issue 15, point 6): visits split after 30 minutes without a page view, bounces and durations,
// visitors per day and value, the funnel in its order, excluded pseudonyms left out, the same rows when a day is
// rolled again, and the worker catching up days it missed; the objection sync excludes a person's pseudonym.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { after, before, test } from 'node:test';
import { DAY, HOUR, MINUTE } from '../../platform/clock.ts';
import { recordObjection } from '../../privacy/objections.ts';
import { describeEachDatabase, openHarness, START, type Harness } from '../../testing/harness.ts';
import { rollUpDaysJob, syncExclusionsJob } from './analytics.jobs.ts';
import { ACTIVITY } from './analytics.model.ts';
import { rollUpDay, rollUpDueDays } from './analytics.rollup.ts';
import { createEventPartition, eventTableOf, insertEvents, upsertExclusions } from './analytics.queries.ts';
import type { AnalyticsEventRow } from './analytics.tables.ts';
import { FIREFOX_DE, rawEvent } from './analytics.testing.ts';
import { pseudonymOf } from './analytics.visitor.ts';

const TODAY = Math.floor(START / DAY) * DAY;

/** A raw event as the writer would store it; `at` is an offset into the day. */
const ev = (
  day: number,
  offset: number,
  visitor: string,
  kind: AnalyticsEventRow['kind'],
  path: string,
  extra: Partial<AnalyticsEventRow> = {},
) => rawEvent(day + offset, { kind, visitor, path, ...FIREFOX_DE, ...extra });

describeEachDatabase('analytics rollup', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db);
  });
  after(() => h.close());

  async function seedDay(day: number, rows: AnalyticsEventRow[]): Promise<void> {
    await createEventPartition(h.deps.db, day);
    await insertEvents(h.deps.db, day, rows);
  }

  async function dailyRows(day: number) {
    const rows = await h.deps.db
      .selectFrom('analytics_daily')
      .selectAll()
      .where('day', '=', day)
      .orderBy('dimension')
      .orderBy('value')
      .execute();
    return rows.map((r) => ({
      ...r,
      day: Number(r.day),
      duration_ms: Number(r.duration_ms),
    }));
  }

  async function row(day: number, dimension: string, value: string) {
    return (await dailyRows(day)).find((r) => r.dimension === dimension && r.value === value);
  }

  test('splits page views into visits after 30 minutes without one, and counts the visitor once', async () => {
    const day = TODAY - 2 * DAY;
    const v = `split-${randomUUID()}`;
    await seedDay(day, [
      ev(day, 10 * HOUR, v, 'pageview', '/'),
      ev(day, 10 * HOUR + 29 * MINUTE + 59_000, v, 'pageview', '/a'), // 29:59 later: the same visit
      ev(day, 11 * HOUR, v, 'pageview', '/b'), // 30:01 later: a new visit
      ev(day, 11 * HOUR + 30 * MINUTE, v, 'pageview', '/c'), // exactly 30 minutes later: a new visit
    ]);
    const outcome = await rollUpDay(h.deps, day);
    assert.deepEqual(
      { visitors: outcome?.visitors, visits: outcome?.visits, pageviews: outcome?.pageviews },
      { visitors: 1, visits: 3, pageviews: 4 },
    );
    const totals = await row(day, '', '');
    assert.equal(totals?.visits, 3);
    assert.equal(totals?.bounces, 2, 'the visits of /b and /c have one page view each');
    assert.equal((await row(day, 'entry', '/'))?.visits, 1);
    assert.equal((await row(day, 'exit', '/a'))?.visits, 1);
    assert.equal((await row(day, 'browser', 'Firefox'))?.visitors, 1);
    assert.equal((await row(day, 'browser', 'Firefox'))?.visits, 3);
    const hourly = await h.deps.db
      .selectFrom('analytics_hourly')
      .selectAll()
      .where('hour', '>=', day)
      .where('hour', '<', day + DAY)
      .orderBy('hour')
      .execute();
    assert.equal(hourly.length, 24);
    assert.deepEqual(
      hourly.filter((r) => r.pageviews > 0).map((r) => [Number(r.hour) - day, r.visitors, r.visits, r.pageviews]),
      [
        [10 * HOUR, 1, 1, 2],
        [11 * HOUR, 1, 2, 2],
      ],
    );
  });

  test('a one-page visit is a bounce; a visit lasts from its first to its last page view plus the last page’s time from the beacon', async () => {
    const day = TODAY - 3 * DAY;
    await seedDay(day, [
      ev(day, 9 * HOUR, 'bouncer', 'pageview', '/a', { referrer_host: 'search.example' }),
      ev(day, 9 * HOUR, 'reader', 'pageview', '/a'),
      ev(day, 9 * HOUR + 4 * MINUTE, 'reader', 'engagement', '/a', { duration_ms: 10_000, screen: '1280x720' }),
      ev(day, 9 * HOUR + 5 * MINUTE, 'reader', 'pageview', '/b'),
      ev(day, 9 * HOUR + 5 * MINUTE + 1, 'reader', 'click', '/b', { target: 'main > button.buy' }),
      // The beacon of the page before, sent late: not the last page's time.
      ev(day, 9 * HOUR + 5 * MINUTE + 2, 'reader', 'engagement', '/a', { duration_ms: 500_000 }),
      ev(day, 9 * HOUR + 6 * MINUTE, 'reader', 'engagement', '/b', { duration_ms: 40_000, screen: '1280x720' }),
      ev(day, 9 * HOUR + 7 * MINUTE, 'reader', 'engagement', '/b', { duration_ms: 60_000, screen: '1920x1080' }),
    ]);
    await rollUpDay(h.deps, day);
    const totals = await row(day, '', '');
    assert.deepEqual(
      [totals?.visitors, totals?.visits, totals?.pageviews, totals?.bounces, totals?.duration_ms, totals?.events],
      [2, 2, 3, 1, 5 * MINUTE + 60_000, 1],
    );
    const a = await row(day, 'page', '/a');
    assert.deepEqual([a?.visitors, a?.visits, a?.pageviews, a?.bounces, a?.duration_ms], [2, 2, 2, 1, 5 * MINUTE]);
    const b = await row(day, 'page', '/b');
    assert.deepEqual([b?.pageviews, b?.duration_ms, b?.events], [1, 60_000, 1]);
    assert.equal((await row(day, 'screen', '1280x720'))?.visits, 1, "the screen of the visit's first engagement");
    assert.equal(await row(day, 'screen', '1920x1080'), undefined);
    assert.equal((await row(day, 'screen', ''))?.visits, 1, 'a visit without the beacon has no screen');
    assert.equal((await row(day, 'source', 'search.example'))?.bounces, 1);
    assert.equal((await row(day, 'source', ''))?.visits, 1, 'a direct visit');
    assert.equal((await row(day, 'click', 'main > button.buy'))?.events, 1);
  });

  test('counts each visitor once per day and value, however many visits they made', async () => {
    const day = TODAY - 4 * DAY;
    await seedDay(day, [
      ev(day, 8 * HOUR, 'twice', 'pageview', '/a', { device: 'mobile' }),
      ev(day, 15 * HOUR, 'twice', 'pageview', '/a', { device: 'mobile' }),
      ev(day, 9 * HOUR, 'once', 'pageview', '/a', { device: 'mobile' }),
      ev(day, 9 * HOUR, 'other', 'pageview', '/z', { device: 'tablet' }),
    ]);
    await rollUpDay(h.deps, day);
    assert.deepEqual([(await row(day, '', ''))?.visitors, (await row(day, '', ''))?.visits], [3, 4]);
    const page = await row(day, 'page', '/a');
    assert.deepEqual([page?.visitors, page?.visits, page?.pageviews], [2, 3, 3]);
    assert.deepEqual(
      [(await row(day, 'device', 'mobile'))?.visitors, (await row(day, 'device', 'tablet'))?.visitors],
      [2, 1],
    );
  });

  test('consenting visitors are counted as new or returning by pseudonym, customers apart from visitors', async () => {
    const key = h.deps.config.analyticsKey;
    const anna = pseudonymOf(key, 'account', 'anna');
    const bert = pseudonymOf(key, 'account', 'bert');
    const cleo = pseudonymOf(key, 'consent', 'cleo-consent');
    // Days no other test of this file uses.
    const first = TODAY - 16 * DAY;
    const later = TODAY - 15 * DAY;
    await seedDay(first, [
      ev(first, HOUR, 'v1', 'pageview', '/', { pseudonym: anna }),
      ev(first, HOUR, 'v2', 'pageview', '/', { pseudonym: cleo }),
    ]);
    await seedDay(later, [
      ev(later, HOUR, 'w1', 'pageview', '/', { pseudonym: anna }),
      ev(later, HOUR, 'w2', 'pageview', '/shop', { pseudonym: bert }),
      ev(later, HOUR, 'w3', 'pageview', '/', { pseudonym: cleo }),
      ev(later, 2 * HOUR, 'w3', 'pageview', '/shop', { pseudonym: cleo }),
      ev(later, HOUR, 'w4', 'pageview', '/'),
    ]);
    await rollUpDay(h.deps, first);
    await rollUpDay(h.deps, later);
    const returning = async (day: number) =>
      Object.fromEntries(
        (await dailyRows(day)).filter((r) => r.dimension === 'returning').map((r) => [r.value, r.visitors]),
      );
    assert.deepEqual(await returning(first), { 'customer-new': 1, 'visitor-new': 1 });
    assert.deepEqual(await returning(later), { 'customer-new': 1, 'customer-returning': 1, 'visitor-returning': 1 });
    assert.ok(!JSON.stringify(await dailyRows(later)).includes(anna), 'no pseudonym in the aggregates');
  });

  test('the funnel counts visitors who reached basket, checkout and order in that order', async () => {
    const day = TODAY - 5 * DAY;
    const t = 12 * HOUR;
    await seedDay(day, [
      // All three steps, in order.
      ev(day, t, 'buyer', 'pageview', '/basket'),
      ev(day, t + MINUTE, 'buyer', 'pageview', '/checkout'),
      ev(day, t + 2 * MINUTE, 'buyer', 'goal', '/checkout', { target: 'order' }),
      ev(day, t + 2 * MINUTE + 1, 'buyer', 'pageview', '/checkout/return'),
      // Checkout before the basket, then an order without a checkout after the basket: the basket only.
      ev(day, t, 'backwards', 'pageview', '/checkout'),
      ev(day, t + MINUTE, 'backwards', 'pageview', '/basket'),
      ev(day, t + 2 * MINUTE, 'backwards', 'goal', '/basket', { target: 'order' }),
      // Basket, then a page under /checkout.
      ev(day, t, 'looker', 'pageview', '/basket'),
      ev(day, t + MINUTE, 'looker', 'pageview', '/checkout/address'),
      // Never the basket.
      ev(day, t, 'browser', 'pageview', '/products'),
    ]);
    await rollUpDay(h.deps, day);
    assert.deepEqual(
      [
        (await row(day, 'funnel', 'basket'))?.visitors,
        (await row(day, 'funnel', 'checkout'))?.visitors,
        (await row(day, 'funnel', 'order'))?.visitors,
      ],
      [3, 2, 1],
    );
    const goal = await row(day, 'goal', 'order');
    assert.deepEqual([goal?.visitors, goal?.events], [2, 2]);
  });

  test('leaves out the events of excluded pseudonyms when a day is rolled again', async () => {
    const day = TODAY - 6 * DAY;
    const excluded = pseudonymOf(h.deps.config.analyticsKey, 'account', `u-${randomUUID()}`);
    await seedDay(day, [
      ev(day, HOUR, 'anonymous', 'pageview', '/a'),
      ev(day, HOUR, 'consenting', 'pageview', '/secret-page', { pseudonym: excluded }),
      ev(day, HOUR + MINUTE, 'consenting', 'pageview', '/b', { pseudonym: excluded }),
    ]);
    await rollUpDay(h.deps, day);
    assert.equal((await row(day, '', ''))?.visitors, 2);
    await upsertExclusions(h.deps.db, [{ pseudonym: excluded, reason: 'objection', added_at: h.clock.now() }]);
    await rollUpDay(h.deps, day);
    const totals = await row(day, '', '');
    assert.deepEqual([totals?.visitors, totals?.pageviews], [1, 1]);
    assert.equal(await row(day, 'page', '/secret-page'), undefined);
  });

  test('rolling a day twice gives the same rows', async () => {
    const day = TODAY - 7 * DAY;
    const rows: AnalyticsEventRow[] = [];
    for (let i = 0; i < 300; i++)
      rows.push(
        ev(day, (i * 7919) % DAY, `v${i % 37}`, i % 5 === 0 ? 'engagement' : 'pageview', `/p${i % 11}`, {
          duration_ms: i % 5 === 0 ? 1000 * (i % 13) : null,
          referrer_host: i % 3 === 0 ? 'ref.example' : null,
        }),
      );
    await seedDay(day, rows);
    await rollUpDay(h.deps, day);
    const first = await dailyRows(day);
    await rollUpDay(h.deps, day);
    assert.deepEqual(await dailyRows(day), first);
    assert.ok(first.length > 20);
  });

  test('values are cut to 255 characters', async () => {
    const day = TODAY - 8 * DAY;
    const long = `/${'ä'.repeat(400)}`;
    await seedDay(day, [ev(day, HOUR, 'long', 'pageview', long)]);
    await rollUpDay(h.deps, day);
    const page = (await dailyRows(day)).find((r) => r.dimension === 'page');
    assert.equal(page?.value, long.slice(0, 255));
  });

  test('the worker rolls up today, dirty days and days it missed, but none beyond the raw retention', async () => {
    const rawDays = h.deps.config.retention.analyticsRawDays ?? 30;
    const missed = TODAY - 20 * DAY;
    const rolled = TODAY - 21 * DAY;
    const tooOld = TODAY - (rawDays + 3) * DAY;
    for (const day of [missed, rolled, tooOld, TODAY]) await seedDay(day, [ev(day, HOUR, 'w', 'pageview', '/w')]);
    await rollUpDay(h.deps, rolled);
    // An event arrives late on a day already rolled up: counted only once the day is marked dirty.
    await insertEvents(h.deps.db, rolled, [ev(rolled, 2 * HOUR, 'late', 'pageview', '/w')]);
    await rollUpDaysJob.run(h.deps);
    assert.equal((await row(TODAY, '', ''))?.pageviews, 1);
    assert.equal((await row(missed, '', ''))?.pageviews, 1, 'the missed day is caught up');
    assert.equal((await row(rolled, '', ''))?.pageviews, 1, 'a rolled day is not rolled again unless dirty');
    assert.equal(await row(tooOld, '', ''), undefined, 'beyond the raw retention');
    assert.equal(await row(TODAY - DAY, '', ''), undefined, 'a day without a raw table: nothing written');
    await h.deps.db.insertInto('analytics_dirty_days').values({ day: rolled, marked_at: h.clock.now() }).execute();
    await rollUpDaysJob.run(h.deps);
    assert.equal((await row(rolled, '', ''))?.pageviews, 2);
    assert.deepEqual(await h.deps.db.selectFrom('analytics_dirty_days').selectAll().execute(), []);
  });

  test('a run starts no third day after its time budget; the next run rolls up what it left', async () => {
    const days = [TODAY - 11 * DAY, TODAY - 12 * DAY];
    for (const day of days) await seedDay(day, [ev(day, HOUR, 'b', 'pageview', '/b')]);
    const firstRun = await rollUpDueDays(h.deps, -1);
    assert.deepEqual(
      firstRun.map((o) => o.day),
      [TODAY, days[1]],
      'today and the oldest waiting day, then the budget is spent',
    );
    assert.equal(await row(days[0]!, '', ''), undefined);
    for (let run = 0; run < 3; run++) await rollUpDueDays(h.deps, -1);
    for (const day of days) assert.equal((await row(day, '', ''))?.pageviews, 1);
  });

  test('yesterday is rolled up again only during the first hour of today', async () => {
    const yesterday = TODAY - DAY;
    await seedDay(yesterday, [ev(yesterday, 23 * HOUR, 'y', 'pageview', '/y')]);
    await rollUpDay(h.deps, yesterday);
    await insertEvents(h.deps.db, yesterday, [ev(yesterday, DAY - 1000, 'late', 'pageview', '/y')]);
    await rollUpDaysJob.run(h.deps);
    assert.equal((await row(yesterday, '', ''))?.pageviews, 1, 'at 10:00 yesterday is done');
    try {
      h.clock.set(TODAY + 30 * MINUTE);
      await rollUpDaysJob.run(h.deps);
      assert.equal((await row(yesterday, '', ''))?.pageviews, 2);
    } finally {
      h.clock.set(START);
    }
  });

  test('an objection to counting excludes the person’s pseudonym, deletes their events and marks the day dirty', async () => {
    const day = TODAY - 9 * DAY;
    const userId = `u-${randomUUID()}`;
    const mine = pseudonymOf(h.deps.config.analyticsKey, 'account', userId);
    await seedDay(day, [
      ev(day, HOUR, 'objector', 'pageview', '/a', { pseudonym: mine }),
      ev(day, HOUR, 'someone', 'pageview', '/a', { pseudonym: 'someone-else' }),
    ]);
    await recordObjection(h.deps.db, h.clock.now(), {
      person: userId,
      activity: ACTIVITY.counting,
      kind: 'objection',
      via: 'account',
    });
    await syncExclusionsJob.run(h.deps);
    const exclusion = await h.deps.db
      .selectFrom('analytics_exclusions')
      .selectAll()
      .where('pseudonym', '=', mine)
      .executeTakeFirst();
    assert.equal(exclusion?.reason, 'objection');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the raw tables are named at run time
    const left = await (h.deps.db as unknown as Kysely<any>).selectFrom(eventTableOf(day)).select('visitor').execute();
    assert.deepEqual(left, [{ visitor: 'someone' }]);
    const dirty = await h.deps.db.selectFrom('analytics_dirty_days').select('day').execute();
    assert.deepEqual(
      dirty.map((d) => Number(d.day)),
      [day],
    );
    // Renewed on the next run, so the exclusion outlives the raw events while the objection lasts.
    h.clock.advance(HOUR);
    await syncExclusionsJob.run(h.deps);
    const renewed = await h.deps.db
      .selectFrom('analytics_exclusions')
      .select('added_at')
      .where('pseudonym', '=', mine)
      .executeTakeFirstOrThrow();
    assert.equal(Number(renewed.added_at), h.clock.now());
    h.clock.set(START);
  });
});
