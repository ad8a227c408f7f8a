// Policy 6a: orders. They are booking vouchers: kept for the statutory period (default 8 years from the end of
// the calendar year, §147 AO, §257 HGB; configurable), restricted when the customer asks for erasure.
import type { DataMapPart } from '../../privacy/data-map.ts';
import { orderSerialsTableMap } from './serials.data-map.ts';

export function ordersDataMap(statutoryYears: number): DataMapPart {
  return {
    activities: [
      {
        id: 'orders.purchase',
        name: { en: 'Orders', de: 'Bestellungen' },
        purpose: {
          en: 'Processing your orders: payment, delivery, order history and status, invoices.',
          de: 'Abwicklung Ihrer Bestellungen: Zahlung, Lieferung, Bestellhistorie und -status, Rechnungen.',
        },
        legalBasis: 'contract',
        basisDetail: {
          en: `After the contract, orders are kept to meet statutory retention duties (Art. 6(1)(c) GDPR with §147 AO and §257 HGB) for ${statutoryYears} years; if you ask for erasure they are only stored, not used.`,
          de: `Nach Vertragsende werden Bestellungen zur Erfüllung gesetzlicher Aufbewahrungspflichten (Art. 6 Abs. 1 lit. c DSGVO mit §147 AO und §257 HGB) ${statutoryYears} Jahre aufbewahrt; verlangen Sie die Löschung, werden sie nur noch gespeichert, nicht genutzt.`,
        },
        subjects: { en: 'customers', de: 'Kunden' },
        recipients: [
          {
            id: 'payment-provider',
            name: { en: 'our payment provider', de: 'unser Zahlungsdienstleister' },
            kind: 'processor',
            receives: ['payment'],
          },
          {
            id: 'delivery-company',
            name: { en: 'the delivery company (hardware only)', de: 'das Versandunternehmen (nur Hardware)' },
            kind: 'processor',
            receives: ['identity', 'address', 'purchases'],
            fields: ['orderNumber', 'name', 'street', 'postalCode', 'city', 'country', 'items.title', 'items.quantity'],
          },
        ],
      },
    ],
    tables: [
      {
        table: 'orders',
        activity: 'orders.purchase',
        subject: { via: 'user-id', column: 'user_id' },
        columns: {
          id: 'not-personal',
          number: 'purchases',
          user_id: 'account',
          status: 'purchases',
          lines: 'purchases',
          billing: 'address',
          shipping: 'address',
          payment_method: 'payment',
          payment_token: 'payment',
          card_brand: 'payment',
          card_last4: 'payment',
          card_exp_month: 'payment',
          payment_reference: 'payment',
          total_cents: 'purchases',
          vat_cents: 'purchases',
          currency: 'not-personal',
          idempotency_key: 'not-personal',
          request_hash: 'purchases',
          history: 'purchases',
          payment_failed_at: 'payment',
          restricted_at: 'account',
          created_at: 'purchases',
          updated_at: 'purchases',
        },
        erasure: {
          action: 'keep',
          until: {
            en: `${statutoryYears} years after the end of the calendar year of the order`,
            de: `${statutoryYears} Jahre nach Ende des Kalenderjahres der Bestellung`,
          },
          basis: {
            en: 'Art. 17(3)(b) GDPR with §147 AO and §257 HGB',
            de: 'Art. 17 Abs. 3 lit. b DSGVO mit §147 AO und §257 HGB',
          },
          restrictColumn: 'restricted_at',
        },
        retention: [
          {
            id: 'orders.delete-expired-orders',
            what: { en: 'Orders', de: 'Bestellungen' },
            after: { years: statutoryYears, fromEndOfYear: true },
            from: 'created_at',
            fromEvent: { en: 'the order', de: 'der Bestellung' },
            action: { kind: 'delete' },
          },
          {
            // Only failed payment attempts have payment_failed_at; they never became orders (no booking voucher).
            id: 'orders.delete-failed-payments',
            what: {
              en: 'Failed payment attempts (kept for fraud checks)',
              de: 'Fehlgeschlagene Zahlungsversuche (für Betrugsprüfungen aufbewahrt)',
            },
            after: { days: 30 },
            from: 'payment_failed_at',
            fromEvent: { en: 'the failed payment', de: 'der fehlgeschlagenen Zahlung' },
            action: { kind: 'delete' },
          },
        ],
      },
      orderSerialsTableMap(statutoryYears),
    ],
  };
}
