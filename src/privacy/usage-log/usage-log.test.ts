import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY, HOUR } from '../../platform/clock.ts';
import { listTables } from '../../platform/db/dialect.ts';
import { Browser, describeEachDatabase, openHarness, START, type Harness } from '../../testing/harness.ts';
import { selectAllRows } from '../retention.queries.ts';
import { runRetention } from '../retention.ts';
import { anonymiseIp } from './ip.ts';
import { summariseAgent } from './user-agent.ts';

test('IPv4 loses its last 8 bits; IPv6 keeps only its /48 prefix', () => {
  assert.equal(anonymiseIp('203.0.113.77'), '203.0.113.0');
  assert.equal(anonymiseIp('::ffff:198.51.100.9'), '198.51.100.0');
  assert.equal(anonymiseIp('2001:db8:85a3:8d3:1319:8a2e:370:7348'), '2001:db8:85a3::');
  assert.equal(anonymiseIp('2001:db8::1'), '2001:db8:0::');
  assert.equal(anonymiseIp('::1'), '0:0:0::');
  assert.equal(anonymiseIp('not an ip'), '');
});

test('the user agent is reduced to browser, major version and operating system', () => {
  assert.deepEqual(
    summariseAgent(
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
    ),
    { browser: 'Edge', version: '126', os: 'Windows' },
  );
  assert.deepEqual(
    summariseAgent(
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
    ),
    { browser: 'Safari', version: '17', os: 'macOS' },
  );
  assert.deepEqual(summariseAgent(undefined), { browser: null, version: null, os: null });
});

/** Every value of every row of every table, as text, to search for a value anywhere in the database. */
async function databaseText(h: Harness): Promise<string> {
  const parts: string[] = [];
  for (const table of await listTables(h.deps.db, h.deps.dbKind))
    parts.push(table, JSON.stringify(await selectAllRows(h.deps.db, table)));
  return parts.join('\n');
}

describeEachDatabase('usage log', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '5' } });
  });
  after(() => h.close());

  test('every request, page or API, is logged with the listed fields; the full IP is kept apart', async () => {
    const b = new Browser(h.app, '203.0.113.77', {
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
      'accept-language': 'de-DE,de;q=0.9',
      referer: 'https://search.example/?q=synth',
      'x-timezone-offset': '+60',
    });
    await b.get('/?utm=secret-token');
    await b.api('GET', '/api/v1/products?limit=5');
    await b.get('/does-not-exist');
    await h.deps.usageLog.flush();
    const day = '20261129';
    const logs = await selectAllRows(h.deps.db, `usage_log_d${day}`);
    assert.equal(logs.length, 3);
    const home = logs.find((r) => r.path === '/')!;
    assert.equal(home.status, 200);
    assert.equal(home.method, 'GET');
    assert.ok(Number(home.bytes) > 1000);
    assert.equal(home.browser, 'Firefox');
    assert.equal(home.browser_version, '128');
    assert.equal(home.os, 'Linux');
    assert.equal(home.language, 'de-DE');
    assert.equal(home.referrer, 'https://search.example/');
    assert.equal(home.tz_offset_min, 60);
    assert.equal(home.ip_prefix, '203.0.113.0');
    assert.ok(Number(home.duration_ms) >= 0);
    assert.ok(logs.some((r) => r.path === '/api/v1/products' && r.status === 200));
    assert.ok(logs.some((r) => r.path === '/does-not-exist' && r.status === 404));
    // The query string (which can carry tokens) is not stored, nor is the full IP beside the request.
    assert.ok(!JSON.stringify(logs).includes('secret-token'));
    assert.ok(!JSON.stringify(logs).includes('203.0.113.77'));
    const ips = await selectAllRows(h.deps.db, `usage_ip_d${day}`);
    assert.equal(ips.length, 3);
    assert.ok(ips.every((r) => r.ip === '203.0.113.77'));
  });

  test('after 8 days, retention leaves no full IP anywhere in the database', async () => {
    const b = new Browser(h.app, '198.51.100.23');
    await b.api('POST', '/api/v1/accounts', {
      name: 'Ip Person',
      email: 'ip@example.org',
      password: 'quiet harbour lantern',
    });
    await b.api('POST', '/api/v1/sessions', {
      email: 'ip@example.org',
      password: 'quiet harbour lantern',
      remember: true,
    });
    for (let i = 0; i < 5; i++) await b.get('/account');
    const ipv6 = new Browser(h.app, '2001:db8:85a3:8d3:1319:8a2e:370:7348');
    await ipv6.get('/');
    await h.deps.usageLog.flush();
    assert.match(await databaseText(h), /198\.51\.100\.23/);

    h.clock.advance(7 * DAY - 1);
    await runRetention(h.deps);
    assert.match(await databaseText(h), /198\.51\.100\.23/, 'kept for the 7 days');

    h.clock.advance(DAY + 1);
    await runRetention(h.deps);
    const text = await databaseText(h);
    for (const ip of ['198.51.100.23', '203.0.113.77', '2001:db8:85a3:8d3:1319:8a2e:370:7348'])
      assert.ok(!text.includes(ip), `${ip} must be gone`);
    // The anonymised request records stay until their own period ends.
    assert.match(text, /198\.51\.100\.0/);
    assert.match(text, /2001:db8:85a3::/);
    // The remembered session itself survives; only its IP is cleared.
    assert.equal((await b.api('GET', '/api/v1/me')).statusCode, 200);
  });

  test('the daily request records are dropped whole after 90 days', async () => {
    h.clock.advance(91 * DAY);
    await runRetention(h.deps);
    const tables = await listTables(h.deps.db, h.deps.dbKind);
    assert.ok(!tables.some((t) => t.startsWith('usage_log_d2026112') || t.startsWith('usage_ip_d2026112')));
  });

  test('login is limited per IP: the 6th attempt in a minute gets 429 with Retry-After', async () => {
    const attacker = new Browser(h.app, '192.0.2.66');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await attacker.api('POST', '/api/v1/sessions', { email: 'ip@example.org', password: `wrong guess ${i}` }))
          .statusCode,
      );
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    const limited = await attacker.api('POST', '/api/v1/sessions', {
      email: 'ip@example.org',
      password: 'quiet harbour lantern',
    });
    assert.equal(limited.statusCode, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal(limited.json().error.code, 'rate_limited');
    // Another IP is not affected, and pages are still served to the limited one.
    assert.equal(
      (
        await new Browser(h.app, '192.0.2.67').api('POST', '/api/v1/sessions', {
          email: 'ip@example.org',
          password: 'quiet harbour lantern',
        })
      ).statusCode,
      201,
    );
    assert.equal((await attacker.get('/')).statusCode, 200);
  });

  test('the client IP comes from X-Forwarded-For only when TRUST_PROXY says so', async () => {
    const spoof = await h.app.inject({
      method: 'GET',
      url: '/api/v1/openapi.json',
      remoteAddress: '192.0.2.80',
      headers: { 'x-forwarded-for': '198.51.100.200' },
    });
    assert.equal(spoof.statusCode, 200);
    await h.deps.usageLog.flush();
    const text = await databaseText(h);
    assert.ok(text.includes('192.0.2.80'));
    assert.ok(!text.includes('198.51.100.200'));
  });
});

describeEachDatabase('usage log behind a trusted proxy', (db) => {
  test('with TRUST_PROXY=1 the forwarded client address is used', async () => {
    const h = await openHarness(db, { env: { TRUST_PROXY: '1' } });
    try {
      await h.app.inject({
        method: 'GET',
        url: '/api/v1/openapi.json',
        remoteAddress: '10.0.0.2',
        headers: { 'x-forwarded-for': '198.51.100.201' },
      });
      await h.deps.usageLog.flush();
      const text = await databaseText(h);
      assert.ok(text.includes('198.51.100.201'));
    } finally {
      await h.close();
    }
  });
});

test(
  'with REDIS_URL, several app processes share one rate-limit count per IP',
  { skip: process.env.TEST_REDIS_URL ? false : 'set TEST_REDIS_URL to run' },
  async () => {
    const env = { REDIS_URL: process.env.TEST_REDIS_URL as string, RATE_LIMIT_AUTH_PER_MINUTE: '4' };
    const one = await openHarness('sqlite', { env });
    const two = await openHarness('sqlite', { env });
    try {
      // A fresh address per run, so counts left in Redis by earlier runs do not matter.
      const ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const app = i % 2 === 0 ? one.app : two.app;
        // A fresh address too: Redis also keeps the per-address sign-in throttle (accounts), which must stay out of this.
        statuses.push(
          (
            await new Browser(app, ip).api('POST', '/api/v1/sessions', {
              email: `x-${ip}@example.org`,
              password: 'wrong but long enough',
            })
          ).statusCode,
        );
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
    } finally {
      await one.close();
      await two.close();
    }
  },
);

describeEachDatabase('usage log retention at its boundaries', (db) => {
  let h: Harness;
  const ip = '198.51.100.171';
  before(async () => {
    h = await openHarness(db, { seed: true });
    // One request at 10:00 UTC: the boundaries below fall inside a day, not at midnight.
    await new Browser(h.app, ip).get('/');
    await h.deps.usageLog.flush();
  });
  after(() => h.close());

  test('a full IP address is kept until just before 7 days after the request and gone 7 days and one hour after it', async () => {
    h.clock.set(START + 7 * DAY - 60_000);
    await runRetention(h.deps);
    assert.match(await databaseText(h), /198\.51\.100\.171/, 'still there just before 7 days');
    h.clock.set(START + 7 * DAY + HOUR);
    await runRetention(h.deps);
    assert.doesNotMatch(await databaseText(h), /198\.51\.100\.171/, 'gone 7 days and one hour after the request');
    assert.match(await databaseText(h), /198\.51\.100\.0/, 'the anonymised request record stays');
  });

  test('a request record is gone 90 days and one hour after the request', async () => {
    h.clock.set(START + 90 * DAY + HOUR);
    await runRetention(h.deps);
    assert.doesNotMatch(await databaseText(h), /198\.51\.100\.0/, 'no request record outlives its 90 days');
  });
});
