// The staff mail console: search by address or subject, filters by state and template, keyset paging, bad filters
// refused in the reader's language, and "send again" for a failed mail: the link it carries works only while its
// token does (a resend never renews a token).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HOUR } from '../../platform/clock.ts';
import { asRole, deliverMail, signedIn, uniqueEmail, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, linkIn, openHarness, type Harness } from '../../testing/harness.ts';
import { createStaffUser } from '../accounts/index.ts';
import { enqueueMail } from './index.ts';

const ENV = { RATE_LIMIT_AUTH_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' };

/** The mails a list page links to, in the order shown. */
const listed = (body: string): string[] =>
  [...body.matchAll(/href="\/staff\/mail\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
/** The link to the next page, if the page has one (decoded from the HTML). */
const nextLink = (body: string): string | undefined =>
  /<a href="([^"]+)" rel="next">/.exec(body)?.[1]?.replace(/&amp;/g, '&');

async function outboxId(h: Harness, to: string): Promise<string> {
  return (await h.deps.db.selectFrom('outbox').select('id').where('recipient', '=', to).executeTakeFirstOrThrow()).id;
}

/** Makes the recording mailer refuse every message (an SMTP 550), until the returned function restores it. */
function refuseAllMail(h: Harness): () => void {
  const send = h.mailer.send.bind(h.mailer);
  h.mailer.send = () => Promise.reject(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
  return () => {
    h.mailer.send = send;
  };
}

/** Delivers and moves the clock to each retry until the mail failed for good (every retry used up). */
async function failForGood(h: Harness, id: string): Promise<void> {
  const restore = refuseAllMail(h);
  try {
    for (let i = 0; i < 20; i++) {
      await deliverMail(h);
      const row = await h.deps.db
        .selectFrom('outbox')
        .select(['failed_at', 'next_attempt_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      if (row.failed_at !== null) return;
      h.clock.advance(Math.max(0, row.next_attempt_at - h.clock.now()));
    }
    assert.fail(`the mail ${id} never failed for good`);
  } finally {
    restore();
  }
}

describeEachDatabase('the mail console', (db) => {
  let h: Harness;
  let staff: Account;
  let customer: Account;
  const bulk = (n: number) => `bulk.${n}.${process.pid}@example.net`;

  before(async () => {
    h = await openHarness(db, { env: ENV });
    customer = await signedIn(h);
    staff = await asRole(h, await signedIn(h, { name: 'Stefan Staff' }), 'staff');
    // 60 mails, two by two at the same moment, so the keyset must break ties by id.
    for (let n = 0; n < 60; n++) {
      await enqueueMail(h.deps.db, h.clock, {
        to: bulk(n),
        subject: `Bulk ${n}`,
        body: `Hello ${n}\n`,
        template: 'test-bulk',
      });
      if (n % 2 === 1) h.clock.advance(1000);
    }
  });

  after(() => h.close());

  it('pages the whole list on a keyset, newest first, with no mail twice or left out', async () => {
    const first = await staff.b.get(`/staff/mail?template=test-bulk`);
    assert.equal(first.statusCode, 200);
    assert.match(first.headers['cache-control'] as string, /no-store/);
    const page1 = listed(first.body);
    assert.equal(page1.length, 50);
    const next = nextLink(first.body);
    assert.ok(next, 'a link to the older mail');
    assert.match(next, /template=test-bulk/, 'the filter is kept across pages');
    assert.doesNotMatch(next, /page=|offset=/);
    const second = await staff.b.get(next);
    const page2 = listed(second.body);
    assert.equal(page2.length, 10);
    assert.equal(nextLink(second.body), undefined, 'the last page links no further');
    assert.match(second.body, /href="\/staff\/mail\?template=test-bulk">Newest mail</);
    const all = new Set([...page1, ...page2]);
    assert.equal(all.size, 60);
    const stored = await h.deps.db
      .selectFrom('outbox')
      .select('id')
      .where('template', '=', 'test-bulk')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    assert.deepEqual(
      [...page1, ...page2],
      stored.map((r) => r.id),
    );
    const audit = await h.deps.db
      .selectFrom('access_audit')
      .select(['what', 'subject_user_id'])
      .where('actor_user_id', '=', staff.id)
      .where('what', '=', 'mail.list')
      .execute();
    assert.ok(audit.length >= 2 && audit.every((a) => a.subject_user_id === null), 'each list view is recorded');
  });

  it('records a list view as a view of the accounts its recipients belong to', async () => {
    await enqueueMail(h.deps.db, h.clock, {
      to: customer.email,
      subject: 'For the customer',
      body: 'Hello\n',
      template: 'test-own',
    });
    const viewsOfCustomer = async () =>
      (
        await h.deps.db
          .selectFrom('access_audit')
          .select('id')
          .where('what', '=', 'mail.list')
          .where('actor_user_id', '=', staff.id)
          .where('subject_user_id', '=', customer.id)
          .execute()
      ).length;
    const before = await viewsOfCustomer();
    const page = await staff.b.get('/staff/mail?template=test-own');
    assert.equal(page.statusCode, 200);
    assert.equal(listed(page.body).length, 1);
    assert.equal(await viewsOfCustomer(), before + 1);
  });

  it('finds mail by the whole address or a part of it, in any case, or by the subject', async () => {
    const exact = await staff.b.get(`/staff/mail?q=${encodeURIComponent(bulk(7).toUpperCase())}`);
    assert.deepEqual(listed(exact.body), [await outboxId(h, bulk(7))]);
    assert.match(
      exact.body,
      new RegExp(`value="${bulk(7).toUpperCase().replace(/\./g, '\\.')}"`),
      'the search stays in the field',
    );
    const part = await staff.b.get(`/staff/mail?q=${encodeURIComponent(`.${process.pid}@example.net`)}&state=queued`);
    assert.equal(listed(part.body).length, 50);
    const subject = await staff.b.get(`/staff/mail?q=${encodeURIComponent('Bulk 1')}`);
    // Bulk 1 and Bulk 10 to Bulk 19.
    assert.equal(listed(subject.body).length, 11);
    const wildcard = await staff.b.get('/staff/mail?q=%25');
    assert.deepEqual(listed(wildcard.body), [], 'a % typed in the search matches itself only');
    assert.match(wildcard.body, /No mail matches this search\./);
    const de = await staff.b.get('/staff/mail?q=nobody-at-all', { 'accept-language': 'de' });
    assert.match(de.body, /Keine E-Mail passt zu dieser Suche\./);
  });

  it('filters by state and by template', async () => {
    const verification = await staff.b.get('/staff/mail?template=account-verify-email');
    const verifyId = await outboxId(h, customer.email);
    assert.ok(listed(verification.body).includes(verifyId), "the customer's verification mail");
    assert.ok(!listed(verification.body).includes(await outboxId(h, bulk(1))));
    assert.match(verification.body, /<option value="account-verify-email" selected>/);
    assert.match(verification.body, /<option value="test-bulk">/, 'every template in the outbox is offered');

    const sent = listed((await staff.b.get('/staff/mail?state=sent')).body);
    assert.ok(sent.includes(verifyId), 'delivered mail is sent');
    assert.ok(!sent.includes(await outboxId(h, bulk(1))), 'queued mail is not');
    const queued = listed((await staff.b.get('/staff/mail?state=queued&template=account-verify-email')).body);
    assert.deepEqual(queued, []);
    const failed = await staff.b.get('/staff/mail?state=failed', { 'accept-language': 'de' });
    assert.deepEqual(listed(failed.body), []);
    assert.match(failed.body, /Keine E-Mail passt zu dieser Suche\./);
    const all = await staff.b.get('/staff/mail?q=&state=&template=');
    assert.equal(all.statusCode, 200, 'an empty filter of the form means all');
  });

  it('answers a bad filter with 400 in the reader’s language', async () => {
    const state = await staff.b.get('/staff/mail?state=lost');
    assert.equal(state.statusCode, 400);
    assert.match(state.body, /must be one of/);
    const de = await staff.b.get('/staff/mail?state=lost', { 'accept-language': 'de' });
    assert.equal(de.statusCode, 400);
    assert.match(de.body, /muss einer dieser Werte sein/);
    assert.equal((await staff.b.get('/staff/mail?template=%3Cscript%3E')).statusCode, 400);
    assert.equal((await staff.b.get('/staff/mail?after=yesterday')).statusCode, 400);
    const long = await staff.b.get(`/staff/mail?q=${'x'.repeat(201)}`, { 'accept-language': 'de' });
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /höchstens 200 Zeichen/);
  });

  it('refuses customers every page and the resend', async () => {
    const id = await outboxId(h, bulk(3));
    assert.equal((await customer.b.get('/staff/mail')).statusCode, 403);
    assert.equal((await customer.b.get(`/staff/mail/${id}`)).statusCode, 403);
    const resend = await customer.b.submit('/account', `/staff/mail/${id}/resend`, {});
    assert.equal(resend.statusCode, 403);
  });
});

describeEachDatabase('sending a failed mail again', (db) => {
  let h: Harness;

  before(async () => {
    h = await openHarness(db, { env: ENV });
  });

  after(() => h.close());

  describe('a set-up link that is still valid', () => {
    const newhire = uniqueEmail('newhire');
    let id: string;
    let staff: Account;

    it('fails for good, is shown as failed with a button to send it again (en and de)', async () => {
      await createStaffUser(h.deps, { email: newhire, role: 'staff' });
      id = await outboxId(h, newhire);
      await failForGood(h, id);
      assert.equal(h.mailer.to(newhire).length, 0);
      // Staff sign in now (a session of two days ago would have expired).
      staff = await asRole(h, await signedIn(h), 'admin');
      const list = await staff.b.get('/staff/mail?state=failed');
      assert.deepEqual(listed(list.body), [id]);
      const page = await staff.b.get(`/staff/mail/${id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /failed/);
      assert.match(page.body, /account-reset-password/, 'the template');
      assert.match(page.body, /<code>550<\/code>/, 'the last error code');
      assert.match(page.body, new RegExp(`action="/staff/mail/${id}/resend"`));
      assert.match(page.body, /a link that has expired meanwhile stays expired/);
      assert.match(page.body, /\[link hidden\]/);
      const de = await staff.b.get(`/staff/mail/${id}`, { 'accept-language': 'de' });
      assert.match(de.body, /fehlgeschlagen/);
      assert.match(de.body, /Erneut senden/);
    });

    it('is queued again by staff, the action recorded, and then delivers a link that sets the password', async () => {
      const tokenBefore = await h.deps.db
        .selectFrom('account_tokens')
        .select(['token_hash', 'expires_at'])
        .where('email', '=', newhire)
        .execute();
      const res = await staff.b.submit(`/staff/mail/${id}`, `/staff/mail/${id}/resend`, {});
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, `/staff/mail/${id}?notice=resent`);
      assert.match((await staff.b.get(res.headers.location)).body, /queued again/);
      const row = await h.deps.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual([row.attempts, row.failed_at, row.last_error, row.sent_at], [0, null, null, null]);
      const user = await h.deps.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', newhire)
        .executeTakeFirstOrThrow();
      const audit = await h.deps.db
        .selectFrom('access_audit')
        .selectAll()
        .where('what', '=', 'mail.resend')
        .executeTakeFirstOrThrow();
      assert.equal(audit.actor_user_id, staff.id);
      assert.equal(audit.subject_user_id, user.id);

      const twice = await staff.b.submit(`/staff/mail/${id}`, `/staff/mail/${id}/resend`, {});
      assert.equal(twice.statusCode, 409, 'a queued mail is not queued twice');

      await deliverMail(h);
      const [mail] = h.mailer.to(newhire);
      assert.ok(mail, 'the set-up mail arrives');
      const link = linkIn(mail.text, '/account/password-reset/confirm');
      const token = new URLSearchParams(link.split('?')[1]).get('token')!;
      assert.deepEqual(
        await h.deps.db
          .selectFrom('account_tokens')
          .select(['token_hash', 'expires_at'])
          .where('email', '=', newhire)
          .execute(),
        tokenBefore,
        'the resend made no new token and did not extend the old one',
      );
      const set = await new Browser(h.app, '198.51.100.90').api('POST', '/api/v1/password-resets/confirm', {
        token,
        password: 'violet harbour ninety',
      });
      assert.equal(set.statusCode, 204, set.body);
      const sent = await h.deps.db
        .selectFrom('outbox')
        .select('sent_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.notEqual(sent.sent_at, null);
      const again = await staff.b.submit(`/staff/mail/${id}`, `/staff/mail/${id}/resend`, {});
      assert.equal(again.statusCode, 409, 'a sent mail is not sent again');
    });
  });

  it('a reset mail resent after its token expired delivers a link that no longer works', async () => {
    const customer = await signedIn(h);
    const reset = await new Browser(h.app, '198.51.100.91').api('POST', '/api/v1/password-resets', {
      email: customer.email,
    });
    assert.equal(reset.statusCode, 202);
    const row = await h.deps.db
      .selectFrom('outbox')
      .select('id')
      .where('recipient', '=', customer.email)
      .where('template', '=', 'account-reset-password')
      .executeTakeFirstOrThrow();
    await failForGood(h, row.id);
    // Failing for good takes two days: the reset link's hour is long over.
    const staff = await asRole(h, await signedIn(h), 'staff');
    const res = await staff.b.submit(`/staff/mail/${row.id}`, `/staff/mail/${row.id}/resend`, {});
    assert.equal(res.statusCode, 303, res.body);
    await deliverMail(h);
    const mail = h.mailer.to(customer.email).find((m) => m.subject === 'Reset your password');
    assert.ok(mail, 'the reset mail arrives');
    const token = new URLSearchParams(linkIn(mail.text, '/account/password-reset/confirm').split('?')[1]).get('token');
    const set = await new Browser(h.app, '198.51.100.92').api('POST', '/api/v1/password-resets/confirm', {
      token,
      password: 'violet harbour ninety one',
    });
    assert.equal(set.statusCode, 400);
    assert.equal(set.json().error.code, 'invalid_token');
    const tokens = await h.deps.db
      .selectFrom('account_tokens')
      .select('expires_at')
      .where('email', '=', customer.email)
      .where('purpose', '=', 'reset-password')
      .execute();
    assert.equal(tokens.length, 1, 'no new token');
    assert.ok(tokens[0]!.expires_at <= h.clock.now() - 40 * HOUR, 'the token kept its hour');
  });
});
