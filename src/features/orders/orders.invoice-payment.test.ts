// Orders on invoice (issue 11, point 6): the confirmation page, the customer's order page and the invoice PDF show
// the operator's bank details, the payment reference and the due date; the job orders.send-payment-reminders mails
// the first reminder once the schedule says so, exactly once, never for a paid order, and staff see the schedule.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { DAY, MINUTE } from '../../platform/clock.ts';
import { BERLIN, deliverMail, fillBasket, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { invoicePaymentDetails } from '../invoices/index.ts';
import { sendPaymentReminders } from './orders.reminders.ts';

const pdftotextSkip: string | false =
  spawnSync('pdftotext', ['-v']).error && process.env.CI !== 'true'
    ? 'pdftotext is not installed (apt-get install -y poppler-utils)'
    : false;

describeEachDatabase('orders on invoice: payment details and reminders', (db) => {
  let h: Harness;
  let counter = 0;
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  async function invoiceOrder(customer: Account): Promise<{ id: string; number: string }> {
    await fillBasket(h, customer.b, ['padgrid']);
    const res = await customer.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: BERLIN, payment: { method: 'invoice' } },
      { 'idempotency-key': `invoice-payment-${process.pid}-${++counter}` },
    );
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'invoiced');
    return res.json();
  }
  const dueOf = async (id: string) => {
    const row = await h.deps.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return invoicePaymentDetails(h.deps.config.operator, row)!.dueAt;
  };
  const remindersOf = (orderId: string) =>
    h.deps.db.selectFrom('payment_reminders').selectAll().where('order_id', '=', orderId).execute();
  const reminderMails = async (email: string) => {
    await deliverMail(h);
    return h.mailer.to(email).filter((m) => /reminder|Zahlungserinnerung/i.test(m.subject));
  };

  test('the confirmation and order page show bank details, reference and due date, in English and German', async () => {
    h.clock.set(Date.parse('2026-11-29T10:00:00Z'));
    const customer = await signedIn(h, { name: 'Ines Invoice' });
    const order = await invoiceOrder(customer);
    const page = (await customer.b.get(`/account/orders/${order.id}?placed=1`)).body;
    assert.match(page, /Thank you! Your order is placed/);
    const section = /<section class="invoice-payment"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
    assert.match(
      section,
      /Please transfer €\d+\.\d\d by 13 December 2026 to the account below, with the payment reference/,
    );
    assert.match(section, /<dt>Account holder<\/dt><dd>Tonfabrik Demo Audio GmbH<\/dd>/);
    assert.match(section, /<dt>IBAN<\/dt><dd>DE36 0000 0000 0000 0000 00<\/dd>/);
    assert.match(section, /<dt>BIC<\/dt><dd>DEMODEB1XXX<\/dd>/);
    assert.match(section, /<dt>Bank<\/dt><dd>Demobank Beispiel \(demo, not a real bank\)<\/dd>/);
    assert.match(section, new RegExp(`<dt>Payment reference</dt><dd>${order.number}</dd>`));
    assert.match(section, /<dt>Due by<\/dt><dd>13 December 2026<\/dd>/);
    const german = (await customer.b.get(`/account/orders/${order.id}`, { 'accept-language': 'de' })).body;
    assert.match(german, /Zahlung per Überweisung/);
    assert.match(german, /Bitte überweisen Sie [\d.,]+\s€ bis zum 13\. Dezember 2026/);
    assert.match(german, new RegExp(`<dt>Verwendungszweck</dt><dd>${order.number}</dd>`));
    assert.match(german, /<dt>Fällig bis<\/dt><dd>13\. Dezember 2026<\/dd>/);

    // The API says the same.
    const api = (await customer.b.api('GET', `/api/v1/orders/${order.id}`)).json();
    assert.deepEqual(api.bankTransfer, {
      accountHolder: 'Tonfabrik Demo Audio GmbH',
      iban: 'DE36000000000000000000',
      bic: 'DEMODEB1XXX',
      bank: 'Demobank Beispiel (demo, not a real bank)',
      reference: order.number,
      amount: api.total.amount,
      dueAt: '2026-12-13T22:59:59.999Z',
    });
    assert.equal(api.tracking, null);

    // A card or wallet order has nothing to transfer.
    const other = await signedIn(h, { name: 'Walter Wallet' });
    await fillBasket(h, other.b, ['padgrid']);
    const wallet = await other.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: BERLIN, payment: { method: 'wallet' } },
      { 'idempotency-key': `invoice-payment-wallet-${process.pid}` },
    );
    assert.doesNotMatch((await other.b.get(`/account/orders/${wallet.json().id}`)).body, /invoice-payment|IBAN/);
    assert.equal(wallet.json().bankTransfer, null);
  });

  test('the invoice PDF states bank details, reference and due date', { skip: pdftotextSkip }, async () => {
    h.clock.set(Date.parse('2026-11-29T10:00:00Z'));
    const customer = await signedIn(h, { name: 'Paul Pdf' });
    const order = await invoiceOrder(customer);
    const text = (lang: 'en' | 'de') =>
      customer.b
        .api('GET', `/api/v1/orders/${order.id}/invoice.pdf`, undefined, { 'accept-language': lang })
        .then((res) => {
          assert.equal(res.statusCode, 200);
          return spawnSync('pdftotext', ['-layout', '-', '-'], { input: res.rawPayload, encoding: 'utf8' }).stdout;
        });
    const en = await text('en');
    assert.match(en, /Please transfer €[\d.,]+ by 13 December 2026 to the following account/);
    assert.match(en, /Account holder: Tonfabrik Demo Audio GmbH/);
    assert.match(en, /IBAN: DE36 0000 0000 0000 0000 00/);
    assert.match(en, /BIC: DEMODEB1XXX/);
    assert.match(en, new RegExp(`Payment reference: ${order.number}`));
    assert.match(en, /Due date: 13 December 2026/);
    const de = await text('de');
    assert.match(de, new RegExp(`Verwendungszweck: ${order.number}`));
    assert.match(de, /Fälligkeitsdatum: 13\. Dezember 2026/);
  });

  test('the first reminder goes out once, 7 days after the due date; never for a paid order; staff see the schedule', async () => {
    h.clock.set(Date.parse('2026-12-01T09:00:00Z'));
    const unpaid = await signedIn(h, { name: 'Udo Unpaid' });
    const paid = await signedIn(h, { name: 'Petra Paid' });
    const open = await invoiceOrder(unpaid);
    const settled = await invoiceOrder(paid);
    const staff = await staffMember(h);
    assert.equal(
      (
        await staff.b.submit(`/staff/orders/${settled.id}`, `/staff/orders/${settled.id}/paid`, {
          paidOn: '2026-12-01',
          reference: settled.number,
        })
      ).statusCode,
      303,
    );
    const due = await dueOf(open.id);
    assert.equal(due, await dueOf(settled.id));
    const before = (await staff.b.get(`/staff/orders/${open.id}`)).body;
    assert.match(before, /Payment due by 15 December 2026\./);
    assert.match(before, /No reminder sent yet\./);
    // Due on 15 December: 7 days later is 22 December.
    assert.match(before, /Next: Reminder 1, due 22 Dec 2026, 00:00 CET\./);

    // (Other tests' orders in this database may be reminded too: the counts below are this order's.)
    h.clock.set(due + 6 * DAY);
    await sendPaymentReminders(h.deps);
    assert.equal((await remindersOf(open.id)).length, 0, 'not before its day');
    assert.equal((await reminderMails(unpaid.email)).length, 0);

    h.clock.set(due + 6 * DAY + MINUTE);
    assert.ok((await sendPaymentReminders(h.deps)).sent >= 1);
    assert.deepEqual(await sendPaymentReminders(h.deps), { sent: 0 }, 'a rerun sends nothing');
    const mails = await reminderMails(unpaid.email);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.subject, `Payment reminder: your order ${open.number}`);
    assert.match(mails[0]!.text, /The invoice of €[\d.,]+ was due on 15 December 2026/);
    assert.match(mails[0]!.text, /IBAN\s+DE36 0000 0000 0000 0000 00/);
    assert.match(mails[0]!.text, new RegExp(`Payment reference\\s+${open.number}`));
    assert.equal((await reminderMails(paid.email)).length, 0, 'the paid order gets none');
    assert.deepEqual(
      (await remindersOf(open.id)).map((r) => [r.level, r.sent_at]),
      [[1, due + 6 * DAY + MINUTE]],
    );

    // Three weeks on, the first session has expired: a staff member signs in afresh.
    const later = await staffMember(h);
    const after = (await later.b.get(`/staff/orders/${open.id}`)).body;
    assert.match(after, /<li>Reminder 1: sent 22 Dec 2026, 00:00 CET<\/li>/);
    assert.match(after, /Next: Reminder 2, due 5 Jan 2027, 00:00 CET\./);
    assert.match(
      (await later.b.get(`/staff/orders/${settled.id}`)).body,
      /No further reminders: the order is no longer waiting for payment\./,
    );

    // Paid before the second reminder: nothing more goes out.
    assert.equal(
      (
        await later.b.submit(`/staff/orders/${open.id}`, `/staff/orders/${open.id}/paid`, {
          paidOn: '2026-12-20',
          reference: open.number,
        })
      ).statusCode,
      303,
    );
    h.clock.set(due + 30 * DAY);
    await sendPaymentReminders(h.deps);
    assert.equal((await remindersOf(open.id)).length, 1);
    assert.equal((await reminderMails(unpaid.email)).length, 1);
  });

  test('a German customer’s reminder is in German', async () => {
    h.clock.set(Date.parse('2027-02-01T09:00:00Z'));
    const customer = await signedIn(h, { name: 'Gerda Gemahnt' });
    await h.deps.db.updateTable('users').set({ lang: 'de' }).where('id', '=', customer.id).execute();
    const order = await invoiceOrder(customer);
    h.clock.set((await dueOf(order.id)) + 8 * DAY);
    await sendPaymentReminders(h.deps);
    const [mail] = await reminderMails(customer.email);
    assert.ok(mail);
    assert.equal(mail.subject, `Zahlungserinnerung zu Ihrer Bestellung ${order.number}`);
    assert.match(mail.text, /Guten Tag,\n\nfür Ihre Bestellung/);
    assert.match(mail.text, /war am 15\. Februar 2027 fällig/);
    assert.match(mail.text, new RegExp(`Verwendungszweck\\s+${order.number}`));
  });
});
