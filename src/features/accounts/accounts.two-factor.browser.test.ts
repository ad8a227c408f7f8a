// The second factor in Chromium: a staff member is sent from /staff to enrolment, reads the key shown as text,
// types the code an authenticator app computes from it, keeps the recovery codes and reaches the staff home;
// later, signing in on a phone in German asks for the code. No axe violations on these pages at either width.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { accessibilityViolations, browserSkip, openBrowserShop } from '../../testing/browser.ts';
import { asRole, nextTotpCode, rememberSecret, signedIn, totpCode } from '../../testing/factories.ts';

async function rejectConsent(page: Page, label: string): Promise<void> {
  const banner = page.locator('#consent-banner');
  if (await banner.count()) {
    await banner.getByRole('button', { name: label, exact: true }).click();
    await page.waitForLoadState('load');
  }
}

test(
  'a staff member enrols a second factor from the key shown as text, then reaches /staff; the next sign-in asks for the code',
  { skip: browserSkip },
  async () => {
    const { h, base, browser, close } = await openBrowserShop({ seed: true });
    try {
      const password = 'granite harbour evening';
      const staff = await signedIn(h, { name: 'Theo Token', email: 'theo.token@example.org', password });
      await asRole(h, { email: staff.email }, 'staff');

      // Desktop, English.
      const desk = await (
        await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })
      ).newPage();
      await desk.goto(`${base}/staff`);
      await desk.waitForURL(`${base}/account/login?next=%2Fstaff`);
      await rejectConsent(desk, 'Reject all');
      await desk.getByLabel('Email address (required)').fill(staff.email);
      await desk.getByLabel('Password (required)').fill(password);
      await desk.getByRole('button', { name: 'Sign in' }).click();
      // No factor yet: the staff home sends to enrolment.
      await desk.waitForURL(`${base}/account/two-factor?next=%2Fstaff`);
      await desk.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
      assert.ok(await desk.getByRole('img', { name: /QR code to scan with your authenticator app/ }).isVisible());
      assert.deepEqual(await accessibilityViolations(desk), [], 'enrolment page');
      const width = await desk.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 1280, `enrolment page ${width} px wide`);

      // As a person with an authenticator app would: the key as text (grouped), the code it gives.
      const shown = await desk.locator('code.totp-secret').innerText();
      assert.match(shown, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
      const secret = shown.replace(/\s/g, '');
      await desk
        .getByLabel('Code from your authenticator app')
        .fill('123456' === totpCode(h, secret) ? '654321' : '123456');
      await desk.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
      assert.match(await desk.locator('main').innerText(), /This code is wrong or was used already/);
      assert.deepEqual(await accessibilityViolations(desk), [], 'enrolment page with an error');
      await desk.getByLabel('Code from your authenticator app').fill(totpCode(h, secret));
      await desk.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
      await desk.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
      assert.equal(await desk.locator('ul.recovery-codes li').count(), 10);
      assert.deepEqual(await accessibilityViolations(desk), [], 'recovery codes page');
      await desk.getByRole('link', { name: 'I have kept the codes: continue' }).click();
      await desk.waitForURL(`${base}/staff`);
      assert.equal((await desk.goto(`${base}/staff`))?.status(), 200);
      rememberSecret(staff.email, secret);

      // Phone, German: the password alone does not sign in; the code step does.
      const phone = await (
        await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, bypassCSP: true })
      ).newPage();
      await phone.goto(`${base}/preferences/language?lang=de&back=/staff`);
      await phone.waitForURL(`${base}/account/login?next=%2Fstaff`);
      await rejectConsent(phone, 'Alle ablehnen');
      await phone.getByLabel('E-Mail-Adresse (Pflichtfeld)').fill(staff.email);
      await phone.getByLabel('Passwort (Pflichtfeld)').fill(password);
      await phone.getByRole('button', { name: 'Anmelden' }).click();
      await phone.getByRole('heading', { name: 'Code eingeben' }).waitFor();
      assert.deepEqual(await accessibilityViolations(phone), [], 'code step (de, phone)');
      const phoneWidth = await phone.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(phoneWidth <= 390, `code step ${phoneWidth} px wide on a 390 px phone`);
      // The code of the enrolment was used: refused, in German.
      await phone.getByLabel('Code aus Ihrer Authenticator-App').fill(totpCode(h, secret));
      await phone.getByRole('button', { name: 'Anmelden' }).click();
      assert.match(await phone.locator('main').innerText(), /Dieser Code ist falsch oder wurde bereits verwendet/);
      await phone.getByLabel('Code aus Ihrer Authenticator-App').fill(await nextTotpCode(h, staff.email));
      await phone.getByRole('button', { name: 'Anmelden' }).click();
      await phone.waitForURL(`${base}/staff`);
      assert.deepEqual(await accessibilityViolations(phone), [], 'staff home (de, phone)');

      // Enrolment on a phone, in German, for a second staff member.
      const other = await signedIn(h, { name: 'Ola Other', email: 'ola.other@example.org', password });
      await asRole(h, { email: other.email }, 'dpo');
      const phone2 = await (
        await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, bypassCSP: true })
      ).newPage();
      await phone2.goto(`${base}/preferences/language?lang=de&back=/account/login`);
      await rejectConsent(phone2, 'Alle ablehnen');
      await phone2.getByLabel('E-Mail-Adresse (Pflichtfeld)').fill(other.email);
      await phone2.getByLabel('Passwort (Pflichtfeld)').fill(password);
      await phone2.getByRole('button', { name: 'Anmelden' }).click();
      await phone2.waitForURL(`${base}/account`);
      await phone2.goto(`${base}/staff`);
      await phone2.getByRole('heading', { name: 'Anmeldung in zwei Schritten einrichten' }).waitFor();
      assert.deepEqual(await accessibilityViolations(phone2), [], 'enrolment (de, phone)');
      const phone2Width = await phone2.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(phone2Width <= 390, `enrolment ${phone2Width} px wide on a 390 px phone`);
    } finally {
      await close();
    }
  },
);
