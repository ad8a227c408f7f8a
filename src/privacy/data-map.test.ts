import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDataMap } from '../testing/app.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../testing/harness.ts';
import { findUnclassifiedColumns } from './classification.ts';
import { buildDataMap, partitionDay, partitionName } from './data-map.ts';

describeEachDatabase('data map classification', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true });
    // Make the usage log create its daily partitions, so they are checked too.
    await new Browser(h.app).get('/');
    await h.deps.usageLog.flush();
  });
  after(() => h.close());

  test('every column of every table is classified in the data map', async () => {
    assert.deepEqual(await findUnclassifiedColumns(h.deps.db, h.deps.dbKind, h.deps.dataMap), []);
  });

  test('a column or table added without classification makes the check fail', async () => {
    const scratch = await openHarness(db);
    try {
      await scratch.deps.db.schema.alterTable('users').addColumn('shoe_size', 'integer').execute();
      await scratch.deps.db.schema
        .createTable('scratch_notes')
        .addColumn('id', 'integer')
        .addColumn('note', 'text')
        .execute();
      const missing = await findUnclassifiedColumns(scratch.deps.db, scratch.deps.dbKind, scratch.deps.dataMap);
      assert.deepEqual(missing.sort(), ['scratch_notes (whole table)', 'users.shoe_size']);
    } finally {
      await scratch.close();
    }
  });
});

test('the data map refuses personal tables without a subject link or erasure rule', () => {
  const activity = {
    id: 'x.a',
    name: { en: 'a', de: 'a' },
    purpose: { en: 'p', de: 'p' },
    legalBasis: 'contract' as const,
    subjects: { en: 's', de: 's' },
    recipients: [],
  };
  assert.throws(
    () =>
      buildDataMap([
        {
          activities: [activity],
          tables: [
            { table: 't', activity: 'x.a', subject: null, columns: { email: 'contact' }, erasure: null, retention: [] },
          ],
        },
      ]),
    /holds personal data but says not whom/,
  );
  assert.throws(
    () =>
      buildDataMap([
        {
          activities: [activity],
          tables: [
            {
              table: 't',
              activity: 'x.a',
              subject: { via: 'email', column: 'email' },
              columns: { email: 'contact' },
              erasure: null,
              retention: [],
            },
          ],
        },
      ]),
    /no erasure rule/,
  );
  assert.throws(
    () =>
      buildDataMap([
        {
          activities: [activity],
          tables: [
            {
              table: 't',
              activity: 'x.missing',
              subject: null,
              columns: { id: 'not-personal' },
              erasure: null,
              retention: [],
            },
          ],
        },
      ]),
    /unknown activity/,
  );
  // Processing based on consent must say which cookie-banner category the visitor decides it under.
  assert.throws(
    () => buildDataMap([{ activities: [{ ...activity, legalBasis: 'consent' }], tables: [] }]),
    /based on consent but names no consent category/,
  );
  assert.doesNotThrow(() =>
    buildDataMap([{ activities: [{ ...activity, legalBasis: 'consent', consentCategory: 'statistics' }], tables: [] }]),
  );
});

test('daily partitions resolve to their table in the map', () => {
  const map = createDataMap();
  const name = partitionName('usage_ip', Date.parse('2026-11-29T23:59:59Z'));
  assert.equal(name, 'usage_ip_d20261129');
  assert.equal(partitionDay('usage_ip', name), '20261129');
  assert.equal(map.tableFor(name)?.table, 'usage_ip');
  assert.equal(map.tableFor('usage_ipx_d20261129'), undefined);
});

test('the data map refuses a personal table that says not how long it is kept, and a period without its basis', () => {
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
    columns: { user_id: 'account' as const, at: 'usage' as const },
    erasure: { action: 'delete' as const },
  };
  const rule = {
    id: 'x.delete-rows',
    what: { en: 'Rows', de: 'Zeilen' },
    after: { days: 30 },
    from: 'at',
    fromEvent: { en: 'their creation', de: 'ihrer Erstellung' },
    basis: { en: 'a reason', de: 'ein Grund' },
    action: { kind: 'delete' as const },
  };
  const build = (t: object) => () => buildDataMap([{ activities: [activity], tables: [{ ...table, ...t } as never] }]);
  // Neither a rule nor a statement of until when: refused.
  assert.throws(build({ retention: [] }), /t holds personal data but has no retention rule and says not until when/);
  assert.throws(build({ retention: [], keptUntil: { en: ' ', de: '' } }), /says in empty words until when/);
  // A period without its statute or reason, in either language: refused.
  assert.throws(
    build({ retention: [{ ...rule, basis: { en: '', de: '' } }] }),
    /x\.delete-rows names no statute or reason/,
  );
  assert.throws(build({ retention: [{ ...rule, basis: { en: 'a reason', de: ' ' } }] }), /names no statute or reason/);
  // A column withheld from the export must exist.
  const because = { en: 'it concerns someone else', de: 'sie betrifft jemand anderen' };
  assert.throws(
    build({ retention: [rule], withheldFromExport: { columns: ['reason'], because } }),
    /table t withholds unknown column reason from the export/,
  );
  assert.doesNotThrow(build({ retention: [rule], withheldFromExport: { columns: ['at'], because } }));
  // Either a rule with its basis or a statement is enough.
  assert.doesNotThrow(build({ retention: [rule] }));
  assert.doesNotThrow(build({ retention: [], keptUntil: { en: 'Until erased.', de: 'Bis zur Löschung.' } }));
  // A table without personal data needs neither.
  assert.doesNotThrow(build({ subject: null, columns: { id: 'not-personal' }, erasure: null, retention: [] }));
  // The same holds for the rules of file sets.
  assert.throws(
    () =>
      buildDataMap([
        {
          activities: [activity],
          tables: [{ ...table, retention: [rule] }],
          files: [
            {
              id: 'x.files',
              directory: 'x',
              names: /^(.+)\.json$/,
              activity: 'x.a',
              contents: ['address'],
              subject: { table: 't', keyColumn: 'user_id' },
              erasure: { action: 'delete' },
              retention: [
                {
                  id: 'x.delete-files',
                  what: rule.what,
                  after: rule.after,
                  fromEvent: rule.fromEvent,
                  basis: { en: '', de: '' },
                },
              ],
            },
          ],
        },
      ]),
    /x\.delete-files names no statute or reason/,
  );
});
