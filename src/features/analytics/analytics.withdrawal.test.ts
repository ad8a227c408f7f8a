// Exclusion reasons: a withdrawal of statistics consent ends only what rests on consent (the pseudonym, the beacon,
// experiments) while the cookieless counting goes on, and consent given again lifts it; an objection, restriction or
// erasure ends all counting, and neither a withdrawal nor consent given again softens it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { consentIdOf, signedIn } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import type { AnalyticsEvent } from './analytics.model.ts';
import { listExclusions } from './analytics.queries.ts';
import type { AnalyticsEventRow } from './analytics.tables.ts';
import { eventsOf, recordedEvent } from './analytics.testing.ts';
import { pseudonymOf } from './analytics.visitor.ts';
import { createAnalyticsWriter } from './analytics.writer.ts';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const PAGE = { 'user-agent': FIREFOX, 'accept-language': 'en-GB,en;q=0.8' };
const SAME_ORIGIN = { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' };
const FROM_PAGE = { ...SAME_ORIGIN, referer: 'http://127.0.0.1:3000/' };
const BEACON = /<script src="\/analytics\/beacon\.js\?v=[0-9a-f]+" defer><\/script>/;
const ENV = { RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_AUTH_PER_MINUTE: '10000' };
const BATCH = { path: '/shop', screen: { w: 1366, h: 768 }, events: [{ kind: 'click', target: 'main > a' }] };

describeEachDatabase('exclusion reasons', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true, env: ENV });
  });
  after(() => h.close());

  const reasonOf = async (pseudonym: string) =>
    (await listExclusions(h.deps.db)).find((r) => r.pseudonym === pseudonym)?.reason ?? null;
  /** A page view and a beacon batch: what was written, and whether the page carried the beacon. */
  async function visit(b: Browser): Promise<{ events: AnalyticsEventRow[]; beacon: boolean }> {
    let beacon = false;
    const events = await eventsOf(h, async () => {
      const page = await b.get('/shop', PAGE);
      assert.equal(page.statusCode, 200);
      beacon = BEACON.test(page.body);
      await b.api('POST', '/api/v1/analytics/events', BATCH, SAME_ORIGIN);
    });
    return { events, beacon };
  }

  test('after withdrawing consent a signed-in person is still counted without cookies, with no pseudonym and no beacon; consenting again brings the pseudonym back', async () => {
    const person = await signedIn(h, { ip: '198.51.100.90' });
    const key = h.deps.config.analyticsKey;
    const account = pseudonymOf(key, 'account', person.id);
    await person.b.post('/consent', [['action', 'accept']], FROM_PAGE);
    const consent = pseudonymOf(key, 'consent', consentIdOf(person.b));

    const consented = await visit(person.b);
    assert.equal(consented.beacon, true);
    assert.deepEqual(
      consented.events.map((e) => [e.kind, e.pseudonym]),
      [
        ['pageview', account],
        ['click', account],
      ],
    );

    await person.b.post('/consent', [['action', 'withdraw']], FROM_PAGE);
    const recorder = h.app.analyticsRecorder;
    assert.equal(recorder.exclusionOf(account), 'withdrawal');
    assert.equal(recorder.exclusionOf(consent), 'withdrawal');
    await recorder.flush();
    assert.equal(await reasonOf(account), 'withdrawal', 'stored with its reason');
    const withdrawn = await visit(person.b);
    assert.equal(withdrawn.beacon, false, 'no beacon without consent');
    assert.deepEqual(
      withdrawn.events.map((e) => [e.kind, e.pseudonym, e.path]),
      [['pageview', null, '/shop']],
      'the page view is counted without cookies; nothing from the beacon, no pseudonym',
    );
    assert.equal(withdrawn.events[0]!.visitor, consented.events[0]!.visitor, 'the day’s visitor hash, as for anyone');

    // Consent given again: the exclusion for the withdrawal is lifted, here and in the stored list.
    await person.b.post('/consent', [['action', 'accept']], FROM_PAGE);
    assert.equal(recorder.exclusionOf(account), null);
    assert.equal(recorder.exclusionOf(pseudonymOf(key, 'consent', consentIdOf(person.b))), null);
    await recorder.flush();
    assert.equal(await reasonOf(account), null);
    assert.equal(await reasonOf(consent), null);
    const again = await visit(person.b);
    assert.equal(again.beacon, true);
    assert.deepEqual(
      again.events.map((e) => [e.kind, e.pseudonym]),
      [
        ['pageview', account],
        ['click', account],
      ],
    );
  });

  test('a visitor without an account who withdraws and consents again gets the consent’s pseudonym back', async () => {
    const b = new Browser(h.app, '198.51.100.92', PAGE);
    await b.post('/consent', [['action', 'accept']], FROM_PAGE);
    const consent = pseudonymOf(h.deps.config.analyticsKey, 'consent', consentIdOf(b));
    assert.equal((await visit(b)).events[0]?.pseudonym, consent);
    await b.post('/consent', [['action', 'reject']], FROM_PAGE);
    assert.equal(h.app.analyticsRecorder.exclusionOf(consent), 'withdrawal');
    assert.deepEqual(
      (await visit(b)).events.map((e) => [e.kind, e.pseudonym]),
      [['pageview', null]],
    );
    await b.post(
      '/consent',
      [
        ['action', 'custom'],
        ['categories', 'statistics'],
      ],
      FROM_PAGE,
    );
    assert.equal(h.app.analyticsRecorder.isExcluded(consent), false);
    assert.deepEqual(
      (await visit(b)).events.map((e) => [e.kind, e.pseudonym]),
      [
        ['pageview', consent],
        ['click', consent],
      ],
    );
  });

  test('an objection or a restriction stops all counting, and neither withdrawing nor consenting again lifts it', async () => {
    const key = h.deps.config.analyticsKey;
    const recorder = h.app.analyticsRecorder;
    for (const [reason, ip] of [
      ['objection', '198.51.100.93'],
      ['restriction', '198.51.100.94'],
    ] as const) {
      const person = await signedIn(h, { ip });
      const account = pseudonymOf(key, 'account', person.id);
      await person.b.post('/consent', [['action', 'accept']], FROM_PAGE);
      assert.equal((await visit(person.b)).events.length, 2, reason);
      recorder.exclude(account, reason);
      assert.deepEqual(await visit(person.b), { events: [], beacon: false }, `${reason}: not counted at all`);

      await person.b.post('/consent', [['action', 'withdraw']], FROM_PAGE);
      assert.equal(recorder.exclusionOf(account), reason, `${reason}: a withdrawal does not replace it`);
      await recorder.flush();
      assert.equal(await reasonOf(account), reason);
      await person.b.post('/consent', [['action', 'accept']], FROM_PAGE);
      assert.equal(recorder.exclusionOf(account), reason, `${reason}: consent again does not lift it`);
      await recorder.flush();
      await recorder.refreshExclusions();
      assert.equal(await reasonOf(account), reason);
      assert.equal(recorder.exclusionOf(account), reason);
      assert.deepEqual(await visit(person.b), { events: [], beacon: false }, `${reason}: still not counted`);
    }
  });

  test('the writer keeps queued page views of a withdrawn pseudonym without it, and never lets a withdrawal replace an objection stored by another process', async () => {
    const now = h.clock.now();
    const event = (kind: AnalyticsEvent['kind'], pseudonym: string, path: string) =>
      recordedEvent(now, {
        kind,
        visitor: 'v-withdrawal',
        pseudonym,
        path,
        duration_ms: kind === 'engagement' ? 1000 : null,
        scroll_pct: kind === 'engagement' ? 50 : null,
      });
    const recorder = h.app.analyticsRecorder;
    const written = await eventsOf(h, async () => {
      recorder.record(event('pageview', 'p-withdrawn', '/queued'));
      recorder.record(event('engagement', 'p-withdrawn', '/queued'));
      recorder.exclude('p-withdrawn', 'withdrawal');
      recorder.record(event('goal', 'p-withdrawn', '/after'));
      recorder.record(event('click', 'p-withdrawn', '/after'));
    });
    assert.deepEqual(
      written.filter((e) => e.visitor === 'v-withdrawal').map((e) => [e.kind, e.pseudonym, e.path]),
      [
        ['pageview', null, '/queued'],
        ['goal', null, '/after'],
      ],
    );

    // Two processes: one stores an objection the other has not read yet; the other's withdrawal and inclusion for
    // the withdrawal leave it in force.
    const one = createAnalyticsWriter(h.deps.db, h.deps.log, { refreshExclusionsMs: 3_600_000 });
    const other = createAnalyticsWriter(h.deps.db, h.deps.log, { refreshExclusionsMs: 3_600_000 });
    try {
      await other.refreshExclusions();
      one.exclude('p-objected', 'objection');
      await one.flush();
      other.exclude('p-objected', 'withdrawal');
      await other.flush();
      assert.equal(await reasonOf('p-objected'), 'objection');
      other.include('p-objected', 'withdrawal');
      await other.flush();
      assert.equal(await reasonOf('p-objected'), 'objection');
      await other.refreshExclusions();
      assert.equal(other.exclusionOf('p-objected'), 'objection');
      // Lifting the objection itself (the opt-out taken back) removes it.
      one.include('p-objected');
      await one.flush();
      assert.equal(await reasonOf('p-objected'), null);
    } finally {
      await one.close();
      await other.close();
    }
  });
});
