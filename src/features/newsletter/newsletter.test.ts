import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import { HOUR, MINUTE } from '../../platform/clock.ts';
import { runRetention } from '../../privacy/retention.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { deliverDueMail } from '../mail/index.ts';

describeEachDatabase('newsletter double opt-in and one-click unsubscribe (over SMTP)', (db) => {
  let h: Harness;
  let smtp: TestSmtpServer;
  const deliver = () =>
    deliverDueMail({
      db: h.deps.db,
      clock: h.clock,
      mailer: h.deps.mailer,
      log: h.deps.log,
      from: 'shop@test.example',
      secret: h.deps.config.secret,
    });
  const mailsTo = (email: string) => smtp.received.filter((m) => m.envelopeTo.includes(email));
  const linkOf = (text: string, path: string) => {
    const m = new RegExp(`https?://[^\\s]*${path.replace(/\//g, '\\/')}\\?[^\\s]+`).exec(text);
    assert.ok(m, `no link to ${path} in:\n${text}`);
    const u = new URL(m[0]);
    return `${u.pathname}${u.search}`;
  };
  const signUp = (b: Browser, email: string) =>
    b.submit('/newsletter', '/newsletter', { email, 'topic-tutorials': '1' });

  before(async () => {
    smtp = await new TestSmtpServer().start();
    h = await openHarness(db, { seed: true, mailer: createSmtpMailer(smtp.url, 'test.example') });
  });
  after(async () => {
    await h.close();
    await smtp.stop();
  });

  test('sign-up sends one confirmation; GET confirms nothing, the POST does; welcome mail with both List-Unsubscribe headers; one-click unsubscribes', async () => {
    const email = 'nina@example.org';
    const b = new Browser(h.app);
    const res = await signUp(b, email);
    assert.equal(res.statusCode, 202);
    await deliver();
    assert.equal(mailsTo(email).length, 1, 'one confirmation');
    const row = await h.deps.db
      .selectFrom('newsletter_subscriptions')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
    assert.equal(row.origin, 'double-opt-in');
    assert.match(row.ip_prefix ?? '', /\.0$|::$/, 'only the prefix of the IP');
    assert.match(row.consent_text, /newsletter/);
    assert.match(row.consent_version, /^sha256:/);
    const outbox = await h.deps.db.selectFrom('outbox').select('body').where('recipient', '=', email).execute();
    const link = linkOf(mailsTo(email)[0]!.parsed.text ?? '', '/newsletter/confirm');
    const token = new URL(link, 'http://x').searchParams.get('t')!;
    assert.ok(!outbox.some((o) => o.body.includes(token)), 'the outbox holds the token');

    // An altered token: 400; GET of the real link: a redirect and a page, but nothing confirmed.
    const altered = await new Browser(h.app).get(link.replace(/t=./, 't=A'));
    assert.equal(altered.statusCode, 400);
    assert.match(altered.body, /invalid/);
    const opened = await b.get(link);
    assert.equal(opened.statusCode, 303);
    const page = await b.get('/newsletter/confirm');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<button type="submit">Confirm the subscription/);
    const still = await h.deps.db
      .selectFrom('newsletter_subscriptions')
      .select('status')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.equal(still.status, 'pending', 'a GET confirmed');
    // Another site posting without the kept token changes nothing.
    assert.equal((await new Browser(h.app).post('/newsletter/confirm', {})).statusCode, 400);
    const confirmed = await b.post('/newsletter/confirm', {});
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    const done = await h.deps.db
      .selectFrom('newsletter_subscriptions')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.equal(done.status, 'confirmed');
    assert.ok(done.confirmed_at);
    assert.equal(done.pending_until, null);

    await deliver();
    const welcome = mailsTo(email).at(-1)!;
    assert.equal(welcome.parsed.subject, 'Welcome to the newsletter');
    const head = welcome.raw
      .toString('latin1')
      .split('\r\n\r\n')[0]!
      .replace(/\r\n[ \t]+/g, ' ');
    assert.match(head, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const header = /^List-Unsubscribe: <([^>]+)>$/m.exec(head)?.[1];
    assert.ok(header, head);
    const oneClick = new URL(header);
    assert.equal(oneClick.pathname, '/newsletter/unsubscribe/one-click');
    assert.match(welcome.parsed.text ?? '', /\/newsletter\/unsubscribe\?s=/, 'the visible unsubscribe link');

    // A forged one-click POST changes nothing; the real one (no cookie, no Origin, no CSRF token) unsubscribes.
    const forged = await h.app.inject({
      method: 'POST',
      url: `${oneClick.pathname}?s=${oneClick.searchParams.get('s')}&t=${'A'.repeat(43)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.equal(forged.statusCode, 400);
    const one = await h.app.inject({
      method: 'POST',
      url: `${oneClick.pathname}${oneClick.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.equal(one.statusCode, 200, one.body);
    const gone = await h.deps.db
      .selectFrom('newsletter_subscriptions')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.equal(gone.status, 'unsubscribed');

    // The suppression list holds no readable address: scan every column of every row.
    const rows = await h.deps.db.selectFrom('mail_suppressions').selectAll().execute();
    assert.ok(rows.length > 0, 'the address was suppressed');
    for (const r of rows)
      for (const v of Object.values(r)) {
        assert.ok(!String(v).toLowerCase().includes(email), 'a readable address');
        assert.ok(!String(v).toLowerCase().includes('nina'), 'a readable local part');
      }
  });

  test('an expired link gets a clear 410 page in the visitor’s language, and nothing is subscribed', async () => {
    const email = 'otto@example.org';
    await signUp(new Browser(h.app), email);
    await deliver();
    const link = linkOf(mailsTo(email)[0]!.parsed.text ?? '', '/newsletter/confirm');
    h.clock.advance(49 * HOUR);
    try {
      const res = await new Browser(h.app).get(link, { 'accept-language': 'de' });
      assert.equal(res.statusCode, 410);
      assert.match(res.body, /abgelaufen/);
    } finally {
      h.clock.advance(-49 * HOUR);
    }
  });

  test('an address that exists answers exactly like a new one; repeats are rate-limited; unconfirmed sign-ups go after expiry', async () => {
    const fresh = await new Browser(h.app).api('POST', '/api/v1/newsletter/subscriptions', {
      email: 'pia@example.org',
    });
    const known = await new Browser(h.app).api('POST', '/api/v1/newsletter/subscriptions', {
      email: 'nina@example.org',
    });
    assert.equal(fresh.statusCode, 202);
    assert.equal(known.statusCode, fresh.statusCode);
    assert.equal(known.body, fresh.body);
    const page1 = await signUp(new Browser(h.app), 'quinn@example.org');
    const page2 = await signUp(new Browser(h.app), 'quinn@example.org');
    assert.equal(page1.statusCode, page2.statusCode);
    assert.equal(page1.body.replace(/value="[^"]+"/g, ''), page2.body.replace(/value="[^"]+"/g, ''));
    for (let i = 0; i < 3; i++) await signUp(new Browser(h.app), 'quinn@example.org');
    await deliver();
    assert.equal(mailsTo('quinn@example.org').length, 1, 'one mail per 10 minutes');
    for (let i = 0; i < 8; i++) {
      h.clock.advance(11 * MINUTE);
      await signUp(new Browser(h.app), 'quinn@example.org');
    }
    await deliver();
    assert.equal(mailsTo('quinn@example.org').length, 5, 'at most five a day');
    const bad = await new Browser(h.app).api('POST', '/api/v1/newsletter/subscriptions', { email: 'not an address' });
    assert.equal(bad.statusCode, 400);
    // Retention: unconfirmed rows go after pending_until; the confirmed-then-unsubscribed row stays as proof.
    h.clock.advance(49 * HOUR);
    await runRetention({ ...h.deps, clock: h.clock });
    const left = await h.deps.db.selectFrom('newsletter_subscriptions').select(['email', 'status']).execute();
    assert.ok(!left.some((r) => r.status === 'pending'), JSON.stringify(left));
    assert.ok(
      left.some((r) => r.email === 'nina@example.org'),
      'the proof of a former consent was deleted',
    );
  });
});
