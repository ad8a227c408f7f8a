// The opt-out of our statistics (policy 2c dd) on /privacy/analytics, without consent and without an account, and
// as an objection for a signed-in person; and the consent layer asking about our own statistics without vendors.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { findObjection, recordObjection } from '../../privacy/objections.ts';
import { consentIdOf, signedIn } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { demoOperator } from '../../platform/operator.ts';
import { elementById, policyBodies, policyInput } from '../../testing/policy.ts';
import { ACTIVITY, OPT_OUT_COOKIE } from './analytics.model.ts';
import { optOutPolicyLink } from './analytics.optout.routes.ts';
import { pseudonymOf } from './analytics.visitor.ts';

const SAME_ORIGIN = { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' };
const BEACON = /\/analytics\/beacon\.js/;
const stateOf = (body: string) => /id="analytics-state" data-state="([a-z-]+)"/.exec(body)?.[1];

describeEachDatabase('the statistics opt-out', (db) => {
  let h: Harness;
  let ip = 10;
  const visitor = () => new Browser(h.app, `203.0.113.${ip++}`);
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  test('the page explains the counting in both languages and shows why a browser is or is not counted', async () => {
    const b = visitor();
    const en = await b.get('/privacy/analytics');
    assert.equal(en.statusCode, 200);
    assert.match(en.body, /48 hours/);
    assert.match(en.body, /30 days/);
    assert.match(en.body, /25 months/);
    assert.equal(stateOf(en.body), 'counted');
    const de = await b.get('/privacy/analytics', { 'accept-language': 'de' });
    assert.match(de.body, /48 Stunden/);
    assert.equal(stateOf((await b.get('/privacy/analytics', { dnt: '1' })).body), 'dnt');
    assert.equal(stateOf((await b.get('/privacy/analytics', { 'sec-gpc': '1' })).body), 'gpc');
  });

  test('without consent and without an account the opt-out sets a two-year necessary cookie that is honoured, and lifts it', async () => {
    const b = visitor();
    const out = await b.submit('/privacy/analytics', '/privacy/analytics', { choice: 'out' });
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/privacy/analytics?saved=out');
    const cookie = [out.headers['set-cookie']].flat().find((c) => String(c).startsWith(`${OPT_OUT_COOKIE}=1`));
    assert.ok(cookie, 'the opt-out cookie is set (and not dropped by the consent layer)');
    assert.match(String(cookie), /Max-Age=63072000/);
    assert.match(String(cookie), /HttpOnly/);
    assert.match(String(cookie), /SameSite=Lax/);
    assert.equal(stateOf((await b.get('/privacy/analytics')).body), 'opted-out');

    // Honoured even after consenting to statistics: no beacon, and the endpoint records nothing.
    await b.post('/consent', [['action', 'accept']], SAME_ORIGIN);
    assert.doesNotMatch((await b.get('/shop')).body, BEACON);
    const events = await b.api(
      'POST',
      '/api/v1/analytics/events',
      { path: '/shop', events: [{ kind: 'engagement', duration_ms: 1, scroll_pct: 1 }] },
      SAME_ORIGIN,
    );
    assert.equal(events.statusCode, 204);

    const back = await b.submit('/privacy/analytics', '/privacy/analytics', { choice: 'in' });
    assert.equal(back.statusCode, 303);
    assert.equal(b.cookie(OPT_OUT_COOKIE), undefined);
    assert.equal(stateOf((await b.get('/privacy/analytics')).body), 'counted');
    assert.match((await b.get('/shop')).body, BEACON);
  });

  test('the form needs its token like every form', async () => {
    const res = await visitor().post('/privacy/analytics', { choice: 'out' }, SAME_ORIGIN);
    assert.equal(res.statusCode, 403);
    const bad = await visitor().submit('/privacy/analytics', '/privacy/analytics', { choice: 'maybe' });
    assert.equal(bad.statusCode, 400);
  });

  test('for a signed-in person the opt-out records an objection and excludes the account’s pseudonym; in lifts both', async () => {
    const person = await signedIn(h);
    const key = h.deps.config.analyticsKey;
    const account = pseudonymOf(key, 'account', person.id);
    await person.b.submit('/privacy/analytics', '/privacy/analytics', { choice: 'out' });
    for (const activity of [ACTIVITY.counting, ACTIVITY.returning]) {
      const objection = await findObjection(h.deps.db, person.id, activity, 'objection');
      assert.equal(objection?.via, 'analytics-page', activity);
    }
    assert.equal(h.app.analyticsRecorder.isExcluded(account), true);
    assert.match((await person.b.get('/privacy/analytics')).body, /also recorded for your account/);

    await person.b.submit('/privacy/analytics', '/privacy/analytics', { choice: 'in' });
    for (const activity of [ACTIVITY.counting, ACTIVITY.returning])
      assert.equal(await findObjection(h.deps.db, person.id, activity, 'objection'), undefined, activity);
    assert.equal(h.app.analyticsRecorder.isExcluded(account), false);
  });

  test('a consenting visitor who opts out leaves the reports too: the browser’s consent pseudonym is excluded, signed in or not', async () => {
    const b = visitor();
    await b.post('/consent', [['action', 'accept']], {
      origin: 'http://127.0.0.1:3000',
      'sec-fetch-site': 'same-origin',
      referer: 'http://127.0.0.1:3000/',
    });
    const pseudonym = pseudonymOf(h.deps.config.analyticsKey, 'consent', consentIdOf(b));
    await b.submit('/privacy/analytics', '/privacy/analytics', { choice: 'out' });
    assert.equal(h.app.analyticsRecorder.exclusionOf(pseudonym), 'objection');
    await b.submit('/privacy/analytics', '/privacy/analytics', { choice: 'in' });
    assert.equal(h.app.analyticsRecorder.isExcluded(pseudonym), false);
  });

  test('“count me again” lifts only what the page recorded: an objection made elsewhere or a restriction stands', async () => {
    const person = await signedIn(h);
    const account = pseudonymOf(h.deps.config.analyticsKey, 'account', person.id);
    await recordObjection(h.deps.db, h.clock.now(), {
      person: person.id,
      activity: ACTIVITY.counting,
      kind: 'restriction',
      via: 'staff',
    });
    await person.b.submit('/privacy/analytics', '/privacy/analytics', { choice: 'out' });
    await person.b.submit('/privacy/analytics', '/privacy/analytics', { choice: 'in' });
    assert.equal(h.app.analyticsRecorder.isExcluded(account), true, 'the restriction keeps the pseudonym out');
    assert.notEqual(await findObjection(h.deps.db, person.id, ACTIVITY.counting, 'restriction'), undefined);

    const other = await signedIn(h);
    await recordObjection(h.deps.db, h.clock.now(), {
      person: other.id,
      activity: ACTIVITY.returning,
      kind: 'objection',
      via: 'privacy-centre',
    });
    await other.b.submit('/privacy/analytics', '/privacy/analytics', { choice: 'out' });
    await other.b.submit('/privacy/analytics', '/privacy/analytics', { choice: 'in' });
    assert.equal((await findObjection(h.deps.db, other.id, ACTIVITY.returning, 'objection'))?.via, 'privacy-centre');
    assert.equal(await findObjection(h.deps.db, other.id, ACTIVITY.counting, 'objection'), undefined);
  });

  test('the cookie settings and the policy link to the opt-out, and the cookie is listed as necessary', async () => {
    const cookies = await visitor().get('/cookies');
    assert.match(cookies.body, /href="\/privacy\/analytics"/);
    assert.match(cookies.body, /candor_analytics_optout/);
    const policy = await visitor().get('/privacy');
    assert.match(policy.body, /href="\/privacy\/analytics"/);
  });
});

test('the policy names the opt-out page under the right to object to processing based on legitimate interests', () => {
  const map = policyInput().dataMap;
  const withLink = { ...map, links: [...map.links.filter((l) => l.right !== 'object'), optOutPolicyLink] };
  const { en, de } = policyBodies(policyInput(withLink));
  const objection = elementById(en, 'objection') ?? en;
  assert.match(
    objection,
    /Counting visits without cookies<\/a>: object at once, without giving reasons, on <a href="\/privacy\/analytics">/,
  );
  assert.match(de, /<a href="\/privacy\/analytics">Unsere Statistik: diesen Browser nicht zählen<\/a>/);
});

describeEachDatabase('the consent layer and our own statistics', (db) => {
  test('without any vendor the banner asks about this shop’s own statistics, except under GPC', async () => {
    const h = await openHarness(db, { operator: { ...demoOperator, vendors: [] } });
    try {
      const first = await new Browser(h.app).get('/');
      assert.match(first.body, /<dialog open class="consent-banner"/);
      assert.match(first.body, /this shop’s own statistics, with no third party/);
      const de = await new Browser(h.app).get('/', { 'accept-language': 'de' });
      assert.match(de.body, /eigene Statistiken dieses Shops führen, ohne Dritte/);
      assert.doesNotMatch((await new Browser(h.app).get('/', { 'sec-gpc': '1' })).body, /consent-banner/);

      const settings = await new Browser(h.app).get('/cookies');
      assert.match(settings.body, /name="categories" value="statistics"/);
      assert.match(settings.body, /This shop’s own statistics, no third party/);
      assert.match(settings.body, /Returning visitors under a pseudonym/);

      // Choosing statistics alone (no vendor to tick) keeps it, and the beacon follows.
      const b = new Browser(h.app, '192.0.2.80');
      await b.post(
        '/consent',
        [
          ['action', 'custom'],
          ['categories', 'statistics'],
        ],
        SAME_ORIGIN,
      );
      const page = await b.get('/shop');
      assert.doesNotMatch(page.body, /consent-banner/);
      assert.match(page.body, BEACON);
    } finally {
      await h.close();
    }
  });
});
