// The checkout's address part in real Chromium on a phone (390 px), in German: the shipping address appears only
// when "ship to a different address" is ticked (CSS, no JavaScript), the country is chosen by name, errors come in
// one summary whose links reach the fields; the checkout and the address book have no axe violations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessibilityViolations, browserSkip, openBrowserShop } from '../../testing/browser.ts';
import { fillBasket, signedIn } from '../../testing/factories.ts';

test(
  'on a phone, in German: shipping address only when wanted, country by name, every error in one summary, no axe violations',
  { skip: browserSkip },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({ seed: true });
    try {
      const customer = await signedIn(h);
      await fillBasket(h, customer.b, ['keystep-49', 'aurora-synth']);
      const context = await browser.newContext({
        bypassCSP: true,
        viewport: { width: 390, height: 844 },
        locale: 'de-DE',
        extraHTTPHeaders: { 'accept-language': 'de' },
      });
      // The session made through the app, handed to the browser.
      await context.addCookies(
        customer.b
          .cookieHeader()
          .split('; ')
          .map((c) => c.split('=') as [string, string])
          .map(([name, value]) => ({ name, value, domain: '127.0.0.1', path: '/', secure: name.startsWith('__') })),
      );
      const page = await context.newPage();
      await page.goto(`${base}/checkout`);
      assert.deepEqual(await accessibilityViolations(page), [], 'checkout');
      // The customer answers the cookie banner first, as on any first visit: on a phone it covers the lower screen.
      await page.getByRole('button', { name: 'Alle ablehnen' }).click();
      await page.waitForLoadState();
      const shipping = page.getByRole('group', { name: 'Lieferadresse' });
      assert.equal(await shipping.isVisible(), false, 'hidden until wanted');
      await page.getByLabel('An eine andere Adresse liefern').check();
      assert.equal(await shipping.isVisible(), true, 'shown once ticked');
      const billing = page.getByRole('group', { name: 'Rechnungsadresse' });
      assert.equal(await billing.getByLabel('Land').inputValue(), 'DE');
      // The first checkout starts from the account's name.
      assert.notEqual(await billing.getByLabel('Name').inputValue(), '');
      await billing.getByLabel('Name').fill('');
      await billing.getByLabel('Land').selectOption({ label: 'Österreich' });
      await billing.getByLabel('Straße und Hausnummer').fill('Ringstraße 5');
      await page.getByRole('button', { name: 'Zahlungspflichtig bestellen' }).click();
      await page.waitForLoadState();
      // One summary with every problem; its links lead to the fields.
      const summary = page.locator('.error-summary');
      const links = summary.getByRole('link');
      assert.ok((await links.count()) >= 6, await summary.innerText());
      assert.match(await summary.innerText(), /Rechnungsadresse: Name: Bitte ausfüllen\./);
      assert.match(await summary.innerText(), /Lieferadresse: Ort: Bitte ausfüllen\./);
      await summary.getByRole('link', { name: /Rechnungsadresse: Postleitzahl/ }).click();
      assert.equal(await page.evaluate(() => location.hash), '#f-billingAddress-postalCode');
      // What was chosen and typed is kept, and the VAT shown is Austria's.
      assert.equal(await billing.getByLabel('Land').inputValue(), 'AT');
      assert.equal(await billing.getByLabel('Straße und Hausnummer').inputValue(), 'Ringstraße 5');
      assert.equal(await shipping.isVisible(), true);
      assert.match(await page.locator('.lines-vat').innerText(), /20 %, Österreich/);
      assert.deepEqual(await accessibilityViolations(page), [], 'checkout with errors');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `the checkout is ${width} px wide`);
      // The address book: add one, see it listed.
      await page.goto(`${base}/account/addresses/new`);
      assert.deepEqual(await accessibilityViolations(page), [], 'new address');
      await page.getByLabel('Name').fill('Anna Alpen');
      await page.getByLabel('Straße und Hausnummer').fill('Ringstraße 5');
      await page.getByLabel('Postleitzahl').fill('1010');
      await page.getByLabel('Ort').fill('Wien');
      await page.getByLabel('Land').selectOption({ label: 'Österreich' });
      await page.getByRole('button', { name: 'Adresse speichern' }).click();
      await page.waitForURL(`${base}/account/addresses?notice=saved`);
      assert.match(await page.locator('main').innerText(), /1010 Wien\s+Österreich/);
      assert.deepEqual(await accessibilityViolations(page), [], 'address book');
      const bookWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(bookWidth <= 390, `the address book is ${bookWidth} px wide`);
    } finally {
      await close();
    }
  },
);
