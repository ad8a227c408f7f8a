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
