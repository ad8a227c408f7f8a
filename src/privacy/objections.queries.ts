// SQL of objection and restriction records.
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { ObjectionKind, ProcessingObjectionsTable } from './objections.tables.ts';

type Db = Kysely<Database>;

/** The record still stands at `now`: no end, or an end still to come (an ended restriction counts no more). */
export function standing(eb: ExpressionBuilder<Database, 'processing_objections'>, now: number) {
  return eb.or([eb('processing_objections.ends_at', 'is', null), eb('processing_objections.ends_at', '>', now)]);
}

export async function anyObjectionOrRestriction(
  db: Db,
  userId: string,
  activity: string,
  now: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('processing_objections')
    .select('kind')
    .where('user_id', '=', userId)
    .where('activity', '=', activity)
    .where((eb) => standing(eb, now))
    .executeTakeFirst();
  return row !== undefined;
}

/** Of these accounts, those with an objection or a restriction to the activity (in slices of 1000 ids). */
export async function personsWithObjectionOrRestriction(
  db: Db,
  userIds: readonly string[],
  activity: string,
  now: number,
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < userIds.length; i += 1000) {
    const rows = await db
      .selectFrom('processing_objections')
      .select('user_id')
      .where('activity', '=', activity)
      .where('user_id', 'in', userIds.slice(i, i + 1000))
      .where((eb) => standing(eb, now))
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

/**
 * Keeps the first record of a kind: a second objection changes neither its time nor its way. A restriction's end
 * is the latest decision's (the DPO extends or shortens it).
 */
export async function insertRecord(db: Db, row: ProcessingObjectionsTable): Promise<void> {
  await db
    .insertInto('processing_objections')
    .values(row)
    .onConflict((oc) =>
      row.kind === 'restriction'
        ? oc.columns(['user_id', 'activity', 'kind']).doUpdateSet({ ends_at: row.ends_at })
        : oc.columns(['user_id', 'activity', 'kind']).doNothing(),
    )
    .execute();
}

/** Deletes every restriction of the person (of any activity): the DPO lifted the person's restriction. */
export async function deleteRestrictionsOf(db: Db, userId: string, activities: readonly string[]): Promise<number> {
  if (activities.length === 0) return 0;
  const r = await db
    .deleteFrom('processing_objections')
    .where('user_id', '=', userId)
    .where('kind', '=', 'restriction')
    .where('activity', 'in', [...activities])
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteRecord(db: Db, userId: string, activity: string, kind: ObjectionKind): Promise<void> {
  await db
    .deleteFrom('processing_objections')
    .where('user_id', '=', userId)
    .where('activity', '=', activity)
    .where('kind', '=', kind)
    .execute();
}
