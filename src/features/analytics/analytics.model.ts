// What analytics records and reports: event kinds, goals, report dimensions, and the recorder every part writes
// through (the request only queues; the recorder writes in batches). No IP and no user agent ever enters an event.
import type { AnalyticsEventRow } from './analytics.tables.ts';

export const EVENT_KINDS = ['pageview', 'goal', 'engagement', 'click', 'outbound'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Goals features signal with the route option `config.analyticsGoal`; a page view of a path is a goal too. */
export const GOALS = ['add-to-basket', 'order'] as const;
export type Goal = (typeof GOALS)[number];

/** Why a request was not counted. */
export const BOT_REASONS = ['user-agent', 'no-browser-headers', 'too-fast'] as const;
export type BotReason = (typeof BOT_REASONS)[number];

/**
 * The dimensions of the daily aggregates (analytics_daily.dimension); '' holds the day's totals. 'funnel' has the
 * values 'basket', 'checkout', 'order': visitors who reached each step in that order on that day. 'returning' counts
 * the consenting visitors by pseudonym: 'customer-new', 'customer-returning', 'visitor-new', 'visitor-returning'
 * (returning: seen on an earlier day that still has raw events).
 * A period's visitors are the sum of its days' visitors: the visitor hash changes every day by design (no one can
 * link two days), so one browser seen on three days counts three times. In a visit's own dimensions (entry, exit,
 * source, UTM, browser, os, device, screen, language, country) the value '' means none or unknown (a direct visit,
 * no beacon), so each of them sums to the day's totals (analytics.rollup.ts).
 */
export const DIMENSIONS = [
  'page',
  'entry',
  'exit',
  'source',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'browser',
  'os',
  'device',
  'screen',
  'language',
  'country',
  'goal',
  'funnel',
  'click',
  'outbound',
  'returning',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The activities of the data map (analytics.data-map.ts). */
export const ACTIVITY = {
  counting: 'analytics.counting',
  interaction: 'analytics.interaction',
  returning: 'analytics.returning-customers',
  experiments: 'analytics.experiments',
} as const;

/** A visit ends after this long without a page view. */
export const VISIT_GAP_MS = 30 * 60_000;

export type AnalyticsEvent = Omit<AnalyticsEventRow, 'id'>;

export interface Exposure {
  experimentId: string;
  pseudonym: string;
  variant: string;
  at: number;
}

/**
 * Why a pseudonym is left out. 'objection', 'restriction' and 'erasure' end all counting of the person, the cookieless
 * counting too; 'withdrawal' (of statistics consent) ends only what rests on consent: the pseudonym, the beacon and
 * experiments. The cookieless counting rests on legitimate interest and goes on unless the person objects.
 */
export const EXCLUSION_REASONS = ['objection', 'restriction', 'erasure', 'withdrawal'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** A stored reason as a known one; anything unknown counts as an objection (the strongest). */
export function exclusionReasonOf(stored: string): ExclusionReason {
  return (EXCLUSION_REASONS as readonly string[]).includes(stored) ? (stored as ExclusionReason) : 'objection';
}

/** Queues what requests see and writes it in batches (analytics.writer.ts). Never throws into a request. */
export interface AnalyticsRecorder {
  record(event: AnalyticsEvent): void;
  /** A request not counted because it looked like a bot. */
  recordBot(at: number, reason: BotReason): void;
  /** A consenting visitor saw a variant (inserted once per experiment and pseudonym). */
  recordExposure(exposure: Exposure): void;
  /**
   * Leaves this pseudonym out from now on (queued events included), in this process at once; the exclusion is
   * stored (analytics_exclusions) with its reason so other processes follow within seconds. `reason`: 'objection'
   * unless given. A 'withdrawal' never replaces another reason; for a withdrawal, queued page views and goals stay,
   * without the pseudonym (cookieless counting goes on), and what the beacon sent is dropped.
   */
  exclude(pseudonym: string, reason?: ExclusionReason): void;
  /**
   * Counts this pseudonym again: out of the list at once, and its stored exclusion removed. With `onlyReason`, only an
   * exclusion for that reason is lifted (consent given again lifts a 'withdrawal', never an objection).
   */
  include(pseudonym: string, onlyReason?: ExclusionReason): void;
  isExcluded(pseudonym: string): boolean;
  /** Why this pseudonym is left out, or null when it is not. */
  exclusionOf(pseudonym: string): ExclusionReason | null;
  /** Reads the stored exclusions again (other processes' too); the writer does so every few seconds by itself. */
  refreshExclusions(): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * What the request hook worked out about the visitor (request.analytics), null when nothing may be counted: opted
 * out, Do Not Track or Global Privacy Control, staff, a bot, or analytics switched off.
 */
export interface VisitorContext {
  /** The day's visitor hash (analytics.visitor.ts), worked out on first read. */
  readonly visitor: string;
  /** With statistics consent: the pseudonym (account or consent id under ANALYTICS_KEY), unless excluded. */
  pseudonym: string | null;
}

/** The start of the ids of events at or after `at` (ids begin with the time in base 36, see analytics.writer.ts). */
export function eventIdPrefix(at: number): string {
  return at.toString(36).padStart(9, '0');
}

/** The opt-out cookie of policy 2c (dd): '1' means this browser is not counted (set on /privacy/analytics). */
export const OPT_OUT_COOKIE = 'candor_analytics_optout';

/** A screen size class for the beacon: each side rounded to 80 px, so that a size says little about one device. */
export function screenClass(width: number, height: number): string {
  const round = (n: number) => Math.min(8000, Math.max(0, Math.round(n / 80) * 80));
  return `${round(width)}x${round(height)}`;
}
