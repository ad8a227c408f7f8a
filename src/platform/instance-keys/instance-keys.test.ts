import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachDatabase, openBareDatabase, type BareDatabase } from '../../testing/harness.ts';
import { createWorkerDatabase } from '../../testing/worker.ts';
import {
  adoptInstanceKeys,
  checkInstanceKeys,
  fingerprintOf,
  instanceKeysMigrations,
  type InstanceKey,
  type InstanceKeysTables,
} from './index.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SECRET_A = 'a-secret-of-the-first-process-0123456789abcdef';
const SECRET_B = 'a-secret-of-the-other-process-0123456789abcdef';

const keysWith = (secret: string): InstanceKey[] => [
  { name: 'CANDOR_SECRET', value: secret, secret: true },
  { name: 'SUPPRESSION_KEY', value: 'suppression-key-0123456789abcdef0123456789', secret: true },
  { name: 'LICENCE_SIGNING_KEY_FILE', value: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n', secret: false },
];

/** `candor <args>` as its own process; its exit code and what it wrote to stderr. */
function candor(args: string[], env: Record<string, string>): { code: number | null; stderr: string } {
  const run = spawnSync(process.execPath, ['bin/candor.js', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, stderr: run.stderr };
}

describeEachDatabase('the keys every process must share', (kind) => {
  let h: BareDatabase<InstanceKeysTables>;
  before(async () => {
    h = await openBareDatabase<InstanceKeysTables>(kind, instanceKeysMigrations);
  });
  after(() => h.close());

  test('the first start records fingerprints; a later start with another key is named, until it is adopted', async () => {
    const first = h.clock.now();
    assert.deepEqual(await checkInstanceKeys(h.db, keysWith(SECRET_A), first), []);
    h.clock.advance(60_000);
    assert.deepEqual(await checkInstanceKeys(h.db, keysWith(SECRET_A), h.clock.now()), [], 'the same keys pass');
    // Only the key that differs is named, with when the other one was recorded.
    assert.deepEqual(await checkInstanceKeys(h.db, keysWith(SECRET_B), h.clock.now()), [
      { name: 'CANDOR_SECRET', recordedAt: first },
    ]);
    // A key not recorded before (a new setting) is recorded by whoever starts first, and checked from then on.
    const more = [
      ...keysWith(SECRET_A),
      { name: 'ANALYTICS_KEY', value: 'analytics-key-0123456789abcdef01', secret: true },
    ];
    assert.deepEqual(await checkInstanceKeys(h.db, more, h.clock.now()), []);

    await adoptInstanceKeys(h.db, keysWith(SECRET_B), h.clock.now());
    assert.deepEqual(await checkInstanceKeys(h.db, keysWith(SECRET_B), h.clock.now()), []);
    assert.deepEqual(
      (await checkInstanceKeys(h.db, keysWith(SECRET_A), h.clock.now())).map((m) => m.name),
      ['CANDOR_SECRET'],
      'after adopting, the old key is refused',
    );
    assert.deepEqual(
      (await checkInstanceKeys(h.db, more, h.clock.now())).map((m) => m.name),
      ['CANDOR_SECRET'],
      'adopting replaces only the keys it names',
    );
  });

  test('the table holds fingerprints, never a key; a fingerprint differs per key and per setting', async () => {
    const rows = await h.db.selectFrom('instance_keys').selectAll().execute();
    const stored = JSON.stringify(rows);
    for (const key of [...keysWith(SECRET_A), ...keysWith(SECRET_B)])
      assert.equal(stored.includes(key.value.slice(0, 16)), false, `${key.name} is not stored readable`);
    const one = (name: string, value: string) => fingerprintOf({ name, value, secret: true });
    assert.notEqual(one('CANDOR_SECRET', SECRET_A), one('CANDOR_SECRET', SECRET_B));
    assert.notEqual(one('CANDOR_SECRET', SECRET_A), one('SUPPRESSION_KEY', SECRET_A));
    assert.equal(one('CANDOR_SECRET', SECRET_A), one('CANDOR_SECRET', SECRET_A));
  });

  test('every command refuses to run with a key that differs, and says which; `candor keys adopt` accepts it', async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'candor-keys-')), mkdtempSync(join(tmpdir(), 'candor-keys-'))];
    const database = kind === 'postgres' ? await createWorkerDatabase('candor_keys') : undefined;
    try {
      const base = { DATA_DIR: dirs[0]!, ...(database ? { DATABASE_URL: database.url } : {}) };
      assert.equal(candor(['migrate'], { ...base, CANDOR_SECRET: SECRET_A }).code, 0);
      const refused = candor(['migrate'], { ...base, CANDOR_SECRET: SECRET_B });
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /CANDOR_SECRET differs from what the other processes of this database use/);
      assert.match(refused.stderr, /candor keys adopt/);
      assert.doesNotMatch(refused.stderr, /SUPPRESSION_KEY|ANALYTICS_KEY|LICENCE/, 'only the key that differs');
      assert.equal(candor(['keys', 'adopt'], { ...base, CANDOR_SECRET: SECRET_B }).code, 0);
      assert.equal(candor(['migrate'], { ...base, CANDOR_SECRET: SECRET_B }).code, 0);
      assert.equal(candor(['migrate'], { ...base, CANDOR_SECRET: SECRET_A }).code, 2);
      if (database) {
        // The trap of several machines: the same secret, but each process made its own key files in its DATA_DIR.
        const elsewhere = candor(['migrate'], { ...base, DATA_DIR: dirs[1]!, CANDOR_SECRET: SECRET_B });
        assert.equal(elsewhere.code, 2, elsewhere.stderr);
        assert.match(elsewhere.stderr, /SUPPRESSION_KEY, ANALYTICS_KEY, LICENCE_SIGNING_KEY_FILE differs/);
      }
    } finally {
      await database?.drop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});
