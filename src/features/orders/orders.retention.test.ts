// Per-field retention of orders (decision 0028): the order, with the provider's payment reference, stays a booking
// voucher for the statutory years, the copy of its confirmation mail 6 years; the card's details go after 180 days.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY } from '../../platform/clock.ts';
import { runRetention } from '../../privacy/retention.ts';
import { Browser, describeEachDatabase, linkIn, openHarness, type Harness } from '../../testing/harness.ts';
import { deliverDueMail } from '../mail/index.ts';
import { refundOrder } from './order-page.service.ts';

const address = { name: 'Rita Retention', street: 'Testweg 1', postalCode: '10115', city: 'Berlin', country: 'DE' };

describeEachDatabase('orders retention per field', (db) => {
  let h: Harness;
  let productId: string;

  before(async () => {
    h = await openHarness(db, { seed: true });
    const items = (await new Browser(h.app).api('GET', '/api/v1/products?limit=100')).json().items as {
      id: string;
      kind: string;
    }[];
    productId = items.find((p) => p.kind === 'software')?.id ?? items[0]!.id;
  });
  after(() => h.close());

  const email = 'rita@example.org';
  const deliver = () =>
    deliverDueMail({
      db: h.deps.db,
      clock: h.clock,
      mailer: h.mailer,
      log: h.deps.log,
      from: 'shop@test',
      secret: h.deps.config.secret,
    });

  async function paidCardOrder(): Promise<string> {
    const b = new Browser(h.app, '198.51.100.7');
    await b.api('POST', '/api/v1/accounts', { name: address.name, email, password: 'sturdy walnut ladder' });
    await b.api('POST', '/api/v1/sessions', { email, password: 'sturdy walnut ladder' });
    await deliver();
    await b.get(linkIn(h.mailer.to(email)[0]!.text, '/account/verify'));
    await b.api('POST', '/api/v1/basket/items', { productId, quantity: 1 });
    const tokenRes = await b.api('POST', '/api/v1/test-payments/tokens', {
      number: '4242 4242 4242 4242',
      expMonth: 12,
      expYear: 2030,
      cvc: '123',
    });
    assert.equal(tokenRes.statusCode, 201, tokenRes.body);
    const res = await b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: address, payment: { method: 'card', token: tokenRes.json().token } },
      { 'idempotency-key': 'retention-order-0001' },
    );
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'paid');
    // The worker sends the confirmation within seconds, long before any period here ends (unsent mail is deleted
    // 90 days after it was queued).
    await deliver();
    return res.json().id as string;
  }

  // One paid card order for the suite, placed by whichever test runs first (each test also runs alone).
  let placedOrder: Promise<string> | undefined;
  const cardOrder = () => (placedOrder ??= paidCardOrder());

  const orderRow = (id: string) => h.deps.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();

  test('the card details are removed 180 days after the order; the order and the provider’s reference stay', async () => {
    const id = await cardOrder();
    const placed = (await orderRow(id))!;
    assert.equal(placed.card_last4, '4242');
    assert.ok(placed.payment_reference);
    assert.ok(!('payment_token' in placed), 'an order has no payment token column');

    h.clock.advance(179 * DAY);
    await runRetention(h.deps);
    assert.equal((await orderRow(id))!.card_last4, '4242', 'still there on day 179: chargebacks');

    h.clock.advance(DAY + 60_000);
    await runRetention(h.deps);
    const later = (await orderRow(id))!;
    assert.equal(later.card_brand, null);
    assert.equal(later.card_last4, null);
    assert.equal(later.card_exp_month, null);
    // The booking voucher stays: the provider's reference ties it to the settlement; amount, method, lines, address.
    assert.equal(later.payment_reference, placed.payment_reference);
    assert.equal(later.payment_method, 'card');
    assert.equal(later.total_cents, placed.total_cents);
    assert.equal(later.billing, placed.billing);
    assert.equal(later.status, 'paid');
  });

  test('a card order is refunded through the provider with its reference after 180 days (a warranty case)', async () => {
    const placed = (await orderRow(await cardOrder()))!;
    // Alone, this test moves past the 180 days itself; after the first test they have passed already.
    if (h.clock.now() - placed.created_at <= 180 * DAY) {
      h.clock.advance(181 * DAY);
      await runRetention(h.deps);
    }
    const row = (await orderRow(placed.id))!;
    assert.equal(row.card_last4, null);
    // The provider as a warranty refund finds it (the test provider itself forgets charges after 90 days).
    const refunds: [string, number][] = [];
    const payments = {
      ...h.deps.payments,
      refund: async (reference: string, amountCents: number) => {
        refunds.push([reference, amountCents]);
        return { status: 'refunded' as const };
      },
    };
    const staffViewer = {
      userId: 'staff-x',
      sessionId: 'test',
      name: 'Staff',
      role: 'staff',
      emailVerified: true,
      secondFactor: true,
    } as const;
    const refunded = await refundOrder({ ...h.deps, payments }, staffViewer, row.id, { scope: 'full' });
    assert.deepEqual(refunds, [[row.payment_reference, row.total_cents]]);
    assert.equal(refunded.order.status, 'refunded');
    assert.equal((await orderRow(row.id))!.status, 'refunded');
  });

  test('the kept copy of the confirmation equals the mail as sent, after the outbox and the card details are gone', async () => {
    await cardOrder();
    await deliver();
    const sent = h.mailer.to(email).find((m) => m.subject.startsWith('Order confirmation'));
    assert.ok(sent, 'the confirmation was sent');
    // Long after the outbox forgot it (30 days) and the card details went (180 days): the business letter stays.
    h.clock.advance(5 * 365 * DAY);
    await runRetention(h.deps);
    assert.equal(
      await h.deps.db.selectFrom('outbox').select('id').where('id', '=', sent.id).executeTakeFirst(),
      undefined,
    );
    const copy = await h.deps.db
      .selectFrom('business_letters')
      .selectAll()
      .where('outbox_id', '=', sent.id)
      .executeTakeFirstOrThrow();
    assert.equal(copy.subject, sent.subject);
    assert.equal(copy.body, sent.text);
    assert.equal(copy.html, sent.html);
    assert.match(copy.body, /Credit card/);
    // No digit of the card (an order id, a UUID, may contain those digits by chance).
    assert.doesNotMatch(copy.body.replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, ''), /4242/);
  });
});
