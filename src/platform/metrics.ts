// The process's operational figures, in Prometheus form (prom-client). One registry per Deps (tests build many),
// never the library's global one. Labels name route patterns, jobs and states: never a raw path, an address, an
// id or anything else about a person, so /metrics can leave the machine without leaking personal data.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Requests answered, by route pattern (such as /products/:slug, or `unmatched`), method and status class (`2xx`). */
  requests: Counter<'route' | 'method' | 'status'>;
  /** Time to answer, by route pattern and method. */
  requestSeconds: Histogram<'route' | 'method'>;
  /** Requests refused with 503 because the database could not be reached. */
  databaseUnavailable: Counter;
  /** Runs of scheduled and parallel jobs, by job name and outcome (`ok`, `failed`, `aborted`: lease lost or stopping). */
  jobRuns: Counter<'job' | 'outcome'>;
  jobSeconds: Histogram<'job'>;
  /** Items a job run handled (mails sent, rows removed), by job name. */
  jobItems: Counter<'job'>;
  /** Usage-log entries waiting in this process's buffer. */
  usageLogBuffered: Gauge;
  /** Usage-log entries given up (buffer full during an outage, or a batch that failed for good). */
  usageLogDropped: Counter;
  /** 1 while shared state (rate limits, throttles, cache invalidation) falls back to this process, else 0. */
  sharedStateDegraded: Gauge;
  /** Times shared state fell back to this process. */
  sharedStateFallbacks: Counter;
  /** Mail waiting in the outbox (unsent, not failed for good); set when figures are read (/metrics, staff page). */
  outboxDepth: Gauge;
  /** Seconds the oldest due outbox message has waited past its due time (0: none due); set when figures are read. */
  outboxOldestDueSeconds: Gauge;
  /** PostgreSQL only: this process's pooled connections, by state (`total`, `idle`, `waiting` clients). */
  databasePool: Gauge<'state'>;
}

/** What a connection pool says about itself (pg.Pool's counts). */
export interface PoolFigures {
  total: number;
  idle: number;
  waiting: number;
}

let processRegistry: Registry | undefined;

/**
 * The process's own figures (memory, CPU, event-loop lag, garbage collection): one registry per process, made on
 * first use, because they watch the process and not a Deps (tests build hundreds of Deps in one process).
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'candor_' });
  }
  return processRegistry;
}

/** The text /metrics answers: this Deps's figures and the process's. */
export async function metricsText(metrics: Metrics): Promise<{ contentType: string; body: string }> {
  const merged = Registry.merge([processMetrics(), metrics.registry]);
  return { contentType: merged.contentType, body: await merged.metrics() };
}

/** `pool`: the database pool's counts, read at each scrape (PostgreSQL; SQLite has no pool). */
export function createMetrics(options: { pool?: (() => PoolFigures) | undefined } = {}): Metrics {
  const registry = new Registry();
  const pool = options.pool;
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'candor_http_requests_total',
      help: 'Requests answered, by route pattern, method and status class.',
      labelNames: ['route', 'method', 'status'] as const,
      registers,
    }),
    requestSeconds: new Histogram({
      name: 'candor_http_request_duration_seconds',
      help: 'Time to answer a request, by route pattern and method.',
      labelNames: ['route', 'method'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    databaseUnavailable: new Counter({
      name: 'candor_database_unavailable_total',
      help: 'Requests answered 503 because the database could not be reached.',
      registers,
    }),
    jobRuns: new Counter({
      name: 'candor_job_runs_total',
      help: 'Job runs, by job and outcome.',
      labelNames: ['job', 'outcome'] as const,
      registers,
    }),
    jobSeconds: new Histogram({
      name: 'candor_job_duration_seconds',
      help: 'Time a job run took, by job.',
      labelNames: ['job'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      registers,
    }),
    jobItems: new Counter({
      name: 'candor_job_items_total',
      help: 'Items job runs handled, by job.',
      labelNames: ['job'] as const,
      registers,
    }),
    usageLogBuffered: new Gauge({
      name: 'candor_usage_log_buffered',
      help: 'Usage-log entries waiting in this process to be written.',
      registers,
    }),
    usageLogDropped: new Counter({
      name: 'candor_usage_log_dropped_total',
      help: 'Usage-log entries given up (buffer full while the database was away, or a batch that failed for good).',
      registers,
    }),
    sharedStateDegraded: new Gauge({
      name: 'candor_shared_state_degraded',
      help: '1 while rate limits and caches are kept per process because Redis cannot be reached.',
      registers,
    }),
    sharedStateFallbacks: new Counter({
      name: 'candor_shared_state_fallbacks_total',
      help: 'Times rate limits and caches fell back to this process because Redis could not be reached.',
      registers,
    }),
    outboxDepth: new Gauge({
      name: 'candor_outbox_depth',
      help: 'Mail waiting in the outbox: unsent and not failed for good (paused campaign mail included).',
      registers,
    }),
    outboxOldestDueSeconds: new Gauge({
      name: 'candor_outbox_oldest_due_seconds',
      help: 'How long the oldest due outbox message has waited past its due time, in seconds (0 when none is due).',
      registers,
    }),
    databasePool: new Gauge({
      name: 'candor_database_pool_connections',
      help: "This process's PostgreSQL pool: open connections (total), idle ones, and clients waiting for one.",
      labelNames: ['state'] as const,
      registers: pool ? registers : [],
      collect() {
        if (!pool) return;
        const figures = pool();
        this.set({ state: 'total' }, figures.total);
        this.set({ state: 'idle' }, figures.idle);
        this.set({ state: 'waiting' }, figures.waiting);
      },
    }),
  };
}
