import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { types } from './dialect.ts';
import type { Migration } from './migrate.ts';
import { describeEachDatabase, openBareDatabase, type BareDatabase } from '../../testing/harness.ts';
import { PreparedStatementMismatch, runPrepared, verifyPreparedStatements } from './prepared.ts';

interface Tables {
  things: { id: string; colour: string; size: number };
}

const migrations: Migration[] = [
  {
    id: 'prepared-test.001',
    async up(db) {
      await db.schema
        .createTable('things')
        .addColumn('id', types.id, (c) => c.primaryKey())
        .addColumn('colour', types.short, (c) => c.notNull())
        .addColumn('size', types.int, (c) => c.notNull())
        .execute();
    },
  },
];

describeEachDatabase('statements built once per shape', (dbKind) => {
  let bare: BareDatabase<Tables>;
  before(async () => {
    bare = await openBareDatabase<Tables>(dbKind, migrations);
    await bare.db
      .insertInto('things')
      .values([
        { id: 'a', colour: 'red', size: 1 },
        { id: 'b', colour: 'red', size: 5 },
        { id: 'c', colour: 'blue', size: 3 },
      ])
      .execute();
  });
  after(async () => {
    verifyPreparedStatements(true);
    await bare.close();
  });

  const ofColour = (colour: string, min: number) =>
    bare.db.selectFrom('things').select('id').where('colour', '=', colour).where('size', '>=', min).orderBy('id');

  test('the statement is built on its first run only, and runs with each run’s parameters', async () => {
    verifyPreparedStatements(false);
    let builds = 0;
    const run = (colour: string, min: number) =>
      runPrepared(bare.db, 'things-of-colour', [colour, min], () => {
        builds++;
        return ofColour(colour, min);
      });
    assert.deepEqual(await run('red', 0), [{ id: 'a' }, { id: 'b' }]);
    assert.deepEqual(await run('red', 2), [{ id: 'b' }]);
    assert.deepEqual(await run('blue', 0), [{ id: 'c' }]);
    assert.equal(builds, 1);
  });

  test('parameters given in another order than the built statement’s are refused', async () => {
    verifyPreparedStatements(true);
    await assert.rejects(
      runPrepared(bare.db, 'things-swapped', [0, 'red'], () => ofColour('red', 0)),
      PreparedStatementMismatch,
    );
  });

  test('a shape name that leaves out what changes the SQL fails where statements are verified (the tests)', async () => {
    verifyPreparedStatements(true);
    const sizes = (desc: boolean) =>
      runPrepared(bare.db, 'things-by-size', [], () =>
        bare.db
          .selectFrom('things')
          .select('id')
          .orderBy('size', desc ? 'desc' : 'asc'),
      );
    assert.deepEqual(await sizes(false), [{ id: 'a' }, { id: 'c' }, { id: 'b' }]);
    await assert.rejects(sizes(true), PreparedStatementMismatch);
  });

  test('a statement too long for SQLite’s statement cache fails where statements are verified', async () => {
    verifyPreparedStatements(true);
    const colours = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
    const ofColours = (list: string[]) =>
      runPrepared(bare.db, `things-of-colours:${list.length}`, list, () =>
        bare.db.selectFrom('things').select('id').where('colour', 'in', list),
      );
    assert.deepEqual(await ofColours(colours(100)), []);
    // "?, " per value: 6,000 of them are longer than the cache keeps.
    await assert.rejects(ofColours(colours(6000)), /longer than 16000 characters/);
  });

  test('on PostgreSQL a shape runs as a named prepared statement of its connection, other statements unnamed', async (t) => {
    if (dbKind !== 'postgres') return t.skip('PostgreSQL only: SQLite keeps its statements prepared in dialect.ts');
    verifyPreparedStatements(true);
    // One transaction: one connection, whose prepared statements pg_prepared_statements lists.
    await bare.db.transaction().execute(async (trx) => {
      const run = (colour: string, min: number) =>
        runPrepared<Tables, { id: string }>(trx, 'things-named', [colour, min], () =>
          trx.selectFrom('things').select('id').where('colour', '=', colour).where('size', '>=', min).orderBy('id'),
        );
      assert.deepEqual(await run('red', 2), [{ id: 'b' }]);
      assert.deepEqual(await run('blue', 0), [{ id: 'c' }]);
      const { rows } = await sql<{ name: string; statement: string }>`
        select name, statement from pg_prepared_statements`.execute(trx);
      const shape = rows.filter((r) => r.statement.includes('from "things" where "colour" ='));
      assert.equal(shape.length, 1, JSON.stringify(rows));
      assert.match(shape[0]!.name, /^candor_\d+$/);
      assert.ok(!rows.some((r) => r.statement.includes('pg_prepared_statements')), 'an ordinary statement is not kept');
    });
  });
});
