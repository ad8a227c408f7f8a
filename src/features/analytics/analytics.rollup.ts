// Rolls a day's raw events up into analytics_daily (per dimension and value) and analytics_hourly. Reads the day in
// keyset pages ordered by visitor and time, so memory holds one visitor and the counters, never the day; rolling a
// day again gives the same rows (the day's rows are replaced in one transaction). Excluded pseudonyms are left out.
import type { Deps } from '../../deps.ts';
import { DAY, HOUR } from '../../platform/clock.ts';
import { VISIT_GAP_MS } from './analytics.model.ts';
import { eventTableOf, listEventDays, listEventTables, prepareEventTable } from './analytics.queries.ts';
import {
  clearDirtyDay,
  listDirtyDays,
  listEventPage,
  listRolledUpDays,
  replaceDayAggregates,
  type EventCursor,
  type RollupEvent,
  listPseudonymsIn,
} from './analytics.rollup.queries.ts';
import type { AnalyticsDailyTable, AnalyticsHourlyTable } from './analytics.tables.ts';
import { pseudonymKind } from './analytics.visitor.ts';

/** Rows read per keyset page. */
const PAGE_SIZE = 5000;
/** Values are cut to the width of analytics_daily.value. */
const VALUE_LENGTH = 255;
/** A visit's own dimensions, taken from its first page view (screen: from its first 'engagement' event). */
const VISIT_DIMENSIONS = [
  'source',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'browser',
  'os',
  'device',
  'language',
  'country',
] as const;
const FIRST_EVENT_COLUMN: Record<(typeof VISIT_DIMENSIONS)[number], keyof RollupEvent> = {
  source: 'referrer_host',
  utm_source: 'utm_source',
  utm_medium: 'utm_medium',
  utm_campaign: 'utm_campaign',
  browser: 'browser',
  os: 'os',
  device: 'device',
  language: 'language',
  country: 'country',
};

type Metrics = Omit<AnalyticsDailyTable, 'day' | 'dimension' | 'value'>;

function cut(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return value.length <= VALUE_LENGTH ? value : Array.from(value).slice(0, VALUE_LENGTH).join('');
}

const isCheckout = (path: string) => path === '/checkout' || path.startsWith('/checkout/');

interface PageInVisit {
  pageviews: number;
  duration_ms: number;
  events: number;
}

interface Visit {
  first: RollupEvent;
  lastAt: number;
  lastPath: string;
  pageviews: number;
  /** The longest time on the visit's last page the beacon reported after its last page view. */
  lastEngagement: number;
  screen: string | null;
  /** Clicks and outbound links. */
  events: number;
  pages: Map<string, PageInVisit>;
  /** 'goal' / 'click' / 'outbound' → target → count. */
  actions: Map<string, Map<string, number>>;
}

/**
 * Counts a day from its events, fed in order of visitor, time and id. Pure: `add` each event, then `finish`.
 * Every visit-level dimension (source, UTM, browser, …, entry, exit) sums to the day's totals; '' is the value of
 * a visit without one (a direct visit, no beacon).
 */
export function createDayCounter(day: number) {
  type Counter = Metrics & { dimension: string; value: string; seenBy: number };
  /** dimension → value → counter. */
  const counters = new Map<string, Map<string, Counter>>();
  const hourly = Array.from({ length: 24 }, (_, i) => ({ hour: day + i * HOUR, visitors: 0, visits: 0, pageviews: 0 }));
  let visitor: string | null = null;
  /** Numbers the visitors in order, so a counter knows whether this visitor was counted already. */
  let visitorNo = 0;
  let visit: Visit | null = null;
  /** Beacon events and goals of the visitor before their first page view of the day (yesterday's last page). */
  let pending: RollupEvent[] = [];
  let hours = new Set<number>();
  let funnel = 0;
  let events = 0;

  function counter(dimension: string, value: string): Counter {
    let byValue = counters.get(dimension);
    if (!byValue) counters.set(dimension, (byValue = new Map()));
    let c = byValue.get(value);
    if (!c) {
      c = { dimension, value, visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration_ms: 0, events: 0, seenBy: 0 };
      byValue.set(value, c);
    }
    return c;
  }

  function bump(dimension: string, value: string, m: Partial<Metrics>): void {
    const c = counter(dimension, value);
    c.visits += m.visits ?? 0;
    c.pageviews += m.pageviews ?? 0;
    c.bounces += m.bounces ?? 0;
    c.duration_ms += m.duration_ms ?? 0;
    c.events += m.events ?? 0;
    // A visitor counts once per value and day, however many visits had it.
    if (c.seenBy !== visitorNo) {
      c.seenBy = visitorNo;
      c.visitors++;
    }
  }

  function action(v: Visit, kind: string, target: string): void {
    let byTarget = v.actions.get(kind);
    if (!byTarget) v.actions.set(kind, (byTarget = new Map()));
    byTarget.set(target, (byTarget.get(target) ?? 0) + 1);
  }

  /** A non-page-view event within a visit. */
  function attach(v: Visit, e: RollupEvent): void {
    if (e.kind === 'engagement') {
      v.screen ??= e.screen;
      if (e.path === v.lastPath) v.lastEngagement = Math.max(v.lastEngagement, Math.max(0, e.duration_ms ?? 0));
    } else if (e.kind === 'click' || e.kind === 'outbound') {
      v.events++;
      const page = v.pages.get(e.path);
      if (page) page.events++;
      if (e.target) action(v, e.kind, cut(e.target));
    } else if (e.kind === 'goal' && e.target) action(v, 'goal', cut(e.target));
  }

  function closeVisit(v: Visit): void {
    const duration = v.lastAt - v.first.at + v.lastEngagement;
    const bounced = v.pageviews === 1;
    const m: Partial<Metrics> = {
      visits: 1,
      pageviews: v.pageviews,
      bounces: bounced ? 1 : 0,
      duration_ms: duration,
      events: v.events,
    };
    bump('', '', m);
    bump('entry', cut(v.first.path), m);
    bump('exit', cut(v.lastPath), m);
    for (const d of VISIT_DIMENSIONS) bump(d, cut(v.first[FIRST_EVENT_COLUMN[d]] as string | null), m);
    bump('screen', cut(v.screen), m);
    v.pages.get(v.lastPath)!.duration_ms += v.lastEngagement;
    for (const [path, p] of v.pages)
      bump('page', cut(path), {
        visits: 1,
        pageviews: p.pageviews,
        bounces: bounced ? 1 : 0,
        duration_ms: p.duration_ms,
        events: p.events,
      });
    for (const [kind, byTarget] of v.actions)
      for (const [target, count] of byTarget) bump(kind, target, { visits: 1, events: count });
  }

  function pageview(e: RollupEvent): void {
    const hour = Math.min(23, Math.max(0, Math.floor((e.at - day) / HOUR)));
    hourly[hour]!.pageviews++;
    hours.add(hour);
    if (visit && e.at - visit.lastAt < VISIT_GAP_MS) {
      visit.pages.get(visit.lastPath)!.duration_ms += e.at - visit.lastAt;
      visit.lastAt = e.at;
      visit.lastPath = e.path;
      visit.lastEngagement = 0;
      visit.pageviews++;
    } else {
      if (visit) closeVisit(visit);
      hourly[hour]!.visits++;
      visit = {
        first: e,
        lastAt: e.at,
        lastPath: e.path,
        pageviews: 1,
        lastEngagement: 0,
        screen: null,
        events: 0,
        pages: new Map(),
        actions: new Map(),
      };
    }
    const page = visit.pages.get(e.path);
    if (page) page.pageviews++;
    else visit.pages.set(e.path, { pageviews: 1, duration_ms: 0, events: 0 });
    if (pending.length > 0) {
      const early = pending;
      pending = [];
      for (const p of early) if (p.kind !== 'engagement') attach(visit, p);
    }
    if (e.path === '/basket' && funnel === 0) funnel = 1;
    else if (isCheckout(e.path) && funnel === 1) funnel = 2;
  }

  function closeVisitor(): void {
    if (visit) closeVisit(visit);
    // Actions of a visitor with no page view today: counted, but in no visit.
    for (const e of pending) if (e.kind !== 'engagement' && e.target) bump(e.kind, cut(e.target), { events: 1 });
    for (const h of hours) hourly[h]!.visitors++;
    for (const [i, step] of ['basket', 'checkout', 'order'].entries()) if (funnel > i) bump('funnel', step, {});
    visit = null;
    pending = [];
    hours = new Set();
    funnel = 0;
  }

  return {
    add(e: RollupEvent): void {
      if (e.visitor !== visitor) {
        if (visitor !== null) closeVisitor();
        visitor = e.visitor;
        visitorNo++;
      }
      if (e.kind === 'click' || e.kind === 'outbound') events++;
      if (e.kind === 'pageview') pageview(e);
      else if (visit) attach(visit, e);
      else pending.push(e);
      if (e.kind === 'goal' && e.target === 'order' && funnel === 2) funnel = 3;
    },
    finish(): { daily: AnalyticsDailyTable[]; hourly: AnalyticsHourlyTable[] } {
      if (visitor !== null) closeVisitor();
      visitor = null;
      // The totals row exists on a day without visits too: it marks the day as rolled up.
      counter('', '').events = events;
      const daily: AnalyticsDailyTable[] = [];
      for (const byValue of counters.values())
        for (const { seenBy: _, ...c } of byValue.values()) daily.push({ day, ...c });
      return { daily, hourly };
    },
  };
}

/**
 * The consenting visitors of a day by kind and whether they came back: customers (signed in, the account's
 * pseudonym) and visitors (the consent's), each 'returning' when the pseudonym has a page view on one of the days
 * before that still have raw events, else 'new'. Only counts leave the raw tables.
 */
async function returningRows(
  deps: Pick<Deps, 'db'>,
  day: number,
  pseudonyms: ReadonlySet<string>,
): Promise<AnalyticsDailyTable[]> {
  if (pseudonyms.size === 0) return [];
  const earlier = (await listEventTables(deps.db)).filter((t) => t < eventTableOf(day));
  const back = new Set<string>();
  let open = [...pseudonyms];
  for (const table of earlier.reverse()) {
    if (open.length === 0) break;
    for (const p of await listPseudonymsIn(deps.db, table, open)) back.add(p);
    open = open.filter((p) => !back.has(p));
  }
  const counts = new Map<string, number>();
  for (const p of pseudonyms) {
    const value = `${pseudonymKind(p)}-${back.has(p) ? 'returning' : 'new'}`;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts].map(([value, visitors]) => ({
    day,
    dimension: 'returning',
    value,
    visitors,
    visits: 0,
    pageviews: 0,
    bounces: 0,
    duration_ms: 0,
    events: 0,
  }));
}

export interface RollupOutcome {
  day: number;
  events: number;
  visitors: number;
  visits: number;
  pageviews: number;
}

/**
 * Rolls up the UTC day starting at `dayStart` from its raw table; null (and nothing written) when the day has no
 * raw table, so a day whose raw events retention dropped keeps its aggregates.
 */
export async function rollUpDay(deps: Pick<Deps, 'db'>, dayStart: number): Promise<RollupOutcome | null> {
  const table = eventTableOf(dayStart);
  if (!(await listEventTables(deps.db)).includes(table)) return null;
  await prepareEventTable(deps.db, table);
  const counter = createDayCounter(dayStart);
  const pseudonyms = new Set<string>();
  let cursor: EventCursor | null = null;
  let read = 0;
  for (;;) {
    const page = await listEventPage(deps.db, table, cursor, PAGE_SIZE);
    for (const e of page) {
      counter.add(e);
      if (e.pseudonym && e.kind === 'pageview') pseudonyms.add(e.pseudonym);
    }
    read += page.length;
    const last = page.at(-1);
    if (!last || page.length < PAGE_SIZE) break;
    cursor = { visitor: last.visitor, at: Number(last.at), id: last.id };
  }
  const { daily, hourly } = counter.finish();
  daily.push(...(await returningRows(deps, dayStart, pseudonyms)));
  await replaceDayAggregates(deps.db, dayStart, daily, hourly);
  const totals = daily.find((r) => r.dimension === '')!;
  return { day: dayStart, events: read, visitors: totals.visitors, visits: totals.visits, pageviews: totals.pageviews };
}

/** A run of the worker's job starts no third or later day after this long (the scheduler's lease is 30 s). */
const RUN_BUDGET_MS = 20_000;

/**
 * The days the worker rolls up, most urgent first: today; yesterday during the first hour of today (its last
 * events arrive); every day marked dirty; every day with a raw table but no totals row (the worker was down) —
 * all within the raw retention. Clears the marks of the days it rolled; what the budget leaves waits for the next
 * run (a missed or dirty day is still missed or dirty then).
 */
export async function rollUpDueDays(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  budgetMs = RUN_BUDGET_MS,
): Promise<RollupOutcome[]> {
  const started = Date.now();
  const now = deps.clock.now();
  const today = Math.floor(now / DAY) * DAY;
  const oldest = today - (deps.config.retention.analyticsRawDays ?? 30) * DAY;
  const due = [today];
  if (now - today < HOUR) due.push(today - DAY);
  for (const d of await listDirtyDays(deps.db)) {
    if (d.day >= oldest) due.push(d.day);
    else await clearDirtyDay(deps.db, d.day, d.marked_at);
  }
  const rolled = new Set(await listRolledUpDays(deps.db, oldest));
  for (const day of await listEventDays(deps.db)) if (day >= oldest && !rolled.has(day)) due.push(day);
  const outcomes: RollupOutcome[] = [];
  let begun = 0;
  for (const day of new Set(due)) {
    // Today and one more day at least, so that a long today never starves the days waiting behind it.
    if (begun >= 2 && Date.now() - started > budgetMs) break;
    begun++;
    const outcome = await rollUpDay(deps, day);
    if (outcome) outcomes.push(outcome);
    await clearDirtyDay(deps.db, day, now);
  }
  return outcomes;
}
