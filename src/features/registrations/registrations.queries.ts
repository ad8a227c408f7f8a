// SQL of hardware registrations and their review queue. A partial unique index keeps one active owner per serial.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { contains } from '../../platform/db/search.ts';
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

/** A registration as the staff console lists it, with its holder's name and address (the account may be gone). */
export interface ConsoleRegistrationRow extends HardwareRegistrationsTable {
  holder_name: string | null;
  holder_email: string | null;
}

export interface RegistrationSearch {
  /** A whole serial number (normalised): that unit's registrations, released ones too (its history). */
  serial?: string;
  /** Part of a serial number (normalised): active registrations whose serial contains it. */
  serialPart?: string;
  /** The last row of the page before (keyset: newest first, by registration time then id). */
  after?: { at: number; id: string };
  limit: number;
}

/** One page of registrations for the staff console; `limit + 1` rows so the caller sees whether more follow. */
export async function searchRegistrations(db: Db, s: RegistrationSearch): Promise<ConsoleRegistrationRow[]> {
  let q = db
    .selectFrom('hardware_registrations as r')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .selectAll('r')
    .select(['u.name as holder_name', 'u.email as holder_email']);
  if (s.serial) q = q.where('r.serial', '=', s.serial);
  else {
    q = q.where('r.released_at', 'is', null);
    if (s.serialPart) {
      q = q.where(contains(sql.ref('r.serial'), s.serialPart));
    }
  }
  const after = s.after;
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('r.registered_at', '<', after.at),
        eb.and([eb('r.registered_at', '=', after.at), eb('r.id', '<', after.id)]),
      ]),
    );
  return q
    .orderBy('r.registered_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(s.limit + 1)
    .execute();
}

/** One page of the open reviews, oldest first (the queue's order); `limit + 1` rows. */
export async function listOpenReviewsPage(
  db: Db,
  limit: number,
  after?: { at: number; id: string },
): Promise<RegistrationReviewsTable[]> {
  let q = db.selectFrom('registration_reviews').selectAll().where('resolved_at', 'is', null);
  if (after)
    q = q.where((eb) =>
      eb.or([eb('created_at', '>', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '>', after.id)])]),
    );
  return q
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
}

/** The open reviews by reason, and the reviews decided since `since`, for the queue's counts. */
export async function countReviews(db: Db, since: number) {
  const open = await db
    .selectFrom('registration_reviews')
    .select(['reason', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('resolved_at', 'is', null)
    .groupBy('reason')
    .execute();
  const decided = await db
    .selectFrom('registration_reviews')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('resolved_at', '>=', since)
    .executeTakeFirstOrThrow();
  return {
    open: Object.fromEntries(open.map((r) => [r.reason, Number(r.n)])) as Partial<Record<string, number>>,
    decidedSince: Number(decided.n),
  };
}

/**
 * Active registrations of a unit whose serial number was recorded on an order for another account, that staff did
 * not assign and the buyer did not release: candidates for "registered by someone other than the buyer". Whether
 * the order went through (and still counts as a sale) is the orders feature's to say (findSaleOfSerial).
 * Keyset as searchRegistrations; `limit + 1` rows.
 */
export async function listRegistrationsHeldByOthers(
  db: Db,
  limit: number,
  after?: { at: number; id: string },
): Promise<ConsoleRegistrationRow[]> {
  let q = db
    .selectFrom('hardware_registrations as r')
    .innerJoin('order_serials as s', 's.serial', 'r.serial')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .selectAll('r')
    .select(['u.name as holder_name', 'u.email as holder_email'])
    .where('r.released_at', 'is', null)
    .where('r.assigned_by_staff', '=', 0)
    .whereRef('s.user_id', '!=', 'r.user_id')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('hardware_registrations as b')
            .select('b.id')
            .whereRef('b.serial', '=', 'r.serial')
            .whereRef('b.user_id', '=', 's.user_id')
            .where('b.released_at', 'is not', null),
        ),
      ),
    );
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('r.registered_at', '<', after.at),
        eb.and([eb('r.registered_at', '=', after.at), eb('r.id', '<', after.id)]),
      ]),
    );
  return q
    .orderBy('r.registered_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit + 1)
    .execute();
}

/** Names and addresses of the accounts the console shows (holders, claimants, buyers); gone accounts are absent. */
export async function findPeople(db: Db, ids: string[]): Promise<Map<string, { name: string; email: string }>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]));
}
