// The customer's saved system profile (issue 14, policy 4b): saved, edited and deleted (pages and API), serials only
// of the person's own registered units, and a request keeps the profile as it was attached.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { signedIn, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { parseProfile } from './support.model.ts';

describeEachDatabase('support: the system profile', (db) => {
  let h: Harness;
  let ipCounter = 0;
  const freshIp = () => `192.0.2.${++ipCounter}`;

  before(async () => {
    h = await openHarness(db);
  });
  after(async () => {
    await h.close();
  });

  const register = async (userId: string, serial: string): Promise<string> => {
    const id = randomUUID();
    await h.deps.db
      .insertInto('hardware_registrations')
      .values({
        id,
        user_id: userId,
        product_id: 'p-interface',
        serial,
        registered_at: h.clock.now(),
        released_at: null,
        assigned_by_staff: 0,
      })
      .execute();
    return id;
  };
  const storedProfile = async (userId: string) =>
    h.deps.db.selectFrom('support_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
  /** PUT as the browser's API client would send it (Browser.api knows no PUT). */
  const put = (c: Account, body: unknown, headers: Record<string, string> = {}) =>
    h.app.inject({
      method: 'PUT',
      url: '/api/v1/support/profile',
      remoteAddress: c.b.ip,
      headers: { ...c.b.headers, cookie: c.b.cookieHeader(), 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    });
  const serialOf = () => `SN${randomBytes(4).toString('hex').toUpperCase()}`;

  const fields = {
    os: 'macOS',
    osVersion: '15.1',
    host: 'Ableton Live',
    hostVersion: '12.1',
    audioInterface: 'Babyface Pro',
    productVersions: 'Reverb Pro 2.3.1',
  };

  test('a customer saves, edits and deletes the profile (page and API)', async () => {
    const c = await signedIn(h, { ip: freshIp() });
    const serial = serialOf();
    const reg = await register(c.id, serial);
    const empty = await c.b.get('/account/support/profile');
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /No profile saved/);
    assert.ok(empty.body.includes(serial), 'the own serial is offered');

    const saved = await c.b.submit('/account/support/profile', '/account/support/profile', {
      ...fields,
      [`serial-${reg}`]: '1',
    });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 400));
    const shown = await c.b.get('/account/support/profile?done=saved');
    assert.match(shown.body, /Saved on/);
    assert.match(shown.body, /value="Babyface Pro"/);
    assert.deepEqual(parseProfile((await storedProfile(c.id))?.profile ?? null), { ...fields, serials: [serial] });

    const edited = await c.b.submit('/account/support/profile', '/account/support/profile', {
      ...fields,
      osVersion: '15.2',
    });
    assert.equal(edited.statusCode, 303);
    const afterEdit = parseProfile((await storedProfile(c.id))?.profile ?? null);
    assert.equal(afterEdit?.osVersion, '15.2');
    assert.deepEqual(afterEdit?.serials, []);

    const api = await c.b.api('GET', '/api/v1/support/profile');
    assert.equal(api.statusCode, 200);
    assert.equal((api.json() as { profile: { osVersion: string } }).profile.osVersion, '15.2');
    const saved2 = await put(c, { ...fields, host: 'Bitwig', serials: [serial] });
    assert.equal(saved2.statusCode, 200, saved2.body);
    assert.equal(parseProfile((await storedProfile(c.id))?.profile ?? null)?.host, 'Bitwig');

    const confirm = await c.b.get('/account/support/profile/delete');
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Yes, delete it/);
    const deleted = await c.b.submit('/account/support/profile/delete', '/account/support/profile/delete', {
      confirm: 'yes',
    });
    assert.equal(deleted.statusCode, 303);
    assert.equal(await storedProfile(c.id), undefined);
    assert.equal((await c.b.api('GET', '/api/v1/support/profile')).statusCode, 404);
    assert.equal((await c.b.api('DELETE', '/api/v1/support/profile')).statusCode, 204);
  });

  test('another person’s serial is refused (page and API) and nothing is saved', async () => {
    const a: Account = await signedIn(h, { ip: freshIp() });
    const b: Account = await signedIn(h, { ip: freshIp() });
    const own = serialOf();
    const theirs = serialOf();
    await register(a.id, own);
    const theirReg = await register(b.id, theirs);
    const page = await a.b.get('/account/support/profile');
    assert.ok(page.body.includes(own));
    assert.ok(!page.body.includes(theirs), 'only the own units are offered');

    const refused = await a.b.submit('/account/support/profile', '/account/support/profile', {
      ...fields,
      [`serial-${theirReg}`]: '1',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Only serial numbers of devices registered to your account/);
    const api = await put(a, { ...fields, serials: [theirs] }, { 'accept-language': 'de' });
    assert.equal(api.statusCode, 400);
    assert.match(api.body, /Nur Seriennummern von Geräten/);
    assert.equal(await storedProfile(a.id), undefined);
  });

  test('attaching freezes the profile: later edits and deletion leave the request’s copy alone', async () => {
    const c = await signedIn(h, { ip: freshIp() });
    const noProfile = await c.b.api('POST', '/api/v1/support/tickets', {
      subject: 'Dropouts',
      message: 'Audio drops out.',
      attachProfile: true,
    });
    assert.equal(noProfile.statusCode, 400, 'nothing to attach yet');

    assert.equal((await put(c, { ...fields, serials: [] })).statusCode, 200);
    const page = await c.b.get('/account/support/new');
    assert.match(page.body, /Attach my saved system profile/);
    const created = await c.b.api('POST', '/api/v1/support/tickets', {
      subject: 'Dropouts',
      message: 'Audio drops out.',
      category: 'technical',
      attachProfile: true,
    });
    assert.equal(created.statusCode, 201, created.body);
    const { id } = created.json() as { id: string };
    const snapshot = async () =>
      (
        await h.deps.db
          .selectFrom('support_tickets')
          .select('profile_snapshot')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).profile_snapshot;
    const first = await snapshot();
    assert.deepEqual(parseProfile(first), { ...fields, serials: [] });

    await put(c, { ...fields, os: 'Windows', osVersion: '11', serials: [] });
    assert.equal(await snapshot(), first, 'an edit does not change the request');
    await c.b.api('DELETE', '/api/v1/support/profile');
    assert.equal(await snapshot(), first, 'nor does deleting the profile');

    const shown = await c.b.get(`/account/support/${id}`);
    assert.match(shown.body, /System profile attached/);
    assert.match(shown.body, /macOS 15\.1/);
    const api = (await c.b.api('GET', `/api/v1/support/tickets/${id}`)).json() as { profile: { os: string } };
    assert.equal(api.profile.os, 'macOS');
  });
});
