import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createDeps, migrateDatabase } from '../../testing/app.ts';
import { loadConfig } from '../config.ts';
import { MAX_CACHED_SQL_LENGTH, openDatabase, withStatementCache } from './dialect.ts';

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

test('the SQLite database and its -wal and -shm files are created readable by their owner only (0600), like the secret', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-mode-'));
  const previous = process.umask(0o022);
  try {
    const deps = createDeps(loadConfig({ DATA_DIR: dataDir, BASE_URL: 'http://127.0.0.1:3000' }));
    try {
      await migrateDatabase(deps);
      const file = join(dataDir, 'candor.sqlite');
      for (const f of [file, `${file}-wal`, `${file}-shm`]) assert.equal(mode(f), '600', f);
      assert.equal(mode(join(dataDir, 'secret')), '600');
    } finally {
      await deps.close();
    }
  } finally {
    process.umask(previous);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a database file left readable by an older version is tightened to 0600 when opened', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-mode-'));
  try {
    const file = join(dataDir, 'old.sqlite');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const handle = openDatabase({ sqliteFile: file });
    await handle.close();
    assert.equal(mode(file), '600');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('SQLite: a bound limit and offset are written as integer expressions (a bare `limit ?` runs slower) and page the same', async () => {
  const handle = openDatabase<{ n: { v: number } }>({ sqliteFile: ':memory:' });
  try {
    await handle.db.schema.createTable('n').addColumn('v', 'integer').execute();
    await handle.db
      .insertInto('n')
      .values(Array.from({ length: 10 }, (_, v) => ({ v })))
      .execute();
    const page = handle.db.selectFrom('n').select('v').orderBy('v').limit(3).offset(4);
    assert.match(page.compile().sql, /limit cast\(\? as integer\) offset cast\(\? as integer\)$/);
    assert.deepEqual(
      (await page.execute()).map((r) => r.v),
      [4, 5, 6],
    );
    assert.deepEqual(
      (await handle.db.selectFrom('n').select('v').orderBy('v').limit(sql.lit(2)).execute()).map((r) => r.v),
      [0, 1],
    );
  } finally {
    await handle.close();
  }
});

test('SQLite keeps statements up to MAX_CACHED_SQL_LENGTH prepared, longer ones are prepared for each run', () => {
  const prepared: string[] = [];
  const database = {
    prepare: (text: string) => {
      prepared.push(text);
      return { busy: false, source: text };
    },
    close: () => undefined,
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a stand-in for better-sqlite3's two methods
  const cache = withStatementCache(database as any);
  const atLimit = `select 1 -- ${'x'.repeat(MAX_CACHED_SQL_LENGTH - 12)}`;
  const over = `${atLimit}y`;
  assert.equal(atLimit.length, MAX_CACHED_SQL_LENGTH);
  for (let i = 0; i < 3; i++) {
    cache.prepare(atLimit);
    cache.prepare(over);
  }
  assert.equal(prepared.filter((t) => t === atLimit).length, 1, 'kept');
  assert.equal(prepared.filter((t) => t === over).length, 3, 'prepared every time');
});
