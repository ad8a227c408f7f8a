// The staff home in Chromium at 390 and 1280 px, in English and German: no wider than the window, no axe
// violations, the sidebar beside the page on a desktop and above it (wrapping) on a phone, the chart drawn.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { accessibilityViolations, browserSkip, finishSignInInPage, openBrowserShop } from '../../testing/browser.ts';
import { placeOrder, signedIn, staffMember } from '../../testing/factories.ts';

async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/account/login`);
  await page.getByLabel('Email address (required)').fill(email);
  await page.getByLabel('Password (required)').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await finishSignInInPage(page, base, email);
}

test('the staff home fits a phone and a desktop and passes axe, in both languages', { skip: browserSkip }, async () => {
  const { h, base, browser, close } = await openBrowserShop({ seed: true });
  // Screenshots for a person to look at.
  mkdirSync('/tmp/console-shots', { recursive: true });
  try {
    const customer = await signedIn(h, { name: 'Carla Console', email: 'carla.console@example.org' });
    await placeOrder(h, customer.b, ['padgrid']);
    const staff = await staffMember(h, { email: 'sara.staff@example.org' });
    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1280, height: 900 },
    ]) {
      const phone = viewport.width < 400;
      // axe is injected as a script: the test context bypasses the page's Content-Security-Policy for it.
      const page = await browser.newPage({ viewport, isMobile: phone, bypassCSP: true });
      await signIn(page, base, staff.email, staff.password);
      // The visitor's consent is asked once; answered, the banner covers nothing.
      const banner = page.locator('#consent-banner');
      if (await banner.count()) {
        await banner.getByRole('button', { name: 'Reject all', exact: true }).click();
        await page.waitForLoadState('load');
      }
      for (const lang of ['en', 'de'] as const) {
        await page.setExtraHTTPHeaders({ 'accept-language': lang });
        const where = `${lang} ${viewport.width}px`;
        const res = await page.goto(`${base}/staff`);
        assert.equal(res?.status(), 200, where);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= viewport.width, `${where}: ${width} px wide`);
        assert.deepEqual(await accessibilityViolations(page), [], where);
        await page.screenshot({ path: `/tmp/console-shots/${lang}-${viewport.width}.png`, fullPage: true });
        // The chart is drawn (a bar per day) and named; the numbers open without script.
        const chart = page.getByRole('img', { name: lang === 'en' ? 'Revenue per day' : 'Umsatz pro Tag' });
        assert.equal(await chart.locator('rect').count(), 30, where);
        const chartBox = await chart.boundingBox();
        assert.ok(chartBox && chartBox.x + chartBox.width <= viewport.width, `${where}: the chart fits`);
        await page.locator('details summary').first().click();
        assert.ok(await page.locator('details table').first().isVisible(), `${where}: the numbers open`);
        const nav = await page.locator('.console-nav').boundingBox();
        const main = await page.locator('main').boundingBox();
        assert.ok(nav && main, where);
        if (phone) assert.ok(nav.y + nav.height <= main.y + 1, `${where}: the consoles lie above the page`);
        else assert.ok(nav.x + nav.width <= main.x + 1, `${where}: the consoles lie beside the page`);
        // The shop's header holds one console link and stays on one line at 1280 px.
        await page.goto(`${base}/shop`);
        const header = page.locator('header.site-header');
        assert.equal(await header.locator('a[href^="/staff"]').count(), 1, where);
        if (!phone) {
          const box = await header.locator('nav').first().boundingBox();
          assert.ok(box && box.height < 60, `${where}: the header's links stay on one line (${box?.height} px)`);
        }
      }
      await page.close();
    }
  } finally {
    await close();
  }
});
