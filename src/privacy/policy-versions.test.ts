import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY } from '../platform/clock.ts';
import { demoOperator } from '../platform/operator.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../testing/harness.ts';
import { publishCurrentPolicyVersion } from './policy-versions.ts';
import { renderPolicyBody } from './policy.pages.ts';

const SAME_ORIGIN = { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' };
const asksAgain = (body: string) => body.includes('id="consent-banner"');

describeEachDatabase('policy versions and consent versions', (db) => {
  let h: Harness;
  let visitor: Browser;
  before(async () => {
    h = await openHarness(db, { seed: true });
    visitor = new Browser(h.app);
    assert.equal((await visitor.post('/consent', [['action', 'accept']], SAME_ORIGIN)).statusCode, 303);
    assert.ok(!asksAgain((await visitor.get('/')).body), 'a choice was made');
  });
  after(() => h.close());

  test('changed wording of the policy publishes a new version at /privacy without asking visitors again', async () => {
    assert.match((await visitor.get('/privacy')).body, /Version 1/);
    h.clock.advance(DAY);
    const reworded = (lang: 'en' | 'de', input: Parameters<typeof renderPolicyBody>[1]) =>
      renderPolicyBody(lang, input).replace('<h2', '<p>A clearer introduction.</p><h2');
    const published = await publishCurrentPolicyVersion(h.deps, reworded);
    assert.equal(Number(published.number), 2);
    assert.match(published.body_en, /A clearer introduction/);
    // Same wording again: no further version.
    assert.equal(Number((await publishCurrentPolicyVersion(h.deps, reworded)).number), 2);
  });

  test('a changed operator address is a new policy version served at /privacy, listed with its date, and no new consent prompt', async () => {
    h.clock.advance(DAY);
    const moved = await h.reopen({ address: ['Neue Straße 7', '10117 Berlin', 'Germany'] });
    assert.equal(moved.deps.consent.hash, h.deps.consent.hash, 'the consent version is unchanged');
    const page = await moved.app.inject({
      method: 'GET',
      url: '/privacy',
      headers: { cookie: visitor.cookieHeader(), accept: 'text/html' },
    });
    assert.match(page.body, /Version 3/);
    assert.match(page.body, /Neue Straße 7/);
    assert.match(page.body, /href="\/privacy\/versions\/1"/);
    assert.match(page.body, /datetime="2026-12-01T10:00:00.000Z"/, 'the earlier version is listed with its date');
    const home = await moved.app.inject({
      method: 'GET',
      url: '/',
      headers: { cookie: visitor.cookieHeader(), accept: 'text/html' },
    });
    assert.ok(!asksAgain(home.body), 'visitors are not asked again for a change of wording');
    const old = await moved.app.inject({ method: 'GET', url: '/privacy/versions/1', headers: { accept: 'text/html' } });
    assert.match(old.body, /Beispielweg 12/);
  });

  test('a vendor change is a new policy version and asks visitors again', async () => {
    // Its own harness, so that it runs alone too: version 1, then the vendor change is version 2.
    const own = await openHarness(db, { seed: true });
    try {
      const person = new Browser(own.app);
      assert.equal((await person.post('/consent', [['action', 'accept']], SAME_ORIGIN)).statusCode, 303);
      assert.match((await person.get('/privacy')).body, /Version 1/);
      own.clock.advance(DAY);
      const fewer = await own.reopen({ vendors: demoOperator.vendors.filter((v) => v.id !== 'hotjar') });
      assert.notEqual(fewer.deps.consent.hash, own.deps.consent.hash);
      const headers = { cookie: person.cookieHeader(), accept: 'text/html' };
      const page = await fewer.app.inject({ method: 'GET', url: '/privacy', headers });
      assert.match(page.body, /Version 2/);
      assert.ok(asksAgain(page.body), 'the visitor is asked again');
    } finally {
      await own.close();
    }
  });
});
