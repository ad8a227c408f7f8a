// Kysely types of the analytics tables. Raw events live in daily tables (`analytics_events_dYYYYMMDD`) named at run
// time; the aggregates, salts, exclusions and experiments in fixed tables.

/** One raw event: a page view counted on the server, or what the consented beacon sent. */
export interface AnalyticsEventRow {
  /** Grows with time (the time in base 36, a process part, a counter): `id >= prefix(t)` finds events since t. */
  id: string;
  at: number;
  /** 'pageview' | 'goal' | 'engagement' | 'click' | 'outbound' (analytics.model.ts EVENT_KINDS). */
  kind: string;
  /** HMAC of the day's salt, IP, user agent and site: the same for one browser on one day only. */
  visitor: string;
  /** The consenting visitor's pseudonym (HMAC of account or consent id under ANALYTICS_KEY); null without consent. */
  pseudonym: string | null;
  path: string;
  referrer_host: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  /** The primary language subtag ('de'). */
  language: string | null;
  browser: string | null;
  os: string | null;
  /** 'desktop' | 'mobile' | 'tablet'. */
  device: string | null;
  /** ISO 3166-1 alpha-2, from the language's region or the browser's time zone; never from the IP. */
  country: string | null;
  /** Beacon only: a screen size class ('1280x720' rounded, see analytics.model.ts screenClass). */
  screen: string | null;
  /** Beacon 'engagement': time on the page (ms). */
  duration_ms: number | null;
  /** Beacon 'engagement': how far the page was scrolled (0-100). */
  scroll_pct: number | null;
  /** 'click': the element selector; 'outbound': the link's host; 'goal': the goal ('add-to-basket', 'order'). */
  target: string | null;
}

/** Daily aggregates: one row per day, dimension and value ('' dimension: the day's totals). */
export interface AnalyticsDailyTable {
  /** Start of the UTC day (ms). */
  day: number;
  dimension: string;
  value: string;
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  /** Sum of the visits' durations (ms). */
  duration_ms: number;
  /** Beacon events (clicks, outbound links) counted under this value. */
  events: number;
}

/** Hourly totals, for charts of a day or two. */
export interface AnalyticsHourlyTable {
  hour: number;
  visitors: number;
  visits: number;
  pageviews: number;
}

/** The day's random salt: in memory and in this one row, deleted 48 hours after its day began. */
export interface AnalyticsSaltsTable {
  /** 'YYYYMMDD' (UTC). */
  day: string;
  salt: string;
  created_at: number;
}

/** Requests not counted because they came from a bot, per day and reason. */
export interface AnalyticsBotsTable {
  day: number;
  reason: string;
  count: number;
}

/** Pseudonyms whose data the rollups and reports leave out (erasure, objection, restriction). */
export interface AnalyticsExclusionsTable {
  pseudonym: string;
  reason: string;
  added_at: number;
}

/** Days whose aggregates must be computed again (an exclusion removed raw events of that day). */
export interface AnalyticsDirtyDaysTable {
  day: number;
  marked_at: number;
}

export interface AnalyticsExperimentsTable {
  id: string;
  /** The key features ask for (`experimentVariant(request, key)`): `[a-z][a-z0-9-]*`. */
  key: string;
  name: string;
  /** The page or feature the experiment changes, as staff describe it. */
  changes: string;
  /** 'pageview' | 'add-to-basket' | 'order'. */
  goal_kind: string;
  /** For a 'pageview' goal: the path that counts as a conversion. */
  goal_path: string | null;
  /** JSON: [{ key, weight }], the first is the control. */
  variants: string;
  /** 'draft' | 'running' | 'stopped'. */
  state: string;
  created_at: number;
  started_at: number | null;
  stopped_at: number | null;
}

/** A consenting visitor's variant of a running experiment, and whether they reached its goal. */
export interface AnalyticsAssignmentsTable {
  experiment_id: string;
  pseudonym: string;
  variant: string;
  assigned_at: number;
  converted_at: number | null;
}

/** What an experiment's raw assignments came to, kept when it stops. */
export interface AnalyticsExperimentResultsTable {
  experiment_id: string;
  variant: string;
  exposures: number;
  conversions: number;
}

export interface AnalyticsTables {
  analytics_daily: AnalyticsDailyTable;
  analytics_hourly: AnalyticsHourlyTable;
  analytics_salts: AnalyticsSaltsTable;
  analytics_bots: AnalyticsBotsTable;
  analytics_exclusions: AnalyticsExclusionsTable;
  analytics_dirty_days: AnalyticsDirtyDaysTable;
  analytics_experiments: AnalyticsExperimentsTable;
  analytics_assignments: AnalyticsAssignmentsTable;
  analytics_experiment_results: AnalyticsExperimentResultsTable;
}
