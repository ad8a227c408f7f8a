// Issue 16, "Done when" 3: a real `candor worker` child process, started with CANDOR_FAULT_AT (src/platform/faults.ts,
// decision 0049), is SIGKILLed at each named step of an export and of an erasure (`rights.<step>` before a step,
// `rights.after-<step>` after its record committed), then started again without the fault. The request completes;
// nothing is done twice (one row per step, exactly one mail queued and one delivered, one 'done' in the history);
// nothing is left behind (no .part file, no file of the person, no row of the person outside what an erasure keeps).
// A dead worker's leases (its request's and the scheduler's) are expired by the test, as their time would pass on its
// own, instead of waiting the 60 s out.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, test, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/log.ts';
import { exportSubjectData } from '../../privacy/subject.ts';
import { buildApp, createDeps, migrateDatabase } from '../../testing/app.ts';
import { Browser, describeEachDatabase } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { createWorkerDatabase, runWorker } from '../../testing/worker.ts';
import { readZip } from '../../testing/zip.ts';
import { erasureSteps } from './rights.erasure.ts';
import { exportSteps } from './rights.export.ts';
import { openRequest } from './rights.service.ts';
import { runRequestNow } from './rights.steps.ts';
import type { RequestKind } from './rights.tables.ts';

const EMAIL = 'kim.killed@crash.example';
const EXPORT_STEPS = exportSteps.map((s) => s.name);
const ERASURE_STEPS = erasureSteps.map((s) => s.name);
/** Every fault point of a kind's steps, in the order a run reaches them. */
const pointsOf = (steps: readonly string[]) => steps.flatMap((s) => [`rights.${s}`, `rights.after-${s}`]);

describeEachDatabase('a data-subject request whose worker is killed at each step', (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-rights-crash-'));
  const sink = new TestSmtpServer();
  let deps: Deps;
  let app: FastifyInstance;
  let env: Record<string, string>;
  let dropDatabase: (() => Promise<void>) | undefined;

  before(async () => {
    await sink.start();
    let databaseUrl: string | undefined;
    if (kind === 'postgres') {
      const database = await createWorkerDatabase('candor_rights_crash');
      databaseUrl = database.url;
      dropDatabase = database.drop;
    }
    env = {
      DATA_DIR: dataDir,
      CANDOR_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
      BASE_URL: 'http://127.0.0.1:3000',
      SMTP_URL: sink.url,
      USAGE_LOG: 'off',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_AUTH_PER_MINUTE: '10000',
      RATE_LIMIT_PER_MINUTE: '100000',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };
    deps = createDeps(loadConfig(env), { log: createLogger('silent') });
    await migrateDatabase(deps);
    app = await buildApp(deps);
    await app.ready();
    // A newsletter subscriber who also wrote to support, without an account.
    const api = new Browser(app, '198.51.100.30');
    assert.equal(
      (await api.api('POST', '/api/v1/newsletter/subscriptions', { email: EMAIL, lang: 'en' })).statusCode,
      202,
    );
    const contact = await api.api('POST', '/api/v1/contact', {
      name: 'Kim Killed',
      email: EMAIL,
      subject: 'Crash',
      message: 'Please help, Kim',
    });
    assert.ok(contact.statusCode < 300, contact.body);
  });

  after(async () => {
    await app?.close();
    await deps?.close();
    await sink.stop();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** What a dead worker leaves behind expires, as its time would pass on its own (decision 0049). */
  async function expireLeases(): Promise<void> {
    const past = Date.now() - 1;
    await deps.db.updateTable('job_leases').set({ expires_at: past }).execute();
    await deps.db
      .updateTable('privacy_requests')
      .set({ lease_until: past })
      .where('lease_until', 'is not', null)
      .execute();
  }

  async function stateOf(id: string): Promise<string | undefined> {
    const row = await deps.db.selectFrom('privacy_requests').select('state').where('id', '=', id).executeTakeFirst();
    return row?.state;
  }

  const delivered = (subject: string) =>
    sink.received.filter((m) => m.envelopeTo.includes(EMAIL) && m.parsed.subject === subject).length;

  /**
   * Starts `candor worker` armed at `point` (or not); resolves when it died, or (without a fault) once the request
   * is done and `subject` was delivered.
   */
  async function runWorkerAt(point: string | undefined, id: string, subject: string): Promise<NodeJS.Signals | null> {
    await expireLeases();
    const { exit, stderr } = await runWorker({
      env,
      faultAt: point ? `${point}:1` : undefined,
      done: async () => !point && (await stateOf(id)) === 'done' && delivered(subject) > 0,
      timeoutMs: 60_000,
      pollMs: 100,
    });
    if (point) assert.equal(exit.signal, 'SIGKILL', `the worker armed at ${point} died there (stderr: ${stderr})`);
    return exit.signal;
  }

  async function stepsOf(id: string): Promise<string[]> {
    const rows = await deps.db
      .selectFrom('privacy_request_steps')
      .select('step')
      .where('request_id', '=', id)
      .orderBy('step')
      .execute();
    return rows.map((r) => r.step);
  }

  async function outboxCount(template: string): Promise<number> {
    const rows = await deps.db
      .selectFrom('outbox')
      .select('id')
      .where('recipient', '=', EMAIL)
      .where('template', '=', template)
      .execute();
    return rows.length;
  }

  async function doneEvents(id: string): Promise<number> {
    const rows = await deps.db
      .selectFrom('privacy_request_events')
      .select('id')
      .where('request_id', '=', id)
      .where('what', '=', 'done')
      .execute();
    return rows.length;
  }

  const exportsDir = () => join(dataDir, 'exports');
  const exportFiles = () => (existsSync(exportsDir()) ? readdirSync(exportsDir()).sort() : []);

  async function open(kindOf: RequestKind): Promise<string> {
    const { request } = await openRequest(deps, {
      kind: kindOf,
      userId: null,
      email: EMAIL,
      lang: 'en',
      channel: 'guest',
      verified: true,
    });
    assert.equal(request.state, 'in-progress');
    return request.id;
  }

  /** Kills the worker at each point in turn, then runs it without a fault until done. */
  async function killAtEachPoint(t: TestContext, id: string, points: string[], subject: string) {
    for (const point of points) {
      const t0 = performance.now();
      const signal = await runWorkerAt(point, id, subject);
      t.diagnostic(`${point}: ${signal} after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      assert.notEqual(await stateOf(id), 'done', `killed at ${point}, the request is not done yet`);
    }
    const t0 = performance.now();
    await runWorkerAt(undefined, id, subject);
    t.diagnostic(`no fault: done after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  test('an export killed before and after each step completes once, leaving only its ZIP', async (t) => {
    const id = await open('export');
    // A worker killed while writing the archive leaves its .part file: the next build starts it again.
    mkdirSync(exportsDir(), { recursive: true });
    writeFileSync(join(exportsDir(), `${id}.zip.part`), 'half a zip');
    await killAtEachPoint(t, id, pointsOf(EXPORT_STEPS), 'Your copy of your data is ready');

    assert.equal(await stateOf(id), 'done');
    assert.deepEqual(await stepsOf(id), [...EXPORT_STEPS].sort(), 'one row per step');
    assert.equal(await doneEvents(id), 1);
    assert.equal(await outboxCount('privacy-export-ready'), 1, 'one mail queued');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(delivered('Your copy of your data is ready'), 1, 'one mail delivered');
    assert.deepEqual(exportFiles(), [`${id}.zip`], 'the ZIP, and no .part file');
    const records = await exportJsonOf(join(exportsDir(), `${id}.zip`));
    assert.ok(records.includes('newsletter_subscriptions') && records.includes('support_tickets'), records.join());
  });

  test('an erasure killed before and after each step completes once, leaving only what it keeps', async (t) => {
    let exportId = (await deps.db.selectFrom('privacy_requests').select('id').where('kind', '=', 'export').execute())[0]
      ?.id;
    if (!exportId) {
      // Run alone (npm run test:alone): the person's export is made here, in this process, without a kill.
      exportId = await open('export');
      assert.equal(await runRequestNow(deps, exportId), true);
    }
    assert.ok(exportFiles().includes(`${exportId}.zip`), 'the earlier export is a file of the person');
    const id = await open('erasure');
    await killAtEachPoint(t, id, pointsOf(ERASURE_STEPS), 'Your data has been erased');

    assert.equal(await stateOf(id), 'done');
    assert.deepEqual(await stepsOf(id), [...ERASURE_STEPS].sort(), 'one row per step');
    assert.equal(await doneEvents(id), 1);
    assert.equal(await outboxCount('privacy-erasure-done'), 1, 'one confirmation queued');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(delivered('Your data has been erased'), 1, 'one confirmation delivered');
    assert.deepEqual(exportFiles(), [], 'no file of the person, no .part file');

    // No row of the person outside the tables an erasure keeps, and the mails about the erasure written after it.
    const kept = new Set(deps.dataMap.tables.filter((m) => m.erasure?.action === 'keep').map((m) => m.table));
    const left = await exportSubjectData(deps, EMAIL);
    const outside = left.records.filter((r) => !kept.has(r.table));
    for (const r of outside) {
      if (r.table === 'outbox')
        assert.deepEqual(
          r.rows.map((row) => row.template),
          ['privacy-erasure-done'],
          'the outbox holds only the confirmation',
        );
      else if (r.table === 'address_disclosures')
        assert.equal(r.rows.length, 1, 'the one hand-off of the confirmation to the mail provider');
      else assert.fail(`${r.table} still holds ${r.rows.length} rows of the person`);
    }
  });
});

/** The tables named in the archive's export.json. */
async function exportJsonOf(path: string): Promise<string[]> {
  const json = (await readZip(path)).get('export.json');
  assert.ok(json, 'the archive holds export.json');
  return (JSON.parse(json.toString('utf8')) as { records: { table: string }[] }).records.map((r) => r.table);
}
