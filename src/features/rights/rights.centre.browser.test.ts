// Issue 16, "Done when" 1: the privacy centre in Chromium as a customer, in English and in German: the access
// report, a copy of the data downloaded as a ZIP, a correction, an objection to our statistics, then erasure with the
// password. Afterwards the person cannot sign in, no identifying value of theirs remains in any table or file outside
// the rows the data map keeps, and the confirmation mail arrived at a real SMTP server. Every page passes axe-core at
// desktop and phone size; screenshots land in /tmp/shots-privacy-centre/ for a person to look at.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { listTables } from '../../platform/db/dialect.ts';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import { classifyDataFile, listFilesUnder } from '../../privacy/files.ts';
import { findObjection } from '../../privacy/objections.ts';
import { selectAllRows } from '../../privacy/retention.queries.ts';
import { accessibilityViolations, browserSkip, openBrowserShop, sessionCookies } from '../../testing/browser.ts';
import { signedIn } from '../../testing/factories.ts';
import { Browser, databasesUnderTest, type Harness } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { deliverDueMail } from '../mail/index.ts';
import { runDueRequests } from './rights.engine.ts';
import { runnerOf } from './rights.steps.ts';

const SHOTS = '/tmp/shots-privacy-centre';
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 375, height: 812 },
] as const;

async function checkPage(page: Page, lang: Lang, name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: (document.scrollingElement ?? document.documentElement).scrollWidth,
      innerWidth: window.innerWidth,
    }));
    assert.ok(scrollWidth <= innerWidth, `${lang} ${name} at ${size.width} px scrolls sideways: ${scrollWidth} px`);
    assert.deepEqual(await accessibilityViolations(page), [], `${lang} ${name} at ${size.width} px`);
    await page.screenshot({ path: `${SHOTS}/${lang}-${name}-${size.name}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
}

/** Every table's rows as text, but for those listed. */
async function databaseText(
  h: Harness,
  except: string[],
  keep: (row: Record<string, unknown>) => boolean,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const table of await listTables(h.deps.db, h.deps.dbKind))
    if (!except.includes(table)) out.set(table, JSON.stringify((await selectAllRows(h.deps.db, table)).filter(keep)));
  return out;
}

/** Every file under the data directory but the database file itself (its cells are the rows above). */
function filesText(h: Harness): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of listFilesUnder(h.dataDir))
    if (classifyDataFile(h.deps.dataMap, f).set?.id !== 'platform.database')
      out.set(f, readFileSync(join(h.dataDir, f), 'latin1'));
  return out;
}

const PEOPLE: Record<Lang, { name: string; phone: string; company: string; street: string; city: string }> = {
  en: {
    name: 'Ottilie Centre',
    phone: '+49 30 5550177',
    company: 'Ottilie Sound Ltd',
    street: 'Lindenallee 77',
    city: 'Potsdam',
  },
  de: {
    name: 'Theodor Zentrum',
    phone: '+49 40 5550188',
    company: 'Zentrum Klang GmbH',
    street: 'Birkenweg 88',
    city: 'Lübeck',
  },
};

for (const db of databasesUnderTest)
  test(
    `the privacy centre, walked as a customer in English and German, ends in a clean erasure [${db}]`,
    { skip: browserSkip },
    async () => {
      mkdirSync(SHOTS, { recursive: true });
      const smtp = await new TestSmtpServer().start();
      const { h, base, browser, close } = await openBrowserShop(
        { seed: true, mailer: createSmtpMailer(smtp.url, 'test.example') },
        db,
      );
      const deliver = () =>
        deliverDueMail({
          db: h.deps.db,
          clock: h.clock,
          mailer: h.deps.mailer,
          log: h.deps.log,
          from: 'shop@test.example',
          secret: h.deps.config.secret,
        });
      try {
        let ip = 40;
        for (const lang of ['en', 'de'] as const) {
          const t = (text: Text) => text[lang];
          const who = PEOPLE[lang];
          const account = await signedIn(h, { name: who.name, ip: `198.51.100.${ip++}` });
          await deliver();
          // Details the scan below looks for: phone and company on the profile, a postal address.
          const profile = await account.b.submit('/account/profile', '/account/profile', {
            name: who.name,
            email: account.email,
            company: who.company,
            phone: who.phone,
            currentPassword: account.password,
          });
          assert.equal(profile.statusCode, 200, profile.body);
          const address = await account.b.submit('/account/addresses/new', '/account/addresses', {
            'address.name': who.name,
            'address.street': who.street,
            'address.postalCode': '14467',
            'address.city': who.city,
            'address.country': 'DE',
          });
          assert.ok(address.statusCode < 400, address.body);

          const context = await browser.newContext({
            bypassCSP: true,
            locale: lang === 'de' ? 'de-DE' : 'en-GB',
            extraHTTPHeaders: { 'accept-language': lang },
          });
          await context.addCookies(sessionCookies(account.b));
          const page = await context.newPage();
          page.setDefaultTimeout(15_000);
          await page.goto(`${base}/account/privacy`);
          await page.getByRole('button', { name: t({ en: 'Reject all', de: 'Alle ablehnen' }) }).click();
          await page.waitForLoadState();

          // 1. The access report.
          await page.goto(`${base}/account/privacy`);
          await page.locator('#access').waitFor();
          // The rows sit in closed <details>: their text is in the page, not shown until opened.
          const report = (await page.locator('#access').textContent()) ?? '';
          assert.ok(report.includes(account.email), 'the address is in the report');
          assert.ok(report.includes(who.phone), 'the phone number is in the report');
          assert.ok(report.includes(who.street), 'the address is in the report');
          assert.match(report, lang === 'de' ? /Rechtsgrundlage/ : /Legal basis/);
          assert.match(report, lang === 'de' ? /DSGVO/ : /GDPR/);
          await checkPage(page, lang, 'centre');

          // 2. A copy: the request runs (in the background, or here), the page refreshes itself, the ZIP downloads.
          await page
            .getByRole('button', { name: t({ en: 'Prepare a copy of my data', de: 'Kopie meiner Daten erstellen' }) })
            .click();
          await page.waitForURL(/notice=export/);
          await runDueRequests(runnerOf(h.deps));
          const link = page.locator('a[href^="/account/privacy/exports/"]');
          for (let i = 0; i < 40 && (await link.count()) === 0; i++) {
            await page.waitForTimeout(250);
            await page.goto(`${base}/account/privacy#portability`);
          }
          assert.equal(await link.count(), 1, 'the download link shows');
          const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
          const zip = readFileSync((await download.path())!);
          assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK', 'a ZIP file');
          await checkPage(page, lang, 'centre-export-ready');

          // 3. A correction of an issued invoice goes to staff.
          await page.goto(`${base}/account/privacy#rectification`);
          await page.locator('#f-field').selectOption('invoices');
          await page
            .locator('#f-message')
            .fill(lang === 'de' ? 'Die Firma heißt anders' : 'The company name is different');
          await page
            .getByRole('button', { name: t({ en: 'Ask for a correction', de: 'Berichtigung beantragen' }) })
            .click();
          await page.waitForURL(/notice=correction/);
          await page.locator('p.notice[role="status"]').waitFor();
          const correction = await h.deps.db
            .selectFrom('privacy_requests')
            .selectAll()
            .where('subject', '=', account.id)
            .where('kind', '=', 'rectification')
            .executeTakeFirst();
          assert.equal(correction?.state, 'received');

          // 4. An objection to our statistics, on its page, from the centre.
          await page.locator('li[data-activity="analytics.counting"] a').click();
          await page.waitForURL(/\/privacy\/analytics/);
          await page
            .getByRole('button', {
              name: t({ en: 'Do not count this browser (object)', de: 'Diesen Browser nicht zählen (widersprechen)' }),
            })
            .click();
          await page.waitForURL(/saved=out/);
          assert.ok(
            await findObjection(h.deps.db, account.id, 'analytics.counting', 'objection'),
            'objection recorded',
          );
          await page.goto(`${base}/account/privacy#objection`);
          assert.equal(
            await page.locator('li[data-activity="analytics.counting"]').getAttribute('data-objected'),
            'yes',
          );

          // 5. Erasure: the page lists what is kept; a wrong password first, then the right one.
          await page.goto(`${base}/account/privacy/erasure`);
          await checkPage(page, lang, 'erasure');
          await page.locator('#f-password').fill('not the password');
          await page
            .getByRole('button', {
              name: t({ en: 'Erase my account and data now', de: 'Mein Konto und meine Daten jetzt löschen' }),
            })
            .click();
          await page.locator('#error-summary').waitFor();
          await checkPage(page, lang, 'erasure-wrong-password');
          assert.ok(await h.deps.db.selectFrom('users').select('id').where('id', '=', account.id).executeTakeFirst());
          await page.locator('#f-password').fill(account.password);
          await page
            .getByRole('button', {
              name: t({ en: 'Erase my account and data now', de: 'Mein Konto und meine Daten jetzt löschen' }),
            })
            .click();
          await page.waitForURL(/\/privacy\/erased/);
          assert.match(
            await page.locator('h1').innerText(),
            lang === 'de' ? /Ihr Konto ist gelöscht/ : /Your account is erased/,
          );
          await checkPage(page, lang, 'erased');
          await context.close();

          // Afterwards: no sign-in, the confirmation mail arrived, and nothing identifying is left outside the kept rows.
          const again = await new Browser(h.app, `198.51.100.${ip++}`).api('POST', '/api/v1/sessions', {
            email: account.email,
            password: account.password,
          });
          assert.ok(again.statusCode >= 400 && again.statusCode < 500, `sign-in refused (${again.statusCode})`);
          await deliver();
          const confirmations = smtp.received.filter((m) => m.envelopeTo.includes(account.email));
          assert.ok(
            confirmations.some((m) => /eras|lösch/i.test(`${m.parsed.subject ?? ''} ${m.parsed.text ?? ''}`)),
            `the erasure confirmation arrived (${confirmations.map((m) => m.parsed.subject).join(' | ')})`,
          );
          const kept = h.deps.dataMap.tables
            .filter((x) => x.erasure?.action === 'keep' || x.erasure?.action === 'delete-unless-kept')
            .map((x) => x.table);
          const requestIps = (await listTables(h.deps.db, h.deps.dbKind)).filter((x) => x.startsWith('usage_ip_d'));
          // The confirmation itself is the one mail sent after the erasure: its outbox row and the record that it
          // passed the mail relay stay for the mail's own period (30 days, data map), as every sent mail does.
          const confirmation = await h.deps.db
            .selectFrom('outbox')
            .select(['id', 'subject', 'sent_at'])
            .where('recipient', '=', account.email)
            .execute();
          assert.equal(confirmation.length, 1, 'only the confirmation is left in the outbox');
          assert.notEqual(confirmation[0]!.sent_at, null);
          const confirmationId = confirmation[0]!.id;
          const rows = await databaseText(h, [...kept, ...requestIps], (row) => row.id !== confirmationId);
          const files = filesText(h);
          const leaks: string[] = [];
          for (const value of [account.email, who.name, who.phone, who.company, who.street]) {
            for (const [table, text] of rows) if (text.includes(value)) leaks.push(`"${value}" in table ${table}`);
            for (const [file, text] of files) if (text.includes(value)) leaks.push(`"${value}" in file ${file}`);
          }
          assert.deepEqual(leaks, [], 'no identifying value outside the kept rows');
        }
      } finally {
        await close();
        await smtp.stop();
      }
    },
  );
