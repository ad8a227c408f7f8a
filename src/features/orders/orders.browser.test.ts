// A fresh account buys a hardware item and a software product in real Chromium: basket, checkout, the test
// provider's hosted payment page with the test card, confirmation, the order in the account, the invoice PDF,
// the licence key, activation (as the product's client does it) and deactivation in the account.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { accessibilityViolations, browserSkip, openBrowserShop } from '../../testing/browser.ts';
import { deliverDueMail } from '../mail/index.ts';

const pdftotextMissing = spawnSync('pdftotext', ['-v']).error !== undefined;
const skip =
  browserSkip ||
  (pdftotextMissing && process.env.CI !== 'true'
    ? 'pdftotext is not installed (apt-get install -y poppler-utils)'
    : false);

test(
  'a fresh account buys hardware and software with the test card, gets invoice and licence, activates and deactivates',
  { skip },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({ seed: true, mailer: 'file' });
    const deliver = () =>
      deliverDueMail({
        db: h.deps.db,
        clock: h.clock,
        mailer: h.deps.mailer,
        log: h.deps.log,
        from: 'shop@test',
        secret: h.deps.config.secret,
      });
    try {
      const context = await browser.newContext({ bypassCSP: true });
      const page = await context.newPage();

      await page.goto(`${base}/account/register`);
      await page.getByLabel('Name (required)').fill('Bea Buyer');
      await page.getByLabel('Email address (required)').fill('bea@example.org');
      await page.getByLabel('Password (required)').fill('velvet comet harbour');
      await page.getByRole('button', { name: 'Create an account' }).click();
      await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
      await page.goto(`${base}/account/login`);
      await page.getByLabel('Email address (required)').fill('bea@example.org');
      await page.getByLabel('Password (required)').fill('velvet comet harbour');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${base}/account`);
      await deliver();
      const mailDir = join(h.dataDir, 'mail');
      const verification = readdirSync(mailDir)
        .map((f) => readFileSync(join(mailDir, f), 'utf8'))
        .find((m) => m.includes('bea@example.org'))!;
      const link = /http:\/\/127\.0\.0\.1:\d+\/account\/verify\?token=[A-Za-z0-9_-]+/.exec(
        (await simpleParser(verification)).text ?? '',
      )![0];
      await page.goto(link);

      // Basket: a controller and a plug-in, found through the shop.
      await page.goto(`${base}/shop?category=controllers`);
      await page.getByRole('link', { name: 'Keystep 49 Controller' }).click();
      assert.deepEqual(await accessibilityViolations(page), [], 'product page');
      await page.getByRole('button', { name: 'Add to basket' }).click();
      await page.getByRole('status').filter({ hasText: 'was added to your basket' }).waitFor();
      await page.goto(`${base}/basket`);
      await page.goto(`${base}/shop?q=aurora`);
      await page.getByRole('link', { name: 'Aurora Synth', exact: true }).click();
      await page.getByRole('button', { name: 'Add to basket' }).click();
      await page.getByRole('status').filter({ hasText: 'was added to your basket' }).waitFor();
      await page.goto(`${base}/basket`);
      assert.match(await page.locator('.basket-total').innerText(), /€498\.00/);
      assert.deepEqual(await accessibilityViolations(page), [], 'basket');

      await page.getByRole('link', { name: 'Proceed to checkout' }).click();
      await page.waitForURL(`${base}/checkout`);
      assert.deepEqual(await accessibilityViolations(page), [], 'checkout');
      const billing = page.getByRole('group', { name: 'Billing address' });
      await billing.getByLabel('Name').fill('Bea Buyer');
      await billing.getByLabel('Street and number').fill('Kaufweg 3');
      await billing.getByLabel('Postal code').fill('10115');
      await billing.getByLabel('City').fill('Berlin');
      await billing.getByLabel('Country').selectOption('DE');
      await page.getByLabel('Credit card').check();
      assert.match(await page.locator('main').innerText(), /Test mode: no real payment/);
      assert.equal(await page.locator('input[name^="card"]').count(), 0, 'the shop’s checkout has no card field');
      await page.locator('#f-acceptTerms').check();
      if ((await page.locator('#f-digitalConsent').count()) > 0) await page.locator('#f-digitalConsent').check();
      await page.getByRole('button', { name: 'Buy now' }).click();
      // The provider's hosted payment page: the card goes there, never to the shop.
      await page.waitForURL(/\/test-payments\/pay\/[A-Za-z0-9_-]+$/);
      assert.match(await page.locator('main').innerText(), /Test mode: no real payment/);
      assert.deepEqual(await accessibilityViolations(page), [], 'hosted payment page');
      await page.getByLabel('Card number').fill('4242 4242 4242 4242');
      await page.getByLabel('Expiry month (MM)').fill('12');
      await page.getByLabel('Expiry year (YYYY)').fill('2030');
      await page.getByLabel('Security code').fill('123');
      await page.getByRole('button', { name: 'Pay', exact: true }).click();
      await page.waitForURL(/\/account\/orders\/[0-9a-f-]+\?placed=1$/);
      const confirmation = await page.locator('main').innerText();
      assert.match(confirmation, /Thank you! Your order is placed/);
      assert.match(confirmation, /Status: Payment received/);
      const licenceKey = (await page.locator('code.licence-key').innerText()).trim();
      assert.match(licenceKey, /^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);
      const orderUrl = page.url().replace('?placed=1', '');

      await page.goto(`${base}/account/orders`);
      await page.getByRole('link', { name: /^2026-/ }).click();
      await page.waitForURL(orderUrl);
      const invoiceHref = await page.getByRole('link', { name: 'Invoice (PDF)' }).getAttribute('href');
      const invoice = await page.request.get(`${base}${invoiceHref}`);
      assert.equal(invoice.headers()['content-type'], 'application/pdf');
      const pdfFile = join(h.dataDir, 'bought.pdf');
      writeFileSync(pdfFile, await invoice.body());
      const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
      assert.match(text, /Invoice RE-2026-000001/);
      assert.match(text, /Keystep 49 Controller/);
      assert.match(text, /Bea Buyer/);

      // The product activates itself with the key, as its client would.
      const fingerprint = createHash('sha256').update('bea-studio-mac').digest('hex');
      const activation = await page.request.post(`${base}/api/v1/licences/${licenceKey}/activations`, {
        data: { fingerprint },
      });
      assert.equal(activation.status(), 201);
      await page.goto(`${base}/account/products`);
      assert.match(await page.locator('main').innerText(), /1 of 2 activations in use/);
      await page.getByRole('button', { name: 'Deactivate' }).click();
      await page.waitForURL(`${base}/account/products?notice=deactivated`);
      assert.match(await page.locator('main').innerText(), /0 of 2 activations in use/);
      assert.deepEqual(await accessibilityViolations(page), [], 'my products');

      // The confirmation mail names the payment method, never card data.
      await deliver();
      const confirmationMail = readdirSync(mailDir)
        .map((f) => readFileSync(join(mailDir, f), 'utf8'))
        .find((m) => m.includes('Order confirmation'))!;
      const parsed = (await simpleParser(confirmationMail)).text ?? '';
      assert.match(parsed, /Payment method: Credit card/);
      assert.doesNotMatch(parsed.replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, ''), /4242/);
    } finally {
      await close();
    }
  },
);
