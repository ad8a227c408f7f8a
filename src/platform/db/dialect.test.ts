import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createDeps, migrateDatabase } from '../../testing/app.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from './dialect.ts';

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
