// The staff pages of kept business letters in Chromium: the list and a letter (an order confirmation with its legal
// texts, long lines) fit a 390 px phone and have no accessibility violations, in English and German.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { accessibilityViolations, browserSkip, finishSignInInPage, openBrowserShop } from '../../testing/browser.ts';
import { placeOrder, signedIn, staffMember } from '../../testing/factories.ts';
import { mailFeature } from './index.ts';

async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/account/login`);
  await page.getByLabel('Email address (required)').fill(email);
  await page.getByLabel('Password (required)').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await finishSignInInPage(page, base, email);
}

test('the kept letters’ staff pages fit a phone and pass axe, in both languages', { skip: browserSkip }, async () => {
  const { h, base, browser, close } = await openBrowserShop({ seed: true });
  try {
    const customer = await signedIn(h, { name: 'Lena Letter', email: 'lena.letter@example.org' });
    const order = await placeOrder(h, customer.b, ['aurora-synth', 'keystep-49']);
    await mailFeature.jobs!.find((j) => j.name === 'mail.deliver-outbox')!.run(h.deps);
    const letter = await h.deps.db
      .selectFrom('business_letters')
      .select('id')
      .where('ref', '=', order.id)
      .executeTakeFirstOrThrow();
    const staff = await staffMember(h, { email: 'sven.staff@example.org' });

    // axe is injected as a script: the test context bypasses the page's Content-Security-Policy for it.
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, bypassCSP: true });
    await signIn(page, base, staff.email, staff.password);
    for (const lang of ['en', 'de'] as const) {
      await page.setExtraHTTPHeaders({ 'accept-language': lang });
      for (const path of ['/staff/letters', `/staff/letters/${letter.id}`]) {
        const res = await page.goto(`${base}${path}`);
        assert.equal(res?.status(), 200, path);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `${lang} ${path}: ${width} px wide on a 390 px phone`);
        assert.deepEqual(await accessibilityViolations(page), [], `${lang} ${path}`);
      }
    }
    assert.match(await page.locator('main').innerText(), /Keystep 49/i);
  } finally {
    await close();
  }
});
