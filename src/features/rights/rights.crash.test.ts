// Issue 16, "Done when" 3: a real `candor worker` child process, started with CANDOR_FAULT_AT (src/platform/faults.ts,
// decision 0049), is SIGKILLed at each named step of an export and of an erasure (`rights.<step>` before a step,
// `rights.after-<step>` after its record committed), then started again without the fault. The request completes;
// nothing is done twice (one row per step, exactly one mail queued and one delivered, one 'done' in the history);
// nothing is left behind (no .part file, no file of the person, no row of the person outside what an erasure keeps).
// A dead worker's leases (its request's and the scheduler's) are expired by the test, as their time would pass on its
// own, instead of waiting the 60 s out.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { after, before, test, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import yauzl from 'yauzl';
import type { Deps } from '../../deps.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/log.ts';
import { exportSubjectData } from '../../privacy/subject.ts';
import { buildApp, createDeps, migrateDatabase } from '../../testing/app.ts';
import { Browser, describeEachDatabase } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { erasureSteps } from './rights.erasure.ts';
import { exportSteps } from './rights.export.ts';
import { openRequest } from './rights.service.ts';
import type { RequestKind } from './rights.tables.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
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
  let dbName: string | undefined;

  before(async () => {
    await sink.start();
    let databaseUrl: string | undefined;
    if (kind === 'postgres') {
      const serverUrl = process.env.TEST_DATABASE_URL as string;
      dbName = `candor_rights_crash_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`create database ${dbName}`);
      await admin.end();
      const url = new URL(serverUrl);
      url.pathname = `/${dbName}`;
      databaseUrl = url.toString();
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
    if (dbName) {
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      // A killed worker's server processes end once the server notices; wait for them rather than force the drop.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(`drop database if exists ${dbName}`);
          break;
        } catch (err) {
          if (attempt >= 40) throw err;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      await admin.end();
    }
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
  async function runWorker(point: string | undefined, id: string, subject: string): Promise<NodeJS.Signals | null> {
    await expireLeases();
    const child: ChildProcess = spawn(process.execPath, ['bin/candor.js', 'worker'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...env,
        ...(point ? { CANDOR_FAULT_AT: `${point}:1` } : {}),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        exit = { code, signal };
        resolve();
      }),
    );
    const deadline = Date.now() + 60_000;
    try {
      for (;;) {
        await new Promise((r) => setTimeout(r, 100));
        if (exit) break;
        if (Date.now() > deadline) throw new Error(`the worker (${point ?? 'no fault'}) neither died nor finished`);
        if (!point && (await stateOf(id)) === 'done' && delivered(subject) > 0) break;
      }
    } finally {
      if (!exit) {
        child.kill('SIGTERM');
        await exited;
      }
    }
    if (point) assert.equal(exit?.signal, 'SIGKILL', `the worker armed at ${point} died there (stderr: ${stderr})`);
    return exit!.signal;
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
      const signal = await runWorker(point, id, subject);
      t.diagnostic(`${point}: ${signal} after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      assert.notEqual(await stateOf(id), 'done', `killed at ${point}, the request is not done yet`);
    }
    const t0 = performance.now();
    await runWorker(undefined, id, subject);
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
    const exportId = (
      await deps.db.selectFrom('privacy_requests').select('id').where('kind', '=', 'export').execute()
    )[0]?.id;
    assert.ok(exportId && exportFiles().includes(`${exportId}.zip`), 'the earlier export is a file of the person');
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
  const buffer = readFileSync(path);
  const text = await new Promise<string>((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      zip.on('error', reject);
      zip.on('end', () => reject(new Error('no export.json')));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== 'export.json') return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
      });
      zip.readEntry();
    });
  });
  return (JSON.parse(text) as { records: { table: string }[] }).records.map((r) => r.table);
}
