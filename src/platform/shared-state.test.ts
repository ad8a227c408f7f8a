// Shared state through Redis (issue 17, point 1): two app instances on one Redis share the per-IP rate limit; with
// Redis killed during a load run the shop keeps answering fast, the limit holds per process, one warning and the
// gauge mark the outage; with Redis back the count is shared again. Runs on a redis-server of the test's own.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Browser, openHarness, type Harness } from '../testing/harness.ts';
import { redisServerMissing, startOwnRedis, type OwnRedis } from '../testing/redis.ts';
import { createLogger } from './log.ts';
import { createMetrics, metricsText } from './metrics.ts';
import { createSharedState } from './shared-state.ts';

const LIMIT = 30;
const skip = redisServerMissing;

let redis: OwnRedis;
let one: Harness;
let two: Harness;

before(async () => {
  if (skip) return;
  redis = await startOwnRedis();
  const env = { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: String(LIMIT) };
  one = await openHarness('sqlite', { env });
  two = await openHarness('sqlite', { env });
});

after(async () => {
  if (skip) return;
  await one?.close();
  await two?.close();
  await redis?.kill();
});

/** A fresh address: each test counts from zero. */
const freshIp = () => `198.18.${randomBytes(1)[0]! % 250}.${(randomBytes(1)[0]! % 250) + 1}`;

async function get(h: Harness, ip: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await new Browser(h.app, ip).get('/api/v1/categories');
  return { status: res.statusCode, ms: performance.now() - started };
}

async function gauge(h: Harness): Promise<number> {
  return (await h.deps.metrics.sharedStateDegraded.get()).values[0]?.value ?? 0;
}

async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `n` requests from `ip`, alternating between the instances given. */
async function burst(instances: Harness[], ip: string, n: number) {
  const answers: { status: number; ms: number }[] = [];
  for (let i = 0; i < n; i++) answers.push(await get(instances[i % instances.length]!, ip));
  return answers;
}

const limitRows = async (h: Harness) =>
  (await h.deps.db.selectFrom('account_limits').select('key_hash').execute()).length;
const statuses = (answers: { status: number }[]) => answers.map((a) => a.status);
const warnings = (h: Harness) => h.logLines.filter((l) => l.includes('shared state: Redis unavailable')).length;

test('two app instances on one Redis share one rate-limit count per address', { skip }, async () => {
  const answers = await burst([one, two], freshIp(), LIMIT + 2);
  assert.deepEqual(statuses(answers), [...Array<number>(LIMIT).fill(200), 429, 429]);
  assert.equal(await gauge(one), 0);
});

test('without REDIS_URL the shared state is this process alone and never degraded', async () => {
  const metrics = createMetrics();
  const shared = createSharedState(undefined, { log: createLogger('silent'), metrics });
  const heard: (string | undefined)[] = [];
  shared.subscribe('candor:cache', (m) => heard.push(m));
  shared.publish('candor:cache', 'catalog');
  assert.deepEqual(heard, ['catalog']);
  assert.equal(
    await shared.run(
      async () => 'redis',
      () => 'local',
    ),
    'local',
  );
  assert.equal((await metrics.sharedStateDegraded.get()).values[0]?.value ?? 0, 0);
  await shared.close();
});

test(
  'Redis killed during a load run: answers go on (no 5xx, none over 1 s), limits per process, one warning, gauge 1; Redis back: gauge 0 and the count shared again',
  {
    skip,
  },
  async () => {
    const before = { one: warnings(one), two: warnings(two) };
    // Light load from several addresses on both instances while Redis dies underneath.
    const load = (async () => {
      const answers: { status: number; ms: number }[] = [];
      for (let round = 0; round < 20; round++) {
        answers.push(...(await Promise.all([one, two, one, two].map((h) => get(h, freshIp())))));
        await new Promise((r) => setTimeout(r, 20));
      }
      return answers;
    })();
    await new Promise((r) => setTimeout(r, 150));
    await redis.kill();
    const during = await load;
    assert.deepEqual([...new Set(statuses(during))], [200], 'every request answered');
    assert.ok(Math.max(...during.map((a) => a.ms)) < 1000, 'no answer slower than 1 s');
    await until('both gauges at 1', async () => (await gauge(one)) === 1 && (await gauge(two)) === 1, 3000);
    assert.match(
      (await metricsText(one.deps.metrics)).body,
      /^candor_shared_state_degraded 1$/m,
      'as /metrics shows it',
    );

    // Down: each process counts for itself. One address reaches the limit on `one` and is still free on `two`.
    const ip = freshIp();
    const onOne = await burst([one], ip, LIMIT + 1);
    assert.deepEqual(statuses(onOne), [...Array<number>(LIMIT).fill(200), 429], 'the limit holds per process');
    assert.equal((await get(two, ip)).status, 200, 'the other process counts on its own');
    assert.ok(Math.max(...onOne.map((a) => a.ms)) < 1000);
    // The sign-in throttle counts in the database meanwhile (and answers as always).
    const signIn = () =>
      new Browser(one.app, freshIp()).api('POST', '/api/v1/sessions', {
        email: `nobody-${randomBytes(4).toString('hex')}@example.org`,
        password: 'wrong but long enough',
      });
    assert.equal((await signIn()).statusCode, 401);
    assert.equal(await limitRows(one), 1, 'counted in the database while Redis is away');
    // One warning per outage and process, however many requests fell back.
    assert.deepEqual({ one: warnings(one), two: warnings(two) }, { one: before.one + 1, two: before.two + 1 });
    assert.equal((await one.deps.metrics.sharedStateFallbacks.get()).values[0]?.value, 1);
    for (const h of [one, two])
      assert.doesNotMatch(h.logLines.join(''), new RegExp(ip.replace(/\./g, '\\.')), 'no address in the log');

    // Back: within a few seconds both instances count in Redis again.
    await redis.start();
    await until('both gauges at 0', async () => (await gauge(one)) === 0 && (await gauge(two)) === 0, 5000);
    assert.ok(one.logLines.some((l) => l.includes('shared state: Redis is back')));
    assert.match((await metricsText(one.deps.metrics)).body, /^candor_shared_state_degraded 0$/m);
    assert.equal((await signIn()).statusCode, 401);
    assert.equal(await limitRows(one), 1, 'counted in Redis again');
    const shared = await burst([one, two], freshIp(), LIMIT + 1);
    assert.deepEqual(statuses(shared), [...Array<number>(LIMIT).fill(200), 429], 'one count across both again');
  },
);
