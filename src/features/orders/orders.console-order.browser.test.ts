// The staff order page (issue 12, point 2) in real Chromium, at 1280 px and at phone size: the page of a paid order
// with notes and of an unpaid invoice order, the refund and cancel confirmation pages and a refused note pass
// axe-core, fit the screen, and their HTML passes the Nu Html Checker; in English and German.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  accessibilityViolations,
  browserSkip,
  openBrowserShop,
  passSecondFactorInPage,
} from '../../testing/browser.ts';
import { javaSkip, validateHtml, type HtmlDocument } from '../../testing/html-checker.ts';
import { BERLIN, deliverMail, fillBasket, placeOrder, signedIn } from '../../testing/factories.ts';

const PASSWORD = 'harbour lantern willow';

test(
  'the staff order page and its confirmation pages pass axe-core and the Nu Html Checker and fit the screen, in both languages',
  { skip: browserSkip || javaSkip },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({
      seed: true,
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' },
    });
    const problems: string[] = [];
    const documents: HtmlDocument[] = [];
    try {
      const customer = await signedIn(h, { name: 'Bea Browser' });
      const paid = await placeOrder(h, customer.b, ['aurora-synth', 'padgrid']);
      await fillBasket(h, customer.b, ['granite-piano']);
      const invoice = (
        await customer.b.api(
          'POST',
          '/api/v1/orders',
          { billingAddress: BERLIN, payment: { method: 'invoice' } },
          { 'idempotency-key': 'console-order-browser-invoice' },
        )
      ).json() as { id: string };

      // A staff member signs up, is made staff and sets up the second factor, in the browser.
      const email = 'stan.staff@example.org';
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${base}/`);
      const created = await page.request.post(`${base}/api/v1/accounts`, {
        data: { name: 'Stan Staff', email, password: PASSWORD },
      });
      assert.ok(created.status() < 300, await created.text());
      await deliverMail(h);
      await page.goto(`${base}${h.mailer.linkTo(email, '/account/verify')}`);
      await h.deps.db.updateTable('users').set({ role: 'staff' }).where('email', '=', email).execute();
      const session = await page.request.post(`${base}/api/v1/sessions`, { data: { email, password: PASSWORD } });
      assert.ok(session.status() < 300, await session.text());
      await passSecondFactorInPage(page, base, h, email);

      const check = async (p: Page, what: string, width: number, html?: string) => {
        const scroll = await p.evaluate(() => document.documentElement.scrollWidth);
        if (scroll > width) problems.push(`${what}: ${scroll}px wide`);
        for (const v of await accessibilityViolations(p)) problems.push(`${what}: axe ${v}`);
        documents.push({ url: what, body: html ?? (await (await p.request.get(p.url())).text()) });
      };

      for (const lang of ['en', 'de'] as const) {
        await page.goto(`${base}/preferences/language?lang=${lang}&back=/`);
        const reject = page.getByRole('button', { name: lang === 'de' ? 'Alle ablehnen' : 'Reject all' });
        if (await reject.count()) {
          await reject.click();
          await reject.waitFor({ state: 'hidden' });
        }
        await page.goto(`${base}/staff/orders/${paid.id}`);
        await page.locator('textarea[name="note"]').fill(lang === 'de' ? 'Kunde angerufen.' : 'Called the customer.');
        await page.locator('form[action$="/notes"] button[type="submit"]').click();
        await page.waitForURL(`${base}/staff/orders/${paid.id}#notes-title`);
        assert.match(
          await page.locator('.notes').innerText(),
          lang === 'de' ? /Kunde angerufen/ : /Called the customer/,
        );
        await check(page, `${lang} paid order with a note`, 1280);

        await page.locator('textarea[name="note"]').fill('x'.repeat(2000));
        await page.locator('textarea[name="note"]').evaluate((el) => {
          (el as HTMLTextAreaElement).removeAttribute('maxlength');
          (el as HTMLTextAreaElement).value += 'y';
        });
        await page.locator('form[action$="/notes"] button[type="submit"]').click();
        await page.waitForLoadState();
        assert.equal(await page.locator('[aria-invalid="true"]').count(), 1);
        await check(page, `${lang} refused note`, 1280, await page.content());

        await page.locator('input[name="qty.0"]').fill('1');
        await page.locator('button[name="scope"][value="lines"]').click();
        await page.waitForURL(/\/refund\?/);
        await check(page, `${lang} refund confirmation`, 1280);

        await page.goto(`${base}/staff/orders/${invoice.id}`);
        await check(page, `${lang} unpaid invoice order`, 1280);
        await page.setViewportSize({ width: 390, height: 844 });
        await check(page, `${lang} unpaid invoice order (phone)`, 390);
        await page.goto(`${base}/staff/orders/${invoice.id}/cancel`);
        await check(page, `${lang} cancel confirmation (phone)`, 390);
        await page.setViewportSize({ width: 1280, height: 900 });
      }

      const errors = validateHtml(documents);
      for (const e of errors) problems.push(`${e.url}: line ${e.line}: ${e.message} (${e.extract})`);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  },
);
