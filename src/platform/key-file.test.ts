import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readOrCreateKeyFile } from './key-file.ts';

const MODULE = join(import.meta.dirname, 'key-file.ts');

/** A process that waits for `startAt`, then reads or makes the key file and prints what it got. */
function racer(file: string, startAt: number): Promise<string> {
  const code = `import { readOrCreateKeyFile } from ${JSON.stringify(MODULE)};
    while (Date.now() < ${startAt});
    process.stdout.write(readOrCreateKeyFile(${JSON.stringify(file)}, () => 'key of ' + process.pid + '\\n'));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (status) => (status === 0 ? resolve(out) : reject(new Error(`exit ${status}: ${err}`)))),
  );
}

test('processes that start together on one data directory all get the one key file made (no crash, no torn key)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-key-file-'));
  try {
    const file = join(dir, 'secret');
    // The children load tsx first (about a second); they all go at the same moment after that.
    const startAt = Date.now() + 4000;
    const got = await Promise.all(Array.from({ length: 6 }, () => racer(file, startAt)));
    const kept = readFileSync(file, 'utf8');
    assert.match(kept, /^key of \d+\n$/);
    assert.deepEqual(new Set(got), new Set([kept]), 'every process has the key that was kept');
    assert.deepEqual(readdirSync(dir), ['secret'], 'no temporary file is left');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(
      readOrCreateKeyFile(file, () => 'another'),
      kept,
      'an existing file is read, never replaced',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a temporary copy left by a process that died while making a key is removed at the next start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-key-file-'));
  try {
    const file = join(dir, 'secret');
    const stale = join(dir, 'secret.4242-0badc0de.tmp');
    const fresh = join(dir, 'secret.4343-0badf00d.tmp');
    writeFileSync(stale, 'a torn key', { mode: 0o600 });
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(stale, old, old);
    writeFileSync(fresh, 'a key being made right now', { mode: 0o600 });
    writeFileSync(join(dir, 'secret-notes.tmp'), 'not ours');
    assert.equal(
      readOrCreateKeyFile(file, () => 'the key\n'),
      'the key\n',
    );
    assert.deepEqual(readdirSync(dir).sort(), ['secret', 'secret-notes.tmp', 'secret.4343-0badf00d.tmp']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
