// What the classification keeps of a campaign link and a referrer: UTM values only as short plain labels (never an
// email address, a token or a phone or card number), referrer hosts only as a site's name.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { referrerHost, utmOf } from './analytics.classify.ts';
import { eventTableOf, listEvents } from './analytics.queries.ts';

const campaign = (value: string) => utmOf(`/shop?utm_campaign=${encodeURIComponent(value)}`).utm_campaign;

describe('UTM values', () => {
  test('plain campaign labels are kept; spaces become hyphens', () => {
    for (const label of ['newsletter', 'spring_sale-2026', 'Black.Friday+2026', 'cpc', 'x'.repeat(100)])
      assert.equal(campaign(label), label, label);
    assert.equal(campaign('  summer   sale  '), 'summer-sale');
    assert.equal(campaign('2026-11-29'), '2026-11-29', 'a date is no phone number');
  });

  test('an email address, other characters, a token or a long number is dropped', () => {
    const dropped = [
      'alice@example.org',
      'Alice Smith <alice@example.org>',
      'alice%40example.org',
      'name=Alice',
      'Grüße',
      '<script>',
      'a/b',
      'aB3dE5gH7jK9mN1pQ2rS4', // 21 mixed letters and digits: a token
      'x9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4', // hex
      'campaign-Zk3Lq9Xw2Vb7Nm4Tc8Rd1Hy6', // a token after a separator
      '550e8400-e29b-41d4-a716-446655440000', // a UUID
      '06601234567', // a phone number
      '+43 660 123 45 67',
      '4111-1111-1111-1111', // a card number
      '4111111111111111',
    ];
    for (const value of dropped) assert.equal(campaign(value), null, value);
    assert.deepEqual(utmOf('/?utm_source=mail&utm_medium=alice%40example.org&utm_campaign=%20'), {
      utm_source: 'mail',
      utm_medium: null,
      utm_campaign: null,
    });
  });
});

describe('referrer hosts', () => {
  test('carry no user name, password or port, and no IP address', () => {
    assert.equal(referrerHost('https://alice:secret@news.example.org:8443/a', 'shop.test'), 'news.example.org');
    assert.equal(referrerHost('https://news.example.org.:443/', 'shop.test'), 'news.example.org');
    assert.equal(referrerHost('https://shop.test.:8443/', 'shop.test'), null, 'our own host with a trailing dot');
    assert.equal(referrerHost('http://192.168.1.20:8080/', 'shop.test'), null);
    assert.equal(referrerHost('http://[2001:db8::1]/', 'shop.test'), null);
    assert.equal(referrerHost('http://3232235796/', 'shop.test'), null, 'an IP address written as one number');
    for (const referer of ['https://alice:secret@news.example.org:8443/a', 'https://bücher.example/'])
      assert.match(referrerHost(referer, 'shop.test') ?? '', /^[a-z0-9.-]+$/, referer);
  });
});

describeEachDatabase('UTM values of a page view', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  after(() => h.close());

  test('an email address in a campaign link is not stored', async () => {
    const b = new Browser(h.app, '198.51.100.77', {
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
      'accept-language': 'en',
    });
    const res = await b.get('/?utm_source=newsletter&utm_campaign=alice%40example.org');
    assert.equal(res.statusCode, 200);
    await h.app.analyticsRecorder.flush();
    const views = (await listEvents(h.deps.db, eventTableOf(h.clock.now()))).filter((e) => e.kind === 'pageview');
    const view = views.find((e) => e.utm_source === 'newsletter');
    assert.ok(view, 'the page view was counted');
    assert.equal(view.utm_campaign, null);
    for (const e of views) assert.ok(!JSON.stringify(e).includes('alice'), 'no email address anywhere');
  });
});
