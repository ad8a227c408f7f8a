// The usage-log writer through a database outage: entries wait in the buffer and are written after it, bounded;
// a batch refused for another reason is dropped after a few tries. The database is real; only the bulk insert is
// wrapped, to fail the way the driver fails while the server is away.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { BulkInsert } from '../../platform/db/dialect.ts';
import { createLogger } from '../../platform/log.ts';
import { createMetrics, type Metrics } from '../../platform/metrics.ts';
import { describeEachDatabase, openHarness, START, type Harness } from '../../testing/harness.ts';
import { partitionName } from '../data-map.ts';
import { createUsageLogWriter, USAGE_IP, USAGE_LOG, type UsageEntry } from './usage-log.writer.ts';

/** Fails like pg while the server is down (`down`), or like a refused statement (`refuse`), else inserts. */
function switchableInsert(real: BulkInsert) {
  const state = { down: false, refuse: false, calls: 0 };
  const insert: BulkInsert = async (trx, table, rows) => {
    state.calls++;
    if (state.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    if (state.refuse)
      throw Object.assign(new Error('invalid input syntax for type integer'), { code: '22P02', severity: 'ERROR' });
    await real(trx, table, rows);
  };
  return { state, insert };
}

const entry = (i: number, at = START): UsageEntry => ({
  at: at + i,
  durationMs: 3,
  tzOffsetMin: null,
  method: 'GET',
  path: `/shop/p-${i}`,
  status: 200,
  bytes: 100,
  referrer: null,
  browser: 'Firefox',
  browserVersion: '128',
  language: 'en',
  os: 'Linux',
  ip: '203.0.113.9',
});

const gauge = async (m: Metrics) => (await m.usageLogBuffered.get()).values[0]?.value ?? 0;
const dropped = async (m: Metrics) => (await m.usageLogDropped.get()).values[0]?.value ?? 0;

describeEachDatabase('usage-log writer during a database outage', (dbUnderTest) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(dbUnderTest);
  });
  after(() => h.close());

  // Each test writes to its own day's tables, so that they also pass alone and in any order.
  async function count(table: string): Promise<number> {
    try {
      const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(h.deps.db);
      return Number(r.rows[0]?.n ?? 0);
    } catch {
      return 0;
    }
  }

  test('keeps the entries while the database is away and writes them, once each, when it is back', async () => {
    const at = START + 10 * 86_400_000;
    const { state, insert } = switchableInsert(h.deps.bulkInsert);
    const metrics = createMetrics();
    const writer = createUsageLogWriter(h.deps.db, insert, createLogger('silent'), {
      metrics,
      maxDelayMs: 10,
      minBackoffMs: 20,
      maxBackoffMs: 80,
    });
    const table = partitionName(USAGE_LOG, at);
    writer.record(entry(0, at));
    await writer.flush();
    assert.equal(await count(table), 1);

    state.down = true;
    for (let i = 1; i <= 50; i++) writer.record(entry(i, at));
    await writer.flush();
    assert.equal(await gauge(metrics), 50, 'the buffered entries are shown in the gauge');
    await new Promise((r) => setTimeout(r, 300));
    const triesWhileDown = state.calls;
    assert.ok(triesWhileDown >= 3, `retried while down (${triesWhileDown} tries)`);
    assert.equal(await count(table), 1);

    state.down = false;
    for (let i = 51; i <= 60; i++) writer.record(entry(i, at));
    // No flush: the retry timer writes them.
    const deadline = Date.now() + 3000;
    while ((await count(table)) < 61 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await count(table), 61);
    assert.equal(await count(partitionName(USAGE_IP, at)), 61);
    assert.equal(await gauge(metrics), 0);
    assert.equal(await dropped(metrics), 0);
    await writer.close();
  });

  test('beyond the bound new entries are dropped and counted; the rest are written after the outage', async () => {
    const at = START + 11 * 86_400_000;
    const { state, insert } = switchableInsert(h.deps.bulkInsert);
    const metrics = createMetrics();
    const lines: string[] = [];
    const log = createLogger('info', { write: (line: string) => void lines.push(line) });
    const writer = createUsageLogWriter(h.deps.db, insert, log, {
      metrics,
      bufferMax: 100,
      maxBatch: 30,
      minBackoffMs: 20,
      maxBackoffMs: 40,
    });
    state.down = true;
    for (let i = 0; i < 130; i++) writer.record(entry(i, at));
    assert.equal(await gauge(metrics), 100);
    assert.equal(await dropped(metrics), 30);
    const dropLine = lines.find((l) => l.includes('usage log entries dropped'));
    assert.ok(dropLine, 'the drop is logged');
    assert.ok(!dropLine.includes('203.0.113') && !dropLine.includes('/shop/'), 'with the count only, no data');
    state.down = false;
    await writer.close(3000);
    assert.equal(await count(partitionName(USAGE_LOG, at)), 100);
    assert.equal(await gauge(metrics), 0);
  });

  test('a batch refused for another reason is tried three times, then dropped and counted', async () => {
    const at = START + 12 * 86_400_000;
    const { state, insert } = switchableInsert(h.deps.bulkInsert);
    const metrics = createMetrics();
    const writer = createUsageLogWriter(h.deps.db, insert, createLogger('silent'), { metrics, maxTries: 3 });
    state.refuse = true;
    for (let i = 0; i < 5; i++) writer.record(entry(i, at));
    await writer.flush();
    assert.equal(state.calls, 3);
    assert.equal(await dropped(metrics), 5);
    assert.equal(await gauge(metrics), 0);
    state.refuse = false;
    writer.record(entry(9, at));
    await writer.flush();
    assert.equal(await count(partitionName(USAGE_LOG, at)), 1, 'later entries are written');
    await writer.close();
  });

  test('closing during an outage gives up after its deadline and counts what it could not write', async () => {
    const at = START + 13 * 86_400_000;
    const { state, insert } = switchableInsert(h.deps.bulkInsert);
    const metrics = createMetrics();
    const writer = createUsageLogWriter(h.deps.db, insert, createLogger('silent'), {
      metrics,
      minBackoffMs: 20,
      maxBackoffMs: 40,
    });
    state.down = true;
    for (let i = 0; i < 7; i++) writer.record(entry(i, at));
    const started = Date.now();
    await writer.close(300);
    assert.ok(Date.now() - started < 1500, 'close is bounded');
    assert.equal(await dropped(metrics), 7);
    assert.equal(await gauge(metrics), 0);
    assert.equal(await count(partitionName(USAGE_LOG, at)), 0);
  });
});
