import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase, openBareDatabase, type BareDatabase } from '../../testing/harness.ts';
import { jobsMigrations } from './index.ts';
import type { JobTables } from './jobs.tables.ts';
import { createScheduler, type Job } from './scheduler.ts';

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
});
