import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { features } from '../testing/app.ts';
import { DAY } from '../platform/clock.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../testing/harness.ts';
import { buildDataMap } from './data-map.ts';
import { runFileRetention } from './files.ts';
import { runRetention } from './retention.ts';

const MINUTE = 60_000;

describeEachDatabase('files of the mail sink', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true, mailer: 'file' });
  });
  after(() => h.close());

  test('a mail file of the file sink is kept 7 days after sending and then deleted, while its outbox row stays', async () => {
    await new Browser(h.app).api('POST', '/api/v1/accounts', {
      name: 'Mia Mailfile',
      email: 'mia.mailfile@example.org',
      password: 'indigo lantern meadow',
    });
    const deliver = features.flatMap((f) => f.jobs ?? []).find((j) => j.name === 'mail.deliver-outbox')!;
    await deliver.run(h.deps);
    const dir = join(h.dataDir, 'mail');
    const sent = readdirSync(dir);
    assert.ok(sent.length >= 1);
    const at = h.clock.now();
    h.clock.set(at + 7 * DAY - MINUTE);
    await runRetention(h.deps);
    assert.deepEqual(readdirSync(dir), sent, 'kept for 7 days');
    h.clock.set(at + 7 * DAY + 1);
    await runRetention(h.deps);
    assert.deepEqual(readdirSync(dir), [], 'gone after 7 days');
    const rows = await h.deps.db
      .selectFrom('outbox')
      .select('id')
      .where(
        'id',
        'in',
        sent.map((f) => f.slice(0, -4)),
      )
      .execute();
    assert.equal(rows.length, sent.length, 'the outbox rows keep their own 30 days');
  });
});

describeEachDatabase('file retention running twice at once', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true, mailer: 'file' });
  });
  after(() => h.close());

  test('two file retention runs at once (the worker and the CLI) both finish, and each file is counted once', async () => {
    await new Browser(h.app).api('POST', '/api/v1/accounts', {
      name: 'Rio Race',
      email: 'rio.race@example.org',
      password: 'indigo lantern meadow',
    });
    const deliver = features.flatMap((f) => f.jobs ?? []).find((j) => j.name === 'mail.deliver-outbox')!;
    await deliver.run(h.deps);
    const dir = join(h.dataDir, 'mail');
    const sent = readdirSync(dir);
    assert.ok(sent.length >= 1);
    // The rows are gone (erased meanwhile): both runs list the files, then both delete them.
    await h.deps.db
      .deleteFrom('outbox')
      .where(
        'id',
        'in',
        sent.map((f) => f.slice(0, -4)),
      )
      .execute();
    const run = () => runFileRetention({ db: h.deps.db, clock: h.clock, dataMap: h.deps.dataMap, dataDir: h.dataDir });
    const [first, second] = await Promise.all([run(), run()]);
    assert.deepEqual(readdirSync(dir), []);
    const removed = (outcomes: typeof first) =>
      outcomes.filter((o) => o.set === 'mail.sink-files').reduce((n, o) => n + o.files, 0);
    assert.equal(removed(first) + removed(second), sent.length);
  });
});

test('a file set that holds personal data must say whom each file is about, how long it is kept and what erasure does', () => {
  const activity = {
    id: 'x.a',
    name: { en: 'a', de: 'a' },
    purpose: { en: 'p', de: 'p' },
    legalBasis: 'contract' as const,
    subjects: { en: 's', de: 's' },
    recipients: [],
  };
  const table = {
    table: 't',
    activity: 'x.a',
    subject: { via: 'user-id' as const, column: 'user_id' },
    columns: { id: 'not-personal' as const, user_id: 'account' as const },
    erasure: { action: 'delete' as const },
    retention: [],
    keptUntil: { en: 'Until erased.', de: 'Bis zur Löschung.' },
  };
  const files = {
    id: 'x.files',
    directory: 'x',
    names: /^(.+)\.json$/,
    activity: 'x.a',
    contents: ['address' as const],
    erasure: { action: 'delete' as const },
  };
  assert.throws(
    () =>
      buildDataMap([{ activities: [activity], tables: [table], files: [{ ...files, subject: null, retention: [] }] }]),
    /says not whom it is about/,
  );
  assert.throws(
    () =>
      buildDataMap([
        {
          activities: [activity],
          tables: [table],
          files: [{ ...files, subject: { table: 't', keyColumn: 'id' }, retention: [] }],
        },
      ]),
    /no retention rule/,
  );
  assert.throws(
    () =>
      buildDataMap([
        {
          activities: [activity],
          tables: [table],
          files: [{ ...files, subject: { table: 'nope', keyColumn: 'id' }, retention: [] }],
        },
      ]),
    /not a table linked to a person/,
  );
  const rule = {
    id: 'x.delete-files',
    what: { en: 'w', de: 'w' },
    after: { days: 1 },
    fromEvent: { en: 'e', de: 'e' },
    basis: { en: 'b', de: 'b' },
  };
  assert.doesNotThrow(() =>
    buildDataMap([
      {
        activities: [activity],
        tables: [table],
        files: [{ ...files, subject: { table: 't', keyColumn: 'id' }, retention: [rule] }],
      },
    ]),
  );
});
