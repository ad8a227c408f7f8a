// Runs the features' jobs on their intervals. Only the process holding the 'scheduler' lease runs them, so
// several worker processes can run side by side and exactly one leads; another takes over if it dies. The lease is
// renewed between jobs; each job keeps one run well inside it (delivery: 20 s, a build: a budget of pages).
import { randomUUID } from 'node:crypto';
import type { PlatformContext } from '../context.ts';
import { acquireLease, releaseLease } from './jobs.queries.ts';
import type { JobTables } from './jobs.tables.ts';

/** A job of a feature: run on its interval by the process that leads; every job is idempotent. */
export interface Job<Ctx> {
  /** `<feature>.<verb>-<noun>`. */
  name: string;
  everyMs: number;
  run(ctx: Ctx): Promise<void>;
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
export type SchedulerContext = Pick<PlatformContext<JobTables>, 'db' | 'clock' | 'log'>;

const LEASE_MS = 30_000;

export interface Scheduler {
  /** One pass: takes or renews the lease, then runs every job that is due. */
  tick(): Promise<void>;
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

export function createScheduler<Ctx>(
  scheduler: SchedulerContext,
  jobs: Job<Ctx>[],
  ctx: Ctx,
  services: LeaderService<Ctx>[] = [],
): Scheduler {
  const deps = scheduler;
  const holder = randomUUID();
  const lastRun = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  /** The leader services this process runs, by name (only while it holds the lease). */
  const started = new Map<string, { stop(): Promise<void> }>();

  /** Takes or renews the lease from now; false when another process holds it. */
  async function lead(): Promise<boolean> {
    const now = deps.clock.now();
    return acquireLease(deps.db, 'scheduler', holder, now, now + LEASE_MS);
  }

  async function startServices(): Promise<void> {
    for (const service of services) {
      if (started.has(service.name)) continue;
      try {
        started.set(service.name, await service.start(ctx));
        deps.log.info({ service: service.name }, 'leader service started');
      } catch (err) {
        deps.log.error({ err, service: service.name }, 'leader service failed to start');
      }
    }
  }

  async function stopServices(): Promise<void> {
    for (const [name, service] of started) {
      started.delete(name);
      await service
        .stop()
        .catch((err: unknown) => deps.log.error({ err, service: name }, 'leader service failed to stop'));
    }
  }

  async function tick(): Promise<void> {
    const now = deps.clock.now();
    if (!(await lead())) {
      await stopServices();
      return;
    }
    await startServices();
    let ran = false;
    for (const job of jobs) {
      const last = lastRun.get(job.name);
      if (last !== undefined && now - last < job.everyMs) continue;
      // The lease is renewed before each job after the first: a tick of long jobs keeps it, and a process that lost
      // it meanwhile (stalled past the lease) stops here instead of running jobs beside the new leader.
      if (ran && !(await lead())) {
        await stopServices();
        return;
      }
      ran = true;
      lastRun.set(job.name, now);
      try {
        await job.run(ctx);
      } catch (err) {
        deps.log.error({ err, job: job.name }, 'job failed');
      }
    }
  }

  return {
    tick,
    start(intervalMs = 1000) {
      const loop = () => {
        running = tick()
          .catch((err: unknown) => deps.log.error({ err }, 'scheduler tick failed'))
          .finally(() => {
            if (timer !== undefined) timer = setTimeout(loop, intervalMs);
          });
      };
      timer = setTimeout(loop, 0);
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
      await stopServices();
      await releaseLease(deps.db, 'scheduler', holder).catch(() => undefined);
    },
  };
}
