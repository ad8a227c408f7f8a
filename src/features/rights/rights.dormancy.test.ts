// Issue 16, "Done when" 6 (policy 9c): a dormant account, moved past its period with the clock, gets its notice and
// is erased 30 days later by the job and the request runner; one that signs in meanwhile is kept; one that holds a
// licence gets the export notice (once) and is kept. Staff accounts are never touched.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY } from '../../platform/clock.ts';
import { deliverMail, placeOrder, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, START, type Harness } from '../../testing/harness.ts';
import { DORMANCY_NOTICE_DAYS, runDormancy, yearsBefore } from './rights.dormancy.ts';
import { runDueRequests } from './rights.engine.ts';
import { runnerOf } from './rights.steps.ts';

const ERASURE_NOTICE =
  /^(Your account will be erased unless you sign in|Ihr Kundenkonto wird gelöscht, wenn Sie sich nicht anmelden)$/;
const EXPORT_NOTICE = /^(Your account has not been used for a long time|Ihr Kundenkonto ist seit Langem ungenutzt)$/;

describeEachDatabase(
  'dormant accounts are told, then erased unless used; licence holders are offered the export',
  (db) => {
    let h: Harness;
    let dormant: Account;
    let signer: Account;
    let holder: Account;
    let staff: Account;
    /** After the dormancy period (3 years by default) from the accounts' last use. */
    const DORMANT_AT = yearsBefore(START, -3) + DAY;

    const noticesTo = (email: string, subject: RegExp) => h.mailer.to(email).filter((m) => subject.test(m.subject));
    const userExists = async (id: string) =>
      (await h.deps.db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    const noticeRows = async (id: string) =>
      h.deps.db.selectFrom('dormancy_notices').selectAll().where('user_id', '=', id).execute();

    before(async () => {
      h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
      h.clock.set(START);
      dormant = await signedIn(h, { name: 'Dora Dormant' });
      // An order: the erasure keeps it for the statutory period, so the notice must list it.
      await placeOrder(h, dormant.b, ['driftwood-reverb']);
      // Withdrawn from: the licence no longer counts as held.
      await h.deps.db.updateTable('licences').set({ revoked_at: START }).where('user_id', '=', dormant.id).execute();
      signer = await signedIn(h, { name: 'Sina Signer' });
      holder = await signedIn(h, { name: 'Hanna Holder' });
      // A plug-in: the order issues its licence key.
      await placeOrder(h, holder.b, ['driftwood-reverb']);
      const licences = await h.deps.db.selectFrom('licences').select('id').where('user_id', '=', holder.id).execute();
      assert.ok(licences.length > 0, 'the holder holds a licence');
      await h.deps.db.updateTable('users').set({ lang: 'de' }).where('id', '=', holder.id).execute();
      staff = await staffMember(h);
      await deliverMail(h);
    });
    after(() => h.close());

    test('nothing happens before the period has passed', async () => {
      h.clock.set(DORMANT_AT - 2 * DAY);
      const outcome = await runDormancy(h.deps);
      assert.deepEqual(outcome, { cleared: 0, erasureNotices: 0, exportNotices: 0, erasures: 0 });
    });

    test('after the period: a notice in their language, then erasure 30 days later unless they signed in', async () => {
      h.clock.set(DORMANT_AT);
      const first = await runDormancy(h.deps);
      await deliverMail(h);
      assert.ok(first.erasureNotices >= 2 && first.exportNotices >= 1, JSON.stringify(first));
      const notice = noticesTo(dormant.email, ERASURE_NOTICE);
      assert.equal(notice.length, 1, 'the dormant account got its notice');
      assert.match(notice[0]!.text, /will erase your account and your data on/);
      assert.match(notice[0]!.text, /What we keep/, 'what statutory retention keeps is listed');
      assert.match(notice[0]!.text, /\/account\/login/);
      assert.equal(noticesTo(signer.email, ERASURE_NOTICE).length, 1);
      assert.equal(noticesTo(staff.email, ERASURE_NOTICE).length, 0, 'staff accounts are never dormant accounts');
      assert.equal(noticesTo(staff.email, EXPORT_NOTICE).length, 0);

      // The licence holder: told in German, offered the export, never threatened with erasure.
      const offer = noticesTo(holder.email, EXPORT_NOTICE);
      assert.equal(offer.length, 1);
      assert.equal(offer[0]!.subject, 'Ihr Kundenkonto ist seit Langem ungenutzt');
      assert.match(offer[0]!.text, /Kopie Ihrer Daten/);
      assert.equal(noticesTo(holder.email, ERASURE_NOTICE).length, 0);

      // A second run the same day sends nothing again.
      assert.deepEqual(await runDormancy(h.deps), { cleared: 0, erasureNotices: 0, exportNotices: 0, erasures: 0 });

      // The signer signs in ten days later: their notice, and with it the pending erasure, is gone.
      h.clock.set(DORMANT_AT + 10 * DAY);
      const again = new Browser(h.app);
      const session = await again.api('POST', '/api/v1/sessions', { email: signer.email, password: signer.password });
      assert.equal(session.statusCode, 201, session.body);
      const cleared = await runDormancy(h.deps);
      assert.equal(cleared.cleared, 1);
      assert.deepEqual(await noticeRows(signer.id), []);

      // A day before the end nothing is erased yet.
      h.clock.set(DORMANT_AT + (DORMANCY_NOTICE_DAYS - 1) * DAY);
      assert.equal((await runDormancy(h.deps)).erasures, 0);

      // 30 days after the notice: the job opens the erasure, the worker's runner carries it out.
      h.clock.set(DORMANT_AT + DORMANCY_NOTICE_DAYS * DAY + 60_000);
      const due = await runDormancy(h.deps);
      assert.equal(due.erasures, 1, JSON.stringify(due));
      const request = await h.deps.db
        .selectFrom('privacy_requests')
        .selectAll()
        .where('subject', '=', dormant.id)
        .executeTakeFirstOrThrow();
      assert.equal(request.kind, 'erasure');
      assert.equal(request.channel, 'system');
      await runDueRequests(runnerOf(h.deps));
      assert.equal(
        (
          await h.deps.db
            .selectFrom('privacy_requests')
            .select('state')
            .where('id', '=', request.id)
            .executeTakeFirstOrThrow()
        ).state,
        'done',
      );
      assert.equal(await userExists(dormant.id), false, 'the dormant account is erased');
      for (const table of ['sessions', 'dormancy_notices'] as const)
        assert.deepEqual(
          await h.deps.db.selectFrom(table).select('user_id').where('user_id', '=', dormant.id).execute(),
          [],
          table,
        );
      const login = await new Browser(h.app).api('POST', '/api/v1/sessions', {
        email: dormant.email,
        password: dormant.password,
      });
      assert.notEqual(login.statusCode, 201, 'the erased person cannot sign in');
      await deliverMail(h);
      assert.ok(
        h.mailer.to(dormant.email).some((m) => /erased/.test(m.subject)),
        'the erasure was confirmed by mail',
      );

      // The one who signed in and the licence holder are kept; the holder is not told twice.
      assert.equal(await userExists(signer.id), true);
      assert.equal(await userExists(holder.id), true);
      assert.equal(noticesTo(holder.email, EXPORT_NOTICE).length, 1, 'the export notice goes once per dormancy period');
      assert.equal(
        (
          await h.deps.db
            .selectFrom('privacy_requests')
            .select('id')
            .where('subject', 'in', [signer.id, holder.id])
            .execute()
        ).length,
        0,
        'no erasure was opened for them',
      );
    });
  },
);
