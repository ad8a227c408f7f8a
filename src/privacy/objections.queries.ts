// SQL of objection and restriction records.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { ObjectionKind, ProcessingObjectionsTable } from './objections.tables.ts';

type Db = Kysely<Database>;

export async function anyObjectionOrRestriction(db: Db, userId: string, activity: string): Promise<boolean> {
  const row = await db
    .selectFrom('processing_objections')
    .select('kind')
    .where('user_id', '=', userId)
    .where('activity', '=', activity)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findRecord(
  db: Db,
  userId: string,
  activity: string,
  kind: ObjectionKind,
): Promise<ProcessingObjectionsTable | undefined> {
  return db
    .selectFrom('processing_objections')
    .selectAll()
    .where('user_id', '=', userId)
    .where('activity', '=', activity)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

/** Keeps the first record of a kind: a second objection changes neither its time nor its way. */
export async function insertRecord(db: Db, row: ProcessingObjectionsTable): Promise<void> {
  await db
    .insertInto('processing_objections')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'activity', 'kind']).doNothing())
    .execute();
}

export async function deleteRecord(db: Db, userId: string, activity: string, kind: ObjectionKind): Promise<void> {
  await db
    .deleteFrom('processing_objections')
    .where('user_id', '=', userId)
    .where('activity', '=', activity)
    .where('kind', '=', kind)
    .execute();
}
