// The second factor (issue 12 point 8): staff reach no staff page or staff API before they enrolled and passed
// it; enrolment shows a server-rendered QR code and the secret as text; a TOTP code and a recovery code work
// once; customers may opt in; the secret is in no table cell in clear; code guesses count on the throttle.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { listTables } from '../../platform/db/dialect.ts';
import { selectAllRows } from '../../privacy/retention.queries.ts';
import {
  asRole,
  enrolSecondFactor,
  nextTotpCode,
  signedIn,
  staffMember,
  totpCode,
  type Account,
} from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { resetSecondFactor } from './index.ts';
import { THROTTLE } from './sign-in-throttle.ts';

const ENV = { RATE_LIMIT_AUTH_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' };
const STAFF_PAGES = ['/staff', '/staff/orders', '/staff/mail', '/staff/products'];

const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] as string;
const secretOf = (body: string) => /data-secret="([A-Z2-7]+)"/.exec(body)?.[1];

async function databaseText(h: Harness): Promise<string> {
  await h.deps.usageLog.flush();
  const parts: string[] = [];
  for (const table of await listTables(h.deps.db, h.deps.dbKind))
    parts.push(`${table}: ${JSON.stringify(await selectAllRows(h.deps.db, table))}`);
  return parts.join('\n');
}

/** Signs in through the form; answers the response of the password step. */
async function formSignIn(b: Browser, account: Pick<Account, 'email' | 'password'>, next = '/account') {
  return b.submit('/account/login', '/account/login', { email: account.email, password: account.password, next });
}

/** Sends the code form of `page` (the code step POST /account/login answered with, pending token included). */
async function enterCode(b: Browser, page: string, code: string) {
  const pending = /name="pending" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(pending, 'the code step carries the pending sign-in');
  const next = /name="next" value="([^"]*)"/.exec(page)?.[1] ?? '';
  return b.post('/account/login/code', { _csrf: csrfOf(page), code, next, pending });
}

describeEachDatabase('the second factor', (db) => {
  let h: Harness;
  let n = 0;
  before(async () => {
    h = await openHarness(db, { env: ENV });
  });
  after(() => h.close());

  /** A signed-in account given a staff role without going through asRole: no second factor yet. */
  async function unenrolledStaff(): Promise<Account> {
    const account = await signedIn(h, { name: 'Uma Unenrolled', ip: `198.51.100.${++n}` });
    await h.deps.db.updateTable('users').set({ role: 'staff' }).where('id', '=', account.id).execute();
    return account;
  }

  it('sends a staff member without a second factor from every staff page to enrolment, and refuses the staff API', async () => {
    const staff = await unenrolledStaff();
    for (const path of STAFF_PAGES) {
      const res = await staff.b.get(path);
      assert.equal(res.statusCode, 303, `${path}: ${res.statusCode}`);
      assert.equal(res.headers.location, `/account/two-factor?next=${encodeURIComponent(path)}`, path);
    }
    // The JSON answer of a staff route, and a staff action (POST), are refused by requireRole itself.
    const api = await staff.b.get('/staff/orders', { accept: 'application/json' });
    assert.equal(api.statusCode, 403);
    assert.equal(api.json().error.code, 'second_factor_required');
    const de = await staff.b.get('/staff/mail', { accept: 'application/json', 'accept-language': 'de' });
    assert.equal(de.statusCode, 403);
    const de403 = de.json().error.message as string;
    assert.match(de403, /Mitarbeiterkonten benötigen einen zweiten Faktor/);
    const form = await staff.b.get('/account/profile');
    const post = await staff.b.post(
      '/staff/orders/bulk-ship',
      { _csrf: csrfOf(form.body) },
      { accept: 'application/json' },
    );
    assert.equal(post.statusCode, 403, post.body);
    assert.equal(post.json().error.code, 'second_factor_required');
    // A customer is not asked for anything: the customer pages open as before.
    const customer = await signedIn(h, { ip: `198.51.100.${++n}` });
    assert.equal((await customer.b.get('/account')).statusCode, 200);
    assert.equal((await customer.b.get('/staff/orders', { accept: 'application/json' })).statusCode, 403);
  });

  it('enrols with a QR code rendered on the server and the secret as text; a wrong code is refused in English and German', async () => {
    const staff = await unenrolledStaff();
    const page = await staff.b.get('/account/two-factor?next=/staff/orders');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<svg role="img" aria-labelledby="qr-title"[^>]*><title id="qr-title">QR code to scan/);
    assert.match(page.body, /<path[^>]+d="M/);
    const secret = secretOf(page.body);
    assert.ok(secret && secret.length === 32, 'a 160-bit base32 secret');
    // Grouped for reading: "ABCD EFGH ..."
    assert.ok(page.body.includes(secret.replace(/(.{4})(?=.)/g, '$1 ')), 'the grouped secret is shown');
    assert.equal(page.headers['cache-control'], 'no-store');
    // A reload shows the same pending secret (a scanned code stays valid).
    assert.equal(secretOf((await staff.b.get('/account/two-factor')).body), secret);

    const wrong = await staff.b.post('/account/two-factor', { _csrf: csrfOf(page.body), code: '000000' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /This code is wrong or was used already/);
    const wrongDe = await staff.b.post(
      '/account/two-factor',
      { _csrf: csrfOf(page.body), code: '000000' },
      { 'accept-language': 'de' },
    );
    assert.equal(wrongDe.statusCode, 400);
    assert.match(wrongDe.body, /Dieser Code ist falsch oder wurde bereits verwendet/);
    assert.equal((await staff.b.get('/staff/orders')).statusCode, 303, 'still gated after wrong codes');

    const ok = await staff.b.post('/account/two-factor', {
      _csrf: csrfOf(page.body),
      code: totpCode(h, secret),
      next: '/staff/orders',
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const codes = [...ok.body.matchAll(/<li><code>([2-9A-Z]{5}-[2-9A-Z]{5})<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(codes.length, 10);
    assert.match(ok.body, /href="\/staff\/orders"/);
    // Enrolment passed the factor for this session: the staff pages open.
    assert.equal((await staff.b.get('/staff/orders')).statusCode, 200);
    // The status page now; staff cannot turn it off.
    const status = await staff.b.get('/account/two-factor');
    assert.match(status.body, /Unused recovery codes: 10/);
    assert.doesNotMatch(status.body, /two-factor\/disable/);
    const off = await staff.b.post('/account/two-factor/disable', {
      _csrf: csrfOf(status.body),
      password: staff.password,
    });
    assert.equal(off.statusCode, 403);
  });

  it('asks for the code after the password, refuses the same code a second time and gates the session until passed', async () => {
    const staff = await staffMember(h, { ip: `198.51.100.${++n}` });
    assert.ok(staff.totpSecret, 'staffMember enrolled through the pages');
    assert.equal((await staff.b.get('/staff/orders')).statusCode, 200);

    const b = new Browser(h.app, `198.51.100.${++n}`);
    const step1 = await formSignIn(b, staff, '/staff/orders');
    assert.equal(step1.statusCode, 200);
    assert.match(step1.body, /autocomplete="one-time-code"/);
    assert.equal(step1.headers['cache-control'], 'no-store');
    // No session yet: the account page sends to sign-in.
    assert.equal((await b.get('/account')).statusCode, 303);
    // The code of the enrolment's step was used already: refused.
    const used = await enterCode(b, step1.body, totpCode(h, staff.totpSecret));
    assert.equal(used.statusCode, 400);
    assert.match(used.body, /was used already/);
    const fresh = totpCode(h, staff.totpSecret, 1);
    const ok = await enterCode(b, used.body, fresh);
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/staff/orders');
    assert.equal((await b.get('/staff/orders')).statusCode, 200);
    const row = await h.deps.db
      .selectFrom('sessions')
      .select('second_factor_at')
      .where('user_id', '=', staff.id)
      .orderBy('created_at', 'desc')
      .execute();
    assert.ok(row.every((r) => r.second_factor_at !== null));

    // The same code again, in another sign-in: refused, and that pending sign-in opens nothing.
    const c = new Browser(h.app, `198.51.100.${++n}`);
    const again = await enterCode(c, (await formSignIn(c, staff, '/staff')).body, fresh);
    assert.equal(again.statusCode, 400);
    assert.equal((await c.get('/staff')).statusCode, 303);
    // API: 202 second_factor_required with a pending token; the same code refused there too.
    const api = new Browser(h.app, `198.51.100.${++n}`);
    const pending = await api.api('POST', '/api/v1/sessions', { email: staff.email, password: staff.password });
    assert.equal(pending.statusCode, 202, pending.body);
    const { status, pendingToken } = pending.json() as { status: string; pendingToken: string };
    assert.equal(status, 'second_factor_required');
    const replay = await api.api('POST', '/api/v1/sessions/second-factor', { code: fresh, pendingToken });
    assert.equal(replay.statusCode, 400);
    assert.equal(replay.json().error.code, 'invalid_second_factor');
    assert.equal((await api.api('GET', '/api/v1/me')).statusCode, 401);
  });

  it('signs in through the API with the pending token and a code, and a recovery code works exactly once', async () => {
    const staff = await staffMember(h, { ip: `198.51.100.${++n}` });
    const fresh = await staff.b.get('/account/two-factor');
    assert.match(fresh.body, /Unused recovery codes: 10/);
    // Reset and enrol again through the pages, keeping the recovery codes shown.
    await resetSecondFactor(h.deps, staff.id);
    assert.equal((await staff.b.get('/staff/orders')).headers.location, '/account/two-factor?next=%2Fstaff%2Forders');
    const page = await staff.b.get('/account/two-factor');
    const secret = secretOf(page.body) as string;
    const done = await staff.b.post('/account/two-factor', { _csrf: csrfOf(page.body), code: totpCode(h, secret) });
    const codes = [...done.body.matchAll(/<li><code>([2-9A-Z-]{11})<\/code><\/li>/g)].map((m) => m[1] as string);
    assert.equal(codes.length, 10);

    const api = new Browser(h.app, `198.51.100.${++n}`);
    const pending = await api.api('POST', '/api/v1/sessions', { email: staff.email, password: staff.password });
    const { pendingToken } = pending.json() as { pendingToken: string };
    const signedInRes = await api.api('POST', '/api/v1/sessions/second-factor', {
      code: codes[0]!.toLowerCase(),
      pendingToken,
    });
    assert.equal(signedInRes.statusCode, 201, signedInRes.body);
    assert.equal((await api.api('GET', '/api/v1/me')).statusCode, 200);
    assert.equal((await api.get('/staff/orders')).statusCode, 200);

    // The same recovery code a second time: refused.
    const other = new Browser(h.app, `198.51.100.${++n}`);
    const p2 = await other.api('POST', '/api/v1/sessions', { email: staff.email, password: staff.password });
    const token2 = (p2.json() as { pendingToken: string }).pendingToken;
    const reused = await other.api('POST', '/api/v1/sessions/second-factor', { code: codes[0], pendingToken: token2 });
    assert.equal(reused.statusCode, 400);
    // Another recovery code works, once; the pending token is then spent.
    const second = await other.api('POST', '/api/v1/sessions/second-factor', { code: codes[1], pendingToken: token2 });
    assert.equal(second.statusCode, 201);
    const spent = await other.api('POST', '/api/v1/sessions/second-factor', { code: codes[2], pendingToken: token2 });
    assert.equal(spent.statusCode, 401);
    assert.equal(spent.json().error.code, 'second_factor_expired');
    assert.match((await staff.b.get('/account/two-factor')).body, /Unused recovery codes: 8/);
  });

  it('two uses of one code at the same moment: only one passes', async () => {
    const staff = await staffMember(h, { ip: `198.51.100.${++n}` });
    const pair = await Promise.all(
      [1, 2].map(async () => {
        const b = new Browser(h.app, `198.51.100.${++n}`);
        const p = await b.api('POST', '/api/v1/sessions', { email: staff.email, password: staff.password });
        return { b, token: (p.json() as { pendingToken: string }).pendingToken };
      }),
    );
    const code = totpCode(h, staff.totpSecret as string, 1);
    const results = await Promise.all(
      pair.map(({ b, token }) => b.api('POST', '/api/v1/sessions/second-factor', { code, pendingToken: token })),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 400]);
  });

  it('lets a customer opt in, then asks for the code at sign-in, and lets them turn it off with the password and a code', async () => {
    const customer = await signedIn(h, { ip: `198.51.100.${++n}` });
    const secret = await enrolSecondFactor(h, customer);
    const b = new Browser(h.app, `198.51.100.${++n}`);
    const step1 = await formSignIn(b, customer);
    assert.equal(step1.statusCode, 200);
    assert.match(step1.body, /name="pending"/);
    assert.equal((await b.get('/account')).statusCode, 303, 'no session before the code');
    const ok = await enterCode(b, step1.body, totpCode(h, secret, 1));
    assert.equal(ok.statusCode, 303);
    assert.equal((await b.get('/account')).statusCode, 200);
    const status = await b.get('/account/two-factor');
    assert.match(status.body, /two-factor\/disable/);
    const wrongPw = await b.post('/account/two-factor/disable', { _csrf: csrfOf(status.body), password: 'nope nope' });
    assert.equal(wrongPw.statusCode, 400);
    const noCode = await b.post('/account/two-factor/disable', {
      _csrf: csrfOf(status.body),
      password: customer.password,
    });
    assert.equal(noCode.statusCode, 400, 'the password alone does not turn the factor off');
    const off = await b.post('/account/two-factor/disable', {
      _csrf: csrfOf(status.body),
      password: customer.password,
      code: await nextTotpCode(h, customer.email),
    });
    assert.equal(off.statusCode, 200);
    assert.equal(
      await h.deps.db.selectFrom('two_factor').select('user_id').where('user_id', '=', customer.id).executeTakeFirst(),
      undefined,
    );
    const c = new Browser(h.app, `198.51.100.${++n}`);
    assert.equal((await formSignIn(c, customer)).headers.location, '/account');
  });

  it('keeps the TOTP secret and recovery codes out of every table cell in clear', async () => {
    const staff = await unenrolledStaff();
    const page = await staff.b.get('/account/two-factor');
    const secret = secretOf(page.body) as string;
    const done = await staff.b.post('/account/two-factor', { _csrf: csrfOf(page.body), code: totpCode(h, secret) });
    const codes = [...done.body.matchAll(/<li><code>([2-9A-Z-]{11})<\/code><\/li>/g)].map((m) => m[1] as string);
    const text = await databaseText(h);
    const raw = Buffer.from(
      // base32 → bytes, to look for the key in hex and base64 too
      secret
        .replace(/=+$/, '')
        .split('')
        .reduce((bits, ch) => bits + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(ch).toString(2).padStart(5, '0'), '')
        .match(/.{8}/g)!
        .map((b) => parseInt(b, 2)),
    );
    for (const form of [
      secret,
      secret.toLowerCase(),
      raw.toString('hex'),
      raw.toString('base64'),
      raw.toString('base64url'),
    ])
      assert.ok(!text.includes(form), `the TOTP secret appears in the database (${form.slice(0, 6)}…)`);
    for (const code of codes) {
      assert.ok(!text.includes(code), 'a recovery code appears in the database');
      assert.ok(!text.includes(code.replace('-', '')), 'a recovery code appears in the database');
    }
    // It is there, encrypted: the row exists and decrypts only with the instance secret (not checked here).
    const row = await h.deps.db
      .selectFrom('two_factor')
      .selectAll()
      .where('user_id', '=', staff.id)
      .executeTakeFirstOrThrow();
    assert.match(row.secret_enc, /^v1\./);
  });

  it('counts wrong codes on the sign-in throttle: after the free guesses, even the right code waits', async () => {
    const staff = await staffMember(h, { ip: `198.51.100.${++n}` });
    const b = new Browser(h.app, `198.51.100.${++n}`);
    const step = (await formSignIn(b, staff, '/staff')).body;
    for (let i = 0; i < THROTTLE.free; i++) {
      const res = await enterCode(b, step, String(100000 + i));
      assert.equal(res.statusCode, 400, `guess ${i}`);
    }
    const blocked = await enterCode(b, step, totpCode(h, staff.totpSecret as string, 1));
    assert.equal(blocked.statusCode, 429);
    assert.ok(blocked.headers['retry-after']);
    assert.match(blocked.body, /Please wait \d+ seconds/);
    // A right password does not reset the code count (only a right code does).
    const c = new Browser(h.app, `198.51.100.${++n}`);
    const stepC = (await formSignIn(c, staff, '/staff')).body;
    assert.equal((await enterCode(c, stepC, totpCode(h, staff.totpSecret as string, 1))).statusCode, 429);
    h.clock.advance(THROTTLE.base * 2);
    assert.equal((await enterCode(c, stepC, totpCode(h, staff.totpSecret as string, 1))).statusCode, 303);
  });

  it('an admin reset sends the staff member back to enrolment on the next staff page', async () => {
    const staff = await staffMember(h, { ip: `198.51.100.${++n}` });
    assert.equal((await staff.b.get('/staff')).statusCode, 200);
    await resetSecondFactor(h.deps, staff.id);
    const res = await staff.b.get('/staff');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account/two-factor?next=%2Fstaff');
    // asRole enrols again through the pages.
    staff.totpSecret = undefined;
    await asRole(h, staff, 'admin');
    assert.equal((await staff.b.get('/staff')).statusCode, 200);
  });
});
