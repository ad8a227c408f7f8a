// Test support for the analytics tests (never imported by the app): events as a request hands them to the recorder,
// raw rows as the writer stores them, and reading back what the recorder wrote.
import type { Kysely } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { Clock } from '../../platform/clock.ts';
import { eventIdPrefix, type AnalyticsEvent, type AnalyticsRecorder } from './analytics.model.ts';
import { eventTableOf, listEvents, listEventTables } from './analytics.queries.ts';
import type { AnalyticsEventRow } from './analytics.tables.ts';

/** The browser fields of a desktop Firefox on Linux in Germany, as the classifier fills them. */
export const FIREFOX_DE = {
  language: 'de',
  browser: 'Firefox',
  os: 'Linux',
  device: 'desktop',
  country: 'DE',
} as const satisfies Partial<AnalyticsEventRow>;

/** An event as a request hands it to the recorder: a page view of `/` by visitor `v`, nothing else known. */
export function recordedEvent(at: number, overrides: Partial<AnalyticsEvent> = {}): AnalyticsEvent {
  return {
    at,
    kind: 'pageview',
    visitor: 'v',
    pseudonym: null,
    path: '/',
    referrer_host: null,
    utm_source: null,
    utm_medium: null,
    utm_campaign: null,
    language: null,
    browser: null,
    os: null,
    device: null,
    country: null,
    screen: null,
    duration_ms: null,
    scroll_pct: null,
    target: null,
    ...overrides,
  };
}

let seq = 0;

/**
 * A raw event as the writer would store it (the defaults of recordedEvent), with an id that starts with the prefix
 * of `at` and is unique in this process; the ids of one process grow in the order they were made.
 */
export function rawEvent(at: number, overrides: Partial<AnalyticsEventRow> = {}): AnalyticsEventRow {
  return { id: `${eventIdPrefix(at)}-t-${String(seq++).padStart(8, '0')}`, ...recordedEvent(at), ...overrides };
}

/**
 * What the readers need of a test harness (src/testing/harness.ts's Harness has it; only tests may import that
 * module, and this one is no test).
 */
export interface AnalyticsHarness {
  app: { analyticsRecorder: AnalyticsRecorder };
  deps: Pick<Deps, 'db'>;
  clock: Clock;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the daily tables are named at run time
const anyDb = (h: AnalyticsHarness) => h.deps.db as Kysely<any>;

/** Every raw event in every daily table, once the recorder has written what it queued. */
export async function allEvents(h: AnalyticsHarness): Promise<AnalyticsEventRow[]> {
  await h.app.analyticsRecorder.flush();
  const rows: AnalyticsEventRow[] = [];
  for (const table of await listEventTables(anyDb(h))) rows.push(...(await listEvents(anyDb(h), table)));
  return rows;
}

/** The events `visits` leads to, once the recorder has written them. */
export async function eventsOf(h: AnalyticsHarness, visits: () => Promise<unknown>): Promise<AnalyticsEventRow[]> {
  const known = new Set((await allEvents(h)).map((e) => e.id));
  await visits();
  return (await allEvents(h)).filter((e) => !known.has(e.id));
}

/** Today's raw events (none while today's table does not exist), once the recorder has written what it queued. */
export async function todaysEvents(h: AnalyticsHarness): Promise<AnalyticsEventRow[]> {
  await h.app.analyticsRecorder.flush();
  return listEvents(h.deps.db, eventTableOf(h.clock.now())).catch(() => []);
}
