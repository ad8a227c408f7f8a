// Policy 6a: orders. They are booking vouchers: kept for the statutory period (default 8 years from the end of
// the calendar year, § 147 Abs. 1 Nr. 4, Abs. 3 AO, § 257 Abs. 1 Nr. 4, Abs. 4 HGB; configurable), restricted when
// the customer asks for erasure. The copy of the order confirmation, a sent commercial letter (6 years), is kept
// by the mail feature (business_letters). The provider's payment reference belongs to the voucher and stays; the
// card's brand, last four digits and expiry go after 180 days (decision 0028).
import type { DataMapPart } from '../../privacy/data-map.ts';
import type { Text } from '../../platform/i18n.ts';
import { bookingVoucherBasis, keptForTheLaw } from '../../privacy/retention-bases.ts';
import { addressBookActivity, addressBookTableMap } from './addresses.data-map.ts';
import { orderNotesTableMap, orderRefundsTableMap } from './order-page.data-map.ts';
import { orderSerialsTableMap } from './serials.data-map.ts';
import { orderWithdrawalsTableMap } from './withdrawals.data-map.ts';

/** The card's brand, last four digits and expiry month are cleared this many days after the order. */
export const PAYMENT_DETAILS_DAYS = 180;

/**
 * Why an order is kept: it is a booking voucher. The confirmation mail says more than the row (licence keys, the
 * legal texts, bank details), so its copy is kept as written by the mail feature (business_letters, 6 years).
 */
export const orderRecordBasis: Text = bookingVoucherBasis;

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
          en: `After the contract, orders are kept to meet statutory retention duties (Art. 6(1)(c) GDPR with § 147(1) no. 4 and (3) AO and § 257(1) no. 4 and (4) HGB, as booking vouchers) for ${statutoryYears} years; if you ask for erasure they are only stored, not used.`,
          de: `Nach Vertragsende werden Bestellungen zur Erfüllung gesetzlicher Aufbewahrungspflichten (Art. 6 Abs. 1 lit. c DSGVO mit § 147 Abs. 1 Nr. 4, Abs. 3 AO und § 257 Abs. 1 Nr. 4, Abs. 4 HGB, als Buchungsbelege) ${statutoryYears} Jahre aufbewahrt; verlangen Sie die Löschung, werden sie nur noch gespeichert, nicht genutzt.`,
        },
        subjects: { en: 'customers', de: 'Kunden' },
        // Art. 13(2)(e): what the checkout form requires (orders.pages.ts) and what the law requires on an invoice.
        requirement: {
          required: {
            en: 'Your billing name and address, a delivery address where it differs, and the choice of a payment method; for a card or wallet payment, the payment details you enter on our payment provider’s page. They are needed to conclude and perform the purchase contract and to issue the invoice that the law requires (§ 14(4) UStG).',
            de: 'Ihr Name und Ihre Rechnungsanschrift, gegebenenfalls eine abweichende Lieferanschrift sowie die Wahl einer Zahlungsart; bei Karten- oder Wallet-Zahlung die Zahlungsdaten, die Sie auf der Seite unseres Zahlungsdienstleisters eingeben. Sie sind für den Abschluss und die Erfüllung des Kaufvertrags und für die gesetzlich vorgeschriebene Rechnung (§ 14 Abs. 4 UStG) erforderlich.',
          },
          without: {
            en: 'Without them we cannot accept your order; no contract is concluded.',
            de: 'Ohne diese Angaben können wir Ihre Bestellung nicht annehmen; ein Vertrag kommt nicht zustande.',
          },
        },
        // Art. 14: the card's brand, last four digits and expiry month come back from the payment provider, which
        // the person gave their card to (orders.service.ts stores result.card); we never see the card number.
        sources: [
          {
            from: {
              en: 'After a card payment, our payment provider passes on the card’s brand, its last four digits and its expiry month.',
              de: 'Nach einer Kartenzahlung übermittelt uns unser Zahlungsdienstleister Kartenmarke, letzte vier Ziffern und Ablaufmonat der Karte.',
            },
            categories: ['payment'],
            publiclyAccessible: false,
          },
        ],
        // An order is made from the basket; its confirmation goes to the account's email address, through the outbox.
        uses: [
          { table: 'baskets', columns: ['user_id', 'lines'] },
          { table: 'users', columns: ['id', 'email'] },
          { table: 'outbox', columns: ['recipient', 'subject', 'body', 'html', 'headers', 'attachments'] },
          // Its confirmation is a business letter: the mail feature keeps the copy (mail.business-letters).
          { table: 'business_letters', columns: ['recipient', 'subject', 'body', 'html', 'attachments'] },
        ],
        recipients: [
          // The payment provider is declared with the payment (payments.data-map.ts), whose calls it receives.
          {
            // Hardware only: the hand-off file the delivery company imports (privacy/disclosures, disclose()).
            id: 'delivery-company',
            name: { en: 'the delivery company (hardware only)', de: 'das Versandunternehmen (nur Hardware)' },
            // It carries the parcel under its own contract with the recipient and its own legal duties.
            role: 'independent-controller',
            fields: {
              orderNumber: { category: 'purchases', label: { en: 'order number', de: 'Bestellnummer' } },
              name: { category: 'identity', label: { en: 'name of the recipient', de: 'Name des Empfängers' } },
              street: { category: 'address', label: { en: 'street and house number', de: 'Straße und Hausnummer' } },
              postalCode: { category: 'address', label: { en: 'postal code', de: 'Postleitzahl' } },
              city: { category: 'address', label: { en: 'city', de: 'Ort' } },
              country: { category: 'address', label: { en: 'country', de: 'Land' } },
              'items.title': {
                category: 'purchases',
                label: { en: 'name of each item in the parcel', de: 'Bezeichnung jedes Artikels im Paket' },
              },
              'items.quantity': {
                category: 'purchases',
                label: { en: 'quantity of each item', de: 'Menge jedes Artikels' },
              },
            },
          },
        ],
      },
      addressBookActivity,
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
          payment_method: 'payment-method',
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
          legal_versions: 'purchases',
          terms_accepted_at: 'purchases',
          digital_consent_at: 'purchases',
          vat_country: 'address',
          carrier: 'purchases',
          // The parcel's tracking number leads to its delivery (when, where): personal data of the order.
          tracking_number: 'purchases',
          // An invoice's payment as staff record it: the day, and the bank statement's text (may name the payer).
          invoice_paid_on: 'payment',
          invoice_paid_reference: 'payment',
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
          basis: keptForTheLaw(orderRecordBasis),
          restrictColumn: 'restricted_at',
        },
        retention: [
          {
            id: 'orders.delete-expired-orders',
            what: { en: 'Orders', de: 'Bestellungen' },
            after: { years: statutoryYears, fromEndOfYear: true },
            from: 'created_at',
            fromEvent: { en: 'the order', de: 'der Bestellung' },
            basis: orderRecordBasis,
            action: { kind: 'delete' },
          },
          {
            // Card orders are charged when placed (or on return from the payment page, within the hour), so the
            // order's time stands for the payment's. A chargeback names the card's brand and last four digits, and
            // card schemes allow one for up to 120 days after the transaction or the expected delivery; 180 days
            // cover that with a margin. The provider's payment reference is not cleared: it ties the order to the
            // provider's settlement (part of the booking voucher) and is what a refund needs, a warranty refund
            // too (§ 438 BGB: 2 years), so it stays as long as the order (decision 0028).
            id: 'orders.clear-card-details',
            what: {
              en: 'The card brand, last four digits and expiry month of an order',
              de: 'Kartenmarke, letzte vier Ziffern und Ablaufmonat einer Bestellung',
            },
            after: { days: PAYMENT_DETAILS_DAYS },
            from: 'created_at',
            fromEvent: { en: 'the order', de: 'der Bestellung' },
            basis: {
              en: 'needed only to match card chargebacks and questions about a card payment to the order, which card schemes allow for up to 120 days after the payment or the expected delivery; the order, with the payment provider’s reference of the payment, stays a booking voucher without them',
              de: 'nur nötig, um Rückbelastungen und Fragen zu einer Kartenzahlung der Bestellung zuzuordnen, die Kartenorganisationen bis zu 120 Tage nach der Zahlung oder der erwarteten Lieferung zulassen; die Bestellung bleibt mit der Referenz des Zahlungsdienstleisters zur Zahlung auch ohne sie Buchungsbeleg',
            },
            action: { kind: 'clear', columns: ['card_brand', 'card_last4', 'card_exp_month'] },
          },
          {
            // Only failed payment attempts have payment_failed_at; they never became orders (no booking voucher).
            id: 'orders.delete-failed-payments',
            what: {
              en: 'Failed payment attempts, kept for fraud checks,',
              de: 'Fehlgeschlagene Zahlungsversuche, für Betrugsprüfungen aufbewahrt,',
            },
            after: { days: 30 },
            from: 'payment_failed_at',
            fromEvent: { en: 'the failed payment', de: 'der fehlgeschlagenen Zahlung' },
            basis: {
              en: 'to recognise the misuse of payment cards in repeated failed attempts; a failed attempt is no order and no booking voucher',
              de: 'um Kartenmissbrauch an wiederholten Fehlversuchen zu erkennen; ein Fehlversuch ist keine Bestellung und kein Buchungsbeleg',
            },
            action: { kind: 'delete' },
          },
        ],
      },
      orderSerialsTableMap(statutoryYears),
      orderWithdrawalsTableMap(),
      orderNotesTableMap(statutoryYears),
      orderRefundsTableMap(statutoryYears),
      addressBookTableMap,
    ],
  };
}
