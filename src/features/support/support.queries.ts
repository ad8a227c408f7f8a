// The core SQL of support: tickets, their thread, attachments, profiles. The staff console's search lives in
// support.search.queries.ts, repairs in support.repairs.queries.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type {
  KeptReason,
  SupportAttachmentsTable,
  SupportMessagesTable,
  SupportTicketsTable,
  TicketState,
} from './support.tables.ts';

type Db = Kysely<Database>;

export async function insertTicket(db: Db, row: SupportTicketsTable): Promise<void> {
  await db.insertInto('support_tickets').values(row).execute();
}

export async function insertMessage(db: Db, row: SupportMessagesTable): Promise<void> {
  await db.insertInto('support_messages').values(row).execute();
}

export async function insertAttachment(db: Db, row: SupportAttachmentsTable): Promise<void> {
  await db.insertInto('support_attachments').values(row).execute();
}

export async function findTicket(db: Db, id: string): Promise<SupportTicketsTable | undefined> {
  return db.selectFrom('support_tickets').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTicketByRef(db: Db, ref: string): Promise<SupportTicketsTable | undefined> {
  return db.selectFrom('support_tickets').selectAll().where('ref', '=', ref).executeTakeFirst();
}

/** A ticket of this requester, or undefined (another person's ticket is as absent as a missing one). */
export async function findTicketOf(db: Db, requester: string, id: string): Promise<SupportTicketsTable | undefined> {
  return db
    .selectFrom('support_tickets')
    .selectAll()
    .where('id', '=', id)
    .where('requester', '=', requester)
    .executeTakeFirst();
}

export async function listTicketsOf(db: Db, requester: string, limit = 200): Promise<SupportTicketsTable[]> {
  return db
    .selectFrom('support_tickets')
    .selectAll()
    .where('requester', '=', requester)
    .where('merged_into', 'is', null)
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The thread, oldest first; internal notes only when asked for (staff). */
export async function listMessages(db: Db, ticketId: string, withNotes: boolean): Promise<SupportMessagesTable[]> {
  let q = db.selectFrom('support_messages').selectAll().where('ticket_id', '=', ticketId);
  if (!withNotes) q = q.where('author', '!=', 'note');
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function listAttachments(db: Db, ticketId: string): Promise<SupportAttachmentsTable[]> {
  return db
    .selectFrom('support_attachments')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findAttachment(db: Db, id: string): Promise<SupportAttachmentsTable | undefined> {
  return db.selectFrom('support_attachments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateTicket(
  db: Db,
  id: string,
  changes: Partial<Omit<SupportTicketsTable, 'id' | 'ref' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('support_tickets').set(changes).where('id', '=', id).execute();
}

/** Sets why a ticket outlives an erasure request on the ticket and on every row of it, in one go. */
export async function setTicketKept(
  db: Db,
  ticketId: string,
  reason: KeptReason | null,
  note: string | null,
): Promise<void> {
  await db
    .updateTable('support_tickets')
    .set({ kept_reason: reason, kept_note: note })
    .where('id', '=', ticketId)
    .execute();
  await db.updateTable('support_messages').set({ kept_reason: reason }).where('ticket_id', '=', ticketId).execute();
  await db.updateTable('support_attachments').set({ kept_reason: reason }).where('ticket_id', '=', ticketId).execute();
  await db.updateTable('support_repairs').set({ kept_reason: reason }).where('ticket_id', '=', ticketId).execute();
}

/** Solved tickets without an answer since `before`: the auto-close job closes them. */
export async function listSolvedBefore(db: Db, before: number, limit: number): Promise<SupportTicketsTable[]> {
  return db
    .selectFrom('support_tickets')
    .selectAll()
    .where('state', '=', 'solved' satisfies TicketState)
    .where('solved_at', '<', before)
    .orderBy('solved_at')
    .limit(limit)
    .execute();
}

/** The mail address of an account (registered requesters are stored by id). */
export async function findAccountContact(
  db: Db,
  userId: string,
): Promise<{ email: string; name: string; lang: string } | undefined> {
  return db.selectFrom('users').select(['email', 'name', 'lang']).where('id', '=', userId).executeTakeFirst();
}

export async function findProfile(
  db: Db,
  userId: string,
): Promise<{ profile: string; updated_at: number } | undefined> {
  return db
    .selectFrom('support_profiles')
    .select(['profile', 'updated_at'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function saveProfile(db: Db, userId: string, profile: string, now: number): Promise<void> {
  await db
    .insertInto('support_profiles')
    .values({ user_id: userId, profile, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ profile, updated_at: now }))
    .execute();
}

export async function deleteProfile(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('support_profiles').where('user_id', '=', userId).execute();
}

/** The serials registered to an account (hardware registrations still held), for the profile's picker. */
export async function listRegisteredSerials(
  db: Db,
  userId: string,
): Promise<{ id: string; serial: string; product_id: string }[]> {
  return db
    .selectFrom('hardware_registrations')
    .select(['id', 'serial', 'product_id'])
    .where('user_id', '=', userId)
    .where('released_at', 'is', null)
    .orderBy('registered_at')
    .execute();
}

/** Whether a Message-ID of an inbound mail was read into a ticket already (a redelivered mail is taken once). */
export async function hasMailMessageId(db: Db, mailMessageId: string): Promise<boolean> {
  const row = await db
    .selectFrom('support_messages')
    .select('id')
    .where('mail_message_id', '=', mailMessageId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The person's tickets that an erasure keeps (business letters, legal holds) and that are not closed yet. */
export async function listOpenKeptTicketsOf(db: Db, requesters: string[]): Promise<SupportTicketsTable[]> {
  if (requesters.length === 0) return [];
  return db
    .selectFrom('support_tickets')
    .selectAll()
    .where('requester', 'in', requesters)
    .where('kept_reason', 'is not', null)
    .where('closed_at', 'is', null)
    .execute();
}

/** Deletes a ticket; its messages, attachments, repair and search row go with it (foreign keys with cascade). */
export async function deleteTicket(db: Db, id: string): Promise<void> {
  await db.deleteFrom('support_tickets').where('id', '=', id).execute();
}
