// The staff dashboard's use case: reads a period (and its previous period of the same length) and filters from the
// address, then figures, chart and tables. Only aggregates leave here: no visitor hash, no pseudonym, no single event.
// Unfiltered views read only the daily and hourly rollups; a filter's tables come from the raw days still kept.
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Text } from '../../platform/i18n.ts';
import { eventIdPrefix } from './analytics.model.ts';
import * as q from './analytics.dashboard.queries.ts';
import { eventTableOf, listEventTables } from './analytics.queries.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The longest custom period (two years and a day). */
const MAX_DAYS = 732;
export const TOP = 10;
export const CSV_LIMIT = 10_000;

export const PERIODS = ['today', 'yesterday', '7d', '30d', 'month', '12m', 'custom'] as const;
export type PeriodKey = (typeof PERIODS)[number];
export const DEVICES = ['desktop', 'mobile', 'tablet'] as const;

/** A span of whole UTC days: [from, to). */
export interface Period {
  key: PeriodKey;
  from: number;
  to: number;
  days: number;
}

export interface Filters {
  page?: string | undefined;
  source?: string | undefined;
  country?: string | undefined;
  device?: string | undefined;
}
export const FILTER_NAMES = ['page', 'source', 'country', 'device'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

export interface DashboardQuery {
  period: Period;
  previous: Period;
  filters: Filters;
}

/** What the address says, as text (the route's schema caps the lengths). */
export interface DashboardParams {
  period?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page?: string | undefined;
  source?: string | undefined;
  country?: string | undefined;
  device?: string | undefined;
}

const startOfDay = (at: number) => at - (at % DAY);

/** 'YYYY-MM-DD' as the start of that UTC day; null when it is not a real date. */
export function parseDate(raw: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
    ? ms
    : null;
}

export const isoDay = (at: number): string => new Date(at).toISOString().slice(0, 10);

const invalid = (field: string, text: Text) => errors.invalidFields({ [field]: text });

/** The period and filters of the address; a 400 naming the field when one is not valid. */
export function parseDashboardParams(params: DashboardParams, now: number): DashboardQuery {
  const today = startOfDay(now);
  const custom = params.period === 'custom' || (!params.period && !!(params.from || params.to));
  const key = (custom ? 'custom' : (params.period ?? '30d')) as PeriodKey;
  if (!PERIODS.includes(key))
    throw invalid('period', { en: 'Choose one of the periods.', de: 'Wählen Sie einen der Zeiträume.' });
  let from: number;
  let to = today + DAY;
  switch (key) {
    case 'today':
      from = today;
      break;
    case 'yesterday':
      from = today - DAY;
      to = today;
      break;
    case '7d':
      from = today - 6 * DAY;
      break;
    case '30d':
      from = today - 29 * DAY;
      break;
    case 'month': {
      const d = new Date(today);
      from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      break;
    }
    case '12m': {
      const d = new Date(today);
      from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 11, 1);
      break;
    }
    case 'custom': {
      const a = parseDate(params.from ?? '');
      const b = parseDate(params.to ?? '');
      const dateText = {
        en: 'Enter a date as YYYY-MM-DD, for example 2026-11-01.',
        de: 'Geben Sie ein Datum als JJJJ-MM-TT an, zum Beispiel 2026-11-01.',
      };
      const fields: Record<string, Text> = {};
      if (a === null) fields.from = dateText;
      if (b === null) fields.to = dateText;
      if (a === null || b === null) throw errors.invalidFields(fields);
      if (b < a)
        throw invalid('to', {
          en: 'The end date must not be before the start date.',
          de: 'Das Enddatum darf nicht vor dem Anfangsdatum liegen.',
        });
      if (b > today)
        throw invalid('to', {
          en: 'The end date must not be in the future.',
          de: 'Das Enddatum darf nicht in der Zukunft liegen.',
        });
      if ((b - a) / DAY + 1 > MAX_DAYS)
        throw invalid('from', {
          en: 'Choose a period of at most two years.',
          de: 'Wählen Sie einen Zeitraum von höchstens zwei Jahren.',
        });
      from = a;
      to = b + DAY;
      break;
    }
  }
  const days = Math.round((to - from) / DAY);
  const period: Period = { key, from, to, days };
  const previous: Period = { key, from: from - days * DAY, to: from, days };
  return { period, previous, filters: parseFilters(params) };
}

function parseFilters(params: DashboardParams): Filters {
  const filters: Filters = {};
  const page = params.page?.trim();
  if (page) {
    if (!page.startsWith('/') || page.length > 500)
      throw invalid('page', {
        en: 'A page is a path that begins with /, for example /products.',
        de: 'Eine Seite ist ein Pfad, der mit / beginnt, zum Beispiel /products.',
      });
    filters.page = page;
  }
  const source = params.source?.trim().toLowerCase();
  if (source) {
    if (!/^[a-z0-9.-]{1,253}$/.test(source))
      throw invalid('source', {
        en: 'A source is a host name, for example www.example.org.',
        de: 'Eine Quelle ist ein Hostname, zum Beispiel www.example.org.',
      });
    filters.source = source;
  }
  const country = params.country?.trim().toUpperCase();
  if (country) {
    if (!/^[A-Z]{2}$/.test(country))
      throw invalid('country', {
        en: 'A country is a two-letter code, for example DE.',
        de: 'Ein Land ist ein Code aus zwei Buchstaben, zum Beispiel DE.',
      });
    filters.country = country;
  }
  const device = params.device?.trim();
  if (device) {
    if (!(DEVICES as readonly string[]).includes(device))
      throw invalid('device', { en: 'Choose one of the devices.', de: 'Wählen Sie eines der Geräte.' });
    filters.device = device;
  }
  return filters;
}

export const hasFilter = (f: Filters): boolean => FILTER_NAMES.some((n) => f[n] !== undefined);

/** The dimension whose aggregate rows carry the key figures and the chart under a filter (the first one set). */
function figureDimension(f: Filters): { dimension: string; value: string; name: FilterName } {
  for (const name of FILTER_NAMES) {
    const value = f[name];
    if (value !== undefined) return { dimension: name, value, name };
  }
  return { dimension: '', value: '', name: 'page' };
}

// --- Figures ---

export const FIGURES = ['visitors', 'visits', 'pageviews', 'viewsPerVisit', 'bounceRate', 'visitDuration'] as const;
export type FigureKey = (typeof FIGURES)[number];

export interface Figure {
  key: FigureKey;
  value: number;
  previous: number;
  /** The change from the previous period in %, null when the previous value was 0. */
  change: number | null;
}

function figuresOf(s: q.Sums): Record<FigureKey, number> {
  return {
    visitors: s.visitors,
    visits: s.visits,
    pageviews: s.pageviews,
    viewsPerVisit: s.visits > 0 ? s.pageviews / s.visits : 0,
    bounceRate: s.visits > 0 ? (s.bounces / s.visits) * 100 : 0,
    visitDuration: s.visits > 0 ? s.duration_ms / s.visits : 0,
  };
}

const changeOf = (value: number, previous: number): number | null =>
  previous === 0 ? null : ((value - previous) / previous) * 100;

// --- Chart ---

export interface ChartPoint {
  at: number;
  visitors: number;
  pageviews: number;
}
export interface Chart {
  unit: 'hour' | 'day' | 'month';
  points: ChartPoint[];
}

function bucketsOf(period: Period): { unit: Chart['unit']; starts: number[] } {
  if (period.days === 1) return { unit: 'hour', starts: Array.from({ length: 24 }, (_, i) => period.from + i * HOUR) };
  if (period.days <= 92)
    return { unit: 'day', starts: Array.from({ length: period.days }, (_, i) => period.from + i * DAY) };
  const starts: number[] = [];
  const d = new Date(period.from);
  for (let m = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1); m < period.to;) {
    starts.push(Math.max(m, period.from));
    const n = new Date(m);
    m = Date.UTC(n.getUTCFullYear(), n.getUTCMonth() + 1, 1);
  }
  return { unit: 'month', starts };
}

function fillBuckets(period: Period, rows: { at: number; visitors: number; pageviews: number }[]): Chart {
  const { unit, starts } = bucketsOf(period);
  const points = starts.map((at) => ({ at, visitors: 0, pageviews: 0 }));
  let i = 0;
  for (const r of [...rows].sort((a, b) => a.at - b.at)) {
    while (i + 1 < starts.length && r.at >= starts[i + 1]!) i++;
    const p = points[i];
    if (p && r.at >= p.at) {
      p.visitors += r.visitors;
      p.pageviews += r.pageviews;
    }
  }
  return { unit, points };
}

// --- Tables ---

export const TABLES = [
  'pages',
  'entry',
  'exit',
  'sources',
  'utm_campaign',
  'utm_source',
  'utm_medium',
  'browsers',
  'os',
  'devices',
  'screens',
  'languages',
  'countries',
  'goals',
  'funnel',
  'outbound',
  'clicks',
  'returning',
  'bots',
] as const;
export type TableName = (typeof TABLES)[number];
/** Everything on the page that downloads as CSV: the tables, the key figures and the chart's numbers. */
export const CSV_TABLES = [...TABLES, 'figures', 'chart'] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

/** Each table's aggregate dimension and, where a filter can be applied to raw events, the raw grouping. */
const SOURCES: Record<Exclude<TableName, 'bots'>, { dimension: string; raw: q.RawGrouping | null }> = {
  pages: { dimension: 'page', raw: { column: 'path', kind: 'pageview' } },
  entry: { dimension: 'entry', raw: null },
  exit: { dimension: 'exit', raw: null },
  sources: { dimension: 'source', raw: { column: 'referrer_host', kind: 'pageview' } },
  utm_campaign: { dimension: 'utm_campaign', raw: { column: 'utm_campaign', kind: 'pageview' } },
  utm_source: { dimension: 'utm_source', raw: { column: 'utm_source', kind: 'pageview' } },
  utm_medium: { dimension: 'utm_medium', raw: { column: 'utm_medium', kind: 'pageview' } },
  browsers: { dimension: 'browser', raw: { column: 'browser', kind: 'pageview' } },
  os: { dimension: 'os', raw: { column: 'os', kind: 'pageview' } },
  devices: { dimension: 'device', raw: { column: 'device', kind: 'pageview' } },
  screens: { dimension: 'screen', raw: { column: 'screen', kind: null } },
  languages: { dimension: 'language', raw: { column: 'language', kind: 'pageview' } },
  countries: { dimension: 'country', raw: { column: 'country', kind: 'pageview' } },
  goals: { dimension: 'goal', raw: { column: 'target', kind: 'goal' } },
  funnel: { dimension: 'funnel', raw: null },
  outbound: { dimension: 'outbound', raw: { column: 'target', kind: 'outbound' } },
  clicks: { dimension: 'click', raw: { column: 'target', kind: 'click' } },
  // Consenting visitors by pseudonym, customers apart: who they are is never shown, only how many came back.
  returning: { dimension: 'returning', raw: null },
};

export const FUNNEL_STEPS = ['basket', 'checkout', 'order'] as const;

export interface TableRow {
  value: string;
  visitors: number;
  pageviews: number;
  /** Clicks, outbound links, goal events, bot requests: what the table counts besides visitors. */
  events: number;
  /** Funnel: the share of the previous step's visitors (%), null for the first step. */
  conversion?: number | null;
}

export interface ReportTable {
  name: TableName;
  rows: TableRow[];
  /** Whether the filter was applied (false: the filter cannot apply to this table; it shows the whole period). */
  filtered: boolean;
}

export interface Coverage {
  /** The raw tables of the period's days that still exist. */
  tables: string[];
  /** Days (UTC starts) of the period without raw events: a filter cannot cover them. */
  uncovered: number[];
}

async function coverageOf(deps: Pick<Deps, 'db' | 'dbKind'>, period: Period): Promise<Coverage> {
  const existing = new Set(await listEventTables(deps.db));
  const tables: string[] = [];
  const uncovered: number[] = [];
  for (let d = period.from; d < period.to; d += DAY) {
    const name = eventTableOf(d);
    if (existing.has(name)) tables.push(name);
    else uncovered.push(d);
  }
  return { tables, uncovered };
}

const rawFilterOf = (f: Filters): q.RawFilter => ({
  path: f.page,
  referrerHost: f.source,
  country: f.country,
  device: f.device,
});

/** One table of the period, its top `limit` values (the funnel's steps in order, the bots per reason). */
export async function loadTable(
  deps: Pick<Deps, 'db' | 'dbKind'>,
  query: DashboardQuery,
  name: TableName,
  limit: number,
  coverage?: Coverage,
): Promise<ReportTable> {
  const { period, filters } = query;
  if (name === 'bots') {
    const rows = await q.listBotCounts(deps.db, period.from, period.to);
    return {
      name,
      rows: rows.slice(0, limit).map((r) => ({ value: r.reason, visitors: 0, pageviews: 0, events: r.count })),
      filtered: false,
    };
  }
  const source = SOURCES[name];
  if (name === 'funnel') {
    const steps = await q.listTopValues(deps.db, 'funnel', period.from, period.to, 10);
    let before: number | null = null;
    const rows = FUNNEL_STEPS.map((step) => {
      const visitors = steps.find((s) => s.value === step)?.visitors ?? 0;
      const conversion = before === null ? null : before > 0 ? (visitors / before) * 100 : 0;
      before = visitors;
      return { value: step, visitors, pageviews: 0, events: 0, conversion };
    });
    return { name, rows, filtered: false };
  }
  if (hasFilter(filters) && source.raw) {
    const cover = coverage ?? (await coverageOf(deps, period));
    const rows = await q.listRawTopValues(deps.db, cover.tables, rawFilterOf(filters), source.raw, limit);
    return { name, rows, filtered: true };
  }
  const rows = await q.listTopValues(deps.db, source.dimension, period.from, period.to, limit);
  return {
    name,
    rows: rows.map((r) => ({ value: r.value, visitors: r.visitors, pageviews: r.pageviews, events: r.events })),
    filtered: false,
  };
}

export interface Dashboard {
  query: DashboardQuery;
  figures: Figure[];
  /** Under a filter, which one's aggregate rows the figures and the chart follow. */
  figuresFollow: FilterName | null;
  /** Distinct visitors in the last 5 minutes (under the filter, when one is set). */
  realtime: number;
  chart: Chart;
  tables: ReportTable[];
  /** Under a filter: the days the raw events no longer (or never) cover. */
  uncovered: number[];
}

export async function loadFigures(
  deps: Pick<Deps, 'db'>,
  query: DashboardQuery,
): Promise<{ figures: Figure[]; follow: FilterName | null }> {
  const f = figureDimension(query.filters);
  const [now, before] = await Promise.all([
    q.sumDaily(deps.db, f.dimension, f.value, query.period.from, query.period.to),
    q.sumDaily(deps.db, f.dimension, f.value, query.previous.from, query.previous.to),
  ]);
  const a = figuresOf(now);
  const b = figuresOf(before);
  const figures = FIGURES.map((key) => ({ key, value: a[key], previous: b[key], change: changeOf(a[key], b[key]) }));
  return { figures, follow: f.dimension === '' ? null : f.name };
}

export async function loadChart(deps: Pick<Deps, 'db'>, query: DashboardQuery): Promise<Chart> {
  const { period, filters } = query;
  const f = figureDimension(filters);
  if (period.days === 1 && f.dimension === '') {
    const hours = await q.listHourly(deps.db, period.from, period.to);
    return fillBuckets(
      period,
      hours.map((h) => ({ at: h.hour, visitors: h.visitors, pageviews: h.pageviews })),
    );
  }
  const days = await q.listDailySums(deps.db, f.dimension, f.value, period.from, period.to);
  const chart = fillBuckets(
    { ...period, days: Math.max(2, period.days) },
    days.map((d) => ({ at: d.day, visitors: d.visitors, pageviews: d.pageviews })),
  );
  // A single day under a filter has no hourly rows of its own: one bar for the day.
  return period.days === 1 ? { unit: 'day', points: chart.points.slice(0, 1) } : chart;
}

export async function loadRealtime(deps: Pick<Deps, 'db' | 'dbKind' | 'clock'>, filters: Filters): Promise<number> {
  const now = deps.clock.now();
  const since = now - 5 * 60_000;
  const existing = new Set(await listEventTables(deps.db));
  const tables = [...new Set([eventTableOf(since), eventTableOf(now)])].filter((t) => existing.has(t));
  return q.countRecentVisitors(deps.db, tables, eventIdPrefix(since), rawFilterOf(filters));
}

export async function loadDashboard(
  deps: Pick<Deps, 'db' | 'dbKind' | 'clock'>,
  query: DashboardQuery,
): Promise<Dashboard> {
  const filtered = hasFilter(query.filters);
  const coverage = filtered ? await coverageOf(deps, query.period) : { tables: [], uncovered: [] };
  const [figures, chart, realtime] = await Promise.all([
    loadFigures(deps, query),
    loadChart(deps, query),
    loadRealtime(deps, query.filters),
  ]);
  const tables: ReportTable[] = [];
  // One after the other: SQLite has one connection, and PostgreSQL's pool is shared with the shop's requests.
  for (const name of TABLES) tables.push(await loadTable(deps, query, name, TOP, coverage));
  return {
    query,
    figures: figures.figures,
    figuresFollow: figures.follow,
    realtime,
    chart,
    tables,
    uncovered: coverage.uncovered,
  };
}

/** Whether the error is a refusal to show the user (a 4xx), not a fault. */
export const isRefusal = (err: unknown): err is AppError => err instanceof AppError && err.status < 500;
