// The staff customer console: the search finds customers by name, email, order number and serial number and pages
// on keyset; the customer page shows what the features hold about them in English and German; every list, view and
// action is in the access audit; the actions work without ever showing a token; only staff and admin get in.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  asRole,
  deliverMail,
  placeOrder,
  productId,
  signedIn,
  staffMember,
  uniqueEmail,
} from '../../testing/factories.ts';
import { Browser, describeEachDatabase, linkIn, openHarness, type Harness } from '../../testing/harness.ts';

const DE = { 'accept-language': 'de' };
const SAME_ORIGIN = {
  origin: 'http://127.0.0.1:3000',
  'sec-fetch-site': 'same-origin',
  referer: 'http://127.0.0.1:3000/shop',
};
let ip = 10;
/** Each account signs in from an address of its own, so the tests stay under the sign-in rate limit. */
const nextIp = () => `203.0.113.${++ip}`;

describeEachDatabase('the staff customer console', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  const audit = (what: string) =>
    h.deps.db
      .selectFrom('access_audit')
      .select(['subject_user_id', 'actor_user_id', 'why', 'path'])
      .where('what', '=', what)
      .execute();
  /** The ids of the customers a list page links to, in order. */
  const listed = (body: string) => [...body.matchAll(/href="\/staff\/customers\/([^"?/]+)"/g)].map((m) => m[1]!);

  test('finds a customer by name, email, order number and serial number, and never lists staff', async () => {
    const tag = `q${process.pid}x${Date.now() % 100000}`;
    const zelda = await signedIn(h, {
      name: `Zelda Quartermaine ${tag}`,
      email: uniqueEmail(`zq.${tag}`),
      ip: nextIp(),
    });
    const other = await signedIn(h, { name: 'Otto Other', ip: nextIp() });
    const order = (await placeOrder(h, zelda.b, ['padgrid'])) as { id: string; number: string };
    const serial = `TF-2026-${tag.slice(-6).toUpperCase().padStart(6, 'A')}`;
    const reg = await zelda.b.api('POST', '/api/v1/registrations', {
      productId: await productId(h, 'padgrid'),
      serial: serial.toLowerCase(),
    });
    assert.equal(reg.statusCode, 201, reg.body);
    const staff = await staffMember(h, { name: `Stefan ${tag}`, ip: nextIp() });

    const search = async (q: string) => {
      const res = await staff.b.get(`/staff/customers?q=${encodeURIComponent(q)}`);
      assert.equal(res.statusCode, 200, res.body);
      return listed(res.body);
    };
    assert.deepEqual(await search('zelda quarter'), [zelda.id], 'part of the name, another case');
    assert.deepEqual(await search(`ZQ.${tag.toUpperCase()}`), [zelda.id], 'part of the email, another case');
    assert.deepEqual(await search(order.number), [zelda.id], 'the order number');
    assert.deepEqual(await search(` ${order.number.toLowerCase()} `), [zelda.id], 'the order number as typed');
    assert.deepEqual(await search(serial.toLowerCase()), [zelda.id], 'the serial number of registered hardware');
    assert.deepEqual(await search(tag), [zelda.id], 'the staff member with the same word is not a customer');
    assert.deepEqual(await search('%'), [], 'a % is a character, not a wildcard');
    assert.ok((await search('')).includes(other.id), 'no term: every customer');
    const none = await staff.b.get('/staff/customers?q=nobody-by-this-name');
    assert.match(none.body, /No customer matches “nobody-by-this-name”\./);
    assert.match(
      (await staff.b.get('/staff/customers?q=niemand-hier', DE)).body,
      /Kein Kunde passt zu „niemand-hier“\./,
    );

    // The row: name, email, confirmed, number of orders.
    const row =
      /<tr><td data-label="Name"><a href="\/staff\/customers\/[^"]+">Zelda[^<]*<\/a><\/td><td data-label="Email">([^<]+)<\/td><td data-label="Confirmed">(\w+)<\/td><td data-label="Customer since">[^<]+<\/td><td data-label="Orders">(\d+)<\/td>/.exec(
        (await staff.b.get(`/staff/customers?q=${tag}`)).body,
      );
    assert.deepEqual(row?.slice(1), [zelda.email, 'yes', '1']);
  });

  test('pages through customers on keyset, newest first, without repeating or skipping anyone', async () => {
    const tag = `pager${process.pid}`;
    // 57 accounts, some created in the same millisecond (the id breaks the tie), written directly for speed.
    const base = h.clock.now() - 1_000_000;
    const rows = Array.from({ length: 57 }, (_, i) => ({
      id: randomUUID(),
      email: `${tag}.${i}@example.org`,
      name: `Page Person ${tag} ${i}`,
      password_hash: '!unset:test',
      role: 'customer' as const,
      email_verified_at: null,
      company: null,
      phone: null,
      lang: 'en',
      created_at: base + Math.floor(i / 3),
      updated_at: base,
    }));
    await h.deps.db.insertInto('users').values(rows).execute();
    const staff = await staffMember(h, { ip: nextIp() });
    const first = await staff.b.get(`/staff/customers?q=${tag}`);
    const page1 = listed(first.body);
    assert.equal(page1.length, 50);
    const next = /href="(\/staff\/customers\?[^"]+)" rel="next"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(next, 'a next-page link');
    assert.match(next, /after=/);
    const second = await staff.b.get(next);
    const page2 = listed(second.body);
    assert.equal(page2.length, 7);
    assert.doesNotMatch(second.body, /rel="next"/, 'the last page has no next link');
    const expected = [...rows]
      .sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((r) => r.id);
    assert.deepEqual([...page1, ...page2], expected);
    // A broken page link is a clear 400, not an error page of the server.
    const broken = await staff.b.get('/staff/customers?after=not-a-cursor');
    assert.equal(broken.statusCode, 400);
    assert.match(broken.body, /This page address is not valid; start again from the first page\./);
    const long = await staff.b.get(`/staff/customers?q=${'x'.repeat(150)}`, DE);
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /Suchen Sie nach höchstens 100 Zeichen\./);
  });

  test('finds “Öztürk” by “öz” and by “ÖZTÜRK”: case is folded beyond ASCII on both databases', async () => {
    const deniz = await signedIn(h, { name: 'Deniz Öztürk', ip: nextIp() });
    const staff = await staffMember(h, { ip: nextIp() });
    for (const term of ['öz', 'ÖZTÜRK', 'Öztürk']) {
      const res = await staff.b.get(`/staff/customers?q=${encodeURIComponent(term)}`);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(listed(res.body), [deniz.id], term);
    }
  });

  test('the customer page shows orders, software, hardware and advertising in English and German, and is audited', async () => {
    const customer = await signedIn(h, { name: 'Carla Customer', ip: nextIp() });
    // A consent choice made while signed in is linked to the account (on the next request).
    await customer.b.post('/consent', [['action', 'reject']], SAME_ORIGIN);
    await customer.b.get('/account');
    const order = (await placeOrder(h, customer.b, ['prism-eq', 'padgrid'])) as { id: string; number: string };
    const key = ((await customer.b.api('GET', '/api/v1/me/licences')).json().items as { key: string }[])[0]!.key;
    const serial = `TF-2026-CC${String(process.pid % 10000).padStart(4, '0')}`;
    const reg = await customer.b.api('POST', '/api/v1/registrations', {
      productId: await productId(h, 'padgrid'),
      serial,
    });
    assert.equal(reg.statusCode, 201, reg.body);
    const staff = await staffMember(h, { ip: nextIp() });

    const list = await staff.b.get('/staff/customers?q=carla');
    assert.equal(list.statusCode, 200);
    assert.match(list.headers['cache-control'] as string, /no-store/);
    const listRows = (await audit('customer.list')).filter((r) => r.actor_user_id === staff.id);
    assert.deepEqual(
      listRows.map((r) => [r.subject_user_id, r.why, r.path]),
      [[customer.id, 'customer-service', '/staff/customers']],
      'the list records whose rows it showed, without the search term',
    );

    const page = await staff.b.get(`/staff/customers/${customer.id}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.headers['cache-control'] as string, /no-store/);
    const body = page.body;
    assert.match(body, /<h1>Carla Customer<\/h1>/);
    assert.match(body, new RegExp(customer.email.replace(/\./g, '\\.')));
    assert.match(body, new RegExp(`<a href="/staff/orders/${order.id}">${order.number}</a>`));
    assert.match(body, /<h2 id="section-\d">Software and licences<\/h2>/);
    assert.match(body, /Prism/);
    const masked = `${key.slice(0, -4).replace(/[^-]/g, '•')}${key.slice(-4)}`;
    assert.ok(body.includes(`<code>${masked}</code>`), `the masked key ${masked}`);
    assert.ok(!body.includes(key), 'never the whole key');
    assert.ok(!body.includes(key.slice(0, 5)), 'not even its first group');
    assert.match(body, /Keys show their last 4 characters only/);
    assert.match(body, /<h2 id="section-\d">Registered hardware<\/h2>/);
    assert.ok(body.includes(`<code>${serial}</code>`));
    assert.match(
      body,
      /<h2 id="section-\d">Product suggestions by email<\/h2>\s*<p class="advertising-state">Receives suggestions as a purchaser/,
    );
    assert.match(body, /<h2 id="section-\d">Cookie consent<\/h2>/);
    assert.match(body, /rejected all/);
    assert.match(body, /End all sessions/);
    assert.doesNotMatch(body, /Resend confirmation mail/, 'a confirmed address gets no resend button');
    // Sections in their order: orders, software, hardware, advertising, consent.
    const headings = [...body.matchAll(/<h2 id="section-\d">([^<]+)<\/h2>/g)].map((m) => m[1]);
    assert.deepEqual(headings, [
      'Orders',
      'Software and licences',
      'Registered hardware',
      'Product suggestions by email',
      'Cookie consent',
    ]);

    const views = (await audit('customer.view')).filter((r) => r.subject_user_id === customer.id);
    assert.deepEqual(
      views.map((r) => [r.actor_user_id, r.why, r.path]),
      [[staff.id, 'customer-service', `/staff/customers/${customer.id}`]],
    );

    const de = (await staff.b.get(`/staff/customers/${customer.id}`, DE)).body;
    for (const heading of [
      'Bestellungen',
      'Software und Lizenzen',
      'Registrierte Hardware',
      'Produktvorschläge per E-Mail',
      'Cookie-Einwilligung',
    ])
      assert.match(de, new RegExp(`<h2 id="section-\\d">${heading}</h2>`));
    assert.match(de, /Erhält Vorschläge als Käufer \(§ 7 Abs\. 3 UWG\)/);
    assert.match(de, /Schlüssel zeigen nur ihre letzten 4 Zeichen/);
    assert.match(de, /alle abgelehnt/);
    assert.match(de, /Alle Sitzungen beenden/);

    // An objection shows on the page.
    await customer.b.submit('/account/advertising', '/account/advertising', { object: 'yes' });
    const objected = (await staff.b.get(`/staff/customers/${customer.id}`)).body;
    assert.match(objected, /Objected on [^(]+\(in the account\): no suggestions are sent\./);
  });

  test('a customer with nothing yet has no empty sections; a staff account is not a customer page', async () => {
    const fresh = await signedIn(h, { name: 'Nina New', verified: false, ip: nextIp() });
    const staff = await staffMember(h, { ip: nextIp() });
    // Staff who accepted every vendor get them in the shop, never on the customer console.
    await staff.b.post('/consent', [['action', 'accept']], SAME_ORIGIN);
    assert.match((await staff.b.get('/shop')).body, /data-vendor=/);
    const page = await staff.b.get(`/staff/customers/${fresh.id}`);
    assert.doesNotMatch(page.body, /data-vendor=|\/consent\/vendors\//);
    assert.doesNotMatch(String(page.headers['content-security-policy']), /https:\/\//);
    assert.doesNotMatch((await staff.b.get('/staff/customers')).body, /data-vendor=/);
    const body = page.body;
    assert.doesNotMatch(body, />Orders<\/h2>|Software and licences|Registered hardware/);
    assert.match(body, /None sent: no purchase yet\./);
    assert.match(body, /No consent choice is linked to this account\./);
    assert.equal((await staff.b.get(`/staff/customers/${staff.id}`)).statusCode, 404);
    assert.equal((await staff.b.get(`/staff/customers/no-such-id`)).statusCode, 404);
  });

  test('resends the confirmation mail at most once per window, and records it', async () => {
    const customer = await signedIn(h, { name: 'Una Unconfirmed', verified: false, ip: nextIp() });
    await deliverMail(h);
    const before = h.mailer.to(customer.email).length;
    const staff = await staffMember(h, { ip: nextIp() });
    const page = `/staff/customers/${customer.id}`;
    assert.match((await staff.b.get(page)).body, /Resend confirmation mail/);

    h.clock.advance(16 * 60_000);
    const sent = await staff.b.submit(page, `${page}/resend-verification`, {});
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, `${page}?notice=verification-sent`);
    assert.match((await staff.b.get(sent.headers.location)).body, /The confirmation mail is on its way/);
    await staff.b.submit(page, `${page}/resend-verification`, {});
    await deliverMail(h);
    const mails = h.mailer.to(customer.email).slice(before);
    assert.equal(mails.length, 1, 'one mail, not one per click');
    // The link in the mail confirms the address; the page never showed it.
    const link = linkIn(mails[0]!.text, '/account/verify');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    assert.ok(!(await staff.b.get(page)).body.includes(token));
    await customer.b.get(link);
    assert.match((await staff.b.get(page)).body, /Email address confirmed<\/dt><dd>yes/);
    const already = await staff.b.submit(page, `${page}/resend-verification`, {});
    assert.equal(already.headers.location, `${page}?notice=already-verified`);
    assert.equal(
      (await audit('customer.resend-verification')).filter((r) => r.subject_user_id === customer.id).length,
      3,
    );
  });

  test('ends all sessions of the account', async () => {
    const customer = await signedIn(h, { name: 'Sam Sessions', ip: nextIp() });
    assert.equal((await customer.b.api('GET', '/api/v1/me')).statusCode, 200);
    const staff = await staffMember(h, { ip: nextIp() });
    const page = `/staff/customers/${customer.id}`;
    assert.match((await staff.b.get(page)).body, /Signed in now<\/dt><dd>1 session\(s\)/);
    const ended = await staff.b.submit(page, `${page}/end-sessions`, {});
    assert.equal(ended.headers.location, `${page}?notice=sessions-ended`);
    assert.match((await staff.b.get(ended.headers.location, DE)).body, /Alle Sitzungen dieses Kontos sind beendet/);
    assert.equal((await customer.b.api('GET', '/api/v1/me')).statusCode, 401, 'the customer is signed out');
    assert.equal((await staff.b.get('/staff/customers')).statusCode, 200, 'the staff member is not');
    assert.match((await staff.b.get(page)).body, /Signed in now<\/dt><dd>0 session\(s\)/);
    assert.deepEqual(
      (await audit('customer.end-sessions')).map((r) => [r.subject_user_id, r.actor_user_id]),
      [[customer.id, staff.id]],
    );
  });

  test('starts a password reset: the mail goes to the customer, no page shows its token, one per window', async () => {
    const customer = await signedIn(h, { name: 'Rita Reset', ip: nextIp() });
    const staff = await staffMember(h, { ip: nextIp() });
    const page = `/staff/customers/${customer.id}`;
    await deliverMail(h);
    const staffMailsBefore = h.mailer.to(staff.email).length;
    const done = await staff.b.submit(page, `${page}/password-reset`, {});
    assert.equal(done.statusCode, 303);
    const shown = await staff.b.get(done.headers.location as string);
    assert.match(shown.body, /A password reset mail is on its way to the customer’s address/);
    await staff.b.submit(page, `${page}/password-reset`, {});
    await deliverMail(h);
    const resets = h.mailer.to(customer.email).filter((m) => m.text.includes('/account/password-reset/confirm'));
    assert.equal(resets.length, 1, 'two clicks, one mail');
    assert.equal(h.mailer.to(staff.email).length, staffMailsBefore, 'nothing to the staff member');
    const link = linkIn(resets[0]!.text, '/account/password-reset/confirm');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    for (const res of [done, shown, await staff.b.get(page), await staff.b.get(`/staff/customers?q=rita`)])
      assert.ok(!res.body.includes(token) && !JSON.stringify(res.headers).includes(token), 'no token on any page');
    // The link works for the customer (opened in a browser where nobody is signed in).
    const fresh = new Browser(h.app, nextIp());
    assert.equal((await fresh.get(link)).statusCode, 303, 'the token moves out of the address');
    const set = await fresh.submit('/account/password-reset/confirm', '/account/password-reset/confirm', {
      token,
      password: 'a brand new passphrase here',
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal((await customer.b.api('GET', '/api/v1/me')).statusCode, 401, 'the new password ended the sessions');
    assert.equal((await audit('customer.password-reset')).filter((r) => r.subject_user_id === customer.id).length, 2);
  });

  test('customers and the DPO get 403 on every customer console route; so does a guest', async () => {
    const customer = await signedIn(h, { name: 'Curious Customer', ip: nextIp() });
    const dpo = await asRole(h, await signedIn(h, { name: 'Dora DPO', ip: nextIp() }), 'dpo');
    const admin = await asRole(h, await signedIn(h, { name: 'Ada Admin', ip: nextIp() }), 'admin');
    const target = `/staff/customers/${customer.id}`;
    for (const who of [customer, dpo]) {
      assert.equal((await who.b.get('/staff/customers')).statusCode, 403);
      assert.equal((await who.b.get(target)).statusCode, 403);
      for (const action of ['resend-verification', 'end-sessions', 'password-reset']) {
        const res = await who.b.submit('/account', `${target}/${action}`, {});
        assert.equal(res.statusCode, 403, `${action}: ${res.body.slice(0, 200)}`);
      }
    }
    assert.equal((await admin.b.get(target)).statusCode, 200, 'an admin may');
    assert.equal((await customer.b.api('GET', '/api/v1/me')).statusCode, 200, 'no action ran');
    const guest = await new Browser(h.app).get('/staff/customers');
    assert.ok([401, 403, 303].includes(guest.statusCode), String(guest.statusCode));
  });
});
