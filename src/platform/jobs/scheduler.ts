// Runs the features' jobs on their intervals, in any number of worker processes. Scheduled jobs run only in the
// process holding the 'scheduler' lease, renewed between jobs and by a heartbeat during each (every LEASE_MS/3): a
// job whose lease is lost is told through its AbortSignal, and a run is recorded as done only if its process still
// held the lease when it ended (the fence). `everyWorker` jobs run in every process, each claiming its own rows.
// Every run is counted in the metrics and recorded in job_runs (but not a run of a frequent job that did nothing).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { PlatformContext } from '../context.ts';
import type { Metrics } from '../metrics.ts';
import { acquireLease, finishJobRun, insertJobRun, releaseLease, renewLease } from './jobs.queries.ts';
import type { JobOutcome, JobTables } from './jobs.tables.ts';

/** What a run is told besides its context: when to stop early. */
export interface JobRun {
  /**
   * Aborted when the process lost the scheduler lease during a scheduled job (another process leads and may run the
   * same job now) or when the worker stops. A long job checks it at its loop points (`signal.throwIfAborted()` or
   * `if (signal.aborted) break`) and commits nothing further once it is aborted.
   */
  signal: AbortSignal;
}

/** What a run may report: the items it handled (mails sent, rows removed), for the run record and the metrics. */
export interface JobResult {
  items: number;
}

/** A job of a feature, run on its interval; every job is idempotent. */
export interface Job<Ctx> {
  /** `<feature>.<verb>-<noun>`. */
  name: string;
  everyMs: number;
  /**
   * Absent or false: a scheduled job, run only by the process that holds the scheduler lease. True: run by EVERY
   * worker process side by side (outbox delivery, campaign building); such a job must claim its work so that two
   * workers never take the same rows (PostgreSQL: `for update skip locked` in the claim; SQLite has one writer at a
   * time, so a conditional update is the claim) and should return `{ items }`. A run of a job that runs more often
   * than once a minute (every parallel job so far) and handled nothing is only counted in the metrics, not recorded.
   */
  everyWorker?: boolean;
  /** `run` is absent when a test or the CLI calls the job directly. */
  run(ctx: Ctx, run?: JobRun): Promise<void | JobResult>;
}

/**
 * A long-running part that only the leading process runs (the inbound SMTP listener): started when this process
 * takes the lease, stopped when it loses it or stops.
 */
export interface LeaderService<Ctx> {
  /** `<feature>.<noun>`. */
  name: string;
  start(ctx: Ctx): Promise<{ stop(): Promise<void> }>;
}

/** What the scheduler itself uses; the jobs get the whole context they were declared with. */
export type SchedulerContext = Pick<PlatformContext<JobTables>, 'db' | 'clock' | 'log'> & {
  metrics?: Pick<Metrics, 'jobRuns' | 'jobSeconds' | 'jobItems'>;
};

export const LEASE_MS = 30_000;
/** Scheduled jobs at least this far apart are recorded from their start (see runJob). */
const RECORD_START_FROM_MS = 60_000;
export const LEADER_LEASE = 'scheduler';

export interface SchedulerOptions {
  /** The lease's length (30 s). */
  leaseMs?: number;
  /** How often a running scheduled job's lease is renewed (real time; LEASE_MS / 3). */
  heartbeatMs?: number;
}

export interface Scheduler {
  /** This process's name in the lease and the run records: `<pid>-<random>`. */
  readonly holder: string;
  /** One pass: takes or renews the lease and runs every scheduled job that is due, then every due parallel job. */
  tick(): Promise<void>;
  start(intervalMs?: number): void;
  /** Tells running jobs to stop (their signal), waits for them, stops the leader services, releases the lease. */
  stop(): Promise<void>;
}

/** Why a run was told to stop: its `code` is what the run record keeps. */
export class JobAbortedError extends Error {
  constructor(readonly code: 'lease-lost' | 'stopping') {
    super(`job aborted: ${code}`);
    this.name = 'JobAbortedError';
  }
}

/** A short code for the run record and the log: an error's code or class name, never its message. */
export function errorCode(err: unknown): string {
  if (err instanceof JobAbortedError) return err.code;
  const code = (err as { code?: unknown } | null)?.code;
  if ((typeof code === 'string' || typeof code === 'number') && /^[A-Za-z0-9_.-]{1,40}$/.test(String(code)))
    return String(code);
  if (err instanceof Error && /^[A-Za-z0-9_]{1,40}$/.test(err.name)) return err.name;
  return 'error';
}

export function createScheduler<Ctx>(
  scheduler: SchedulerContext,
  jobs: Job<Ctx>[],
  ctx: Ctx,
  services: LeaderService<Ctx>[] = [],
  options: SchedulerOptions = {},
): Scheduler {
  const deps = scheduler;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const heartbeatMs = options.heartbeatMs ?? Math.floor(leaseMs / 3);
  const holder = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const scheduled = jobs.filter((j) => !j.everyWorker);
  const parallel = jobs.filter((j) => j.everyWorker);
  const lastRun = new Map<string, number>();
  const stopping = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  /** The passes under way (at most one per lane), which stop() waits for. */
  const passes = new Set<Promise<void>>();
  let started = false;
  /** The leader services this process runs, by name (only while it holds the lease). */
  const running = new Map<string, { stop(): Promise<void> }>();
  /** Until when this process's lease runs (as last taken or renewed); 0 when it does not lead. */
  let leaseUntil = 0;
  /** Renewals one at a time: the heartbeat and the fence never race each other. */
  let renewing: Promise<boolean> = Promise.resolve(false);

  /** Takes or renews the lease from now; false when another process holds it. */
  async function lead(): Promise<boolean> {
    const now = deps.clock.now();
    const taken = await acquireLease(deps.db, LEADER_LEASE, holder, now, now + leaseMs);
    leaseUntil = taken ? now + leaseMs : 0;
    return taken;
  }

  /**
   * Extends a lease this process holds; false once it ran out or another process took it. A database that does not
   * answer leaves the lease as it was: held until its time is up, lost after.
   */
  function keepLease(): Promise<boolean> {
    renewing = renewing.then(async () => {
      if (leaseUntil === 0) return false;
      const now = deps.clock.now();
      try {
        const kept = await renewLease(deps.db, LEADER_LEASE, holder, now, now + leaseMs);
        leaseUntil = kept ? now + leaseMs : 0;
      } catch (err) {
        deps.log.warn({ code: errorCode(err) }, 'scheduler lease could not be renewed');
        if (deps.clock.now() >= leaseUntil) leaseUntil = 0;
      }
      return leaseUntil !== 0;
    });
    return renewing;
  }

  async function startServices(): Promise<void> {
    for (const service of services) {
      if (running.has(service.name)) continue;
      try {
        running.set(service.name, await service.start(ctx));
        deps.log.info({ service: service.name }, 'leader service started');
      } catch (err) {
        deps.log.error({ err, service: service.name }, 'leader service failed to start');
      }
    }
  }

  async function stopServices(): Promise<void> {
    for (const [name, service] of running) {
      running.delete(name);
      await service
        .stop()
        .catch((err: unknown) => deps.log.error({ err, service: name }, 'leader service failed to stop'));
    }
  }

  /** Records a run's start (scheduled jobs: a run that never ends shows its process died) or its whole course. */
  async function record(write: () => Promise<void>): Promise<void> {
    await write().catch((err: unknown) => deps.log.warn({ code: errorCode(err) }, 'job run could not be recorded'));
  }

  /** Runs one job; for a scheduled one, under the heartbeat and the fence. Answers whether the lease still holds. */
  async function runJob(job: Job<Ctx>, leader: boolean): Promise<boolean> {
    const controller = new AbortController();
    const onStop = () => controller.abort(new JobAbortedError('stopping'));
    if (stopping.signal.aborted) onStop();
    else stopping.signal.addEventListener('abort', onStop, { once: true });
    let leaseLost = false;
    const loseLease = () => {
      leaseLost = true;
      if (!controller.signal.aborted) controller.abort(new JobAbortedError('lease-lost'));
    };
    const heartbeat = leader
      ? setInterval(() => void keepLease().then((kept) => kept || loseLease()), heartbeatMs)
      : undefined;
    const id = randomUUID();
    const startedAt = deps.clock.now();
    const t0 = performance.now();
    // A run of a job that runs at least a minute apart is recorded as it starts, so one whose process dies shows
    // as interrupted; runs of frequent jobs (every worker's delivery, a scheduled poll every few seconds) only
    // when they handled something or did not end well, or the table would gain a row every second.
    const recordStart = leader && job.everyMs >= RECORD_START_FROM_MS;
    if (recordStart)
      await record(() =>
        insertJobRun(deps.db, {
          id,
          job: job.name,
          holder,
          started_at: startedAt,
          ended_at: null,
          outcome: null,
          items: null,
          error: null,
        }),
      );
    let outcome: JobOutcome = 'ok';
    let items: number | null = null;
    let error: string | null = null;
    try {
      const result = await job.run(ctx, { signal: controller.signal });
      items = result && Number.isFinite(result.items) ? result.items : null;
    } catch (err) {
      error = errorCode(err);
      if (controller.signal.aborted) outcome = 'aborted';
      else {
        outcome = 'failed';
        deps.log.error({ err, job: job.name }, 'job failed');
      }
    } finally {
      clearInterval(heartbeat);
      stopping.signal.removeEventListener('abort', onStop);
    }
    // The fence: a scheduled run counts as done only if this process still holds the lease as it ends; else another
    // process may have run the same job meanwhile, and this run is recorded as aborted, whatever it returned.
    if (leader && !leaseLost && !(await keepLease())) loseLease();
    if (leaseLost && outcome !== 'failed') {
      outcome = 'aborted';
      error = 'lease-lost';
    }
    const seconds = (performance.now() - t0) / 1000;
    deps.metrics?.jobRuns.inc({ job: job.name, outcome });
    deps.metrics?.jobSeconds.observe({ job: job.name }, seconds);
    if (items !== null && items > 0) deps.metrics?.jobItems.inc({ job: job.name }, items);
    const end = { ended_at: deps.clock.now(), outcome, items, error };
    if (recordStart) await record(() => finishJobRun(deps.db, id, end));
    else if (outcome !== 'ok' || (items ?? 0) > 0)
      await record(() => insertJobRun(deps.db, { id, job: job.name, holder, started_at: startedAt, ...end }));
    if (outcome === 'aborted') deps.log.warn({ job: job.name, code: error }, 'job aborted');
    return !leaseLost;
  }

  function due(job: Job<Ctx>, now: number): boolean {
    const last = lastRun.get(job.name);
    return last === undefined || now - last >= job.everyMs;
  }

  async function tickScheduled(): Promise<void> {
    const now = deps.clock.now();
    if (!(await lead())) {
      await stopServices();
      return;
    }
    await startServices();
    let ran = false;
    for (const job of scheduled) {
      if (stopping.signal.aborted) return;
      if (!due(job, now)) continue;
      // The lease is taken again before each job after the first: a process that lost it meanwhile stops here.
      if (ran && !(await lead())) {
        await stopServices();
        return;
      }
      ran = true;
      lastRun.set(job.name, now);
      if (!(await runJob(job, true))) {
        leaseUntil = 0;
        await stopServices();
        return;
      }
    }
  }

  async function tickParallel(): Promise<void> {
    const now = deps.clock.now();
    for (const job of parallel) {
      if (stopping.signal.aborted) return;
      if (!due(job, now)) continue;
      lastRun.set(job.name, now);
      await runJob(job, false);
    }
  }

  /** Runs `pass` every `intervalMs` after the previous one ended, until stopped. */
  function loop(pass: () => Promise<void>, intervalMs: number, firstAfterMs = 0): void {
    const later = (ms: number) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (stopping.signal.aborted) return;
        const current: Promise<void> = pass()
          .catch((err: unknown) => deps.log.error({ err }, 'scheduler tick failed'))
          .finally(() => {
            passes.delete(current);
            if (!stopping.signal.aborted) later(intervalMs);
          });
        passes.add(current);
      }, ms);
      timers.add(timer);
    };
    later(firstAfterMs);
  }

  return {
    holder,
    async tick() {
      await tickScheduled();
      await tickParallel();
    },
    start(intervalMs = 1000) {
      if (started) return;
      started = true;
      // Two lanes: a long scheduled job (retention) does not hold up this worker's share of the delivery.
      loop(tickScheduled, intervalMs);
      loop(tickParallel, intervalMs);
    },
    async stop() {
      stopping.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all([...passes]);
      await stopServices();
      await releaseLease(deps.db, LEADER_LEASE, holder).catch(() => undefined);
      leaseUntil = 0;
    },
  };
}
