// Support in Chromium (issue 14): a customer saves a system profile and opens a request with it attached; staff find
// it in the queue, see the profile beside the thread and answer; the answer reaches the customer over real SMTP with
// a Reply-To carrying the reply token; the customer answers by mail to the inbound SMTP listener (the worker's leader
// service); the customer's thread shows all three messages. Every support page passes axe-core in English and German
// and fits a 390 px phone without scrolling sideways; screenshots at 1280 and 390 px go to /tmp/shots14/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { it } from 'node:test';
import nodemailer from 'nodemailer';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import type { Lang } from '../../platform/i18n.ts';
import { buildWorker, deliverDueMail } from '../../testing/app.ts';
import {
  accessibilityViolations,
  browserSkip,
  freePort,
  openBrowserShop,
  sessionCookies,
} from '../../testing/browser.ts';
import { productId, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { describeEachDatabase } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';

const SHOTS = '/tmp/shots14';
const SUPPORT = 'support@shop.test';
const SERIAL = 'TF-2026-SUPBRW';
const SIZES = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** The account's session cookies (signed in as the factories do), for a browser context. */

/** A context signed in as the account, the privacy banner answered ("Reject all") on a first page. */
async function contextOf(browser: Browser, base: string, account: Account): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: SIZES[0], bypassCSP: true });
  await context.addCookies(sessionCookies(account.b));
  const page = await context.newPage();
  await page.goto(`${base}/account`);
  const banner = page.locator('#consent-banner');
  if (await banner.count()) {
    await banner.getByRole('button', { name: 'Reject all', exact: true }).click();
    await page.waitForLoadState('load');
  }
  await page.close();
  return context;
}

/** At both sizes: no sideways scrolling, no axe violation, and a full-page screenshot; problems are collected. */
async function checkPage(page: Page, lang: Lang, name: string, problems: string[]): Promise<void> {
  // The shop's CSP (style-src 'self') drops style attributes; these contexts bypass it for axe-core only. Counted
  // before axe-core runs (it leaves style attributes behind).
  const styled = await page.locator('main [style], main style').count();
  if (styled > 0) problems.push(`${lang} ${name}: ${styled} inline styles, which the CSP blocks`);
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    const where = `${lang} ${name} at ${size.width} px`;
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: (document.scrollingElement ?? document.documentElement).scrollWidth,
      innerWidth: window.innerWidth,
    }));
    if (scrollWidth > innerWidth) problems.push(`${where} scrolls sideways: ${scrollWidth} px`);
    for (const v of await accessibilityViolations(page)) problems.push(`${where}: ${v}`);
    await page.screenshot({ path: `${SHOTS}/${lang}-${name}-${size.name}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
}

async function open(page: Page, url: string, lang: Lang): Promise<void> {
  const res = await page.goto(url);
  assert.equal(res?.status(), 200, `${lang} ${url}`);
  assert.equal(await page.locator('html').getAttribute('lang'), lang, url);
}

describeEachDatabase('support in the browser', (db) => {
  it(
    'a customer’s request with the system profile, answered by staff, replied to by mail; every support page checked',
    { skip: browserSkip },
    async () => {
      mkdirSync(SHOTS, { recursive: true });
      const smtp = await new TestSmtpServer().start();
      const inboundPort = await freePort();
      const { h, base, browser, close } = await openBrowserShop(
        {
          seed: true,
          env: {
            INBOUND_SMTP_PORT: String(inboundPort),
            INBOUND_SMTP_HOST: '127.0.0.1',
            SUPPORT_ADDRESS: SUPPORT,
            RATE_LIMIT_AUTH_PER_MINUTE: '1000',
          },
          mailer: createSmtpMailer(smtp.url, 'shop.test'),
        },
        db,
      );
      const worker = buildWorker(h.deps);
      const problems: string[] = [];
      try {
        // The people first: their verification mail goes to the harness's recording mailer, not to the SMTP server.
        const email = 'carla.customer@example.org';
        const customer = await signedIn(h, { name: 'Carla Customer', email });
        const reg = await customer.b.api('POST', '/api/v1/registrations', {
          productId: await productId(h, 'keystep-49'),
          serial: SERIAL,
        });
        assert.equal(reg.statusCode, 201, reg.body);
        const staff = await staffMember(h, { name: 'Stefan Staff', email: 'stefan.staff@example.org' });
        // The worker's first tick takes the lease and starts the inbound SMTP listener.
        await worker.tick();

        const mine = await contextOf(browser, base, customer);
        const desk = await contextOf(browser, base, staff);
        const page = await mine.newPage();
        const staffPage = await desk.newPage();

        // The customer saves a system profile with the registered serial.
        await open(page, `${base}/account/support/profile`, 'en');
        await page.getByLabel('Operating system', { exact: false }).first().fill('macOS');
        await page.getByLabel(/^Operating system version/).fill('14.5');
        await page.getByLabel(/^Host software \(DAW\)/).fill('Ableton Live');
        await page.getByLabel(/^Host software version/).fill('12.0.5');
        await page.getByLabel(/^Audio interface/).fill('Focusrite Scarlett 2i2');
        await page.getByLabel(/^Versions of our products/).fill('Keystep editor 2.3.0');
        await page.getByLabel(SERIAL).check();
        await Promise.all([
          page.waitForURL(`${base}/account/support/profile?done=saved`),
          page.getByRole('button', { name: 'Save profile' }).click(),
        ]);
        assert.match(await page.locator('main').innerText(), /Saved on/);

        // A new request with the profile attached.
        await open(page, `${base}/account/support/new`, 'en');
        await page.getByLabel(/^Subject/).fill('Keys stop sending notes');
        await page.getByLabel(/^Topic/).selectOption('technical');
        await page.getByLabel(/^Message/).fill('After an hour the keys stop sending MIDI notes.\nA restart helps.');
        await page.getByLabel('Attach my saved system profile').check();
        await Promise.all([
          page.waitForURL(/\/account\/support\/[^/?]+\?sent=1$/),
          page.getByRole('button', { name: 'Send', exact: true }).click(),
        ]);
        const ticketPath = new URL(page.url()).pathname;
        const title = await page.locator('h1').innerText();
        const ref = /^([^:]+):/.exec(title)?.[1];
        assert.ok(ref, title);
        assert.match(await page.locator('main').innerText(), /Ableton Live 12\.0\.5/, 'the attached profile is shown');

        h.clock.advance(5 * 60_000);
        // Staff find it in the queue, open it, see the profile beside the thread, and answer.
        await open(staffPage, `${base}/staff/support`, 'en');
        await Promise.all([
          staffPage.waitForURL(/\/staff\/support\/[^/?]+$/),
          staffPage.getByRole('link', { name: ref, exact: true }).click(),
        ]);
        const aside = staffPage.locator('aside');
        assert.match(await aside.innerText(), /macOS 14\.5[\s\S]*Ableton Live 12\.0\.5[\s\S]*Focusrite Scarlett 2i2/);
        assert.match(await aside.innerText(), new RegExp(SERIAL));
        assert.match(await staffPage.locator('main section').innerText(), /stop sending MIDI notes/);
        await staffPage.getByLabel('Message', { exact: true }).fill('Please update the firmware to 1.4 and try again.');
        await Promise.all([
          staffPage.waitForURL(/notice=answered/),
          staffPage.getByRole('button', { name: 'Send answer' }).click(),
        ]);

        // An internal note, which the customer never sees.
        await staffPage.getByLabel('Internal note', { exact: true }).fill('Known firmware bug, fixed in 1.4.');
        await Promise.all([
          staffPage.waitForURL(/notice=noted/),
          staffPage.getByRole('button', { name: 'Add note' }).click(),
        ]);

        // The answer goes out over real SMTP with the reply token in its Reply-To.
        await deliverDueMail({
          db: h.deps.db,
          clock: h.clock,
          mailer: h.deps.mailer,
          log: h.deps.log,
          from: `Shop <${SUPPORT}>`,
          secret: h.deps.config.secret,
        });
        const answer = smtp.received.filter((m) => m.envelopeTo.includes(email)).at(-1);
        assert.ok(answer, 'the answer reached the customer');
        assert.match(answer.parsed.text ?? '', /update the firmware to 1\.4/);
        const replyTo = answer.parsed.replyTo?.value[0]?.address ?? '';
        assert.match(replyTo, new RegExp(`^support\\+${ref}\\.[A-Za-z0-9_-]{10,}@shop\\.test$`), replyTo);

        h.clock.advance(5 * 60_000);
        // The customer answers by mail, to the Reply-To, through the inbound listener.
        const transport = nodemailer.createTransport({
          host: '127.0.0.1',
          port: inboundPort,
          secure: false,
          ignoreTLS: true,
        });
        try {
          await transport.sendMail({
            from: `Carla Customer <${email}>`,
            to: replyTo,
            subject: `Re: ${answer.parsed.subject ?? ''}`,
            inReplyTo: answer.parsed.messageId,
            text: 'The firmware update fixed it, thank you!\n\n> Please update the firmware to 1.4 and try again.',
          });
        } finally {
          transport.close();
        }

        // The customer's thread shows the whole conversation, in order.
        await open(page, `${base}${ticketPath}`, 'en');
        const thread = await page.locator('ol.thread').innerText();
        const order = [
          /stop sending MIDI notes/.exec(thread)?.index,
          /update the firmware to 1\.4/.exec(thread)?.index,
          /fixed it, thank you/.exec(thread)?.index,
        ];
        assert.ok(
          order.every((i) => i !== undefined),
          `all three messages are shown:\n${thread}`,
        );
        assert.ok(order[0]! < order[1]! && order[1]! < order[2]!, `in order:\n${thread}`);
        assert.equal(await page.locator('ol.thread > li').count(), 3);
        assert.doesNotMatch(thread, /Known firmware bug/, 'the internal note stays inside');

        // A canned reply, so that the list and the insert form show one.
        await open(staffPage, `${base}/staff/support/canned/new`, 'en');
        await staffPage.getByLabel('Title (English)').fill('Firmware update');
        await staffPage.getByLabel('Text (English)').fill('Please update the firmware to the newest version.');
        await staffPage.getByLabel('Title (German)').fill('Firmware-Update');
        await staffPage.getByLabel('Text (German)').fill('Bitte aktualisieren Sie die Firmware.');
        await Promise.all([
          staffPage.waitForURL(`${base}/staff/support/canned`),
          staffPage.getByRole('button', { name: 'Save' }).click(),
        ]);
        const cannedEdit = await staffPage
          .locator('tbody tr', { hasText: 'Firmware update' })
          .getByRole('link', { name: /^Edit/ })
          .getAttribute('href');
        assert.ok(cannedEdit);

        // Every support page, in both languages, at both sizes.
        const guest = await browser.newContext({ viewport: SIZES[0], bypassCSP: true });
        const visitor = await guest.newPage();
        const pages: [Page, string, string][] = [
          [visitor, 'contact', '/contact'],
          [page, 'account-list', '/account/support'],
          [page, 'account-new', '/account/support/new'],
          [page, 'account-thread', ticketPath],
          [page, 'account-profile', '/account/support/profile'],
          [page, 'account-repair', '/account/support/repairs/new'],
          [staffPage, 'staff-queue', '/staff/support'],
          [staffPage, 'staff-ticket', ticketPath.replace('/account/', '/staff/')],
          [staffPage, 'staff-canned', '/staff/support/canned'],
          [staffPage, 'staff-canned-edit', cannedEdit],
        ];
        for (const lang of ['en', 'de'] as const) {
          for (const p of [visitor, page, staffPage]) await p.setExtraHTTPHeaders({ 'accept-language': lang });
          for (const [p, name, path] of pages) {
            await open(p, `${base}${path}`, lang);
            const banner = p.locator('#consent-banner');
            if (await banner.count()) {
              await banner
                .getByRole('button', { name: lang === 'de' ? 'Alle ablehnen' : 'Reject all', exact: true })
                .click();
              await p.waitForLoadState('load');
            }
            await checkPage(p, lang, name, problems);
          }
        }
        await guest.close();
        await mine.close();
        await desk.close();
        assert.deepEqual(problems, []);
      } finally {
        await worker.stop();
        await close();
        await smtp.stop();
      }
    },
  );
});
