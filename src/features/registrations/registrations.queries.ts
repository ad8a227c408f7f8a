// SQL of hardware registrations. A partial unique index keeps one active owner per serial number.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { HardwareRegistrationsTable } from './registrations.tables.ts';

type Db = Kysely<Database>;

export async function insertRegistration(db: Db, row: HardwareRegistrationsTable): Promise<void> {
  await db.insertInto('hardware_registrations').values(row).execute();
}

export async function findActiveRegistrationBySerial(db: Db, serial: string): Promise<HardwareRegistrationsTable | undefined> {
  return db.selectFrom('hardware_registrations').selectAll().where('serial', '=', serial).where('released_at', 'is', null).executeTakeFirst();
}

export async function listActiveRegistrations(db: Db, userId?: string): Promise<HardwareRegistrationsTable[]> {
  let q = db.selectFrom('hardware_registrations').selectAll().where('released_at', 'is', null);
  if (userId) q = q.where('user_id', '=', userId);
  return q.orderBy('registered_at', 'desc').limit(500).execute();
}

export async function releaseRegistration(db: Db, userId: string, id: string, now: number): Promise<boolean> {
  const r = await db.updateTable('hardware_registrations').set({ released_at: now }).where('id', '=', id).where('user_id', '=', userId).where('released_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
