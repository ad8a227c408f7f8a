// Issue 10's Done-when in real Chromium: an invoice order is declined by the credit check, the customer asks for a
// person to review the decision with their statement, staff sign in and approve, the customer receives the mail
// over real SMTP, follows its link and completes the order on invoice. Pages checked with axe-core, desktop and phone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import {
  accessibilityViolations,
  browserSkip,
  openBrowserShop,
  passSecondFactorInPage,
} from '../../testing/browser.ts';
import { asRole } from '../../testing/factories.ts';
import { Browser as ApiClient } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { deliverDueMail } from '../mail/index.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

/** axe-core at desktop and at phone size. */
async function accessibleAtBothSizes(page: Page, what: string): Promise<void> {
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    assert.deepEqual(await accessibilityViolations(page), [], `${what} at ${size.width}px`);
    // Nothing scrolls sideways: the header's staff links and the footer wrap on a phone.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= size.width, `${what} is ${width}px wide at ${size.width}px`);
  }
  await page.setViewportSize(DESKTOP);
}

async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/account/login`);
  await page.getByLabel('Email address (required)').fill(email);
  await page.getByLabel('Password (required)').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/account`);
}

async function fillBilling(page: Page): Promise<void> {
  const billing = page.getByRole('group', { name: 'Billing address' });
  await billing.getByLabel('Name').fill('Rolf Review');
  await billing.getByLabel('Street and number').fill('Prüfweg 7');
  await billing.getByLabel('Postal code').fill('99999');
  await billing.getByLabel('City').fill('Berlin');
  await billing.getByLabel('Country').selectOption('DE');
  await page.getByLabel('Invoice (payment on account)').check();
  // The terms, and the § 356(5) BGB consent where the basket holds digital content.
  await page.locator('#f-acceptTerms').check();
  if ((await page.locator('#f-digitalConsent').count()) > 0) await page.locator('#f-digitalConsent').check();
}

test(
  'a declined invoice order is reviewed by a person on request, approved, mailed, and then completed on invoice',
  { skip: browserSkip },
  async () => {
    const smtp = await new TestSmtpServer().start();
    const { h, base, browser, close } = await openBrowserShop({
      seed: true,
      mailer: createSmtpMailer(smtp.url, 'test.example'),
    });
    const deliver = () =>
      deliverDueMail({
        db: h.deps.db,
        clock: h.clock,
        mailer: h.deps.mailer,
        log: h.deps.log,
        from: 'shop@test.example',
        secret: h.deps.config.secret,
      });
    try {
      // A staff member (staff accounts are made by an admin; here through the database).
      const staffPassword = 'copper kettle morning';
      await new ApiClient(h.app, '198.51.100.90').api('POST', '/api/v1/accounts', {
        name: 'Stefan Staff',
        email: 'stefan@example.org',
        password: staffPassword,
      });
      await asRole(h, { email: 'stefan@example.org' }, 'staff');

      const page = await (await browser.newContext({ bypassCSP: true })).newPage();
      await page.goto(`${base}/account/register`);
      await page.getByLabel('Name (required)').fill('Rolf Review');
      await page.getByLabel('Email address (required)').fill('rolf@example.org');
      await page.getByLabel('Password (required)').fill('willow granite evening');
      await page.getByRole('button', { name: 'Create an account' }).click();
      await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
      await signIn(page, base, 'rolf@example.org', 'willow granite evening');
      await deliver();
      const verification = smtp.received.find((m) => m.envelopeTo.includes('rolf@example.org'))!;
      await page.goto(
        /http:\/\/127\.0\.0\.1:\d+\/account\/verify\?token=[A-Za-z0-9_-]+/.exec(verification.parsed.text ?? '')![0],
      );

      await page.goto(`${base}/shop/tape-loops`);
      await page.getByRole('button', { name: 'Add to basket' }).click();
      await page.getByRole('status').filter({ hasText: 'was added to your basket' }).waitFor();
      await page.goto(`${base}/basket`);
      await page.goto(`${base}/checkout`);
      await fillBilling(page);
      await page.getByRole('button', { name: 'Buy now' }).click();

      // Declined: another way to pay, or a person to review, hear and reconsider; never the agency's reason.
      const declined = await page.locator('main').innerText();
      assert.match(declined, /We cannot offer payment on invoice for this order\. No order was placed\./);
      assert.doesNotMatch(declined, /address_unknown|could not be verified/);
      await accessibleAtBothSizes(page, 'checkout after a decline');
      await page.getByRole('link', { name: 'Ask for a person to review this decision' }).click();
      await page.waitForURL(`${base}/account/decision-review`);
      assert.match(await page.locator('main').innerText(), /Rolf Review, Prüfweg 7, 99999 Berlin, DE/);
      await accessibleAtBothSizes(page, 'review request page');
      await page.getByLabel(/Your point of view/).fill('I moved recently; my new address is correct.');
      await page.getByRole('button', { name: 'Ask for a review' }).click();
      await page.waitForURL(`${base}/account/decision-review?sent=1`);
      assert.match(await page.locator('main').innerText(), /A person on our staff will review the decision/);
      assert.match(await page.locator('main').innerText(), /waiting for review/);
      await accessibleAtBothSizes(page, 'review request sent');

      // Staff sign in, see the request with the agency's reason and the statement, and approve.
      const staffPage = await (await browser.newContext({ bypassCSP: true })).newPage();
      await signIn(staffPage, base, 'stefan@example.org', staffPassword);
      await passSecondFactorInPage(staffPage, base, h, 'stefan@example.org');
      // The header's one console link leads to the console, whose sidebar lists the credit reviews.
      await staffPage.getByRole('link', { name: 'Console', exact: true }).click();
      await staffPage.waitForURL(`${base}/staff`);
      await staffPage.getByRole('link', { name: 'Credit reviews', exact: true }).click();
      await staffPage.waitForURL(`${base}/staff/credit-reviews`);
      const queue = await staffPage.locator('main').innerText();
      assert.match(queue, /address could not be verified/);
      assert.match(queue, /I moved recently; my new address is correct\./);
      await accessibleAtBothSizes(staffPage, 'staff review queue');
      await staffPage.getByLabel(/Note to the customer/).fill('Your new address is confirmed by your documents.');
      await staffPage.getByRole('button', { name: 'Approve' }).click();
      await staffPage.waitForURL(`${base}/staff/credit-reviews?done=approve`);
      assert.match(await staffPage.locator('main').innerText(), /Approved; the customer is being mailed\./);
      await accessibleAtBothSizes(staffPage, 'staff review queue after a decision');

      // The mail arrives over SMTP; its link leads to the checkout, where the order now goes through on invoice.
      await deliver();
      const mail = smtp.received.find(
        (m) =>
          m.envelopeTo.includes('rolf@example.org') &&
          m.parsed.subject === 'Your review request: you can now pay on account (invoice)',
      );
      assert.ok(mail, 'the outcome mail arrived');
      const text = mail.parsed.text ?? '';
      assert.match(text, /Your new address is confirmed by your documents\./);
      const link = new RegExp(`${base.replace(/[.]/g, '\\.')}/checkout`).exec(text)![0];
      await page.goto(link);
      await fillBilling(page);
      await page.getByRole('button', { name: 'Buy now' }).click();
      await page.waitForURL(/\/account\/orders\/[0-9a-f-]+\?placed=1$/);
      const placed = await page.locator('main').innerText();
      assert.match(placed, /Thank you! Your order is placed/);
      assert.match(placed, /Status: Ordered, payment by invoice open/);
      await page.goto(`${base}/account/decision-review`);
      assert.match(await page.locator('main').innerText(), /approved after review/);
    } finally {
      await close();
      await smtp.stop();
    }
  },
);
