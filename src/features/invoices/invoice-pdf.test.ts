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
