// Invoices (§14 UStG), kept for the statutory period the configuration gives (RETENTION_INVOICE_YEARS).
import type { DataMapPart } from '../../privacy/data-map.ts';

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
          en: `§14 UStG; kept ${years} years under §147 AO and §257 HGB.`,
          de: `§14 UStG; Aufbewahrung ${years} Jahre nach §147 AO und §257 HGB.`,
        },
        subjects: { en: 'customers', de: 'Kunden' },
        recipients: [],
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
          basis: {
            en: 'Art. 17(3)(b) GDPR with §147 AO and §257 HGB',
            de: 'Art. 17 Abs. 3 lit. b DSGVO mit §147 AO und §257 HGB',
          },
          restrictColumn: 'restricted_at',
        },
        retention: [
          {
            id: 'invoices.delete-expired-invoices',
            what: { en: 'Invoices', de: 'Rechnungen' },
            after: { years, fromEndOfYear: true },
            from: 'issued_at',
            fromEvent: { en: 'issue', de: 'der Ausstellung' },
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
