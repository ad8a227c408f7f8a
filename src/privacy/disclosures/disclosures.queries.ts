// SQL of the disclosure log and the hand-off queue.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { AddressDisclosuresTable, DisclosuresTable, HandoffsTable } from './disclosures.tables.ts';

type Db = Kysely<Database>;

/** Insert-if-absent: a disclosure recorded under a key (its id) is recorded once. */
export async function insertDisclosure(db: Db, row: DisclosuresTable): Promise<void> {
  await db
    .insertInto('disclosures')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Insert-if-absent: a retried mail (the same id, its outbox id) is recorded once. */
export async function insertAddressDisclosure(db: Db, row: AddressDisclosuresTable): Promise<void> {
  await db
    .insertInto('address_disclosures')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function insertHandoff(db: Db, row: HandoffsTable): Promise<void> {
  await db.insertInto('handoffs').values(row).execute();
}

export async function listUndeliveredHandoffs(db: Db, limit: number): Promise<HandoffsTable[]> {
  return db
    .selectFrom('handoffs')
    .selectAll()
    .where('delivered_at', 'is', null)
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

export async function markHandoffDelivered(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('handoffs').set({ delivered_at: now }).where('id', '=', id).execute();
}
