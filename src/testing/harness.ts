// Test harness: a fresh database per harness (SQLite file, or a PostgreSQL schema when TEST_DATABASE_URL is set),
// migrated, with a fixed clock, a recording mailer and a captured application log. Not used in production.
// Most suites open one harness in before(), so their tests share its database: a test builds what it needs with
// the factories in factories.ts (or opens its own harness) so that it also passes alone (npm run test:alone).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp } from '../app.ts';
import { createDeps, migrateDatabase, seedDemoData, type DepsOverrides } from '../composition.ts';
import type { Deps } from '../deps.ts';
import { FixedClock } from '../platform/clock.ts';
import { openDatabase, type DbKind } from '../platform/db/dialect.ts';
import { migrate, type Migration } from '../platform/db/migrate.ts';
import { verifyPreparedStatements } from '../platform/db/prepared.ts';
import { loadConfig } from '../platform/config.ts';
import { createFileMailer, type Mailer, type OutgoingMail } from '../platform/email/mailer.ts';
import { createLogger, type Logger } from '../platform/log.ts';
import { demoOperator, type Operator } from '../platform/operator.ts';

// Every statement built once per shape is built again in tests and checked against the kept one (prepared.ts).
verifyPreparedStatements(true);

export type DbUnderTest = 'sqlite' | 'postgres';

export const databasesUnderTest: DbUnderTest[] = [
  'sqlite',
  ...(process.env.TEST_DATABASE_URL ? (['postgres'] as const) : []),
];

/** Runs the suite once per database: always SQLite, PostgreSQL too when TEST_DATABASE_URL is set. */
export function describeEachDatabase(title: string, body: (db: DbUnderTest) => void): void {
  for (const db of databasesUnderTest) describe(`${title} [${db}]`, () => body(db));
}

/** Stands in for an SMTP server where a test only needs to read what was sent. */
export class RecordingMailer implements Mailer {
  readonly kind = 'smtp' as const;
  readonly sent: OutgoingMail[] = [];
  send(mail: OutgoingMail): Promise<void> {
    this.sent.push(mail);
    return Promise.resolve();
  }
  close(): void {}
  to(address: string): OutgoingMail[] {
    return this.sent.filter((m) => m.to === address);
  }
  /**
   * The `path` link of the newest mail to `address` that carries one. Mails of one delivery batch go out side by
   * side (MAIL_CONCURRENCY), so the last mail to arrive need not be the one a test is waiting for.
   */
  linkTo(address: string, path: string): string {
    const mail = this.to(address)
      .filter((m) => m.text.includes(`${path}?token=`))
      .at(-1);
    if (!mail) throw new Error(`no ${path} link in any mail to ${address}`);
    return linkIn(mail.text, path);
  }
}

export const START = Date.parse('2026-11-29T10:00:00Z');

export interface Harness {
  deps: Deps;
  app: FastifyInstance;
  clock: FixedClock;
  mailer: RecordingMailer;
  logLines: string[];
  dataDir: string;
  /**
   * A second app over the same database with other operator facts (vendors switched on or off, TCF), as after
   * the operator edits operator.json and restarts. Closed with the harness.
   */
  reopen(operator: Partial<Operator>): Promise<{ deps: Deps; app: FastifyInstance }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** 'file': the embedded default that writes .eml files under the data directory (and records them too). */
  mailer?: Mailer | 'file';
  seed?: boolean;
  /** Operator facts written to DATA_DIR/operator.json (over the demo's) before the config is read. */
  operator?: Partial<Operator>;
  /** Recorders beneath the outbound gate, where the outside companies would be (composition.ts). */
  beyondGate?: DepsOverrides['beyondGate'];
}

/** The file mail sink, as in development, that also records each mail so a test can follow its links. */
function recordingFileMailer(file: Mailer, recorder: RecordingMailer): Mailer {
  return {
    kind: 'file',
    async send(mail) {
      await file.send(mail);
      await recorder.send(mail);
    },
    close: () => file.close(),
  };
}

/**
 * Tests change a few facts of the demo company: the file they write is the whole demo operator with those
 * facts replaced, marked as the demo (a real operator file is validated whole and may not use demo values).
 */
function demoVariant(partial: Partial<Operator>): Operator {
  return { ...demoOperator, ...partial, demo: true };
}

/** A database alone, with only the given migrations, for testing a platform service without the app. */
export interface BareDatabase<Tables> {
  db: import('kysely').Kysely<Tables>;
  dbKind: DbKind;
  clock: FixedClock;
  log: Logger;
  close(): Promise<void>;
}

export async function openBareDatabase<Tables>(
  db: DbUnderTest,
  migrations: Migration[],
): Promise<BareDatabase<Tables>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-test-'));
  const schema = db === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const url = process.env.TEST_DATABASE_URL;
  if (schema) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
  }
  const handle = openDatabase<Tables>({
    databaseUrl: schema ? url : undefined,
    sqliteFile: join(dataDir, 'candor.sqlite'),
    ...(schema ? { schema } : {}),
  });
  const clock = new FixedClock(START);
  await migrate(handle.db, handle.kind, migrations, clock.now());
  return {
    db: handle.db,
    dbKind: handle.kind,
    clock,
    log: createLogger('silent'),
    async close() {
      await handle.close();
      if (schema) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`drop schema ${schema} cascade`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function openHarness(db: DbUnderTest, options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-test-'));
  const schema = db === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const url = process.env.TEST_DATABASE_URL;
  if (schema) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
  }
  if (options.operator) writeFileSync(join(dataDir, 'operator.json'), JSON.stringify(demoVariant(options.operator)));
  const env = {
    DATA_DIR: dataDir,
    CANDOR_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
    BASE_URL: 'http://127.0.0.1:3000',
    ...(schema && url ? { DATABASE_URL: url } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const clock = new FixedClock(START);
  const mailer = new RecordingMailer();
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const chosen =
    options.mailer === 'file'
      ? recordingFileMailer(createFileMailer(dataDir, 'test.example', clock), mailer)
      : (options.mailer ?? mailer);
  const deps = createDeps(config, {
    clock,
    mailer: chosen,
    log: createLogger('debug', sink),
    ...(schema ? { schema } : {}),
    ...(options.beyondGate ? { beyondGate: options.beyondGate } : {}),
  });
  await migrateDatabase(deps);
  if (options.seed) await seedDemoData(deps);
  const app = await buildApp(deps);
  await app.ready();
  const reopened: { deps: Deps; app: FastifyInstance }[] = [];
  return {
    deps,
    app,
    clock,
    mailer,
    async reopen(operator) {
      writeFileSync(join(dataDir, 'operator.json'), JSON.stringify(demoVariant(operator)));
      const other = createDeps(loadConfig(env), {
        clock,
        mailer: chosen,
        log: createLogger('debug', sink),
        ...(schema ? { schema } : {}),
        ...(options.beyondGate ? { beyondGate: options.beyondGate } : {}),
      });
      const otherApp = await buildApp(other);
      await otherApp.ready();
      reopened.push({ deps: other, app: otherApp });
      return { deps: other, app: otherApp };
    },
    logLines,
    dataDir,
    async close() {
      for (const r of reopened) {
        await r.app.close();
        await r.deps.close();
      }
      await app.close();
      await deps.close();
      if (schema) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`drop schema ${schema} cascade`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A browser-like client over app.inject(): keeps cookies and fills in CSRF tokens from the last page. */
export class Browser {
  private cookies = new Map<string, string>();
  constructor(
    private readonly app: FastifyInstance,
    readonly ip = '203.0.113.7',
    readonly headers: Record<string, string> = {
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    },
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()))
        this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'GET',
      url,
      remoteAddress: this.ip,
      headers: { ...this.headers, accept: 'text/html', cookie: this.cookieHeader(), ...headers },
    });
    this.remember(res);
    return res;
  }

  private lastToken = '';

  /**
   * Loads `page`, then submits a form to `action` with the page's CSRF token. When the page shows no form
   * (a link already used, say), the token of the last form seen is sent, as when a person re-submits an old page.
   */
  async submit(page: string, action: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    const form = await this.get(page);
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? this.lastToken;
    this.lastToken = token;
    return this.post(action, { _csrf: token, ...fields });
  }

  async post(
    url: string,
    fields: Record<string, string> | [string, string][],
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.ip,
      headers: {
        ...this.headers,
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        cookie: this.cookieHeader(),
        ...headers,
      },
      payload: new URLSearchParams(fields).toString(),
    });
    this.remember(res);
    return res;
  }

  async api(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: {
        ...this.headers,
        cookie: this.cookieHeader(),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    this.remember(res);
    return res;
  }
}

/**
 * The link with the first character of its `param` value changed (never to itself: a random token starts with
 * any character, so a fixed replacement would leave one link in 64 unchanged).
 */
export function alterParam(link: string, param: string): string {
  const altered = link.replace(
    new RegExp(`([?&]${param}=)(.)`),
    (_, head: string, c: string) => head + (c === 'A' ? 'B' : 'A'),
  );
  if (altered === link) throw new Error(`no ${param}= in ${link}`);
  return altered;
}

export function linkIn(body: string, path: string): string {
  const match = new RegExp(`https?://[^\\s]+${path.replace(/[/?]/g, '\\$&')}\\?token=[A-Za-z0-9_-]+`).exec(body);
  if (!match) throw new Error(`no ${path} link in mail`);
  const url = new URL(match[0]);
  return `${url.pathname}${url.search}`;
}
