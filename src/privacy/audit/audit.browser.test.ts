// The audit page and the printable record in Chromium: at desktop and phone sizes, in English and German, no
// accessibility violations and no sideways scrolling on a phone; printed, the record shows no site navigation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { accessibilityViolations, browserSkip, finishSignInInPage, openBrowserShop } from '../../testing/browser.ts';
import { asRole, staffMember } from '../../testing/factories.ts';

async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/account/login`);
  const reject = page.locator('#consent-banner').getByRole('button', { name: 'Reject all', exact: true });
  if (await reject.isVisible()) await reject.click();
  await page.getByLabel('Email address (required)').fill(email);
  await page.getByLabel('Password (required)').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await finishSignInInPage(page, base, email);
}

test(
  'the audit page and the record pass axe at desktop and phone sizes, in both languages',
  { skip: browserSkip },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({ seed: true });
    try {
      const dpo = await asRole(h, await staffMember(h, { email: 'dora.dpo@example.org' }), 'dpo');
      for (const viewport of [
        { width: 1280, height: 800 },
        { width: 390, height: 844 },
      ]) {
        const page = await browser.newPage({ viewport, isMobile: viewport.width < 500, bypassCSP: true });
        await signIn(page, base, dpo.email, dpo.password);
        for (const lang of ['en', 'de'] as const) {
          await page.setExtraHTTPHeaders({ 'accept-language': lang });
          for (const path of ['/staff/privacy/audit', '/staff/privacy/record']) {
            const res = await page.goto(`${base}${path}`);
            assert.equal(res?.status(), 200, path);
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(width <= viewport.width, `${lang} ${path}: ${width} px wide at ${viewport.width} px`);
            assert.deepEqual(await accessibilityViolations(page), [], `${lang} ${path} at ${viewport.width} px`);
          }
        }
        await page.emulateMedia({ media: 'print' });
        await page.goto(`${base}/staff/privacy/record`);
        assert.equal(await page.locator('.site-header').isVisible(), false, 'printed without the site header');
        assert.equal(await page.locator('.processing-record').isVisible(), true);
        await page.close();
      }
    } finally {
      await close();
    }
  },
);
