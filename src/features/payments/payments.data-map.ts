// The test provider's storage. In a real deployment this data lives with the payment provider, not here; the
// tables exist only while PAYMENT_PROVIDER=test (decision 0014), and every one of them has a retention rule.
import type { DataMapPart, RetentionRule, Text } from '../../privacy/data-map.ts';

const standsIn = {
  en: 'Stands in for the payment provider’s own storage (test mode only). A token or session names the account that may use it only so that nobody else can; rows are deleted a day after they were made at the latest and are not part of the data export (the payment data kept with each order is).',
  de: 'Steht für die eigene Speicherung des Zahlungsdienstleisters (nur im Testmodus). Ein Token oder eine Sitzung nennt das Konto, das es verwenden darf, nur damit niemand sonst es kann; Zeilen werden spätestens einen Tag nach ihrer Erstellung gelöscht und sind nicht Teil des Datenexports (die bei jeder Bestellung gespeicherten Zahlungsdaten sind es).',
};

/** Test mode stands in for the provider: its records follow what a provider keeps, no longer than our tests need. */
const testMode = (reason: Text): Text => ({
  en: `test mode only, standing in for the payment provider: ${reason.en}`,
  de: `nur im Testmodus, anstelle des Zahlungsdienstleisters: ${reason.de}`,
});

const deleteAfterADay = (id: string, what: Text, reason: Text): RetentionRule => ({
  id,
  what,
  after: { days: 1 },
  from: 'created_at',
  fromEvent: { en: 'their creation', de: 'ihrer Erstellung' },
  basis: testMode(reason),
  action: { kind: 'delete' as const },
});

/** The payment activity always; the test provider's tables only while it is active (they do not exist otherwise). */
export function paymentsDataMap(paymentProvider: string): DataMapPart {
  const part = paymentsDataMapInTestMode;
  return paymentProvider === 'test' ? part : { ...part, tables: [] };
}

const paymentsDataMapInTestMode: DataMapPart = {
  activities: [
    {
      id: 'payments.card-payment',
      name: { en: 'Payment', de: 'Zahlung' },
      purpose: {
        en: 'Taking payment for orders and refunding it. You enter card numbers on the payment provider’s own payment page, never on ours; the provider gives us a single-use token, which we use once and do not store. We keep the provider’s reference of the payment with your order as long as the order (it belongs to the booking voucher and is what a refund needs), and the card brand, last four digits and expiry for 180 days, for chargebacks.',
        de: 'Abwicklung und Erstattung der Zahlung von Bestellungen. Kartennummern geben Sie auf der Zahlungsseite des Zahlungsdienstleisters ein, nie auf unserer; der Dienstleister gibt uns ein Einmal-Token, das wir einmal verwenden und nicht speichern. Die Referenz des Dienstleisters zur Zahlung bewahren wir so lange wie die Bestellung bei dieser auf (sie gehört zum Buchungsbeleg und wird für eine Erstattung benötigt), Kartenmarke, die letzten vier Ziffern und das Ablaufdatum 180 Tage lang, für Rückbelastungen.',
      },
      legalBasis: 'contract',
      subjects: { en: 'customers who pay by card or wallet', de: 'Kunden, die per Karte oder Wallet zahlen' },
      // What the shop itself keeps of a payment is kept with the order (orders.data-map.ts, with its periods).
      uses: [
        {
          table: 'orders',
          columns: ['user_id', 'payment_method', 'card_brand', 'card_last4', 'card_exp_month', 'payment_reference'],
        },
      ],
      recipients: [
        {
          id: 'payment-provider',
          name: { en: 'our payment provider', de: 'unser Zahlungsdienstleister' },
          // It runs the payment under its own licence and duties (payment services, anti-money-laundering law).
          role: 'independent-controller',
          // What charge, startHostedPayment, findCharge and refund send (src/shop/payment-provider.ts); nothing else
          // passes the outbound gate. Card numbers go from you to the provider's page, never through us.
          fields: {
            customerRef: {
              category: 'account',
              label: {
                en: 'your customer number (a pseudonymous account ID)',
                de: 'Ihre Kundennummer (eine pseudonyme Konto-ID)',
              },
            },
            method: { category: 'payment', label: { en: 'payment method', de: 'Zahlungsart' } },
            token: {
              category: 'payment',
              label: { en: 'the single-use payment token', de: 'das Einmal-Zahlungs-Token' },
            },
            amountCents: { category: 'purchases', label: { en: 'amount', de: 'Betrag' } },
            currency: { category: 'not-personal', label: { en: 'currency', de: 'Währung' } },
            orderRef: {
              category: 'purchases',
              label: { en: 'our order reference', de: 'unsere Bestellreferenz' },
            },
            idempotencyKey: {
              category: 'purchases',
              label: {
                en: 'our order reference as the key against double charges',
                de: 'unsere Bestellreferenz als Schlüssel gegen doppelte Belastung',
              },
            },
            returnUrl: {
              category: 'purchases',
              label: {
                en: 'the address of our shop to return to, with the order reference',
                de: 'die Rücksprungadresse in unseren Shop mit der Bestellreferenz',
              },
            },
            reference: {
              category: 'payment',
              label: {
                en: 'the provider’s reference of a charge (for refunds)',
                de: 'die Referenz der Belastung beim Dienstleister (für Erstattungen)',
              },
            },
          },
        },
      ],
    },
  ],
  tables: [
    {
      table: 'test_payment_tokens',
      activity: 'payments.card-payment',
      subject: null,
      unlinkedBecause: standsIn,
      columns: {
        token_hash: 'payment',
        customer_ref: 'account',
        brand: 'payment',
        last4: 'payment',
        exp_month: 'payment',
        exp_year: 'payment',
        outcome: 'not-personal',
        used_at: 'payment',
        created_at: 'not-personal',
      },
      erasure: null,
      retention: [
        deleteAfterADay(
          'payments.delete-test-tokens',
          { en: 'Test payment tokens, used or not,', de: 'Test-Zahlungs-Token, ob verwendet oder nicht,' },
          {
            // Not at once on use: the provider's charge lookup (reconciling an order) reads the card from it.
            en: 'a single-use token is used within minutes, and the order is settled by then; a day later it serves nothing',
            de: 'ein Einmal-Token wird binnen Minuten verwendet, und die Bestellung ist bis dahin abgeschlossen; einen Tag später dient es zu nichts mehr',
          },
        ),
      ],
    },
    {
      table: 'test_payment_sessions',
      activity: 'payments.card-payment',
      subject: null,
      unlinkedBecause: standsIn,
      columns: {
        id_hash: 'online-identifier',
        customer_ref: 'account',
        order_ref: 'purchases',
        amount_cents: 'purchases',
        currency: 'not-personal',
        return_url: 'not-personal',
        completed_at: 'payment',
        created_at: 'not-personal',
      },
      erasure: null,
      retention: [
        deleteAfterADay(
          'payments.delete-test-sessions',
          { en: 'Test payment page sessions', de: 'Sitzungen der Test-Zahlungsseite' },
          {
            en: 'a payment page is needed only while you pay; an order still pending after that is settled from the charge',
            de: 'eine Zahlungsseite wird nur während der Zahlung gebraucht; eine danach noch offene Bestellung wird anhand der Belastung abgeschlossen',
          },
        ),
      ],
    },
    {
      table: 'test_payment_charges',
      activity: 'payments.card-payment',
      subject: null,
      unlinkedBecause: {
        en: 'Stands in for the payment provider’s records (test mode only); linked to a person only through the order. Deleted 90 days after the charge (long enough for refunds of returned goods; a test refund after that is refused).',
        de: 'Steht für die Aufzeichnungen des Zahlungsdienstleisters (nur im Testmodus); nur über die Bestellung einer Person zuzuordnen. Gelöscht 90 Tage nach der Belastung (lang genug für Erstattungen zurückgesandter Ware; eine Test-Erstattung danach wird abgelehnt).',
      },
      columns: {
        id: 'payment',
        token_hash: 'payment',
        method: 'payment-method',
        amount_cents: 'purchases',
        currency: 'not-personal',
        idempotency_key: 'not-personal',
        status: 'payment',
        refunded_at: 'payment',
        created_at: 'payment',
      },
      erasure: null,
      retention: [
        {
          id: 'payments.delete-test-charges',
          what: { en: 'Test payment charges', de: 'Test-Zahlungsbelastungen' },
          after: { days: 90 },
          from: 'created_at',
          fromEvent: { en: 'the charge', de: 'der Belastung' },
          basis: testMode({
            en: 'long enough for refunds of returned goods; a test refund after that is refused',
            de: 'lang genug für Erstattungen zurückgesandter Ware; eine Test-Erstattung danach wird abgelehnt',
          }),
          action: { kind: 'delete' },
        },
      ],
    },
    {
      table: 'test_payment_refunds',
      activity: 'payments.card-payment',
      subject: null,
      unlinkedBecause: {
        en: 'Stands in for the payment provider’s records of refunds (test mode only); linked to a person only through the order. Deleted 90 days after the refund, like the charges.',
        de: 'Steht für die Aufzeichnungen des Zahlungsdienstleisters über Erstattungen (nur im Testmodus); nur über die Bestellung einer Person zuzuordnen. Gelöscht 90 Tage nach der Erstattung, wie die Belastungen.',
      },
      columns: {
        idempotency_key: 'not-personal',
        charge_id: 'payment',
        amount_cents: 'purchases',
        created_at: 'payment',
      },
      erasure: null,
      retention: [
        {
          id: 'payments.delete-test-refunds',
          what: { en: 'Test payment refunds', de: 'Test-Zahlungserstattungen' },
          after: { days: 90 },
          from: 'created_at',
          fromEvent: { en: 'the refund', de: 'der Erstattung' },
          basis: testMode({
            en: 'as long as the test charges they belong to',
            de: 'so lange wie die Test-Belastungen, zu denen sie gehören',
          }),
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
