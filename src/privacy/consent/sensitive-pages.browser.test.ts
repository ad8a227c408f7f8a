// Sensitive pages in a real browser (Debian's Chromium): after "accept all", a set-up link opened from a webmail
// lands on a token-free address, loads nothing from another host, and its form works with the SameSite=Strict
// cookie that the browser withholds on the navigation from the other site but sends with our own form.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStaffUser } from '../../testing/app.ts';
import { browserSkip, openBrowserShop } from '../../testing/browser.ts';

test(
  'a set-up link opened from a webmail after accept-all loads no vendor, leaves the address clean and sets the password',
  { skip: browserSkip },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({
      seed: true,
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' },
    });
    try {
      const { link } = await createStaffUser(h.deps, { email: 'sam@example.org', role: 'staff' });
      const token = new URL(link).searchParams.get('token')!;
      const context = await browser.newContext();
      const thirdParty: string[] = [];
      const referrers: string[] = [];
      await context.route(
        (url) => !url.href.startsWith(base),
        (route) => {
          const url = route.request().url();
          if (url.startsWith('http://webmail.test/'))
            return route.fulfill({
              status: 200,
              contentType: 'text/html',
              body: `<!doctype html><title>Mail</title><a id="open" href="${link}">Choose your password</a>`,
            });
          thirdParty.push(url);
          return route.fulfill({ status: 200, contentType: 'text/javascript', body: '' });
        },
      );
      context.on('request', (r) => {
        const referer = r.headers().referer;
        if (referer) referrers.push(referer);
      });
      const page = await context.newPage();
      await page.goto(`${base}/shop`);
      await Promise.all([page.waitForURL(`${base}/shop`), page.getByRole('button', { name: 'Accept all' }).click()]);
      await page.waitForLoadState('networkidle');
      assert.ok(thirdParty.length > 0, 'accept-all is in effect: the shop loads the vendors');
      const loadedOnShop = thirdParty.length;

      await page.goto('http://webmail.test/');
      await Promise.all([page.waitForURL(`${base}/account/password-reset/confirm`), page.locator('#open').click()]);
      await page.waitForLoadState('networkidle');
      assert.ok(!page.url().includes(token), 'the address carries no token');
      assert.equal(await page.locator('script[data-vendor]').count(), 0);
      await page.getByLabel(/New password/).fill('northern lights over fjords');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Save password' }).click()]);
      assert.match(await page.locator('main').innerText(), /Your new password is saved/);
      await page.waitForLoadState('networkidle');
      assert.equal(
        thirdParty.length,
        loadedOnShop,
        `nothing from another host on the way: ${thirdParty.slice(loadedOnShop).join(' ')}`,
      );
      assert.ok(!referrers.some((r) => r.includes(token)), 'no request carried the token as referrer');
      assert.ok(!(await page.evaluate(() => document.referrer)).includes(token));
    } finally {
      await close();
    }
  },
);
