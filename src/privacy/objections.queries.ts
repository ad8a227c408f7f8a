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

/** Of these accounts, those with an objection or a restriction to the activity (in slices of 1000 ids). */
export async function personsWithObjectionOrRestriction(
  db: Db,
  userIds: readonly string[],
  activity: string,
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < userIds.length; i += 1000) {
    const rows = await db
      .selectFrom('processing_objections')
      .select('user_id')
      .where('activity', '=', activity)
      .where('user_id', 'in', userIds.slice(i, i + 1000))
      .execute();
    for (const r of rows) found.add(r.user_id);
  }
  return found;
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
