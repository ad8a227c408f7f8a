// The newcomer's path in a real browser (Debian's Chromium through playwright-core): register, read the
// verification mail from the data directory, verify, sign in with "remember me", edit the profile,
// see and revoke sessions, sign out. Needs /usr/bin/chromium (CI installs it).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { accessibilityViolations, browserSkip, openBrowserShop } from '../../testing/browser.ts';
import { deliverDueMail } from '../mail/index.ts';

test(
  'a newcomer registers, verifies by mail, signs in remembered, edits the profile and manages sessions',
  { skip: browserSkip },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({ seed: true, mailer: 'file' });
    try {
      // bypassCSP only lets the test inject axe-core; the pages themselves run under the strict policy.
      const laptop = await browser.newContext({ bypassCSP: true });
      const page = await laptop.newPage();
      const thirdParty: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(base)) thirdParty.push(r.url());
      });

      await page.goto(`${base}/`);
      assert.match(await page.title(), /Tonfabrik/);
      for (const path of ['/', '/account/register', '/account/login', '/privacy', '/cookies']) {
        await page.goto(`${base}${path}`);
        assert.deepEqual(await accessibilityViolations(page), [], path);
      }
      await page.goto(`${base}/`);
      await page.getByRole('link', { name: 'Create account' }).first().click();
      await page.getByLabel('Name (required)').fill('Nina Newcomer');
      await page.getByLabel('Email address (required)').fill('nina@example.org');
      await page.getByLabel('Password (required)').fill('harbour lights at dawn');
      await page.getByLabel('Company (voluntary)').fill('Nina Sounds');
      await page.getByRole('button', { name: 'Create an account' }).click();
      assert.match(await page.locator('main').innerText(), /Check your mail/);
      // Registering does not sign in (issue 8.5); the password does, before the address is confirmed.
      await page.goto(`${base}/account/login`);
      await page.getByLabel('Email address (required)').fill('nina@example.org');
      await page.getByLabel('Password (required)').fill('harbour lights at dawn');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${base}/account`);
      assert.match(await page.locator('main').innerText(), /Please confirm your email address nina@example\.org/);

      // The worker delivers the verification mail into the data directory as an .eml file.
      await deliverDueMail({
        db: h.deps.db,
        clock: h.clock,
        mailer: h.deps.mailer,
        log: h.deps.log,
        from: 'shop@test',
        secret: h.deps.config.secret,
      });
      const mailDir = join(h.dataDir, 'mail');
      const eml = readdirSync(mailDir)
        .map((f) => readFileSync(join(mailDir, f), 'utf8'))
        .find((m) => m.includes('nina@example.org'));
      assert.ok(eml, 'verification mail written to the data directory');
      const text = (await simpleParser(eml)).text ?? '';
      const link = /(http:\/\/127\.0\.0\.1:\d+\/account\/verify\?token=[A-Za-z0-9_-]+)/.exec(text)?.[1];
      assert.ok(link);
      await page.goto(link);
      assert.match(await page.locator('main').innerText(), /your email address is confirmed/);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.goto(`${base}/account`);
      await page.waitForURL(/\/account\/login\?next=%2Faccount/);
      await page.getByLabel('Email address (required)').fill('nina@example.org');
      await page.getByLabel('Password (required)').fill('harbour lights at dawn');
      await page.getByLabel(/Remember me/).check();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${base}/account`);
      const session = (await laptop.cookies()).find((c) => c.name === '__Host-candor_session');
      assert.ok(session && session.expires > Date.now() / 1000 + 80 * 24 * 3600, 'remembered cookie lasts ~90 days');
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Lax');

      await page.getByRole('link', { name: 'Correct my details' }).click();
      await page.getByLabel('Name (required)').fill('Nina N. Newcomer');
      await page.getByRole('button', { name: 'Save' }).click();
      assert.match(await page.locator('main').innerText(), /Your details are saved/);

      // A second device signs in; the first sees it and ends it.
      const phone = await browser.newContext({
        userAgent:
          'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
      });
      const phonePage = await phone.newPage();
      await phonePage.goto(`${base}/account/login`);
      await phonePage.getByLabel('Email address (required)').fill('nina@example.org');
      await phonePage.getByLabel('Password (required)').fill('harbour lights at dawn');
      await phonePage.getByRole('button', { name: 'Sign in' }).click();
      await phonePage.waitForURL(`${base}/account`);

      for (const path of ['/account', '/account/profile', '/account/password']) {
        await page.goto(`${base}${path}`);
        assert.deepEqual(await accessibilityViolations(page), [], path);
      }
      await page.goto(`${base}/account/sessions`);
      assert.deepEqual(await accessibilityViolations(page), [], '/account/sessions');
      const rows = page.locator('tbody tr');
      assert.equal(await rows.count(), 2);
      await page.getByRole('button', { name: /End session on Chrome 126 on Android/ }).click();
      assert.match(await page.locator('main').innerText(), /The session was ended/);
      assert.equal(await page.locator('tbody tr').count(), 1);
      await phonePage.goto(`${base}/account`);
      await phonePage.waitForURL(/\/account\/login/);

      // Language switch without JavaScript-only controls.
      await page.getByRole('link', { name: 'Deutsch' }).click();
      assert.match(await page.locator('h1').innerText(), /Aktive Sitzungen/);

      await page.getByRole('button', { name: 'Abmelden' }).click();
      await page.goto(`${base}/account`);
      await page.waitForURL(/\/account\/login/);
      assert.deepEqual(thirdParty, []);
    } finally {
      await close();
    }
  },
);
