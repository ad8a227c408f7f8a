// SQL of the rollups, the exclusions' deletions and the dirty days. Raw event tables are named by code from a day
// (eventTableOf in analytics.queries.ts, which also makes, lists and fills them), never from input; every name
// passes assertSafeIdentifier.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { DAY } from '../../platform/clock.ts';
import { assertSafeIdentifier } from '../../platform/db/dialect.ts';
import type { AnalyticsDailyTable, AnalyticsEventRow, AnalyticsHourlyTable } from './analytics.tables.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw event tables are named at run time */
type AnyDb = Kysely<any>;
type Db = Kysely<Database>;

/** What the rollup reads of an event: everything but the pseudonym and the scroll depth. */
export type RollupEvent = Pick<
  AnalyticsEventRow,
  | 'id'
  | 'at'
  | 'kind'
  | 'visitor'
  | 'path'
  | 'referrer_host'
  | 'utm_source'
  | 'utm_medium'
  | 'utm_campaign'
  | 'language'
  | 'browser'
  | 'os'
  | 'device'
  | 'country'
  | 'screen'
  | 'duration_ms'
  | 'target'
  | 'pseudonym'
>;

export interface EventCursor {
  visitor: string;
  at: number;
  id: string;
}

/**
 * One keyset page of the day's events ordered by visitor, time and id, after `cursor`, leaving out the events of
 * excluded pseudonyms. The (visitor, at, id) index makes each page a range scan, never a sort of the day.
 */
export async function listEventPage(
  db: AnyDb,
  table: string,
  cursor: EventCursor | null,
  limit: number,
): Promise<RollupEvent[]> {
  let q = db
    .selectFrom(assertSafeIdentifier(table))
    .select([
      'id',
      'at',
      'kind',
      'visitor',
      'path',
      'referrer_host',
      'utm_source',
      'utm_medium',
      'utm_campaign',
      'language',
      'browser',
      'os',
      'device',
      'country',
      'screen',
      'duration_ms',
      'target',
      'pseudonym',
    ])
    .where((eb) =>
      eb.or([
        eb('pseudonym', 'is', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('analytics_exclusions')
              .select('analytics_exclusions.pseudonym')
              .whereRef('analytics_exclusions.pseudonym', '=', `${table}.pseudonym`),
          ),
        ),
      ]),
    );
  if (cursor)
    q = q.where((eb) => eb(eb.refTuple('visitor', 'at', 'id'), '>', eb.tuple(cursor.visitor, cursor.at, cursor.id)));
  const rows = await q.orderBy('visitor').orderBy('at').orderBy('id').limit(limit).execute();
  return rows as RollupEvent[];
}

/** Replaces a day's daily rows and its hourly rows in one transaction, inserting in batches. */
export async function replaceDayAggregates(
  db: Db,
  day: number,
  daily: AnalyticsDailyTable[],
  hourly: AnalyticsHourlyTable[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('analytics_daily').where('day', '=', day).execute();
    for (let i = 0; i < daily.length; i += 500)
      await trx
        .insertInto('analytics_daily')
        .values(daily.slice(i, i + 500))
        .execute();
    await trx
      .deleteFrom('analytics_hourly')
      .where('hour', '>=', day)
      .where('hour', '<', day + DAY)
      .execute();
    if (hourly.length > 0) await trx.insertInto('analytics_hourly').values(hourly).execute();
  });
}

/** The days from `from` on that have their totals row ('' dimension) in analytics_daily. */
export async function listRolledUpDays(db: Db, from: number): Promise<number[]> {
  const rows = await db
    .selectFrom('analytics_daily')
    .select('day')
    .where('dimension', '=', '')
    .where('value', '=', '')
    .where('day', '>=', from)
    .execute();
  return rows.map((r) => Number(r.day));
}

export async function listDirtyDays(db: Db): Promise<{ day: number; marked_at: number }[]> {
  const rows = await db.selectFrom('analytics_dirty_days').select(['day', 'marked_at']).orderBy('day').execute();
  return rows.map((r) => ({ day: Number(r.day), marked_at: Number(r.marked_at) }));
}

export async function markDaysDirty(db: AnyDb, days: readonly number[], now: number): Promise<void> {
  for (const day of new Set(days))
    await (db as Db)
      .insertInto('analytics_dirty_days')
      .values({ day, marked_at: now })
      .onConflict((oc) => oc.column('day').doUpdateSet({ marked_at: now }))
      .execute();
}

/** Clears a day's mark unless it was marked again after `upTo` (while the day was being rolled up). */
export async function clearDirtyDay(db: Db, day: number, upTo: number): Promise<void> {
  await db.deleteFrom('analytics_dirty_days').where('day', '=', day).where('marked_at', '<=', upTo).execute();
}

/** Deletes these pseudonyms' events from one raw table; the number deleted. */
export async function deleteEventsOfPseudonyms(
  db: AnyDb,
  table: string,
  pseudonyms: readonly string[],
): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < pseudonyms.length; i += 500) {
    const r = await db
      .deleteFrom(assertSafeIdentifier(table))
      .where('pseudonym', 'in', pseudonyms.slice(i, i + 500))
      .executeTakeFirst();
    deleted += Number(r.numDeletedRows);
  }
  return deleted;
}

/**
 * After a withdrawal of consent: the events that needed it (the beacon's) are deleted, and the page views and goals,
 * counted without consent on legitimate interest, lose their pseudonym. The number of events changed.
 */
export async function unlinkEventsOfPseudonyms(
  db: AnyDb,
  table: string,
  pseudonyms: readonly string[],
  consentKinds: readonly string[],
): Promise<number> {
  let changed = 0;
  for (let i = 0; i < pseudonyms.length; i += 500) {
    const some = pseudonyms.slice(i, i + 500);
    const deleted = await db
      .deleteFrom(assertSafeIdentifier(table))
      .where('pseudonym', 'in', some)
      .where('kind', 'in', [...consentKinds])
      .executeTakeFirst();
    const updated = await db
      .updateTable(assertSafeIdentifier(table))
      .set({ pseudonym: null })
      .where('pseudonym', 'in', some)
      .executeTakeFirst();
    changed += Number(deleted.numDeletedRows) + Number(updated.numUpdatedRows);
  }
  return changed;
}

export async function deleteAssignmentsOfPseudonyms(db: AnyDb, pseudonyms: readonly string[]): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < pseudonyms.length; i += 500) {
    const r = await (db as Db)
      .deleteFrom('analytics_assignments')
      .where('pseudonym', 'in', pseudonyms.slice(i, i + 500))
      .executeTakeFirst();
    deleted += Number(r.numDeletedRows);
  }
  return deleted;
}

/**
 * Accounts with an objection or a restriction to any of these activities, with the kind (objection first); a
 * restriction whose end (`ends_at`) has passed at `now` counts no more.
 */
export async function listPersonsRefusing(
  db: Db,
  activities: readonly string[],
  now: number,
): Promise<{ userId: string; kind: string }[]> {
  const rows = await db
    .selectFrom('processing_objections')
    .select(['user_id', 'kind'])
    .where('activity', 'in', [...activities])
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
    .orderBy('user_id')
    .orderBy('kind')
    .execute();
  const byPerson = new Map<string, string>();
  for (const r of rows) if (!byPerson.has(r.user_id) || r.kind === 'objection') byPerson.set(r.user_id, r.kind);
  return [...byPerson].map(([userId, kind]) => ({ userId, kind }));
}

/** The consent ids (the consent cookie's random ids) whose records were linked to these accounts. */
export async function listConsentIdsOfAccounts(db: AnyDb, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await (db as Db)
    .selectFrom('consent_records')
    .select('consent_id')
    .distinct()
    .where('user_id', 'in', [...userIds])
    .execute();
  return rows.map((r) => r.consent_id);
}

/** Of these pseudonyms, those with an event in the raw table: who came back (the partial index on pseudonym). */
export async function listPseudonymsIn(db: AnyDb, table: string, pseudonyms: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (let i = 0; i < pseudonyms.length; i += 500) {
    const rows = await db
      .selectFrom(assertSafeIdentifier(table))
      .select('pseudonym')
      .distinct()
      .where('pseudonym', 'in', pseudonyms.slice(i, i + 500))
      .execute();
    for (const r of rows as { pseudonym: string }[]) found.push(r.pseudonym);
  }
  return found;
}
