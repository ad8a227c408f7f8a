// The mail and registrations consoles in Chromium: a failed mail is found by the state filter and sent again with
// the button; the pages fit a 390 px phone and have no accessibility violations, in English and German.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { accessibilityViolations, browserSkip, finishSignInInPage, openBrowserShop } from '../../testing/browser.ts';
import { placeOrder, signedIn, staffMember } from '../../testing/factories.ts';
import { enqueueMail } from './index.ts';

async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/account/login`);
  await page.getByLabel('Email address (required)').fill(email);
  await page.getByLabel('Password (required)').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await finishSignInInPage(page, base, email);
}

test(
  'staff find a failed mail and send it again; the consoles fit a phone and pass axe, in both languages',
  { skip: browserSkip },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({ seed: true });
    try {
      const customer = await signedIn(h, { name: 'Rita Resend', email: 'rita.resend@example.org' });
      await placeOrder(h, customer.b, ['keystep-49']);
      for (const to of ['lost.mail@example.org', 'other.mail@example.org'])
        await enqueueMail(h.deps.db, h.clock, {
          to,
          subject: `Notice for ${to}`,
          body: 'Hello\n',
          template: 'test-notice',
        });
      // A delivery that used up its retries (as mail.console.test.ts drives through the worker).
      await h.deps.db
        .updateTable('outbox')
        .set({ failed_at: h.clock.now(), last_error: '550', attempts: 9 })
        .where('recipient', '=', 'lost.mail@example.org')
        .execute();
      const staff = await staffMember(h, { email: 'sina.staff@example.org' });

      const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, bypassCSP: true });
      await signIn(page, base, staff.email, staff.password);
      for (const lang of ['en', 'de'] as const) {
        await page.setExtraHTTPHeaders({ 'accept-language': lang });
        for (const path of [
          '/staff/mail',
          '/staff/mail?state=failed',
          '/staff/registrations',
          '/staff/registrations/reviews',
        ]) {
          const res = await page.goto(`${base}${path}`);
          assert.equal(res?.status(), 200, path);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= 390, `${lang} ${path}: ${width} px wide on a 390 px phone`);
          assert.deepEqual(await accessibilityViolations(page), [], `${lang} ${path}`);
        }
      }

      await page.setExtraHTTPHeaders({ 'accept-language': 'en' });
      await page.goto(`${base}/staff/mail`);
      await page.getByLabel('State').selectOption('failed');
      await page.locator('form[action="/staff/mail"] button[type="submit"]').click();
      await page.waitForURL(/state=failed/);
      const rows = page.locator('main tbody tr');
      assert.equal(await rows.count(), 1);
      await page.getByRole('link', { name: 'Notice for lost.mail@example.org' }).click();
      assert.deepEqual(await accessibilityViolations(page), [], 'the failed mail');
      await page.getByRole('button', { name: 'Send again' }).click();
      await page.waitForURL(/notice=resent/);
      assert.match(await page.locator('main').innerText(), /queued again/);
      assert.deepEqual(await accessibilityViolations(page), [], 'the mail sent again');
      const row = await h.deps.db
        .selectFrom('outbox')
        .select(['failed_at', 'attempts'])
        .where('recipient', '=', 'lost.mail@example.org')
        .executeTakeFirstOrThrow();
      assert.deepEqual([row.failed_at, row.attempts], [null, 0]);
    } finally {
      await close();
    }
  },
);
