// Serial numbers of hardware units: staff record one per unit when an order ships (format checked, unique among
// the units this shop sold), and registrations ask here whether a serial number was sold by this shop, to whom.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Text } from '../../platform/i18n.ts';
import { findOrderById } from './orders.queries.ts';
import type { OrderLine, OrdersTable, OrderStatus } from './orders.tables.ts';
import * as q from './serials.queries.ts';
import type { OrderSerialsTable } from './serials.tables.ts';

/** Serial numbers look like TF-2026-AB12CD: brand, year of manufacture, six letters or digits. */
const SERIAL = /^TF-20\d{2}-[A-Z0-9]{6}$/;

export function normaliseSerial(raw: string): string {
  return raw.trim().toUpperCase();
}

export function isSerial(serial: string): boolean {
  return SERIAL.test(serial);
}

export const serialFormatText: Text = {
  en: 'A serial number looks like TF-2026-AB12CD (on the label under the device).',
  de: 'Eine Seriennummer sieht aus wie TF-2026-AB12CD (auf dem Etikett unter dem Gerät).',
};

/** Goods leave (or have left) the warehouse: serial numbers can be recorded. */
const RECORDABLE = new Set<OrderStatus>(['invoiced', 'paid', 'shipped', 'completed']);
/** The order did not go through or the goods came back: its units count as not sold. */
const NOT_SOLD = new Set<string>([
  'cancelled',
  'refunded',
  'pending_payment',
  'payment_failed',
] satisfies OrderStatus[]);

/** One hardware unit of an order: a hardware line, or a hardware product inside a bundle, once per quantity. */
export interface SerialSlot {
  lineNo: number;
  productId: string;
  title: string;
  serial: string;
}

function serialSlots(order: OrdersTable, recorded: OrderSerialsTable[]): SerialSlot[] {
  const slots: SerialSlot[] = [];
  (JSON.parse(order.lines) as OrderLine[]).forEach((line, lineNo) => {
    const units =
      line.kind === 'hardware'
        ? [{ productId: line.productId, title: line.title }]
        : (line.contents ?? []).filter((c) => c.kind === 'hardware');
    for (const unit of units)
      for (let i = 0; i < line.quantity; i++)
        slots.push({ lineNo, productId: unit.productId, title: unit.title, serial: '' });
  });
  const left = [...recorded];
  for (const slot of slots) {
    const at = left.findIndex((r) => r.line_no === slot.lineNo && r.product_id === slot.productId);
    if (at >= 0) slot.serial = left.splice(at, 1)[0]!.serial;
  }
  return slots;
}

/** How many hardware units the order has (each needs a serial number when it ships). */
export function countHardwareUnits(order: OrdersTable): number {
  return serialSlots(order, []).length;
}

export async function listOrderSerialSlots(deps: Pick<Deps, 'db'>, order: OrdersTable): Promise<SerialSlot[]> {
  return serialSlots(order, await q.listSerialsOfOrder(deps.db, order.id));
}

export function canRecordSerials(order: OrdersTable): boolean {
  return RECORDABLE.has(order.status);
}

const notNow = () =>
  new AppError(409, 'serials_not_recordable', {
    en: 'Serial numbers are recorded when a paid order ships.',
    de: 'Seriennummern werden erfasst, wenn eine bezahlte Bestellung versandt wird.',
  });
const noHardware = () =>
  errors.invalid({ en: 'This order contains no hardware.', de: 'Diese Bestellung enthält keine Hardware.' });
const duplicate: Text = {
  en: 'This serial number is entered twice.',
  de: 'Diese Seriennummer ist doppelt eingetragen.',
};
const soldElsewhere = (number: string): Text => ({
  en: `This serial number is already recorded for order ${number}.`,
  de: `Diese Seriennummer ist bereits für Bestellung ${number} erfasst.`,
});

/** The serial numbers of an order's units, checked: problems go into `fields` (`serial.i`), nothing is written. */
export interface CheckedSerials {
  slots: SerialSlot[];
  clean: string[];
  /** Rows of units that came back (their order cancelled or refunded): freed when these serials are stored. */
  comeBack: string[];
}

/**
 * Checks one serial number per hardware unit (`serials[i]` for slot i) inside the caller's transaction: the format,
 * no number twice, none recorded for another order that went through. Adds every problem to `fields`.
 */
export async function checkOrderSerials(
  trx: Deps['db'],
  order: OrdersTable,
  serials: string[],
  fields: Record<string, Text>,
): Promise<CheckedSerials> {
  const slots = serialSlots(order, []);
  const clean = slots.map((_, i) => normaliseSerial(serials[i] ?? ''));
  const comeBack: string[] = [];
  for (const [i, serial] of clean.entries()) {
    if (!isSerial(serial)) fields[`serial.${i}`] = serialFormatText;
    else if (clean.indexOf(serial) !== i) fields[`serial.${i}`] = duplicate;
    else {
      const other = await q.findSerialWithOrder(trx, serial);
      if (!other || other.order_id === order.id) continue;
      if (NOT_SOLD.has(other.status)) comeBack.push(other.id);
      else fields[`serial.${i}`] = soldElsewhere(other.number);
    }
  }
  return { slots, clean, comeBack };
}

/** Stores checked serial numbers in the caller's transaction, replacing what the order had recorded. */
export async function storeOrderSerials(
  trx: Deps['db'],
  order: OrdersTable,
  checked: CheckedSerials,
  now: number,
): Promise<void> {
  for (const id of checked.comeBack) await q.deleteSerialById(trx, id);
  await q.deleteSerialsOfOrder(trx, order.id);
  await q.insertSerials(
    trx,
    checked.slots.map((slot, i) => ({
      id: randomUUID(),
      order_id: order.id,
      user_id: order.user_id,
      line_no: slot.lineNo,
      product_id: slot.productId,
      serial: checked.clean[i]!,
      recorded_at: now,
    })),
  );
}

/** Two staff members recording the same unit for two orders at once: the second is told to look again. */
export function serialRecordedMeanwhile(err: unknown): unknown {
  return isUniqueViolation(err)
    ? new AppError(409, 'serial_recorded', {
        en: 'A serial number was recorded for another order meanwhile; reload and check.',
        de: 'Eine Seriennummer wurde inzwischen für eine andere Bestellung erfasst; bitte neu laden und prüfen.',
      })
    : err;
}

/**
 * Records the serial numbers of all hardware units of an order, one per unit (`serials[i]` for slot i), replacing
 * what was recorded before. A unit whose earlier order was cancelled or refunded came back and may be sold again.
 */
export async function recordOrderSerials(
  deps: Pick<Deps, 'db' | 'clock'>,
  orderId: string,
  serials: string[],
): Promise<void> {
  try {
    await deps.db.transaction().execute(async (trx) => {
      const order = await findOrderById(trx, orderId);
      if (!order || order.restricted_at !== null) throw errors.notFound();
      if (!RECORDABLE.has(order.status)) throw notNow();
      if (countHardwareUnits(order) === 0) throw noHardware();
      const fields: Record<string, Text> = {};
      const checked = await checkOrderSerials(trx, order, serials, fields);
      if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
      await storeOrderSerials(trx, order, checked, deps.clock.now());
    });
  } catch (err) {
    throw serialRecordedMeanwhile(err);
  }
}

/** The sale of a unit by this shop, if its serial number was recorded for an order that went through. */
export interface SerialSale {
  userId: string;
  /** The order's id (the staff order page's address). */
  orderId: string;
  orderNumber: string;
  productId: string;
}

export async function findSaleOfSerial(db: Deps['db'], serial: string): Promise<SerialSale | undefined> {
  const row = await q.findSerialWithOrder(db, serial);
  // A restricted order is only kept for the law: it proves nothing for or against anyone any more.
  if (!row || row.order_restricted_at !== null || NOT_SOLD.has(row.status)) return undefined;
  return { userId: row.user_id, orderId: row.order_id, orderNumber: row.number, productId: row.product_id };
}
