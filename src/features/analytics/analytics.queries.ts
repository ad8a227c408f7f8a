// SQL of the raw analytics events (daily tables `analytics_events_dYYYYMMDD`), the bot counters, experiment
// exposures and the exclusion list. Daily table names are built by code from dates, never from input.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import {
  assertSafeIdentifier,
  dbKindOf,
  listTables,
  refreshStatistics,
  types,
  type BulkInsert,
} from '../../platform/db/dialect.ts';
import { partitionDay, partitionName, partitionStart } from '../../privacy/data-map.ts';
import { ANALYTICS_EVENTS } from './analytics.data-map.ts';
import type {
  AnalyticsAssignmentsTable,
  AnalyticsBotsTable,
  AnalyticsEventRow,
  AnalyticsExclusionsTable,
} from './analytics.tables.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- the daily tables are named at run time */
type AnyDb = Kysely<any>;

/** The raw events table of the UTC day of `at`: `analytics_events_dYYYYMMDD`, a safe identifier. */
export function eventTableOf(at: number): string {
  return assertSafeIdentifier(partitionName(ANALYTICS_EVENTS, at));
}

const EVENT_TABLE = /^analytics_events_d\d{8}$/;

/**
 * Makes the raw events table of the UTC day of `at` unless it exists (both dialects: a plain table per day, dropped
 * whole), with the two indexes the rollup and the exclusions need; returns its name. Ids grow with time, so inserts
 * append to the primary key, and `id >= prefix` finds the last minutes.
 */
export async function createEventPartition(db: AnyDb, at: number): Promise<string> {
  const table = eventTableOf(at);
  await db.schema
    .createTable(table)
    .ifNotExists()
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('at', types.time, (c) => c.notNull())
    .addColumn('kind', types.short, (c) => c.notNull())
    .addColumn('visitor', types.short, (c) => c.notNull())
    .addColumn('pseudonym', types.short)
    .addColumn('path', types.text, (c) => c.notNull())
    .addColumn('referrer_host', types.short)
    .addColumn('utm_source', types.short)
    .addColumn('utm_medium', types.short)
    .addColumn('utm_campaign', types.short)
    .addColumn('language', types.short)
    .addColumn('browser', types.short)
    .addColumn('os', types.short)
    .addColumn('device', types.short)
    .addColumn('country', types.short)
    .addColumn('screen', types.short)
    .addColumn('duration_ms', types.int)
    .addColumn('scroll_pct', types.int)
    .addColumn('target', types.text)
    .execute();
  await ensureRollupIndexes(db, table);
  return table;
}

/** Before a rollup: the indexes (a no-op on tables made with them) and fresh planner statistics. */
export async function prepareEventTable(db: AnyDb, table: string): Promise<void> {
  await ensureRollupIndexes(db, table);
  await refreshStatistics(db, table);
}

/**
 * (visitor, at, id) for the rollup's keyset pages, and the pseudonyms (partial: most events have none) for deleting
 * a person's events; a no-op once they exist.
 */
async function ensureRollupIndexes(db: AnyDb, table: string): Promise<void> {
  await db.schema
    .createIndex(assertSafeIdentifier(`${table}_visitor`))
    .ifNotExists()
    .on(table)
    .columns(['visitor', 'at', 'id'])
    .execute();
  await db.schema
    .createIndex(assertSafeIdentifier(`${table}_pseudonym`))
    .ifNotExists()
    .on(table)
    .column('pseudonym')
    .where('pseudonym', 'is not', null)
    .execute();
}

/** Both dialects cap bound parameters (PostgreSQL 65,535; SQLite 32,766): stay well under either. */
const MAX_PARAMETERS = 30_000;

function chunksOf<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, columns)));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

/**
 * Inserts events into the raw table of the UTC day of `at` (made by createEventPartition) with multi-row INSERTs;
 * call inside a transaction so a batch lands whole.
 */
export async function insertEvents(
  db: AnyDb,
  at: number,
  rows: AnalyticsEventRow[],
  bulkInsert?: BulkInsert,
): Promise<void> {
  const table = eventTableOf(at);
  // The dialect's bulk path (inside the caller's transaction) is several times cheaper than compiling multi-row
  // INSERTs on SQLite, where writing shares the thread with the requests.
  if (bulkInsert) return bulkInsert(db, table, rows as unknown as Record<string, unknown>[]);
  for (const chunk of chunksOf(rows, 19)) await db.insertInto(table).values(chunk).execute();
}

/** The raw events tables that exist, oldest first. */
export async function listEventTables(db: AnyDb): Promise<string[]> {
  return (await listTables(db, dbKindOf(db))).filter((t) => EVENT_TABLE.test(t)).sort();
}

/** The starts of the UTC days that have a raw events table, oldest first. */
export async function listEventDays(db: AnyDb): Promise<number[]> {
  return (await listEventTables(db)).map((t) => partitionStart(partitionDay(ANALYTICS_EVENTS, t)!));
}

/** A day's raw events, in id (time) order; `sinceId` (an `eventIdPrefix`) keeps those at or after it. */
export async function listEvents(db: AnyDb, table: string, sinceId?: string): Promise<AnalyticsEventRow[]> {
  if (!EVENT_TABLE.test(table)) throw new Error(`not an analytics events table: ${table}`);
  let query = db.selectFrom(assertSafeIdentifier(table)).selectAll();
  if (sinceId !== undefined) query = query.where('id', '>=', sinceId);
  return (await query.orderBy('id').execute()) as AnalyticsEventRow[];
}

/** Adds to the per-day, per-reason bot counters (insert, or add to the row that is there). */
export async function addBotCounts(db: Kysely<Database>, rows: AnalyticsBotsTable[]): Promise<void> {
  for (const chunk of chunksOf(rows, 3))
    await db
      .insertInto('analytics_bots')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(['day', 'reason'])
          .doUpdateSet({ count: (eb) => eb('analytics_bots.count', '+', eb.ref('excluded.count')) }),
      )
      .execute();
}

export async function listBotCounts(db: Kysely<Database>): Promise<AnalyticsBotsTable[]> {
  return db.selectFrom('analytics_bots').selectAll().orderBy('day').orderBy('reason').execute();
}

/** Experiment exposures: the first assignment of a pseudonym to an experiment stays; repeats change nothing. */
export async function insertAssignments(db: Kysely<Database>, rows: AnalyticsAssignmentsTable[]): Promise<void> {
  for (const chunk of chunksOf(rows, 5))
    await db
      .insertInto('analytics_assignments')
      .values(chunk)
      .onConflict((oc) => oc.columns(['experiment_id', 'pseudonym']).doNothing())
      .execute();
}

/**
 * Stores exclusions (a repeated one is renewed: its reason and time are the latest), except that a 'withdrawal' never
 * replaces another reason (an objection, restriction or erasure outlasts a withdrawal of consent).
 */
export async function upsertExclusions(db: Kysely<Database>, rows: AnalyticsExclusionsTable[]): Promise<void> {
  for (const chunk of chunksOf(rows, 3))
    await db
      .insertInto('analytics_exclusions')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .column('pseudonym')
          .doUpdateSet({
            reason: (eb) => eb.ref('excluded.reason'),
            added_at: (eb) => eb.ref('excluded.added_at'),
          })
          .where((eb) =>
            eb.or([eb('excluded.reason', '<>', 'withdrawal'), eb('analytics_exclusions.reason', '=', 'withdrawal')]),
          ),
      )
      .execute();
}

/** Removes exclusions; with `reason`, only those stored for that reason. */
export async function deleteExclusions(db: Kysely<Database>, pseudonyms: string[], reason?: string): Promise<void> {
  if (pseudonyms.length === 0) return;
  let query = db.deleteFrom('analytics_exclusions').where('pseudonym', 'in', pseudonyms);
  if (reason !== undefined) query = query.where('reason', '=', reason);
  await query.execute();
}

/** Every stored exclusion with its reason. */
export async function listExclusions(db: Kysely<Database>): Promise<{ pseudonym: string; reason: string }[]> {
  return db.selectFrom('analytics_exclusions').select(['pseudonym', 'reason']).execute();
}

export async function listExcludedPseudonyms(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('analytics_exclusions').select('pseudonym').execute()).map((r) => r.pseudonym);
}
