// The figures /metrics and the staff page show. Most are counted as things happen (platform/metrics.ts); the
// outbox's backlog is read from the database when figures are asked for. The staff page reads the same registry,
// so it can never show something /metrics does not say.
import type { Deps } from '../../deps.ts';
import { findOutboxBacklog } from '../mail/index.ts';
import { CHECK_TIMEOUT_MS } from './operations.readiness.ts';

type FigureDeps = Pick<Deps, 'db' | 'clock' | 'metrics' | 'log'>;

/**
 * Sets the gauges that are read from the database. While the database is away they keep their last values and
 * /metrics still answers (its other figures matter most then); `false` says that happened.
 */
export async function refreshCollectedFigures(deps: FigureDeps): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const now = deps.clock.now();
    const backlog = await Promise.race([
      findOutboxBacklog(deps.db, now),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
      }),
    ]);
    deps.metrics.outboxDepth.set(backlog.waiting);
    deps.metrics.outboxOldestDueSeconds.set(
      backlog.oldestDueAt === null ? 0 : Math.max(0, (now - backlog.oldestDueAt) / 1000),
    );
    return true;
  } catch {
    deps.log.warn('operations: the outbox figures could not be read');
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export interface RouteFigures {
  route: string;
  method: string;
  requests: number;
  /** Requests by status class (`2xx`...). */
  byStatus: Record<string, number>;
  /** Estimated from the histogram's buckets; null without requests. `above` when beyond the largest bucket. */
  p50: Quantile | null;
  p95: Quantile | null;
}

export interface Quantile {
  seconds: number;
  /** The quantile lies above the largest bucket: `seconds` is that bucket's bound, a lower limit. */
  above: boolean;
}

export interface OperationsFigures {
  routes: RouteFigures[];
  outbox: { waiting: number; oldestDueSeconds: number; current: boolean };
  usageLog: { buffered: number; dropped: number };
  sharedState: { degraded: boolean; fallbacks: number };
  databaseUnavailable: number;
  jobs: { job: string; outcome: string; runs: number }[];
  /** PostgreSQL only. */
  pool: { total: number; idle: number; waiting: number } | null;
}

export async function readOperationsFigures(deps: FigureDeps): Promise<OperationsFigures> {
  const current = await refreshCollectedFigures(deps);
  const m = deps.metrics;
  const [requests, seconds, outboxDepth, outboxAge, buffered, dropped, degraded, fallbacks, unavailable, jobs] =
    await Promise.all([
      m.requests.get(),
      m.requestSeconds.get(),
      m.outboxDepth.get(),
      m.outboxOldestDueSeconds.get(),
      m.usageLogBuffered.get(),
      m.usageLogDropped.get(),
      m.sharedStateDegraded.get(),
      m.sharedStateFallbacks.get(),
      m.databaseUnavailable.get(),
      m.jobRuns.get(),
    ]);
  const single = (metric: { values: { value: number }[] }) => metric.values[0]?.value ?? 0;
  const pool = await readPool(deps);
  return {
    routes: routeFigures(requests.values, seconds.values),
    outbox: { waiting: single(outboxDepth), oldestDueSeconds: single(outboxAge), current },
    usageLog: { buffered: single(buffered), dropped: single(dropped) },
    sharedState: { degraded: single(degraded) > 0, fallbacks: single(fallbacks) },
    databaseUnavailable: single(unavailable),
    jobs: jobs.values
      .map((v) => ({ job: String(v.labels.job), outcome: String(v.labels.outcome), runs: v.value }))
      .sort((a, b) => a.job.localeCompare(b.job) || a.outcome.localeCompare(b.outcome)),
    pool,
  };
}

/** The pool gauge is registered only on PostgreSQL (its collect() reads the pool). */
async function readPool(deps: FigureDeps): Promise<OperationsFigures['pool']> {
  if (!deps.metrics.registry.getSingleMetric('candor_database_pool_connections')) return null;
  const values = (await deps.metrics.databasePool.get()).values;
  const of = (state: string) => values.find((v) => v.labels.state === state)?.value ?? 0;
  return { total: of('total'), idle: of('idle'), waiting: of('waiting') };
}

type Sample = { labels: Partial<Record<string, string | number>>; value: number; metricName?: string };

/** Counter and histogram samples joined per route pattern and method, most requested first. */
export function routeFigures(counts: Sample[], histogram: Sample[]): RouteFigures[] {
  const rows = new Map<string, RouteFigures>();
  const row = (route: string, method: string) => {
    const key = `${method} ${route}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { route, method, requests: 0, byStatus: {}, p50: null, p95: null }));
    return r;
  };
  for (const s of counts) {
    const r = row(String(s.labels.route), String(s.labels.method));
    const status = String(s.labels.status);
    r.requests += s.value;
    r.byStatus[status] = (r.byStatus[status] ?? 0) + s.value;
  }
  const buckets = new Map<string, { le: number; count: number }[]>();
  for (const s of histogram) {
    if (!s.metricName?.endsWith('_bucket')) continue;
    const key = `${String(s.labels.method)} ${String(s.labels.route)}`;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    (buckets.get(key) ?? buckets.set(key, []).get(key)!).push({ le, count: s.value });
  }
  for (const [key, list] of buckets) {
    const r = rows.get(key);
    if (!r) continue;
    list.sort((a, b) => a.le - b.le);
    r.p50 = quantile(list, 0.5);
    r.p95 = quantile(list, 0.95);
  }
  return [...rows.values()].sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route));
}

/**
 * The q-quantile from cumulative bucket counts, interpolated linearly inside its bucket (as Prometheus's
 * histogram_quantile does; the first bucket starts at 0).
 */
export function quantile(buckets: { le: number; count: number }[], q: number): Quantile | null {
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return { seconds: lowerBound, above: true };
      const inBucket = b.count - lowerCount;
      const fraction = inBucket > 0 ? (rank - lowerCount) / inBucket : 1;
      return { seconds: lowerBound + (b.le - lowerBound) * fraction, above: false };
    }
    lowerBound = b.le;
    lowerCount = b.count;
  }
  return { seconds: lowerBound, above: true };
}
