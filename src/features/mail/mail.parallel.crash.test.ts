// Issue 17, "Done when": a worker killed with SIGKILL during outbox delivery while a second worker delivers beside
// it; the survivor and a restarted worker deliver every mail exactly once. Extends the campaign crash test (one
// worker killed at each step of a campaign, decision 0049) to two workers claiming side by side: on PostgreSQL
// `for update skip locked`, on SQLite the conditional update of one writer at a time. The kill comes after the
// commit of a mail in the middle of a claimed batch, so the rest of that batch stays leased to the dead worker
// until its lease runs out (backdated here, as in decision 0049); nothing may be sent twice.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import type { Deps } from '../../deps.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/log.ts';
import { createDeps, migrateDatabase } from '../../testing/app.ts';
import { describeEachDatabase } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { createWorkerDatabase, runWorker, type WorkerRun } from '../../testing/worker.ts';
import type { OutboxTable } from './mail.tables.ts';

const MAILS = 3000;
/** The kill: after the commit of the 504th mail worker A sent, the 8th of its 32nd batch of 16. */
const KILL_AT = 504;

describeEachDatabase('two workers delivering the outbox, one killed mid-batch', (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-parallel-'));
  const sink = new TestSmtpServer({ countOnly: true });
  let deps: Deps;
  let env: Record<string, string>;
  let dropDatabase: (() => Promise<void>) | undefined;
  const addresses: string[] = [];

  before(async () => {
    await sink.start();
    let databaseUrl: string | undefined;
    if (kind === 'postgres') {
      const database = await createWorkerDatabase('candor_parallel', { synchronous_commit: 'off' });
      databaseUrl = database.url;
      dropDatabase = database.drop;
    }
    env = {
      DATA_DIR: dataDir,
      CANDOR_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
      BASE_URL: 'http://127.0.0.1:3000',
      SMTP_URL: sink.url,
      USAGE_LOG: 'off',
      MAIL_CONCURRENCY: '1',
      LOG_LEVEL: 'warn',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };
    deps = createDeps(loadConfig(env), { log: createLogger('silent') });
    await migrateDatabase(deps);
    const now = Date.now();
    const rows: OutboxTable[] = [];
    for (let i = 0; i < MAILS; i++) {
      const to = `reader.${i}@parallel.example`;
      addresses.push(to);
      rows.push({
        id: randomUUID(),
        recipient: to,
        subject: 'Your order has shipped',
        body: 'Every reader gets one mail.',
        html: null,
        headers: '{}',
        attachments: '[]',
        created_at: now,
        attempts: 0,
        next_attempt_at: now,
        locked_until: null,
        sent_at: null,
        failed_at: null,
        last_error: null,
        template: null,
        list: null,
      });
    }
    for (let i = 0; i < rows.length; i += 500)
      await deps.db
        .insertInto('outbox')
        .values(rows.slice(i, i + 500))
        .execute();
  });

  after(async () => {
    await deps?.close();
    await sink.stop();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Unsent rows, and those of them leased into the future (claimed by a worker, alive or dead). */
  async function unsent(): Promise<{ total: number; leased: number }> {
    const rows = await deps.db.selectFrom('outbox').select('locked_until').where('sent_at', 'is', null).execute();
    const now = Date.now();
    return { total: rows.length, leased: rows.filter((r) => r.locked_until !== null && r.locked_until > now).length };
  }

  test(`every one of ${MAILS} mails is sent exactly once`, { timeout: 240_000 }, async (t) => {
    const started = performance.now();
    let released = false;
    let killed: WorkerRun | undefined;
    let restarted: Promise<WorkerRun> | undefined;
    let leftByTheDead = 0;
    const allSent = async () => sink.messageIdsByRecipient.size >= MAILS && (await unsent()).total === 0;

    // A is killed mid-batch and started again at once (as a supervisor would): the restart delivers beside B.
    const workerA = runWorker({
      env,
      faultAt: `mail.after-commit:${KILL_AT}`,
      done: () => false,
      timeoutMs: 120_000,
      pollMs: 100,
    }).then((run) => {
      killed = run;
      restarted = runWorker({ env, done: async () => released && (await allSent()), timeoutMs: 150_000, pollMs: 250 });
      return run;
    });

    // B runs throughout. Once only the dead A's leased rows are left (unchanged for a second), they expire.
    let quietSince = 0;
    let lastTotal = -1;
    const workerB = runWorker({
      env,
      timeoutMs: 200_000,
      pollMs: 250,
      done: async () => {
        if (released) return allSent();
        if (!killed) return false;
        const state = await unsent();
        if (state.total !== lastTotal || state.total !== state.leased) {
          lastTotal = state.total;
          quietSince = performance.now();
          return false;
        }
        if (performance.now() - quietSince < 1000) return false;
        leftByTheDead = state.total;
        // What a dead worker leaves expires, as its time would pass on its own (decision 0049).
        await deps.db
          .updateTable('outbox')
          .set({ locked_until: Date.now() - 1 })
          .where('sent_at', 'is', null)
          .execute();
        released = true;
        return false;
      },
    });
    const [a, b] = await Promise.all([workerA, workerB]);
    const c = await restarted;
    t.diagnostic(
      `[${kind}] A ${a.exit.signal ?? a.exit.code}; ${leftByTheDead} mails left leased by A; all sent after ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    assert.equal(a.exit.signal, 'SIGKILL', `worker A died at its fault point (stderr: ${a.stderr})`);
    assert.ok(b.stopped, `worker B ran to the end (stderr: ${b.stderr})`);
    assert.ok(c?.stopped, `the restarted worker ran to the end (stderr: ${c?.stderr})`);
    assert.ok(leftByTheDead > 0 && leftByTheDead < 16, 'A died mid-batch, leaving the rest of its batch leased');

    // Exactly once: every address got one message, no Message-ID came twice.
    const missing = addresses.filter((to) => !sink.messageIdsByRecipient.has(to));
    assert.deepEqual(missing.slice(0, 5), [], `${missing.length} mails never arrived`);
    assert.deepEqual([...sink.countByMessageId].filter(([, n]) => n > 1).slice(0, 5), [], 'no mail was sent twice');
    assert.equal(sink.accepted, MAILS);

    // Both live workers delivered a share (their recorded runs), and with A's sends before the kill the shares add
    // up to every mail: the run records count what was done.
    const runs = await deps.db
      .selectFrom('job_runs')
      .select(['holder', 'items', 'outcome'])
      .where('job', '=', 'mail.deliver-outbox')
      .execute();
    const byHolder = new Map<string, number>();
    for (const r of runs) byHolder.set(r.holder, (byHolder.get(r.holder) ?? 0) + (r.items ?? 0));
    t.diagnostic(`[${kind}] shares: A ${KILL_AT} (killed), others ${JSON.stringify([...byHolder.values()])}`);
    assert.ok(byHolder.size >= 2, 'B and the restarted worker each recorded runs');
    assert.equal([...byHolder.values()].reduce((x, y) => x + y, 0) + KILL_AT, MAILS);
    assert.ok(sink.maxOpenSessions >= 2, 'the workers delivered at the same time');
  });
});
