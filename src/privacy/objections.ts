// One check before any processing a person can object to or have restricted: `mayProcess`. Features record and
// lift objections (Art. 21 GDPR) and restrictions (Art. 18 GDPR) here, per data map activity, instead of each
// keeping a table of its own; the activity must be marked `objectable` in the data map.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { Deps } from '../deps.ts';
import {
  anyObjectionOrRestriction,
  deleteRecord,
  deleteRestrictionsOf,
  findRecord,
  insertRecord,
  personsWithObjectionOrRestriction,
} from './objections.queries.ts';
import type { ObjectionKind, ProcessingObjectionsTable } from './objections.tables.ts';

export type { ObjectionKind, ProcessingObjectionsTable } from './objections.tables.ts';

type Db = Kysely<Database>;

/**
 * False while the person objected to the activity or had it restricted. An activity the data map does not know,
 * or does not mark `objectable`, throws: a misspelt id must not quietly allow the processing.
 */
export async function mayProcess(
  deps: Pick<Deps, 'db' | 'dataMap' | 'clock'>,
  person: string,
  activity: string,
): Promise<boolean> {
  const declared = deps.dataMap.activities.find((a) => a.id === activity);
  if (!declared) throw new Error(`mayProcess: the data map has no activity ${activity}`);
  if (!declared.objectable) throw new Error(`mayProcess: activity ${activity} is not marked objectable`);
  return !(await anyObjectionOrRestriction(deps.db, person, activity, deps.clock.now()));
}

/**
 * Of these persons (account ids), those `mayProcess` would refuse for the activity: one query for a batch, e.g. a
 * page of a campaign's audience. The same rules: an unknown or not objectable activity throws.
 */
export async function personsNotToProcess(
  deps: Pick<Deps, 'db' | 'dataMap' | 'clock'>,
  persons: readonly string[],
  activity: string,
): Promise<Set<string>> {
  const declared = deps.dataMap.activities.find((a) => a.id === activity);
  if (!declared) throw new Error(`personsNotToProcess: the data map has no activity ${activity}`);
  if (!declared.objectable) throw new Error(`personsNotToProcess: activity ${activity} is not marked objectable`);
  if (persons.length === 0) return new Set();
  return personsWithObjectionOrRestriction(deps.db, [...new Set(persons)], activity, deps.clock.now());
}

export interface ObjectionEntry {
  person: string;
  activity: string;
  kind: ObjectionKind;
  /** Where it was recorded, e.g. 'account', 'mail', 'staff'. */
  via: string;
  /** When a restriction ends by itself; absent or null: it stands until lifted. */
  endsAt?: number | null;
}

/** Records an objection or a restriction; recording it again keeps the first record. */
export async function recordObjection(db: Db, at: number, entry: ObjectionEntry): Promise<void> {
  await insertRecord(db, {
    user_id: entry.person,
    activity: entry.activity,
    kind: entry.kind,
    recorded_at: at,
    via: entry.via,
    ends_at: entry.endsAt ?? null,
  });
}

/** The person withdraws their objection, or the restriction ends. */
export async function liftObjection(db: Db, person: string, activity: string, kind: ObjectionKind): Promise<void> {
  await deleteRecord(db, person, activity, kind);
}

/** Lifts the person's restrictions of these activities at once (the DPO ends a restriction of the whole person). */
export async function liftRestrictions(db: Db, person: string, activities: readonly string[]): Promise<number> {
  return deleteRestrictionsOf(db, person, activities);
}

export async function findObjection(
  db: Db,
  person: string,
  activity: string,
  kind: ObjectionKind,
): Promise<ProcessingObjectionsTable | undefined> {
  return findRecord(db, person, activity, kind);
}
