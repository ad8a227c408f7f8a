// SQL of licences and activations.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { ActivationsTable, LicencesTable } from './licences.tables.ts';

type Db = Kysely<Database>;

export async function insertLicence(db: Db, row: LicencesTable): Promise<void> {
  await db.insertInto('licences').values(row).execute();
}

export async function findLicenceByKey(db: Db, key: string): Promise<LicencesTable | undefined> {
  return db.selectFrom('licences').selectAll().where('licence_key', '=', key).executeTakeFirst();
}

export async function listLicencesOfUser(db: Db, userId: string): Promise<LicencesTable[]> {
  return db.selectFrom('licences').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

export async function listLicencesOfOrder(db: Db, orderId: string): Promise<LicencesTable[]> {
  return db.selectFrom('licences').selectAll().where('order_id', '=', orderId).orderBy('created_at').execute();
}

/** Revokes up to `count` still valid licences of a product bought with an order, and ends their activations. */
export async function revokeLicences(
  db: Db,
  orderId: string,
  productId: string,
  count: number,
  now: number,
): Promise<number> {
  const ids = (
    await db
      .selectFrom('licences')
      .select('id')
      .where('order_id', '=', orderId)
      .where('product_id', '=', productId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .limit(count)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return 0;
  await db.updateTable('licences').set({ revoked_at: now }).where('id', 'in', ids).execute();
  await db
    .updateTable('activations')
    .set({ deactivated_at: now })
    .where('licence_id', 'in', ids)
    .where('deactivated_at', 'is', null)
    .execute();
  return ids.length;
}

export async function listActiveActivations(db: Db, licenceIds: string[]): Promise<ActivationsTable[]> {
  if (licenceIds.length === 0) return [];
  return db
    .selectFrom('activations')
    .selectAll()
    .where('licence_id', 'in', licenceIds)
    .where('deactivated_at', 'is', null)
    .orderBy('activated_at')
    .execute();
}

export async function insertActivation(db: Db, row: ActivationsTable): Promise<void> {
  await db.insertInto('activations').values(row).execute();
}

export async function deactivate(db: Db, licenceId: string, activationId: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('activations')
    .set({ deactivated_at: now })
    .where('id', '=', activationId)
    .where('licence_id', '=', licenceId)
    .where('deactivated_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Names an active machine of a licence; false when there is no such active machine. */
export async function renameActivation(
  db: Db,
  licenceId: string,
  activationId: string,
  name: string,
): Promise<boolean> {
  const r = await db
    .updateTable('activations')
    .set({ machine_name: name })
    .where('id', '=', activationId)
    .where('licence_id', '=', licenceId)
    .where('deactivated_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
