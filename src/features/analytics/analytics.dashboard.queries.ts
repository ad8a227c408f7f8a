// SQL of the staff dashboard. Unfiltered views read only the aggregates (analytics_daily by its primary key
// (dimension, day, value), analytics_hourly, analytics_bots), summed in SQL; a filter reads the raw daily tables of
// the period that still exist. Raw table names are built by code from dates, never from input.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { assertSafeIdentifier } from '../../platform/db/dialect.ts';
import type { AnalyticsDailyTable, AnalyticsTables } from './analytics.tables.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw event tables are named at run time */
type AnyDb = Kysely<any>;
type Db = Kysely<AnalyticsTables>;

const DAY_MS = 86_400_000;

/** The measures of an analytics_daily row. */
export type Sums = Pick<
  AnalyticsDailyTable,
  'visitors' | 'visits' | 'pageviews' | 'bounces' | 'duration_ms' | 'events'
>;

export interface ValueSums extends Sums {
  value: string;
}

const sums = (r: Partial<Record<keyof Sums, unknown>> | undefined): Sums => ({
  visitors: Number(r?.visitors ?? 0),
  visits: Number(r?.visits ?? 0),
  pageviews: Number(r?.pageviews ?? 0),
  bounces: Number(r?.bounces ?? 0),
  duration_ms: Number(r?.duration_ms ?? 0),
  events: Number(r?.events ?? 0),
});

const sumColumns = [
  sql<number>`sum(visitors)`.as('visitors'),
  sql<number>`sum(visits)`.as('visits'),
  sql<number>`sum(pageviews)`.as('pageviews'),
  sql<number>`sum(bounces)`.as('bounces'),
  sql<number>`sum(duration_ms)`.as('duration_ms'),
  sql<number>`sum(events)`.as('events'),
];

/** The sums of one dimension's value ('' and '' for the totals) over the days [from, to). */
export async function sumDaily(db: Db, dimension: string, value: string, from: number, to: number): Promise<Sums> {
  const row = await db
    .selectFrom('analytics_daily')
    .select(sumColumns)
    .where('dimension', '=', dimension)
    .where('day', '>=', from)
    .where('day', '<', to)
    .where('value', '=', value)
    .executeTakeFirst();
  return sums(row);
}

/** One value's sums per day over [from, to), days without a row left out. */
export async function listDailySums(
  db: Db,
  dimension: string,
  value: string,
  from: number,
  to: number,
): Promise<(Sums & { day: number })[]> {
  const rows = await db
    .selectFrom('analytics_daily')
    .select(['day', 'visitors', 'visits', 'pageviews', 'bounces', 'duration_ms', 'events'])
    .where('dimension', '=', dimension)
    .where('day', '>=', from)
    .where('day', '<', to)
    .where('value', '=', value)
    .orderBy('day')
    .execute();
  return rows.map((r) => ({ day: Number(r.day), ...sums(r) }));
}

/** The hourly totals over [from, to). */
export async function listHourly(
  db: Db,
  from: number,
  to: number,
): Promise<{ hour: number; visitors: number; visits: number; pageviews: number }[]> {
  const rows = await db
    .selectFrom('analytics_hourly')
    .select(['hour', 'visitors', 'visits', 'pageviews'])
    .where('hour', '>=', from)
    .where('hour', '<', to)
    .orderBy('hour')
    .execute();
  return rows.map((r) => ({
    hour: Number(r.hour),
    visitors: Number(r.visitors),
    visits: Number(r.visits),
    pageviews: Number(r.pageviews),
  }));
}

/** A dimension's values over [from, to), most visitors first (then most page views, then the value). */
export async function listTopValues(
  db: Db,
  dimension: string,
  from: number,
  to: number,
  limit: number,
): Promise<ValueSums[]> {
  const rows = await db
    .selectFrom('analytics_daily')
    .select(['value', ...sumColumns])
    .where('dimension', '=', dimension)
    .where('day', '>=', from)
    .where('day', '<', to)
    .groupBy('value')
    .orderBy(sql`sum(visitors)`, 'desc')
    .orderBy(sql`sum(pageviews)`, 'desc')
    .orderBy('value')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ value: r.value, ...sums(r) }));
}

/** Bots not counted over [from, to), per reason. */
export async function listBotCounts(db: Db, from: number, to: number): Promise<{ reason: string; count: number }[]> {
  const rows = await db
    .selectFrom('analytics_bots')
    .select(['reason', sql<number>`sum(count)`.as('count')])
    .where('day', '>=', from)
    .where('day', '<', to)
    .groupBy('reason')
    .orderBy(sql`sum(count)`, 'desc')
    .orderBy('reason')
    .execute();
  return rows.map((r) => ({ reason: r.reason, count: Number(r.count) }));
}

/** Conditions on raw events; every value is bound as a parameter. */
export interface RawFilter {
  path?: string | undefined;
  referrerHost?: string | undefined;
  country?: string | undefined;
  device?: string | undefined;
}

/** The raw column a table groups by, and the event kind it counts (null: every kind). */
export interface RawGrouping {
  column:
    | 'path'
    | 'referrer_host'
    | 'utm_source'
    | 'utm_medium'
    | 'utm_campaign'
    | 'browser'
    | 'os'
    | 'device'
    | 'screen'
    | 'language'
    | 'country'
    | 'target';
  kind: string | null;
}

const notExcluded = () => sql`(e.pseudonym is null or e.pseudonym not in (select pseudonym from analytics_exclusions))`;

function rawWhere(filter: RawFilter): RawBuilder<unknown> {
  const parts = [notExcluded()];
  if (filter.path !== undefined) parts.push(sql`e.path = ${filter.path}`);
  if (filter.referrerHost !== undefined) parts.push(sql`e.referrer_host = ${filter.referrerHost}`);
  if (filter.country !== undefined) parts.push(sql`e.country = ${filter.country}`);
  if (filter.device !== undefined) parts.push(sql`e.device = ${filter.device}`);
  return sql.join(parts, sql` and `);
}

const RAW_COLUMNS = sql.raw(
  'id, at, kind, visitor, pseudonym, path, referrer_host, utm_source, utm_medium, utm_campaign, language, browser, os, device, country, screen, target',
);

function rawUnion(tables: string[]): RawBuilder<unknown> {
  return sql.join(
    tables.map((t) => sql`select ${RAW_COLUMNS} from ${sql.table(assertSafeIdentifier(t))}`),
    sql` union all `,
  );
}

/** Distinct visitors of the events with `id >= idFrom` that pass the filter (the realtime count). */
export async function countRecentVisitors(
  db: AnyDb,
  tables: string[],
  idFrom: string,
  filter: RawFilter,
): Promise<number> {
  if (tables.length === 0) return 0;
  const r = await sql<{ n: number }>`select count(distinct e.visitor) as n from (${rawUnion(tables)}) e
    where e.id >= ${idFrom} and ${rawWhere(filter)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Visitors and page views of the raw events that pass the filter, per day. */
export async function listRawDailySums(
  db: AnyDb,
  tables: string[],
  filter: RawFilter,
): Promise<{ day: number; visitors: number; pageviews: number }[]> {
  if (tables.length === 0) return [];
  const r = await sql<{ day: number; visitors: number; pageviews: number }>`
    select e.at - (e.at % ${sql.lit(DAY_MS)}) as day, count(distinct e.visitor) as visitors,
      sum(case when e.kind = 'pageview' then 1 else 0 end) as pageviews
    from (${rawUnion(tables)}) e where ${rawWhere(filter)}
    group by 1 order by 1`.execute(db);
  return r.rows.map((x) => ({ day: Number(x.day), visitors: Number(x.visitors), pageviews: Number(x.pageviews) }));
}

/** The top values of one raw column among the events that pass the filter: visitors and page views (or events). */
export async function listRawTopValues(
  db: AnyDb,
  tables: string[],
  filter: RawFilter,
  grouping: RawGrouping,
  limit: number,
): Promise<{ value: string; visitors: number; pageviews: number; events: number }[]> {
  if (tables.length === 0) return [];
  const column = sql.ref(`e.${grouping.column}`);
  const kind = grouping.kind === null ? sql`1 = 1` : sql`e.kind = ${grouping.kind}`;
  const r = await sql<{ value: string; visitors: number; pageviews: number; events: number }>`
    select ${column} as value, count(distinct e.visitor) as visitors,
      sum(case when e.kind = 'pageview' then 1 else 0 end) as pageviews, count(*) as events
    from (${rawUnion(tables)}) e
    where ${rawWhere(filter)} and ${kind} and ${column} is not null
    group by ${column}
    order by count(distinct e.visitor) desc, sum(case when e.kind = 'pageview' then 1 else 0 end) desc, ${column}
    limit ${limit}`.execute(db);
  return r.rows.map((x) => ({
    value: String(x.value),
    visitors: Number(x.visitors),
    pageviews: Number(x.pageviews),
    events: Number(x.events),
  }));
}

// --- For tests and the bench: seeding aggregate rows as the rollup and the writer would (raw events: createEventPartition
// and insertEvents of analytics.queries.ts) ---

export async function insertDailyRows(
  db: Db,
  rows: ({ day: number; dimension: string; value: string } & Partial<Sums>)[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('analytics_daily')
      .values(rows.slice(i, i + 500).map((r) => ({ ...r, ...sums(r) })))
      .execute();
}

export async function insertHourlyRows(
  db: Db,
  rows: { hour: number; visitors: number; visits: number; pageviews: number }[],
): Promise<void> {
  if (rows.length > 0) await db.insertInto('analytics_hourly').values(rows).execute();
}

export async function insertBotRows(db: Db, rows: { day: number; reason: string; count: number }[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('analytics_bots').values(rows).execute();
}
