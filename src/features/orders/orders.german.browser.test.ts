// Issue 11, the German purchase in real Chromium: a shopper finds a controller and a reverb through the header
// search, checks out in German (both lines with prices, shipping and VAT; the § 312j BGB button; the § 356(5) BGB
// consent required for the software), pays on the provider's page; the confirmation mail, received by a real SMTP
// server, carries the licence key, the invoice PDF, the terms and the withdrawal information; staff ship the
// controller with a tracking number and the customer receives the shipping mail with the tracking link.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import {
  accessibilityViolations,
  browserSkip,
  openBrowserShop,
  passSecondFactorInPage,
} from '../../testing/browser.ts';
import { asRole } from '../../testing/factories.ts';
import { linkIn, type Harness } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { deliverDueMail } from '../mail/index.ts';

const pdftotextMissing = spawnSync('pdftotext', ['-v']).error !== undefined;
const skip =
  browserSkip ||
  (pdftotextMissing && process.env.CI !== 'true'
    ? 'pdftotext is not installed (apt-get install -y poppler-utils)'
    : false);
const PASSWORD = 'harbour lantern willow';

/** The outbox job, as the worker runs it, through the harness's SMTP mailer. */
async function deliverMail(h: Harness): Promise<void> {
  const { db, log, config, mailAttachments, mailer } = h.deps;
  await deliverDueMail({
    db,
    clock: h.clock,
    mailer,
    log,
    from: 'shop@test',
    secret: config.secret,
    attachments: mailAttachments,
  });
}

async function api(page: Page, base: string, path: string, data: unknown): Promise<void> {
  const res = await page.request.post(`${base}${path}`, { data });
  assert.ok(res.status() < 300, `${path}: ${res.status()} ${await res.text()}`);
}

/** A new browser signed in as a confirmed account (staff when asked), its pages in German. */
async function signIn(
  browser: Browser,
  h: Harness,
  smtp: TestSmtpServer,
  base: string,
  email: string,
  staff = false,
): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
  await page.goto(`${base}/preferences/language?lang=de&back=/`);
  await page.getByRole('button', { name: 'Alle ablehnen' }).click();
  await page.getByRole('button', { name: 'Alle ablehnen' }).waitFor({ state: 'hidden' });
  await api(page, base, '/api/v1/accounts', { name: staff ? 'Sven Staff' : 'Greta Kauf', email, password: PASSWORD });
  await deliverMail(h);
  const verification = smtp.received.filter((m) => m.envelopeTo.includes(email)).at(-1);
  assert.ok(verification, `no confirmation mail to ${email}`);
  await page.goto(`${base}${linkIn(verification.parsed.text ?? '', '/account/verify')}`);
  if (staff) await asRole(h, { email }, 'staff');
  await api(page, base, '/api/v1/sessions', { email, password: PASSWORD });
  if (staff) await passSecondFactorInPage(page, base, h, email);
  return page;
}

test(
  'a shopper buys a controller and a plug-in in German; the mail carries key, invoice, terms and withdrawal; the parcel is tracked',
  { skip },
  async () => {
    const smtp = await new TestSmtpServer().start();
    const { h, base, browser, close } = await openBrowserShop({
      seed: true,
      mailer: createSmtpMailer(smtp.url, 'test.example'),
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' },
    });
    const mailTo = (email: string, subject: RegExp) =>
      smtp.received.find((m) => m.envelopeTo.includes(email) && subject.test(m.parsed.subject ?? ''));
    try {
      const shopper = await signIn(browser, h, smtp, base, 'greta.kauf@example.org');

      // Found as the shopper typed them: run together, and in the plural.
      for (const [query, title] of [
        ['keystep49', 'Keystep 49 Controller'],
        ['reverbs', 'Driftwood Reverb'],
      ] as const) {
        await shopper.getByRole('searchbox', { name: 'Produkte suchen' }).fill(query);
        await shopper.getByRole('button', { name: 'Suchen', exact: true }).click();
        await shopper.getByRole('link', { name: title, exact: true }).first().click();
        await shopper.getByRole('button', { name: 'In den Warenkorb' }).click();
        await shopper.getByRole('status').filter({ hasText: title }).waitFor();
      }

      await shopper.goto(`${base}/basket`);
      await shopper.getByRole('link', { name: 'Zur Kasse' }).first().click();
      await shopper.waitForURL(`${base}/checkout`);
      const lines = await shopper.locator('main table').first().innerText();
      assert.match(lines, /Keystep 49 Controller[\s\S]*299,00\s€/);
      assert.match(lines, /Driftwood Reverb[\s\S]*€/);
      assert.match(lines, /Versand\s+kostenlos/);
      assert.match(lines, /Enthaltene MwSt\. \(19\s?%, Deutschland\)/);
      const billing = shopper.getByRole('group', { name: 'Rechnungsadresse' });
      await billing.getByLabel('Name').fill('Greta Kauf');
      await billing.getByLabel('Straße und Hausnummer').fill('Kaufweg 3');
      await billing.getByLabel('Postleitzahl').fill('10115');
      await billing.getByLabel('Ort').fill('Berlin');
      await billing.getByLabel('Land').selectOption({ label: 'Deutschland' });
      await shopper.getByLabel('Kreditkarte').check();
      await shopper.locator('#f-acceptTerms').check();
      const button = shopper.getByRole('button', { name: 'Zahlungspflichtig bestellen' });
      assert.equal(await button.count(), 1, 'the order button reads as § 312j(3) BGB requires');

      // The software line needs the § 356(5) BGB consent: without it nothing is ordered.
      await button.click();
      await shopper.waitForLoadState();
      assert.equal(new URL(shopper.url()).pathname, '/checkout');
      assert.match(await shopper.locator('.error-summary').innerText(), /Digitale Inhalte/);
      assert.match(await shopper.locator('#digital-consent-items').innerText(), /Driftwood Reverb/);
      assert.doesNotMatch(await shopper.locator('#digital-consent-items').innerText(), /Keystep/);
      assert.equal(
        (await h.deps.db.selectFrom('orders').select('id').execute()).length,
        0,
        'a checkout without the consent placed no order',
      );
      assert.equal(await shopper.getByLabel('Straße und Hausnummer').first().inputValue(), 'Kaufweg 3');
      assert.deepEqual(await accessibilityViolations(shopper), [], 'checkout with errors');
      await shopper.locator('#f-acceptTerms').check();
      await shopper.locator('#f-digitalConsent').check();
      await shopper.getByRole('button', { name: 'Zahlungspflichtig bestellen' }).click();

      await shopper.waitForURL(/\/test-payments\/pay\/[A-Za-z0-9_-]+$/);
      await shopper.getByLabel('Kartennummer').fill('4242 4242 4242 4242');
      await shopper.getByLabel('Ablaufmonat (MM)').fill('12');
      await shopper.getByLabel('Ablaufjahr (JJJJ)').fill('2030');
      await shopper.getByLabel('Prüfnummer').fill('123');
      await shopper.getByRole('button', { name: 'Bezahlen', exact: true }).click();
      await shopper.waitForURL(/\/account\/orders\/[0-9a-f-]+\?placed=1$/);
      assert.match(await shopper.locator('main').innerText(), /Vielen Dank! Ihre Bestellung ist aufgegeben/);
      const orderId = /\/account\/orders\/([0-9a-f-]+)/.exec(shopper.url())![1]!;
      const licenceKey = (await shopper.locator('code.licence-key').first().innerText()).trim();
      assert.match(licenceKey, /^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);

      // The confirmation, as the customer's mail server received it.
      await deliverMail(h);
      const confirmation = mailTo('greta.kauf@example.org', /^Bestellbestätigung/);
      assert.ok(confirmation, 'the confirmation mail arrived');
      const text = confirmation.parsed.text ?? '';
      assert.ok(text.includes(licenceKey), 'the licence key is in the mail');
      assert.match(text, /Keystep 49 Controller/);
      assert.match(text, /Allgemeine Geschäftsbedingungen|AGB/);
      assert.match(text, /Widerrufsbelehrung/);
      assert.match(text, /Muster-Widerrufsformular/);
      assert.match(String(confirmation.parsed.html), /<html lang="de"/);
      const pdf = confirmation.parsed.attachments.find((a) => a.contentType === 'application/pdf');
      assert.ok(pdf, 'the invoice PDF is attached');
      const pdfFile = join(h.dataDir, 'bestellung.pdf');
      writeFileSync(pdfFile, pdf.content);
      const invoice = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
      assert.match(invoice, /Rechnung/);
      assert.match(invoice, /Keystep 49 Controller/);
      assert.match(invoice, /Greta Kauf/);

      // Staff ship the controller with its tracking number and serial number.
      const staff = await signIn(browser, h, smtp, base, 'sven.staff@example.org', true);
      await staff.goto(`${base}/staff/orders/${orderId}`);
      await staff.getByLabel('Versanddienstleister').selectOption({ index: 1 });
      await staff.getByLabel('Sendungsnummer').fill('00340434161234567890');
      await staff
        .locator('form[action$="/ship"]')
        .getByLabel(/Keystep 49/)
        .fill('TF-2026-GER001');
      await staff.getByRole('button', { name: 'Als versandt markieren und Kunden benachrichtigen' }).click();
      await staff.waitForURL(`${base}/staff/orders/${orderId}`);
      assert.match(await staff.locator('.order-parcel').innerText(), /00340434161234567890/);

      await deliverMail(h);
      const shipped = smtp.received.find(
        (m) =>
          m.envelopeTo.includes('greta.kauf@example.org') && (m.parsed.text ?? '').includes('00340434161234567890'),
      );
      assert.ok(shipped, 'the customer received the shipping mail');
      assert.match(shipped.parsed.subject ?? '', /^Versandbestätigung/);
      assert.match(shipped.parsed.text ?? '', /https?:\/\/\S+00340434161234567890/);

      await shopper.goto(`${base}/account/orders/${orderId}`);
      assert.match(
        await shopper.locator('.order-timeline li[aria-current="step"]').innerText(),
        /Versandt[\s\S]*00340434161234567890/,
      );
    } finally {
      await close();
      await smtp.stop();
    }
  },
);
