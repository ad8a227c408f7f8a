// Experiments in Chromium: staff open an experiment's results (and the list and the experiment) in English and
// German at desktop and phone widths; axe-core finds no violation, nothing scrolls sideways, and the chart of the
// rates carries a text alternative naming every variant. Screenshots go to /tmp/experiment-shots/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import { accessibilityViolations, browserSkip, openBrowserShop, sessionCookies } from '../../testing/browser.ts';
import { staffMember } from '../../testing/factories.ts';
import { describeEachDatabase } from '../../testing/harness.ts';

const SHOTS = '/tmp/experiment-shots';
const SIZES = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

async function checkPage(page: Page, where: string, problems: string[]): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    const at = `${where} at ${size.width} px`;
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: (document.scrollingElement ?? document.documentElement).scrollWidth,
      innerWidth: window.innerWidth,
    }));
    if (scrollWidth > innerWidth) problems.push(`${at} scrolls sideways: ${scrollWidth} px`);
    for (const v of await accessibilityViolations(page)) problems.push(`${at}: ${v}`);
    await page.screenshot({ path: `${SHOTS}/${where}-${size.name}.png`, fullPage: true });
  }
}

describeEachDatabase('experiments in the browser', (db) => {
  it(
    'the results page passes axe-core in English and German at both widths, with a chart that has a text alternative',
    { skip: browserSkip },
    async () => {
      mkdirSync(SHOTS, { recursive: true });
      const { h, base, browser, close } = await openBrowserShop(
        { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } },
        db,
      );
      const problems: string[] = [];
      try {
        const staff = await staffMember(h);
        // The demo's draft (analytics.seed.ts) holds the key product-cta: this experiment gets its own.
        const created = await staff.b.submit('/staff/experiments', '/staff/experiments', {
          key: 'basket-wording',
          name: 'Wording of the basket button',
          changes: 'The product page’s add-to-basket button',
          goal_kind: 'add-to-basket',
          variant_key_1: 'control',
          variant_weight_1: '50',
          variant_key_2: 'buy-now',
          variant_weight_2: '50',
        });
        assert.equal(created.statusCode, 303, created.body.slice(0, 500));
        const experiment = String(created.headers.location);
        assert.equal((await staff.b.submit(experiment, `${experiment}/start`, {})).statusCode, 303);
        const id = experiment.split('/').at(-1)!;
        const at = h.clock.now();
        for (let i = 0; i < 200; i++)
          h.app.analyticsRecorder.recordExposure({
            experimentId: id,
            pseudonym: `browser-${i}`,
            variant: i % 2 ? 'buy-now' : 'control',
            at,
          });
        await h.app.analyticsRecorder.flush();
        await h.deps.db
          .updateTable('analytics_assignments')
          .set({ converted_at: at + 60_000 })
          .where('experiment_id', '=', id)
          .where('pseudonym', 'in', [
            ...Array.from({ length: 12 }, (_, i) => `browser-${2 * i}`),
            ...Array.from({ length: 21 }, (_, i) => `browser-${2 * i + 1}`),
          ])
          .execute();

        const context = await browser.newContext({ viewport: SIZES[0], bypassCSP: true });
        await context.addCookies(sessionCookies(staff.b));
        const page = await context.newPage();
        for (const lang of ['en', 'de'] as const) {
          await page.setExtraHTTPHeaders({ 'accept-language': lang });
          for (const [name, path] of [
            ['list', '/staff/experiments'],
            ['experiment', experiment],
            ['results', `${experiment}/results`],
          ] as const) {
            const res = await page.goto(`${base}${path}`);
            assert.equal(res?.status(), 200, `${lang} ${path}`);
            assert.equal(await page.locator('html').getAttribute('lang'), lang);
            const banner = page.locator('#consent-banner');
            if (await banner.count()) {
              await banner
                .getByRole('button', { name: lang === 'de' ? 'Alle ablehnen' : 'Reject all', exact: true })
                .click();
              await page.waitForLoadState('load');
            }
            await checkPage(page, `${lang}-${name}`, problems);
          }
          // The chart's text alternative names each variant with its rate and interval.
          const chart = page.locator('svg[role="img"][aria-labelledby="rates-title rates-desc"]');
          assert.equal(await chart.count(), 1);
          const desc = (await page.locator('#rates-desc').textContent()) ?? '';
          assert.match(desc, lang === 'en' ? /control: 12\.0% \(95% interval/ : /control: 12,0\s% \(95-%-Intervall/);
          assert.match(desc, lang === 'en' ? /buy-now: 21\.0%/ : /buy-now: 21,0\s%/);
          assert.match(
            (await page.locator('figcaption').textContent()) ?? '',
            lang === 'en' ? /Conversion rate per variant/ : /Erfolgsquote je Variante/,
          );
        }
        await context.close();
        assert.deepEqual(problems, []);
      } finally {
        await close();
      }
    },
  );
});
