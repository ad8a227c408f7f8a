import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { asRole } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { features } from '../../testing/app.ts';
import { addressCarriesSecret, isSensitivePath } from './sensitive.ts';

const PASSWORD = 'amber window in the rain';

test('the sensitivity rule: account, checkout and staff paths, and any address that carries a token', () => {
  const prefixes = features.flatMap((f) => f.sensitivePaths ?? []);
  assert.deepEqual([...prefixes].sort(), ['/account', '/checkout', '/staff']);
  for (const path of ['/account', '/account/orders/1', '/checkout', '/checkout/return', '/staff', '/staff/mail/1'])
    assert.ok(isSensitivePath(path, prefixes), path);
  for (const path of ['/', '/shop', '/basket', '/accounts-info', '/staffing', '/privacy'])
    assert.ok(!isSensitivePath(path, prefixes), path);
  const token = 'Xk3_9aQ-pL2mZ7rT0bV5nC8dE1fG4hJ6kW2sY9uI0oA';
  for (const url of [
    '/x?token=abc',
    '/x?reset_token=abc',
    '/x?key=abc',
    `/unsubscribe/${token}`,
    `/x?ref=${token}`,
    `/x/${'a1'.repeat(32)}`,
  ])
    assert.ok(addressCarriesSecret(url), url);
  for (const url of [
    '/shop?q=synth',
    '/account/login?next=%2Faccount',
    '/shop/aurora-synth',
    '/shop/a-very-long-product-slug-for-the-studio-bundle-2026',
    '/x?token=',
  ])
    assert.ok(!addressCarriesSecret(url), url);
});

describeEachDatabase('answers for a signed-in viewer', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
  });
  after(() => h.close());

  async function signIn(email: string, role: 'customer' | 'staff' = 'customer'): Promise<Browser> {
    const b = new Browser(h.app);
    await b.api('POST', '/api/v1/accounts', { name: 'Sina Signed', email, password: PASSWORD });
    await h.deps.db.updateTable('users').set({ email_verified_at: h.clock.now() }).where('email', '=', email).execute();
    assert.equal((await b.api('POST', '/api/v1/sessions', { email, password: PASSWORD })).statusCode, 201);
    await asRole(h, { b, email }, role);
    return b;
  }

  test('signed-in answers (the JSON API for the viewer, account, staff and checkout pages) send Cache-Control: no-store', async () => {
    const customer = await signIn('sina@example.org');
    const products = (await customer.api('GET', '/api/v1/products?limit=50')).json().items as {
      id: string;
      kind: string;
    }[];
    await customer.api('POST', '/api/v1/basket/items', {
      productId: products.find((p) => p.kind === 'software')!.id,
      quantity: 1,
    });
    for (const path of ['/api/v1/me', '/api/v1/me/sessions', '/api/v1/basket'])
      assert.equal((await customer.api('GET', path)).headers['cache-control'], 'no-store', path);
    for (const path of [
      '/account',
      '/account/profile',
      '/account/sessions',
      '/account/orders',
      '/account/products',
      '/checkout',
      '/shop',
      '/basket',
    ]) {
      const res = await customer.get(path);
      assert.equal(res.statusCode, 200, path);
      assert.equal(res.headers['cache-control'], 'no-store', path);
    }
    const staff = await signIn('stan@example.org', 'staff');
    for (const path of ['/staff/orders', '/staff/mail', '/staff/products']) {
      const res = await staff.get(path);
      assert.equal(res.statusCode, 200, path);
      assert.equal(res.headers['cache-control'], 'no-store', path);
    }
    // Not personal: a public asset stays cacheable for everyone; a visitor's shop page is revalidated, and the
    // sign-in and reset pages are never stored.
    assert.match(String((await customer.get('/assets/site.css')).headers['cache-control']), /^public/);
    const visitor = new Browser(h.app);
    assert.equal((await visitor.get('/shop')).headers['cache-control'], 'private, no-cache');
    for (const path of ['/account/login', '/account/password-reset'])
      assert.equal((await visitor.get(path)).headers['cache-control'], 'no-store', path);
  });

  test('signing out (form, API, or ending the current session) sends Clear-Site-Data for cache, cookies and storage', async () => {
    const expected = '"cache", "cookies", "storage"';
    const form = await signIn('otto@example.org');
    const out = await form.submit('/account', '/account/logout', {});
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers['clear-site-data'], expected);

    const api = new Browser(h.app);
    assert.equal(
      (await api.api('POST', '/api/v1/sessions', { email: 'otto@example.org', password: PASSWORD })).statusCode,
      201,
    );
    const deleted = await api.api('DELETE', '/api/v1/sessions/current');
    assert.equal(deleted.statusCode, 204);
    assert.equal(deleted.headers['clear-site-data'], expected);

    const own = new Browser(h.app);
    const started = await own.api('POST', '/api/v1/sessions', { email: 'otto@example.org', password: PASSWORD });
    const ended = await own.api('DELETE', `/api/v1/me/sessions/${started.json().id as string}`);
    assert.equal(ended.statusCode, 204);
    assert.equal(ended.headers['clear-site-data'], expected);

    // Nothing else clears the site: a plain page of a signed-in viewer does not.
    const still = await signIn('ulla@example.org');
    assert.equal((await still.get('/account')).headers['clear-site-data'], undefined);
  });
});
