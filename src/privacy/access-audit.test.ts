// The access audit: appended through one function, readable, anonymised by erasure and deleted by retention,
// and no way through the module to change or remove a record.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY } from '../platform/clock.ts';
import { describeEachDatabase, openHarness } from '../testing/harness.ts';
import { signedIn, staffMember } from '../testing/factories.ts';
import * as audit from './access-audit.ts';
import * as auditQueries from './access-audit.queries.ts';
import { ACCESS_AUDIT_DAYS } from './privacy.data-map.ts';
import { runRetention } from './retention.ts';
import { eraseSubjectData } from './subject.ts';

const { readAccessAbout, readRecentAccess, recordAccess } = audit;

test('the module offers appending and reading only', () => {
  assert.deepEqual(Object.keys(audit).sort(), ['readAccessAbout', 'readRecentAccess', 'recordAccess']);
  for (const name of Object.keys(auditQueries)) assert.match(name, /^(insert|select)/, name);
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
        about.map((r) => ({ ...r, at: Number(r.at), id: typeof r.id })),
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
        { ...kept, at: undefined, id: undefined },
        {
          id: undefined,
          at: undefined,
          actor_user_id: staff.id,
          actor_role: 'staff',
          subject_user_id: null,
          what: 'order.view',
          why: 'order-fulfilment',
          path: null,
        },
      );
      h.clock.advance(ACCESS_AUDIT_DAYS * DAY - 1);
      await runRetention(h.deps);
      assert.equal((await readRecentAccess(h.deps)).length, 1);
      h.clock.advance(2);
      await runRetention(h.deps);
      assert.deepEqual(await readRecentAccess(h.deps), []);
    } finally {
      await h.close();
    }
  });
});
