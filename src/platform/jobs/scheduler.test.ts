import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase, openBareDatabase, type BareDatabase } from '../../testing/harness.ts';
import { createMetrics } from '../metrics.ts';
import { jobsMigrations } from './index.ts';
import type { JobTables } from './jobs.tables.ts';
import { createScheduler, type Job, type JobRun } from './scheduler.ts';

/** Resolves once `signal` is aborted, or after `ms` (a job that was not told to stop goes on). */
const abortedWithin = (signal: AbortSignal, ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

// The scheduler needs only its lease table, a clock and a log: no app, no feature.
describeEachDatabase('scheduler', (db) => {
  let h: BareDatabase<JobTables>;
  before(async () => {
    h = await openBareDatabase<JobTables>(db, jobsMigrations);
  });
  after(() => h.close());

  test('of two workers only the lease holder runs jobs; the other takes over when the lease lapses', async () => {
    const runs: string[] = [];
    const job = (who: string): Job<unknown> => ({
      name: 'test.count-runs',
      everyMs: 1000,
      run: async () => void runs.push(who),
    });
    const a = createScheduler(h, [job('a')], undefined);
    const b = createScheduler(h, [job('b')], undefined);
    await a.tick();
    await b.tick();
    assert.deepEqual(runs, ['a']);
    h.clock.advance(1500);
    await b.tick();
    await a.tick();
    assert.deepEqual(runs, ['a', 'a']);
    // a stops renewing (it died); after the 30 s lease b leads.
    h.clock.advance(31_000);
    await b.tick();
    assert.deepEqual(runs, ['a', 'a', 'b']);
    await a.tick();
    assert.deepEqual(runs, ['a', 'a', 'b']);
  });

  test('a job runs again only when its interval has passed, and a failing job does not stop the others', async () => {
    const runs: string[] = [];
    const s = createScheduler(
      h,
      [
        { name: 'test.fail-always', everyMs: 10, run: async () => Promise.reject(new Error('boom')) },
        { name: 'test.run-hourly', everyMs: 3_600_000, run: async () => void runs.push('hourly') },
      ],
      undefined,
    );
    h.clock.advance(60_000);
    await s.tick();
    h.clock.advance(1000);
    await s.tick();
    assert.deepEqual(runs, ['hourly']);
    h.clock.advance(3_600_000);
    await s.tick();
    assert.deepEqual(runs, ['hourly', 'hourly']);
    await s.stop();
  });

  test('the leader renews its lease between jobs, so a long tick is not taken over', async () => {
    h.clock.advance(60_000);
    const runs: string[] = [];
    const b = createScheduler(
      h,
      [{ name: 'test.other', everyMs: 1000, run: async () => void runs.push('b') }],
      undefined,
    );
    const slow = (name: string): Job<unknown> => ({
      name,
      everyMs: 1000,
      run: async () => {
        h.clock.advance(25_000);
        await b.tick();
      },
    });
    const a = createScheduler(
      h,
      [
        slow('test.slow-one'),
        slow('test.slow-two'),
        { name: 'test.last', everyMs: 1000, run: async () => void runs.push('a') },
      ],
      undefined,
    );
    await a.tick();
    // 50 s after its start a still leads: the second process never ran a job.
    assert.deepEqual(runs, ['a']);
    await a.stop();
    await b.stop();
  });

  test('a leader that lost its lease during a job runs no further job of that tick', async () => {
    h.clock.advance(60_000);
    const runs: string[] = [];
    const b = createScheduler(
      h,
      [{ name: 'test.taker', everyMs: 1000, run: async () => void runs.push('b') }],
      undefined,
    );
    const a = createScheduler(
      h,
      [
        {
          name: 'test.stuck',
          everyMs: 1000,
          run: async () => {
            // Stuck beyond the lease: the other process takes over meanwhile.
            h.clock.advance(31_000);
            await b.tick();
          },
        },
        { name: 'test.after-stuck', everyMs: 1000, run: async () => void runs.push('a') },
      ],
      undefined,
    );
    await a.tick();
    assert.deepEqual(runs, ['b'], 'a stops once it sees the lease is gone');
    await a.stop();
    await b.stop();
  });

  test('a leader service runs only in the process that leads, and moves with the lease', async () => {
    h.clock.advance(120_000);
    const events: string[] = [];
    const service = (who: string) => ({
      name: 'test.listener',
      start: async () => {
        events.push(`${who} start`);
        return { stop: async () => void events.push(`${who} stop`) };
      },
    });
    const a = createScheduler(h, [], undefined, [service('a')]);
    const b = createScheduler(h, [], undefined, [service('b')]);
    await a.tick();
    await b.tick();
    await a.tick();
    assert.deepEqual(events, ['a start'], 'started once, in the leader only');
    // a stalls past its lease; b takes over and starts its own; a stops its listener on its next tick.
    h.clock.advance(31_000);
    await b.tick();
    await a.tick();
    assert.deepEqual(events, ['a start', 'b start', 'a stop']);
    await b.stop();
    assert.deepEqual(events, ['a start', 'b start', 'a stop', 'b stop']);
    await a.stop();
  });

  async function runsOf(job: string) {
    return h.db.selectFrom('job_runs').selectAll().where('job', '=', job).orderBy('started_at').execute();
  }

  test('a long job keeps the lease by its heartbeat: no other worker takes over during it', async () => {
    h.clock.advance(120_000);
    const runs: string[] = [];
    const b = createScheduler(
      h,
      [{ name: 'test.long', everyMs: 1000, run: async () => void runs.push('b') }],
      undefined,
    );
    const a = createScheduler(
      h,
      [
        {
          name: 'test.long',
          everyMs: 1000,
          run: async () => {
            // 80 s in all, twice and a half the lease: the heartbeat (every 5 ms here) renews it on the way.
            for (let i = 0; i < 8; i++) {
              h.clock.advance(10_000);
              await new Promise((r) => setTimeout(r, 40));
              await b.tick();
            }
            runs.push('a');
            return { items: 8 };
          },
        },
      ],
      undefined,
      [],
      { heartbeatMs: 5 },
    );
    await a.tick();
    assert.deepEqual(runs, ['a'], 'b never ran the job while a ran it');
    const [run] = await runsOf('test.long');
    assert.equal(run?.holder, a.holder);
    assert.equal(run?.outcome, 'ok');
    assert.equal(run?.items, 8);
    await a.stop();
    await b.stop();
  });

  test('a job that outlives its lease is aborted at its next step and not recorded as done; the new leader runs it', async () => {
    h.clock.advance(120_000);
    const steps: string[] = [];
    const job = (who: string, stall: (run: JobRun) => Promise<void>): Job<unknown> => ({
      name: 'test.stalls',
      everyMs: 1000,
      run: async (_ctx, run) => {
        for (let i = 0; i < 3; i++) {
          run!.signal.throwIfAborted();
          steps.push(`${who}${i}`);
          if (i === 0) await stall(run!);
        }
        return { items: 3 };
      },
    });
    const b = createScheduler(h, [job('b', async () => undefined)], undefined, [], { heartbeatMs: 5 });
    const a = createScheduler(
      h,
      [
        job('a', async (run) => {
          // a stalls past its lease (a pause, a slow query): b takes the lease and runs the job meanwhile.
          h.clock.advance(31_000);
          await b.tick();
          await abortedWithin(run.signal, 2000);
        }),
      ],
      undefined,
      [],
      { heartbeatMs: 5 },
    );
    await a.tick();
    assert.deepEqual(steps, ['a0', 'b0', 'b1', 'b2'], 'a did not go on after b took over');
    const runs = await runsOf('test.stalls');
    assert.deepEqual(
      runs.map((r) => [r.holder, r.outcome, r.error]),
      [
        [a.holder, 'aborted', 'lease-lost'],
        [b.holder, 'ok', null],
      ],
    );
    await a.stop();
    await b.stop();
  });

  test('the fence: a job that ignores its signal and ends after losing the lease is recorded as aborted', async () => {
    h.clock.advance(120_000);
    const b = createScheduler(h, [], undefined);
    const a = createScheduler(
      h,
      [
        {
          name: 'test.deaf',
          everyMs: 1000,
          run: async () => {
            // No heartbeat fires in this run (a minute apart): only the check at its end sees the lease is gone.
            h.clock.advance(31_000);
            await b.tick();
            return { items: 1 };
          },
        },
      ],
      undefined,
      [],
      { heartbeatMs: 60_000 },
    );
    await a.tick();
    const [run] = await runsOf('test.deaf');
    assert.equal(run?.outcome, 'aborted');
    assert.equal(run?.error, 'lease-lost');
    await a.stop();
    await b.stop();
  });

  test('a parallel job runs in every worker, leader or not; a run that did nothing is counted, not recorded', async () => {
    h.clock.advance(120_000);
    const metrics = createMetrics();
    let items = 0;
    const job: Job<unknown> = { name: 'test.deliver', everyMs: 1000, everyWorker: true, run: async () => ({ items }) };
    const a = createScheduler({ ...h, metrics }, [job], undefined);
    const b = createScheduler({ ...h, metrics }, [job], undefined);
    await a.tick();
    await b.tick();
    assert.deepEqual(await runsOf('test.deliver'), [], 'two empty runs leave no record');
    items = 5;
    h.clock.advance(1000);
    await a.tick();
    await b.tick();
    const runs = await runsOf('test.deliver');
    assert.deepEqual(runs.map((r) => r.holder).sort(), [a.holder, b.holder].sort(), 'both workers ran it');
    assert.ok(runs.every((r) => r.outcome === 'ok' && r.items === 5));
    const counted = (await metrics.jobRuns.get()).values.find((v) => v.labels.job === 'test.deliver');
    assert.equal(counted?.value, 4);
    assert.equal((await metrics.jobItems.get()).values.find((v) => v.labels.job === 'test.deliver')?.value, 10);
    await a.stop();
    await b.stop();
  });

  test('a frequent scheduled job that did nothing leaves no record; an hourly one is recorded from its start', async () => {
    h.clock.advance(120_000);
    let during: unknown[] = [];
    const s = createScheduler(
      h,
      [
        { name: 'test.poll-often', everyMs: 5000, run: async () => ({ items: 0 }) },
        {
          name: 'test.sweep-hourly',
          everyMs: 3_600_000,
          run: async () => {
            during = (await runsOf('test.sweep-hourly')).map((r) => [r.outcome, r.ended_at]);
            return { items: 0 };
          },
        },
      ],
      undefined,
    );
    await s.tick();
    assert.deepEqual(await runsOf('test.poll-often'), []);
    assert.deepEqual(during, [[null, null]], 'the run is on record while it runs');
    assert.deepEqual(
      (await runsOf('test.sweep-hourly')).map((r) => [r.outcome, r.items]),
      [['ok', 0]],
    );
    await s.stop();
  });

  test('a failed run keeps only a code, never the message; stop() aborts a running job', async () => {
    h.clock.advance(120_000);
    const s = createScheduler(
      h,
      [
        {
          name: 'test.throws',
          everyMs: 1000,
          run: async () => Promise.reject(new TypeError('cannot mail anna@example.com')),
        },
      ],
      undefined,
    );
    await s.tick();
    const [failed] = await runsOf('test.throws');
    assert.equal(failed?.outcome, 'failed');
    assert.equal(failed?.error, 'TypeError');
    await s.stop();

    let seen: AbortSignal | undefined;
    const w = createScheduler(
      h,
      [
        {
          name: 'test.until-stopped',
          everyMs: 1000,
          everyWorker: true,
          run: async (_ctx, run) => {
            seen = run!.signal;
            await abortedWithin(run!.signal, 5000);
            run!.signal.throwIfAborted();
            return { items: 1 };
          },
        },
      ],
      undefined,
    );
    w.start(10);
    while (!seen) await new Promise((r) => setTimeout(r, 5));
    const t0 = Date.now();
    await w.stop();
    assert.ok(Date.now() - t0 < 1000, 'stop did not wait for the job to time out');
    const [stopped] = await runsOf('test.until-stopped');
    assert.equal(stopped?.outcome, 'aborted');
    assert.equal(stopped?.error, 'stopping');
  });
});
