import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY, HOUR } from '../../platform/clock.ts';
import { signedIn } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, linkIn, openHarness, type Harness } from '../../testing/harness.ts';

const password = 'violet tram seven moons';

describeEachDatabase('accounts and sessions', (db) => {
  let h: Harness;
  before(async () => {
    // These tests sign in far more often than a person would; the limit itself is tested in the usage-log suite.
    h = await openHarness(db, { env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
  });
  after(() => h.close());

  async function deliver() {
    const { deliverDueMail } = await import('../mail/index.ts');
    await deliverDueMail({
      db: h.deps.db,
      clock: h.clock,
      mailer: h.mailer,
      log: h.deps.log,
      from: 'shop@test',
      secret: h.deps.config.secret,
    });
  }

  test('a newcomer registers, is told to check the mail, signs in before verifying, is reminded to verify, and verifies by the mailed link', async () => {
    const b = new Browser(h.app);
    const form = await b.get('/account/register');
    assert.match(form.body, /\(voluntary\)/);
    assert.match(form.body, /<label for="f-company">/);
    const res = await b.submit('/account/register', '/account/register', {
      name: 'Ada Newcomer',
      email: 'Ada@Example.org',
      password,
      company: '',
      phone: '',
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Check your mail/);
    // Registering does not sign in (that would tell a new address from a known one); the password does.
    assert.equal((await b.get('/account')).statusCode, 303);
    assert.equal(
      (await b.submit('/account/login', '/account/login', { email: 'ada@example.org', password })).statusCode,
      303,
    );
    const account = await b.get('/account');
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /Please confirm your email address ada@example\.org/);

    await deliver();
    const mails = h.mailer.to('ada@example.org');
    assert.equal(mails.length, 1);
    // The token is spent on arrival; the outcome shows at a token-free address.
    const spent = await b.get(linkIn(mails[0]!.text, '/account/verify'));
    assert.equal(spent.statusCode, 303);
    const verify = await b.get(String(spent.headers.location));
    assert.equal(verify.statusCode, 200);
    assert.match(verify.body, /your email address is confirmed/);
    assert.doesNotMatch((await b.get('/account')).body, /Please confirm your email address/);

    // The link is single-use.
    const reused = await b.get(linkIn(mails[0]!.text, '/account/verify'));
    assert.equal((await b.get(String(reused.headers.location))).statusCode, 400);
  });

  test('registration refuses common passwords and bad emails, answers a duplicate like a new address, and changes nothing', async () => {
    const b = new Browser(h.app);
    const weak = await b.submit('/account/register', '/account/register', {
      name: 'Weak',
      email: 'weak@example.org',
      password: 'password123',
    });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /too common/);
    assert.match(weak.body, /aria-invalid="true"/);
    const dup = await b.api('POST', '/api/v1/accounts', { name: 'Ada Again', email: 'ada@example.org', password });
    assert.equal(dup.statusCode, 202);
    assert.deepEqual(dup.json(), { status: 'accepted' });
    const bad = await b.api(
      'POST',
      '/api/v1/accounts',
      { name: 'X', email: 'not-an-email', password },
      { 'accept-language': 'de' },
    );
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.fields.email, /gültige E-Mail-Adresse/);
    const count = await h.deps.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
  });

  test('long passphrases are accepted; passwords over 128 characters are refused', async () => {
    const b = new Browser(h.app);
    const long = 'a sentence that is long enough to be a passphrase with sixty-four+';
    assert.equal(
      (await b.api('POST', '/api/v1/accounts', { name: 'Long', email: 'long@example.org', password: long })).statusCode,
      202,
    );
    assert.equal(
      (await b.api('POST', '/api/v1/accounts', { name: 'Huge', email: 'huge@example.org', password: 'x'.repeat(129) }))
        .statusCode,
      400,
    );
  });

  test('"remember me" gives a persistent cookie; a plain login a browser-session cookie', async () => {
    const remembered = new Browser(h.app);
    const res = await remembered.submit('/account/login', '/account/login', {
      email: 'ada@example.org',
      password,
      remember: '1',
    });
    assert.equal(res.statusCode, 303);
    const cookie = (
      res.cookies as { name: string; maxAge?: number; httpOnly?: boolean; sameSite?: string; secure?: boolean }[]
    ).find((c) => c.name === '__Host-candor_session');
    assert.ok(cookie);
    assert.equal(cookie.maxAge, 90 * 24 * 3600);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.sameSite, 'Lax');
    const plain = new Browser(h.app, '198.51.100.4');
    const res2 = await plain.api('POST', '/api/v1/sessions', { email: 'ada@example.org', password });
    assert.equal(res2.statusCode, 201);
    const c2 = (res2.cookies as { name: string; maxAge?: number }[]).find((c) => c.name === '__Host-candor_session');
    assert.equal(c2?.maxAge, undefined);
    assert.notEqual(remembered.cookie('__Host-candor_session'), plain.cookie('__Host-candor_session'));

    // Stored hashed: the cookie's token appears nowhere in the sessions table.
    const rows = await h.deps.db.selectFrom('sessions').selectAll().execute();
    assert.ok(!JSON.stringify(rows).includes(remembered.cookie('__Host-candor_session')!));
  });

  test('the profile can be viewed and corrected; a new email needs the current password and must be verified again', async () => {
    const b = new Browser(h.app);
    await b.api('POST', '/api/v1/sessions', { email: 'ada@example.org', password });
    const page = await b.get('/account/profile');
    assert.match(page.body, /value="Ada Newcomer"/);
    const saved = await b.submit('/account/profile', '/account/profile', {
      name: 'Ada Lovelace',
      email: 'ada@example.org',
      company: 'Analytical Engines',
      phone: '+49 30 123456',
    });
    assert.equal(saved.statusCode, 200);
    assert.match(saved.body, /Your details are saved/);
    const me = (await b.api('GET', '/api/v1/me')).json();
    assert.equal(me.name, 'Ada Lovelace');
    assert.equal(me.company, 'Analytical Engines');
    assert.equal(me.emailVerified, true);

    const noPassword = await b.api('PATCH', '/api/v1/me', { email: 'ada.l@example.org', phone: null });
    assert.equal(noPassword.statusCode, 400);
    assert.ok(noPassword.json().error.fields.currentPassword);
    const patched = await b.api('PATCH', '/api/v1/me', {
      email: 'ada.l@example.org',
      phone: null,
      currentPassword: password,
    });
    assert.equal(patched.statusCode, 200);
    // The address changes only when the new mailbox confirms it; the link proves it, too.
    assert.equal(patched.json().email, 'ada@example.org');
    assert.equal(patched.json().phone, null);
    await deliver();
    const mail = h.mailer.to('ada.l@example.org').at(-1)!;
    const token = new URLSearchParams(linkIn(mail.text, '/account/email-change/confirm').split('?')[1]).get('token');
    assert.equal((await b.api('POST', '/api/v1/email-changes/confirm', { token })).statusCode, 204);
    assert.equal((await b.api('GET', '/api/v1/me')).json().email, 'ada.l@example.org');
    assert.equal((await b.api('GET', '/api/v1/me')).json().emailVerified, true);
    assert.equal(
      (await b.api('PATCH', '/api/v1/me', { email: 'ada@example.org', currentPassword: password })).statusCode,
      200,
    );
    await deliver();
    const back = new URLSearchParams(
      h.mailer.linkTo('ada@example.org', '/account/email-change/confirm').split('?')[1],
    ).get('token');
    assert.equal((await b.api('POST', '/api/v1/email-changes/confirm', { token: back })).statusCode, 204);
  });

  test('sessions are listed and can be revoked; a revoked session stops working', async () => {
    const laptop = new Browser(h.app);
    const phone = new Browser(h.app, '192.0.2.9', {
      'user-agent':
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
    });
    await laptop.api('POST', '/api/v1/sessions', { email: 'ada@example.org', password });
    await phone.api('POST', '/api/v1/sessions', { email: 'ada@example.org', password });
    const list = (await laptop.api('GET', '/api/v1/me/sessions')).json().items as {
      id: string;
      current: boolean;
      device: string;
    }[];
    const phoneSession = list.find((s) => s.device === 'Safari 17 on iOS');
    assert.ok(phoneSession);
    assert.equal(list.filter((s) => s.current).length, 1);

    const page = await laptop.get('/account/sessions');
    assert.match(page.body, /Safari 17 on iOS/);
    const revoked = await laptop.submit('/account/sessions', `/account/sessions/${phoneSession.id}/revoke`, {});
    assert.equal(revoked.statusCode, 303);
    assert.equal((await phone.api('GET', '/api/v1/me')).statusCode, 401);
    assert.equal((await laptop.api('GET', '/api/v1/me')).statusCode, 200);
    // Someone else's session id cannot be revoked.
    const other = new Browser(h.app);
    await other.api('POST', '/api/v1/accounts', { name: 'Other', email: 'other@example.org', password });
    await other.api('POST', '/api/v1/sessions', { email: 'other@example.org', password });
    const otherId = (await other.api('GET', '/api/v1/me/sessions')).json().items[0].id as string;
    assert.equal((await laptop.api('DELETE', `/api/v1/me/sessions/${otherId}`)).statusCode, 404);
    assert.equal((await other.api('GET', '/api/v1/me')).statusCode, 200);
  });

  test('sessions end after the idle timeout; remembered ones last longer', async () => {
    const b = new Browser(h.app);
    const r = new Browser(h.app);
    await b.api('POST', '/api/v1/sessions', { email: 'ada@example.org', password });
    await r.api('POST', '/api/v1/sessions', { email: 'ada@example.org', password, remember: true });
    h.clock.advance(3 * HOUR);
    assert.equal((await b.api('GET', '/api/v1/me')).statusCode, 401);
    assert.equal((await r.api('GET', '/api/v1/me')).statusCode, 200);
    h.clock.advance(31 * DAY);
    assert.equal((await r.api('GET', '/api/v1/me')).statusCode, 401);
  });

  test('logout ends the session on the server', async () => {
    const b = new Browser(h.app);
    await b.submit('/account/login', '/account/login', { email: 'ada@example.org', password });
    const token = b.cookie('__Host-candor_session')!;
    const out = await b.submit('/account', '/account/logout', {});
    assert.equal(out.statusCode, 303);
    const replay = await h.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `__Host-candor_session=${token}` },
    });
    assert.equal(replay.statusCode, 401);
  });

  test('anonymous visitors to /account are sent to the login page and back', async () => {
    const b = new Browser(h.app);
    const res = await b.get('/account/sessions');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account/login?next=%2Faccount%2Fsessions');
  });

  test('password reset: one-time, expiring link; ends all sessions; does not reveal unknown addresses', async () => {
    const victim = new Browser(h.app);
    await victim.api('POST', '/api/v1/sessions', { email: 'ada@example.org', password });
    const b = new Browser(h.app);
    await deliver();
    const before = h.mailer.sent.length;
    const unknown = await b.submit('/account/password-reset', '/account/password-reset', {
      email: 'nobody@example.org',
    });
    const known = await b.submit('/account/password-reset', '/account/password-reset', { email: 'ada@example.org' });
    assert.equal(unknown.statusCode, 200);
    assert.equal(unknown.body.replace(/value="[^"]*"/g, ''), known.body.replace(/value="[^"]*"/g, ''));
    await deliver();
    assert.equal(h.mailer.sent.length, before + 1);
    const link = linkIn(h.mailer.sent.at(-1)!.text, '/account/password-reset/confirm');
    const token = new URLSearchParams(link.split('?')[1]).get('token')!;

    const newPassword = 'ruby kettle orbit nine';
    const done = await b.submit(link, '/account/password-reset/confirm', { token, password: newPassword });
    assert.equal(done.statusCode, 200);
    assert.equal((await victim.api('GET', '/api/v1/me')).statusCode, 401);
    const again = await b.submit(link, '/account/password-reset/confirm', {
      token,
      password: 'another fine passphrase',
    });
    assert.equal(again.statusCode, 400);
    assert.equal(
      (await b.api('POST', '/api/v1/sessions', { email: 'ada@example.org', password: newPassword })).statusCode,
      201,
    );

    await b.api('POST', '/api/v1/password-resets', { email: 'ada@example.org' });
    await deliver();
    const late = h.mailer.linkTo('ada@example.org', '/account/password-reset/confirm');
    h.clock.advance(HOUR + 1);
    const expired = await b.api('POST', '/api/v1/password-resets/confirm', {
      token: new URLSearchParams(late.split('?')[1]).get('token'),
      password: 'yet another passphrase',
    });
    assert.equal(expired.statusCode, 400);
    assert.equal(expired.json().error.code, 'invalid_token');
    // Restore the password the other tests use.
    await b.api('POST', '/api/v1/me/password', { currentPassword: newPassword, newPassword: password });
  });

  test('changing the password needs the current one and ends the other sessions', async () => {
    const a = new Browser(h.app);
    const other = new Browser(h.app);
    await a.api('POST', '/api/v1/sessions', { email: 'ada@example.org', password });
    await other.api('POST', '/api/v1/sessions', { email: 'ada@example.org', password });
    const wrong = await a.submit('/account/password', '/account/password', {
      currentPassword: 'not it at all',
      newPassword: 'amber falcon drifts east',
    });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /not your current password/);
    const ok = await a.submit('/account/password', '/account/password', {
      currentPassword: password,
      newPassword: 'amber falcon drifts east',
    });
    assert.equal(ok.statusCode, 303);
    assert.equal((await a.api('GET', '/api/v1/me')).statusCode, 200);
    assert.equal((await other.api('GET', '/api/v1/me')).statusCode, 401);
    await a.api('POST', '/api/v1/me/password', { currentPassword: 'amber falcon drifts east', newPassword: password });
  });

  test('downloading my data needs a confirmed address, then holds my account rows', async () => {
    const b = new Browser(h.app);
    await b.api('POST', '/api/v1/accounts', {
      name: 'Una Verified',
      email: 'una@example.org',
      password: 'pebble meadow crane',
    });
    await b.api('POST', '/api/v1/sessions', { email: 'una@example.org', password: 'pebble meadow crane' });
    const refused = await b.api('GET', '/api/v1/me/data-export');
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'email_unverified');
    await deliver();
    await b.get(linkIn(h.mailer.to('una@example.org')[0]!.text, '/account/verify'));
    const res = await b.api('GET', '/api/v1/me/data-export');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-disposition']), /attachment/);
    const users = res.json().records.find((r: { table: string }) => r.table === 'users');
    assert.equal(users.rows[0].email, 'una@example.org');
    assert.equal(users.legalBasisArticle, 'Art. 6(1)(b) GDPR');
    // The documented reply schema keeps everything, in order: nothing of the export is dropped on the way out.
    const exported = res.json();
    assert.deepEqual(Object.keys(exported), [
      'format',
      'generatedAt',
      'subject',
      'controller',
      'records',
      'unlinked',
      'files',
    ]);
    assert.ok(exported.controller.dpo.email);
    assert.ok(Object.keys(users.rows[0]).length > 5, Object.keys(users.rows[0]).join());
  });

  test('forms without a valid CSRF token are refused and change nothing', async () => {
    const b = new Browser(h.app);
    await b.get('/account/register');
    const res = await b.post('/account/register', {
      _csrf: 'forged',
      name: 'Mallory',
      email: 'mallory@example.org',
      password,
    });
    assert.equal(res.statusCode, 403);
    const none = await new Browser(h.app).post('/account/register', {
      name: 'Mallory',
      email: 'mallory@example.org',
      password,
    });
    assert.equal(none.statusCode, 403);
    assert.equal(
      await h.deps.db.selectFrom('users').select('id').where('email', '=', 'mallory@example.org').executeTakeFirst(),
      undefined,
    );
  });

  test('control characters (NUL) in input are refused with 400 on every database', async () => {
    const b = new Browser(h.app);
    const login = await b.api('POST', '/api/v1/sessions', { email: 'a\u0000b@example.com', password: 'whatever pass' });
    assert.equal(login.statusCode, 400);
    const reg = await b.api('POST', '/api/v1/accounts', {
      name: 'A\u0000B',
      email: 'nul@example.org',
      password: 'long enough pass',
    });
    assert.equal(reg.statusCode, 400);
    const form = await b.submit('/account/register', '/account/register', {
      name: 'A\u0000B',
      email: 'nul@example.org',
      password: 'long enough pass',
    });
    assert.equal(form.statusCode, 400);
    assert.equal(
      await h.deps.db.selectFrom('users').select('id').where('email', '=', 'nul@example.org').executeTakeFirst(),
      undefined,
    );
  });

  test('the JSON API refuses foreign origins and non-JSON bodies instead of asking for a token', async () => {
    const { b } = await signedIn(h, { name: 'Ada Newcomer' });
    const foreign = await b.api('PATCH', '/api/v1/me', { name: 'Evil' }, { origin: 'https://evil.example' });
    assert.equal(foreign.statusCode, 403);
    assert.equal(foreign.json().error.code, 'foreign_origin');
    const crossSite = await b.api('DELETE', '/api/v1/sessions/current', undefined, { 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.statusCode, 403);
    const form = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie: b.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=Evil',
    });
    assert.equal(form.statusCode, 415);
    const same = await b.api('PATCH', '/api/v1/me', { name: 'Ada Lovelace' }, { origin: 'http://127.0.0.1:3000' });
    assert.equal(same.statusCode, 200);
    assert.equal((await b.api('GET', '/api/v1/me')).json().name, 'Ada Lovelace');
  });
});
