import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { Browser, describeEachDatabase, linkIn, openHarness, type Harness } from '../../testing/harness.ts';
import { deliverDueMail } from '../mail/index.ts';

// pdftotext (Debian's poppler-utils) reads invoices as a PDF reader would; CI installs it, elsewhere the test
// says it is skipped rather than failing on a missing tool.
const pdftotextSkip: string | false =
  spawnSync('pdftotext', ['-v']).error && process.env.CI !== 'true' ? 'pdftotext is not installed (apt-get install -y poppler-utils)' : false;

const address = { name: 'Olga Order', street: 'Testweg 1', postalCode: '10115', city: 'Berlin', country: 'DE' };

describeEachDatabase('orders', (db) => {
  let h: Harness;
  const ids: Record<string, string> = {};
  let counter = 0;

  before(async () => {
    h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' } });
    for (const p of (await new Browser(h.app).api('GET', '/api/v1/products?limit=100')).json().items as { id: string; slug: string }[]) ids[p.slug] = p.id;
  });
  after(() => h.close());

  async function deliver() {
    await deliverDueMail({ db: h.deps.db, clock: h.clock, mailer: h.mailer, log: h.deps.log, from: 'shop@test' });
  }

  /** A fresh, verified, signed-in customer. */
  async function customer(name = 'Olga Order'): Promise<{ b: Browser; email: string }> {
    const email = `customer${++counter}@example.org`;
    const b = new Browser(h.app, `198.51.100.${counter % 250}`);
    await b.api('POST', '/api/v1/accounts', { name, email, password: 'sturdy walnut ladder' });
    await b.api('POST', '/api/v1/sessions', { email, password: 'sturdy walnut ladder' });
    await deliver();
    await b.get(linkIn(h.mailer.to(email)[0]!.text, '/account/verify'));
    return { b, email };
  }

  async function cardToken(b: Browser, number = '4242 4242 4242 4242'): Promise<string> {
    const res = await b.api('POST', '/api/v1/test-payments/tokens', { number, expMonth: 12, expYear: 2030, cvc: '123' });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().token;
  }

  const stockOf = async (slug: string) => (await h.deps.db.selectFrom('products').select('stock').where('slug', '=', slug).executeTakeFirstOrThrow()).stock;

  test('a card order is paid once, even when repeated with the same Idempotency-Key, and its mail shows no card data', async () => {
    const { b, email } = await customer();
    await b.api('POST', '/api/v1/basket/items', { productId: ids['keystep-49'], quantity: 1 });
    await b.api('POST', '/api/v1/basket/items', { productId: ids['aurora-synth'], quantity: 1 });
    const before = await stockOf('keystep-49');
    const token = await cardToken(b);
    const body = { billingAddress: address, payment: { method: 'card', token } };
    const first = await b.api('POST', '/api/v1/orders', body, { 'idempotency-key': 'order-key-0001' });
    assert.equal(first.statusCode, 201, first.body);
    const order = first.json();
    assert.equal(order.status, 'paid');
    assert.equal(order.total.amount, '498.00');
    assert.deepEqual(order.payment, { method: 'card', brand: 'visa', last4: '4242' });
    const again = await b.api('POST', '/api/v1/orders', body, { 'idempotency-key': 'order-key-0001' });
    assert.equal(again.statusCode, 201);
    assert.equal(again.json().id, order.id);
    const charges = await h.deps.db.selectFrom('test_payment_charges').selectAll().where('idempotency_key', '=', order.id).execute();
    assert.equal(charges.length, 1);
    assert.equal(await stockOf('keystep-49'), (before as number) - 1);
    assert.deepEqual((await b.api('GET', '/api/v1/basket')).json().items, []);
    assert.equal((await b.api('GET', '/api/v1/orders')).json().items.length, 1);

    await deliver();
    const mail = h.mailer.to(email).find((m) => m.subject.startsWith('Order confirmation'));
    assert.ok(mail);
    assert.match(mail.text, /Payment method: Credit card/);
    for (const secret of ['4242', token, 'visa', charges[0]!.id]) assert.ok(!mail.text.includes(secret) && !mail.subject.includes(secret), `mail must not contain ${secret}`);
    // Card numbers are stored nowhere.
    const everything = JSON.stringify(await h.deps.db.selectFrom('test_payment_tokens').selectAll().execute()) + JSON.stringify(await h.deps.db.selectFrom('orders').selectAll().execute());
    assert.ok(!everything.includes('4242424242424242'));
  });

  test('a declined card cancels the order, restores the stock and keeps the basket', async () => {
    const { b } = await customer();
    await b.api('POST', '/api/v1/basket/items', { productId: ids['padgrid'], quantity: 1 });
    const before = await stockOf('padgrid');
    const res = await b.api('POST', '/api/v1/orders', { billingAddress: address, payment: { method: 'card', token: await cardToken(b, '4000 0000 0000 0002') } }, { 'idempotency-key': 'declined-card-1' });
    assert.equal(res.statusCode, 402);
    assert.equal(res.json().error.code, 'payment_declined');
    assert.equal(await stockOf('padgrid'), before);
    assert.equal((await b.api('GET', '/api/v1/basket')).json().count, 1);
  });

  test('a declined credit check places no order and says why; what was sent is recorded', async () => {
    const { b } = await customer('Ivan Invoice');
    await b.api('POST', '/api/v1/basket/items', { productId: ids['tape-loops'], quantity: 1 });
    const res = await b.api('POST', '/api/v1/orders', { billingAddress: { ...address, postalCode: '99999' }, payment: { method: 'invoice' } }, { 'idempotency-key': 'credit-declined-1' });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().error.code, 'credit_check_declined');
    assert.match(res.json().error.message, /address could not be verified/);
    assert.equal((await b.api('GET', '/api/v1/orders')).json().items.length, 0);
    const me = (await b.api('GET', '/api/v1/me')).json();
    const check = await h.deps.db.selectFrom('credit_checks').selectAll().where('user_id', '=', me.id).executeTakeFirstOrThrow();
    assert.equal(check.decision, 'declined');
    assert.deepEqual(Object.keys(JSON.parse(check.sent)).sort(), ['amountCents', 'city', 'country', 'method', 'name', 'postalCode', 'street']);
    // Wallet needs no credit check and goes through.
    const wallet = await b.api('POST', '/api/v1/orders', { billingAddress: address, payment: { method: 'wallet' } }, { 'idempotency-key': 'wallet-after-decline' });
    assert.equal(wallet.statusCode, 201);
    assert.equal(wallet.json().status, 'paid');
  });

  test('ten concurrent orders for the last unit create exactly one order', async () => {
    await h.deps.db.updateTable('products').set({ stock: 1 }).where('slug', '=', 'keystep-88').execute();
    const buyers = [];
    for (let i = 0; i < 10; i++) {
      const { b } = await customer();
      // Put the unit in the basket directly: the basket refuses more than the stock, not concurrent buyers.
      assert.equal((await b.api('POST', '/api/v1/basket/items', { productId: ids['keystep-88'], quantity: 1 })).statusCode, 201);
      buyers.push(b);
    }
    const results = await Promise.all(buyers.map((b, i) => b.api('POST', '/api/v1/orders', { billingAddress: address, payment: { method: 'wallet' } }, { 'idempotency-key': `last-unit-${i}-xyz` })));
    const statuses = results.map((r) => r.statusCode).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    assert.equal(await stockOf('keystep-88'), 0);
    const orders = await h.deps.db.selectFrom('orders').select('lines').execute();
    assert.equal(orders.filter((o) => o.lines.includes(ids['keystep-88'] as string)).length, 1);
  });

  test("customer A gets 404 for customer B's order", async () => {
    const a = await customer();
    const bee = await customer();
    await bee.b.api('POST', '/api/v1/basket/items', { productId: ids['vocal-chops'], quantity: 1 });
    const order = (await bee.b.api('POST', '/api/v1/orders', { billingAddress: address, payment: { method: 'wallet' } }, { 'idempotency-key': 'b-order-0001' })).json();
    assert.equal((await a.b.api('GET', `/api/v1/orders/${order.id}`)).statusCode, 404);
    assert.equal((await a.b.get(`/account/orders/${order.id}`)).statusCode, 404);
    assert.equal((await bee.b.api('GET', `/api/v1/orders/${order.id}`)).statusCode, 200);
  });

  test('checkout needs a confirmed address and an Idempotency-Key', async () => {
    const b = new Browser(h.app, '192.0.2.200');
    await b.api('POST', '/api/v1/accounts', { name: 'Un Verified', email: 'unverified@example.org', password: 'sturdy walnut ladder' });
    await b.api('POST', '/api/v1/sessions', { email: 'unverified@example.org', password: 'sturdy walnut ladder' });
    const res = await b.api('POST', '/api/v1/orders', { billingAddress: address, payment: { method: 'wallet' } }, { 'idempotency-key': 'unverified-01' });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'email_unverified');
    const { b: verified } = await customer();
    await verified.api('POST', '/api/v1/basket/items', { productId: ids['vocal-chops'], quantity: 1 });
    assert.equal((await verified.api('POST', '/api/v1/orders', { billingAddress: address, payment: { method: 'wallet' } })).json().error.code, 'idempotency_key_required');
  });

  test('the checkout page buys with the test card without JavaScript; a resubmitted form orders once', async () => {
    const { b } = await customer();
    await b.submit('/shop/granite-piano', '/basket/items', { productId: ids['granite-piano'] as string, quantity: '1' });
    const page = await b.get('/checkout');
    assert.equal(page.statusCode, 200);
    const formKey = /name="formKey" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const fields = {
      _csrf: csrf,
      formKey,
      'billingAddress.name': 'Olga Order',
      'billingAddress.street': 'Testweg 1',
      'billingAddress.postalCode': '10115',
      'billingAddress.city': 'Berlin',
      'billingAddress.country': 'de',
      shipToBilling: '1',
      'payment.method': 'card',
      'card.number': '4242424242424242',
      'card.expMonth': '12',
      'card.expYear': '2030',
      'card.cvc': '123',
    };
    const placed = await b.post('/checkout', fields);
    assert.equal(placed.statusCode, 303);
    const again = await b.post('/checkout', fields);
    assert.equal(again.headers.location, placed.headers.location);
    const confirmation = await b.get(placed.headers.location as string);
    assert.match(confirmation.body, /Thank you! Your order is placed/);
    assert.match(confirmation.body, /Granite Grand Piano/);
    assert.equal((await b.api('GET', '/api/v1/orders')).json().items.length, 1);
    const bad = await b.post('/checkout', { ...fields, formKey: 'another-form-key-123456', 'card.number': '1234' });
    assert.equal(bad.statusCode, 400);
    assert.doesNotMatch(bad.body, /1234/);
  });
});

describeEachDatabase('invoices', (db) => {
  test('an order has a PDF invoice with the §14 UStG fields, for its owner only; numbers have no gaps', { skip: pdftotextSkip }, async () => {
    const { execFileSync } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    try {
      const products = (await new Browser(h.app).api('GET', '/api/v1/products?limit=100')).json().items as { id: string; slug: string }[];
      const id = (slug: string) => products.find((p) => p.slug === slug)!.id;
      const buyers: Browser[] = [];
      const orders: { id: string; number: string }[] = [];
      for (const [i, name] of ['Ines Invoice', 'Otto Other'].entries()) {
        const b = new Browser(h.app, `203.0.113.${i + 10}`);
        const email = `invoice${i}@example.org`;
        await b.api('POST', '/api/v1/accounts', { name, email, password: 'ample meadow lantern' });
        await b.api('POST', '/api/v1/sessions', { email, password: 'ample meadow lantern' });
        await deliverDueMail({ db: h.deps.db, clock: h.clock, mailer: h.mailer, log: h.deps.log, from: 'shop@test' });
        await b.get(linkIn(h.mailer.to(email)[0]!.text, '/account/verify'));
        await b.api('POST', '/api/v1/basket/items', { productId: id('keystep-49'), quantity: 2 });
        await b.api('POST', '/api/v1/basket/items', { productId: id('aurora-synth'), quantity: 1 });
        const res = await b.api('POST', '/api/v1/orders', { billingAddress: { ...address, name }, payment: { method: 'wallet' } }, { 'idempotency-key': `invoice-order-${i}` });
        assert.equal(res.statusCode, 201, res.body);
        buyers.push(b);
        orders.push(res.json());
      }
      const pdf = await buyers[0]!.api('GET', `/api/v1/orders/${orders[0]!.id}/invoice.pdf`, undefined, { 'accept-language': 'de' });
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      const file = join(h.dataDir, 'invoice.pdf');
      writeFileSync(file, pdf.rawPayload);
      // pdftotext (poppler) parses the file as a PDF reader would.
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      for (const expected of ['Tonfabrik Demo Audio GmbH', 'Beispielweg 12', 'USt-IdNr.', 'Ines Invoice', 'Testweg 1', '10115 Berlin', 'RE-2026-000001', 'Rechnungsdatum', 'Leistungsdatum', 'Keystep 49 Controller', 'Aurora Synth', 'Nettobetrag', '19% USt.', '797,00 €', '127,25 €', '669,75 €']) {
        assert.ok(text.includes(expected), `invoice shows ${expected}\n${text}`);
      }
      assert.equal((await buyers[1]!.api('GET', `/api/v1/orders/${orders[0]!.id}/invoice.pdf`)).statusCode, 404);
      const second = execFileSync('pdftotext', ['-', '-'], { input: (await buyers[1]!.api('GET', `/api/v1/orders/${orders[1]!.id}/invoice.pdf`)).rawPayload, encoding: 'utf8' });
      assert.match(second, /RE-2026-000002/);
    } finally {
      await h.close();
    }
  });
});

describeEachDatabase('hand-off to the delivery company', (db) => {
  test('the delivery hand-off holds exactly the allowed fields, and the person’s export lists the disclosure', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { deliverHandoffs } = await import('../../privacy/disclosures/index.ts');
    const { exportSubjectData } = await import('../../privacy/subject.ts');
    const h = await openHarness(db, { seed: true });
    try {
      const products = (await new Browser(h.app).api('GET', '/api/v1/products?limit=100')).json().items as { id: string; slug: string }[];
      const id = (slug: string) => products.find((p) => p.slug === slug)!.id;
      const b = new Browser(h.app);
      await b.api('POST', '/api/v1/accounts', { name: 'Paula Parcel', email: 'paula@example.org', password: 'silver harbour kite', phone: '+49 30 999888', company: 'Parcel AG' });
      await b.api('POST', '/api/v1/sessions', { email: 'paula@example.org', password: 'silver harbour kite' });
      await deliverDueMail({ db: h.deps.db, clock: h.clock, mailer: h.mailer, log: h.deps.log, from: 'shop@test' });
      await b.get(linkIn(h.mailer.to('paula@example.org')[0]!.text, '/account/verify'));
      await b.api('POST', '/api/v1/basket/items', { productId: id('keystep-61'), quantity: 1 });
      await b.api('POST', '/api/v1/basket/items', { productId: id('driftwood-reverb'), quantity: 1 });
      const shippingAddress = { name: 'Paula at Work', street: 'Lagerstraße 7', postalCode: '20095', city: 'Hamburg', country: 'DE' };
      const res = await b.api('POST', '/api/v1/orders', { billingAddress: { ...address, name: 'Paula Parcel' }, shippingAddress, payment: { method: 'card', token: (await b.api('POST', '/api/v1/test-payments/tokens', { number: '4242424242424242', expMonth: 1, expYear: 2031, cvc: '999' })).json().token } }, { 'idempotency-key': 'parcel-order-1' });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(await deliverHandoffs(h.deps), 1);
      const dir = join(h.dataDir, 'handoffs', 'delivery_company');
      const files = readdirSync(dir);
      assert.equal(files.length, 1);
      const handoff = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8'));
      assert.deepEqual(handoff, { orderNumber: res.json().number, ...shippingAddress, items: [{ title: 'Keystep 61 Controller', quantity: 1 }] });
      // Nothing else about the person reached the file: no email, phone, company, billing name, prices or payment.
      const raw = readFileSync(join(dir, files[0]!), 'utf8');
      for (const value of ['paula@example.org', '999888', 'Parcel AG', 'Paula Parcel', '399', 'card', '4242', 'Driftwood']) assert.ok(!raw.includes(value), `hand-off must not contain ${value}`);
      const exported = await exportSubjectData(h.deps, 'paula@example.org');
      const disclosures = exported.records.find((r) => r.table === 'disclosures')!.rows;
      assert.equal(disclosures.length, 1);
      assert.equal(disclosures[0]!.recipient, 'delivery-company');
      assert.deepEqual(JSON.parse(disclosures[0]!.fields as string), ['orderNumber', 'name', 'street', 'postalCode', 'city', 'country', 'items.title', 'items.quantity']);
      assert.ok(disclosures[0]!.disclosed_at);
    } finally {
      await h.close();
    }
  });
});

describeEachDatabase('staff order console', (db) => {
  test('staff move an order through its states with a history the customer sees; invalid moves are refused', async () => {
    const h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    try {
      const padgrid = (await new Browser(h.app).api('GET', '/api/v1/products/padgrid')).json().id;
      const customer = new Browser(h.app);
      await customer.api('POST', '/api/v1/accounts', { name: 'Cara Customer', email: 'cara@example.org', password: 'tidal maple lantern' });
      await customer.api('POST', '/api/v1/sessions', { email: 'cara@example.org', password: 'tidal maple lantern' });
      await deliverDueMail({ db: h.deps.db, clock: h.clock, mailer: h.mailer, log: h.deps.log, from: 'shop@test' });
      await customer.get(linkIn(h.mailer.to('cara@example.org')[0]!.text, '/account/verify'));
      await customer.api('POST', '/api/v1/basket/items', { productId: padgrid, quantity: 1 });
      const order = (await customer.api('POST', '/api/v1/orders', { billingAddress: address, payment: { method: 'wallet' } }, { 'idempotency-key': 'staff-console-1' })).json();
      assert.equal((await customer.get('/staff/orders')).statusCode, 403);

      const staff = new Browser(h.app);
      await staff.api('POST', '/api/v1/accounts', { name: 'Sam Staff', email: 'sam@example.org', password: 'tidal maple lantern' });
      await h.deps.db.updateTable('users').set({ role: 'staff' }).where('email', '=', 'sam@example.org').execute();
      await staff.api('POST', '/api/v1/sessions', { email: 'sam@example.org', password: 'tidal maple lantern' });
      assert.match((await staff.get('/staff/orders?status=paid')).body, new RegExp(order.number));
      const wrong = await staff.submit(`/staff/orders/${order.id}`, `/staff/orders/${order.id}/status`, { status: 'delivered' });
      assert.equal(wrong.statusCode, 409);
      assert.match(wrong.body, /cannot become delivered/);
      for (const status of ['shipped', 'delivered']) {
        h.clock.advance(600_000);
        assert.equal((await staff.submit(`/staff/orders/${order.id}`, `/staff/orders/${order.id}/status`, { status })).statusCode, 303);
      }
      const seen = (await customer.api('GET', `/api/v1/orders/${order.id}`)).json();
      assert.equal(seen.status, 'delivered');
      assert.deepEqual(seen.history.map((x: { status: string }) => x.status), ['placed', 'paid', 'shipped', 'delivered']);
    } finally {
      await h.close();
    }
  });
});

describeEachDatabase('order confirmation over SMTP', (db) => {
  test('the confirmation mail, received over SMTP and parsed, names the payment method and holds no card data', async () => {
    const { TestSmtpServer } = await import('../../testing/smtp.ts');
    const { createSmtpMailer } = await import('../../platform/email/mailer.ts');
    const smtp = await new TestSmtpServer().start();
    const h = await openHarness(db, { seed: true, mailer: createSmtpMailer(smtp.url, 'test.example') });
    try {
      const deliver = () => deliverDueMail({ db: h.deps.db, clock: h.clock, mailer: h.deps.mailer, log: h.deps.log, from: 'shop@test.example' });
      const b = new Browser(h.app);
      await b.api('POST', '/api/v1/accounts', { name: 'Smita Smtp', email: 'smita@example.org', password: 'orbit meadow candle' });
      await b.api('POST', '/api/v1/sessions', { email: 'smita@example.org', password: 'orbit meadow candle' });
      await deliver();
      const verification = smtp.received.find((m) => m.envelopeTo.includes('smita@example.org'))!;
      await b.get(linkIn(verification.parsed.text ?? '', '/account/verify'));
      await b.api('POST', '/api/v1/basket/items', { productId: (await b.api('GET', '/api/v1/products/fadebox')).json().id, quantity: 1 });
      const token = (await b.api('POST', '/api/v1/test-payments/tokens', { number: '4242 4242 4242 4242', expMonth: 11, expYear: 2029, cvc: '321' })).json().token;
      const order = (await b.api('POST', '/api/v1/orders', { billingAddress: { ...address, name: 'Smita Smtp' }, payment: { method: 'card', token } }, { 'idempotency-key': 'smtp-order-0001' })).json();
      await deliver();
      const mail = smtp.received.find((m) => m.parsed.subject === `Order confirmation ${order.number}`);
      assert.ok(mail, 'the confirmation arrived over SMTP');
      assert.deepEqual(mail.envelopeTo, ['smita@example.org']);
      const text = `${mail.parsed.subject}\n${mail.parsed.text}`;
      assert.match(text, /Payment method: Credit card/);
      assert.match(text, /Fadebox Mixer Controller/);
      for (const secret of ['4242', token, 'visa', '321', '11/2029', order.payment.last4]) assert.ok(!text.includes(secret), `mail must not contain ${secret}`);
    } finally {
      await h.close();
      await smtp.stop();
    }
  });
});
