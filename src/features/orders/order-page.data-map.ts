// The data map entries of the staff order page's tables. Internal notes may say something about the customer
// ("called, will pay next week"): they are not booking vouchers, so no statutory retention keeps them. They serve
// the customer relation of the order, for as long as claims from it can be raised (the regular limitation period:
// three years from the end of the order's year, §§ 195, 199 BGB), never longer than the order itself, and an
// erasure request deletes them. Refunds are booking events of their own (vouchers): kept the statutory period from
// the end of their year.
import type { TableMap } from '../../privacy/data-map.ts';
import { bookingVoucherBasis, keptForTheLaw } from '../../privacy/retention-bases.ts';

/** The regular limitation period of claims from the order (§ 195 BGB), in years from the end of its year. */
export const NOTE_RETENTION_YEARS = 3;

export function orderNotesTableMap(statutoryYears: number): TableMap {
  // With the order if that goes first (a statutory period configured below three years).
  const years = Math.min(NOTE_RETENTION_YEARS, statutoryYears);
  return {
    table: 'order_notes',
    activity: 'orders.purchase',
    subject: { via: 'user-id', column: 'user_id' },
    columns: {
      id: 'not-personal',
      order_id: 'purchases',
      user_id: 'account',
      // The staff member who wrote it (their account), as in the access audit.
      author_id: 'account',
      body: 'communication',
      order_created_at: 'purchases',
      created_at: 'purchases',
      restricted_at: 'account',
    },
    // Not a booking voucher: nothing obliges us to keep a note once the customer asks for erasure.
    erasure: { action: 'delete' },
    retention: [
      {
        id: 'orders.delete-expired-order-notes',
        what: { en: 'Our internal notes on an order', de: 'Unsere internen Notizen zu einer Bestellung' },
        after: { years, fromEndOfYear: true },
        from: 'order_created_at',
        fromEvent: { en: 'the order', de: 'der Bestellung' },
        basis: {
          en: `they record how we handled the order, such as agreements with you and questions about the payment or the delivery, which we need as long as claims from the order can be raised: the regular limitation period of three years from the end of the year of the order under §§ 195 and 199 BGB, never longer than the order itself; they are not booking vouchers and are deleted when you ask for erasure`,
          de: `sie halten fest, wie wir die Bestellung abgewickelt haben, etwa Absprachen mit Ihnen und Fragen zur Zahlung oder Lieferung; wir benötigen sie, solange Ansprüche aus der Bestellung geltend gemacht werden können: die regelmäßige Verjährungsfrist von drei Jahren ab Ende des Jahres der Bestellung nach §§ 195 und 199 BGB, nie länger als die Bestellung selbst; sie sind keine Buchungsbelege und werden auf Ihren Löschantrag hin gelöscht`,
        },
        action: { kind: 'delete' },
      },
    ],
  };
}

export function orderRefundsTableMap(statutoryYears: number): TableMap {
  return {
    table: 'order_refunds',
    activity: 'orders.purchase',
    subject: { via: 'user-id', column: 'user_id' },
    columns: {
      id: 'not-personal',
      order_id: 'purchases',
      user_id: 'account',
      author_id: 'account',
      state: 'payment',
      amount_cents: 'payment',
      lines: 'purchases',
      shipping_cents: 'payment',
      created_at: 'payment',
      settled_at: 'payment',
      restricted_at: 'account',
    },
    erasure: {
      action: 'keep',
      until: {
        en: `${statutoryYears} years after the end of the calendar year of the refund`,
        de: `${statutoryYears} Jahre nach Ende des Kalenderjahres der Erstattung`,
      },
      basis: keptForTheLaw(bookingVoucherBasis),
      restrictColumn: 'restricted_at',
    },
    retention: [
      {
        id: 'orders.delete-expired-refunds',
        what: { en: 'Refunds of orders', de: 'Erstattungen zu Bestellungen' },
        after: { years: statutoryYears, fromEndOfYear: true },
        from: 'created_at',
        fromEvent: { en: 'the refund', de: 'der Erstattung' },
        basis: {
          en: `a refund is a booking of its own: ${bookingVoucherBasis.en}`,
          de: `eine Erstattung ist eine eigene Buchung: ${bookingVoucherBasis.de}`,
        },
        action: { kind: 'delete' },
      },
    ],
  };
}
