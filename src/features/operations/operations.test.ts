// Health, readiness and metrics (issue 17, point 3): /readyz fails while the database, the migrations or a
// configured Redis are not there; /metrics parses as Prometheus text, labels requests by route pattern, carries no
// personal data, and opens only to METRICS_ALLOW or METRICS_TOKEN (a 404 like any unknown address otherwise); the
// staff page shows the same figures to administrators, in English and German.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';
import { ConfigError, loadConfig } from '../../platform/config.ts';
import { openDatabase } from '../../platform/db/dialect.ts';
import { asRole, signedIn, staffMember } from '../../testing/factories.ts';
import { buildApp } from '../../testing/app.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import type { Database } from '../../database.ts';
import type { Deps } from '../../deps.ts';
import { selectAllRows } from '../../privacy/retention.queries.ts';
import { enqueueMail } from '../mail/index.ts';
import { metricsAccess } from './operations.access.ts';
import { quantile } from './operations.figures.ts';
import { closedPort, silentPort } from '../../testing/ports.ts';

const TOKEN = 'metrics-token-0123456789abcdef0123456789';
/** An address outside METRICS_ALLOW's default (loopback). */
const OUTSIDE = '203.0.113.50';

/**
 * The real app over a copy of the harness's Deps with some parts replaced; `later` replaces parts after it started
 * (a database that goes away: starting needs one).
 */
async function appWith(h: Harness, change: Partial<Deps>, later: Partial<Deps> = {}): Promise<FastifyInstance> {
  const deps: Deps = { ...h.deps, ...change };
  const app = await buildApp(deps);
  await app.ready();
  Object.assign(deps, later);
  return app;
}

async function scrape(app: FastifyInstance, headers: Record<string, string> = {}) {
  return app.inject({ url: '/metrics', remoteAddress: '127.0.0.1', headers });
}

function family(families: PrometheusFamily[], name: string): PrometheusFamily {
  const found = families.find((f) => f.name === name);
  assert.ok(found, `${name} in /metrics`);
  return found;
}

describeEachDatabase('operations', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { env: { METRICS_TOKEN: TOKEN } });
  });
  after(() => h.close());

  test('/healthz and /readyz answer 200 when the database answers and every migration is applied', async () => {
    const health = await h.app.inject({ url: '/healthz' });
    assert.equal(health.statusCode, 200);
    assert.deepEqual(health.json(), { status: 'ok' });
    const ready = await h.app.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 200, ready.body);
    assert.deepEqual(ready.json(), { status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
    assert.equal(ready.headers['cache-control'], 'no-store');
  });

  test('/readyz answers 503 naming the migrations while one that this release runs is not applied', async () => {
    // A release started before `candor migrate` ran: its code knows a migration the database has not seen.
    const app = await appWith(h, { migrationIds: [...h.deps.migrationIds, 'operations.999-not-yet-applied'] });
    try {
      const res = await app.inject({ url: '/readyz' });
      assert.equal(res.statusCode, 503);
      assert.deepEqual(res.json(), {
        status: 'unavailable',
        checks: { database: 'ok', migrations: 'failed' },
        failing: ['migrations'],
      });
    } finally {
      await app.close();
    }
  });

  test('/metrics is the site’s ordinary 404 for an address outside METRICS_ALLOW without the token', async () => {
    const unknown = await h.app.inject({ url: '/no-such-page', remoteAddress: OUTSIDE });
    for (const headers of [{}, { authorization: `Bearer ${TOKEN.slice(0, -1)}x` }, { authorization: TOKEN }]) {
      const res = await h.app.inject({ url: '/metrics', remoteAddress: OUTSIDE, headers });
      assert.equal(res.statusCode, 404, JSON.stringify(headers));
      assert.equal(res.body, unknown.body.replaceAll('/no-such-page', '/metrics'), 'nothing tells it apart');
      assert.equal(res.headers['content-type'], unknown.headers['content-type']);
    }
    // The token opens it from anywhere; loopback (the default METRICS_ALLOW) without one.
    const withToken = await h.app.inject({
      url: '/metrics',
      remoteAddress: OUTSIDE,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(withToken.statusCode, 200);
    assert.match(String(withToken.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.equal((await h.app.inject({ url: '/metrics', remoteAddress: '::1' })).statusCode, 200);
    assert.equal((await h.app.inject({ url: '/metrics', remoteAddress: '::ffff:127.0.0.1' })).statusCode, 200);
  });

  test('/metrics parses as Prometheus text and counts requests by route pattern, outbox and pool', async () => {
    const b = new Browser(h.app, '198.51.100.23');
    await b.get('/shop/no-such-product-route-label');
    await b.get('/shop');
    await b.get('/definitely/not/a/route');
    // A message due a minute ago, and one paused far in the future: both wait, only the first is due.
    const due = await enqueueMail(
      h.deps.db,
      { now: () => h.clock.now() - 60_000 },
      { to: 'outbox.figure@example.org', subject: 'x', body: 'x' },
    );
    const res = await scrape(h.app);
    assert.equal(res.statusCode, 200);
    const families = parsePrometheusTextFormat(res.body);
    const requests = family(families, 'candor_http_requests_total');
    assert.equal(requests.type, 'COUNTER');
    const labelled = (route: string, status: string) =>
      requests.metrics.find(
        (m) => m.labels?.route === route && m.labels.method === 'GET' && m.labels.status === status,
      );
    assert.ok(labelled('/shop/:slug', '4xx'), 'an unknown product counts under its route pattern');
    assert.ok(labelled('/shop', '2xx'));
    assert.ok(labelled('unmatched', '4xx'), 'an address without a route counts as unmatched');
    const routes = new Set(requests.metrics.map((m) => m.labels?.route));
    assert.ok(![...routes].some((r) => r?.includes('no-such') || r?.includes('not/a')), [...routes].join(' '));
    const seconds = family(families, 'candor_http_request_duration_seconds');
    assert.equal(seconds.type, 'HISTOGRAM');
    // This parser folds a histogram's labelled series into one (it keeps no labels for them): the text says more.
    const count = /^candor_http_request_duration_seconds_count\{route="\/shop",method="GET"\} (\d+)$/m.exec(res.body);
    assert.ok(count && Number(count[1]) >= 1, 'the time to answer /shop is measured');

    const waiting = Number(family(families, 'candor_outbox_depth').metrics[0]?.value);
    const age = Number(family(families, 'candor_outbox_oldest_due_seconds').metrics[0]?.value);
    assert.ok(waiting >= 1, `outbox depth ${waiting}`);
    assert.ok(age >= 60, `the oldest due mail waited ${age} s`);
    await h.deps.db.updateTable('outbox').set({ sent_at: h.clock.now() }).where('id', '=', due).execute();
    family(families, 'candor_nodejs_heap_size_used_bytes');
    family(families, 'candor_usage_log_dropped_total');
    const pool = families.find((f) => f.name === 'candor_database_pool_connections');
    if (db === 'postgres') {
      assert.ok(pool, 'the pool is reported on PostgreSQL');
      const states = Object.fromEntries(pool.metrics.map((m) => [m.labels?.state, Number(m.value)]));
      assert.ok(states.total! >= 1 && states.idle! >= 0 && states.waiting === 0, JSON.stringify(states));
    } else assert.equal(pool, undefined, 'SQLite has no pool');
  });

  test('/metrics carries no personal data: no address, email, slug, id or token from what was asked', async () => {
    const secrets = {
      email: 'pd.scan+metrics@example.org',
      slug: 'pd-scan-slug-4f1e9a',
      uuid: randomUUID(),
      token: 'tok3nPdScanZ81b4c2e7d9f0a1b2c3d4e5f6',
      ip: '192.0.2.214',
      ipv6: '2001:db8:4a11:77::c0de',
    };
    const b4 = new Browser(h.app, secrets.ip);
    const b6 = new Browser(h.app, secrets.ipv6);
    for (const b of [b4, b6]) {
      await b.get(`/shop/${secrets.slug}`);
      await b.get(`/shop?q=${encodeURIComponent(secrets.email)}`);
      await b.get(`/account/orders/${secrets.uuid}`);
      await b.get(`/orders/${secrets.uuid}/invoice`);
      await b.get(`/account/verify?token=${secrets.token}`);
      await b.get(`/newsletter/confirm?token=${secrets.token}&email=${encodeURIComponent(secrets.email)}`);
      await b.get(`/${encodeURIComponent(secrets.email)}`);
      await b.get(`/download/${secrets.token}`);
      await b.api('POST', '/api/v1/sessions', { email: secrets.email, password: secrets.token });
    }
    // A signed-in customer's own pages too (their order number, their account).
    const customer = await signedIn(h, { email: 'pd.scan.customer@example.org', ip: secrets.ip });
    await customer.b.get('/account');
    const res = await scrape(h.app);
    assert.equal(res.statusCode, 200);
    const text = res.body;
    for (const [what, value] of Object.entries({ ...secrets, customer: customer.email, id: customer.id }))
      assert.ok(!text.toLowerCase().includes(value.toLowerCase()), `${what} appears in /metrics`);
    assert.doesNotMatch(text, /\b\d{1,3}(\.\d{1,3}){3}\b/, 'no IPv4 address');
    assert.doesNotMatch(text, /\b[0-9a-f]{1,4}(:[0-9a-f]{0,4}){2,7}\b/i, 'no IPv6 address');
    assert.doesNotMatch(text, /[^\s@"{},=]+@[^\s@"{},=]+\.[a-z]{2,}/i, 'no email address');
    assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i, 'no uuid');
    // Route labels are patterns the app registered, or `unmatched`: nothing a visitor typed.
    const routes = new Set(
      family(parsePrometheusTextFormat(text), 'candor_http_requests_total').metrics.map((m) => m.labels?.route),
    );
    for (const route of routes)
      assert.ok(route === 'unmatched' || /^\/[A-Za-z0-9/:_.*-]*$/.test(route ?? ''), `route label ${route}`);
  });

  test('probes and scrapes stay out of the usage log; a refused scrape is logged like any unknown address', async () => {
    const ip = '198.51.100.99';
    await h.app.inject({ url: '/healthz', remoteAddress: ip });
    await h.app.inject({ url: '/readyz', remoteAddress: ip });
    await h.app.inject({ url: '/metrics', remoteAddress: ip, headers: { authorization: `Bearer ${TOKEN}` } });
    await h.app.inject({ url: '/metrics?refused=1', remoteAddress: ip });
    await h.deps.usageLog.flush();
    // Today's partitions (the harness's clock): this address's rows only.
    const day = new Date(h.clock.now()).toISOString().slice(0, 10).replaceAll('-', '');
    const ids = new Set(
      (await selectAllRows(h.deps.db, `usage_ip_d${day}`)).filter((r) => r.ip === ip).map((r) => r.log_id),
    );
    const rows = (await selectAllRows(h.deps.db, `usage_log_d${day}`))
      .filter((r) => ids.has(r.id))
      .map((r) => ({ path: r.path, status: Number(r.status) }));
    assert.deepEqual(rows, [{ path: '/metrics', status: 404 }]);
  });

  test('/readyz and /healthz are not rate-limited: a balancer polling through one address is never refused', async () => {
    const app = await appWith(h, { config: { ...h.deps.config, rateLimit: { perMinute: 3, authPerMinute: 3 } } });
    try {
      const ip = '198.51.100.120';
      for (let i = 0; i < 6; i++) {
        assert.equal((await app.inject({ url: '/healthz', remoteAddress: ip })).statusCode, 200);
        assert.equal((await app.inject({ url: '/readyz', remoteAddress: ip })).statusCode, 200);
      }
      // The shop itself is limited for that address.
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await app.inject({ url: '/shop', remoteAddress: ip })).statusCode);
      assert.ok(statuses.includes(429), statuses.join(' '));
    } finally {
      await app.close();
    }
  });

  test('the operations page shows the figures to administrators only, in English and German', async () => {
    const staff = await staffMember(h);
    assert.equal((await staff.b.get('/staff/operations')).statusCode, 403);
    const admin = await signedIn(h);
    await asRole(h, admin, 'admin');
    await admin.b.get('/shop');
    const page = await admin.b.get('/staff/operations');
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    assert.match(page.body, /<h1>Operations<\/h1>/);
    assert.match(page.body, /<th scope="row">\/shop<\/th><td data-label="Method">GET<\/td>/);
    assert.match(page.body, /<svg viewBox="0 0 600 \d+" role="img" aria-labelledby="requests-chart-title/);
    assert.match(page.body, /<span class="figure-label">Mail waiting in the outbox<\/span>/);
    assert.match(page.body, /<a href="\/staff\/operations\/jobs">/);
    assert.match(page.body, /<a href="\/staff\/operations" aria-current="page">Operations<\/a>/);
    if (db === 'postgres') assert.match(page.body, /Database connections open/);
    else assert.doesNotMatch(page.body, /Database connections open/);
    const german = await admin.b.get('/staff/operations', { 'accept-language': 'de' });
    assert.match(german.body, /<h1>Betrieb<\/h1>/);
    assert.match(german.body, /Wartende E-Mails im Postausgang/);
    assert.match(german.body, /<caption>Anfragen nach Route<\/caption>/);
  });
});

test('/readyz answers 503 naming the database while it cannot be reached, within about a second', async () => {
  const h = await openHarness('sqlite');
  const silent = await silentPort();
  const handles = [
    openDatabase<Database>({ databaseUrl: `postgres://postgres@127.0.0.1:${await closedPort()}/x`, sqliteFile: '' }),
    openDatabase<Database>({ databaseUrl: `postgres://postgres@127.0.0.1:${silent.port}/x`, sqliteFile: '' }),
  ];
  // A SQLite database that was closed under the app.
  const closed = openDatabase<Database>({ sqliteFile: ':memory:' });
  await sql`select 1`.execute(closed.db); // Kysely opens a driver that was never used again on first use
  await closed.close();
  const deps: Deps = { ...h.deps };
  const app = await buildApp(deps);
  await app.ready();
  // An answer is reused for a second (operations.readiness.ts): each case waits that out.
  const afterReuse = () => new Promise((r) => setTimeout(r, 1050));
  try {
    for (const [what, dead] of [
      ['refused', handles[0]!.db],
      ['silent', handles[1]!.db],
      ['closed', closed.db],
    ] as const) {
      if (deps.db !== h.deps.db) await afterReuse();
      deps.db = dead;
      const started = Date.now();
      const res = await app.inject({ url: '/readyz' });
      const took = Date.now() - started;
      assert.equal(res.statusCode, 503, what);
      assert.deepEqual(
        res.json(),
        {
          status: 'unavailable',
          checks: { database: 'failed', migrations: 'unknown' },
          failing: ['database', 'migrations'],
        },
        what,
      );
      assert.ok(took < 1800, `${what}: answered in ${took} ms`);
      assert.doesNotMatch(res.body, /127\.0\.0\.1|postgres|ECONN/i, 'no error text');
      // The process lives all the same.
      assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200, what);
    }
    // The database back: ready again.
    deps.db = h.deps.db;
    await afterReuse();
    assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
  } finally {
    await app.close();
    // The silent server first: a pool still connecting to it would wait for its connect timeout.
    await silent.close();
    for (const handle of handles) await handle.close();
    await h.close();
  }
});

test('/readyz answers 503 naming Redis when REDIS_URL points where nothing answers', async () => {
  const h = await openHarness('sqlite', { env: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` } });
  try {
    const res = await h.app.inject({ url: '/readyz' });
    assert.equal(res.statusCode, 503);
    assert.deepEqual(res.json(), {
      status: 'unavailable',
      checks: { database: 'ok', migrations: 'ok', redis: 'failed' },
      failing: ['redis'],
    });
    // The shop itself keeps answering (its limits fall back to this process).
    assert.equal((await h.app.inject({ url: '/shop' })).statusCode, 200);
  } finally {
    await h.close();
  }
});

test(
  '/readyz checks a reachable Redis with PING',
  { skip: process.env.TEST_REDIS_URL ? false : 'set TEST_REDIS_URL to run' },
  async () => {
    const h = await openHarness('sqlite', { env: { REDIS_URL: process.env.TEST_REDIS_URL as string } });
    try {
      const res = await h.app.inject({ url: '/readyz' });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().checks, { database: 'ok', migrations: 'ok', redis: 'ok' });
    } finally {
      await h.close();
    }
  },
);

test('METRICS_ALLOW takes addresses and CIDR ranges; a bad entry or a short METRICS_TOKEN stops the start', () => {
  const base = { DATA_DIR: '/tmp/candor-operations-config', CANDOR_SECRET: 'x'.repeat(32) };
  assert.deepEqual(loadConfig(base).metricsAllow, ['127.0.0.1', '::1']);
  assert.equal(loadConfig(base).metricsToken, undefined);
  const config = loadConfig({ ...base, METRICS_ALLOW: '10.0.0.0/8, fd00::/8,192.0.2.1' });
  assert.deepEqual(config.metricsAllow, ['10.0.0.0/8', 'fd00::/8', '192.0.2.1']);
  const allowed = metricsAccess({ ...config, metricsToken: undefined });
  const from = (ip: string, authorization?: string) => allowed({ ip, headers: { authorization } });
  assert.ok(from('10.20.30.40') && from('fd00::5') && from('192.0.2.1') && from('::ffff:10.0.0.1'));
  assert.ok(!from('127.0.0.1') && !from('192.0.2.2') && !from('fe80::1') && !from('11.0.0.1'));
  assert.ok(!from('192.0.2.2', 'Bearer anything'), 'no token configured: no token opens it');
  // Through a proxy that TRUST_PROXY does not name (a same-host proxy makes every visitor 127.0.0.1), the address
  // opens nothing; with TRUST_PROXY, request.ip is the client's and decides.
  const proxied = { 'x-forwarded-for': '198.51.100.9' };
  assert.ok(!allowed({ ip: '10.0.0.1', headers: proxied }));
  assert.ok(!allowed({ ip: '10.0.0.1', headers: { forwarded: 'for=198.51.100.9' } }));
  assert.ok(metricsAccess({ ...config, metricsToken: undefined, trustProxy: 1 })({ ip: '10.0.0.1', headers: proxied }));
  const token = 't'.repeat(32);
  assert.ok(
    metricsAccess({ ...config, metricsToken: token })({
      ip: '192.0.2.2',
      headers: { ...proxied, authorization: `Bearer ${token}` },
    }),
    'the token opens it through any proxy',
  );
  assert.deepEqual(loadConfig({ ...base, METRICS_ALLOW: 'none' }).metricsAllow, []);
  for (const [env, message] of [
    [{ METRICS_ALLOW: '10.0.0.0/33' }, /METRICS_ALLOW must be .*not understood: 10\.0\.0\.0\/33/],
    [{ METRICS_ALLOW: '127.0.0.1,localhost' }, /not understood: localhost/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN must be at least 32 characters/],
  ] as const) {
    assert.throws(
      () => loadConfig({ ...base, ...env }),
      (err: unknown) => err instanceof ConfigError && message.test(err.message),
    );
  }
});

test('percentiles come from the histogram’s buckets, interpolated inside the bucket they fall in', () => {
  const buckets = [
    { le: 0.01, count: 50 },
    { le: 0.1, count: 90 },
    { le: 1, count: 100 },
    { le: Infinity, count: 100 },
  ];
  assert.deepEqual(quantile(buckets, 0.5), { seconds: 0.01, above: false });
  const p95 = quantile(buckets, 0.95)!;
  assert.ok(Math.abs(p95.seconds - 0.55) < 1e-9 && !p95.above, JSON.stringify(p95));
  assert.equal(quantile([{ le: Infinity, count: 0 }], 0.5), null);
  assert.deepEqual(
    quantile(
      [
        { le: 1, count: 1 },
        { le: Infinity, count: 10 },
      ],
      0.95,
    ),
    { seconds: 1, above: true },
  );
});
