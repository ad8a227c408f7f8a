// The customer console in Chromium at 390 and 1280 px, in English and German: a customer is found by the serial
// number of their hardware through the plain search form, their page opens from the list; both pages fit the window
// and axe finds no violations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessibilityViolations, browserSkip, openBrowserShop, sessionCookies } from '../../testing/browser.ts';
import { placeOrder, productId, signedIn, staffMember } from '../../testing/factories.ts';

test(
  'staff find a customer by serial number and open their page, on a phone and a desktop, in both languages',
  {
    skip: browserSkip,
  },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({ seed: true });
    try {
      const customer = await signedIn(h, { name: 'Bruno Browser', email: 'bruno.browser@example.org' });
      await placeOrder(h, customer.b, ['padgrid', 'prism-eq']);
      const reg = await customer.b.api('POST', '/api/v1/registrations', {
        productId: await productId(h, 'padgrid'),
        serial: 'TF-2026-BR0WSE',
      });
      assert.equal(reg.statusCode, 201, reg.body);
      const staff = await staffMember(h, { email: 'sina.staff@example.org' });
      // The staff member's session (signed in as the factories do) moves into the browser.
      const cookies = sessionCookies(staff.b);
      for (const viewport of [
        { width: 390, height: 844 },
        { width: 1280, height: 900 },
      ]) {
        const context = await browser.newContext({ viewport, isMobile: viewport.width < 400, bypassCSP: true });
        await context.addCookies(cookies);
        const page = await context.newPage();
        // The visitor's consent is asked once, on a page of the shop; answered, the banner covers nothing.
        await page.goto(`${base}/shop`);
        const banner = page.locator('#consent-banner');
        if (await banner.count()) {
          await banner.getByRole('button', { name: 'Reject all', exact: true }).click();
          await page.waitForLoadState('load');
        }
        for (const lang of ['en', 'de'] as const) {
          const where = `${lang} ${viewport.width}px`;
          await page.setExtraHTTPHeaders({ 'accept-language': lang });
          await page.goto(`${base}/staff/customers`);
          await page
            .getByRole('searchbox', { name: lang === 'en' ? 'Search customers' : 'Kunden suchen' })
            .fill('tf-2026-br0wse');
          await page
            .getByRole('search', { name: lang === 'en' ? 'Search customers' : 'Kunden suchen' })
            .getByRole('button')
            .click();
          await page.waitForURL(/q=tf-2026-br0wse/);
          const link = page.getByRole('link', { name: 'Bruno Browser' });
          assert.equal(await link.count(), 1, where);
          assert.deepEqual(await accessibilityViolations(page), [], `${where} list`);
          assert.ok(
            (await page.evaluate(() => document.documentElement.scrollWidth)) <= viewport.width,
            `${where}: the list fits`,
          );
          await link.click();
          await page.waitForURL(`${base}/staff/customers/${customer.id}`);
          assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Bruno Browser');
          assert.ok(
            await page
              .getByRole('heading', { name: lang === 'en' ? 'Registered hardware' : 'Registrierte Hardware' })
              .isVisible(),
            where,
          );
          assert.deepEqual(await accessibilityViolations(page), [], `${where} customer page`);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= viewport.width, `${where}: the customer page is ${width} px wide`);
        }
        await context.close();
      }
    } finally {
      await close();
    }
  },
);
