import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachDatabase, openBareDatabase, type BareDatabase } from '../../testing/harness.ts';
import { startServe } from '../../testing/serve.ts';
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

const RECORD = { record: true };
/** A one-off command that reads the database and ends at once: exit 1, no draw of that name (2 when refused). */
const ONE_OFF = ['competition', 'verify-draw', 'no-such-competition'];

const keysWith = (secret: string): InstanceKey[] => [
  { name: 'CANDOR_SECRET', value: secret, secret: true },
  { name: 'SUPPRESSION_KEY', value: 'suppression-key-0123456789abcdef0123456789', secret: true },
  { name: 'LICENCE_SIGNING_KEY_FILE', value: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n', secret: false },
];

/** `candor <args>` as its own process; its exit code and what it wrote to stderr. */
function candor(args: string[], env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['bin/candor.js', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describeEachDatabase('the keys every process must share', (kind) => {
  let h: BareDatabase<InstanceKeysTables>;
  before(async () => {
    h = await openBareDatabase<InstanceKeysTables>(kind, instanceKeysMigrations);
  });
  after(() => h.close());

  test('the first start records fingerprints; a later start with another key is named, until it is adopted', async () => {
    const first = h.clock.now();
    assert.deepEqual(await checkInstanceKeys(h.db, keysWith(SECRET_A), first, RECORD), []);
    h.clock.advance(60_000);
    assert.deepEqual(
      await checkInstanceKeys(h.db, keysWith(SECRET_A), h.clock.now(), RECORD),
      [],
      'the same keys pass',
    );
    // Only the key that differs is named, with when the other one was recorded.
    assert.deepEqual(await checkInstanceKeys(h.db, keysWith(SECRET_B), h.clock.now(), RECORD), [
      { name: 'CANDOR_SECRET', recordedAt: first },
    ]);
    // A key not recorded before (a new setting) is recorded by whoever starts first, and checked from then on.
    const more = [
      ...keysWith(SECRET_A),
      { name: 'ANALYTICS_KEY', value: 'analytics-key-0123456789abcdef01', secret: true },
    ];
    assert.deepEqual(await checkInstanceKeys(h.db, more, h.clock.now(), RECORD), []);

    assert.deepEqual(await adoptInstanceKeys(h.db, keysWith(SECRET_B), h.clock.now()), {
      changed: ['CANDOR_SECRET'],
      unchanged: ['SUPPRESSION_KEY', 'LICENCE_SIGNING_KEY_FILE'],
    });
    assert.deepEqual(await checkInstanceKeys(h.db, keysWith(SECRET_B), h.clock.now(), RECORD), []);
    assert.deepEqual(
      (await checkInstanceKeys(h.db, keysWith(SECRET_A), h.clock.now(), RECORD)).map((m) => m.name),
      ['CANDOR_SECRET'],
      'after adopting, the old key is refused',
    );
    assert.deepEqual(
      (await checkInstanceKeys(h.db, more, h.clock.now(), RECORD)).map((m) => m.name),
      ['CANDOR_SECRET'],
      'adopting replaces only the keys it names',
    );
  });

  test('a one-off command only compares: it never records a key', async () => {
    const newcomer = [{ name: 'NEW_KEY', value: 'new-key-0123456789abcdef0123456789ab', secret: true }];
    assert.deepEqual(await checkInstanceKeys(h.db, newcomer, h.clock.now(), { record: false }), []);
    const names = (await h.db.selectFrom('instance_keys').select('name').execute()).map((r) => r.name);
    assert.equal(names.includes('NEW_KEY'), false);
    assert.deepEqual(
      (await checkInstanceKeys(h.db, keysWith(SECRET_A), h.clock.now(), { record: false })).map((m) => m.name),
      ['CANDOR_SECRET'],
      'but it is refused like any process',
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

  test('every command but migrate refuses to run with a key that differs, and says which; `keys adopt` accepts it', async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'candor-keys-')), mkdtempSync(join(tmpdir(), 'candor-keys-'))];
    const database = kind === 'postgres' ? await createWorkerDatabase('candor_keys') : undefined;
    try {
      const base = { DATA_DIR: dirs[0]!, ...(database ? { DATABASE_URL: database.url } : {}) };
      // The first process that serves records its keys (a one-off command records nothing: the test above).
      const served = await startServe({ ...base, CANDOR_SECRET: SECRET_A }, { dataDir: dirs[0]! });
      await served.stop();
      const refused = candor(ONE_OFF, { ...base, CANDOR_SECRET: SECRET_B });
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /CANDOR_SECRET differs from what the other processes of this database use/);
      assert.match(refused.stderr, /candor keys adopt/);
      assert.doesNotMatch(
        refused.stderr,
        /SUPPRESSION_KEY,|ANALYTICS_KEY|LICENCE_SIGNING_KEY_FILE/,
        'only the key that differs',
      );
      assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace');
      // migrate uses no key: a release job may run it without the shop's keys.
      assert.equal(candor(['migrate'], { ...base, CANDOR_SECRET: SECRET_B }).code, 0);
      const adopted = candor(['keys', 'adopt'], { ...base, CANDOR_SECRET: SECRET_B });
      assert.equal(adopted.code, 0, adopted.stderr);
      assert.match(
        adopted.stdout,
        /Adopted this process's CANDOR_SECRET \(unchanged: SUPPRESSION_KEY, ANALYTICS_KEY\)/,
      );
      assert.equal(candor(ONE_OFF, { ...base, CANDOR_SECRET: SECRET_A }).code, 2, 'the old secret is refused now');
      // An unreadable licence key says so in one line, not with a stack trace.
      writeFileSync(join(dirs[0]!, 'licence-signing-key.pem'), 'not a key\n', { mode: 0o600 });
      const broken = candor(ONE_OFF, { ...base, CANDOR_SECRET: SECRET_B });
      assert.equal(broken.code, 2, broken.stderr);
      assert.match(broken.stderr, /LICENCE_SIGNING_KEY_FILE: the licence signing key cannot be read/);
      assert.doesNotMatch(broken.stderr, /\n\s+at /);
      if (database) {
        // The trap of several machines: the same secret, but each process made its own key files in its DATA_DIR.
        const elsewhere = candor(ONE_OFF, { ...base, DATA_DIR: dirs[1]!, CANDOR_SECRET: SECRET_B });
        assert.equal(elsewhere.code, 2, elsewhere.stderr);
        assert.match(elsewhere.stderr, /SUPPRESSION_KEY, ANALYTICS_KEY differ from/);
      }
    } finally {
      await database?.drop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});
