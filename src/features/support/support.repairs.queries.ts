// The SQL of repairs: the repair row of a ticket, the staff list, state changes.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { RepairState, SupportRepairsTable } from './support.tables.ts';

type Db = Kysely<Database>;

export async function insertRepair(db: Db, row: SupportRepairsTable): Promise<void> {
  await db.insertInto('support_repairs').values(row).execute();
}

export async function findRepair(db: Db, id: string): Promise<SupportRepairsTable | undefined> {
  return db.selectFrom('support_repairs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A repair of this requester, or undefined (another person's repair is as absent as a missing one). */
export async function findRepairOf(db: Db, requester: string, id: string): Promise<SupportRepairsTable | undefined> {
  return db
    .selectFrom('support_repairs')
    .selectAll()
    .where('id', '=', id)
    .where('requester', '=', requester)
    .executeTakeFirst();
}

export async function findRepairOfTicket(db: Db, ticketId: string): Promise<SupportRepairsTable | undefined> {
  return db.selectFrom('support_repairs').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
}

/** The staff list: open repairs first (oldest first), then the most recently closed. */
export async function listRepairs(db: Db, limit = 200): Promise<SupportRepairsTable[]> {
  const open = await db
    .selectFrom('support_repairs')
    .selectAll()
    .where('closed_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  const closed = await db
    .selectFrom('support_repairs')
    .selectAll()
    .where('closed_at', 'is not', null)
    .orderBy('closed_at', 'desc')
    .orderBy('id')
    .limit(Math.max(0, limit - open.length))
    .execute();
  return [...open, ...closed];
}

export async function updateRepairState(
  db: Db,
  id: string,
  state: RepairState,
  closedAt: number | null,
): Promise<void> {
  await db.updateTable('support_repairs').set({ state, closed_at: closedAt }).where('id', '=', id).execute();
}

/** A registered unit held by this account (not released), or undefined. */
export async function findHeldRegistration(
  db: Db,
  userId: string,
  id: string,
): Promise<{ id: string; serial: string; product_id: string } | undefined> {
  return db
    .selectFrom('hardware_registrations')
    .select(['id', 'serial', 'product_id'])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('released_at', 'is', null)
    .executeTakeFirst();
}
