// Issue 11, point 1: every shopper's page fits a phone. In real Chromium at 390 × 844 and 1280 × 900, in English
// and German: no page is wider than the viewport, axe-core finds nothing, the consent banner's buttons are on screen
// on a fresh visit and "Reject all" can be tapped; licence keys stay whole and the basket's Remove buttons are
// reachable without scrolling sideways. Screenshots at phone size go to /tmp/phone-shots/ for a person to look at.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Lang } from '../platform/i18n.ts';
import { accessibilityViolations, browserSkip, openBrowserShop } from '../testing/browser.ts';
import { deliverMail } from '../testing/factories.ts';
import type { Harness } from '../testing/harness.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const SHOTS = '/tmp/phone-shots';
const EMAIL = 'pia.phone@example.org';
const PASSWORD = 'lantern orchard pebble';
const reject: Record<Lang, string> = { en: 'Reject all', de: 'Alle ablehnen' };

/** The pages a shopper sees, by name (for messages and screenshot files) and address. */
function shopperPages(orderId: string): [name: string, path: string][] {
  return [
    ['home', '/'],
    ['catalogue', '/shop'],
    ['product', '/shop/keystep-49'],
    ['basket', '/basket'],
    ['checkout', '/checkout'],
    ['order', `/account/orders/${orderId}`],
    ['my-products', '/account/products'],
    ['account', '/account'],
    ['privacy', '/privacy'],
    ['cookies', '/cookies'],
  ];
}

async function api(page: Page, base: string, path: string, data: unknown, headers: Record<string, string> = {}) {
  const res = await page.request.post(`${base}${path}`, { data, headers });
  assert.ok(res.status() < 300, `${path}: ${res.status()} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

async function productIdOf(h: Harness, slug: string): Promise<string> {
  return (await h.deps.db.selectFrom('products').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

/** A fresh visit at phone size: the banner's buttons are on screen, "Reject all" is tapped and the choice kept. */
async function rejectOnFreshVisit(
  browser: Browser,
  base: string,
  lang: Lang,
  problems: string[],
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${base}/preferences/language?lang=${lang}&back=/`);
  const banner = page.locator('#consent-banner');
  await banner.waitFor();
  for (const button of await banner.getByRole('button').all()) {
    const box = await button.boundingBox();
    const name = await button.innerText();
    assert.ok(box, `${lang}: the banner's "${name}" is shown`);
    if (!(box.x >= 0 && box.y >= 0 && box.x + box.width <= PHONE.width && box.y + box.height <= PHONE.height))
      problems.push(`${lang}: the banner's "${name}" lies outside the phone's screen (${JSON.stringify(box)})`);
  }
  await page.screenshot({ path: `${SHOTS}/${lang}-banner.png` });
  const answered = page.waitForResponse((r) => r.url() === `${base}/consent` && r.request().method() === 'POST');
  const loaded = page.waitForEvent('load');
  await banner.getByRole('button', { name: reject[lang], exact: true }).tap();
  await answered;
  await loaded;
  assert.equal(await page.locator('#consent-banner').count(), 0, `${lang}: the banner is gone after "Reject all"`);
  await page.reload();
  assert.equal(await page.locator('#consent-banner').count(), 0, `${lang}: the choice is kept on the next page`);
  await page.goto(`${base}/cookies`);
  assert.match(await page.locator('main').innerText(), lang === 'de' ? /alle abgelehnt/ : /rejected all/);
  await page.close();
  return context;
}

/** The roles Chromium's accessibility tree gives the page's first table: a stacked table must stay a table. */
async function tableRoles(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { ignored: boolean; role?: { value: string }; name?: { value: string } }[];
  };
  await cdp.detach();
  return [...new Set(nodes.filter((n) => !n.ignored).map((n) => n.role?.value ?? ''))].filter((r) =>
    ['table', 'row', 'columnheader', 'rowheader', 'cell'].includes(r),
  );
}

test(
  'every shopper’s page fits a phone and a desktop in both languages, passes axe-core, and the banner can be rejected',
  { skip: browserSkip },
  async () => {
    mkdirSync(SHOTS, { recursive: true });
    const { h, base, browser, close } = await openBrowserShop({
      seed: true,
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' },
    });
    const problems: string[] = [];
    const widths: string[] = [];
    try {
      let orderId = '';
      for (const lang of ['en', 'de'] as const) {
        const context = await rejectOnFreshVisit(browser, base, lang, problems);
        const page = await context.newPage();
        if (lang === 'en') {
          // A verified account that bought a plug-in (a licence key), then three lines in its basket.
          await api(page, base, '/api/v1/accounts', { name: 'Pia Phone', email: EMAIL, password: PASSWORD });
          await api(page, base, '/api/v1/sessions', { email: EMAIL, password: PASSWORD });
          await deliverMail(h);
          await page.goto(`${base}${h.mailer.linkTo(EMAIL, '/account/verify')}`);
          await api(page, base, '/api/v1/basket/items', {
            productId: await productIdOf(h, 'aurora-synth'),
            quantity: 1,
          });
          const order = await api(
            page,
            base,
            '/api/v1/orders',
            {
              billingAddress: {
                name: 'Pia Phone',
                street: 'Handyweg 1',
                postalCode: '10115',
                city: 'Berlin',
                country: 'DE',
              },
              payment: { method: 'wallet' },
            },
            { 'idempotency-key': 'phone-order-1' },
          );
          orderId = String(order.id);
          for (const slug of ['keystep-49', 'tape-loops', 'aurora-synth'])
            await api(page, base, '/api/v1/basket/items', { productId: await productIdOf(h, slug), quantity: 1 });
        } else {
          await api(page, base, '/api/v1/sessions', { email: EMAIL, password: PASSWORD });
        }
        for (const size of [PHONE, DESKTOP]) {
          await page.setViewportSize(size);
          for (const [name, path] of shopperPages(orderId)) {
            const res = await page.goto(`${base}${path}`);
            const what = `${lang} ${name} at ${size.width}px`;
            assert.equal(res?.status(), 200, what);
            assert.equal(await page.locator('html').getAttribute('lang'), lang, what);
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            widths.push(`${what}: ${width}`);
            if (width > size.width) problems.push(`${what} is ${width}px wide`);
            for (const v of await accessibilityViolations(page)) problems.push(`${what}: ${v}`);
            if (name === 'basket') {
              assert.equal(await page.locator('main tbody tr').count(), 3, `${what}: three lines`);
              for (const button of await page.locator('main tbody button').all()) {
                const box = await button.boundingBox();
                if (!box || box.x + box.width > size.width)
                  problems.push(`${what}: "${await button.innerText()}" lies outside the screen`);
              }
            }
            if (size === PHONE) {
              // A compact header: the brand on one line, the links below it, together at most a sixth of the screen.
              const header = (await page.locator('.site-header').boundingBox())!;
              const brand = await page.locator('.brand').evaluate((el) => el.getClientRects().length);
              widths.push(`${what}: header ${Math.round(header.height)}px high`);
              if (brand !== 1 || header.height > PHONE.height / 6)
                problems.push(`${what}: the header is ${Math.round(header.height)}px high (brand on ${brand} lines)`);
            }
            if (size === PHONE && (name === 'basket' || name === 'cookies')) {
              const roles = await tableRoles(page);
              for (const role of ['table', 'row', 'columnheader', 'cell'])
                if (!roles.includes(role))
                  problems.push(`${what}: the stacked table has no ${role} for screen readers`);
            }
            if (name === 'my-products' || name === 'order') {
              // A licence key is on one line: never broken in the middle (its text's line boxes, counted by their top).
              const keys = await page.locator('code.licence-key').all();
              assert.ok(keys.length > 0, `${what}: shows the licence key`);
              for (const key of keys) {
                const lines = await key.evaluate((el) => {
                  const range = document.createRange();
                  range.selectNodeContents(el);
                  return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
                });
                if (lines !== 1) problems.push(`${what}: a licence key is broken over ${lines} lines`);
              }
            }
            if (size === PHONE) {
              await page.screenshot({ path: `${SHOTS}/${lang}-${name}.png`, fullPage: true });
              // The first rows of each wide table as it stacks, for a person to look at.
              const tables = await page.locator('main table').all();
              for (const [i, table] of tables.entries()) {
                const box = (await table.boundingBox())!;
                await page.screenshot({
                  path: `${SHOTS}/${lang}-${name}-table-${i + 1}.png`,
                  fullPage: true,
                  clip: { x: 0, y: box.y, width: size.width, height: Math.min(box.height, 900) },
                });
              }
            }
            if (size === PHONE && name === 'catalogue') {
              // The header's search field is on screen and a search from it finds what the shopper meant.
              const field = page.locator('#site-search-q');
              const box = (await field.boundingBox())!;
              if (box.x < 0 || box.x + box.width > size.width)
                problems.push(`${what}: the header's search field lies outside the screen`);
              await field.fill('reverbs');
              await Promise.all([page.waitForURL(/\/shop\?q=reverbs$/), field.press('Enter')]);
              assert.match(await page.locator('main h2 a').first().innerText(), /Driftwood Reverb/, what);
            }
          }
        }
        await context.close();
      }
      assert.deepEqual(problems, [], `widths measured:\n${widths.join('\n')}`);
    } finally {
      await close();
    }
  },
);
