// The staff console's SQL beyond the queue (support.search.queries.ts): canned replies, the staff members tickets are
// assigned to, the customer's orders and serials beside a ticket, repairs of a ticket, merging, the open count.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { SupportCannedRepliesTable, SupportTicketsTable } from './support.tables.ts';

type Db = Kysely<Database>;

export async function listCannedReplies(db: Db): Promise<SupportCannedRepliesTable[]> {
  return db.selectFrom('support_canned_replies').selectAll().orderBy('title_en').orderBy('id').execute();
}

export async function findCannedReply(db: Db, id: string): Promise<SupportCannedRepliesTable | undefined> {
  return db.selectFrom('support_canned_replies').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCannedReply(db: Db, row: SupportCannedRepliesTable): Promise<void> {
  await db.insertInto('support_canned_replies').values(row).execute();
}

export async function updateCannedReply(
  db: Db,
  id: string,
  changes: Pick<SupportCannedRepliesTable, 'title_en' | 'title_de' | 'body_en' | 'body_de' | 'updated_at'>,
): Promise<boolean> {
  const r = await db.updateTable('support_canned_replies').set(changes).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteCannedReply(db: Db, id: string): Promise<void> {
  await db.deleteFrom('support_canned_replies').where('id', '=', id).execute();
}

export async function countCannedReplies(db: Db): Promise<number> {
  const row = await db
    .selectFrom('support_canned_replies')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Active staff and admins, for the assignment picker. */
export async function listStaffMembers(db: Db): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('role', 'in', ['staff', 'admin'])
    .where('deactivated_at', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function isActiveStaff(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', id)
    .where('role', 'in', ['staff', 'admin'])
    .where('deactivated_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findUserName(db: Db, id: string): Promise<{ name: string; email: string } | undefined> {
  return db.selectFrom('users').select(['name', 'email']).where('id', '=', id).executeTakeFirst();
}

export async function listOrdersOf(
  db: Db,
  userId: string,
  limit = 20,
): Promise<{ id: string; number: string; status: string; created_at: number }[]> {
  return db
    .selectFrom('orders')
    .select(['id', 'number', 'status', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function listRepairsOfTicket(
  db: Db,
  ticketId: string,
): Promise<{ id: string; serial: string; state: string; created_at: number }[]> {
  return db
    .selectFrom('support_repairs')
    .select(['id', 'serial', 'state', 'created_at'])
    .where('ticket_id', '=', ticketId)
    .orderBy('created_at')
    .execute();
}

/** Moves a duplicate's messages and attachments (and repairs) to the target ticket. */
export async function moveThread(db: Db, fromId: string, toId: string): Promise<void> {
  await db.updateTable('support_messages').set({ ticket_id: toId }).where('ticket_id', '=', fromId).execute();
  await db.updateTable('support_attachments').set({ ticket_id: toId }).where('ticket_id', '=', fromId).execute();
  await db.updateTable('support_repairs').set({ ticket_id: toId }).where('ticket_id', '=', fromId).execute();
}

/** New and open tickets (the staff home's figure). */
export async function countOpenTickets(db: Db): Promise<number> {
  const row = await db
    .selectFrom('support_tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', 'in', ['new', 'open'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A customer's tickets for the staff customer page, newest first. */
export async function listTicketsForCustomer(
  db: Db,
  userId: string,
  limit = 50,
): Promise<Pick<SupportTicketsTable, 'id' | 'ref' | 'subject' | 'state' | 'updated_at'>[]> {
  return db
    .selectFrom('support_tickets')
    .select(['id', 'ref', 'subject', 'state', 'updated_at'])
    .where('requester', '=', userId)
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function anyTicketExists(db: Db): Promise<boolean> {
  return (await db.selectFrom('support_tickets').select('id').limit(1).executeTakeFirst()) !== undefined;
}
