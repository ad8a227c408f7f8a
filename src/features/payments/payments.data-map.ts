// The test provider's storage. In a real deployment this data lives with the payment provider, not here; the
// tables exist only while PAYMENT_PROVIDER=test (decision 0014), and every one of them has a retention rule.
import type { DataMapPart } from '../../privacy/data-map.ts';

const standsIn = {
  en: 'Stands in for the payment provider’s own storage (test mode only). A token or session names the account that may use it only so that nobody else can; rows are deleted a day after they were made and are not part of the data export (the payment data kept with each order is).',
  de: 'Steht für die eigene Speicherung des Zahlungsdienstleisters (nur im Testmodus). Ein Token oder eine Sitzung nennt das Konto, das es verwenden darf, nur damit niemand sonst es kann; Zeilen werden einen Tag nach ihrer Erstellung gelöscht und sind nicht Teil des Datenexports (die bei jeder Bestellung gespeicherten Zahlungsdaten sind es).',
};

const deleteAfterADay = (id: string, what: { en: string; de: string }) => ({
  id,
  what,
  after: { days: 1 },
  from: 'created_at',
  fromEvent: { en: 'their creation', de: 'ihrer Erstellung' },
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
        en: 'Taking payment for orders. You enter card numbers on the payment provider’s own payment page, never on ours; the provider gives us a single-use token, and we keep the card brand, last four digits and expiry for your order history.',
        de: 'Abwicklung der Zahlung von Bestellungen. Kartennummern geben Sie auf der Zahlungsseite des Zahlungsdienstleisters ein, nie auf unserer; der Dienstleister gibt uns ein Einmal-Token, und wir behalten Kartenmarke, die letzten vier Ziffern und das Ablaufdatum für Ihre Bestellhistorie.',
      },
      legalBasis: 'contract',
      subjects: { en: 'customers who pay by card or wallet', de: 'Kunden, die per Karte oder Wallet zahlen' },
      recipients: [
        {
          id: 'payment-provider',
          name: { en: 'our payment provider', de: 'unser Zahlungsdienstleister' },
          kind: 'processor',
          receives: ['payment'],
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
        deleteAfterADay('payments.delete-test-tokens', { en: 'Test payment tokens', de: 'Test-Zahlungs-Token' }),
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
        deleteAfterADay('payments.delete-test-sessions', {
          en: 'Test payment page sessions',
          de: 'Sitzungen der Test-Zahlungsseite',
        }),
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
        method: 'payment',
        amount_cents: 'payment',
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
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
