// Invoices (§ 14 UStG), kept for the statutory period the configuration gives (RETENTION_INVOICE_YEARS; 8 years
// under § 14b Abs. 1 UStG and § 147 Abs. 3 AO since 2025). The PDF is drawn from the order when asked for.
import type { DataMapPart } from '../../privacy/data-map.ts';
import { commercialLetterBasis, invoiceBasis, keptForTheLaw } from '../../privacy/retention-bases.ts';

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
      {
        id: 'invoices.payment-reminders',
        name: { en: 'Payment reminders', de: 'Zahlungserinnerungen' },
        purpose: {
          en: 'Reminding you by email of an invoice that is due and unpaid, at most as often as our reminder schedule says, and showing our staff which reminders went out.',
          de: 'Erinnerung per E-Mail an eine fällige, unbezahlte Rechnung, höchstens so oft wie unser Erinnerungsplan vorsieht, und Anzeige der versandten Erinnerungen für unser Team.',
        },
        legalBasis: 'contract',
        basisDetail: {
          en: 'Art. 6(1)(b) GDPR: payment is part of the purchase contract. The record of each reminder is kept 6 years as a copy of a sent commercial letter (§ 257(1) no. 3 HGB, § 147(1) no. 3 AO).',
          de: 'Art. 6 Abs. 1 lit. b DSGVO: Die Zahlung gehört zum Kaufvertrag. Die Aufzeichnung jeder Erinnerung wird 6 Jahre als Wiedergabe eines abgesandten Geschäftsbriefs aufbewahrt (§ 257 Abs. 1 Nr. 3 HGB, § 147 Abs. 1 Nr. 3 AO).',
        },
        subjects: { en: 'customers who pay on invoice', de: 'Kunden, die auf Rechnung zahlen' },
        recipients: [],
        // A reminder names the order, its amount and status, and goes to the account's address in its language.
        uses: [
          { table: 'orders', columns: ['number', 'status', 'total_cents', 'payment_method', 'created_at', 'user_id'] },
          { table: 'users', columns: ['email', 'lang'] },
          { table: 'outbox', columns: ['recipient', 'subject', 'body'] },
        ],
      },
    ],
    tables: [
      {
        table: 'payment_reminders',
        activity: 'invoices.payment-reminders',
        subject: { via: 'user-id', column: 'user_id' },
        columns: {
          id: 'not-personal',
          order_id: 'purchases',
          user_id: 'account',
          level: 'payment',
          sent_at: 'payment',
          restricted_at: 'account',
        },
        // The record that we reminded someone of an open invoice is our copy of a sent commercial letter.
        erasure: {
          action: 'keep',
          until: {
            en: '6 years after the end of the calendar year of the reminder',
            de: '6 Jahre nach Ende des Kalenderjahres der Erinnerung',
          },
          basis: keptForTheLaw(commercialLetterBasis),
          restrictColumn: 'restricted_at',
        },
        retention: [
          {
            id: 'invoices.delete-expired-reminders',
            what: { en: 'Records of payment reminders', de: 'Aufzeichnungen über Zahlungserinnerungen' },
            after: { years: 6, fromEndOfYear: true },
            from: 'sent_at',
            fromEvent: { en: 'the reminder', de: 'der Erinnerung' },
            basis: commercialLetterBasis,
            action: { kind: 'delete' },
          },
        ],
      },
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
        // Cancellation invoices (decision 0048) are invoices too: the same period, kept restricted on erasure.
        table: 'invoice_corrections',
        activity: 'invoices.bookkeeping',
        subject: { via: 'user-id', column: 'user_id' },
        columns: {
          id: 'not-personal',
          number: 'purchases',
          invoice_id: 'purchases',
          order_id: 'purchases',
          user_id: 'account',
          refund_id: 'purchases',
          cancel_of: 'purchases',
          lines: 'purchases',
          total_cents: 'purchases',
          vat_cents: 'purchases',
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
            id: 'invoices.delete-expired-corrections',
            what: { en: 'Cancellation invoices', de: 'Stornorechnungen' },
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
