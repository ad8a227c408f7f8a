// SQL of hardware registrations and their review queue. A partial unique index keeps one active owner per serial.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { HardwareRegistrationsTable, RegistrationReviewsTable, ReviewResolution } from './registrations.tables.ts';

type Db = Kysely<Database>;

export async function insertRegistration(db: Db, row: HardwareRegistrationsTable): Promise<void> {
  await db.insertInto('hardware_registrations').values(row).execute();
}

export async function findActiveRegistrationBySerial(
  db: Db,
  serial: string,
): Promise<HardwareRegistrationsTable | undefined> {
  return db
    .selectFrom('hardware_registrations')
    .selectAll()
    .where('serial', '=', serial)
    .where('released_at', 'is', null)
    .executeTakeFirst();
}

export async function listActiveRegistrations(db: Db, userId?: string): Promise<HardwareRegistrationsTable[]> {
  let q = db.selectFrom('hardware_registrations').selectAll().where('released_at', 'is', null);
  if (userId) q = q.where('user_id', '=', userId);
  return q.orderBy('registered_at', 'desc').limit(500).execute();
}

export async function releaseRegistration(db: Db, userId: string, id: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('hardware_registrations')
    .set({ released_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Releases whoever holds the serial number now (a proven claim or a staff decision). */
export async function releaseActiveRegistrationOfSerial(db: Db, serial: string, now: number): Promise<void> {
  await db
    .updateTable('hardware_registrations')
    .set({ released_at: now })
    .where('serial', '=', serial)
    .where('released_at', 'is', null)
    .execute();
}

/** Whether this account once registered the serial number and released it (gave the device away). */
export async function hasReleasedRegistration(db: Db, userId: string, serial: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('hardware_registrations')
      .select('id')
      .where('user_id', '=', userId)
      .where('serial', '=', serial)
      .where('released_at', 'is not', null)
      .executeTakeFirst()) !== undefined
  );
}

export async function insertReview(db: Db, row: RegistrationReviewsTable): Promise<void> {
  await db.insertInto('registration_reviews').values(row).execute();
}

export async function findOpenReview(
  db: Db,
  userId: string,
  serial: string,
): Promise<RegistrationReviewsTable | undefined> {
  return db
    .selectFrom('registration_reviews')
    .selectAll()
    .where('user_id', '=', userId)
    .where('serial', '=', serial)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
}

export async function countOpenReviewsOfUser(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('registration_reviews')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId)
    .where('resolved_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findReviewById(db: Db, id: string): Promise<RegistrationReviewsTable | undefined> {
  return db.selectFrom('registration_reviews').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOpenReviews(db: Db): Promise<RegistrationReviewsTable[]> {
  return db
    .selectFrom('registration_reviews')
    .selectAll()
    .where('resolved_at', 'is', null)
    .orderBy('created_at')
    .limit(500)
    .execute();
}

/** Resolves the review only if it is still open: two staff members cannot both decide it. */
export async function resolveReviewIfOpen(
  db: Db,
  id: string,
  resolution: ReviewResolution,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('registration_reviews')
    .set({ resolution, resolved_at: now })
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The claimant's own open review, settled when their registration succeeds after all. */
export async function deleteOpenReview(db: Db, userId: string, serial: string): Promise<void> {
  await db
    .deleteFrom('registration_reviews')
    .where('user_id', '=', userId)
    .where('serial', '=', serial)
    .where('resolved_at', 'is', null)
    .execute();
}
