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
 * values 'basket', 'checkout', 'order': visitors who reached each step in that order on that day.
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

/** Queues what requests see and writes it in batches (analytics.writer.ts). Never throws into a request. */
export interface AnalyticsRecorder {
  record(event: AnalyticsEvent): void;
  /** A request not counted because it looked like a bot. */
  recordBot(at: number, reason: BotReason): void;
  /** A consenting visitor saw a variant (inserted once per experiment and pseudonym). */
  recordExposure(exposure: Exposure): void;
  /** Leaves this pseudonym out from now on (queued events included), in this process at once. */
  exclude(pseudonym: string): void;
  isExcluded(pseudonym: string): boolean;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * What the request hook worked out about the visitor (request.analytics), null when nothing may be counted: opted
 * out, Do Not Track or Global Privacy Control, staff, a bot, or analytics switched off.
 */
export interface VisitorContext {
  /** The day's visitor hash (analytics.visitor.ts). */
  visitor: string;
  /** With statistics consent: the pseudonym (account or consent id under ANALYTICS_KEY), unless excluded. */
  pseudonym: string | null;
}
