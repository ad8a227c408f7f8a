// Erasure and retention of analytics (issue 15, points 3, 6 and 7), through the privacy engine's real paths:
// erasure excludes the person's pseudonyms (account and linked consent ids), deletes their raw events and
// assignments and the day is rolled up again without them; retention deletes salts 48 hours after their day began,
// drops raw tables after the raw days and keeps the daily counts until the aggregate months end.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { after, before, test } from 'node:test';
import { DAY, HOUR, MINUTE } from '../../platform/clock.ts';
import { listTables } from '../../platform/db/dialect.ts';
import { recordConsent } from '../../privacy/consent/ledger.ts';
import { runRetention } from '../../privacy/retention.ts';
import { eraseSubjectData } from '../../privacy/subject.ts';
import { signedIn } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, START, type Harness } from '../../testing/harness.ts';
import { rollUpDaysJob } from './analytics.jobs.ts';
import { rollUpDay } from './analytics.rollup.ts';
import { createEventPartition, eventTableOf, insertEvents, upsertExclusions } from './analytics.queries.ts';
import { rawEvent } from './analytics.testing.ts';
import { createSaltKeeper, dayKey, pseudonymOf } from './analytics.visitor.ts';

const TODAY = Math.floor(START / DAY) * DAY;
const pageview = (at: number, visitor: string, pseudonym: string | null, path = '/') =>
  rawEvent(at, {
    visitor,
    pseudonym,
    path,
    language: 'en',
    browser: 'Chrome',
    os: 'Windows',
    device: 'desktop',
    country: 'GB',
  });

describeEachDatabase('analytics erasure and retention', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db);
  });
  after(() => h.close());

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw tables are named at run time
  const anyDb = () => h.deps.db as unknown as Kysely<any>;
  const totals = (day: number) =>
    h.deps.db
      .selectFrom('analytics_daily')
      .selectAll()
      .where('day', '=', day)
      .where('dimension', '=', '')
      .executeTakeFirst();

  test('erasure excludes the person’s pseudonyms, deletes their raw events and assignments, and the day is rolled up without them', async () => {
    const person = await signedIn(h);
    const consentId = randomUUID();
    const base = {
      now: () => h.clock.now(),
      policyHash: 'p',
      locale: 'en',
      bannerHash: 'b',
      choices: { categories: ['statistics'], vendors: [] },
      action: 'accept' as const,
      ipAnon: null,
      browser: null,
    };
    await recordConsent(h.deps.db, { ...base, consentId, userId: person.id });
    await recordConsent(h.deps.db, { ...base, consentId: randomUUID(), userId: null });
    const key = h.deps.config.analyticsKey;
    const ofAccount = pseudonymOf(key, 'account', person.id);
    const ofConsent = pseudonymOf(key, 'consent', consentId);
    const other = pseudonymOf(key, 'consent', randomUUID());
    const at = START - HOUR;
    await createEventPartition(h.deps.db, TODAY);
    await insertEvents(h.deps.db, TODAY, [
      pageview(at, 'before-sign-in', ofConsent, '/products'),
      pageview(at + MINUTE, 'after-sign-in', ofAccount, '/account'),
      pageview(at, 'someone-else', other, '/products'),
      pageview(at, 'no-consent', null, '/'),
    ]);
    await h.deps.db
      .insertInto('analytics_experiments')
      .values({
        id: 'exp-erasure',
        key: 'erasure-test',
        name: 'Button colour',
        changes: 'the basket button',
        goal_kind: 'order',
        goal_path: null,
        variants: JSON.stringify([
          { key: 'control', weight: 1 },
          { key: 'green', weight: 1 },
        ]),
        state: 'running',
        created_at: at,
        started_at: at,
        stopped_at: null,
      })
      .execute();
    await h.deps.db
      .insertInto('analytics_assignments')
      .values(
        [ofAccount, ofConsent, other].map((pseudonym) => ({
          experiment_id: 'exp-erasure',
          pseudonym,
          variant: 'green',
          assigned_at: at,
          converted_at: null,
        })),
      )
      .execute();
    await rollUpDay(h.deps, TODAY);
    assert.equal((await totals(TODAY))?.visitors, 4);

    await eraseSubjectData(h.deps, person.email);

    const left = await anyDb().selectFrom(eventTableOf(TODAY)).select('visitor').orderBy('visitor').execute();
    assert.deepEqual(
      left.map((r) => r.visitor as string),
      ['no-consent', 'someone-else'],
    );
    const assignments = await h.deps.db.selectFrom('analytics_assignments').select('pseudonym').execute();
    assert.deepEqual(
      assignments.map((r) => r.pseudonym),
      [other],
    );
    const exclusions = await h.deps.db.selectFrom('analytics_exclusions').select(['pseudonym', 'reason']).execute();
    assert.deepEqual(
      exclusions.sort((a, b) => a.pseudonym.localeCompare(b.pseudonym)),
      [
        { pseudonym: ofAccount, reason: 'erasure' },
        { pseudonym: ofConsent, reason: 'erasure' },
      ].sort((a, b) => a.pseudonym.localeCompare(b.pseudonym)),
    );
    const dirty = await h.deps.db.selectFrom('analytics_dirty_days').select('day').execute();
    assert.deepEqual(
      dirty.map((d) => Number(d.day)),
      [TODAY],
    );
    await rollUpDaysJob.run(h.deps);
    const after = await totals(TODAY);
    assert.deepEqual([after?.visitors, after?.pageviews], [2, 2]);
    const accountPage = await h.deps.db
      .selectFrom('analytics_daily')
      .select('visitors')
      .where('day', '=', TODAY)
      .where('dimension', '=', 'page')
      .where('value', '=', '/account')
      .executeTakeFirst();
    assert.equal(accountPage, undefined);
  });

  test('retention deletes salts 48 hours after their day began, drops raw tables after the raw days and keeps daily counts for the aggregate months', async () => {
    const rawDays = h.deps.config.retention.analyticsRawDays ?? 30;
    const months = h.deps.config.retention.analyticsAggregateMonths ?? 25;
    // The aggregates are kept calendar months: the same day and time, that many months later.
    const monthsAfter = (at: number) => {
      const d = new Date(at);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate(), d.getUTCHours());
    };
    const salts = createSaltKeeper(h.deps.db);
    await salts.saltFor(START);
    await salts.saltFor(START + DAY);
    const saltDays = async () =>
      (await h.deps.db.selectFrom('analytics_salts').select('day').orderBy('day').execute()).map((r) => r.day);
    const old = TODAY - (rawDays + 1) * DAY;
    const recent = TODAY - (rawDays - 3) * DAY;
    for (const day of [old, recent]) {
      await createEventPartition(h.deps.db, day);
      await insertEvents(h.deps.db, day, [pageview(day + HOUR, 'r', null)]);
      await rollUpDay(h.deps, day);
    }
    await upsertExclusions(h.deps.db, [{ pseudonym: 'excluded-long-ago', reason: 'objection', added_at: START }]);
    const rawTables = async () =>
      (await listTables(h.deps.db, h.deps.dbKind)).filter((t) => [old, recent].map(eventTableOf).includes(t));
    try {
      h.clock.set(TODAY + 2 * DAY - MINUTE);
      await runRetention(h.deps);
      assert.deepEqual(await saltDays(), [dayKey(START), dayKey(START + DAY)], 'kept for 48 hours');
      assert.deepEqual(await rawTables(), [eventTableOf(recent)], 'the raw table beyond the raw days is dropped');
      assert.equal((await totals(old))?.pageviews, 1, 'its daily counts stay');

      h.clock.set(TODAY + 2 * DAY + MINUTE);
      await runRetention(h.deps);
      assert.deepEqual(await saltDays(), [dayKey(START + DAY)], "today's salt is gone 48 hours after its day began");

      h.clock.set(START + (rawDays + 1) * DAY);
      await runRetention(h.deps);
      assert.deepEqual(await rawTables(), []);
      assert.deepEqual(await h.deps.db.selectFrom('analytics_exclusions').selectAll().execute(), []);
      assert.deepEqual(await saltDays(), []);

      h.clock.set(monthsAfter(old) - HOUR);
      await runRetention(h.deps);
      assert.equal((await totals(old))?.pageviews, 1, 'kept until the aggregate months end');
      h.clock.set(monthsAfter(old) + DAY + HOUR);
      await runRetention(h.deps);
      assert.equal(await totals(old), undefined);
      const hours = await h.deps.db
        .selectFrom('analytics_hourly')
        .select('hour')
        .where('hour', '>=', old)
        .where('hour', '<', old + DAY)
        .execute();
      assert.deepEqual(hours, []);
      assert.equal((await totals(recent))?.pageviews, 1, 'a later day is still kept');
    } finally {
      h.clock.set(START);
    }
  });
});
