// The checkout page as a pure function: what it tells the customer when their email address is collected for a sale.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { html } from '../../platform/html.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { PageContext } from '../../web/index.ts';
import type { BasketView } from '../basket/index.ts';
import { checkoutPage } from './orders.pages.ts';

const ctx = (lang: Lang): PageContext => ({
  lang,
  viewer: null,
  csrfToken: () => 'token',
  path: '/checkout',
  company: 'Shop',
  slots: () => ({ head: html``, top: html`` }),
  navigation: [],
  social: [],
  timeZone: 'Europe/Berlin',
});

const basket: BasketView = {
  items: [],
  count: 0,
  subtotalCents: 0,
  shippingCents: 0,
  ships: false,
  totalCents: 0,
  vatCents: 0,
  overlaps: [],
};

test('the checkout tells the customer, where the address is used for a sale, that they may object to advertising mail at basic rates only (§ 7(3) UWG)', () => {
  const expected = {
    en: /You may object to this use of your email address at any time, without incurring any costs other than the transmission costs at the basic rates/,
    de: /Sie können dieser Verwendung Ihrer E-Mail-Adresse jederzeit widersprechen, ohne dass hierfür andere als die Übermittlungskosten nach den Basistarifen entstehen/,
  };
  for (const lang of ['en', 'de'] as const) {
    const page = checkoutPage(ctx(lang), basket, 'key', { testMode: false, invoiceOffered: true, attempts: [] });
    const notice = /<p class="hint" id="advertising-notice">([\s\S]*?)<\/p>/.exec(page)?.[1];
    assert.ok(notice, `${lang}: the notice is on the page`);
    assert.match(notice, expected[lang], lang);
    assert.match(notice, /href="\/account\/advertising"/, `${lang}: where to object`);
    // It sits inside the order form, before the button that places the order.
    assert.ok(
      page.indexOf('id="advertising-notice"') <
        page.search(/<button type="submit">(Buy now|Zahlungspflichtig bestellen)</),
      `${lang}: before the order button`,
    );
  }
});

test('directly above the order button: each line with its kind and summary, quantity and price, then shipping and the total incl. VAT (§ 312j(2) BGB)', () => {
  const lines: BasketView = {
    ...basket,
    items: [
      {
        productId: 'p1',
        slug: 'keystep-49',
        kind: 'hardware',
        title: 'Keystep 49',
        summary: 'A 49-key controller.',
        quantity: 2,
        unitCents: 19900,
        lineCents: 39800,
        stock: 5,
      },
    ],
    count: 2,
    subtotalCents: 39800,
    totalCents: 39800,
    vatCents: 6355,
    ships: true,
  };
  for (const lang of ['en', 'de'] as const) {
    const page = checkoutPage(ctx(lang), lines, 'key', { testMode: false, invoiceOffered: false, attempts: [] });
    const summary = /<table class="stack checkout-lines">([\s\S]*?)<\/table>\s*<p><button type="submit">/.exec(
      page,
    )?.[1];
    assert.ok(summary, `${lang}: the summary is what stands directly above the button`);
    assert.match(summary, /<span class="line-features">Hardware: A 49-key controller\.<\/span>/);
    assert.match(summary, /data-label="[^"]+">2<\/td>/);
    assert.match(summary, lang === 'en' ? /Shipping<\/th><td>free/ : /Versand<\/th><td>kostenlos/);
    assert.match(summary, lang === 'en' ? /Included VAT \(19%, Germany\)/ : /Enthaltene MwSt\. \(19 %, Deutschland\)/);
    assert.match(summary, lang === 'en' ? /Total incl\. VAT/ : /Gesamtsumme inkl\. MwSt\./);
    assert.equal(page.split('checkout-lines').length - 1, 1, `${lang}: shown once`);
  }
});

test('the terms box asks only to accept the terms; the withdrawal policy is linked beside it, never confirmed by a tick', () => {
  for (const lang of ['en', 'de'] as const) {
    const page = checkoutPage(ctx(lang), basket, 'key', { testMode: false, invoiceOffered: true, attempts: [] });
    const label = /<label for="f-acceptTerms">([\s\S]*?)<\/label>/.exec(page)?.[1] ?? '';
    assert.match(label, /href="\/legal\/terms"/, `${lang}: the terms are linked in the box`);
    assert.doesNotMatch(
      label,
      /withdrawal|Widerruf/i,
      `${lang}: no acknowledgement of the withdrawal policy in the box`,
    );
    const info = /<p class="hint" id="withdrawal-information">([\s\S]*?)<\/p>/.exec(page)?.[1] ?? '';
    assert.match(info, /href="\/legal\/withdrawal"/, `${lang}: the withdrawal policy is linked beside it`);
  }
});
