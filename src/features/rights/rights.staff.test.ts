// The DPO console (issue 16, "Done when" 4 part one): a deadline moves when extended with a reason and the mail goes
// out over SMTP; a bad extension changes nothing; only the DPO and administrators get in; every action adds its
// history line; disclosures to authorities are shown to the person unless confidential, until the date passes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY } from '../../platform/clock.ts';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import { formatDay } from '../../platform/i18n.ts';
import { deliverDueMail } from '../mail/index.ts';
import { asRole, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { disclosuresShownTo } from './rights.disclosures.ts';
import { deadlineOf } from './rights.model.ts';
import { updateRequest } from './rights.queries.ts';
import { openRequest, type OpenRequest } from './rights.service.ts';

const NOW = Date.parse('2026-11-29T10:00:00Z');

describeEachDatabase('the DPO console', (db) => {
  let h: Harness;
  let smtp: TestSmtpServer;
  let dpo: Account;
  let person: Account;
  let ips = 0;

  before(async () => {
    smtp = await new TestSmtpServer().start();
    h = await openHarness(db);
    h.clock.set(NOW);
    dpo = await asRole(h, await signedIn(h, { name: 'Dana DPO' }), 'dpo');
    person = await signedIn(h, { name: 'Petra Person', ip: `198.51.100.${++ips}` });
  });
  after(async () => {
    await h.close();
    await smtp.stop();
  });

  async function open(kind: OpenRequest['kind'], o: Partial<OpenRequest> = {}) {
    const { request } = await openRequest(h.deps, {
      kind,
      userId: person.id,
      email: person.email,
      lang: 'de',
      channel: 'account',
      verified: true,
      ...o,
    });
    return request;
  }
  const row = (id: string) =>
    h.deps.db.selectFrom('privacy_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const events = async (id: string) =>
    (
      await h.deps.db
        .selectFrom('privacy_request_events')
        .select(['what', 'note', 'actor', 'actor_user_id'])
        .where('request_id', '=', id)
        .orderBy('at')
        .orderBy('id')
        .execute()
    ).map((e) => ({ ...e }));
  const outboxCount = async () =>
    Number(
      (
        await h.deps.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const page = (id: string) => `/staff/privacy/requests/${id}`;
  const act = (id: string, action: string, fields: Record<string, string> = {}, who: Account = dpo) =>
    who.b.submit(page(id), `${page(id)}/${action}`, fields);
  /** Delivers the outbox through a real SMTP server, as the worker would. */
  async function deliverOverSmtp() {
    const mailer = createSmtpMailer(smtp.url, 'test.example');
    try {
      await deliverDueMail({
        db: h.deps.db,
        clock: h.clock,
        mailer,
        log: h.deps.log,
        from: 'shop@test',
        secret: h.deps.config.secret,
      });
    } finally {
      await mailer.close();
    }
  }

  test('an extension with a reason within the first month moves the deadline and mails the person the new date and the reason', async () => {
    person = await signedIn(h, { name: 'Petra Person', ip: `198.51.100.${++ips}` });
    // Received ten days ago (staff sessions are short-lived, so the clock goes back for the request, not forward).
    const received = NOW - 10 * DAY;
    h.clock.set(received);
    const r = await open('erasure');
    assert.equal(r.due_at, deadlineOf(received, false));
    h.clock.set(NOW);
    const res = await act(r.id, 'extend', { reason: 'Sehr viele Datensätze in drei Systemen' });
    assert.equal(res.statusCode, 303, res.body);
    const after = await row(r.id);
    assert.equal(after.due_at, deadlineOf(received, true));
    assert.equal(after.due_at, Date.parse('2027-02-19T10:00:00Z'), 'three calendar months after receipt');
    assert.equal(after.extended_at, NOW);
    assert.equal(after.extension_reason, 'Sehr viele Datensätze in drei Systemen');
    const history = await events(r.id);
    assert.deepEqual(history.at(-1), {
      what: 'extended',
      note: 'Sehr viele Datensätze in drei Systemen',
      actor: 'staff',
      actor_user_id: dpo.id,
    });
    // The page shows the new deadline and the history line with who did it.
    const shown = (await dpo.b.get(page(r.id))).body;
    assert.match(shown, /<tr data-event="extended">.*Dana DPO \(dpo\).*Deadline extended.*Sehr viele Datensätze/);
    // The mail, in the person's language, arrives at a real SMTP server.
    await deliverOverSmtp();
    const mail = smtp.received.find((m) => m.envelopeTo.includes(person.email));
    assert.ok(mail, 'the extension mail arrived over SMTP');
    assert.equal(mail.parsed.subject, 'Ihre Datenschutzanfrage: neue Frist');
    const text = mail.parsed.text ?? '';
    assert.ok(text.includes(formatDay('de', after.due_at, h.deps.config.operator.timeZone)), text);
    assert.ok(text.includes('Sehr viele Datensätze in drei Systemen'), text);
  });

  test('an extension without a reason, after the first month, or a second time is refused (400 in the staff member’s language) and changes nothing', async () => {
    person = await signedIn(h, { name: 'Petra Person', ip: `198.51.100.${++ips}` });
    h.clock.set(NOW - 35 * DAY);
    const late = await open('rectification', { lang: 'en' });
    h.clock.set(NOW - 5 * DAY);
    const r = await open('export', { lang: 'en' });
    h.clock.set(NOW);
    const snapshot = async (id = r.id) => ({
      row: await row(id),
      events: await events(id),
      outbox: await outboxCount(),
    });

    const before0 = await snapshot();
    const noReason = await act(r.id, 'extend', { reason: '   ' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Give the reason\./);
    const german = await dpo.b.post(
      `${page(r.id)}/extend`,
      { _csrf: /name="_csrf" value="([^"]+)"/.exec((await dpo.b.get(page(r.id))).body)![1]!, reason: '' },
      { 'accept-language': 'de' },
    );
    assert.equal(german.statusCode, 400);
    assert.match(german.body, /Geben Sie den Grund an\./);
    assert.deepEqual(await snapshot(), before0);

    // After the first month (received 35 days ago): refused.
    const beforeLate = await snapshot(late.id);
    const tooLate = await act(late.id, 'extend', { reason: 'Too late now' });
    assert.equal(tooLate.statusCode, 400);
    assert.match(tooLate.body, /only be extended within the first month/);
    assert.deepEqual(await snapshot(late.id), beforeLate);

    // Once within the month: allowed; a second time: refused, nothing changes.
    assert.equal((await act(r.id, 'extend', { reason: 'Complex' })).statusCode, 303);
    const before1 = await snapshot();
    const again = await act(r.id, 'extend', { reason: 'Even more complex' });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /already been extended once/);
    assert.deepEqual(await snapshot(), before1);
  });

  test('only the DPO and administrators get into the console; staff and customers get 403', async () => {
    person = await signedIn(h, { name: 'Petra Person', ip: `198.51.100.${++ips}` });
    h.clock.set(NOW);
    const r = await open('rectification');
    const staff = await staffMember(h);
    const admin = await asRole(h, await signedIn(h, { name: 'Adam Admin' }), 'admin');
    for (const url of ['/staff/privacy', page(r.id), '/staff/privacy/disclosures']) {
      assert.equal((await staff.b.get(url)).statusCode, 403, `staff ${url}`);
      assert.equal((await person.b.get(url)).statusCode, 403, `customer ${url}`);
      assert.equal((await dpo.b.get(url)).statusCode, 200, `dpo ${url}`);
      assert.equal((await admin.b.get(url)).statusCode, 200, `admin ${url}`);
    }
    const before = await events(r.id);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await staff.b.get('/staff/support')).body)?.[1] ?? '';
    const posted = await staff.b.post(`${page(r.id)}/refuse`, { _csrf: csrf, reason: 'no' });
    assert.equal(posted.statusCode, 403);
    assert.deepEqual(await events(r.id), before);
    // An administrator may act.
    assert.equal((await act(r.id, 'ask-identity', {}, admin)).statusCode, 303);
  });

  test('every view of a request is recorded in the access audit', async () => {
    person = await signedIn(h, { name: 'Petra Person', ip: `198.51.100.${++ips}` });
    h.clock.set(NOW);
    const r = await open('access');
    await dpo.b.get(page(r.id));
    const rows = await h.deps.db
      .selectFrom('access_audit')
      .selectAll()
      .where('what', '=', 'privacy.request')
      .where('subject_user_id', '=', person.id)
      .where('actor_user_id', '=', dpo.id)
      .execute();
    assert.ok(rows.length >= 1);
  });

  test('each action adds its history line and changes the state as it says', async () => {
    person = await signedIn(h, { name: 'Petra Person', ip: `198.51.100.${++ips}` });
    h.clock.set(NOW);
    // Identity check asked, then marked checked; waiting, resumed.
    const rect = await open('rectification');
    assert.equal((await act(rect.id, 'ask-identity', { note: 'Passport copy' })).statusCode, 303);
    assert.equal((await row(rect.id)).identity_check, 1);
    assert.equal((await act(rect.id, 'ask-identity')).statusCode, 400, 'not twice');
    assert.equal((await act(rect.id, 'identity-checked')).statusCode, 303);
    assert.equal((await row(rect.id)).identity_checked_at, NOW);
    assert.equal((await act(rect.id, 'wait', { note: 'Asked for the new address' })).statusCode, 303);
    assert.equal((await row(rect.id)).state, 'waiting');
    assert.equal((await act(rect.id, 'resume')).statusCode, 303);
    assert.equal((await row(rect.id)).state, 'received');
    // A rectification closes only with a note of what was corrected.
    assert.equal((await act(rect.id, 'rectified', { note: '' })).statusCode, 400);
    assert.equal((await act(rect.id, 'rectified', { note: 'Street name corrected' })).statusCode, 303);
    assert.equal((await row(rect.id)).state, 'done');
    assert.deepEqual(
      (await events(rect.id)).map((e) => [e.what, e.note]),
      [
        ['received', null],
        ['identity-requested', 'Passport copy'],
        ['identity-checked', null],
        ['waiting', 'Asked for the new address'],
        ['resumed', null],
        ['rectified', 'Street name corrected'],
      ],
    );
    assert.equal((await act(rect.id, 'refuse', { reason: 'x' })).statusCode, 400, 'a closed request takes no action');

    // Run now: an automated request waiting after failures goes back to in progress with no attempts.
    const exp = await open('export');
    await updateRequest(h.deps.db, exp.id, { state: 'waiting', attempts: 5 });
    assert.equal((await act(exp.id, 'run-now')).statusCode, 303);
    const ran = await row(exp.id);
    assert.deepEqual([ran.state, ran.attempts], ['in-progress', 0]);
    assert.equal((await events(exp.id)).at(-1)?.what, 'run-now');

    // Refusal: state, reason, history line and a mail naming the supervisory authority.
    const era = await open('erasure', { email: person.email });
    const refused = await act(era.id, 'refuse', { reason: 'Laufende Rechtsstreitigkeit' });
    assert.equal(refused.statusCode, 303);
    const rr = await row(era.id);
    assert.deepEqual([rr.state, rr.refusal_reason], ['refused', 'Laufende Rechtsstreitigkeit']);
    assert.deepEqual((await events(era.id)).at(-1), {
      what: 'refused',
      note: 'Laufende Rechtsstreitigkeit',
      actor: 'staff',
      actor_user_id: dpo.id,
    });
    const mail = await h.deps.db
      .selectFrom('outbox')
      .select(['body', 'subject'])
      .where('recipient', '=', person.email)
      .where('template', '=', 'privacy-request-refused')
      .executeTakeFirstOrThrow();
    assert.ok(mail.body.includes(h.deps.config.operator.supervisoryAuthority.name));
    assert.ok(mail.body.includes('Laufende Rechtsstreitigkeit'));

    // A restriction granted with an end: the person is restricted until then.
    const res = await open('restriction', { detail: { ground: 'accuracy' } });
    assert.equal((await act(res.id, 'grant-restriction', { until: '2026-11-01' })).statusCode, 400, 'a past end');
    assert.equal((await row(res.id)).state, 'received');
    assert.equal((await act(res.id, 'grant-restriction', { until: '2027-01-31' })).statusCode, 303);
    assert.equal((await row(res.id)).state, 'done');
    assert.deepEqual((await events(res.id)).map((e) => [e.what, e.note]).at(-1), ['restriction-granted', '2027-01-31']);
    const restrictions = await h.deps.db
      .selectFrom('processing_objections')
      .selectAll()
      .where('user_id', '=', person.id)
      .where('kind', '=', 'restriction')
      .execute();
    assert.ok(restrictions.length > 0, 'the restriction is recorded for the objectable activities');

    // An objection to a named activity is recorded.
    const activity = h.deps.dataMap.activities.find((a) => a.objectable)!.id;
    const obj = await open('objection', { detail: { activity } });
    assert.equal((await act(obj.id, 'record-objection')).statusCode, 303);
    assert.deepEqual((await events(obj.id)).map((e) => [e.what, e.note]).at(-1), ['objection-recorded', activity]);
    const objection = await h.deps.db
      .selectFrom('processing_objections')
      .selectAll()
      .where('user_id', '=', person.id)
      .where('activity', '=', activity)
      .where('kind', '=', 'objection')
      .executeTakeFirst();
    assert.ok(objection);
    // The wrong action for the kind changes nothing.
    const other = await open('access');
    assert.equal((await act(other.id, 'record-objection')).statusCode, 400);
    assert.equal((await events(other.id)).length, 1);
  });

  test('the list shows each request with its deadline, overdue ones marked, duplicates marked, filters and the chart', async () => {
    person = await signedIn(h, { name: 'Petra Person', ip: `198.51.100.${++ips}` });
    h.clock.set(NOW - 40 * DAY);
    const old = await open('rectification', { email: person.email });
    h.clock.set(NOW);
    const list = (await dpo.b.get('/staff/privacy?overdue=1')).body;
    assert.match(list, new RegExp(`data-request="${old.id}".*class="overdue"`));
    assert.match(list, /overdue by 9 days/);
    const first = await open('access');
    const repeat = await open('access');
    assert.equal(repeat.duplicate_of, first.id);
    const all = (await dpo.b.get('/staff/privacy?kind=access')).body;
    assert.match(all, new RegExp(`data-request="${repeat.id}".*repeats an earlier request`));
    assert.doesNotMatch(all, new RegExp(`data-request="${old.id}"`), 'filtered by kind');
    assert.match(all, /<svg viewBox="0 0 640 220" role="img" aria-labelledby="privacy-chart-title privacy-chart-desc"/);
    const german = (await dpo.b.get('/staff/privacy', { 'accept-language': 'de' })).body;
    assert.match(german, /<h1>Datenschutzanfragen<\/h1>/);
    // The staff home counts the open requests and the overdue ones.
    const home = (await dpo.b.get('/staff')).body;
    assert.match(
      home,
      /<span class="figure-value">\d+<\/span> <span class="figure-label"><a href="\/staff\/privacy">Open privacy requests<\/a><\/span> <span class="figure-note">\d+ overdue<\/span>/,
    );
    assert.equal((await dpo.b.get('/staff/privacy?state=nonsense')).statusCode, 400);
    assert.equal((await dpo.b.get('/staff/privacy?after=broken')).statusCode, 400);
  });

  test('a disclosure is shown to the person unless confidential until a future date, and after that date', async () => {
    person = await signedIn(h, { name: 'Petra Person', ip: `198.51.100.${++ips}` });
    h.clock.set(NOW);
    const fields = {
      email: person.email,
      authority: 'Staatsanwaltschaft Berlin',
      legalBasis: '§ 95 StPO',
      reference: '231 Js 1234/26',
      date: '2026-11-20',
      categories: 'contact',
    };
    const bad = await dpo.b.submit('/staff/privacy/disclosures', '/staff/privacy/disclosures', {
      ...fields,
      authority: '',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Name the authority\./);
    assert.equal((await disclosuresShownTo(h.deps, person.id, person.email)).length, 0);

    const open1 = await dpo.b.submit('/staff/privacy/disclosures', '/staff/privacy/disclosures', fields);
    assert.equal(open1.statusCode, 303, open1.body);
    const secret = await dpo.b.submit('/staff/privacy/disclosures', '/staff/privacy/disclosures', {
      ...fields,
      reference: '231 Js 9999/26',
      confidentialUntil: '2027-03-31',
    });
    assert.equal(secret.statusCode, 303, secret.body);
    const shown = await disclosuresShownTo(h.deps, person.id, person.email);
    assert.deepEqual(
      shown.map((d) => [d.authority, d.reference, d.categories, d.disclosedAt]),
      [['Staatsanwaltschaft Berlin', '231 Js 1234/26', ['contact'], Date.parse('2026-11-20T00:00:00Z')]],
    );
    // The list shows both to the DPO.
    const list = (await dpo.b.get('/staff/privacy/disclosures')).body;
    assert.ok(list.includes('231 Js 9999/26') && list.includes('231 Js 1234/26'));
    // After the confidentiality date the second is shown too.
    h.clock.set(Date.parse('2027-04-01T00:00:00Z'));
    const later = await disclosuresShownTo(h.deps, person.id, person.email);
    assert.deepEqual(later.map((d) => d.reference).sort(), ['231 Js 1234/26', '231 Js 9999/26']);
    // Another person sees none of them.
    assert.equal((await disclosuresShownTo(h.deps, null, 'someone.else@example.org')).length, 0);
    h.clock.set(NOW);
  });
});
