// "My products" and the staff product page with its downloads section in real Chromium (issue 11, point 7): at
// 390 × 844 and 1280 × 900, in English and German, no page is wider than the screen, axe-core finds nothing, every
// licence key stays on one line; with scripts the copy button copies the key, without them the key is selected
// whole with one click and no button is shown.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

async function post(page: Page, url: string, data: unknown, headers: Record<string, string> = {}) {
  const res = await page.request.post(url, { data, headers });
  assert.ok(res.status() < 300, `${url}: ${res.status()} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

/** Problems of the page as it is: wider than the screen, axe violations, a key broken over lines. */
async function layoutProblems(page: Page, what: string, width: number): Promise<string[]> {
  const problems: string[] = [];
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  if (scroll > width) problems.push(`${what} is ${scroll}px wide`);
  for (const v of await accessibilityViolations(page)) problems.push(`${what}: ${v}`);
  for (const key of await page.locator('code.licence-key').all()) {
    const lines = await key.evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
    if (lines !== 1) problems.push(`${what}: a licence key is broken over ${lines} lines`);
  }
  return problems;
}

test(
  'My products and the staff downloads section fit a phone, pass axe-core, keep keys whole and copy them',
  { skip: browserSkip },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({
      seed: true,
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' },
    });
    const problems: string[] = [];
    try {
      const product = (slug: string) =>
        h.deps.db.selectFrom('products').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
      // A file and a how-to for the bundle's first software, as staff would have uploaded and written them.
      const suite = (await (await fetch(`${base}/api/v1/products/studio-suite`)).json()) as {
        contents: { id: string; kind: string }[];
      };
      const software = suite.contents.find((c) => c.kind === 'software')!.id;
      const fileId = randomUUID();
      mkdirSync(join(h.dataDir, 'downloads', software), { recursive: true });
      writeFileSync(join(h.dataDir, 'downloads', software, fileId), 'PK\u0003\u0004 installer');
      await h.deps.db
        .insertInto('product_files')
        .values({
          id: fileId,
          product_id: software,
          label: 'Installer for macOS and Windows with a long descriptive label',
          version: '3.14.159',
          file_name: 'a-rather-long-installer-file-name-for-macos-and-windows-3.14.159.zip',
          original_name: null,
          content_type: 'application/zip',
          size_bytes: 23,
          sha256: 'ab'.repeat(32),
          created_at: h.clock.now(),
        })
        .execute();
      await h.deps.db
        .insertInto('product_instructions')
        .values({
          product_id: software,
          how_to_en: 'Open the plug-in.\n\nPaste your licence key and choose Activate.',
          how_to_de: 'Öffnen Sie das Plug-in.\n\nFügen Sie Ihren Lizenzschlüssel ein und wählen Sie Aktivieren.',
          updated_at: h.clock.now(),
        })
        .execute();

      const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, bypassCSP: true });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
      const page = await context.newPage();
      const email = 'mika.products@example.org';
      const password = 'harbour violet thunder';
      await post(page, `${base}/api/v1/accounts`, { name: 'Mika Products', email, password });
      await post(page, `${base}/api/v1/sessions`, { email, password });
      await deliverMail(h);
      await page.goto(`${base}${h.mailer.linkTo(email, '/account/verify')}`);
      for (const slug of ['studio-suite', 'prism-eq'])
        await post(page, `${base}/api/v1/basket/items`, { productId: (await product(slug)).id, quantity: 1 });
      await post(
        page,
        `${base}/api/v1/orders`,
        {
          billingAddress: {
            name: 'Mika Products',
            street: 'Weg 1',
            postalCode: '10115',
            city: 'Berlin',
            country: 'DE',
          },
          payment: { method: 'wallet' },
        },
        { 'idempotency-key': 'my-products-browser-1' },
      );
      const licences = (await (await page.request.get(`${base}/api/v1/me/licences`)).json()).items as {
        key: string;
      }[];
      await post(page, `${base}/api/v1/licences/${licences[0]!.key}/activations`, {
        fingerprint: 'c'.repeat(64),
        machineName: 'Studio iMac',
      });

      for (const lang of ['en', 'de'] as const) {
        await page.goto(`${base}/preferences/language?lang=${lang}&back=/account/products`);
        for (const size of [PHONE, DESKTOP]) {
          await page.setViewportSize(size);
          await page.goto(`${base}/account/products`);
          problems.push(...(await layoutProblems(page, `${lang} my products at ${size.width}px`, size.width)));
        }
      }
      await page.setViewportSize(PHONE);
      await page.goto(`${base}/preferences/language?lang=en&back=/account/products`);
      assert.match(await page.locator('main').innerText(), /Studio iMac/);
      // With scripts: a copy button per key, which copies the whole key and says so.
      const firstBox = page.locator('.key-box').first();
      const key = (await firstBox.locator('code').innerText()).trim();
      await firstBox.getByRole('button', { name: 'Copy key' }).tap();
      await firstBox.locator('[role=status]').filter({ hasText: 'Copied.' }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);
      assert.equal(
        await page.locator('.key-box button').count(),
        await page.locator('.key-box').count(),
        'one copy button per key',
      );

      // Without scripts: no button, and one click selects the whole key.
      const noJs = await browser.newContext({
        viewport: PHONE,
        javaScriptEnabled: false,
        storageState: await context.storageState(),
      });
      const plain = await noJs.newPage();
      await plain.goto(`${base}/account/products`);
      assert.equal(await plain.locator('.key-box button').count(), 0);
      assert.equal(
        await plain
          .locator('code.licence-key')
          .first()
          .evaluate((el) => getComputedStyle(el).userSelect),
        'all',
      );
      await noJs.close();
      await context.close();

      // Staff: the product's edit page with its downloads section.
      const staffContext = await browser.newContext({
        viewport: PHONE,
        isMobile: true,
        hasTouch: true,
        bypassCSP: true,
      });
      const staffPage = await staffContext.newPage();
      const staffEmail = 'sami.staff@example.org';
      await post(staffPage, `${base}/api/v1/accounts`, { name: 'Sami Staff', email: staffEmail, password });
      await asRole(h, { email: staffEmail }, 'staff');
      await post(staffPage, `${base}/api/v1/sessions`, { email: staffEmail, password });
      await passSecondFactorInPage(staffPage, base, h, staffEmail);
      for (const lang of ['en', 'de'] as const) {
        await staffPage.goto(`${base}/preferences/language?lang=${lang}&back=/staff/products/${software}`);
        for (const size of [PHONE, DESKTOP]) {
          await staffPage.setViewportSize(size);
          await staffPage.goto(`${base}/staff/products/${software}`);
          assert.equal(await staffPage.locator('#downloads table tbody tr').count(), 1);
          problems.push(...(await layoutProblems(staffPage, `${lang} staff product at ${size.width}px`, size.width)));
        }
      }
      await staffContext.close();
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  },
);
