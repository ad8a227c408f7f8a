import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';

const PASSWORD = 'copper kettle on the hill';
const EMAIL = 'petra@example.org';
const tokenIn = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

describeEachDatabase('request-forgery defences', (db) => {
  let h: Harness;
  let victim: Browser;
  before(async () => {
    h = await openHarness(db, { env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    victim = new Browser(h.app);
    await victim.api('POST', '/api/v1/accounts', { name: 'Petra Profile', email: EMAIL, password: PASSWORD });
    assert.equal((await victim.api('POST', '/api/v1/sessions', { email: EMAIL, password: PASSWORD })).statusCode, 201);
  });
  after(() => h.close());

  const nameNow = async () =>
    (await h.deps.db.selectFrom('users').select('name').where('email', '=', EMAIL).executeTakeFirstOrThrow()).name;
  const profile = (name: string) => ({ name, email: EMAIL, company: '', phone: '' });

  /** Posts the profile form with exactly these fields and checks that it was refused and changed nothing. */
  async function assertRefused(
    fields: [string, string][],
    headers: Record<string, string> = {},
    label = '',
  ): Promise<void> {
    const res = await victim.post('/account/profile', fields, headers);
    const name = await nameNow();
    // Each check stands alone: a post that got through must not make the next ones fail for the wrong reason.
    await h.deps.db.updateTable('users').set({ name: 'Petra Profile' }).where('email', '=', EMAIL).execute();
    assert.equal(res.statusCode, 403, label);
    assert.equal(name, 'Petra Profile', label);
  }

  test('a form post that carries the CSRF cookie but no _csrf field is refused and changes nothing', async () => {
    await victim.get('/account/profile');
    assert.ok(victim.cookie('__Host-candor_csrf'), 'the browser holds the CSRF cookie');
    await assertRefused(Object.entries(profile('Mallory')), {}, 'no field');
    await assertRefused([['_csrf', ''], ...Object.entries(profile('Mallory'))], {}, 'an empty field');
  });

  test('a wrong token, a token made for another browser’s cookie, a duplicated field or a token without its cookie are refused', async () => {
    const own = tokenIn((await victim.get('/account/profile')).body);
    assert.ok(own);
    await assertRefused([['_csrf', `${own.slice(0, -2)}AA`], ...Object.entries(profile('Mallory'))], {}, 'wrong token');
    // An attacker's own valid pair: the token is bound to the attacker's cookie, not to the victim's.
    const attacker = new Browser(h.app, '198.51.100.66');
    const foreign = tokenIn((await attacker.get('/account/login')).body);
    assert.ok(foreign && foreign !== own);
    await assertRefused([['_csrf', foreign], ...Object.entries(profile('Mallory'))], {}, 'token of another cookie');
    await assertRefused([['_csrf', own], ['_csrf', own], ...Object.entries(profile('Mallory'))], {}, 'two fields');
    const withoutCookie = await h.app.inject({
      method: 'POST',
      url: '/account/profile',
      headers: {
        cookie: victim.cookieHeader().replace(/__Host-candor_csrf=[^;]+;?\s*/, ''),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams([['_csrf', own], ...Object.entries(profile('Mallory'))]).toString(),
    });
    assert.equal(withoutCookie.statusCode, 403, 'token without its cookie');
    assert.equal(await nameNow(), 'Petra Profile');
  });

  test('a form post with a valid token is still refused when the browser shows it came from another site', async () => {
    const own = tokenIn((await victim.get('/account/profile')).body);
    const fields: [string, string][] = [['_csrf', own], ...Object.entries(profile('Mallory'))];
    await assertRefused(fields, { origin: 'https://evil.example' }, 'foreign origin');
    await assertRefused(fields, { origin: 'null' }, 'opaque origin');
    await assertRefused(fields, { 'sec-fetch-site': 'cross-site' }, 'cross-site fetch');
  });

  test('the JSON API refuses the viewer’s cookies sent from another origin, an opaque origin, a cross-site fetch or a simple (non-JSON) body', async () => {
    for (const [headers, label] of [
      [{ origin: 'https://evil.example' }, 'another origin'],
      [{ origin: 'http://evil.127.0.0.1:3000' }, 'a neighbouring host'],
      [{ origin: 'null' }, 'an opaque origin'],
      [{ 'sec-fetch-site': 'cross-site' }, 'a cross-site fetch'],
    ] as const) {
      const res = await victim.api('PATCH', '/api/v1/me', { name: 'Mallory' }, headers);
      const name = await nameNow();
      await h.deps.db.updateTable('users').set({ name: 'Petra Profile' }).where('email', '=', EMAIL).execute();
      assert.equal(name, 'Petra Profile', label);
      assert.equal(res.statusCode, 403, label);
      assert.equal(res.json().error.code, 'foreign_origin', label);
    }
    // What a cross-site <form> can send without a preflight: text/plain and url-encoded bodies.
    for (const [type, payload] of [
      ['text/plain', '{"name":"Mallory"}'],
      ['application/x-www-form-urlencoded', 'name=Mallory'],
    ]) {
      const res = await h.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: { cookie: victim.cookieHeader(), 'content-type': type },
        payload,
      });
      assert.equal(res.statusCode, 415, type);
    }
    assert.equal(await nameNow(), 'Petra Profile');
  });

  test('the same form with its own token from this site goes through, also from a page without referrer (Origin: null, Sec-Fetch-Site: same-origin)', async () => {
    const res = await victim.submit('/account/profile', '/account/profile', profile('Petra P. Profile'));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(await nameNow(), 'Petra P. Profile');
    const own = tokenIn((await victim.get('/account/profile')).body);
    const noReferrer = await victim.post(
      '/account/profile',
      [['_csrf', own], ...Object.entries(profile('Petra Q. Profile'))],
      { origin: 'null', 'sec-fetch-site': 'same-origin' },
    );
    assert.equal(noReferrer.statusCode, 200, noReferrer.body);
    assert.equal(await nameNow(), 'Petra Q. Profile');
    await h.deps.db.updateTable('users').set({ name: 'Petra Profile' }).where('email', '=', EMAIL).execute();
  });
});
