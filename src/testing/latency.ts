// Judging whether a load run's latency stayed stable (the soak, issue 17). One minute's p99 is decided by its slowest
// 1% of answers, so a single stall of the shared machine (another process, a collection in one child) can double it
// without anything in Candor getting slower. A real degradation (a growing table scan, a leak slowing collections)
// is sustained: it raises most short windows of the later minute, not one. So the run is cut into short windows, each
// gets its own p99, and the first and last minute are compared by the median of their windows' p99s.

export interface Timed {
  /** When the answer came (ms since the epoch). */
  at: number;
  /** How long it took (ms). */
  ms: number;
}

/** The p-quantile of the values (nearest rank); 0 for none. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** The p99 of each `windowMs` window from `from` to `to`; windows without answers are left out. */
export function windowP99s(samples: readonly Timed[], from: number, to: number, windowMs: number): number[] {
  const buckets: number[][] = [];
  for (const s of samples) {
    if (s.at < from || s.at >= to) continue;
    (buckets[Math.floor((s.at - from) / windowMs)] ??= []).push(s.ms);
  }
  return buckets.filter((b) => b !== undefined && b.length > 0).map((b) => quantile(b, 0.99));
}

export interface Stability {
  stable: boolean;
  /** The minute the last one is compared with (1-based): the first after the warm-up, or 1 in a two-minute run. */
  referenceMinute: number;
  /** Median of the reference minute's window p99s (ms). */
  reference: number;
  /** Median of the last minute's window p99s (ms). */
  last: number;
}

/** The minutes at the start of a soak judged as warm-up: its p99 (p99Stability) and its memory are measured after. */
export const WARMUP_MINUTES = 1;

/**
 * Stable unless the last minute's typical window p99 is over `factor` times the reference minute's. The reference is
 * the first minute after `warmupMinutes` (WARMUP_MINUTES by default), as for memory: the first minute of a fresh system runs
 * before the work that then recurs as part of its steady state (PostgreSQL's autovacuum wakes once a minute, the
 * processes' first full collections, the worker's first scheduled jobs), and measured against it every kind of
 * request looked twice as slow a minute later, sign-in as much as the catalogue, with or without a change. A
 * two-minute run, too short for a warm-up, compares its first minute with its last; a shorter one is judged stable
 * (there is nothing to compare).
 */
export function p99Stability(
  samples: readonly Timed[],
  started: number,
  minutes: number,
  { windowMs = 10_000, factor = 2, warmupMinutes = WARMUP_MINUTES } = {},
): Stability {
  if (minutes < 2) return { stable: true, referenceMinute: 0, reference: 0, last: 0 };
  const skipped = minutes >= warmupMinutes + 2 ? warmupMinutes : 0;
  const from = started + skipped * 60_000;
  const reference = quantile(windowP99s(samples, from, from + 60_000, windowMs), 0.5);
  const end = started + minutes * 60_000;
  const last = quantile(windowP99s(samples, end - 60_000, end, windowMs), 0.5);
  return { stable: last <= factor * reference, referenceMinute: skipped + 1, reference, last };
}
