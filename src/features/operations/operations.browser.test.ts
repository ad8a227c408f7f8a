// The staff operations page in Chromium at 390 and 1280 px, in English and German, as an administrator: no wider
// than the window, no axe violations, the charts drawn and named, the job-runs link there.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { accessibilityViolations, browserSkip, finishSignInInPage, openBrowserShop } from '../../testing/browser.ts';
import { asRole, signedIn } from '../../testing/factories.ts';

async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/account/login`);
  await page.getByLabel('Email address (required)').fill(email);
  await page.getByLabel('Password (required)').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await finishSignInInPage(page, base, email);
}

test(
  'the operations page fits a phone and a desktop and passes axe, in both languages',
  { skip: browserSkip },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({ seed: true });
    mkdirSync('/tmp/operations-shots', { recursive: true });
    try {
      const admin = await asRole(h, await signedIn(h, { name: 'Otto Operator' }), 'admin');
      // Figures for every section: requests on several routes (the sign-in below adds more) and job runs.
      for (const path of ['/shop', '/shop/aurora-synth', '/no-such-page', '/api/v1/products?limit=2'])
        await h.app.inject({ url: path });
      h.deps.metrics.jobRuns.inc({ job: 'mail.deliver-outbox', outcome: 'ok' }, 12);
      h.deps.metrics.jobRuns.inc({ job: 'privacy.retention', outcome: 'failed' });
      for (const viewport of [
        { width: 390, height: 844 },
        { width: 1280, height: 900 },
      ]) {
        const phone = viewport.width < 400;
        // axe is injected as a script: the test context bypasses the page's Content-Security-Policy for it.
        const page = await browser.newPage({ viewport, isMobile: phone, bypassCSP: true });
        await signIn(page, base, admin.email, admin.password);
        const banner = page.locator('#consent-banner');
        if (await banner.count()) {
          await banner.getByRole('button', { name: 'Reject all', exact: true }).click();
          await page.waitForLoadState('load');
        }
        for (const lang of ['en', 'de'] as const) {
          await page.setExtraHTTPHeaders({ 'accept-language': lang });
          const where = `${lang} ${viewport.width}px`;
          const res = await page.goto(`${base}/staff/operations`);
          assert.equal(res?.status(), 200, where);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= viewport.width, `${where}: ${width} px wide`);
          assert.deepEqual(await accessibilityViolations(page), [], where);
          // A screenshot for a person to look at.
          await page.screenshot({ path: `/tmp/operations-shots/${lang}-${viewport.width}.png`, fullPage: true });
          const requests = page.getByRole('img', {
            name: lang === 'en' ? 'Requests of the busiest routes' : 'Anfragen der meistgenutzten Routen',
          });
          assert.ok((await requests.locator('rect').count()) >= 4, where);
          const box = await requests.boundingBox();
          assert.ok(box && box.x + box.width <= viewport.width, `${where}: the chart fits`);
          const jobs = page.getByRole('img', {
            name: lang === 'en' ? 'Job runs by outcome' : 'Auftragsläufe nach Ergebnis',
          });
          assert.equal(await jobs.locator('rect').count(), 2, where);
          assert.equal(await page.locator('a[href="/staff/operations/jobs"]').count(), 1, where);
        }
        await page.close();
      }
    } finally {
      await close();
    }
  },
);
