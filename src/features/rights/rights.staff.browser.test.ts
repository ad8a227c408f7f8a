// The DPO console in Chromium: the list, a request and the disclosures at desktop and phone sizes, in English and
// German, without accessibility violations; the DPO extends a deadline through the form, and a missing reason is
// answered on the page.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { accessibilityViolations, browserSkip, openBrowserShop, sessionCookies } from '../../testing/browser.ts';
import { asRole, signedIn } from '../../testing/factories.ts';
import { deadlineOf } from './rights.model.ts';
import { openRequest } from './rights.service.ts';

/** Screenshots of the console land here for a person to look at. */
const SHOTS = '/tmp/shots-privacy-console';

const reject = { en: 'Reject all', de: 'Alle ablehnen' } as const;

async function answerBanner(page: Page, lang: 'en' | 'de'): Promise<void> {
  const button = page.getByRole('button', { name: reject[lang] });
  if ((await button.count()) > 0 && (await button.first().isVisible())) await button.first().click();
}

test(
  'the DPO console at desktop and phone sizes, in English and German, passes axe; an extension is made in the page',
  { skip: browserSkip },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({});
    try {
      const person = await signedIn(h, { name: 'Berta Browser' });
      const dpo = await asRole(h, await signedIn(h, { name: 'Dora DPO' }), 'dpo');
      const { request } = await openRequest(h.deps, {
        kind: 'rectification',
        userId: person.id,
        email: person.email,
        lang: 'en',
        channel: 'account',
        verified: true,
        detail: { field: 'address', message: 'My street is misspelt' },
      });
      await openRequest(h.deps, {
        kind: 'access',
        userId: null,
        email: 'guest.browser@example.org',
        lang: 'de',
        channel: 'guest',
        verified: true,
      });
      mkdirSync(SHOTS, { recursive: true });
      for (const viewport of [
        { width: 1280, height: 800 },
        { width: 390, height: 844 },
      ]) {
        const context = await browser.newContext({ viewport, isMobile: viewport.width < 500, bypassCSP: true });
        await context.addCookies(sessionCookies(dpo.b).map((c) => ({ ...c, domain: '127.0.0.1' })));
        const page = await context.newPage();
        for (const lang of ['en', 'de'] as const) {
          await page.setExtraHTTPHeaders({ 'accept-language': lang });
          for (const path of [
            '/staff/privacy',
            `/staff/privacy/requests/${request.id}`,
            '/staff/privacy/disclosures',
          ]) {
            const res = await page.goto(`${base}${path}`);
            assert.equal(res?.status(), 200, `${lang} ${path}`);
            await answerBanner(page, lang);
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(width <= viewport.width, `${lang} ${path}: ${width} px wide at ${viewport.width} px`);
            assert.deepEqual(await accessibilityViolations(page), [], `${lang} ${path} at ${viewport.width} px`);
            // For a person to look at (not compared).
            const name = path.split('/').slice(2, 4).join('-');
            await page.screenshot({ path: `${SHOTS}/${lang}-${name}-${viewport.width}.png`, fullPage: true });
          }
        }
        await context.close();
      }

      // In the page: an extension without a reason is answered with the problem; with one, the deadline moves.
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
        bypassCSP: true,
      });
      await context.addCookies(sessionCookies(dpo.b));
      const page = await context.newPage();
      await page.setExtraHTTPHeaders({ 'accept-language': 'en' });
      await page.goto(`${base}/staff/privacy/requests/${request.id}`);
      await answerBanner(page, 'en');
      const form = page.locator(`form[action="/staff/privacy/requests/${request.id}/extend"]`);
      // The browser's own check stops an empty reason; a reason of spaces reaches the server.
      await form.getByLabel('Reason (sent to the person)').fill('   ');
      await form.getByRole('button', { name: 'Extend the deadline' }).click();
      await page.waitForLoadState();
      assert.match(await page.locator('.error-summary').innerText(), /Please correct the marked fields/);
      assert.match(await page.locator('main').innerText(), /Give the reason\./);
      assert.deepEqual(await accessibilityViolations(page), [], 'the refused extension');
      await page
        .locator(`form[action="/staff/privacy/requests/${request.id}/extend"]`)
        .getByLabel('Reason (sent to the person)')
        .fill('Records in three systems');
      await page
        .locator(`form[action="/staff/privacy/requests/${request.id}/extend"]`)
        .getByRole('button', { name: 'Extend the deadline' })
        .click();
      await page.waitForURL(/notice=done/);
      assert.match(await page.locator('main').innerText(), /Deadline extended/);
      assert.deepEqual(await accessibilityViolations(page), [], 'the extended request');
      const row = await h.deps.db
        .selectFrom('privacy_requests')
        .select(['due_at', 'extension_reason'])
        .where('id', '=', request.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [row.due_at, row.extension_reason],
        [deadlineOf(request.received_at, true), 'Records in three systems'],
      );
      await context.close();
    } finally {
      await close();
    }
  },
);
