// Payment reminders and withdrawals (issue 11): a reminder claims only what is still owed after the customer's
// withdrawals, and none goes out when nothing is owed; the job reads all invoiced orders page by page, so newer
// orders are reminded too however many older ones wait.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY, MINUTE } from '../../platform/clock.ts';
import { formatEuro } from '../../platform/i18n.ts';
import { BERLIN, deliverMail, fillBasket, signedIn, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { invoicePaymentDetails } from '../invoices/index.ts';
import { sendPaymentReminders } from './orders.reminders.ts';
import type { OrderLine } from './orders.tables.ts';

describeEachDatabase('payment reminders and withdrawals', (db) => {
  let h: Harness;
  let counter = 0;
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  async function invoiceOrder(customer: Account, items: string[]): Promise<{ id: string; number: string }> {
    await fillBasket(h, customer.b, items);
    const res = await customer.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: { ...BERLIN, name: `Rita Reminder ${++counter}` }, payment: { method: 'invoice' } },
      { 'idempotency-key': `reminders-withdrawals-${process.pid}-${counter}` },
    );
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'invoiced');
    return res.json();
  }

  async function withdraw(customer: Account, orderId: string, lines: string[]) {
    const page = await customer.b.get(`/account/orders/${orderId}/withdraw`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const fields: [string, string][] = [['_csrf', csrf], ...lines.map((l): [string, string] => ['line', l])];
    const res = await customer.b.post(`/account/orders/${orderId}/withdraw/confirm`, fields);
    assert.equal(res.statusCode, 303, res.body);
  }

  const orderRow = (id: string) =>
    h.deps.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const dueOf = async (id: string) => invoicePaymentDetails(h.deps.config.operator, await orderRow(id))!.dueAt;
  const remindersOf = (orderId: string) =>
    h.deps.db.selectFrom('payment_reminders').selectAll().where('order_id', '=', orderId).execute();

  test('a reminder claims only what is still owed after a withdrawal, and none goes out when nothing is owed', async () => {
    h.clock.set(Date.parse('2026-12-01T09:00:00Z'));
    const partly = await signedIn(h, { ip: '10.2.0.1' });
    const wholly = await signedIn(h, { ip: '10.2.0.2' });
    const part = await invoiceOrder(partly, ['padgrid', 'aurora-synth']);
    const whole = await invoiceOrder(wholly, ['padgrid']);
    await withdraw(partly, part.id, ['0']);
    await withdraw(wholly, whole.id, ['0']);
    const kept = (JSON.parse((await orderRow(part.id)).lines) as OrderLine[])[1] as OrderLine;

    h.clock.set((await dueOf(part.id)) + 6 * DAY + MINUTE);
    await sendPaymentReminders(h.deps);
    await deliverMail(h);
    const mails = h.mailer.to(partly.email).filter((m) => /reminder/i.test(m.subject));
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.text, new RegExp(`The invoice of ${formatEuro('en', kept.lineCents).replace('.', '\\.')} `));
    assert.equal((await remindersOf(whole.id)).length, 0, 'nothing owed: no reminder');
    assert.equal(h.mailer.to(wholly.email).filter((m) => /reminder/i.test(m.subject)).length, 0);
  });

  test('all invoiced orders are looked at, page by page: newer ones are reminded too', async () => {
    h.clock.set(Date.parse('2027-02-01T09:00:00Z'));
    const customer = await signedIn(h, { ip: '10.2.0.3' });
    const orders = [];
    for (let i = 0; i < 3; i++) orders.push(await invoiceOrder(customer, ['padgrid']));
    // Two placed at the same instant: the cursor must not skip the second.
    const placed = (await orderRow(orders[0]!.id)).created_at;
    await h.deps.db
      .updateTable('orders')
      .set({ created_at: placed })
      .where('id', 'in', [orders[0]!.id, orders[1]!.id])
      .execute();
    h.clock.set((await dueOf(orders[2]!.id)) + 6 * DAY + MINUTE);
    await sendPaymentReminders(h.deps, { batch: 1 });
    for (const o of orders) assert.equal((await remindersOf(o.id)).length, 1, o.number);
  });
});
