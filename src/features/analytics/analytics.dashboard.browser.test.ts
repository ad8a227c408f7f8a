// The analytics dashboard in Chromium: in English and German, at desktop and phone widths, it passes axe-core, never
// scrolls sideways, and every chart is an image with a title, a description and its numbers as a table.
// Screenshots go to /tmp/analytics-shots/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { it } from 'node:test';
import type { Lang } from '../../platform/i18n.ts';
import { accessibilityViolations, browserSkip, openBrowserShop, sessionCookies } from '../../testing/browser.ts';
import { staffMember } from '../../testing/factories.ts';
import { describeEachDatabase, START } from '../../testing/harness.ts';
import { insertBotRows, insertDailyRows } from './analytics.dashboard.queries.ts';
import { createEventPartition, insertEvents } from './analytics.queries.ts';
import { rawEvent } from './analytics.testing.ts';

const SHOTS = '/tmp/analytics-shots';
const DAY = 86_400_000;
const TODAY = START - (START % DAY);
const SIZES = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

describeEachDatabase('the analytics dashboard in the browser', (db) => {
  it('reads well and accessibly in English and German on desktop and phone', { skip: browserSkip }, async () => {
    mkdirSync(SHOTS, { recursive: true });
    const { h, base, browser, close } = await openBrowserShop(
      { env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000', RATE_LIMIT_PER_MINUTE: '100000' } },
      db,
    );
    const problems: string[] = [];
    try {
      const staff = await staffMember(h, { name: 'Stefan Staff' });
      const pages = [
        '/',
        '/products',
        '/products/keystep-49',
        '/a-very-long-path/with/many/segments/and-more-words',
        '/basket',
      ];
      const rows = [];
      for (let i = 0; i < 400; i++) {
        const day = TODAY - i * DAY;
        const w = 20 + ((i * 7) % 13);
        rows.push({
          day,
          dimension: '',
          value: '',
          visitors: w,
          visits: w + 4,
          pageviews: 3 * w,
          bounces: Math.floor(w / 2),
          duration_ms: w * 90_000,
        });
        pages.forEach((p, j) =>
          rows.push({ day, dimension: 'page', value: p, visitors: w - 3 * j, pageviews: 2 * w - j }),
        );
        for (const [dim, values] of [
          ['source', ['www.search.example', 'news.example', '']],
          ['country', ['DE', 'AT', 'CH']],
          ['device', ['desktop', 'mobile', 'tablet']],
          ['browser', ['Firefox', 'Chrome', 'Safari']],
          ['utm_campaign', ['winter-sale']],
          ['funnel', ['basket', 'checkout', 'order']],
        ] as const)
          values.forEach((v, j) => rows.push({ day, dimension: dim, value: v, visitors: Math.max(1, w - 5 * j) }));
      }
      await insertDailyRows(h.deps.db, rows);
      await insertBotRows(h.deps.db, [{ day: TODAY, reason: 'user-agent', count: 12 }]);
      await createEventPartition(h.deps.db, TODAY);
      await insertEvents(h.deps.db, TODAY, [
        rawEvent(START - 60_000, { visitor: 'vhash-browser', path: '/products', device: 'mobile', country: 'DE' }),
      ]);

      for (const lang of ['en', 'de'] as Lang[]) {
        const context = await browser.newContext({
          viewport: SIZES[0],
          bypassCSP: true,
          extraHTTPHeaders: { 'accept-language': lang },
        });
        await context.addCookies(sessionCookies(staff.b));
        const page = await context.newPage();
        // The privacy banner answered first, as a person would, so that it covers nothing in the screenshots.
        await page.goto(`${base}/staff/analytics`);
        const banner = page.locator('#consent-banner');
        if (await banner.count()) {
          await banner
            .getByRole('button', { name: lang === 'de' ? 'Alle ablehnen' : 'Reject all', exact: true })
            .click();
          await page.waitForLoadState('load');
        }
        for (const [name, query] of [
          ['30d', '?period=30d'],
          ['12m', '?period=12m'],
          ['today-filtered', '?period=today&page=%2Fproducts'],
          ['bad-date', '?from=2026-02-30&to=2026-03-01'],
        ] as const) {
          const res = await page.goto(`${base}/staff/analytics${query}`);
          assert.equal(res?.status(), name === 'bad-date' ? 400 : 200, `${lang} ${name}`);
          assert.equal(await page.locator('html').getAttribute('lang'), lang);
          const styled = await page.locator('main [style], main style').count();
          if (styled > 0) problems.push(`${lang} ${name}: ${styled} inline styles, which the CSP blocks`);
          // Every chart: an image with a title and a description, and its numbers as a table.
          for (const svg of await page.locator('svg[role="img"]').all()) {
            const labelled = (await svg.getAttribute('aria-labelledby')) ?? '';
            const title = await svg.locator('title').textContent();
            assert.ok(title && labelled.includes('title'), `${lang} ${name}: the chart has a title`);
            const desc = await svg.locator('desc').textContent();
            assert.ok(desc && desc.length > 20, `${lang} ${name}: the chart has a description`);
            const section = page.locator('section.analytics-chart');
            assert.ok((await section.locator('details table tbody tr').count()) > 0, `${lang} ${name}: chart numbers`);
          }
          if (name !== 'bad-date') assert.equal(await page.locator('svg[role="img"]').count(), 1);
          assert.doesNotMatch(await page.content(), /vhash-/);
          for (const size of SIZES) {
            await page.setViewportSize({ width: size.width, height: size.height });
            const where = `${lang} ${name} at ${size.width} px`;
            const { scrollWidth, innerWidth } = await page.evaluate(() => ({
              scrollWidth: (document.scrollingElement ?? document.documentElement).scrollWidth,
              innerWidth: window.innerWidth,
            }));
            if (scrollWidth > innerWidth) problems.push(`${where} scrolls sideways: ${scrollWidth} px`);
            for (const v of await accessibilityViolations(page)) problems.push(`${where}: ${v}`);
            await page.screenshot({ path: `${SHOTS}/${db}-${lang}-${name}-${size.name}.png`, fullPage: true });
          }
          await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
        }
        await context.close();
      }
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
});
