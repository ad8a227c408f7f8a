import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase, openHarness, type Harness } from '../testing/harness.ts';
import { erasureOrder, type TableMap } from './data-map.ts';

/** Every foreign key of the migrated database, as "table -> referenced table". */
async function foreignKeys(h: Harness): Promise<string[]> {
  if (h.deps.dbKind === 'sqlite') {
    const pairs: string[] = [];
    for (const t of h.deps.dataMap.tables.filter((t) => !t.partitioned)) {
      const rows = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${t.table})`.execute(
        h.deps.db,
      );
      for (const row of rows.rows) pairs.push(`${t.table} -> ${row.table}`);
    }
    return [...new Set(pairs)].sort();
  }
  const rows = await sql<{ source: string; target: string }>`
    select distinct tc.table_name as source, ccu.table_name as target
    from information_schema.table_constraints tc
    join information_schema.constraint_column_usage ccu
      on tc.constraint_name = ccu.constraint_name and tc.table_schema = ccu.table_schema
    where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`.execute(h.deps.db);
  return rows.rows.map((r) => `${r.source} -> ${r.target}`).sort();
}

const declared = (tables: readonly TableMap[]) =>
  tables.flatMap((t) => (t.refersTo ?? []).map((target) => `${t.table} -> ${target}`)).sort();

describeEachDatabase('erasure order', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db);
  });
  after(() => h.close());

  test('the data map declares exactly the foreign keys the database has', async () => {
    const keys = await foreignKeys(h);
    assert.ok(keys.includes('sessions -> users'), keys.join(', '));
    assert.deepEqual(declared(h.deps.dataMap.tables), keys);
  });

  test('erasure handles every table before the tables it refers to, in whatever order the manifests come', () => {
    for (const tables of [h.deps.dataMap.tables, [...h.deps.dataMap.tables].reverse()]) {
      const position = new Map(erasureOrder(tables).map((t, i) => [t.table, i]));
      assert.equal(position.size, tables.length);
      for (const pair of declared(tables)) {
        const [from, to] = pair.split(' -> ') as [string, string];
        if (from === to) continue; // a table that refers to itself (products.requires_id) has no order to keep
        assert.ok((position.get(from) as number) < (position.get(to) as number), pair);
      }
    }
  });
});

test('a cycle of references is refused', () => {
  const table = (name: string, refersTo: string[]): TableMap => ({
    table: name,
    activity: 'a',
    subject: null,
    columns: {},
    erasure: null,
    retention: [],
    refersTo,
  });
  assert.throws(() => erasureOrder([table('a', ['b']), table('b', ['a'])]), /cycle/);
});
