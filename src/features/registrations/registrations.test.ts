import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';

describeEachDatabase('hardware registration', (db) => {
  let h: Harness;
  let seller: Browser;
  let buyer: Browser;
  let padgrid: string;
  before(async () => {
    h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    padgrid = (await new Browser(h.app).api('GET', '/api/v1/products/padgrid')).json().id;
    const browsers: Browser[] = [];
    for (const email of ['seller@example.org', 'buyer2@example.org']) {
      const b = new Browser(h.app);
      await b.api('POST', '/api/v1/accounts', { name: email, email, password: 'plum orchard sunrise' });
      await b.api('POST', '/api/v1/sessions', { email, password: 'plum orchard sunrise' });
      browsers.push(b);
    }
    [seller, buyer] = browsers as [Browser, Browser];
  });
  after(() => h.close());

  test('a serial number is validated and belongs to one account until released on resale', async () => {
    assert.equal((await seller.api('POST', '/api/v1/registrations', { productId: padgrid, serial: 'nonsense' })).statusCode, 400);
    const aurora = (await seller.api('GET', '/api/v1/products/aurora-synth')).json().id;
    assert.equal((await seller.api('POST', '/api/v1/registrations', { productId: aurora, serial: 'TF-2026-AB12CD' })).statusCode, 400, 'software has no serial');
    const reg = await seller.api('POST', '/api/v1/registrations', { productId: padgrid, serial: 'tf-2026-ab12cd' });
    assert.equal(reg.statusCode, 201);
    assert.equal(reg.json().serial, 'TF-2026-AB12CD');
    const taken = await buyer.api('POST', '/api/v1/registrations', { productId: padgrid, serial: 'TF-2026-AB12CD' });
    assert.equal(taken.statusCode, 409);
    assert.match(taken.json().error.message, /ask the seller to release it/);
    assert.equal((await buyer.api('DELETE', `/api/v1/registrations/${reg.json().id}`)).statusCode, 404, 'only the owner releases');
    assert.equal((await seller.api('DELETE', `/api/v1/registrations/${reg.json().id}`)).statusCode, 204);
    assert.equal((await buyer.api('POST', '/api/v1/registrations', { productId: padgrid, serial: 'TF-2026-AB12CD' })).statusCode, 201);
    assert.deepEqual((await seller.api('GET', '/api/v1/me/registrations')).json().items, []);
    assert.equal((await buyer.api('GET', '/api/v1/me/registrations')).json().items[0].serial, 'TF-2026-AB12CD');
  });

  test('the account page registers and releases without JavaScript; staff see the list', async () => {
    const done = await seller.submit('/account/products', '/account/products/registrations', { productId: padgrid, serial: 'TF-2025-ZZ99YY' });
    assert.equal(done.statusCode, 303);
    const page = await seller.get('/account/products');
    assert.match(page.body, /TF-2025-ZZ99YY/);
    const bad = await seller.submit('/account/products', '/account/products/registrations', { productId: padgrid, serial: 'TF-2026-AB12CD' });
    assert.match((await seller.get(bad.headers.location as string)).body, /registered to another account/);
    assert.equal((await seller.get('/staff/registrations')).statusCode, 403);
    await h.deps.db.updateTable('users').set({ role: 'staff' }).where('email', '=', 'seller@example.org').execute();
    assert.match((await seller.get('/staff/registrations')).body, /TF-2025-ZZ99YY/);
  });
});
