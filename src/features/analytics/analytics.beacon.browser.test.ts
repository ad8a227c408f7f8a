// The beacon in Chromium: without consent no script loads and nothing goes to /api/v1/analytics; with statistics
// consent the script loads and, once the page is left, one batch arrives with the visible time, the scroll depth,
// the click's selector, the screen class and the country of the browser's time zone.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { browserSkip, openBrowserShop } from '../../testing/browser.ts';
import { describeEachDatabase } from '../../testing/harness.ts';
import { todaysEvents } from './analytics.testing.ts';

// Headless Chromium names itself HeadlessChrome, which the bot list knows, and a context's user agent does not reach
// a beacon sent while the page unloads: the browser itself is launched with a person's Chrome user agent.
const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describeEachDatabase('the beacon in the browser', (db) => {
  it(
    'sends nothing without consent, and one batch after leaving a page with consent',
    { skip: browserSkip },
    async () => {
      const { h, base, browser, close } = await openBrowserShop({ seed: true }, db, { userAgent: USER_AGENT });
      try {
        const analyticsEvents = async () =>
          (await todaysEvents(h)).filter((r) => ['engagement', 'click', 'outbound'].includes(r.kind));

        // No consent: the banner is answered "Reject all", pages are browsed and left.
        const plain = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Europe/Vienna' });
        const seen: string[] = [];
        plain.on('request', (r) => seen.push(new URL(r.url()).pathname));
        const p1 = await plain.newPage();
        await p1.goto(`${base}/shop`);
        await p1.locator('#consent-banner').getByRole('button', { name: 'Reject all', exact: true }).click();
        await p1.waitForLoadState('load');
        await p1.mouse.wheel(0, 600);
        await p1.locator('main').click({ position: { x: 5, y: 5 } });
        await p1.goto(`${base}/`);
        await p1.close();
        await plain.close();
        assert.deepEqual(
          seen.filter((p) => p.startsWith('/analytics/') || p.startsWith('/api/v1/analytics')),
          [],
          'no beacon script and no event without consent',
        );
        assert.deepEqual(await analyticsEvents(), []);

        // Statistics consent: the script loads, and leaving the page sends the batch.
        const consenting = await browser.newContext({
          viewport: { width: 1280, height: 800 },
          timezoneId: 'Europe/Vienna',
          locale: 'en-GB',
        });
        const loaded: number[] = [];
        consenting.on('response', (r) => {
          if (new URL(r.url()).pathname === '/analytics/beacon.js') loaded.push(r.status());
        });
        const p2 = await consenting.newPage();
        await p2.goto(`${base}/shop`);
        await p2.locator('#consent-banner').getByRole('button', { name: 'Accept all', exact: true }).click();
        await p2.waitForURL(`${base}/shop`);
        await p2.waitForLoadState('load');
        assert.deepEqual(loaded, [200], 'the script loads once consent is given');
        assert.equal(await p2.locator('script[src^="/analytics/beacon.js"]').count(), 1);
        await p2.mouse.wheel(0, 400);
        await p2.locator('main h1').first().click();
        const problems: string[] = [];
        p2.on('pageerror', (e) => problems.push(e.message));
        p2.on('console', (m) => problems.push(m.text()));
        await p2.goto(`${base}/cookies`);
        // The server answers after the page is gone; wait for the batch to be queued and written.
        let events = await analyticsEvents();
        for (let i = 0; i < 50 && events.length < 2; i++) {
          await new Promise((r) => setTimeout(r, 100));
          events = await analyticsEvents();
        }
        const engagement = events.find((e) => e.kind === 'engagement');
        assert.ok(engagement, `an engagement event arrived: ${JSON.stringify(events)} ${problems.join('; ')}`);
        assert.equal(engagement.path, '/shop');
        assert.equal(engagement.country, 'AT');
        assert.match(String(engagement.screen), /^\d+x\d+$/);
        assert.ok(Number(engagement.duration_ms) > 0);
        assert.ok(engagement.pseudonym, 'with consent: the pseudonym');
        const click = events.find((e) => e.kind === 'click');
        assert.match(String(click?.target), /h1/);
        await consenting.close();
      } finally {
        await close();
      }
    },
  );
});
