// A database that cannot be reached answers a fast 503 with Retry-After in the visitor's language (a page or JSON),
// never a 500 and never a hang, whether a handler or a hook before it (the session) met the failure. The app is
// the real one; after it started, its database is swapped for a PostgreSQL pool whose server is away.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Database } from './database.ts';
import type { Deps } from './deps.ts';
import { cookiePolicy } from './platform/http/cookies.ts';
import { isDatabaseUnavailable, openDatabase, type DbHandle } from './platform/db/dialect.ts';
import { openHarness, type Harness } from './testing/harness.ts';
import { closedPort, silentPort } from './testing/ports.ts';

let h: Harness;
before(async () => {
  h = await openHarness('sqlite');
});
after(() => h.close());

/** The real app over the harness's database, then cut off from it: every query goes to `url`. */
async function appCutOffFrom(url: string): Promise<{ app: FastifyInstance; deps: Deps; dead: DbHandle<Database> }> {
  const deps: Deps = { ...h.deps };
  const app = await buildApp(deps);
  await app.ready();
  const dead = openDatabase<Database>({ databaseUrl: url, sqliteFile: ':memory:' });
  deps.db = dead.db;
  return { app, deps, dead };
}

const unavailable = async (deps: Deps) => (await deps.metrics.databaseUnavailable.get()).values[0]?.value ?? 0;

test('pages and the API answer 503 with Retry-After in English and German while the database is away', async () => {
  const { app, deps, dead } = await appCutOffFrom(`postgres://postgres@127.0.0.1:${await closedPort()}/candor`);
  try {
    for (const [lang, words] of [
      ['en', /briefly unavailable.*try again in 5 seconds/],
      ['de', /kurz nicht erreichbar.*in 5 Sekunden erneut/],
    ] as const) {
      const started = Date.now();
      const page = await app.inject({ url: '/shop', headers: { accept: 'text/html', 'accept-language': lang } });
      assert.equal(page.statusCode, 503, page.body.slice(0, 300));
      assert.equal(page.headers['retry-after'], '5');
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.match(page.body, words);
      assert.ok(Date.now() - started < 2000, 'fast');

      const api = await app.inject({ url: '/api/v1/products', headers: { 'accept-language': lang } });
      assert.equal(api.statusCode, 503);
      assert.equal(api.headers['retry-after'], '5');
      const body = api.json<{ error: { code: string; message: string } }>();
      assert.equal(body.error.code, 'service_unavailable');
      assert.match(body.error.message, words);
    }
    assert.equal(await unavailable(deps), 4);
    const warnings = h.logLines.filter((l) => l.includes('database unavailable'));
    assert.equal(warnings.length, 1, 'logged once for the outage, not once per request');
    assert.ok(!/shop|products/.test(warnings[0] ?? ''), 'the line names no path');
  } finally {
    await app.close();
    await dead.close();
  }
});

test('a failure in the session hook before any handler gets the same 503', async () => {
  const { app, dead } = await appCutOffFrom(`postgres://postgres@127.0.0.1:${await closedPort()}/candor`);
  try {
    // /healthz reads nothing from the database; only the session cookie makes the session hook ask it.
    assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
    const cookie = `${cookiePolicy(h.deps.config.baseUrl).session}=${'a'.repeat(43)}`;
    const res = await app.inject({
      url: '/healthz',
      headers: { cookie, accept: 'text/html', 'accept-language': 'de' },
    });
    assert.equal(res.statusCode, 503, res.body.slice(0, 300));
    assert.equal(res.headers['retry-after'], '5');
    assert.match(res.body, /kurz nicht erreichbar/);
  } finally {
    await app.close();
    await dead.close();
  }
});

test('a server that accepts and never answers costs a request about the connect timeout, then a 503', async () => {
  const silent = await silentPort();
  const { app, dead } = await appCutOffFrom(`postgres://postgres@127.0.0.1:${silent.port}/candor`);
  try {
    const started = Date.now();
    const res = await app.inject({ url: '/api/v1/products' });
    const took = Date.now() - started;
    assert.equal(res.statusCode, 503);
    assert.ok(took < 2500, `answered in ${took} ms`);
  } finally {
    await app.close();
    await dead.close();
    await silent.close();
  }
});

test('connection failures count as an outage; wrong statements and constraint violations do not', () => {
  const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code, severity: 'FATAL' });
  for (const e of [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })], 'connect failed'),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    pgError('57P01', 'terminating connection due to administrator command'),
    pgError('57P03', 'the database system is starting up'),
    pgError('08006'),
    Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
    new Error('wrapped', { cause: pgError('57P02') }),
  ])
    assert.equal(isDatabaseUnavailable(e), true, String(e));
  for (const e of [
    pgError('23505'),
    pgError('42601', 'syntax error at or near "selec"'),
    Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }),
    new Error('Connection to the payment provider terminated'),
    new TypeError('x is undefined'),
    undefined,
    'ECONNREFUSED',
  ])
    assert.equal(isDatabaseUnavailable(e), false, String(e));
});
