// The HTML part of the order confirmation, opened in Chromium as a mail client would show it: on a 390 px phone
// nothing is wider than the screen, axe-core finds no violations, and opening it requests nothing from anywhere.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoOperator } from '../../platform/operator.ts';
import { accessibilityViolations, browserSkip, launchChromium } from '../../testing/browser.ts';
import { formatDay, formatIban, invoicePaymentDetails } from '../invoices/index.ts';
import { orderConfirmationMail, type ConfirmationFacts } from './orders.emails.ts';

const address = { name: 'Clara Confirm', street: 'Teststraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' };

function facts(lang: 'en' | 'de'): ConfirmationFacts {
  const order = {
    id: '5d0c6a52-6f0e-4c55-9a53-3f1d1d0e2b11',
    number: '2026-4F7E2C9A1B',
    lines: JSON.stringify([
      {
        productId: 'p1',
        slug: 'aurora-synth',
        kind: 'software',
        title: 'Aurora Synth',
        quantity: 1,
        unitCents: 19900,
        lineCents: 19900,
        vatRate: 19,
      },
      {
        productId: 'p2',
        slug: 'keystep-88',
        kind: 'hardware',
        title: 'Keystep 88 Controller with a rather long name',
        quantity: 2,
        unitCents: 49900,
        lineCents: 99800,
        vatRate: 19,
      },
    ]),
    billing: JSON.stringify(address),
    shipping: JSON.stringify({ ...address, street: 'Lieferweg 99, Hinterhaus, 3. Obergeschoss links' }),
    total_cents: 119700,
    vat_cents: 19112,
    payment_method: 'invoice' as const,
    created_at: Date.parse('2026-11-29T10:00:00Z'),
    digital_consent_at: Date.parse('2026-11-29T10:00:00Z'),
  };
  return {
    order,
    keys: [{ title: 'Aurora Synth', key: 'ABCDE-FGHIJ-KLMNO-PQRST' }],
    invoiceNumber: 'RE-2026-000042',
    legalTexts: [
      {
        key: 'terms',
        title: lang === 'de' ? 'AGB' : 'Terms',
        text: '1. Scope\n\nThese terms apply.\n\n2. Contract\n\nA contract is made when we confirm.',
      },
      {
        key: 'withdrawal',
        title: lang === 'de' ? 'Widerrufsbelehrung' : 'Withdrawal',
        text: 'Right of withdrawal\n\nYou may withdraw within 14 days.\n\nModel withdrawal form\n\nTo: …',
      },
    ],
    payment: invoicePaymentDetails(demoOperator, order),
    digitalConsent: { en: 'I agree to immediate delivery.', de: 'Ich stimme der sofortigen Lieferung zu.' },
    operator: demoOperator,
    format: { iban: formatIban, day: formatDay },
  };
}

test(
  'the confirmation’s HTML fits a 390 px phone, has no accessibility violations and loads nothing, in both languages',
  { skip: browserSkip },
  async () => {
    const browser = await launchChromium();
    try {
      for (const lang of ['en', 'de'] as const) {
        const mail = orderConfirmationMail(lang, 'clara@example.org', facts(lang), 'https://shop.example');
        const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
        const requests: string[] = [];
        page.on('request', (r) => requests.push(r.url()));
        await page.setContent(mail.html, { waitUntil: 'load' });
        assert.deepEqual(requests, [], 'opening the mail requests nothing');
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `${lang}: the mail is ${width} px wide on a 390 px phone`);
        assert.deepEqual(await accessibilityViolations(page), [], lang);
        // The key is on one line, whole.
        const key = page.locator('code', { hasText: 'ABCDE-FGHIJ-KLMNO-PQRST' });
        const box = await key.boundingBox();
        assert.ok(box && box.height < 30, 'the key does not wrap');
        await page.close();
      }
    } finally {
      await browser.close();
    }
  },
);
