// The legal pages, the withdrawal function's steps and the staff editor in real Chromium, at phone and desktop size,
// in English and German: no page wider than the viewport, no axe-core violation, and the withdrawal goes through
// without JavaScript-only controls (plain forms and buttons).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  accessibilityViolations,
  browserSkip,
  openBrowserShop,
  passSecondFactorInPage,
} from '../../testing/browser.ts';
import { asRole, deliverMail } from '../../testing/factories.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

test(
  'legal pages, the withdrawal steps and the staff editor fit a phone and pass axe-core in both languages',
  { skip: browserSkip },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({
      seed: true,
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' },
    });
    const problems: string[] = [];
    try {
      const context = await browser.newContext({ viewport: PHONE, bypassCSP: true });
      const page = await context.newPage();
      const post = async (path: string, data: unknown, headers: Record<string, string> = {}) => {
        const res = await page.request.post(`${base}${path}`, { data, headers });
        assert.ok(res.status() < 300, `${path}: ${res.status()} ${await res.text()}`);
        return res.json() as Promise<Record<string, unknown>>;
      };
      await page.goto(`${base}/`);
      await page.getByRole('button', { name: 'Reject all', exact: true }).click();
      const email = 'willa.withdraw@example.org';
      const password = 'quiet harbour lantern';
      await post('/api/v1/accounts', { name: 'Willa Withdraw', email, password });
      await post('/api/v1/sessions', { email, password });
      await deliverMail(h);
      await page.goto(`${base}${h.mailer.linkTo(email, '/account/verify')}`);
      const padgrid = await h.deps.db
        .selectFrom('products')
        .select('id')
        .where('slug', '=', 'padgrid')
        .executeTakeFirstOrThrow();
      await post('/api/v1/basket/items', { productId: padgrid.id, quantity: 1 });
      const billingAddress = {
        name: 'Willa Withdraw',
        street: 'Weg 1',
        postalCode: '10115',
        city: 'Berlin',
        country: 'DE',
      };
      const order = await post(
        '/api/v1/orders',
        { billingAddress, payment: { method: 'wallet' }, consents: { terms: true } },
        { 'idempotency-key': 'legal-browser-1' },
      );
      // A basket with a download and goods: the checkout shows both the terms and the § 356(5) BGB consent.
      const aurora = await h.deps.db
        .selectFrom('products')
        .select('id')
        .where('slug', '=', 'aurora-synth')
        .executeTakeFirstOrThrow();
      await post('/api/v1/basket/items', { productId: aurora.id, quantity: 1 });
      await post('/api/v1/basket/items', { productId: padgrid.id, quantity: 1 });
      // Staff rights for the editor pages (the same account: what matters here is the page).
      await asRole(h, { email }, 'staff');
      await passSecondFactorInPage(page, base, h, email);

      const check = async (what: string, p: Page) => {
        const width = await p.evaluate(() => document.documentElement.scrollWidth);
        const viewport = p.viewportSize()!.width;
        if (width > viewport) problems.push(`${what} is ${width}px wide at ${viewport}px`);
        for (const v of await accessibilityViolations(p)) problems.push(`${what}: ${v}`);
      };
      const pages = [
        '/checkout',
        '/legal/terms',
        '/legal/withdrawal',
        '/legal/shipping-and-payment',
        '/legal/contact',
        '/imprint',
        '/account/withdrawal',
        `/account/orders/${String(order.id)}/withdraw`,
        '/staff/legal',
        '/staff/legal/withdrawal',
        '/staff/legal/terms/versions/1',
      ];
      for (const lang of ['en', 'de'] as const) {
        await page.goto(`${base}/preferences/language?lang=${lang}&back=/`);
        for (const size of [PHONE, DESKTOP]) {
          await page.setViewportSize(size);
          for (const path of pages) {
            const res = await page.goto(`${base}${path}`);
            assert.equal(res?.status(), 200, `${lang} ${path}`);
            await check(`${lang} ${path} at ${size.width}px`, page);
          }
        }
      }

      // The two steps with the page's own controls, at phone size, in German.
      await page.setViewportSize(PHONE);
      await page.goto(`${base}/account/orders/${String(order.id)}`);
      await page.getByRole('link', { name: 'Vertrag widerrufen' }).first().click();
      await page.getByLabel(/PadGrid|Pad/).check();
      await page.getByLabel(/Ihre Erklärung/).fill('Passt nicht auf meinen Tisch.');
      await page.getByRole('button', { name: 'Weiter zur Bestätigung' }).click();
      await check('de withdrawal step 2', page);
      await page.getByRole('button', { name: 'Widerruf bestätigen' }).click();
      await page.waitForURL(/\/account\/withdrawals\//);
      assert.match(await page.locator('main').innerText(), /Widerruf eingegangen/);
      await check('de withdrawal received', page);
      // Staff's list of open withdrawals, with the one just made, in both languages and sizes.
      for (const lang of ['de', 'en'] as const) {
        await page.goto(`${base}/preferences/language?lang=${lang}&back=/`);
        for (const size of [PHONE, DESKTOP]) {
          await page.setViewportSize(size);
          const res = await page.goto(`${base}/staff/withdrawals`);
          assert.equal(res?.status(), 200);
          assert.equal(await page.locator('table.stack tbody tr').count(), 1);
          await check(`${lang} /staff/withdrawals at ${size.width}px`, page);
        }
      }
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  },
);
