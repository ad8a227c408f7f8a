// The data map entry of the serial numbers of shipped units. They live as long as the order, but an erasure
// request deletes them: the kept order needs no serial numbers to prove a booking, and nobody's unit stays tied to an erased person.
import type { TableMap } from '../../privacy/data-map.ts';

export function orderSerialsTableMap(statutoryYears: number): TableMap {
  return {
    table: 'order_serials',
    activity: 'orders.purchase',
    subject: { via: 'user-id', column: 'user_id' },
    columns: {
      id: 'not-personal',
      order_id: 'purchases',
      user_id: 'account',
      line_no: 'not-personal',
      product_id: 'purchases',
      serial: 'product-identifier',
      recorded_at: 'purchases',
    },
    erasure: { action: 'delete' },
    retention: [
      {
        id: 'orders.delete-expired-serials',
        what: {
          en: 'Serial numbers of the hardware units of an order',
          de: 'Seriennummern der Hardware-Geräte einer Bestellung',
        },
        after: { years: statutoryYears, fromEndOfYear: true },
        from: 'recorded_at',
        fromEvent: { en: 'recording at shipping', de: 'der Erfassung beim Versand' },
        basis: {
          en: 'they record which unit was delivered under the order and prove who bought it when someone registers it; we keep them as long as the order',
          de: 'sie halten fest, welches Gerät mit der Bestellung geliefert wurde, und belegen bei einer Registrierung, wer es gekauft hat; wir bewahren sie so lange auf wie die Bestellung',
        },
        action: { kind: 'delete' },
      },
    ],
  };
}
