// Invoices (§ 14 UStG), kept for the statutory period the configuration gives (RETENTION_INVOICE_YEARS; 8 years
// under § 14b Abs. 1 UStG and § 147 Abs. 3 AO since 2025). The PDF is drawn from the order when asked for.
import type { DataMapPart } from '../../privacy/data-map.ts';
import { invoiceBasis, keptForTheLaw } from '../../privacy/retention-bases.ts';

export function invoicesDataMap(years: number): DataMapPart {
  return {
    activities: [
      {
        id: 'invoices.bookkeeping',
        name: { en: 'Invoices and bookkeeping', de: 'Rechnungen und Buchhaltung' },
        purpose: {
          en: 'Issuing invoices and keeping them as the tax and commercial codes require.',
          de: 'Ausstellung von Rechnungen und deren Aufbewahrung nach Steuer- und Handelsrecht.',
        },
        legalBasis: 'legal-obligation',
        basisDetail: {
          en: `§ 14 UStG; kept ${years} years under § 14b(1) UStG and § 147(1) no. 4 and (3) AO.`,
          de: `§ 14 UStG; Aufbewahrung ${years} Jahre nach § 14b Abs. 1 UStG und § 147 Abs. 1 Nr. 4, Abs. 3 AO.`,
        },
        subjects: { en: 'customers', de: 'Kunden' },
        recipients: [],
        // The invoice (and its PDF) shows the order's billing name and address, lines, amounts and payment method.
        uses: [
          {
            table: 'orders',
            columns: ['number', 'billing', 'lines', 'total_cents', 'vat_cents', 'payment_method', 'created_at'],
          },
        ],
      },
    ],
    tables: [
      {
        table: 'invoices',
        activity: 'invoices.bookkeeping',
        subject: { via: 'user-id', column: 'user_id' },
        columns: {
          id: 'not-personal',
          number: 'purchases',
          order_id: 'purchases',
          user_id: 'account',
          issued_at: 'purchases',
          restricted_at: 'account',
        },
        erasure: {
          action: 'keep',
          until: {
            en: `${years} years after the end of the calendar year of issue`,
            de: `${years} Jahre nach Ende des Kalenderjahres der Ausstellung`,
          },
          basis: keptForTheLaw(invoiceBasis),
          restrictColumn: 'restricted_at',
        },
        retention: [
          {
            id: 'invoices.delete-expired-invoices',
            what: { en: 'Invoices', de: 'Rechnungen' },
            after: { years, fromEndOfYear: true },
            from: 'issued_at',
            fromEvent: { en: 'issue', de: 'der Ausstellung' },
            basis: invoiceBasis,
            action: { kind: 'delete' },
          },
        ],
      },
      {
        table: 'invoice_counters',
        activity: 'platform.operation',
        subject: null,
        columns: { year: 'not-personal', last: 'not-personal' },
        erasure: null,
        retention: [],
      },
    ],
  };
}
