// Issue 12, "Done when" (first point), in real Chromium at 1280 px as an admin, once in English and once in German:
// the staff home shows the figures and the revenue chart of seeded orders; orders are found by customer email; two
// orders ship in one bulk action and both customers receive the shipping mail over SMTP; an uploaded image appears
// resized on the shop's card and product page; a customer is found by a serial recorded when shipping; a mail whose
// delivery failed is sent again. axe-core finds no violation on any of these pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import { formatEuro, type Lang } from '../../platform/i18n.ts';
import {
  accessibilityViolations,
  browserSkip,
  finishSignInInPage,
  openBrowserShop,
  type BrowserShop,
} from '../../testing/browser.ts';
import { asRole, placeOrder, productId, signedIn } from '../../testing/factories.ts';
import type { Harness } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { deliverDueMail } from '../mail/index.ts';

const DAY = 24 * 3600 * 1000;
const ORIGINAL = { width: 2000, height: 1500 };

/** What the pages say, in each language (the test reads them as a person would). */
const L = {
  en: {
    rejectAll: 'Reject all',
    email: 'Email address (required)',
    password: 'Password (required)',
    signIn: 'Sign in',
    ordersToday: 'Orders today',
    revenueToday: 'Revenue today',
    orders30: 'Orders, last 30 days',
    revenue30: 'Revenue, last 30 days',
    toShip: 'Orders to ship',
    failedMail: 'Failed mail deliveries',
    revenueChart: 'Revenue per day',
    numbers: 'The numbers per day',
    orderSearch: 'Order number, customer email or name, serial number',
    show: 'Show',
    select: (n: string) => `Select order ${n}`,
    markShipped: 'Mark as shipped …',
    carrier: 'Carrier',
    tracking: 'Tracking number',
    serial: 'Serial number',
    shipAndNotify: 'Mark as shipped and notify the customers',
    shipped: 'Shipped, and the customers notified:',
    customerSearch: 'Search customers',
    search: 'Search',
    altEn: 'Description (English)',
    altDe: 'Description (German)',
    image: 'Image',
    upload: 'Upload image',
    mainImage: 'Main image',
    state: 'State',
    sendAgain: 'Send again',
    queuedAgain: /queued again/,
  },
  de: {
    rejectAll: 'Alle ablehnen',
    email: 'E-Mail-Adresse (Pflichtfeld)',
    password: 'Passwort (Pflichtfeld)',
    signIn: 'Anmelden',
    ordersToday: 'Bestellungen heute',
    revenueToday: 'Umsatz heute',
    orders30: 'Bestellungen, letzte 30 Tage',
    revenue30: 'Umsatz, letzte 30 Tage',
    toShip: 'Zu versendende Bestellungen',
    failedMail: 'Fehlgeschlagene E-Mail-Zustellungen',
    revenueChart: 'Umsatz pro Tag',
    numbers: 'Die Zahlen pro Tag',
    orderSearch: 'Bestellnummer, E-Mail oder Name des Kunden, Seriennummer',
    show: 'Anzeigen',
    select: (n: string) => `Bestellung ${n} auswählen`,
    markShipped: 'Als versandt markieren …',
    carrier: 'Versanddienstleister',
    tracking: 'Sendungsnummer',
    serial: 'Seriennummer',
    shipAndNotify: 'Als versandt markieren und Kunden benachrichtigen',
    shipped: 'Versandt, die Kunden wurden benachrichtigt:',
    customerSearch: 'Kunden suchen',
    search: 'Suchen',
    altEn: 'Beschreibung (Englisch)',
    altDe: 'Beschreibung (Deutsch)',
    image: 'Bild',
    upload: 'Bild hochladen',
    mainImage: 'Hauptbild',
    state: 'Status',
    sendAgain: 'Erneut senden',
    queuedAgain: /wartet wieder auf den Versand/,
  },
} as const;

/** The outbox job as the worker runs it, through the shop's mailer (the real SMTP server here). */
async function deliverOverSmtp(h: Harness): Promise<{ sent: number; failed: number }> {
  const { db, log, config, mailAttachments, mailer } = h.deps;
  return deliverDueMail({
    db,
    clock: h.clock,
    mailer,
    log,
    from: 'shop@test',
    secret: config.secret,
    attachments: mailAttachments,
  });
}

/** Checks the page shown now with axe-core; violations are collected, not thrown, so that every page is seen. */
async function axe(page: Page, what: string, problems: string[]): Promise<void> {
  for (const v of await accessibilityViolations(page)) problems.push(`${what}: ${v}`);
}

/** The value shown on the staff home's tile with this label. */
async function tile(page: Page, label: string): Promise<string> {
  const item = page.locator('ul.figures > li').filter({ has: page.locator('.figure-label', { hasText: label }) });
  assert.equal(await item.count(), 1, `one tile "${label}"`);
  return (await item.locator('.figure-value').innerText()).trim();
}

/** The widths a srcset offers. */
const srcsetWidths = (srcset: string | null): number[] =>
  (srcset ?? '')
    .split(',')
    .map((s) => /\s(\d+)w$/.exec(s.trim())?.[1])
    .filter((w): w is string => w !== undefined)
    .map(Number);

/** An uploaded image as the shop shows it: each offered width below the original, and the served file a smaller WebP. */
async function checkResized(page: Page, shop: BrowserShop, img: ReturnType<Page['locator']>, where: string) {
  await img.scrollIntoViewIfNeeded();
  const widths = srcsetWidths(await img.getAttribute('srcset'));
  assert.ok(widths.length > 0, `${where}: a srcset`);
  for (const w of widths) assert.ok(w < ORIGINAL.width, `${where}: ${w}w offered, narrower than the original`);
  await page.waitForFunction((el) => (el as HTMLImageElement).complete, await img.elementHandle());
  const shown = await img.evaluate((el) => ({
    src: (el as HTMLImageElement).currentSrc,
    natural: (el as HTMLImageElement).naturalWidth,
    width: (el as HTMLImageElement).width,
  }));
  assert.ok(shown.natural > 0 && shown.natural < ORIGINAL.width, `${where}: ${shown.natural} px loaded`);
  assert.ok(shown.width < ORIGINAL.width, `${where}: shown ${shown.width} px wide`);
  const res = await page.request.get(shown.src);
  assert.equal(res.status(), 200, `${where}: ${shown.src}`);
  assert.equal(res.headers()['content-type'], 'image/webp', where);
  const meta = await sharp(await res.body()).metadata();
  assert.equal(meta.format, 'webp', where);
  assert.ok(meta.width! < ORIGINAL.width, `${where}: the served file is ${meta.width} px wide`);
  assert.equal(new URL(shown.src).origin, shop.base, `${where}: served by the shop itself`);
}

for (const lang of ['en', 'de'] as Lang[]) {
  test(
    `an admin works through the console in ${lang === 'en' ? 'English' : 'German'}: figures, orders, bulk shipping, images, customers, mail`,
    { skip: browserSkip },
    async () => {
      const t = L[lang];
      const smtp = await new TestSmtpServer().start();
      const shop = await openBrowserShop({
        seed: true,
        mailer: createSmtpMailer(smtp.url, 'test.example'),
        env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' },
      });
      const { h, base, browser } = shop;
      const problems: string[] = [];
      try {
        // --- Seeded orders: a plug-in days ago (its confirmation mail fails), two controllers today (to ship).
        const anna = await signedIn(h, { name: 'Anna Archer', email: `anna.archer.${lang}@example.org` });
        const oldPlacedAt = h.clock.now();
        const old = await placeOrder(h, anna.b, ['driftwood-reverb']);
        const oldNumber = String(old.number);
        // The mail server refuses the confirmation at every attempt until the worker gives up on it.
        for (let attempt = 1; ; attempt++) {
          assert.ok(attempt <= 12, 'the worker gave up the delivery in time');
          smtp.refuse(1);
          const offered = smtp.offered;
          const { failed } = await deliverOverSmtp(h);
          assert.equal(smtp.offered, offered + 1, 'the one due mail was offered');
          if (failed === 1) break;
          h.clock.advance(DAY);
        }
        assert.equal(smtp.received.filter((m) => m.envelopeTo.includes(anna.email)).length, 0);
        h.clock.advance(DAY);
        const daysBack = Math.round((h.clock.now() - oldPlacedAt) / DAY);
        // Days later, Anna signs in again (her session has ended meanwhile) and buys hardware, as Ben, new here, does.
        const again = await anna.b.api('POST', '/api/v1/sessions', { email: anna.email, password: anna.password });
        assert.equal(again.statusCode, 201, again.body);
        const first = await placeOrder(h, anna.b, ['padgrid']);
        const ben = await signedIn(h, { name: 'Ben Bishop', email: `ben.bishop.${lang}@example.org` });
        const second = await placeOrder(h, ben.b, ['keystep-49']);
        h.clock.advance(60_000);
        await deliverOverSmtp(h);
        const totals = new Map(
          (await h.deps.db.selectFrom('orders').select(['id', 'total_cents']).execute()).map((o) => [
            o.id,
            o.total_cents,
          ]),
        );
        const [oldCents, firstCents, secondCents] = [old, first, second].map((o) => Number(totals.get(o.id))) as [
          number,
          number,
          number,
        ];
        assert.ok(
          [oldCents, firstCents, secondCents].every((c) => c > 0),
          'every order has a total',
        );

        // --- The admin signs in through the form and the code step.
        const admin = await signedIn(h, { name: 'Ada Admin', email: `ada.admin.${lang}@example.org` });
        await asRole(h, admin, 'admin');
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
        context.setDefaultTimeout(10_000);
        const page = await context.newPage();
        await page.goto(`${base}/preferences/language?lang=${lang}&back=/`);
        await page.getByRole('button', { name: t.rejectAll, exact: true }).click();
        await page.getByRole('button', { name: t.rejectAll, exact: true }).waitFor({ state: 'hidden' });
        await page.goto(`${base}/account/login`);
        await page.getByLabel(t.email).fill(admin.email);
        await page.getByLabel(t.password).fill(admin.password);
        await page.getByRole('button', { name: t.signIn, exact: true }).click();
        await finishSignInInPage(page, base, admin.email);

        // --- The staff home: the figures and the chart of exactly these orders.
        await page.goto(`${base}/staff`);
        const euro = (c: number) => formatEuro(lang, c);
        assert.equal(await tile(page, t.ordersToday), '2');
        assert.equal(await tile(page, t.revenueToday), euro(firstCents + secondCents));
        assert.equal(await tile(page, t.orders30), '3');
        assert.equal(await tile(page, t.revenue30), euro(oldCents + firstCents + secondCents));
        assert.equal(await tile(page, t.toShip), '2');
        assert.equal(await tile(page, t.failedMail), '1');
        const chart = page
          .locator('section.console-chart')
          .filter({ has: page.getByRole('img', { name: t.revenueChart }) });
        const bars = chart.locator('svg rect');
        assert.equal(await bars.count(), 30);
        const heights = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('height'))));
        const drawn = heights.flatMap((height, i) => (height > 0 ? [i] : []));
        // Today (the last bar) and the day of the old order, as many days back as the clock moved on since.
        const oldDay = 29 - daysBack;
        assert.deepEqual(drawn, [oldDay, 29], `bars drawn: ${heights.join(' ')}`);
        // The bars' heights in proportion to the days' revenue.
        const ratio = heights[oldDay]! / heights[29]!;
        const expected = oldCents / (firstCents + secondCents);
        assert.ok(Math.abs(ratio - expected) < 0.02, `bar heights in ratio ${ratio}, revenue ${expected}`);
        await chart.getByText(t.numbers).click();
        const cells = await chart.locator('tbody td').allInnerTexts();
        assert.equal(cells.length, 30);
        assert.equal(cells[29], euro(firstCents + secondCents));
        assert.equal(cells[oldDay], euro(oldCents));
        assert.equal(cells.filter((c) => c === euro(0)).length, 28);
        await axe(page, 'staff home', problems);

        // --- Orders found by the customer's email.
        await page.goto(`${base}/staff/orders`);
        await page.getByLabel(t.orderSearch).fill(anna.email);
        await page.getByRole('button', { name: t.show, exact: true }).click();
        await page.waitForURL(/[?&]q=/);
        const found = await page.locator('table.order-list tbody th[scope="row"]').allInnerTexts();
        assert.deepEqual(found.map((n) => n.trim()).sort(), [oldNumber, String(first.number)].sort());
        await axe(page, 'orders found by email', problems);

        // --- Two orders shipped in one bulk action, with tracking numbers and serials.
        await page.goto(`${base}/staff/orders?status=paid`);
        const shipments = [
          {
            order: first,
            customer: anna,
            tracking: `00340434${lang === 'en' ? '1' : '2'}00000000001`,
            serial: `TF-2026-${lang.toUpperCase()}PG01`,
          },
          {
            order: second,
            customer: ben,
            tracking: `00340434${lang === 'en' ? '1' : '2'}00000000002`,
            serial: `TF-2026-${lang.toUpperCase()}KS02`,
          },
        ];
        for (const s of shipments) await page.getByLabel(t.select(String(s.order.number)), { exact: true }).check();
        await page.getByRole('button', { name: t.markShipped }).click();
        await page.waitForURL(`${base}/staff/orders/bulk-ship`);
        assert.equal(await page.locator('fieldset.bulk-ship-order').count(), 2);
        await axe(page, 'bulk ship form', problems);
        for (const s of shipments) {
          const fields = page.locator('fieldset.bulk-ship-order').filter({ hasText: String(s.order.number) });
          await fields.getByLabel(t.carrier).selectOption('paketbote');
          await fields.getByLabel(t.tracking).fill(s.tracking);
          await fields.getByLabel(new RegExp(`^${t.serial}`)).fill(s.serial);
        }
        await page.getByRole('button', { name: t.shipAndNotify }).click();
        await page.waitForURL(`${base}/staff/orders/bulk-ship/apply`);
        const report = page.getByRole('status').filter({ hasText: t.shipped });
        assert.deepEqual(
          (await report.locator('ul.shipped li').allInnerTexts()).map((n) => n.trim()).sort(),
          shipments.map((s) => String(s.order.number)).sort(),
        );
        await axe(page, 'bulk ship result', problems);
        await deliverOverSmtp(h);
        for (const s of shipments) {
          const mail = smtp.received.find(
            (m) => m.envelopeTo.includes(s.customer.email) && (m.parsed.text ?? '').includes(s.tracking),
          );
          assert.ok(mail, `a shipping mail with the tracking number to ${s.customer.email}`);
          assert.match(mail.parsed.subject ?? '', new RegExp(String(s.order.number)));
          assert.match(mail.parsed.text ?? '', new RegExp(`paketbote\\.example/\\S*${s.tracking}`));
        }

        // --- A customer found by the serial recorded when shipping.
        await page.goto(`${base}/staff/customers`);
        await page.getByRole('searchbox', { name: t.customerSearch }).fill(shipments[1]!.serial);
        await page
          .getByRole('search', { name: t.customerSearch })
          .getByRole('button', { name: t.search, exact: true })
          .click();
        await page.waitForURL(/[?&]q=/);
        const names = await page.locator('main tbody tr td:first-child').allInnerTexts();
        assert.deepEqual(
          names.map((n) => n.trim()),
          ['Ben Bishop'],
        );
        await axe(page, 'customers found by serial', problems);
        await page.getByRole('link', { name: 'Ben Bishop', exact: true }).click();
        await page.waitForURL(`${base}/staff/customers/${ben.id}`);
        assert.match(await page.locator('main').innerText(), new RegExp(ben.email.replace(/\./g, '\\.')));
        await axe(page, 'customer page', problems);

        // --- An image uploaded to a product, then shown resized on the shop's card and the product page.
        const padgrid = await productId(h, 'padgrid');
        await page.goto(`${base}/staff/products/${padgrid}`);
        const png = await sharp({
          create: { ...ORIGINAL, channels: 3, background: { r: 200, g: 80, b: 30 } },
        })
          .png()
          .toBuffer();
        const images = page.locator('#images');
        await images.getByLabel(t.altEn, { exact: true }).fill('The Padgrid from above');
        await images.getByLabel(t.altDe, { exact: true }).fill('Das Padgrid von oben');
        await images
          .getByLabel(t.image, { exact: true })
          .setInputFiles({ name: 'padgrid.png', mimeType: 'image/png', buffer: png });
        await images.getByRole('button', { name: t.upload }).click();
        await page.waitForLoadState();
        await page.locator('#images ol.product-images').waitFor();
        assert.match(await page.locator('#images').innerText(), new RegExp(`${t.mainImage}[\\s\\S]*1280 × 960 px`));
        await axe(page, 'product with its image', problems);
        const alt = lang === 'en' ? 'The Padgrid from above' : 'Das Padgrid von oben';
        await page.goto(`${base}/shop?q=padgrid`);
        const card = page.locator('ul.products > li').filter({ has: page.locator('a[href="/shop/padgrid"]') });
        await checkResized(page, shop, card.getByRole('img', { name: alt }), 'shop card');
        await axe(page, 'shop with the image', problems);
        await page.goto(`${base}/shop/padgrid`);
        await checkResized(page, shop, page.locator('main').getByRole('img', { name: alt }).first(), 'product page');
        await axe(page, 'product page with the image', problems);

        // --- The failed mail sent again from /staff/mail, and received.
        await page.goto(`${base}/staff/mail`);
        await page.getByLabel(t.state, { exact: true }).selectOption('failed');
        await page.locator('main').getByRole('search').getByRole('button', { name: t.search, exact: true }).click();
        await page.waitForURL(/state=failed/);
        const rows = page.locator('main tbody tr');
        assert.equal(await rows.count(), 1);
        assert.match(await rows.innerText(), new RegExp(anna.email.replace(/\./g, '\\.')));
        await axe(page, 'failed mail', problems);
        await rows.getByRole('link').click();
        await page.waitForURL(/\/staff\/mail\/[^/?]+$/);
        await axe(page, 'the failed message', problems);
        await page.getByRole('button', { name: t.sendAgain }).click();
        await page.waitForURL(/notice=resent/);
        assert.match(await page.getByRole('status').innerText(), t.queuedAgain);
        await axe(page, 'the message queued again', problems);
        const confirmations = () =>
          smtp.received.filter((m) => m.envelopeTo.includes(anna.email) && (m.parsed.text ?? '').includes(oldNumber));
        assert.equal(confirmations().length, 0, 'nothing of the failed mail arrived before');
        await deliverOverSmtp(h);
        assert.equal(confirmations().length, 1, 'the order confirmation arrived once');
        await page.goto(`${base}/staff`);
        assert.equal(await tile(page, t.failedMail), '0');

        assert.deepEqual(problems, []);
      } finally {
        await shop.close();
        await smtp.stop();
      }
    },
  );
}
