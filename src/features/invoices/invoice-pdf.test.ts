// The invoice's dates are the operator's calendar days, not UTC's (§ 14 (4) UStG: the date of issue).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { demoOperator } from '../../platform/operator.ts';
import { renderInvoicePdf, type InvoiceDocument } from './invoice-pdf.ts';

const skip: string | false =
  spawnSync('pdftotext', ['-v']).error && process.env.CI !== 'true'
    ? 'pdftotext is not installed (apt-get install -y poppler-utils)'
    : false;

test(
  'an invoice issued at 00:30 on New Year’s Day in Berlin is dated that day, in the operator’s time zone',
  { skip },
  () => {
    const doc: InvoiceDocument = {
      number: 'R-2027-000001',
      issuedAt: Date.parse('2026-12-31T23:30:00Z'),
      orderNumber: 'B-1',
      recipient: { name: 'Olga Order', street: 'Testweg 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
      lines: [{ title: 'PadGrid', quantity: 1, unitCents: 19900, lineCents: 19900, vatRate: 19 }],
      totalCents: 19900,
      vatCents: 3177,
      paymentMethod: 'Wallet',
    };
    const dir = mkdtempSync(join(tmpdir(), 'invoice-'));
    try {
      const text = (operator = demoOperator, lang: 'en' | 'de' = 'en') => {
        const file = join(dir, 'invoice.pdf');
        writeFileSync(file, renderInvoicePdf(doc, operator, lang));
        return spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
      };
      assert.match(text(), /1 January 2027/);
      assert.doesNotMatch(text(), /31 December 2026/);
      assert.match(text(demoOperator, 'de'), /1\. Januar 2027/);
      assert.match(text({ ...demoOperator, timeZone: 'America/New_York' }), /31 December 2026/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

/** The text of a rendered invoice, as pdftotext reads it. */
function pdfText(doc: InvoiceDocument, lang: 'en' | 'de', operator = demoOperator): string {
  const dir = mkdtempSync(join(tmpdir(), 'invoice-'));
  try {
    const file = join(dir, 'invoice.pdf');
    writeFileSync(file, renderInvoicePdf(doc, operator, lang));
    return spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const base: InvoiceDocument = {
  number: 'RE-2026-000009',
  issuedAt: Date.parse('2026-12-01T10:00:00Z'),
  orderNumber: 'B-9',
  recipient: { name: 'Olga Order', street: 'Ringstraße 5', postalCode: '1010', city: 'Wien', country: 'AT' },
  lines: [
    {
      title: 'Aurora Synth',
      kind: 'software',
      quantity: 1,
      unitCents: 19900,
      lineCents: 19900,
      vatRate: 20,
      vatCountry: 'AT',
    },
  ],
  totalCents: 19900,
  vatCents: 3317,
  paymentMethod: 'Wallet',
};

test(
  'the invoice names the managing directors, the seat and the registry (§ 35a GmbHG), and the country by name',
  { skip },
  () => {
    const operator = { ...demoOperator, representedBy: ['Mara Muster', 'Otto Beispiel'] };
    const de = pdfText(base, 'de', operator);
    assert.match(de, /Geschäftsführung: Mara Muster, Otto Beispiel/);
    assert.match(de, /Sitz der Gesellschaft: Berlin/);
    assert.match(de, /Amtsgericht Charlottenburg, HRB 000000/);
    assert.match(de, /\n\s*Österreich\n/);
    assert.doesNotMatch(de, /\n\s*AT\n/);
    // One rate format and one VAT label: "20 %" as formatRate writes it, "Enthaltene MwSt. (20 %, Österreich)".
    assert.match(de, /Aurora Synth \(20 % USt\.\)/);
    assert.match(de, /Enthaltene MwSt\. \(20 %, Österreich\)/);
    const en = pdfText(base, 'en', operator);
    assert.match(en, /Managing directors: Mara Muster, Otto Beispiel/);
    assert.match(en, /Registered office: Berlin/);
    assert.match(en, /Included VAT \(20%, Austria\)/);
  },
);

test(
  'the date of supply: the invoice date for downloads, the shipping day for goods, and never "equals the invoice date" for goods not shipped',
  { skip },
  () => {
    assert.match(pdfText(base, 'de'), /Leistungsdatum entspricht Rechnungsdatum\./);
    const goods: InvoiceDocument = {
      ...base,
      lines: [
        {
          title: 'Keystep 49',
          kind: 'hardware',
          quantity: 1,
          unitCents: 29900,
          lineCents: 29900,
          vatRate: 20,
          vatCountry: 'AT',
        },
      ],
    };
    const pending = pdfText(goods, 'de');
    assert.doesNotMatch(pending, /entspricht Rechnungsdatum/);
    assert.match(pending, /Leistungsdatum ist der Tag des Versands \(noch nicht versandt\)/);
    const shipped = pdfText({ ...goods, shippedAt: Date.parse('2026-12-03T09:00:00Z') }, 'de');
    assert.match(shipped, /Leistungsdatum: 3\. Dezember 2026/);
    assert.doesNotMatch(shipped, /entspricht Rechnungsdatum/);
    const mixed = pdfText(
      { ...goods, lines: [...base.lines, ...goods.lines], shippedAt: Date.parse('2026-12-03T09:00:00Z') },
      'de',
    );
    assert.match(mixed, /Digitale Inhalte: Leistungsdatum entspricht Rechnungsdatum\./);
    assert.match(mixed, /Leistungsdatum: Waren: versandt am 3\. Dezember 2026/);
  },
);

test('no VAT outside the EU: goods are an exempt export, a download is not taxable in Germany', { skip }, () => {
  const swiss = { ...base.recipient, city: 'Zürich', postalCode: '8001', country: 'CH' };
  const line = { quantity: 1, unitCents: 10000, lineCents: 10000, vatRate: 0, vatCountry: 'CH' };
  const text = pdfText(
    {
      ...base,
      recipient: swiss,
      lines: [
        { ...line, title: 'Aurora Synth', kind: 'software' },
        { ...line, title: 'Keystep 49', kind: 'hardware' },
      ],
      totalCents: 20000,
      vatCents: 0,
      shippedAt: base.issuedAt,
    },
    'de',
  );
  assert.match(text, /Keine Umsatzsteuer \(Schweiz\): nicht im Inland steuerbare Leistung\./);
  assert.match(text, /Keine Umsatzsteuer \(Schweiz\): steuerfreie Ausfuhrlieferung/);
});
