// Analytics at scale (issue 15), two parts:
// - counting: BENCH_ANALYTICS_EVENTS page views (default 10,000,000) over 90 days written straight into the raw daily
//   tables (one busy day of BENCH_ANALYTICS_DAY_EVENTS, default 1,000,000; the others share the rest with a weekly
//   rhythm), each day rolled up by the worker's rollup (the busy day timed on its own), then the main dashboard for
//   "last 30 days" and "last 12 months" through the page's own use case: p50/p95 on SQLite and, with BENCH_PG_URL,
//   on PostgreSQL. Target: p95 < 200 ms.
// - ingest (analytics-ingest.ts): beacon events accepted per second.
// A measurement, never part of CI.
import { performance } from 'node:perf_hooks';
import type { Deps } from '../src/deps.ts';
import { eventIdPrefix } from '../src/features/analytics/analytics.model.ts';
import { loadDashboard, parseDashboardParams } from '../src/features/analytics/analytics.dashboard.ts';
import { rollUpDay } from '../src/features/analytics/analytics.rollup.ts';
import { createEventPartition, insertEvents } from '../src/features/analytics/analytics.queries.ts';
import type { AnalyticsEventRow } from '../src/features/analytics/analytics.tables.ts';
import { withBenchDatabase } from './database.ts';
import { percentile, rng } from './stats.ts';

export const DASHBOARD_TARGET_MS = 200;
const DAY = 24 * 3600 * 1000;

export interface AnalyticsCountOptions {
  events: number;
  days: number;
  busyDayEvents: number;
  queries: number;
  pgUrl: string | undefined;
  progress: (line: string) => void;
}

export interface AnalyticsCountResult {
  database: 'sqlite' | 'postgres';
  events: number;
  writeSeconds: number;
  /** All days rolled up, the busy day excluded. */
  rollupSeconds: number;
  busyDayEvents: number;
  busyDayRollupSeconds: number;
  dashboards: { period: string; p50Ms: number; p95Ms: number; maxMs: number }[];
}

/** A skewed pick: the first entries often, the last rarely (about Zipf-like). */
function skewed<T>(next: () => number, list: readonly T[]): T {
  const u = next();
  return list[Math.floor(u * u * u * list.length)] as T;
}

const PATHS = [
  '/',
  '/shop',
  '/basket',
  '/checkout',
  '/account',
  '/newsletter',
  '/contact',
  ...Array.from({ length: 400 }, (_, i) => `/shop/product-${i}`),
  ...Array.from({ length: 40 }, (_, i) => `/shop/category-${i}`),
];
const REFERRERS = [
  null,
  null,
  'www.google.com',
  'www.bing.com',
  'duckduckgo.com',
  'www.youtube.com',
  'www.reddit.com',
  'news.ycombinator.com',
  ...Array.from({ length: 60 }, (_, i) => `forum${i}.example`),
];
const BROWSERS = ['Chrome', 'Safari', 'Firefox', 'Edge', 'Samsung Internet', 'Opera', 'other'];
const SYSTEMS = ['Windows', 'macOS', 'iOS', 'Android', 'Linux', 'ChromeOS'];
const DEVICES = ['desktop', 'mobile', 'tablet'];
const COUNTRIES = ['DE', 'US', 'GB', 'FR', 'AT', 'CH', 'NL', 'IT', 'ES', 'SE', 'PL', 'JP', 'CA', 'AU', 'BR', null];
const LANGUAGES = ['de', 'en', 'fr', 'nl', 'it', 'es', 'sv', 'pl', 'ja', 'pt'];
const SCREENS = ['1920x1080', '1440x900', '1280x720', '390x844', '414x896', '768x1024', '2560x1440'];
const CAMPAIGNS = ['winter-sale', 'newsletter-12', 'launch-padgrid', 'black-friday'];

/** One day's page views: visits of 1 to 8 pages by visitors spread over the day (more in the evening). */
function dayEvents(day: number, count: number, seed: number): AnalyticsEventRow[] {
  const bits = rng(seed);
  const next = () => bits() / 4294967296;
  const rows: AnalyticsEventRow[] = [];
  let visitorNo = 0;
  while (rows.length < count) {
    const visitor = `v${seed.toString(36)}-${(visitorNo++).toString(36)}`.padEnd(22, 'x');
    const visits = next() < 0.15 ? 2 : 1;
    const referrer = skewed(next, REFERRERS);
    const campaign = next() < 0.05 ? skewed(next, CAMPAIGNS) : null;
    const browser = skewed(next, BROWSERS);
    const os = skewed(next, SYSTEMS);
    const device = skewed(next, DEVICES);
    const country = skewed(next, COUNTRIES);
    const language = skewed(next, LANGUAGES);
    const screen = next() < 0.3 ? skewed(next, SCREENS) : null;
    for (let v = 0; v < visits && rows.length < count; v++) {
      // Hours weighted towards the evening: the square root of a uniform number leans late.
      let at = day + Math.floor(Math.sqrt(next()) * (DAY - 3_600_000)) + v * 3_600_000;
      const pages = 1 + Math.floor(next() * next() * 8);
      for (let p = 0; p < pages && rows.length < count; p++) {
        const path = p === 0 && next() < 0.3 ? '/' : skewed(next, PATHS);
        rows.push({
          id: `${eventIdPrefix(at)}bench${String(rows.length).padStart(8, '0')}`,
          at,
          kind: 'pageview',
          visitor,
          pseudonym: null,
          path,
          referrer_host: p === 0 ? referrer : null,
          utm_source: campaign ? 'newsletter' : null,
          utm_medium: campaign ? 'email' : null,
          utm_campaign: campaign,
          language,
          browser,
          os,
          device,
          country,
          screen,
          duration_ms: null,
          scroll_pct: null,
          target: null,
        });
        if (path === '/checkout' && next() < 0.4)
          rows.push({
            ...rows.at(-1)!,
            id: `${eventIdPrefix(at + 1)}benchg${String(rows.length).padStart(7, '0')}`,
            at: at + 1,
            kind: 'goal',
            target: 'order',
          });
        at += 10_000 + Math.floor(next() * 240_000);
      }
    }
  }
  return rows.sort((a, b) => a.at - b.at);
}

async function write(deps: Deps, day: number, rows: AnalyticsEventRow[]): Promise<void> {
  await createEventPartition(deps.db, day);
  for (let i = 0; i < rows.length; i += 20_000)
    await deps.db.transaction().execute((trx) => insertEvents(trx, day, rows.slice(i, i + 20_000)));
}

async function benchOne(
  database: 'sqlite' | 'postgres',
  options: AnalyticsCountOptions,
): Promise<AnalyticsCountResult> {
  return withBenchDatabase(database, options.pgUrl, 'analytics', async (deps) => {
    const today = Math.floor(Date.now() / DAY) * DAY;
    const days = Array.from({ length: options.days }, (_, i) => today - (options.days - i) * DAY);
    const busyDay = days[days.length - 10]!;
    const perDay = Math.max(1, Math.floor((options.events - options.busyDayEvents) / (options.days - 1)));
    let written = 0;
    let writeMs = 0;
    let rollupMs = 0;
    let busyMs = 0;
    for (const [i, day] of days.entries()) {
      // A weekly rhythm: weekends a third quieter.
      const weekday = new Date(day).getUTCDay();
      const count =
        day === busyDay ? options.busyDayEvents : Math.round(perDay * (weekday === 0 || weekday === 6 ? 0.75 : 1.1));
      const rows = dayEvents(day, count, 1000 + i);
      let t = performance.now();
      await write(deps, day, rows);
      writeMs += performance.now() - t;
      written += rows.length;
      t = performance.now();
      await rollUpDay(deps, day);
      if (day === busyDay) busyMs = performance.now() - t;
      else rollupMs += performance.now() - t;
      if (i % 10 === 9)
        options.progress(
          `  ${database}: ${i + 1} days, ${written.toLocaleString('en-US')} events (write ${(writeMs / 1000).toFixed(0)} s, roll-up ${((rollupMs + busyMs) / 1000).toFixed(0)} s)`,
        );
    }
    const dashboards: AnalyticsCountResult['dashboards'] = [];
    for (const period of ['30d', '12m']) {
      const query = parseDashboardParams({ period }, deps.clock.now());
      for (let i = 0; i < 5; i++) await loadDashboard(deps, query); // warm-up
      const times: number[] = [];
      for (let i = 0; i < options.queries; i++) {
        const t = performance.now();
        await loadDashboard(deps, query);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      dashboards.push({
        period,
        p50Ms: percentile(times, 50),
        p95Ms: percentile(times, 95),
        maxMs: times.at(-1) ?? NaN,
      });
    }
    return {
      database,
      events: written,
      writeSeconds: writeMs / 1000,
      rollupSeconds: rollupMs / 1000,
      busyDayEvents: options.busyDayEvents,
      busyDayRollupSeconds: busyMs / 1000,
      dashboards,
    };
  });
}

export async function benchAnalyticsCounting(options: AnalyticsCountOptions): Promise<AnalyticsCountResult[]> {
  const results = [await benchOne('sqlite', options)];
  if (options.pgUrl) results.push(await benchOne('postgres', options));
  else options.progress('analytics counting bench: BENCH_PG_URL not set, PostgreSQL skipped');
  return results;
}

export function analyticsCountingReport(results: AnalyticsCountResult[]): string {
  return results
    .map(
      (r) =>
        `${r.database.padEnd(8)}  ${r.events.toLocaleString('en-US')} events written in ${r.writeSeconds.toFixed(0)} s; ` +
        `roll-up of the other days ${r.rollupSeconds.toFixed(0)} s; the busy day of ${r.busyDayEvents.toLocaleString('en-US')} events rolled up in ${r.busyDayRollupSeconds.toFixed(1)} s\n` +
        r.dashboards
          .map(
            (d) =>
              `          dashboard ${d.period.padEnd(3)}  p50 ${d.p50Ms.toFixed(1)} ms  p95 ${d.p95Ms.toFixed(1)} ms  max ${d.maxMs.toFixed(1)} ms  ${d.p95Ms < DASHBOARD_TARGET_MS ? 'PASS' : 'FAIL'} (p95 < ${DASHBOARD_TARGET_MS} ms)`,
          )
          .join('\n'),
    )
    .join('\n');
}
