// Issue 11, points 6 and 8 in real Chromium at phone size (390 × 844): the customer's page of an invoice order (bank
// details, due date), the staff's ship form with its errors and after shipping, and the customer's timeline with
// the tracking link fit the screen, pass axe-core, and their HTML passes the Nu Html Checker; in English and German.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  accessibilityViolations,
  browserSkip,
  openBrowserShop,
  passSecondFactorInPage,
} from '../../testing/browser.ts';
import { javaSkip, validateHtml, type HtmlDocument } from '../../testing/html-checker.ts';
import { asRole, deliverMail } from '../../testing/factories.ts';
import type { Harness } from '../../testing/harness.ts';

const PHONE = { width: 390, height: 844 };
const PASSWORD = 'harbour lantern willow';
const BILLING = { name: 'Tara Track', street: 'Paketweg 7', postalCode: '10115', city: 'Berlin', country: 'DE' };

async function api(page: Page, base: string, path: string, data: unknown, headers: Record<string, string> = {}) {
  const res = await page.request.post(`${base}${path}`, { data, headers });
  assert.ok(res.status() < 300, `${path}: ${res.status()} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

/** A browser context signed in as a new, verified account (staff when asked), at phone size. */
async function signIn(browser: Browser, h: Harness, base: string, email: string, staff = false): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    viewport: PHONE,
    hasTouch: true,
    isMobile: true,
    bypassCSP: true,
  });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await api(page, base, '/api/v1/accounts', { name: staff ? 'Stella Staff' : 'Tara Track', email, password: PASSWORD });
  await deliverMail(h);
  await page.goto(`${base}${h.mailer.linkTo(email, '/account/verify')}`);
  if (staff) await asRole(h, { email }, 'staff');
  await api(page, base, '/api/v1/sessions', { email, password: PASSWORD });
  if (staff) await passSecondFactorInPage(page, base, h, email);
  return page;
}

async function order(page: Page, h: Harness, base: string, method: 'wallet' | 'invoice', key: string) {
  const product = await h.deps.db
    .selectFrom('products')
    .select('id')
    .where('slug', '=', 'padgrid')
    .executeTakeFirstOrThrow();
  await api(page, base, '/api/v1/basket/items', { productId: product.id, quantity: 1 });
  const placed = await api(
    page,
    base,
    '/api/v1/orders',
    { billingAddress: BILLING, payment: { method } },
    {
      'idempotency-key': key,
    },
  );
  return String(placed.id);
}

test(
  'invoice payment, ship form and tracking timeline fit a phone, pass axe-core and the Nu Html Checker, in both languages',
  { skip: browserSkip || javaSkip },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({
      seed: true,
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' },
    });
    const problems: string[] = [];
    const documents: HtmlDocument[] = [];
    try {
      const customer = await signIn(browser, h, base, 'tara.track@example.org');
      const staff = await signIn(browser, h, base, 'stella.staff@example.org', true);
      const invoiceId = await order(customer, h, base, 'invoice', 'browser-invoice-1');
      const walletId = await order(customer, h, base, 'wallet', 'browser-wallet-1');

      /** Checks the page shown now: fits the phone, no axe violation; its served HTML goes to the checker. */
      const check = async (page: Page, what: string, html?: string) => {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > PHONE.width) problems.push(`${what}: ${width}px wide`);
        for (const v of await accessibilityViolations(page)) problems.push(`${what}: axe ${v}`);
        documents.push({ url: what, body: html ?? (await (await page.request.get(page.url())).text()) });
      };

      for (const lang of ['en', 'de'] as const) {
        for (const page of [customer, staff]) await page.goto(`${base}/preferences/language?lang=${lang}&back=/`);
        await customer.goto(`${base}/account/orders/${invoiceId}?placed=1`);
        assert.match(await customer.locator('.invoice-payment').innerText(), /DE36 0000 0000 0000 0000 00/);
        await check(customer, `${lang} invoice order page`);

        await staff.goto(`${base}/staff/orders/${invoiceId}`);
        assert.match(await staff.locator('#reminders-title').innerText(), /Payment reminders|Zahlungserinnerungen/);
        await check(staff, `${lang} staff page of an invoice order`);
      }

      // The ship form sent as it comes (the only carrier chosen): tracking number and serial number say what is
      // missing, in German, as the staff member chose last.
      await staff.goto(`${base}/staff/orders/${walletId}`);
      await staff.getByRole('button', { name: 'Als versandt markieren und Kunden benachrichtigen' }).click();
      await staff.waitForLoadState();
      assert.match(await staff.locator('.error-summary').innerText(), /Bitte korrigieren Sie die markierten Felder/);
      assert.equal(await staff.locator('[aria-invalid="true"]').count(), 2);
      // The served error page itself (a POST answer) goes to the checker as Chromium received it.
      await check(staff, 'de ship form with errors', await staff.content());

      await staff.getByLabel('Versanddienstleister').selectOption('paketbote');
      await staff.getByLabel('Sendungsnummer').fill('00340434161234567890');
      await staff
        .locator('form[action$="/ship"]')
        .getByLabel(/Padgrid/)
        .fill('TF-2026-BRW001');
      await staff.getByRole('button', { name: 'Als versandt markieren und Kunden benachrichtigen' }).click();
      await staff.waitForURL(`${base}/staff/orders/${walletId}`);
      assert.match(await staff.locator('.order-parcel').innerText(), /00340434161234567890/);
      await check(staff, 'de staff page of a shipped order');

      for (const lang of ['de', 'en'] as const) {
        await customer.goto(`${base}/preferences/language?lang=${lang}&back=/`);
        await customer.goto(`${base}/account/orders/${walletId}`);
        const step = customer.locator('.order-timeline li[aria-current="step"]');
        assert.match(await step.innerText(), lang === 'de' ? /Versandt/ : /Shipped/);
        assert.equal(
          await step.getByRole('link').getAttribute('href'),
          'https://paketbote.example/sendungsverfolgung?nr=00340434161234567890',
        );
        await check(customer, `${lang} timeline of a shipped order`);
      }

      const errors = validateHtml(documents);
      for (const e of errors) problems.push(`${e.url}: line ${e.line}: ${e.message} (${e.extract})`);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  },
);
