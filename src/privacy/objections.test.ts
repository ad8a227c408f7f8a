// mayProcess: one answer per person and activity from the objection and restriction records.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { moveObjectionsToEngine } from '../testing/app.ts';
import { types } from '../platform/db/dialect.ts';
import { describeEachDatabase, openHarness } from '../testing/harness.ts';
import { findObjection, liftObjection, mayProcess, recordObjection } from './objections.ts';

const ACTIVITY = 'advertising.similar-products';

describeEachDatabase('mayProcess', (db) => {
  test('an objection or a restriction stops one activity for one person, until lifted', async () => {
    const h = await openHarness(db);
    try {
      const d = h.deps.db;
      assert.equal(await mayProcess(h.deps, 'u-1', ACTIVITY), true);
      await recordObjection(d, 1000, { person: 'u-1', activity: ACTIVITY, kind: 'objection', via: 'account' });
      assert.equal(await mayProcess(h.deps, 'u-1', ACTIVITY), false);
      assert.equal(await mayProcess(h.deps, 'u-2', ACTIVITY), true, 'another person');
      await recordObjection(d, 1000, { person: 'u-3', activity: 'other.activity', kind: 'objection', via: 'account' });
      assert.equal(await mayProcess(h.deps, 'u-3', ACTIVITY), true, 'another activity');
      // Recording again keeps the first record.
      await recordObjection(d, 2000, { person: 'u-1', activity: ACTIVITY, kind: 'objection', via: 'mail' });
      assert.deepEqual(await findObjection(d, 'u-1', ACTIVITY, 'objection'), {
        user_id: 'u-1',
        activity: ACTIVITY,
        kind: 'objection',
        recorded_at: 1000,
        via: 'account',
        ends_at: null,
      });
      await recordObjection(d, 3000, { person: 'u-1', activity: ACTIVITY, kind: 'restriction', via: 'staff' });
      await liftObjection(d, 'u-1', ACTIVITY, 'objection');
      assert.equal(await mayProcess(h.deps, 'u-1', ACTIVITY), false, 'the restriction still stands');
      await liftObjection(d, 'u-1', ACTIVITY, 'restriction');
      assert.equal(await mayProcess(h.deps, 'u-1', ACTIVITY), true);
    } finally {
      await h.close();
    }
  });

  test('asking about an activity the data map does not know, or that cannot be objected to, is a bug', async () => {
    const h = await openHarness(db);
    try {
      await assert.rejects(mayProcess(h.deps, 'u-1', 'advertising.similar-product'), /has no activity/);
      await assert.rejects(mayProcess(h.deps, 'u-1', 'platform.operation'), /not marked objectable/);
    } finally {
      await h.close();
    }
  });

  test('the migration moves advertising objections into the engine and drops the old table', async () => {
    const h = await openHarness(db);
    try {
      // The state before advertising.002: the feature's own table with its rows.
      const raw = h.deps.db.withTables<{
        advertising_objections: { user_id: string; objected_at: number; via: string };
      }>();
      await raw.schema
        .createTable('advertising_objections')
        .addColumn('user_id', types.id, (c) => c.primaryKey())
        .addColumn('objected_at', types.time, (c) => c.notNull())
        .addColumn('via', types.short, (c) => c.notNull())
        .execute();
      await raw
        .insertInto('advertising_objections')
        .values([
          { user_id: 'old-1', objected_at: 5, via: 'mail' },
          { user_id: 'old-2', objected_at: 6, via: 'account' },
        ])
        .execute();
      await h.deps.db.transaction().execute((trx) => moveObjectionsToEngine.up(trx, h.deps.dbKind));
      assert.equal(await mayProcess(h.deps, 'old-1', ACTIVITY), false);
      assert.equal(await mayProcess(h.deps, 'old-2', ACTIVITY), false);
      assert.equal(await mayProcess(h.deps, 'someone-else', ACTIVITY), true);
      const moved = await findObjection(h.deps.db, 'old-1', ACTIVITY, 'objection');
      assert.deepEqual(
        { ...moved, recorded_at: Number(moved?.recorded_at) },
        { user_id: 'old-1', activity: ACTIVITY, kind: 'objection', recorded_at: 5, via: 'mail', ends_at: null },
      );
      await assert.rejects(sql`select 1 from advertising_objections`.execute(h.deps.db));
    } finally {
      await h.close();
    }
  });
});
