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

const basket: BasketView = { items: [], count: 0, totalCents: 0, vatCents: 0 };

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
      page.indexOf('id="advertising-notice"') < page.indexOf('type="submit"'),
      `${lang}: before the order button`,
    );
  }
});
