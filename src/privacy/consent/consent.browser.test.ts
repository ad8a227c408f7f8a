// Consent in a real browser (Debian's Chromium through playwright-core): nothing from a third-party host
// before consent or after "reject all" and withdrawal; consented vendors load under the CSP; GPC keeps
// marketing off; the banner, the settings dialog and the privacy page pass axe-core in both languages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { accessibilityViolations, browserSkip, openBrowserShop } from '../../testing/browser.ts';

interface Watch {
  thirdParty: string[];
  violations: string[];
}

/** Records every request to another host (answering it with an empty script, as there is no network) and every CSP violation. */
async function watch(context: BrowserContext, base: string): Promise<Watch> {
  const w: Watch = { thirdParty: [], violations: [] };
  await context.route(
    (url) => !url.href.startsWith(base),
    (route) => {
      w.thirdParty.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/javascript', body: '' });
    },
  );
  await context.exposeBinding('__cspViolation', (_source, text: string) => void w.violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __cspViolation(t: string): void }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI}`,
      ),
    );
  });
  return w;
}

async function signIn(page: Page, base: string, email: string): Promise<void> {
  await page.request.post(`${base}/api/v1/accounts`, {
    data: { name: 'Ria Reject', email, password: 'saffron harbour kettle' },
  });
  const res = await page.request.post(`${base}/api/v1/sessions`, {
    data: { email, password: 'saffron harbour kettle' },
  });
  assert.equal(res.status(), 201, await res.text());
}

/** Clicks a button of a consent form and waits until the page it redirects to has loaded. */
async function submitAndWait(page: Page, button: Locator, base: string): Promise<void> {
  // Both are listened for before the click: the old page has loaded already, so the next load is the new one.
  const answered = page.waitForResponse((r) => r.url() === `${base}/consent` && r.request().method() === 'POST');
  const loaded = page.waitForEvent('load');
  await button.click();
  await answered;
  await loaded;
}

const vendorTagsIn = (page: Page) =>
  page.locator('script[data-vendor]').evaluateAll((els) => els.map((e) => e.getAttribute('data-vendor')));

test(
  'consent is enforced in the browser: reject, accept, withdraw and GPC; banner, settings and policy are accessible',
  { skip: browserSkip },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({
      seed: true,
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' },
    });
    try {
      const necessary = new Set(h.deps.consent.cookies.filter((c) => c.category === 'necessary').map((c) => c.name));

      // Reject all, then crawl: no third-party request, no cookie outside the necessary category.
      const rejecting = await browser.newContext();
      const r = await watch(rejecting, base);
      const page = await rejecting.newPage();
      await page.goto(`${base}/`);
      // The banner is fixed over the page, out of the flow: it cannot push content when it appears. What the page
      // itself may shift while it loads on a slow machine stays under the "good" CLS threshold.
      const cls = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            let total = 0;
            new PerformanceObserver((list) => {
              for (const entry of list.getEntries()) total += (entry as unknown as { value: number }).value;
            }).observe({ type: 'layout-shift', buffered: true });
            setTimeout(() => resolve(total), 300);
          }),
      );
      assert.ok(cls < 0.1, `cumulative layout shift ${cls}`);
      assert.equal(await page.locator('#consent-banner').evaluate((el) => getComputedStyle(el).position), 'fixed');
      const box = await page.locator('#consent-banner').boundingBox();
      const viewport = page.viewportSize()!;
      assert.ok(
        box && Math.abs(box.y + box.height - viewport.height) < 1,
        'the banner sits at the bottom of the viewport',
      );
      await submitAndWait(page, page.getByRole('button', { name: 'Reject all' }), base);
      await assert.rejects(
        page.getByRole('button', { name: 'Reject all' }).waitFor({ timeout: 300 }),
        'the banner is gone',
      );
      await signIn(page, base, 'ria@example.org');
      for (const path of [
        '/',
        '/shop/aurora-synth',
        '/privacy',
        '/cookies',
        '/account',
        '/account/orders',
        '/account/products',
        '/account/profile',
      ]) {
        const res = await page.goto(`${base}${path}`);
        assert.equal(res?.status(), 200, path);
        assert.deepEqual(await vendorTagsIn(page), [], path);
      }
      assert.deepEqual(r.thirdParty, []);
      assert.deepEqual(
        (await rejecting.cookies()).map((c) => c.name).filter((n) => !necessary.has(n)),
        [],
      );

      // Accept all: the enabled vendors' tags are on the page and the CSP lets them load.
      const accepting = await browser.newContext();
      const a = await watch(accepting, base);
      const pageA = await accepting.newPage();
      await pageA.goto(`${base}/shop`);
      assert.equal(a.thirdParty.length, 0, 'nothing before consent');
      await submitAndWait(pageA, pageA.getByRole('button', { name: 'Accept all' }), base);
      assert.equal(pageA.url(), `${base}/shop`);
      await pageA.waitForLoadState('networkidle');
      const withScripts = h.deps.consent.vendors.filter((v) => v.tag.scripts.length > 0).map((v) => v.template.id);
      assert.deepEqual([...new Set(await vendorTagsIn(pageA))].sort(), withScripts.sort());
      for (const v of h.deps.consent.vendors)
        for (const src of v.tag.scripts) assert.ok(a.thirdParty.includes(src), `loaded ${src}`);
      assert.deepEqual(a.violations, []);
      assert.ok(
        await pageA.evaluate(() => Array.isArray((window as unknown as { dataLayer?: unknown[] }).dataLayer)),
        'Consent Mode and gtag queue set up',
      );

      // Withdrawal: the next page has no vendor tag and loads nothing from elsewhere.
      await pageA.goto(`${base}/cookies`);
      await submitAndWait(pageA, pageA.getByRole('button', { name: 'Withdraw all consent' }), base);
      const loadedBefore = a.thirdParty.length;
      await pageA.goto(`${base}/shop/aurora-synth`);
      assert.deepEqual(await vendorTagsIn(pageA), []);
      assert.equal(a.thirdParty.length, loadedBefore);

      // The settings page: vendor boxes follow their category (off: unticked and disabled), and saving confirms in words.
      await pageA.goto(`${base}/cookies`);
      // Our own statistics are a box of their own: ticking it enables the statistics vendors but ticks none.
      const own = pageA.locator('main input[data-category="statistics"][data-own]');
      const statsVendors = pageA.locator('main input[data-in-category="statistics"]');
      await own.check();
      assert.ok(
        await statsVendors.evaluateAll(
          (els) =>
            els.length > 1 && els.every((e) => !(e as HTMLInputElement).checked && !(e as HTMLInputElement).disabled),
        ),
      );
      await statsVendors.first().check();
      await statsVendors.first().uncheck();
      assert.equal(await own.isChecked(), true, 'unticking every vendor leaves our own statistics on');
      await own.uncheck();
      // A category of vendors alone: its box ticks them all, and unticking the last switches it off.
      const stats = pageA.locator('main input[data-in-category="marketing"]');
      const category = pageA.locator('main input[data-category="marketing"]');
      assert.deepEqual(
        await stats.evaluateAll((els) =>
          els.map((e) => [(e as HTMLInputElement).checked, (e as HTMLInputElement).disabled]),
        ),
        (await stats.all()).map(() => [false, true]),
      );
      await category.check();
      assert.ok(
        await stats.evaluateAll(
          (els) =>
            els.length > 1 && els.every((e) => (e as HTMLInputElement).checked && !(e as HTMLInputElement).disabled),
        ),
      );
      for (const box of await stats.all()) await box.uncheck();
      assert.equal(await category.isChecked(), false, 'the last vendor unticked switches the category off');
      assert.equal(await stats.first().isDisabled(), true);
      await category.check();
      const [kept, ...dropped] = await stats.all();
      for (const box of dropped) await box.uncheck();
      const keptName = (await pageA.locator(`label[for="${await kept!.getAttribute('id')}"]`).innerText()).trim();
      await submitAndWait(pageA, pageA.locator('main').getByRole('button', { name: 'Save my choice' }), base);
      assert.match(
        await pageA.locator('main [role="status"].consent-saved').innerText(),
        new RegExp(`^Saved: .*marketing on for ${keptName}[,.]`),
      );
      await pageA.goto(`${base}/cookies`);
      await submitAndWait(pageA, pageA.getByRole('button', { name: 'Withdraw all consent' }), base);

      // Global Privacy Control: no marketing question and no marketing tag, even after "accept all".
      const gpc = await browser.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
      const g = await watch(gpc, base);
      const pageG = await gpc.newPage();
      await pageG.goto(`${base}/`);
      assert.equal(await pageG.locator('#consent-banner').getByText('Global Privacy Control').count(), 1);
      await pageG.locator('[data-open-settings]').click();
      await pageG.locator('#consent-settings[open]').waitFor();
      assert.equal(await pageG.locator('#consent-settings input[value="statistics"]').count(), 1);
      assert.equal(
        await pageG.locator('#consent-settings input[value="marketing"]').count(),
        0,
        'no question about marketing',
      );
      await pageG.keyboard.press('Escape');
      await submitAndWait(pageG, pageG.getByRole('button', { name: 'Accept all' }), base);
      await pageG.waitForLoadState('networkidle');
      const marketing = h.deps.consent.vendors
        .filter((v) => v.template.category === 'marketing')
        .map((v) => v.template.id);
      assert.deepEqual(
        (await vendorTagsIn(pageG)).filter((v) => marketing.includes(v!)),
        [],
      );
      assert.ok(!g.thirdParty.some((u) => /criteo|facebook|doubleclick|googleads/.test(u)), g.thirdParty.join(' '));

      // Accessibility of the banner, the settings dialog (opened from the banner) and the privacy page.
      // bypassCSP only lets the test inject axe-core.
      for (const locale of ['en-GB', 'de-DE']) {
        const axeContext = await browser.newContext({ bypassCSP: true, locale });
        const p = await axeContext.newPage();
        await p.goto(`${base}/`);
        assert.equal(await p.locator('html').getAttribute('lang'), locale.slice(0, 2));
        assert.deepEqual(await accessibilityViolations(p), [], `banner ${locale}`);
        await p.locator('[data-open-settings]').click();
        await p.locator('#consent-settings[open]').waitFor();
        assert.ok(
          await p.evaluate(() => document.getElementById('consent-settings')!.contains(document.activeElement)),
          'focus moves into the dialog',
        );
        assert.deepEqual(await accessibilityViolations(p), [], `settings dialog ${locale}`);
        await p.keyboard.press('Escape');
        assert.ok(!(await p.locator('#consent-settings').evaluate((d) => (d as HTMLDialogElement).open)));
        assert.ok(
          await p.evaluate(() => document.activeElement?.hasAttribute('data-open-settings')),
          'focus returns to the opener',
        );
        await p.goto(`${base}/privacy`);
        assert.deepEqual(await accessibilityViolations(p), [], `privacy ${locale}`);
        await axeContext.close();
      }
    } finally {
      await close();
    }
  },
);
