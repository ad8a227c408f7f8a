// The staff order page shows the customer's voluntary phone number, so that staff can call about an order (a
// delivery problem); every view of it, also the one that answers a refused status change, is in the access audit.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { html } from '../../platform/html.ts';
import { placeOrder, signedIn, staffMember } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import type { PageContext } from '../../web/index.ts';
import { staffOrderPage } from './orders.staff-pages.ts';
import type { OrdersTable } from './orders.tables.ts';

describeEachDatabase('the staff order page', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  const viewsOf = (userId: string, path: string) =>
    h.deps.db
      .selectFrom('access_audit')
      .select(['what', 'why'])
      .where('subject_user_id', '=', userId)
      .where('path', '=', path)
      .execute();

  test('shows the customer’s phone number to call about the order, and records each view', async () => {
    const customer = await signedIn(h, { name: 'Paula Phone' });
    await h.deps.db.updateTable('users').set({ phone: '+49 30 1234567' }).where('id', '=', customer.id).execute();
    const order = await placeOrder(h, customer.b, ['padgrid']);
    const staff = await staffMember(h);

    const page = await staff.b.get(`/staff/orders/${order.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Customer’s phone number: <a href="tel:\+49301234567">\+49 30 1234567<\/a>/);
    assert.deepEqual(await viewsOf(customer.id, `/staff/orders/${order.id}`), [
      { what: 'order.view', why: 'order-fulfilment' },
    ]);

    // A refused change shows the order (and the number) again: that view is recorded too.
    const refused = await staff.b.submit(`/staff/orders/${order.id}`, `/staff/orders/${order.id}/status`, {
      status: 'completed',
    });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /\+49 30 1234567/);
    assert.equal((await viewsOf(customer.id, `/staff/orders/${order.id}/status`)).length, 1);

    // The customer's page never shows it: it is for staff to call about the order.
    assert.doesNotMatch((await customer.b.get(`/account/orders/${order.id}`)).body, /1234567/);
  });

  test('a paid order of downloads alone may be marked completed at once; a paid order with hardware ships first', async () => {
    const customer = await signedIn(h, { name: 'Dora Digital' });
    const staff = await staffMember(h);
    const digital = await placeOrder(h, customer.b, ['aurora-synth']);
    const page = await staff.b.get(`/staff/orders/${digital.id}`);
    assert.match(page.body, /<option value="completed">/, 'offered for downloads alone');
    const done = await staff.b.submit(`/staff/orders/${digital.id}`, `/staff/orders/${digital.id}/status`, {
      status: 'completed',
    });
    assert.equal(done.statusCode, 303, done.body);
    const row = await h.deps.db.selectFrom('orders').select('status').where('id', '=', digital.id).executeTakeFirst();
    assert.equal(row?.status, 'completed');

    const hardware = await placeOrder(h, customer.b, ['padgrid']);
    assert.doesNotMatch((await staff.b.get(`/staff/orders/${hardware.id}`)).body, /<option value="completed">/);
    const refused = await staff.b.submit(`/staff/orders/${hardware.id}`, `/staff/orders/${hardware.id}/status`, {
      status: 'completed',
    });
    assert.equal(refused.statusCode, 409);
  });

  test('says when the customer gave no phone number', async () => {
    const customer = await signedIn(h, { name: 'Nora Nophone' });
    const order = await placeOrder(h, customer.b, ['padgrid']);
    const staff = await staffMember(h);
    assert.match(
      (await staff.b.get(`/staff/orders/${order.id}`)).body,
      /Customer’s phone number: none given; contact the customer by email/,
    );
  });
});

test('the phone line of the staff order page in German', () => {
  const ctx: PageContext = {
    lang: 'de',
    viewer: null,
    csrfToken: () => 'token',
    path: '/staff/orders/o1',
    company: 'Shop',
    slots: () => ({ head: html``, top: html`` }),
    navigation: [],
    social: [],
    timeZone: 'Europe/Berlin',
  };
  const order = {
    id: 'o1',
    number: '2026-X',
    status: 'paid',
    lines: '[]',
    shipping: JSON.stringify({ name: 'N', street: 'S', postalCode: '1', city: 'C', country: 'DE' }),
    history: '[]',
  } as unknown as OrdersTable;
  assert.match(staffOrderPage(ctx, order, [], { phone: '030 123' }), /Telefonnummer des Kunden: <a href="tel:030123">/);
  assert.match(
    staffOrderPage(ctx, order, [], { phone: null }),
    /nicht angegeben; kontaktieren Sie den Kunden per E-Mail/,
  );
});
