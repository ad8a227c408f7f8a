import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY, FixedClock, HOUR } from '../platform/clock.ts';
import { types } from '../platform/db/dialect.ts';
import { describeEachDatabase, openHarness, START, type Harness } from '../testing/harness.ts';
import { buildDataMap, type DataMap } from './data-map.ts';
import { cutoffOf, runRetention } from './retention.ts';

test('periods in days run to the millisecond; periods in years run to the end of the calendar year', () => {
  assert.equal(cutoffOf({ days: 7 }, START + 7 * DAY + HOUR), START + HOUR);
  assert.equal(
    cutoffOf({ years: 8, fromEndOfYear: true }, Date.parse('2034-12-31T23:59:59Z')),
    Date.parse('2026-01-01T00:00:00Z'),
  );
  assert.equal(
    cutoffOf({ years: 8, fromEndOfYear: true }, Date.parse('2035-01-01T00:00:00Z')),
    Date.parse('2027-01-01T00:00:00Z'),
  );
});

describeEachDatabase('retention rules at their boundaries', (db) => {
  let h: Harness;
  let map: DataMap;
  const activity = {
    id: 'probe.a',
    name: { en: 'a', de: 'a' },
    purpose: { en: 'p', de: 'p' },
    legalBasis: 'contract' as const,
    subjects: { en: 's', de: 's' },
    recipients: [],
  };
  const rule = (
    id: string,
    days: number,
    from: string,
    action: { kind: 'delete' } | { kind: 'clear'; columns: string[] },
  ) => ({
    id,
    what: { en: id, de: id },
    after: { days },
    from,
    fromEvent: { en: 'e', de: 'e' },
    basis: { en: 'b', de: 'b' },
    action,
  });
  before(async () => {
    h = await openHarness(db);
    await h.deps.db.schema
      .createTable('probe_rows')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('at', types.time, (c) => c.notNull())
      .addColumn('seen_at', types.time)
      .addColumn('ip', types.short)
      .execute();
    map = buildDataMap([
      {
        activities: [activity],
        tables: [
          {
            table: 'probe_rows',
            activity: 'probe.a',
            subject: { via: 'user-id', column: 'id' },
            columns: { id: 'account', at: 'usage', seen_at: 'usage', ip: 'ip-address' },
            erasure: { action: 'delete' },
            retention: [
              rule('probe.clear-ip', 7, 'seen_at', { kind: 'clear', columns: ['ip'] }),
              rule('probe.delete-rows', 30, 'at', { kind: 'delete' }),
            ],
          },
        ],
      },
    ]);
    await h.deps.db
      .insertInto('probe_rows' as never)
      .values({ id: 'r1', at: START, seen_at: START, ip: '192.0.2.1' } as never)
      .execute();
  });
  after(() => h.close());

  const run = (at: number) =>
    runRetention({ db: h.deps.db, dbKind: h.deps.dbKind, clock: new FixedClock(at), dataMap: map });
  const row = async () =>
    (
      await h.deps.db
        .selectFrom('probe_rows' as never)
        .selectAll()
        .execute()
    )[0] as { ip: string | null } | undefined;

  test('a cleared column is kept just before its period ends and gone one hour after', async () => {
    await run(START + 7 * DAY - 60_000);
    assert.equal((await row())?.ip, '192.0.2.1');
    await run(START + 7 * DAY + HOUR);
    assert.equal((await row())?.ip, null);
  });

  test('a deleted row is kept just before its period ends and gone one hour after', async () => {
    await run(START + 30 * DAY - 60_000);
    assert.ok(await row());
    await run(START + 30 * DAY + HOUR);
    assert.equal(await row(), undefined);
  });
});
