// Account takeover and enumeration defences (issue 8, points 2-5, 19, 21c, 21d): re-authentication, the undo link
// of an email change, session rotation, the per-address sign-in throttle, plain names, coalesced mails, equal answers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { DAY, MINUTE } from '../../platform/clock.ts';
import { loadConfig } from '../../platform/config.ts';
import { Browser, describeEachDatabase, linkIn, openHarness, type Harness } from '../../testing/harness.ts';
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { createStaffUser, normaliseEmail, requestPasswordReset } from './accounts.service.ts';
import { normaliseEmails } from './migrations/003-normalise-emails.ts';

const password = 'violet tram seven moons';
const tokenOf = (link: string) => new URLSearchParams(link.split('?')[1]).get('token') ?? '';

describeEachDatabase('account security', (db) => {
  let h: Harness;
  let ip = 0;
  /** A browser from a fresh address, so the per-IP limit never hides what the per-address throttle does. */
  const fresh = () => new Browser(h.app, `198.51.100.${++ip % 250}`);

  before(async () => {
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

  async function register(name: string, email: string, pass = password) {
    const res = await fresh().api('POST', '/api/v1/accounts', { name, email, password: pass });
    assert.equal(res.statusCode, 202, res.body);
  }

  async function signedIn(email: string, pass = password): Promise<Browser> {
    const b = fresh();
    const res = await b.api('POST', '/api/v1/sessions', { email, password: pass });
    assert.equal(res.statusCode, 201, res.body);
    return b;
  }

  const userCount = async () =>
    Number(
      (
        await h.deps.db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  // ---- point 5: enumeration ----

  test('registering a known address answers exactly like a new one, signs nobody in, and mails the owner instead', async () => {
    const fresh1 = fresh();
    const created = await fresh1.api('POST', '/api/v1/accounts', {
      name: 'Olga Owner',
      email: 'olga@example.org',
      password,
    });
    const again = await fresh().api('POST', '/api/v1/accounts', {
      name: 'Mallory Spoof',
      email: 'olga@example.org',
      password: 'another long passphrase',
    });
    assert.equal(created.statusCode, 202);
    assert.equal(again.statusCode, 202);
    assert.equal(again.body, created.body);
    assert.deepEqual(Object.keys(again.headers).sort(), Object.keys(created.headers).sort());
    // No session either way: a cookie only for one of them would tell them apart.
    assert.equal(created.headers['set-cookie'], undefined);
    assert.equal((await fresh1.api('GET', '/api/v1/me')).statusCode, 401);

    await deliver();
    const mails = h.mailer.to('olga@example.org');
    assert.equal(mails.length, 2);
    assert.match(mails[0]!.subject, /confirm your email/);
    const notice = mails[1]!;
    assert.match(notice.subject, /Someone tried to register with your address/);
    assert.match(
      notice.text,
      /reset it here:\s+Reset your password:\s+http:\/\/127\.0\.0\.1:3000\/account\/password-reset/,
    );
    // Olga has not confirmed the address yet, so whoever typed her name need not own it: no name in the greeting.
    assert.match(notice.text, /^Hello,\n/);
    assert.doesNotMatch(notice.text, /Mallory/);
    // The form answers the same page for both, too.
    const page1 = await fresh().submit('/account/register', '/account/register', {
      name: 'Paul New',
      email: 'paul@example.org',
      password,
    });
    const page2 = await fresh().submit('/account/register', '/account/register', {
      name: 'Paul Again',
      email: 'paul@example.org',
      password,
    });
    assert.equal(page1.statusCode, 200);
    const strip = (body: string) => body.replace(/value="[^"]*"/g, '').replace(/nonce="[^"]*"/g, '');
    assert.equal(strip(page2.body), strip(page1.body));
    // The new account signs in with its password, before verifying.
    assert.equal(
      (await fresh().api('POST', '/api/v1/sessions', { email: 'olga@example.org', password })).statusCode,
      201,
    );
  });

  test('a reset request does the same database work for a known and an unknown address: the same statements within a mail window, and one write transaction with two more inserts for the first', async () => {
    await register('Resa Reset', 'resa@example.org');
    /** The statements a request runs, as "kind table" (no values), recorded by a Kysely plugin on its own handle. */
    async function statements(email: string): Promise<string[]> {
      const seen: string[] = [];
      const recorder: KyselyPlugin = {
        transformQuery: ({ node }) => {
          const table =
            /"kind":"TableNode","table":\{"kind":"SchemableIdentifierNode","identifier":\{"kind":"IdentifierNode","name":"([a-z_]+)"/.exec(
              JSON.stringify(node as RootOperationNode),
            );
          seen.push(`${node.kind.replace('QueryNode', '').toLowerCase()} ${table?.[1] ?? '?'}`);
          return node;
        },
        transformResult: async ({ result }) => result,
      };
      await requestPasswordReset({ ...h.deps, db: h.deps.db.withPlugin(recorder) }, email);
      return seen;
    }
    const unknownFirst = await statements('resa-nobody@example.org');
    const knownFirst = await statements('resa@example.org');
    const unknownAgain = await statements('resa-nobody@example.org');
    const knownAgain = await statements('resa@example.org');
    // Both look the address up and take the per-address mail window (a write) whether or not it has an account.
    assert.deepEqual(unknownFirst, ['select users', 'insert account_limits']);
    assert.deepEqual(knownFirst, ['select users', 'insert account_limits', 'insert account_tokens', 'insert outbox']);
    // Within the window, which is the most a prober gets for one address, the work is identical.
    assert.deepEqual(knownAgain, unknownAgain);
    assert.deepEqual(unknownAgain, ['select users', 'insert account_limits']);
  });

  test('sign-in spends one argon2 verification whatever the state of the address (unknown, set-up link pending, wrong password)', async () => {
    await createStaffUser(h.deps, { email: 'pending@example.org', role: 'staff' });
    await register('Timo Timing', 'timo@example.org');
    // CPU time of the whole process (argon2 runs on libuv's threads), which other load on the machine barely moves.
    async function cpuMs(email: string): Promise<number> {
      const start = process.cpuUsage();
      for (let i = 0; i < 5; i++) {
        const res = await fresh().api('POST', '/api/v1/sessions', { email, password: `wrong guess number ${i}` });
        assert.equal(res.statusCode, 401);
        assert.equal(res.json().error.code, 'bad_credentials');
      }
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    }
    // The first sign-ins of a process also compile their code: warm up on an address of its own. Then each state
    // twice, taking turns, and the least of each: other work in the process (or on a busy machine) only adds time.
    // Two rounds of five stay within the throttle's free attempts per address.
    await cpuMs('warm-up@example.org');
    const rounds = { unknown: [] as number[], pending: [] as number[], wrong: [] as number[] };
    for (let round = 0; round < 2; round++) {
      rounds.unknown.push(await cpuMs('nobody-here@example.org'));
      rounds.pending.push(await cpuMs('pending@example.org'));
      rounds.wrong.push(await cpuMs('timo@example.org'));
    }
    const unknown = Math.min(...rounds.unknown);
    const pending = Math.min(...rounds.pending);
    const wrong = Math.min(...rounds.wrong);
    // Without the decoy the pending account cost a few ms against about a hundred for the others.
    assert.ok(pending > unknown / 2, `pending ${pending} ms vs unknown ${unknown} ms`);
    assert.ok(wrong > unknown / 2 && unknown > wrong / 2, `wrong ${wrong} ms vs unknown ${unknown} ms`);
  });

  test('POST /api/v1/accounts and PATCH /api/v1/me are documented with their new answers in the OpenAPI document', async () => {
    const doc = (await fresh().api('GET', '/api/v1/openapi.json')).json();
    const register = doc.paths['/api/v1/accounts'].post;
    assert.ok(register.responses['202']);
    assert.equal(register.responses['201'], undefined);
    assert.equal(register.responses['409'], undefined);
    const patch = doc.paths['/api/v1/me'].patch;
    const body = patch.requestBody.content['application/json'].schema;
    assert.ok(body.properties.currentPassword);
    // An email change never answers "taken": it waits for the new address to confirm it.
    assert.equal(patch.responses['409'], undefined);
    assert.match(patch.description, /confirmed/);
    assert.ok(doc.paths['/api/v1/email-changes/confirm'].post.responses['204']);
    assert.ok(doc.paths['/api/v1/sessions'].post.responses['429']);
    assert.ok(doc.paths['/api/v1/email-changes/undo'].post);
  });

  // ---- point 2: re-authentication and the undo link ----

  test('changing the email address needs the current password; the old address gets a link that restores it and ends every session', async () => {
    await register('Vera Victim', 'vera@example.org');
    const laptop = await signedIn('vera@example.org');
    const thief = await signedIn('vera@example.org');

    const without = await thief.api('PATCH', '/api/v1/me', { email: 'thief@example.net' });
    assert.equal(without.statusCode, 400);
    assert.ok(without.json().error.fields.currentPassword);
    const wrong = await thief.api('PATCH', '/api/v1/me', {
      email: 'thief@example.net',
      currentPassword: 'a guessed password',
    });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().error.code, 'wrong_password');
    const form = await thief.submit('/account/profile', '/account/profile', {
      name: 'Vera Victim',
      email: 'thief@example.net',
      company: '',
      phone: '',
    });
    assert.equal(form.statusCode, 400);
    assert.match(form.body, /current password/);
    assert.equal((await thief.api('GET', '/api/v1/me')).json().email, 'vera@example.org');

    // With the password (say it was phished too) and the new mailbox's link the change goes through, and the old
    // address is told.
    await moveAccount(thief, 'thief@example.net');
    await deliver();
    const notice = h.mailer.to('vera@example.org').at(-1)!;
    assert.match(notice.subject, /email address of your account was changed/);
    assert.match(notice.text, /changed to thief@example\.net/);
    assert.match(notice.text, /valid for 7 days/);
    const link = linkIn(notice.text, '/account/email-change/undo');
    // Stored as a hash only.
    assert.ok(
      !JSON.stringify(await h.deps.db.selectFrom('account_tokens').selectAll().execute()).includes(tokenOf(link)),
    );
    assert.ok(!JSON.stringify(await h.deps.db.selectFrom('outbox').selectAll().execute()).includes(tokenOf(link)));

    // The link moves its token out of the address; the page's form undoes the change.
    const owner = fresh();
    const opened = await owner.get(link);
    assert.equal(opened.statusCode, 303);
    assert.equal(opened.headers.location, '/account/email-change/undo');
    const page = await owner.get('/account/email-change/undo');
    assert.match(page.body, /Undo the email change/);
    const undone = await owner.submit('/account/email-change/undo', '/account/email-change/undo', {});
    assert.equal(undone.statusCode, 200, undone.body);
    assert.match(undone.body, /Change undone/);

    assert.equal((await thief.api('GET', '/api/v1/me')).statusCode, 401);
    assert.equal((await laptop.api('GET', '/api/v1/me')).statusCode, 401);
    // The password the thief used is void now (see the next test); the owner sets a new one by the mailed link.
    await deliver();
    const reset = linkIn(
      h.mailer
        .to('vera@example.org')
        .filter((m) => /Reset your password/.test(m.subject))
        .at(-1)!.text,
      '/account/password-reset/confirm',
    );
    assert.equal(
      (
        await fresh().api('POST', '/api/v1/password-resets/confirm', {
          token: tokenOf(reset),
          password: 'vera owns this again',
        })
      ).statusCode,
      204,
    );
    const me = (await (await signedIn('vera@example.org', 'vera owns this again')).api('GET', '/api/v1/me')).json();
    assert.equal(me.email, 'vera@example.org');
    assert.equal(me.emailVerified, true);
    assert.equal(
      (await fresh().api('POST', '/api/v1/sessions', { email: 'thief@example.net', password })).statusCode,
      401,
    );
    // Single use.
    assert.equal((await fresh().api('POST', '/api/v1/email-changes/undo', { token: tokenOf(link) })).statusCode, 400);
  });

  /** Moves the signed-in account to `newEmail` (the whole flow, as the thief who knows the password would). */
  async function moveAccount(b: Browser, newEmail: string, pass = password) {
    const res = await b.api('PATCH', '/api/v1/me', { email: newEmail, currentPassword: pass });
    assert.equal(res.statusCode, 200, res.body);
    await deliver();
    const link = h.mailer.linkTo(newEmail, '/account/email-change/confirm');
    const confirmed = await fresh().api('POST', '/api/v1/email-changes/confirm', { token: tokenOf(link) });
    assert.equal(confirmed.statusCode, 204, confirmed.body);
  }

  test('an email change takes effect only when the new address confirms it; a taken address gets the same answer and its owner a notice instead of a link', async () => {
    await register('Gina Change', 'gina@example.org');
    await register('Holly Holder', 'holly@example.org');
    const gina = await signedIn('gina@example.org');
    await deliver();
    const before = { gina: h.mailer.to('gina@example.org').length, holly: h.mailer.to('holly@example.org').length };
    const free = await gina.api('PATCH', '/api/v1/me', { email: 'gina.new@example.org', currentPassword: password });
    const taken = await gina.api('PATCH', '/api/v1/me', { email: 'holly@example.org', currentPassword: password });
    assert.equal(free.statusCode, 200, free.body);
    assert.equal(taken.statusCode, 200, taken.body);
    assert.equal(taken.body, free.body);
    assert.deepEqual(Object.keys(taken.headers).sort(), Object.keys(free.headers).sort());
    assert.equal(free.json().email, 'gina@example.org');
    // The form says the same for both.
    const strip = (body: string) => body.replace(/value="[^"]*"/g, '').replace(/nonce="[^"]*"/g, '');
    const form1 = await gina.submit('/account/profile', '/account/profile', {
      name: 'Gina Change',
      email: 'gina.other@example.org',
      company: '',
      phone: '',
      currentPassword: password,
    });
    const form2 = await gina.submit('/account/profile', '/account/profile', {
      name: 'Gina Change',
      email: 'holly@example.org',
      company: '',
      phone: '',
      currentPassword: password,
    });
    assert.equal(form1.statusCode, 200);
    assert.match(form1.body, /open the link we sent to the new address/);
    assert.equal(strip(form2.body), strip(form1.body));
    assert.equal((await gina.api('GET', '/api/v1/me')).json().email, 'gina@example.org');

    await deliver();
    // The owner of the taken address is told, with no link that could confirm anything.
    const hollyMails = h.mailer.to('holly@example.org').slice(before.holly);
    assert.equal(hollyMails.length, 1);
    assert.match(hollyMails[0]!.subject, /Someone tried to move an account to your address/);
    assert.doesNotMatch(hollyMails[0]!.text, /token=/);
    // Nothing reaches the old address yet: the change has not happened.
    assert.equal(h.mailer.to('gina@example.org').length, before.gina);
    const confirm = h.mailer.to('gina.new@example.org').at(-1)!;
    assert.match(confirm.subject, /Confirm the new email address/);
    const link = linkIn(confirm.text, '/account/email-change/confirm');
    assert.ok(
      !JSON.stringify(await h.deps.db.selectFrom('account_tokens').selectAll().execute()).includes(tokenOf(link)),
    );
    assert.ok(!JSON.stringify(await h.deps.db.selectFrom('outbox').selectAll().execute()).includes(tokenOf(link)));

    // Opening the link spends it and shows the outcome at a token-free address.
    const opened = await fresh().get(link);
    assert.equal(opened.statusCode, 303);
    assert.equal(opened.headers.location, '/account/email-change/confirm?status=confirmed');
    assert.match((await fresh().get(String(opened.headers.location))).body, /new email address is confirmed/);
    const me = (await gina.api('GET', '/api/v1/me')).json();
    assert.equal(me.email, 'gina.new@example.org');
    assert.equal(me.emailVerified, true);
    // Now the old address gets its notice with the undo link.
    await deliver();
    const notice = h.mailer.to('gina@example.org').at(-1)!;
    assert.match(notice.subject, /email address of your account was changed/);
    assert.match(notice.text, /changed to gina\.new@example\.org/);
    linkIn(notice.text, '/account/email-change/undo');
    // The second request's link (gina.other) died with the change; the link is single use.
    const other = h.mailer.linkTo('gina.other@example.org', '/account/email-change/confirm');
    assert.equal(
      (await fresh().api('POST', '/api/v1/email-changes/confirm', { token: tokenOf(other) })).statusCode,
      400,
    );
    assert.equal(
      (await fresh().api('POST', '/api/v1/email-changes/confirm', { token: tokenOf(link) })).statusCode,
      400,
    );
  });

  test('undoing an email change voids the password the thief knows, ends every session and mails a reset link to the restored address', async () => {
    await register('Ursula Undo', 'ursula@example.org');
    const thief = await signedIn('ursula@example.org');
    await moveAccount(thief, 'ursula-thief@example.net');
    await deliver();
    const undo = tokenOf(
      linkIn(
        h.mailer
          .to('ursula@example.org')
          .filter((m) => /was changed/.test(m.subject))
          .at(-1)!.text,
        '/account/email-change/undo',
      ),
    );
    const resetsBefore = h.mailer.to('ursula@example.org').filter((m) => /Reset your password/.test(m.subject)).length;
    assert.equal((await fresh().api('POST', '/api/v1/email-changes/undo', { token: undo })).statusCode, 204);
    assert.equal((await thief.api('GET', '/api/v1/me')).statusCode, 401);
    // The password the thief knows no longer opens the account, under either address.
    for (const email of ['ursula@example.org', 'ursula-thief@example.net']) {
      assert.equal((await fresh().api('POST', '/api/v1/sessions', { email, password })).statusCode, 401, email);
    }
    const stored = await h.deps.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', 'ursula@example.org')
      .executeTakeFirstOrThrow();
    assert.match(stored.password_hash, /^!unset:/);
    // The owner gets a reset link at the restored address and chooses a new password with it.
    await deliver();
    const resets = h.mailer.to('ursula@example.org').filter((m) => /Reset your password/.test(m.subject));
    assert.equal(resets.length, resetsBefore + 1);
    assert.ok(
      !JSON.stringify(await h.deps.db.selectFrom('outbox').selectAll().execute()).includes(
        tokenOf(linkIn(resets.at(-1)!.text, '/account/password-reset/confirm')),
      ),
    );
    const reset = await fresh().api('POST', '/api/v1/password-resets/confirm', {
      token: tokenOf(linkIn(resets.at(-1)!.text, '/account/password-reset/confirm')),
      password: 'ursula is back in charge',
    });
    assert.equal(reset.statusCode, 204);
    assert.equal(
      (
        await fresh().api('POST', '/api/v1/sessions', {
          email: 'ursula@example.org',
          password: 'ursula is back in charge',
        })
      ).statusCode,
      201,
    );
  });

  test('the undo link of an email change works for 7 days and not after', async () => {
    const undoToken = async (who: string) => {
      await register(who, `${who}@example.org`);
      const b = await signedIn(`${who}@example.org`);
      await moveAccount(b, `${who}.new@example.org`);
      await deliver();
      return tokenOf(h.mailer.linkTo(`${who}@example.org`, '/account/email-change/undo'));
    };
    const walt = await undoToken('walt');
    const xena = await undoToken('xena');
    h.clock.advance(7 * DAY - MINUTE);
    assert.equal((await fresh().api('POST', '/api/v1/email-changes/undo', { token: walt })).statusCode, 204);
    h.clock.advance(2 * MINUTE);
    const late = await fresh().api('POST', '/api/v1/email-changes/undo', { token: xena });
    assert.equal(late.statusCode, 400);
    assert.equal(late.json().error.code, 'invalid_token');
    assert.equal(
      (await h.deps.db.selectFrom('users').select('email').where('name', '=', 'walt').executeTakeFirstOrThrow()).email,
      'walt@example.org',
    );
    assert.equal(
      (await (await signedIn('xena.new@example.org')).api('GET', '/api/v1/me')).json().email,
      'xena.new@example.org',
    );
  });

  // ---- point 3: session rotation and the per-address throttle ----

  test('signing in ends the session the browser had before, also when another account signs in', async () => {
    await register('Rita Rotate', 'rita@example.org');
    await register('Sven Second', 'sven@example.org');
    const b = await signedIn('rita@example.org');
    const first = b.cookie('__Host-candor_session')!;
    assert.equal((await b.api('POST', '/api/v1/sessions', { email: 'rita@example.org', password })).statusCode, 201);
    const second = b.cookie('__Host-candor_session')!;
    assert.notEqual(second, first);
    const replay = (token: string) =>
      h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `__Host-candor_session=${token}` } });
    assert.equal((await replay(first)).statusCode, 401);
    assert.equal((await replay(second)).statusCode, 200);
    // The form, too, and for a different account.
    // (A signed-in browser is sent on from the login page, so the form's token comes from another page.)
    assert.equal(
      (await b.submit('/account/profile', '/account/login', { email: 'sven@example.org', password })).statusCode,
      303,
    );
    assert.equal((await replay(second)).statusCode, 401);
    assert.equal((await b.api('GET', '/api/v1/me')).json().email, 'sven@example.org');
  });

  test('failed sign-ins for one address are delayed exponentially across form, API and addresses, the same for an unknown address, and never lock the owner out for longer than 15 minutes', async () => {
    await register('Tara Target', 'tara@example.org');
    type Outcome = [number, string, string | undefined];
    async function attempt(email: string, i: number, pass = `wrong guess number ${i}`): Promise<Outcome> {
      const b = fresh();
      if (i % 2 === 0) {
        const res = await b.api('POST', '/api/v1/sessions', { email, password: pass });
        return [
          res.statusCode,
          res.statusCode === 201 ? 'ok' : res.json().error.code,
          res.headers['retry-after'] as string | undefined,
        ];
      }
      const res = await b.submit('/account/login', '/account/login', { email, password: pass });
      const code = res.statusCode === 429 ? 'sign_in_delayed' : res.statusCode === 401 ? 'bad_credentials' : 'ok';
      return [res.statusCode, code, res.headers['retry-after'] as string | undefined];
    }
    for (const email of ['tara@example.org', 'no-account-here@example.org']) {
      const outcomes: Outcome[] = [];
      for (let i = 0; i < 10; i++) outcomes.push(await attempt(email, i));
      assert.deepEqual(
        outcomes,
        Array.from({ length: 10 }, () => [401, 'bad_credentials', undefined]),
        email,
      );
      // The 11th waits 1 s, even with the right password and from yet another address.
      assert.deepEqual(await attempt(email, 10, password), [429, 'sign_in_delayed', '1']);
      assert.deepEqual(await attempt(email, 11), [429, 'sign_in_delayed', '1']);
      h.clock.advance(1000);
      assert.deepEqual(await attempt(email, 12), [401, 'bad_credentials', undefined]);
      assert.deepEqual(await attempt(email, 13), [429, 'sign_in_delayed', '2']);
      // Doubling, capped at 15 minutes however long the attack goes on.
      let wait = 2;
      for (let round = 0; round < 14; round++) {
        h.clock.advance(wait * 1000);
        assert.equal((await attempt(email, 14 + round))[0], 401);
        const [status, , retry] = await attempt(email, 15 + round);
        assert.equal(status, 429);
        wait = Number(retry);
      }
      assert.equal(wait, 15 * 60);
    }
    // The owner waits at most 15 minutes, then the right password signs in and the count starts afresh.
    h.clock.advance(15 * MINUTE);
    assert.deepEqual(await attempt('tara@example.org', 0, password), [201, 'ok', undefined]);
    assert.deepEqual(await attempt('tara@example.org', 1), [401, 'bad_credentials', undefined]);
  });

  test('under a sustained guessing attack the owner still signs in from a browser that signed in before, and from any browser after a password reset', async () => {
    await register('Kira Known', 'kira@example.org');
    await register('Mallory Own', 'mallory-own@example.org');
    const laptop = await signedIn('kira@example.org');
    const device = laptop.cookie('__Host-candor_device');
    assert.ok(device, 'a successful sign-in leaves a known-device cookie');
    // The attacker's own known-device cookie is bound to the attacker's account, not to Kira's.
    const attacker = await signedIn('mallory-own@example.org');
    const guess = async (b: Browser, i: number) =>
      (await b.api('POST', '/api/v1/sessions', { email: 'kira@example.org', password: `attacker guess ${i}` }))
        .statusCode;
    for (let i = 0; i < 12; i++) await guess(attacker, i);
    // One attacker request every 15 minutes keeps the per-address delay going for hours.
    for (let round = 0; round < 8; round++) {
      h.clock.advance(15 * MINUTE);
      await guess(attacker, 100 + round);
      assert.equal(
        (await fresh().api('POST', '/api/v1/sessions', { email: 'kira@example.org', password })).statusCode,
        429,
      );
      // The owner's laptop skips the per-address delay and gets in (its session had timed out meanwhile).
      const owner = await laptop.api('POST', '/api/v1/sessions', { email: 'kira@example.org', password });
      assert.equal(owner.statusCode, 201, owner.body);
    }
    // A forged or foreign device cookie buys nothing.
    const forger = fresh();
    const forged = await h.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      remoteAddress: '203.0.113.9',
      headers: {
        'content-type': 'application/json',
        cookie: `__Host-candor_device=${attacker.cookie('__Host-candor_device')}`,
      },
      payload: { email: 'kira@example.org', password },
    });
    assert.equal(forged.statusCode, 429);
    assert.equal(
      (await forger.api('POST', '/api/v1/sessions', { email: 'kira@example.org', password })).statusCode,
      429,
    );
    // The known device has its own small limit: guessing from it is delayed too.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await laptop.api('POST', '/api/v1/sessions', { email: 'kira@example.org', password: `laptop typo ${i}` }))
          .statusCode,
      );
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    // A password reset clears the per-address count: then any browser gets in.
    assert.equal((await fresh().api('POST', '/api/v1/password-resets', { email: 'kira@example.org' })).statusCode, 202);
    await deliver();
    const link = linkIn(
      h.mailer
        .to('kira@example.org')
        .filter((m) => /Reset your password/.test(m.subject))
        .at(-1)!.text,
      '/account/password-reset/confirm',
    );
    assert.equal(
      (
        await fresh().api('POST', '/api/v1/password-resets/confirm', {
          token: tokenOf(link),
          password: 'kira chose a fresh passphrase',
        })
      ).statusCode,
      204,
    );
    assert.equal(
      (
        await fresh().api('POST', '/api/v1/sessions', {
          email: 'kira@example.org',
          password: 'kira chose a fresh passphrase',
        })
      ).statusCode,
      201,
    );
  });

  test('the known-device cookie is HttpOnly, signed, and names neither the account nor the address', async () => {
    await register('Dora Device', 'dora@example.org');
    const res = await fresh().api('POST', '/api/v1/sessions', { email: 'dora@example.org', password });
    const cookie = (
      res.cookies as {
        name: string;
        value: string;
        httpOnly?: boolean;
        secure?: boolean;
        path?: string;
        maxAge?: number;
      }[]
    ).find((c) => c.name === '__Host-candor_device');
    assert.ok(cookie);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.path, '/');
    assert.ok((cookie.maxAge ?? 0) > 0);
    const user = await h.deps.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'dora@example.org')
      .executeTakeFirstOrThrow();
    assert.ok(!cookie.value.includes(user.id) && !cookie.value.includes('dora'));
  });

  test('wrong current passwords on email and password changes count towards the same per-address throttle', async () => {
    await register('Quinn Quota', 'quinn@example.org');
    const thief = await signedIn('quinn@example.org');
    for (let i = 0; i < 5; i++)
      assert.equal(
        (await thief.api('PATCH', '/api/v1/me', { email: 'q@example.net', currentPassword: `guess ${i} of many` }))
          .statusCode,
        400,
      );
    for (let i = 0; i < 5; i++)
      assert.equal(
        (
          await thief.api('POST', '/api/v1/me/password', {
            currentPassword: `guess ${i} again`,
            newPassword: 'brand new passphrase',
          })
        ).statusCode,
        400,
      );
    const limited = await fresh().api('POST', '/api/v1/sessions', { email: 'quinn@example.org', password });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().error.code, 'sign_in_delayed');
  });

  // ---- point 4: names and mail coalescing ----

  test('names with line breaks, invisible characters, web or mail addresses are refused with a clear 400', async () => {
    for (const name of [
      'Eve\nVisit https://evil.example',
      'Eve\r\nBcc: x',
      'Click www.evil.example',
      'Win at evil.example today',
      'Write to eve@evil.example',
      'Eve\u2028Line',
      'Eve\u202eevil',
    ]) {
      const res = await fresh().api('POST', '/api/v1/accounts', {
        name,
        email: `n${randomBytes(3).toString('hex')}@example.org`,
        password,
      });
      assert.equal(res.statusCode, 400, JSON.stringify(name));
      assert.equal(res.json().error.code, 'invalid_input');
      assert.ok(res.json().error.fields.name, JSON.stringify(name));
    }
    const de = await fresh().api(
      'POST',
      '/api/v1/accounts',
      { name: 'Eve https://evil.example', email: 'eve@example.org', password },
      { 'accept-language': 'de' },
    );
    assert.match(de.json().error.fields.name, /ohne Web- oder E-Mail-Adressen/);
    const form = await fresh().submit('/account/register', '/account/register', {
      name: 'Eve\nhttps://evil.example',
      email: 'eve@example.org',
      password,
    });
    assert.equal(form.statusCode, 400);
    assert.match(form.body, /one line/);
    for (const name of ['Zoë O’Brien-Smith', 'J. R. R. Tolkien', 'Dr. Ada King', '李小龍']) {
      assert.equal(
        (
          await fresh().api('POST', '/api/v1/accounts', {
            name,
            email: `ok${randomBytes(3).toString('hex')}@example.org`,
            password,
          })
        ).statusCode,
        202,
        name,
      );
    }
    await register('Nora Name', 'nora@example.org');
    const b = await signedIn('nora@example.org');
    assert.equal((await b.api('PATCH', '/api/v1/me', { name: 'Nora\nhttp://evil.example' })).statusCode, 400);
  });

  test('a stored name that could carry a link or line break is left out of mails', async () => {
    await register('Lena Legacy', 'lena@example.org');
    await h.deps.db
      .updateTable('users')
      .set({ name: 'Lena\n\nYour account is locked: https://evil.example/unlock' })
      .where('email', '=', 'lena@example.org')
      .execute();
    assert.equal((await fresh().api('POST', '/api/v1/password-resets', { email: 'lena@example.org' })).statusCode, 202);
    await deliver();
    const mail = h.mailer.to('lena@example.org').at(-1)!;
    assert.match(mail.subject, /Reset your password/);
    assert.doesNotMatch(mail.text, /evil|locked/);
    assert.match(mail.text, /^Hello,\n/);
  });

  test('reset, verification and registration-attempt mails are coalesced per address: one per 15 minutes, each with a fresh link, and a stranger cannot spoil the owner’s link', async () => {
    await register('Cleo Coalesce', 'cleo@example.org');
    const owner = await signedIn('cleo@example.org');
    await deliver();
    const mails = () => h.mailer.to('cleo@example.org');
    assert.equal(mails().length, 1);

    // Verification: the resend within the window sends nothing; after it, a new link.
    assert.equal((await owner.api('POST', '/api/v1/me/verification')).statusCode, 202);
    await deliver();
    assert.equal(mails().length, 1);

    // Reset: a stranger asks many times, the owner once more; one mail, and its link still works.
    for (let i = 0; i < 5; i++)
      assert.equal(
        (await fresh().api('POST', '/api/v1/password-resets', { email: 'cleo@example.org' })).statusCode,
        202,
      );
    const ownerAsks = await fresh().submit('/account/password-reset', '/account/password-reset', {
      email: 'cleo@example.org',
    });
    assert.equal(ownerAsks.statusCode, 200);
    await deliver();
    const resets = mails().filter((m) => /Reset your password/.test(m.subject));
    assert.equal(resets.length, 1);

    // Registration attempts on the known address: one notice.
    for (let i = 0; i < 3; i++) await register('Somebody Else', 'cleo@example.org');
    await deliver();
    assert.equal(mails().filter((m) => /Someone tried to register/.test(m.subject)).length, 1);

    // After the window each kind sends again, with a fresh link.
    h.clock.advance(15 * MINUTE);
    await fresh().api('POST', '/api/v1/password-resets', { email: 'cleo@example.org' });
    await owner.api('POST', '/api/v1/me/verification');
    await register('Somebody Else', 'cleo@example.org');
    await deliver();
    const after = mails();
    const resetLinks = after
      .filter((m) => /Reset your password/.test(m.subject))
      .map((m) => tokenOf(linkIn(m.text, '/account/password-reset/confirm')));
    assert.equal(resetLinks.length, 2);
    assert.notEqual(resetLinks[0], resetLinks[1]);
    const verifyLinks = after
      .filter((m) => /confirm your email/.test(m.subject))
      .map((m) => tokenOf(linkIn(m.text, '/account/verify')));
    assert.equal(verifyLinks.length, 2);
    assert.notEqual(verifyLinks[0], verifyLinks[1]);
    assert.equal(after.filter((m) => /Someone tried to register/.test(m.subject)).length, 2);
    // The first reset link, sent before the stranger's requests, is still the owner's to use.
    const reset = await fresh().api('POST', '/api/v1/password-resets/confirm', {
      token: resetLinks[0],
      password: 'a new and fine passphrase',
    });
    assert.equal(reset.statusCode, 204);
  });

  // ---- point 19: normalised addresses ----

  test('a full-width look-alike of a known address reaches the same account instead of creating a second one', async () => {
    assert.equal(normaliseEmail(' ＡＬＩＣＥ@Ｅxample.ORG '), 'alice@example.org');
    await register('Alice Original', 'alice@example.org');
    const before = await userCount();
    await register('Alice Twin', 'ａｌｉｃｅ@example.org');
    await register('Alice Twin', 'ALICE@EXAMPLE.ORG');
    assert.equal(await userCount(), before);
    await deliver();
    assert.equal(h.mailer.to('alice@example.org').filter((m) => /Someone tried to register/.test(m.subject)).length, 1);
    assert.equal(
      (await fresh().api('POST', '/api/v1/sessions', { email: 'ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｏｒｇ', password }))
        .statusCode,
      201,
    );
    // Another account cannot move to a look-alike of it.
    await register('Bob Other', 'bob@example.org');
    const bob = await signedIn('bob@example.org');
    const moved = await bob.api('PATCH', '/api/v1/me', { email: 'ａｌｉｃｅ@example.org', currentPassword: password });
    assert.equal(moved.statusCode, 200);
    assert.equal(moved.json().email, 'bob@example.org');
    await deliver();
    assert.equal(
      h.mailer.to('alice@example.org').filter((m) => /Someone tried to move an account/.test(m.subject)).length,
      1,
    );
    // A reset asked for with the look-alike goes to the one real address.
    await fresh().api('POST', '/api/v1/password-resets', { email: 'ａｌｉｃｅ@ｅｘａｍｐｌｅ.org' });
    await deliver();
    assert.equal(h.mailer.to('alice@example.org').filter((m) => /Reset your password/.test(m.subject)).length, 1);
    // A data-subject request made with the look-alike finds the same person.
    const { exportSubjectData } = await import('../../privacy/subject.ts');
    const exported = (await exportSubjectData(h.deps, 'ＡＬＩＣＥ@example.org')) as unknown as {
      records: { table: string; rows: { email: string }[] }[];
    };
    assert.equal(exported.records.find((r) => r.table === 'users')?.rows[0]?.email, 'alice@example.org');
  });

  test('the migration normalises addresses stored before NFKC, so they sign in again; a collision is left untouched and only counted in the log', async () => {
    await register('Fumi Fullwidth', 'fumi@example.org');
    await register('Cole Clash', 'cole@example.org');
    await register('Cole Twin', 'cole.twin@example.org');
    const setRaw = (from: string, to: string) =>
      h.deps.db.updateTable('users').set({ email: to }).where('email', '=', from).execute();
    // As stored by the code before point 19: full-width letters kept.
    await setRaw('fumi@example.org', 'ｆｕｍｉ@example.org');
    await setRaw('cole.twin@example.org', 'ｃｏｌｅ@example.org');
    assert.equal(
      (await fresh().api('POST', '/api/v1/sessions', { email: 'fumi@example.org', password })).statusCode,
      401,
    );
    const warned: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void warned.push(args.join(' '));
    try {
      await h.deps.db.transaction().execute((trx) => normaliseEmails.up(trx, db));
    } finally {
      console.warn = original;
    }
    assert.equal(
      (await fresh().api('POST', '/api/v1/sessions', { email: 'fumi@example.org', password })).statusCode,
      201,
    );
    const emails = (
      await h.deps.db
        .selectFrom('users')
        .select('email')
        .where('name', 'in', ['Cole Clash', 'Cole Twin'])
        .orderBy('name')
        .execute()
    ).map((r) => r.email);
    assert.deepEqual(emails, ['cole@example.org', 'ｃｏｌｅ@example.org']);
    assert.equal(warned.length, 1);
    assert.match(warned[0]!, /1 left unchanged/);
    assert.doesNotMatch(warned[0]!, /@|fumi|cole|ｃｏｌｅ/i);
    await setRaw('ｃｏｌｅ@example.org', 'cole.twin@example.org');
  });

  // ---- point 21(d): argon2id parameters ----

  test('stored password hashes are argon2id with at least OWASP’s parameters (m=19456 KiB, t=2, p=1), as set, after registration and after a change', async () => {
    await register('Hana Hash', 'hana@example.org');
    const b = await signedIn('hana@example.org');
    assert.equal(
      (
        await b.api('POST', '/api/v1/me/password', {
          currentPassword: password,
          newPassword: 'another sturdy passphrase',
        })
      ).statusCode,
      204,
    );
    const stored = [
      (
        await h.deps.db
          .selectFrom('users')
          .select('password_hash')
          .where('email', '=', 'hana@example.org')
          .executeTakeFirstOrThrow()
      ).password_hash,
    ];
    const { decoyHash } = await import('./passwords.ts');
    stored.push(await decoyHash);
    for (const hash of stored) {
      const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.exec(hash);
      assert.ok(m, `not an argon2id hash: ${hash.slice(0, 30)}`);
      const [memory, time, parallelism] = [Number(m[1]), Number(m[2]), Number(m[3])];
      assert.deepEqual({ memory, time, parallelism }, { memory: 19456, time: 2, parallelism: 1 });
    }
  });

  // ---- attack F1: mail abuse through email addresses and email changes ----

  test('email addresses that are not a plain local@domain (links, "/", "?", ":", spaces, stray dots) are refused with a clear 400 in English and German wherever an address is accepted', async () => {
    const bad = [
      'https://evil.example/unlock?id=@evil.example',
      'http://evil.example/@evil.example',
      'mailto:eve@evil.example',
      'eve/unlock@evil.example',
      'eve?id=1@evil.example',
      'eve:x@evil.example',
      'eve smith@evil.example',
      'eve@evil example.org',
      '.eve@evil.example',
      'eve.@evil.example',
      'eve..x@evil.example',
      '"eve"@evil.example',
      'eve<x>@evil.example',
      'eve@evil',
      'eve@evil.e',
      'eve@evil..example',
      'eve@-evil.example',
      'eve@evil-.example',
      'eve@evil.example:8080',
      'eve@evil.example/unlock',
      'eve@evil.example?x=1',
      'eve@[127.0.0.1]',
      'eve@evil.123',
    ];
    await register('Ivan Input', 'ivan@example.org');
    const ivan = await signedIn('ivan@example.org');
    for (const email of bad) {
      const reg = await fresh().api('POST', '/api/v1/accounts', { name: 'Eve', email, password });
      assert.equal(reg.statusCode, 400, `register ${email}`);
      assert.equal(reg.json().error.code, 'invalid_input');
      assert.equal(reg.json().error.fields.email, 'Enter a valid email address.', email);
      const change = await ivan.api('PATCH', '/api/v1/me', { email, currentPassword: password });
      assert.equal(change.statusCode, 400, `change ${email}`);
      assert.ok(change.json().error.fields.email, email);
      const reset = await fresh().api('POST', '/api/v1/password-resets', { email });
      assert.equal(reset.statusCode, 400, `reset ${email}`);
      assert.ok(reset.json().error.fields.email, email);
      await assert.rejects(
        createStaffUser(h.deps, { email, role: 'staff' }),
        (err: { status?: number; statusCode?: number }) => (err.status ?? err.statusCode) === 400,
        `staff ${email}`,
      );
    }
    const de = await fresh().api(
      'POST',
      '/api/v1/accounts',
      { name: 'Eve', email: 'https://evil.example/unlock?id=@evil.example', password },
      { 'accept-language': 'de' },
    );
    assert.equal(de.statusCode, 400);
    assert.match(de.json().error.fields.email, /gültige E-Mail-Adresse/);
    // Nothing of it reached anyone, and the account kept its address.
    await deliver();
    assert.equal(h.mailer.sent.filter((m) => /evil/.test(m.to)).length, 0);
    assert.equal((await ivan.api('GET', '/api/v1/me')).json().email, 'ivan@example.org');
    // Ordinary addresses still pass, international domains and full-width look-alikes included.
    for (const email of [
      'first.last+tag@mail.example.co.uk',
      'o_k%x-y@ex-ample.org',
      'ＦＵＬＬ@example.org',
      'joerg@bücher.example',
    ]) {
      assert.equal(
        (await fresh().api('POST', '/api/v1/accounts', { name: 'Fine Person', email, password })).statusCode,
        202,
        email,
      );
    }
    // A row stored under the older, looser rule can still correct its name without changing its address.
    await h.deps.db
      .updateTable('users')
      .set({ email: 'ivan..legacy@example.org' })
      .where('email', '=', 'ivan@example.org')
      .execute();
    const legacy = await ivan.api('PATCH', '/api/v1/me', { name: 'Ivan Renamed', email: 'ivan..legacy@example.org' });
    assert.equal(legacy.statusCode, 200, legacy.body);
    assert.equal(legacy.json().name, 'Ivan Renamed');
  });

  test('alternating email changes between a victim address and one’s own send the victim at most one mail per 15 minutes and the own address no notice', async () => {
    await register('Mallory Mailer', 'mallory-m@example.net');
    await register('Holly Victim', 'holly-victim@example.org');
    const mallory = await signedIn('mallory-m@example.net');
    await deliver();
    const before = {
      own: h.mailer.to('mallory-m@example.net').length,
      holder: h.mailer.to('holly-victim@example.org').length,
    };
    for (const victim of ['victim-f1@v.test', 'holly-victim@example.org']) {
      for (let i = 0; i < 4; i++) {
        assert.equal(
          (await mallory.api('PATCH', '/api/v1/me', { email: victim, currentPassword: password })).statusCode,
          200,
        );
        assert.equal(
          (await mallory.api('PATCH', '/api/v1/me', { email: 'mallory-m@example.net', currentPassword: password }))
            .statusCode,
          200,
        );
      }
    }
    await deliver();
    assert.equal(h.mailer.to('victim-f1@v.test').length, 1);
    assert.equal(h.mailer.to('holly-victim@example.org').length - before.holder, 1);
    assert.equal(h.mailer.to('mallory-m@example.net').length, before.own);
    // After the window, one more each: the owner of an address can still get a fresh link.
    h.clock.advance(15 * MINUTE + 1);
    for (let i = 0; i < 4; i++) {
      await mallory.api('PATCH', '/api/v1/me', { email: 'victim-f1@v.test', currentPassword: password });
      await mallory.api('PATCH', '/api/v1/me', { email: 'mallory-m@example.net', currentPassword: password });
    }
    await deliver();
    assert.equal(h.mailer.to('victim-f1@v.test').length, 2);
    assert.equal(h.mailer.to('mallory-m@example.net').length, before.own);
  });

  test('security mails to an address that has not confirmed the account greet without the account’s name; a confirmed owner is still greeted by name', async () => {
    const spam = 'URGENT your bank account is locked call 0800 555 0199 now';
    // Registration with a stranger's address: confirmation link, then a registration-attempt notice and a reset mail.
    await register(spam, 'urgent-victim@v.test');
    await register(spam, 'urgent-victim@v.test');
    assert.equal(
      (await fresh().api('POST', '/api/v1/password-resets', { email: 'urgent-victim@v.test' })).statusCode,
      202,
    );
    // An email change to a stranger's address: the confirmation link.
    await register(spam, 'urgent-sender@example.net');
    const sender = await signedIn('urgent-sender@example.net');
    assert.equal(
      (await sender.api('PATCH', '/api/v1/me', { email: 'urgent-victim2@v.test', currentPassword: password }))
        .statusCode,
      200,
    );
    await deliver();
    const toStrangers = [...h.mailer.to('urgent-victim@v.test'), ...h.mailer.to('urgent-victim2@v.test')];
    assert.equal(toStrangers.length, 4);
    for (const mail of toStrangers) {
      assert.doesNotMatch(mail.text, /URGENT|0800/, mail.subject);
      assert.match(mail.text, /^Hello,\n/, mail.subject);
    }
    // Once the address confirmed the account, its own name is used again.
    await register('Vicky Verified', 'vicky@example.org');
    await deliver();
    const verify = h.mailer.linkTo('vicky@example.org', '/account/verify');
    assert.match(h.mailer.to('vicky@example.org').at(-1)!.text, /^Hello,\n/);
    assert.equal(
      (await fresh().api('POST', '/api/v1/accounts/verification', { token: tokenOf(verify) })).statusCode,
      204,
    );
    assert.equal(
      (await fresh().api('POST', '/api/v1/password-resets', { email: 'vicky@example.org' })).statusCode,
      202,
    );
    await deliver();
    assert.match(h.mailer.to('vicky@example.org').at(-1)!.text, /^Hello Vicky Verified,\n/);
  });

  // ---- attack F2: the owner's undo link wins ----

  test('a thief who knows the password and changes the address twice cannot cancel the owner’s undo link with the newer one: the oldest link still restores the owner’s address', async () => {
    await register('Oscar Owner', 'oscar@example.org');
    const thief = await signedIn('oscar@example.org');
    await moveAccount(thief, 'mallory-b@example.net');
    await moveAccount(thief, 'mallory-c@example.net');
    await deliver();
    const undoFrom = (to: string) =>
      tokenOf(
        linkIn(
          h.mailer
            .to(to)
            .filter((m) => /was changed/.test(m.subject))
            .at(-1)!.text,
          '/account/email-change/undo',
        ),
      );
    const ownersLink = undoFrom('oscar@example.org');
    const thiefsLink = undoFrom('mallory-b@example.net');
    // The thief undoes the second change with the link he reads at mallory-b, and takes the reset link sent there.
    assert.equal((await fresh().api('POST', '/api/v1/email-changes/undo', { token: thiefsLink })).statusCode, 204);
    await deliver();
    const thiefsReset = linkIn(
      h.mailer
        .to('mallory-b@example.net')
        .filter((m) => /Reset your password/.test(m.subject))
        .at(-1)!.text,
      '/account/password-reset/confirm',
    );
    assert.equal(
      (
        await fresh().api('POST', '/api/v1/password-resets/confirm', {
          token: tokenOf(thiefsReset),
          password: 'mallory owns this now',
        })
      ).statusCode,
      204,
    );
    const thiefAgain = await signedIn('mallory-b@example.net', 'mallory owns this now');
    // The owner's link still works and wins: the account returns to the owner's address, the thief is out.
    const undone = await fresh().api('POST', '/api/v1/email-changes/undo', { token: ownersLink });
    assert.equal(undone.statusCode, 204, undone.body);
    assert.equal((await thiefAgain.api('GET', '/api/v1/me')).statusCode, 401);
    const row = await h.deps.db
      .selectFrom('users')
      .select(['email', 'password_hash'])
      .where('name', '=', 'Oscar Owner')
      .executeTakeFirstOrThrow();
    assert.equal(row.email, 'oscar@example.org');
    assert.match(row.password_hash, /^!unset:/);
    assert.equal(
      (
        await fresh().api('POST', '/api/v1/sessions', {
          email: 'mallory-b@example.net',
          password: 'mallory owns this now',
        })
      ).statusCode,
      401,
    );
    await deliver();
    const ownersReset = linkIn(
      h.mailer
        .to('oscar@example.org')
        .filter((m) => /Reset your password/.test(m.subject))
        .at(-1)!.text,
      '/account/password-reset/confirm',
    );
    assert.equal(
      (
        await fresh().api('POST', '/api/v1/password-resets/confirm', {
          token: tokenOf(ownersReset),
          password: 'oscar has it back again',
        })
      ).statusCode,
      204,
    );
    assert.equal(
      (await (await signedIn('oscar@example.org', 'oscar has it back again')).api('GET', '/api/v1/me')).json().email,
      'oscar@example.org',
    );
  });

  test('while an undo link is live, registering its old address creates no account, so a thief cannot block the owner’s undo', async () => {
    await register('Rita Owner', 'rita-owner@example.org');
    const thief = await signedIn('rita-owner@example.org');
    await moveAccount(thief, 'mallory-r@example.net');
    await deliver();
    const ownersLink = tokenOf(
      linkIn(
        h.mailer
          .to('rita-owner@example.org')
          .filter((m) => /was changed/.test(m.subject))
          .at(-1)!.text,
        '/account/email-change/undo',
      ),
    );
    const users = await userCount();
    await register('Mallory Blocker', 'rita-owner@example.org', 'mallory blocks the undo');
    assert.equal(await userCount(), users);
    assert.equal((await fresh().api('POST', '/api/v1/email-changes/undo', { token: ownersLink })).statusCode, 204);
    assert.equal(
      (await h.deps.db.selectFrom('users').select('email').where('name', '=', 'Rita Owner').executeTakeFirstOrThrow())
        .email,
      'rita-owner@example.org',
    );
  });

  test('using the owner’s undo link cancels every undo link issued after it, so the thief’s newer link no longer works', async () => {
    await register('Olive Owner', 'olive@example.org');
    const thief = await signedIn('olive@example.org');
    await moveAccount(thief, 'mallory-d@example.net');
    await moveAccount(thief, 'mallory-e@example.net');
    await deliver();
    const undoFrom = (to: string) =>
      tokenOf(
        linkIn(
          h.mailer
            .to(to)
            .filter((m) => /was changed/.test(m.subject))
            .at(-1)!.text,
          '/account/email-change/undo',
        ),
      );
    const ownersLink = undoFrom('olive@example.org');
    const thiefsLink = undoFrom('mallory-d@example.net');
    assert.equal((await fresh().api('POST', '/api/v1/email-changes/undo', { token: ownersLink })).statusCode, 204);
    const late = await fresh().api('POST', '/api/v1/email-changes/undo', { token: thiefsLink });
    assert.equal(late.statusCode, 400);
    assert.equal(late.json().error.code, 'invalid_token');
    assert.equal(
      (await h.deps.db.selectFrom('users').select('email').where('name', '=', 'Olive Owner').executeTakeFirstOrThrow())
        .email,
      'olive@example.org',
    );
  });
});

// ---- point 21(c): the default limits, without any override ----

describeEachDatabase('sign-in limit by default', (db) => {
  test('the default sign-in limit is 10 attempts a minute per IP, on the form and the API alike', async () => {
    const h = await openHarness(db);
    try {
      assert.equal(h.deps.config.rateLimit.authPerMinute, 10);
      for (const viaForm of [false, true]) {
        const b = new Browser(h.app, viaForm ? '192.0.2.150' : '192.0.2.151');
        const statuses: number[] = [];
        for (let i = 0; i < 11; i++) {
          // A new address each time, so the per-address throttle stays out of it.
          const email = `guess${i}@example.org`;
          const res = viaForm
            ? await b.submit('/account/login', '/account/login', { email, password: 'wrong but long enough' })
            : await b.api('POST', '/api/v1/sessions', { email, password: 'wrong but long enough' });
          statuses.push(res.statusCode);
        }
        assert.deepEqual(statuses, [...Array.from({ length: 10 }, () => 401), 429], viaForm ? 'form' : 'api');
      }
      // Registration and reset requests share the default.
      const r = new Browser(h.app, '192.0.2.152');
      const resets: number[] = [];
      for (let i = 0; i < 11; i++)
        resets.push((await r.api('POST', '/api/v1/password-resets', { email: `r${i}@example.org` })).statusCode);
      assert.deepEqual(resets, [...Array.from({ length: 10 }, () => 202), 429]);
    } finally {
      await h.close();
    }
  });
});

test('the documented defaults hold when nothing is configured: 600 requests and 10 sign-ins a minute per IP, 7 days to undo an email change', () => {
  const config = loadConfig({
    DATA_DIR: '/nonexistent-candor-test',
    CANDOR_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
  });
  assert.deepEqual(config.rateLimit, { perMinute: 600, authPerMinute: 10 });
  assert.equal(config.emailChangeUndoDays, 7);
});

test(
  'with REDIS_URL, the per-address sign-in throttle is shared by several app processes',
  { skip: process.env.TEST_REDIS_URL ? false : 'set TEST_REDIS_URL to run' },
  async () => {
    const env = { REDIS_URL: process.env.TEST_REDIS_URL as string, RATE_LIMIT_AUTH_PER_MINUTE: '1000' };
    const one = await openHarness('sqlite', { env });
    const two = await openHarness('sqlite', { env });
    try {
      // A fresh address per run, so counts left in Redis by earlier runs do not matter.
      const email = `shared-${randomBytes(6).toString('hex')}@example.org`;
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        const app = i % 2 === 0 ? one.app : two.app;
        statuses.push(
          (
            await new Browser(app, `198.18.0.${i + 1}`).api('POST', '/api/v1/sessions', {
              email,
              password: 'wrong but long enough',
            })
          ).statusCode,
        );
      }
      assert.deepEqual(statuses, [...Array.from({ length: 10 }, () => 401), 429]);
      // Nothing was counted in either database.
      for (const h of [one, two])
        assert.equal((await h.deps.db.selectFrom('account_limits').selectAll().execute()).length, 0);
    } finally {
      await one.close();
      await two.close();
    }
  },
);
