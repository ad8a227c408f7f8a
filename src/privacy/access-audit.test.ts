// The access audit: appended through one function, readable, anonymised by erasure and deleted by retention,
// and no way through the module to change or remove a record.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY } from '../platform/clock.ts';
import { randomUUID } from 'node:crypto';
import type { Database } from '../database.ts';
import { migrate } from '../platform/db/migrate.ts';
import { describeEachDatabase, openBareDatabase, openHarness } from '../testing/harness.ts';
import { createAccessAudit } from './migrations/002-access-audit.ts';
import { chainAccessAudit } from './migrations/004-access-audit-chain.ts';
import { signedIn, staffMember } from '../testing/factories.ts';
import * as audit from './access-audit.ts';
import * as auditQueries from './access-audit.queries.ts';
import { ACCESS_AUDIT_DAYS } from './privacy.data-map.ts';
import { runRetention } from './retention.ts';
import { eraseSubjectData } from './subject.ts';

const { readAccessAbout, readRecentAccess, recordAccess, verifyAccessChain } = audit;

const plain = (r: audit.AccessAuditTable) => ({
  id: r.id,
  at: r.at,
  actor_user_id: r.actor_user_id,
  actor_role: r.actor_role,
  subject_user_id: r.subject_user_id,
  what: r.what,
  why: r.why,
  path: r.path,
});

test('the module offers appending and reading only', () => {
  assert.deepEqual(Object.keys(audit).sort(), [
    'accessPseudonym',
    'pseudonymiseAccessRecords',
    'readAccessAbout',
    'readRecentAccess',
    'recordAccess',
    'verifyAccessChain',
  ]);
  // Changing a row is only ever replacing the person's reference, which the hash does not cover.
  for (const name of Object.keys(auditQueries))
    assert.match(name, /^(insert|select|advanceAccessChain|pseudonymiseAuditSubject$)/, name);
});

describeEachDatabase('recordAccess', (db) => {
  test('records who looked at whose data, what, why and where, without the query', async () => {
    const h = await openHarness(db);
    try {
      const staff = await staffMember(h);
      const customer = await signedIn(h);
      const actor = { userId: staff.id, role: 'staff' as const };
      await recordAccess(h.deps, {
        actor,
        whose: { userId: customer.id },
        what: 'order.view',
        why: 'order-fulfilment',
        path: '/staff/orders/o-1?token=secret',
      });
      h.clock.advance(1000);
      await recordAccess(h.deps, {
        actor,
        whose: { email: customer.email.toUpperCase() },
        what: 'mail.view',
        why: 'customer-service',
        path: '/staff/mail/m-1',
      });
      await recordAccess(h.deps, {
        actor,
        whose: { email: 'nobody@example.org' },
        what: 'mail.view',
        why: 'customer-service',
        path: '/staff/mail/m-2',
      });
      await recordAccess(h.deps, {
        actor,
        whose: null,
        what: 'registrations.list',
        why: 'registration-review',
        path: '/staff/registrations',
      });
      const about = await readAccessAbout(h.deps, customer.id);
      assert.deepEqual(
        about.map((r) => ({ ...plain(r), at: Number(r.at), id: typeof r.id })),
        [
          {
            id: 'string',
            at: h.clock.now(),
            actor_user_id: staff.id,
            actor_role: 'staff',
            subject_user_id: customer.id,
            what: 'mail.view',
            why: 'customer-service',
            path: '/staff/mail/m-1',
          },
          {
            id: 'string',
            at: h.clock.now() - 1000,
            actor_user_id: staff.id,
            actor_role: 'staff',
            subject_user_id: customer.id,
            what: 'order.view',
            why: 'order-fulfilment',
            path: '/staff/orders/o-1',
          },
        ],
      );
      const recent = await readRecentAccess(h.deps);
      assert.equal(recent.length, 4);
      assert.equal(recent.filter((r) => r.subject_user_id === null).length, 2, 'an address without account and a list');
      await assert.rejects(
        recordAccess(h.deps, { actor: null, whose: null, what: 'mail.view', why: 'x', path: '/' }),
        /without a signed-in actor/,
      );
      await assert.rejects(
        recordAccess(h.deps, { actor, whose: null, what: 'Mail View', why: 'x', path: '/' }),
        /short codes/,
      );
    } finally {
      await h.close();
    }
  });

  test('the staff pages for the mail list, a mail and registration reviews record their views', async () => {
    const h = await openHarness(db);
    try {
      const staff = await staffMember(h);
      const customer = await signedIn(h);
      const mail = await h.deps.db
        .selectFrom('outbox')
        .select('id')
        .where('recipient', '=', customer.email)
        .executeTakeFirstOrThrow();
      assert.equal((await staff.b.get('/staff/mail?page=2')).statusCode, 200);
      assert.equal((await staff.b.get(`/staff/mail/${mail.id}?from=list`)).statusCode, 200);
      assert.equal((await staff.b.get('/staff/registrations')).statusCode, 200);
      assert.equal((await staff.b.get('/staff/registrations/reviews')).statusCode, 200);
      const rows = (await readRecentAccess(h.deps)).map((r) => [
        r.what,
        r.why,
        r.subject_user_id,
        r.path,
        r.actor_user_id,
      ]);
      // The mail list names whose mail it showed: the customer's and the staff member's own (their verification).
      assert.deepEqual(
        rows.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
        [
          ['mail.list', 'customer-service', customer.id, '/staff/mail', staff.id],
          ['mail.list', 'customer-service', staff.id, '/staff/mail', staff.id],
          ['mail.view', 'customer-service', customer.id, `/staff/mail/${mail.id}`, staff.id],
          ['registrations.list', 'registration-review', null, '/staff/registrations', staff.id],
          ['registrations.review-list', 'registration-review', null, '/staff/registrations/reviews', staff.id],
        ].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
      );
    } finally {
      await h.close();
    }
  });

  test('erasure keeps what staff did but not whom it was about; retention deletes records after two years', async () => {
    const h = await openHarness(db);
    try {
      const staff = await staffMember(h);
      const customer = await signedIn(h);
      const actor = { userId: staff.id, role: 'staff' as const };
      await recordAccess(h.deps, {
        actor,
        whose: { userId: customer.id },
        what: 'order.view',
        why: 'order-fulfilment',
        path: '/staff/orders/o-1',
      });
      await eraseSubjectData(h.deps, customer.email);
      assert.deepEqual(await readAccessAbout(h.deps, customer.id), []);
      const [kept] = await readRecentAccess(h.deps);
      assert.deepEqual(
        { ...plain(kept!), at: undefined, id: undefined },
        {
          id: undefined,
          at: undefined,
          actor_user_id: staff.id,
          actor_role: 'staff',
          subject_user_id: audit.accessPseudonym(h.deps.config.analyticsKey, customer.id),
          what: 'order.view',
          why: 'order-fulfilment',
          path: null,
        },
      );
      assert.equal(kept!.path_salt, null);
      assert.deepEqual((await verifyAccessChain(h.deps.db)).problems, [], 'erasure leaves the chain intact');
      h.clock.advance(ACCESS_AUDIT_DAYS * DAY - 1);
      await runRetention(h.deps);
      assert.equal((await readRecentAccess(h.deps)).length, 1);
      h.clock.advance(2);
      await recordAccess(h.deps, { actor, whose: null, what: 'order.list', why: 'order-fulfilment', path: '/x' });
      await runRetention(h.deps);
      const left = await readRecentAccess(h.deps);
      assert.deepEqual(
        left.map((r) => r.what),
        ['order.list'],
      );
      // The chain now starts later: retention deleted its start, and the verifier accepts that.
      const chain = await verifyAccessChain(h.deps.db);
      assert.deepEqual(
        { ok: chain.ok, records: chain.records, firstSeq: chain.firstSeq },
        {
          ok: true,
          records: 1,
          firstSeq: Number(left[0]!.seq),
        },
      );
      assert.ok(chain.firstSeq! > 1);
    } finally {
      await h.close();
    }
  });
});

describeEachDatabase('the access-audit hash chain', (db) => {
  test('each record follows the one before; editing, removing or reordering one is found', async () => {
    const h = await openHarness(db);
    try {
      const staff = await staffMember(h);
      const customer = await signedIn(h);
      const actor = { userId: staff.id, role: 'staff' as const };
      for (let i = 0; i < 3; i++)
        await recordAccess(h.deps, {
          actor,
          whose: { userIds: [customer.id, staff.id] },
          what: 'mail.list',
          why: 'customer-service',
          path: `/staff/mail/${i}`,
        });
      const intact = await verifyAccessChain(h.deps.db);
      assert.equal(intact.ok, true, intact.problems.join('\n'));
      const rows = await h.deps.db.selectFrom('access_audit').selectAll().orderBy('seq').execute();
      assert.deepEqual(
        rows.map((r) => Number(r.seq)),
        rows.map((_, i) => i + 1),
      );
      assert.equal(intact.records, rows.length);

      // The person's reference is outside the hash: changing it breaks nothing.
      await h.deps.db.updateTable('access_audit').set({ subject_user_id: 'someone' }).where('seq', '=', 2).execute();
      assert.equal((await verifyAccessChain(h.deps.db)).ok, true);

      await h.deps.db.updateTable('access_audit').set({ why: 'curiosity' }).where('seq', '=', 3).execute();
      assert.match((await verifyAccessChain(h.deps.db)).problems.join('\n'), /record #3 .* was altered/);
      await h.deps.db.updateTable('access_audit').set({ why: 'customer-service' }).where('seq', '=', 3).execute();

      await h.deps.db.updateTable('access_audit').set({ path: '/staff/other' }).where('seq', '=', 4).execute();
      assert.match((await verifyAccessChain(h.deps.db)).problems.join('\n'), /record #4 .* its path no longer matches/);
      await h.deps.db.updateTable('access_audit').set({ path: '/staff/mail/1' }).where('seq', '=', 4).execute();
      assert.equal((await verifyAccessChain(h.deps.db)).ok, true);

      await h.deps.db.deleteFrom('access_audit').where('seq', '=', 5).execute();
      assert.match((await verifyAccessChain(h.deps.db)).problems.join('\n'), /#5 to #5 are missing/);
      await h.deps.db.deleteFrom('access_audit').where('seq', '=', 6).execute();
      assert.match((await verifyAccessChain(h.deps.db)).problems.join('\n'), /newest records are missing/);
    } finally {
      await h.close();
    }
  });

  test('concurrent appends take turns: one unbroken chain', async () => {
    const h = await openHarness(db);
    try {
      const staff = await staffMember(h);
      const actor = { userId: staff.id, role: 'staff' as const };
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          recordAccess(h.deps, { actor, whose: null, what: 'order.list', why: 'order-fulfilment', path: `/p/${i}` }),
        ),
      );
      const chain = await verifyAccessChain(h.deps.db);
      assert.deepEqual(chain.problems, []);
      assert.equal(chain.records, 20);
    } finally {
      await h.close();
    }
  });
});

describeEachDatabase('the migration to the hash chain', (db) => {
  test('records written before the chain are chained in time order, and the chain verifies', async () => {
    const bare = await openBareDatabase<Database>(db, [createAccessAudit]);
    try {
      const old = (at: number, path: string | null) => ({
        id: randomUUID(),
        at,
        actor_user_id: 'staff-1',
        actor_role: 'staff',
        subject_user_id: null,
        what: 'order.view',
        why: 'order-fulfilment',
        path,
      });
      await bare.db
        .insertInto('access_audit')
        .values([old(3000, '/b'), old(1000, '/a'), old(2000, null)] as never)
        .execute();
      await migrate(bare.db, bare.dbKind, [createAccessAudit, chainAccessAudit], bare.clock.now());
      const rows = await bare.db.selectFrom('access_audit').selectAll().orderBy('seq').execute();
      assert.deepEqual(
        rows.map((r) => [Number(r.seq), Number(r.at), r.path]),
        [
          [1, 1000, '/a'],
          [2, 2000, null],
          [3, 3000, '/b'],
        ],
      );
      assert.deepEqual((await verifyAccessChain(bare.db)).problems, []);
      await bare.db.updateTable('access_audit').set({ at: 2500 }).where('seq', '=', 2).execute();
      assert.match((await verifyAccessChain(bare.db)).problems.join('\n'), /record #2 .* was altered/);
    } finally {
      await bare.close();
    }
  });
});
