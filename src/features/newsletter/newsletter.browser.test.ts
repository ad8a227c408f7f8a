// The newsletter in Chromium, in English and in German, over a real SMTP server: sign up on /newsletter, open the
// confirmation link from the delivered mail (clicked in the mail, as from a webmail), press the button, receive the
// welcome mail with both RFC 8058 headers, follow its visible unsubscribe link, choose and confirm, then see the
// subscription in the account. Every page passes axe-core and fits a 375 px phone without scrolling sideways, at
// 1280 px too; screenshots land in /tmp/shots-newsletter/ for a person to look at.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import type { Page, Response } from 'playwright-core';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import { accessibilityViolations, browserSkip, finishSignInInPage, openBrowserShop } from '../../testing/browser.ts';
import { signedIn } from '../../testing/factories.ts';
import { javaSkip, validateHtml, type HtmlDocument } from '../../testing/html-checker.ts';
import { alterParam } from '../../testing/harness.ts';
import { TestSmtpServer, type ReceivedMail } from '../../testing/smtp.ts';
import { deliverDueMail } from '../mail/index.ts';

const SHOTS = '/tmp/shots-newsletter';
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 375, height: 812 },
] as const;

const say = (lang: Lang, text: Text) => text[lang];

/** The HTML as the server sent it, of each page checked, for the Nu Html Checker at the end. */
const documents: HtmlDocument[] = [];
/** The last document answer of each page (its source; the DOM may have changed since). */
const lastDocument = new WeakMap<Page, Response>();

/** At both sizes: no axe violation, no sideways scrolling on the phone, and a full-page screenshot. */
async function checkPage(page: Page, lang: Lang, name: string): Promise<void> {
  const source = lastDocument.get(page);
  assert.ok(source, `${lang} ${name}: no document`);
  documents.push({ url: `${lang} ${name}: ${source.request().method()} ${source.url()}`, body: await source.text() });
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

test(
  'sign up, confirm, welcome mail, unsubscribe through the page and the account list, in English and German',
  { skip: browserSkip },
  async () => {
    mkdirSync(SHOTS, { recursive: true });
    const smtp = await new TestSmtpServer().start();
    const { h, base, browser, close } = await openBrowserShop({
      seed: true,
      mailer: createSmtpMailer(smtp.url, 'test.example'),
    });
    const deliver = () =>
      deliverDueMail({
        db: h.deps.db,
        clock: h.clock,
        mailer: h.deps.mailer,
        log: h.deps.log,
        from: 'shop@test.example',
        secret: h.deps.config.secret,
      });
    const mailsTo = (email: string): ReceivedMail[] => smtp.received.filter((m) => m.envelopeTo.includes(email));
    const statusOf = async (email: string) =>
      (
        await h.deps.db
          .selectFrom('newsletter_subscriptions')
          .select('status')
          .where('email', '=', email)
          .where('list', '=', 'newsletter')
          .executeTakeFirstOrThrow()
      ).status;
    try {
      for (const lang of ['en', 'de'] as const) {
        const t = (text: Text) => say(lang, text);
        const email = `nora.${lang}@example.org`;
        // The account first (its verification mail goes to the harness's recording mailer, not to the SMTP server).
        const account = await signedIn(h, { name: 'Nora Newsletter', email });
        // bypassCSP only lets the test inject axe-core; the pages themselves run under the strict policy.
        const context = await browser.newContext({
          bypassCSP: true,
          locale: lang,
          extraHTTPHeaders: { 'accept-language': lang },
        });
        const page = await context.newPage();
        const thirdParty: string[] = [];
        page.on('request', (r) => {
          if (r.url().startsWith('http') && !r.url().startsWith(base)) thirdParty.push(r.url());
        });
        // Every page answer of ours, with the headers that mark it sensitive.
        const answers: { url: URL; cache: string; referrer: string }[] = [];
        page.on('response', (r) => {
          if (r.request().resourceType() === 'document' && (r.status() < 300 || r.status() >= 400))
            lastDocument.set(page, r);
          if (r.url().startsWith(base) && r.request().resourceType() === 'document')
            answers.push({
              url: new URL(r.url()),
              cache: r.headers()['cache-control'] ?? '',
              referrer: r.headers()['referrer-policy'] ?? '',
            });
        });

        // The sign-up page; a wrong address first gets a clear message in the page's language.
        assert.equal((await page.goto(`${base}/newsletter`))?.status(), 200);
        assert.equal(await page.locator('h1').innerText(), 'Newsletter');
        // The privacy banner is answered first, as a visitor would, so the screenshots show the pages beneath.
        await page.getByRole('button', { name: t({ en: 'Reject all', de: 'Alle ablehnen' }) }).click();
        await page.waitForURL(`${base}/newsletter`);
        await checkPage(page, lang, '1-signup');
        const emailField = page.getByLabel(t({ en: 'Email address (required)', de: 'E-Mail-Adresse (erforderlich)' }));
        await emailField.fill('not an address');
        await page.getByRole('button', { name: t({ en: 'Subscribe', de: 'Abonnieren' }) }).click();
        await page.waitForLoadState();
        assert.equal(await emailField.getAttribute('aria-invalid'), 'true', `${lang}: the wrong address is marked`);
        assert.match(
          await page.locator('main').innerText(),
          lang === 'de' ? /E-Mail-Adresse/ : /email address/i,
          `${lang}: the error names the field`,
        );
        await checkPage(page, lang, '2-signup-error');

        await emailField.fill(email);
        await page.getByLabel(t({ en: 'Tutorials and tips', de: 'Anleitungen und Tipps' })).check();
        assert.equal(
          await page.getByLabel(t({ en: 'Language of the newsletter', de: 'Sprache des Newsletters' })).inputValue(),
          lang,
          'the language of the page is preselected',
        );
        const [answer] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${base}/newsletter`),
          page.getByRole('button', { name: t({ en: 'Subscribe', de: 'Abonnieren' }) }).click(),
        ]);
        assert.equal(answer.status(), 202);
        assert.equal(
          await page.locator('h1').innerText(),
          t({ en: 'Please check your inbox', de: 'Bitte sehen Sie in Ihr Postfach' }),
        );
        await checkPage(page, lang, '3-signup-received');

        // The confirmation mail, in the chosen language; its link opened from the mail as a reader would.
        await deliver();
        const confirmation = mailsTo(email);
        assert.equal(confirmation.length, 1, `${lang}: one confirmation mail`);
        assert.equal(
          confirmation[0]!.parsed.subject,
          t({
            en: 'Please confirm your newsletter subscription',
            de: 'Bitte bestätigen Sie Ihr Newsletter-Abonnement',
          }),
        );
        await page.setContent(String(confirmation[0]!.parsed.html));
        await Promise.all([
          page.waitForURL(`${base}/newsletter/confirm`),
          page.getByRole('link', { name: t({ en: 'Confirm the subscription', de: 'Abonnement bestätigen' }) }).click(),
        ]);
        assert.equal(await statusOf(email), 'pending', `${lang}: opening the link confirmed`);
        await checkPage(page, lang, '4-confirm');
        await page
          .getByRole('button', { name: t({ en: 'Confirm the subscription', de: 'Abonnement bestätigen' }) })
          .click();
        await page.waitForLoadState();
        assert.equal(
          await page.locator('h1').innerText(),
          t({ en: 'Subscription confirmed', de: 'Abonnement bestätigt' }),
        );
        assert.equal(await statusOf(email), 'confirmed');
        await checkPage(page, lang, '5-confirmed');

        // An altered link: a clear 400 page in the visitor's language, nothing changed.
        const link = /https?:\/\/\S+\/newsletter\/confirm\?\S+/.exec(confirmation[0]!.parsed.text ?? '')?.[0];
        assert.ok(link, 'a confirmation link in the text part');
        const altered = await page.goto(alterParam(link, 't'));
        assert.equal(altered?.status(), 400);
        assert.match(
          await page.locator('main').innerText(),
          lang === 'de' ? /ungültig|nicht gültig/i : /invalid|not valid/i,
        );
        await checkPage(page, lang, '6-confirm-altered');

        // The welcome mail: both List-Unsubscribe headers, and a visible link to the page with the choices.
        await deliver();
        const welcome = mailsTo(email).at(-1)!;
        assert.equal(welcome.parsed.subject, t({ en: 'Welcome to the newsletter', de: 'Willkommen beim Newsletter' }));
        const head = welcome.raw
          .toString('latin1')
          .split('\r\n\r\n')[0]!
          .replace(/\r\n[ \t]+/g, ' ');
        assert.match(head, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
        const oneClick = /^List-Unsubscribe: <([^>]+)>$/m.exec(head)?.[1];
        assert.ok(oneClick, head);
        assert.equal(new URL(oneClick).origin, base);
        assert.equal(new URL(oneClick).pathname, '/newsletter/unsubscribe/one-click');

        await page.setContent(String(welcome.parsed.html));
        await Promise.all([
          page.waitForURL(`${base}/newsletter/unsubscribe`),
          page.getByRole('link', { name: t({ en: 'Unsubscribe', de: 'Newsletter abbestellen' }) }).click(),
        ]);
        assert.equal(await statusOf(email), 'confirmed', `${lang}: following the link unsubscribed`);
        assert.equal(await page.locator('h1').innerText(), t({ en: 'Unsubscribe', de: 'Abbestellen' }));
        await checkPage(page, lang, '7-unsubscribe');
        // English: only this list; German: all marketing mail.
        const all = lang === 'de';
        await page
          .getByLabel(
            all
              ? 'Alle Werbe-E-Mails von uns, einschließlich Produktvorschlägen und Umfrage-Einladungen'
              : 'Only the mailing this link came with (such as the newsletter)',
          )
          .check();
        await page.getByRole('button', { name: t({ en: 'Unsubscribe now', de: 'Jetzt abbestellen' }) }).click();
        await page.waitForLoadState();
        assert.equal(await page.locator('h1').innerText(), t({ en: 'Unsubscribed', de: 'Abbestellt' }));
        assert.match(
          await page.locator('[role="status"]').innerText(),
          all ? /keine Werbe-E-Mails mehr/ : /no more mail of this kind/,
        );
        assert.equal(await statusOf(email), 'unsubscribed');
        await checkPage(page, lang, '8-unsubscribed');

        // The account lists the subscription with its origin and a switch.
        await page.goto(`${base}/account/login`);
        const login = page.locator('form[action="/account/login"]');
        await login.locator('input[name="email"]').fill(email);
        await login.locator('input[name="password"]').fill(account.password);
        await login.locator('button[type="submit"]').click();
        await finishSignInInPage(page, base, email);
        assert.equal((await page.goto(`${base}/account/subscriptions`))?.status(), 200);
        const newsletterRow = page.locator('tbody tr', { hasText: 'Newsletter' });
        assert.match(
          await newsletterRow.innerText(),
          lang === 'de'
            ? /Ihre Anmeldung, per E-Mail bestätigt[\s\S]*aus/
            : /your sign-up, confirmed by mail[\s\S]*off/,
        );
        await checkPage(page, lang, '9-account-subscriptions');
        // The switch turns it on again (a verified account address confirms at once).
        await newsletterRow.getByRole('button').click();
        await page.waitForURL(`${base}/account/subscriptions?done=1`);
        assert.equal(await statusOf(email), 'confirmed');
        await checkPage(page, lang, '10-account-switched');

        assert.deepEqual(thirdParty, [], `${lang}: requests to other sites`);
        // The newsletter's pages and the links with tokens are answered as sensitive: kept by no cache, and a
        // link's token leaves with no referrer.
        const ours = answers.filter((a) => /^\/(newsletter|account\/subscriptions)/.test(a.url.pathname));
        for (const path of ['/newsletter', '/newsletter/confirm', '/newsletter/unsubscribe', '/account/subscriptions'])
          assert.ok(
            ours.some((a) => a.url.pathname === path),
            `${lang}: no answer for ${path}`,
          );
        for (const a of ours) assert.equal(a.cache, 'no-store', `${lang}: ${a.url.pathname}${a.url.search}`);
        const withToken = ours.filter((a) => a.url.searchParams.has('t'));
        assert.ok(withToken.length >= 3, `${lang}: the links with tokens were opened`);
        for (const a of withToken) assert.equal(a.referrer, 'no-referrer', `${lang}: ${a.url.pathname}`);
        await context.close();
      }
    } finally {
      await close();
      await smtp.stop();
    }
    // The newsletter's pages, their answers to a form and the account's list are valid HTML.
    assert.equal(documents.length, 20);
    if (javaSkip) return;
    assert.deepEqual(validateHtml(documents), []);
  },
);
