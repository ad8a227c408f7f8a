// Registering hardware serial numbers: format checked, one owner at a time, released on resale.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { findProductsByIds } from '../catalog/index.ts';
import * as q from './registrations.queries.ts';
import type { HardwareRegistrationsTable } from './registrations.tables.ts';

/** Serial numbers look like TF-2026-AB12CD: brand, year of manufacture, six letters or digits. */
export const SERIAL = /^TF-20\d{2}-[A-Z0-9]{6}$/;

const taken = () =>
  new AppError(409, 'serial_taken', {
    en: 'This serial number is registered to another account. If you bought the device second-hand, ask the seller to release it in their account.',
    de: 'Diese Seriennummer ist für ein anderes Konto registriert. Haben Sie das Gerät gebraucht gekauft, bitten Sie den Verkäufer, sie in seinem Konto freizugeben.',
  });

export async function registerHardware(deps: Deps, userId: string, productId: string, rawSerial: string): Promise<HardwareRegistrationsTable> {
  const serial = rawSerial.trim().toUpperCase();
  if (!SERIAL.test(serial)) {
    throw errors.invalidFields({ serial: { en: 'A serial number looks like TF-2026-AB12CD (on the label under the device).', de: 'Eine Seriennummer sieht aus wie TF-2026-AB12CD (auf dem Etikett unter dem Gerät).' } });
  }
  const [product] = await findProductsByIds(deps.db, [productId]);
  if (!product || product.kind !== 'hardware') throw errors.invalidFields({ productId: { en: 'Choose one of our hardware products.', de: 'Wählen Sie eines unserer Hardware-Produkte.' } });
  const existing = await q.findActiveRegistrationBySerial(deps.db, serial);
  if (existing) {
    if (existing.user_id === userId) return existing;
    throw taken();
  }
  const row: HardwareRegistrationsTable = { id: randomUUID(), user_id: userId, product_id: productId, serial, registered_at: deps.clock.now(), released_at: null };
  try {
    await q.insertRegistration(deps.db, row);
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
  return row;
}

export async function releaseHardware(deps: Deps, userId: string, id: string): Promise<void> {
  if (!(await q.releaseRegistration(deps.db, userId, id, deps.clock.now()))) throw errors.notFound();
}
