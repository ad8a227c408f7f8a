// The withdrawal function (Art. 11a Consumer Rights Directive): from the order page and the account, two steps,
// a confirmation by mail and on a page; refused with the reason outside the period and for digital content
// delivered with the § 356(5) BGB consent; another customer's order is not found; staff see the withdrawal.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY, HOUR } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { deliverMail, fillBasket, placeOrder, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { shipOrder } from './orders.shipping.ts';

describeEachDatabase('the withdrawal function', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  /** Step 1 (with the token of the order's withdrawal page); `confirm` then sends step 2's button. */
  async function startWithdrawal(a: Account, orderId: string, lines: string[], statement = '', headers = {}) {
    const page = await a.b.get(`/account/orders/${orderId}/withdraw`, headers);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const fields: [string, string][] = [
      ['_csrf', csrf],
      ...lines.map((l): [string, string] => ['line', l]),
      ['statement', statement],
    ];
    const step1 = await a.b.post(`/account/orders/${orderId}/withdraw`, fields, headers);
    const confirm = () => a.b.post(`/account/orders/${orderId}/withdraw/confirm`, fields, headers);
    return { page, step1, confirm };
  }

  async function withdraw(a: Account, orderId: string, lines: string[], statement = '', headers = {}) {
    const started = await startWithdrawal(a, orderId, lines, statement, headers);
    return { ...started, step2: await started.confirm() };
  }

  /** Marks the order shipped at `at`, as the staff's ship action would leave its history. */
  async function markShipped(orderId: string, at: number) {
    const row = await h.deps.db
      .selectFrom('orders')
      .select('history')
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    const history = [...(JSON.parse(row.history) as unknown[]), { status: 'shipped', at }];
    await h.deps.db
      .updateTable('orders')
      .set({ status: 'shipped', history: JSON.stringify(history) })
      .where('id', '=', orderId)
      .execute();
  }

  test('within the period: two steps, a confirmation page and mail with content, date and time; staff see it', async () => {
    const customer = await signedIn(h);
    const order = await placeOrder(h, customer.b, ['padgrid', 'aurora-synth']);
    const orderPage = await customer.b.get(`/account/orders/${order.id}`);
    assert.match(
      orderPage.body,
      new RegExp(`<a href="/account/orders/${order.id}/withdraw">Withdraw from contract</a>`),
    );
    const overview = await customer.b.get('/account/withdrawal', { 'accept-language': 'de' });
    assert.equal(overview.statusCode, 200);
    assert.match(overview.body, /<h1>Vertrag widerrufen<\/h1>/);
    assert.match(overview.body, new RegExp(`href="/account/orders/${order.id}/withdraw"`));

    const { page, step1, confirm } = await startWithdrawal(
      customer,
      order.id as string,
      ['0'],
      'Does not fit my desk.',
    );
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /the 14 days begin when you receive the goods/);
    assert.match(page.body, /name="line" value="1"/, 'the software line, without the consent, may be withdrawn too');
    assert.equal(step1.statusCode, 200);
    assert.match(step1.body, /Step 2 of 2/);
    assert.match(step1.body, /<button type="submit">Confirm withdrawal<\/button>/);
    assert.equal(
      await h.deps.db
        .selectFrom('order_withdrawals')
        .select('id')
        .where('order_id', '=', order.id as string)
        .executeTakeFirst(),
      undefined,
      'step 1 declares nothing',
    );
    const step2 = await confirm();
    assert.equal(step2.statusCode, 303, step2.body);
    const done = await customer.b.get(step2.headers.location as string);
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /Withdrawal received/);
    assert.match(done.body, /Does not fit my desk\./);

    await deliverMail(h);
    const mail = h.mailer.to(customer.email).find((m) => m.subject.startsWith('Confirmation of your withdrawal'));
    assert.ok(mail, 'confirmation mailed');
    const number = (
      await h.deps.db
        .selectFrom('orders')
        .select('number')
        .where('id', '=', order.id as string)
        .executeTakeFirstOrThrow()
    ).number;
    assert.match(mail.subject, new RegExp(number));
    assert.match(mail.text, /Date and time of the withdrawal\s+29 Nov 2026, 11:00/);
    assert.match(mail.text, /Does not fit my desk\./);
    assert.match(mail.text, /PadGrid|Pad/i);

    // Again: the withdrawn line is withdrawn; the other stays open.
    const again = await customer.b.get(`/account/orders/${order.id}/withdraw`);
    assert.match(again.body, /Already withdrawn on/);
    const twice = await withdraw(customer, order.id as string, ['0']);
    assert.equal(twice.step1.statusCode, 409);
    assert.match(twice.step1.body, /cannot be withdrawn from: Already withdrawn/);

    const staff = await staffMember(h);
    const staffPage = await staff.b.get(`/staff/orders/${order.id}`);
    assert.match(staffPage.body, /<h2>Withdrawals<\/h2>/);
    assert.match(staffPage.body, /Statement: Does not fit my desk\./);
  });

  /** Moves the order's whole history (placed, paid) to `at`, as if the contract were concluded then. */
  async function concludedAt(orderId: string, at: number) {
    const row = await h.deps.db
      .selectFrom('orders')
      .select('history')
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    const history = (JSON.parse(row.history) as { status: string; at: number }[]).map((e) => ({ ...e, at }));
    await h.deps.db
      .updateTable('orders')
      .set({ history: JSON.stringify(history), created_at: at })
      .where('id', '=', orderId)
      .execute();
  }

  test('goods: 14 days from receipt, counted from shipping plus the longest delivery time, to the end of the day; digital: 14 days from the contract, to the end of the day', async () => {
    // Now: 29 Nov 2026, 12:00 in Berlin. The demo operator's longest delivery time is 12 days.
    const customer = await signedIn(h, { ip: '10.1.0.1' });
    const inTime = await placeOrder(h, customer.b, ['padgrid']);
    // Shipped 3 Nov: received by 15 Nov at the latest, the 14 days end on 29 Nov at midnight.
    await markShipped(inTime.id as string, h.clock.now() - 26 * DAY);
    const open = await customer.b.get(`/account/orders/${inTime.id}/withdraw`);
    assert.match(open.body, /Can be withdrawn until 29 Nov 2026, 23:59/);
    assert.match(open.body, /name="line" value="0"/);
    const late = await placeOrder(h, customer.b, ['padgrid']);
    await markShipped(late.id as string, h.clock.now() - 27 * DAY);
    assert.match(
      (await customer.b.get(`/account/orders/${late.id}/withdraw`)).body,
      /The withdrawal period ended on 28 Nov 2026, 23:59/,
    );

    // Digital content without the consent: concluded 15 Nov, 10:00 in Berlin; open until the end of 29 Nov.
    const digital = await placeOrder(h, customer.b, ['aurora-synth']);
    await concludedAt(digital.id as string, h.clock.now() - 14 * DAY - 2 * HOUR);
    assert.match(
      (await customer.b.get(`/account/orders/${digital.id}/withdraw`)).body,
      /Can be withdrawn until 29 Nov 2026, 23:59/,
    );
    const digitalLate = await placeOrder(h, customer.b, ['aurora-synth']);
    await concludedAt(digitalLate.id as string, h.clock.now() - 15 * DAY);
    assert.match(
      (await customer.b.get(`/account/orders/${digitalLate.id}/withdraw`)).body,
      /The withdrawal period ended on 28 Nov 2026, 23:59/,
    );
  });

  test('step 2 names the customer and the email the confirmation goes to; the confirmation is kept as a business letter', async () => {
    const customer = await signedIn(h, { ip: '10.1.0.2' });
    const order = await placeOrder(h, customer.b, ['padgrid']);
    const { step1, confirm } = await startWithdrawal(customer, order.id as string, ['0']);
    assert.equal(step1.statusCode, 200);
    assert.match(step1.body, /<dt>Declared by<\/dt><dd>Test Person<\/dd>/);
    assert.match(step1.body, new RegExp(`<dt>Confirmation by email to</dt><dd>${customer.email}</dd>`));
    const german = await startWithdrawal(customer, order.id as string, ['0'], '', { 'accept-language': 'de' });
    assert.match(german.step1.body, /<dt>Erklärt von<\/dt><dd>Test Person<\/dd>/);
    assert.match(german.step1.body, /<dt>Bestätigung per E-Mail an<\/dt>/);
    const step2 = await confirm();
    assert.equal(step2.statusCode, 303, step2.body);
    const id = String(step2.headers.location).split('/').pop() as string;
    const letter = await h.deps.db
      .selectFrom('business_letters')
      .selectAll()
      .where('ref', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(letter.kind, 'withdrawal-confirmation');
    assert.equal(letter.recipient, customer.email);
    assert.match(letter.subject, /Confirmation of your withdrawal/);
  });

  test('two confirms at the same moment record one withdrawal and one confirmation', async () => {
    const customer = await signedIn(h, { ip: '10.1.0.3' });
    const order = await placeOrder(h, customer.b, ['padgrid', 'aurora-synth']);
    const { confirm } = await startWithdrawal(customer, order.id as string, ['0', '1']);
    const answers = await Promise.all([confirm(), confirm(), confirm()]);
    assert.deepEqual(
      answers.map((a) => a.statusCode).sort(),
      [303, 409, 409],
      answers.map((a) => a.body.slice(0, 200)).join('\n'),
    );
    const rows = await h.deps.db
      .selectFrom('order_withdrawals')
      .select('id')
      .where('order_id', '=', order.id as string)
      .execute();
    assert.equal(rows.length, 1);
    const letters = await h.deps.db
      .selectFrom('business_letters')
      .select('id')
      .where('ref', '=', (rows[0] as { id: string }).id)
      .execute();
    assert.equal(letters.length, 1);
  });

  test('staff see open withdrawals with the refund deadline; withdrawn goods are not shipped', async () => {
    const customer = await signedIn(h, { ip: '10.1.0.4' });
    const order = await placeOrder(h, customer.b, ['padgrid']);
    const made = await withdraw(customer, order.id as string, ['0']);
    assert.equal(made.step2.statusCode, 303);
    const number = (
      await h.deps.db
        .selectFrom('orders')
        .select('number')
        .where('id', '=', order.id as string)
        .executeTakeFirstOrThrow()
    ).number;
    const staff = await staffMember(h, { ip: '10.1.0.5' });
    const list = await staff.b.get('/staff/withdrawals');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /href="\/staff\/withdrawals"/, 'linked in the staff header');
    // Withdrawn 29 Nov: the refund is due by the end of 13 Dec.
    assert.match(
      list.body,
      new RegExp(`<a href="/staff/orders/${order.id}">${number}</a>[\\s\\S]*?13 Dec 2026, 23:59`),
    );
    assert.match((await staff.b.get('/staff/withdrawals', { 'accept-language': 'de' })).body, /Erstattung fällig bis/);
    assert.match((await staff.b.get(`/staff/orders/${order.id}`)).body, /Refund due by 13 Dec 2026, 23:59/);
    assert.equal((await customer.b.get('/staff/withdrawals')).statusCode, 403);

    await assert.rejects(
      shipOrder(h.deps, order.id as string, { carrier: 'paketbote', tracking: '00340434161234567890', serials: [] }),
      (err: unknown) =>
        err instanceof AppError && err.status === 409 && /The customer withdrew from “/.test(err.text.en),
    );
    const row = await h.deps.db
      .selectFrom('orders')
      .select('status')
      .where('id', '=', order.id as string)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'paid', 'not shipped');
  });

  test('refunds from the console count: a refunded line cannot be withdrawn, and a withdrawal settled by a refund shows as refunded', async () => {
    const { refundOrder } = await import('./order-page.service.ts');
    const customer = await signedIn(h, { ip: '10.1.0.14' });
    // A third line stays unrefunded: the order stays open, so its withdrawal stays in the queue.
    const order = await placeOrder(h, customer.b, ['padgrid', 'aurora-synth', 'granite-piano']);
    const staff = await staffMember(h, { ip: '10.1.0.15' });
    const viewer = {
      userId: staff.id,
      sessionId: 'test',
      name: 'Staff',
      role: 'staff',
      emailVerified: true,
      secondFactor: true,
    } as const;
    // Staff refund the software line (line 1) first: it is no longer offered for withdrawal, and refused if sent.
    await refundOrder(h.deps, viewer, order.id as string, {
      scope: 'lines',
      quantities: new Map([[1, 1]]),
      shipping: false,
    });
    const page = await customer.b.get(`/account/orders/${order.id}/withdraw`);
    assert.doesNotMatch(page.body, /name="line" value="1"/);
    assert.match(page.body, /Already refunded on/);
    assert.match(
      (await customer.b.get(`/account/orders/${order.id}/withdraw`, { 'accept-language': 'de' })).body,
      /Bereits am .* erstattet/,
    );
    const refused = await withdraw(customer, order.id as string, ['1']);
    assert.ok(refused.step1.statusCode >= 400 && refused.step1.statusCode < 500, String(refused.step1.statusCode));
    // The goods line is withdrawn; until its refund the queue shows the due date, then “Refunded on”.
    const made = await withdraw(customer, order.id as string, ['0']);
    assert.equal(made.step2.statusCode, 303);
    const row = (list: string) =>
      new RegExp(`<a href="/staff/orders/${order.id}">[^<]+</a></th>[\\s\\S]*?</tr>`).exec(list)?.[0] ?? '';
    assert.match(row((await staff.b.get('/staff/withdrawals')).body), /13 Dec 2026, 23:59/);
    assert.doesNotMatch(row((await staff.b.get('/staff/withdrawals')).body), /Refunded on/);
    await refundOrder(h.deps, viewer, order.id as string, {
      scope: 'lines',
      quantities: new Map([[0, 1]]),
      shipping: false,
    });
    assert.match(row((await staff.b.get('/staff/withdrawals')).body), /Refunded on 29 Nov 2026/);
    assert.match(
      row((await staff.b.get('/staff/withdrawals', { 'accept-language': 'de' })).body),
      /Erstattet am 29\.11\.2026|Erstattet am 29\. Nov/,
    );
  });

  test('outside the period the function refuses with the reason, in the shopper’s language', async () => {
    const customer = await signedIn(h);
    const order = await placeOrder(h, customer.b, ['padgrid']);
    // Shipped 27 days ago: received 12 days later at the latest, the 14 days after that are over.
    await markShipped(order.id as string, h.clock.now() - 27 * DAY);
    const page = await customer.b.get(`/account/orders/${order.id}/withdraw`, { 'accept-language': 'de' });
    assert.match(page.body, /Die Widerrufsfrist endete am/);
    assert.doesNotMatch(page.body, /name="line"/);
    const { step1, step2 } = await withdraw(customer, order.id as string, ['0'], '', { 'accept-language': 'de' });
    assert.equal(step1.statusCode, 409);
    assert.match(step1.body, /kann nicht widerrufen werden: Die Widerrufsfrist endete am/);
    assert.equal(step2.statusCode, 409);
    assert.equal(
      await h.deps.db
        .selectFrom('order_withdrawals')
        .select('id')
        .where('order_id', '=', order.id as string)
        .executeTakeFirst(),
      undefined,
    );
  });

  test('digital content delivered with the § 356(5) consent is excluded, and says why', async () => {
    const customer = await signedIn(h);
    await fillBasket(h, customer.b, ['aurora-synth']);
    const res = await customer.b.api(
      'POST',
      '/api/v1/orders',
      {
        billingAddress: { name: 'Dora Digital', street: 'Weg 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
        payment: { method: 'wallet' },
        consents: { terms: true, digitalContent: true },
      },
      { 'idempotency-key': `withdrawal-digital-${process.pid}` },
    );
    assert.equal(res.statusCode, 201, res.body);
    const order = res.json() as { id: string };
    const page = await customer.b.get(`/account/orders/${order.id}/withdraw`);
    assert.match(
      page.body,
      /No right of withdrawal: digital content whose delivery before the end of the withdrawal period you expressly agreed to/,
    );
    const { step1 } = await withdraw(customer, order.id, ['0']);
    assert.equal(step1.statusCode, 409);
    assert.match(step1.body, /§ 356\(5\) BGB/);
    assert.match(
      (await customer.b.get(`/account/orders/${order.id}/withdraw`, { 'accept-language': 'de' })).body,
      /digitale Inhalte, deren vorzeitiger Lieferung vor Ablauf der Widerrufsfrist Sie in der Kasse ausdrücklich zugestimmt haben/,
    );
  });

  test('a guest is sent to sign in first', async () => {
    const res = await new Browser(h.app).get('/account/withdrawal');
    assert.ok([302, 303].includes(res.statusCode), String(res.statusCode));
    assert.match(String(res.headers.location), /sign-?in|login/);
  });

  test('choosing nothing is a clear 400; another customer’s order and withdrawal are not found', async () => {
    const owner = await signedIn(h);
    const order = await placeOrder(h, owner.b, ['padgrid']);
    const none = await withdraw(owner, order.id as string, []);
    assert.equal(none.step1.statusCode, 400);
    assert.match(none.step1.body, /Choose at least one item to withdraw from\./);

    const made = await withdraw(owner, order.id as string, ['0']);
    assert.equal(made.step2.statusCode, 303);
    const other = await signedIn(h);
    assert.equal((await other.b.get(`/account/orders/${order.id}/withdraw`)).statusCode, 404);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await other.b.get('/account/withdrawal')).body)?.[1] ?? '';
    // The overview has no form; take a token from a page that has one.
    const token = csrf || (/name="_csrf" value="([^"]+)"/.exec((await other.b.get('/shop/padgrid')).body)?.[1] ?? '');
    const post = await other.b.post(`/account/orders/${order.id}/withdraw/confirm`, { _csrf: token, line: '0' });
    assert.equal(post.statusCode, 404);
    assert.equal((await other.b.get(made.step2.headers.location as string)).statusCode, 404);
    assert.equal(
      (
        await h.deps.db
          .selectFrom('order_withdrawals')
          .select('id')
          .where('order_id', '=', order.id as string)
          .execute()
      ).length,
      1,
    );
  });
});
