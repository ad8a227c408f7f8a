// Issue 17, "Done when": a worker killed with SIGKILL in the middle of the retention run (after half of the data
// map's rules, src/platform/faults.ts `retention.after-rule`) leaves the later rules undone; the next run, in a
// restarted worker, completes them: nothing is left that a rule should have removed (the audit's retention checks).
// Real `candor worker` children over a database shared with this process (decision 0049).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { Deps } from '../deps.ts';
import { DAY } from '../platform/clock.ts';
import { loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/log.ts';
import { createDeps, migrateDatabase } from '../testing/app.ts';
import { describeEachDatabase } from '../testing/harness.ts';
import { createWorkerDatabase, runWorker } from '../testing/worker.ts';
import { runAudit } from './audit/audit.ts';

/** Tables filled with expired rows, by the rule that removes them; some rules come before the kill, some after. */
const FILLED = {
  'jobs.delete-old-job-runs': 'job_runs',
  'mail.delete-sent-messages': 'outbox',
  'accounts.delete-sign-in-counters': 'account_limits',
  'analytics.delete-salts': 'analytics_salts',
  'analytics.delete-exclusions': 'analytics_exclusions',
} as const;
const ROWS = 200;

describeEachDatabase('a worker killed in the middle of retention', (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-retention-crash-'));
  let deps: Deps;
  let env: Record<string, string>;
  let dropDatabase: (() => Promise<void>) | undefined;

  before(async () => {
    let databaseUrl: string | undefined;
    if (kind === 'postgres') {
      const database = await createWorkerDatabase('candor_retention');
      databaseUrl = database.url;
      dropDatabase = database.drop;
    }
    env = {
      DATA_DIR: dataDir,
      CANDOR_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
      BASE_URL: 'http://127.0.0.1:3000',
      USAGE_LOG: 'off',
      LOG_LEVEL: 'warn',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };
    deps = createDeps(loadConfig(env), { log: createLogger('silent') });
    await migrateDatabase(deps);
    await fill();
  });

  after(async () => {
    await deps?.close();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Expired rows in each filled table (ids are random: a second fill adds to what the first left). */
  let fills = 0;
  async function fill(): Promise<void> {
    // Keys differ per fill: a test run alone fills twice (in `before` and in its own body) with nothing removed between.
    const round = ++fills;
    const old = Date.now() - 400 * DAY;
    const many = <T>(make: (i: number) => T) => Array.from({ length: ROWS }, (_, i) => make(i));
    await deps.db
      .insertInto('job_runs')
      .values(
        many((i) => ({
          id: randomUUID(),
          job: 'test.old-run',
          holder: `1-${i}`,
          started_at: old + i,
          ended_at: old + i + 1,
          outcome: 'ok',
          items: 1,
          error: null,
        })),
      )
      .execute();
    await deps.db
      .insertInto('outbox')
      .values(
        many((i) => ({
          id: randomUUID(),
          recipient: `reader.${i}@retention.example`,
          subject: 'Old',
          body: 'Sent long ago',
          html: null,
          headers: '{}',
          attachments: '[]',
          created_at: old,
          attempts: 1,
          next_attempt_at: old,
          locked_until: null,
          sent_at: old + i,
          failed_at: null,
          last_error: null,
          template: null,
          list: null,
        })),
      )
      .execute();
    await deps.db
      .insertInto('account_limits')
      .values(many((i) => ({ key_hash: `old-${round}-${i}`, count: 1, last_at: old + i })))
      .execute();
    await deps.db
      .insertInto('analytics_salts')
      .values(
        many((i) => ({
          day: `19${String(round).padStart(2, '0')}${String(i).padStart(4, '0')}`,
          salt: `salt-${i}`,
          created_at: old + i,
        })),
      )
      .execute();
    await deps.db
      .insertInto('analytics_exclusions')
      .values(many((i) => ({ pseudonym: `p-${round}-${i}`, reason: 'erasure', added_at: old + i })))
      .execute();
  }

  /** Expired rows left per filled table (the audit's reading of the rules). */
  async function pastPeriod(): Promise<Record<string, number>> {
    const report = await runAudit({ ...deps, config: { dataDir } });
    return Object.fromEntries(
      Object.keys(FILLED).map((rule) => [
        rule,
        Number(report.checks.find((c) => c.id === `retention:${rule}`)?.figures.rowsPastPeriod),
      ]),
    );
  }

  test('the next run completes what the killed one left', { timeout: 180_000 }, async (t) => {
    const started = performance.now();
    const rules = deps.dataMap.tables.flatMap((table) => table.retention.map((r) => r.id));
    const killAt = Math.floor(rules.length / 2);
    // Half of the filled rules come before the kill, half after (as the data map orders them today).
    const position = (rule: string) => rules.indexOf(rule) + 1;
    const before = Object.keys(FILLED).filter((r) => position(r) <= killAt);
    const afterKill = Object.keys(FILLED).filter((r) => position(r) > killAt);
    assert.ok(before.length > 0 && afterKill.length > 0, `rules ${JSON.stringify(rules)}`);
    assert.ok(
      Object.values(await pastPeriod()).every((n) => n === ROWS),
      'every filled table holds expired rows',
    );

    const killed = await runWorker({
      env,
      faultAt: `retention.after-rule:${killAt}`,
      done: () => false,
      timeoutMs: 90_000,
      pollMs: 100,
    });
    assert.equal(killed.exit.signal, 'SIGKILL', `the worker died at its fault point (stderr: ${killed.stderr})`);
    const left = await pastPeriod();
    t.diagnostic(`[${kind}] killed after rule ${killAt} of ${rules.length}; left: ${JSON.stringify(left)}`);
    for (const rule of before) assert.equal(left[rule], 0, `${rule} ran before the kill`);
    for (const rule of afterKill) assert.equal(left[rule], ROWS, `${rule} had not run at the kill`);
    const interrupted = await deps.db
      .selectFrom('job_runs')
      .selectAll()
      .where('job', '=', 'privacy.run-retention')
      .execute();
    assert.deepEqual(
      interrupted.map((r) => [r.outcome, r.ended_at]),
      [[null, null]],
      'the killed run is recorded as started and never ended',
    );

    // What a dead worker leaves expires, as its time would pass on its own (decision 0049): the scheduler lease.
    await deps.db
      .updateTable('job_leases')
      .set({ expires_at: Date.now() - 1 })
      .execute();
    const finished = async () =>
      (await deps.db
        .selectFrom('job_runs')
        .select('id')
        .where('job', '=', 'privacy.run-retention')
        .where('outcome', '=', 'ok')
        .executeTakeFirst()) !== undefined;
    const restarted = await runWorker({ env, done: finished, timeoutMs: 90_000, pollMs: 200 });
    assert.ok(restarted.stopped, `the restarted worker ran retention (stderr: ${restarted.stderr})`);
    assert.deepEqual(
      Object.values(await pastPeriod()),
      Object.keys(FILLED).map(() => 0),
    );
    const report = await runAudit({ ...deps, config: { dataDir } });
    const failing = report.checks.filter((c) => c.id.startsWith('retention:') && !c.ok);
    assert.deepEqual(
      failing.map((c) => c.problems),
      [],
      'no rule of the data map has rows past its period',
    );
    const [done] = await deps.db
      .selectFrom('job_runs')
      .selectAll()
      .where('job', '=', 'privacy.run-retention')
      .where('outcome', '=', 'ok')
      .execute();
    // The rows the killed run left (two tables) and nothing it had done already.
    assert.equal(done?.items, afterKill.length * ROWS);
    t.diagnostic(`[${kind}] took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  test(
    'a worker frozen mid-run past its lease: another takes over and completes; the frozen one stops and its run is not done',
    { timeout: 180_000 },
    async (t) => {
      await fill();
      const since = Date.now();
      const rules = deps.dataMap.tables.flatMap((table) => table.retention.map((r) => r.id));
      const stopAt = Math.floor(rules.length / 2);
      const runsSince = () =>
        deps.db
          .selectFrom('job_runs')
          .selectAll()
          .where('job', '=', 'privacy.run-retention')
          .where('started_at', '>=', since)
          .orderBy('started_at')
          .execute();
      let frozen: ChildProcess | undefined;
      let resumed = false;
      const ended = async (holder: string | undefined) =>
        (await runsSince()).some((r) => r.holder === holder && r.outcome !== null);
      /** The two workers' names in the run records, once known. */
      const holders: { a?: string | undefined; b?: string | undefined } = {};
      // A freezes itself (SIGSTOP) after half of the rules, holding the scheduler lease.
      const runA = runWorker({
        env,
        faultAt: `retention.after-rule:${stopAt}:stop`,
        onSpawn: (child) => (frozen = child),
        done: async () => resumed && ended(holders.a),
        timeoutMs: 120_000,
        pollMs: 200,
      });
      const isStopped = () => {
        try {
          return / T /.test(readFileSync(`/proc/${frozen?.pid}/stat`, 'latin1').replace(/^.*\)/, ''));
        } catch {
          return false;
        }
      };
      const deadline = Date.now() + 60_000;
      while (!isStopped()) {
        assert.ok(Date.now() < deadline, 'worker A froze at its fault point');
        await new Promise((r) => setTimeout(r, 100));
      }
      const [runOfA] = await runsSince();
      holders.a = runOfA?.holder;
      assert.equal(runOfA?.outcome, null, 'A is in the middle of its run');
      // A stays frozen past its lease (backdated, decision 0049); B takes over and runs retention to the end.
      await deps.db
        .updateTable('job_leases')
        .set({ expires_at: Date.now() - 1 })
        .execute();
      const runB = runWorker({
        env,
        done: async () => {
          const runs = await runsSince();
          holders.b ??= runs.find((r) => r.holder !== holders.a && r.outcome === 'ok')?.holder;
          if (holders.b === undefined) return false;
          if (!resumed) {
            // B's run is done; now A wakes up while B leads.
            resumed = true;
            frozen?.kill('SIGCONT');
            return false;
          }
          return ended(holders.a);
        },
        timeoutMs: 120_000,
        pollMs: 200,
      });
      const [a, b] = await Promise.all([runA, runB]);
      assert.ok(a.stopped && b.stopped, `both ran to the end (A: ${a.stderr} B: ${b.stderr})`);
      const runs = await runsSince();
      t.diagnostic(
        `[${kind}] ${JSON.stringify(runs.map((r) => [r.holder === holders.a ? 'A' : 'B', r.outcome, r.error, r.items]))}`,
      );
      assert.deepEqual(
        runs.map((r) => [r.holder === holders.a ? 'A' : 'B', r.outcome, r.error]),
        [
          ['A', 'aborted', 'lease-lost'],
          ['B', 'ok', null],
        ],
        'the frozen run is recorded aborted, never done; the new leader ran it once',
      );
      assert.deepEqual(
        Object.values(await pastPeriod()),
        Object.keys(FILLED).map(() => 0),
      );
    },
  );
});
