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
      serial: 'device',
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
        action: { kind: 'delete' },
      },
    ],
  };
}
