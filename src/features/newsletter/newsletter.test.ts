import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import { HOUR, MINUTE } from '../../platform/clock.ts';
import { runRetention } from '../../privacy/retention.ts';
import { renderPolicyBody } from '../../privacy/policy.pages.ts';
import { buildConsentRegistry, candorCookies } from '../../privacy/consent/registry.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import { demoOperator } from '../../platform/operator.ts';
import { createDataMap } from '../../testing/app.ts';
import { multipart } from '../../testing/multipart.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { alterParam, Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { deliverDueMail, suppressionsOf } from '../mail/index.ts';
import { confirmSubscription } from './newsletter.service.ts';

test('the policy’s newsletter section points to the mail sending and its provider (the outbox is used)', () => {
  const dataMap = createDataMap();
  const registry = buildConsentRegistry(
    demoOperator,
    dataMap,
    candorCookies({ ...cookiePolicy('https://shop.example'), consent: 'candor_consent' }),
  );
  for (const lang of ['en', 'de'] as const) {
    const body = String(renderPolicyBody(lang, { dataMap, operator: demoOperator, registry }));
    const start = body.indexOf('<section id="newsletter.subscriptions"');
    assert.ok(start >= 0, `${lang}: no newsletter section`);
    const section = body.slice(start, body.indexOf('</section>', start));
    assert.match(section, /id="uses-newsletter\.subscriptions"/, `${lang}: the outbox is not named as used`);
    assert.match(section, /href="#mail\.service-messages"/, `${lang}: no link to the mail sending and its provider`);
  }
});

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

  const rowOf = (email: string) =>
    h.deps.db
      .selectFrom('newsletter_subscriptions')
      .selectAll()
      .where('email', '=', email)
      .where('list', '=', 'newsletter')
      .executeTakeFirstOrThrow();
  /** Signs up, confirms with the mailed link and delivers the welcome mail; returns its one-click address. */
  const subscribed = async (email: string): Promise<URL> => {
    const b = new Browser(h.app);
    await signUp(b, email);
    await deliver();
    await b.get(linkOf(mailsTo(email).at(-1)!.parsed.text ?? '', '/newsletter/confirm'));
    const confirmed = await b.post('/newsletter/confirm', {});
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    await deliver();
    const welcome = mailsTo(email).at(-1)!;
    assert.equal(welcome.parsed.subject, 'Welcome to the newsletter');
    const head = welcome.raw
      .toString('latin1')
      .split('\r\n\r\n')[0]!
      .replace(/\r\n[ \t]+/g, ' ');
    return new URL(/^List-Unsubscribe: <([^>]+)>$/m.exec(head)![1]!);
  };
  const proofOf = (r: Awaited<ReturnType<typeof rowOf>>) => ({
    status: r.status,
    requested_at: r.requested_at,
    confirmed_at: r.confirmed_at,
    unsubscribed_at: r.unsubscribed_at,
    pending_until: r.pending_until,
    topics: r.topics,
    lang: r.lang,
    origin: r.origin,
    ip_prefix: r.ip_prefix,
    consent_text: r.consent_text,
    consent_version: r.consent_version,
    source: r.source,
  });

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
    const altered = await new Browser(h.app).get(alterParam(link, 't'));
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
  test('two confirming POSTs at once confirm once and send one welcome mail', async () => {
    const email = 'tilda@example.org';
    await signUp(new Browser(h.app), email);
    await deliver();
    const link = new URL(linkOf(mailsTo(email).at(-1)!.parsed.text ?? '', '/newsletter/confirm'), 'http://x');
    const [r, t] = [link.searchParams.get('r')!, link.searchParams.get('t')!];
    await Promise.all([confirmSubscription(h.deps, r, t), confirmSubscription(h.deps, r, t)]);
    await deliver();
    const welcomes = mailsTo(email).filter((m) => m.parsed.subject === 'Welcome to the newsletter');
    assert.equal(welcomes.length, 1, 'one welcome mail per confirmation');
    assert.equal((await rowOf(email)).status, 'confirmed');
  });

  test('a rate-limited sign-up changes nothing of a pending sign-up', async () => {
    const email = 'sara@example.org';
    await signUp(new Browser(h.app), email);
    const before = proofOf(await rowOf(email));
    h.clock.advance(MINUTE);
    const again = await new Browser(h.app).api('POST', '/api/v1/newsletter/subscriptions', {
      email,
      topics: ['offers'],
      lang: 'de',
    });
    assert.equal(again.statusCode, 202);
    await deliver();
    assert.equal(mailsTo(email).length, 1, 'no second mail within 10 minutes');
    assert.deepEqual(proofOf(await rowOf(email)), before, 'the pending row was rewritten without a mail');
  });

  test('a new sign-up of an unsubscribed address keeps the former proof; expiry leaves it; confirming renews it', async () => {
    const email = 'rosa@example.org';
    const oneClick = await subscribed(email);
    const one = await h.app.inject({
      method: 'POST',
      url: `${oneClick.pathname}${oneClick.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.equal(one.statusCode, 200);
    const former = proofOf(await rowOf(email));
    assert.equal(former.status, 'unsubscribed');
    assert.ok(former.confirmed_at && former.unsubscribed_at);

    // Someone signs the address up again: a confirmation goes out, the former consent's proof stays as it was.
    h.clock.advance(11 * MINUTE);
    const again = await new Browser(h.app).api('POST', '/api/v1/newsletter/subscriptions', {
      email,
      topics: ['offers'],
      lang: 'de',
    });
    assert.equal(again.statusCode, 202);
    await deliver();
    const mail = mailsTo(email).at(-1)!;
    assert.equal(mail.parsed.subject, 'Bitte bestätigen Sie Ihr Newsletter-Abonnement');
    assert.deepEqual(proofOf(await rowOf(email)), former, 'the request overwrote the proof of the former consent');
    // Unconfirmed, the request expires and retention runs: the row is still the former one, the link is dead.
    const link = linkOf(mail.parsed.text ?? '', '/newsletter/confirm');
    h.clock.advance(49 * HOUR);
    await runRetention({ ...h.deps, clock: h.clock });
    assert.deepEqual(proofOf(await rowOf(email)), former, 'expiry changed or deleted the former proof');
    assert.equal((await new Browser(h.app).get(link)).statusCode, 410);

    // A later request that is confirmed becomes the subscription, with its own proof.
    await new Browser(h.app).api('POST', '/api/v1/newsletter/subscriptions', { email, topics: ['offers'], lang: 'de' });
    await deliver();
    const b = new Browser(h.app);
    await b.get(linkOf(mailsTo(email).at(-1)!.parsed.text ?? '', '/newsletter/confirm'));
    assert.equal((await b.post('/newsletter/confirm', {})).statusCode, 200);
    const renewed = await rowOf(email);
    assert.equal(renewed.status, 'confirmed');
    assert.equal(renewed.unsubscribed_at, null);
    assert.equal(renewed.topics, '["offers"]');
    assert.equal(renewed.lang, 'de');
    assert.equal(renewed.source, 'api');
    assert.ok(renewed.confirmed_at! > former.confirmed_at!);
  });

  test('POST /api/v1/newsletter/unsubscribe: an altered token is refused; `list` ends the list, `all` all marketing mail', async () => {
    const email = 'uma@example.org';
    const oneClick = await subscribed(email);
    const subscription = oneClick.searchParams.get('s')!;
    const token = oneClick.searchParams.get('t')!;
    const call = (body: Record<string, string>) =>
      new Browser(h.app).api('POST', '/api/v1/newsletter/unsubscribe', body);
    const altered = await call({ subscription, token: `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` });
    assert.equal(altered.statusCode, 400);
    assert.equal((await rowOf(email)).status, 'confirmed', 'an altered token unsubscribed');
    assert.deepEqual(await suppressionsOf(h.deps.db, h.deps.config.suppressionKey, email), []);

    const list = await call({ subscription, token });
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual(list.json(), { status: 'unsubscribed', scope: 'list' });
    assert.equal((await rowOf(email)).status, 'unsubscribed');
    const lists = async () =>
      (await suppressionsOf(h.deps.db, h.deps.config.suppressionKey, email)).map((s) => s.list).sort();
    assert.deepEqual(await lists(), ['newsletter']);

    const all = await call({ subscription, token, scope: 'all' });
    assert.equal(all.statusCode, 200, all.body);
    assert.deepEqual(all.json(), { status: 'unsubscribed', scope: 'all' });
    assert.deepEqual(await lists(), ['*', 'newsletter']);
  });

  test('the one-click target takes the multipart/form-data body RFC 8058 recommends, as well as the url-encoded one', async () => {
    const email = 'mira.multipart@example.org';
    const oneClick = await subscribed(email);
    const body = multipart([['List-Unsubscribe', 'One-Click']]);
    const res = await h.app.inject({
      method: 'POST',
      url: `${oneClick.pathname}${oneClick.search}`,
      headers: { 'content-type': body.contentType },
      payload: body.payload,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await rowOf(email)).status, 'unsubscribed');
    // A file in the body is refused, and changes nothing more.
    const withFile = multipart([['List-Unsubscribe', 'One-Click']], { filename: 'x.txt', content: Buffer.from('x') });
    const refused = await h.app.inject({
      method: 'POST',
      url: `${oneClick.pathname}${oneClick.search}`,
      headers: { 'content-type': withFile.contentType },
      payload: withFile.payload,
    });
    assert.ok(refused.statusCode >= 400 && refused.statusCode < 500, String(refused.statusCode));
  });

  test('an account whose address is not verified sees and changes no subscription of that address', async () => {
    const email = 'vera.victim@example.org';
    await subscribed(email);
    // Someone registers an account with her address but cannot confirm it.
    const intruder = new Browser(h.app);
    await intruder.api('POST', '/api/v1/accounts', { name: 'Ivo', email, password: 'sturdy walnut ladder 9' });
    assert.equal(
      (await intruder.api('POST', '/api/v1/sessions', { email, password: 'sturdy walnut ladder 9' })).statusCode,
      201,
    );
    const page = await intruder.get('/account/subscriptions');
    assert.equal(page.statusCode, 403);
    assert.ok(!page.body.includes('confirmed'), 'the page shows nothing of her subscription');
    // With a valid form token (from the account page), so only the address check can refuse it.
    const off = await intruder.submit('/account', '/account/subscriptions', { list: 'newsletter', on: 'no' });
    assert.equal(off.statusCode, 403);
    assert.equal((await rowOf(email)).status, 'confirmed');
  });
});
