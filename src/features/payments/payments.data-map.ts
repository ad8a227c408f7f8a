// The test provider's storage. In a real deployment this data lives with the payment provider, not here.
import type { DataMapPart } from '../../privacy/data-map.ts';

export const paymentsDataMap: DataMapPart = {
  activities: [
    {
      id: 'payments.card-payment',
      name: { en: 'Payment', de: 'Zahlung' },
      purpose: {
        en: 'Taking payment for orders. Card numbers go only to the payment provider, which gives us a token; we keep the card brand, last four digits and expiry for your order history.',
        de: 'Abwicklung der Zahlung von Bestellungen. Kartennummern gehen nur an den Zahlungsdienstleister, der uns ein Token gibt; wir behalten Kartenmarke, die letzten vier Ziffern und das Ablaufdatum für Ihre Bestellhistorie.',
      },
      legalBasis: 'contract',
      subjects: { en: 'customers who pay by card or wallet', de: 'Kunden, die per Karte oder Wallet zahlen' },
      recipients: [{ id: 'payment-provider', name: { en: 'our payment provider', de: 'unser Zahlungsdienstleister' }, kind: 'processor', receives: ['payment'] }],
    },
  ],
  tables: [
    {
      table: 'test_payment_tokens',
      activity: 'payments.card-payment',
      subject: null,
      unlinkedBecause: {
        en: 'Stands in for the payment provider’s own storage; rows carry no name or account, only a token.',
        de: 'Steht für die eigene Speicherung des Zahlungsdienstleisters; Zeilen enthalten weder Namen noch Konto, nur ein Token.',
      },
      columns: { token: 'payment', brand: 'payment', last4: 'payment', exp_month: 'payment', exp_year: 'payment', outcome: 'not-personal', created_at: 'not-personal' },
      erasure: null,
      retention: [],
    },
    {
      table: 'test_payment_charges',
      activity: 'payments.card-payment',
      subject: null,
      unlinkedBecause: {
        en: 'Stands in for the payment provider’s records; linked to a person only through the order.',
        de: 'Steht für die Aufzeichnungen des Zahlungsdienstleisters; nur über die Bestellung einer Person zuzuordnen.',
      },
      columns: { id: 'payment', token: 'payment', method: 'payment', amount_cents: 'payment', currency: 'not-personal', idempotency_key: 'not-personal', status: 'payment', created_at: 'payment' },
      erasure: null,
      retention: [],
    },
  ],
};
