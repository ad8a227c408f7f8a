// The staff order page of the operator's console (issue 12, point 2): what it shows (in English and German), internal
// notes, cancel and refund through confirmation pages (full and per line, through the test payment provider, with
// the licences they end), no refund above what was paid (also two at once), a provider's refusal that changes
// nothing, an invoice's bank transfer recorded with its day and reference, the access audit, and 403 for customers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BERLIN, fillBasket, placeOrder, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Browser, type Harness } from '../../testing/harness.ts';
import type { Viewer } from '../../platform/http/context.ts';
import { refundOrder } from './order-page.service.ts';

describeEachDatabase('the staff order page', (db) => {
  let h: Harness;
  let staff: Account;
  let counter = 0;
  before(async () => {
    h = await openHarness(db, { seed: true });
    staff = await staffMember(h, { name: 'Stefan Staff', ip: nextIp() });
  });
  after(() => h.close());
  // Each account its own client address: the sign-up rate limit counts per address.
  let ips = 0;
  const nextIp = () => `10.77.${Math.floor(++ips / 250)}.${(ips % 250) + 1}`;
  const person = (options: { name: string }) => signedIn(h, { ...options, ip: nextIp() });

  const orderRow = (id: string) =>
    h.deps.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const licencesOf = (orderId: string) =>
    h.deps.db
      .selectFrom('licences')
      .select(['licence_key', 'product_id', 'revoked_at'])
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  const refundsOf = (orderId: string) =>
    h.deps.db.selectFrom('order_refunds').selectAll().where('order_id', '=', orderId).execute();
  const productIdOf = async (slug: string) =>
    (await h.deps.db.selectFrom('products').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;

  /** Posts a form of `page` (its CSRF token) in a language. */
  async function post(b: Browser, page: string, action: string, fields: Record<string, string>, lang = 'en') {
    const form = await b.get(page, { 'accept-language': lang });
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    assert.ok(token, `no form on ${page}`);
    return b.post(action, { _csrf: token, ...fields }, { 'accept-language': lang });
  }

  async function invoiceOrder(customer: Account, items: string[]): Promise<{ id: string; number: string }> {
    await fillBasket(h, customer.b, items);
    const res = await customer.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: BERLIN, payment: { method: 'invoice' } },
      { 'idempotency-key': `console-order-${process.pid}-${++counter}` },
    );
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'invoiced');
    return res.json();
  }

  test('shows customer, addresses, lines with VAT, payment, invoice PDF, licence keys and history, in English and German; each view is audited', async () => {
    const customer = await person({ name: 'Olga Overview' });
    const order = await placeOrder(h, customer.b, [['aurora-synth', 2], 'padgrid']);
    const row = await orderRow(order.id);
    const path = `/staff/orders/${order.id}`;
    const page = await staff.b.get(path);
    assert.equal(page.statusCode, 200);
    const en = page.body;
    assert.match(en, new RegExp(`<a href="/staff/customers/${customer.id}">Olga Overview</a>`));
    assert.match(en, new RegExp(customer.email.replace(/[.+]/g, '\\$&')));
    assert.match(
      en,
      /<h2 id="billing-title">Billing address<\/h2><address>Test Person<br>Teststraße 1<br>10115 Berlin<br>Germany<\/address>/,
    );
    assert.match(en, /<h2 id="shipping-title">Shipping address<\/h2><address>/);
    assert.match(
      en,
      /<th scope="col">Unit price<\/th><th scope="col">Quantity<\/th><th scope="col">VAT rate<\/th><th scope="col">VAT<\/th><th scope="col">Line total<\/th>/,
    );
    assert.match(
      en,
      /<tr><th scope="row">Aurora Synth<\/th><td [^>]*>€199\.00<\/td><td [^>]*>2<\/td><td [^>]*>19%[^<]*<\/td><td [^>]*>€63\.55<\/td><td [^>]*>€398\.00<\/td><\/tr>/,
    );
    assert.match(en, /<dt>Method<\/dt><dd>Wallet<\/dd>/);
    assert.match(en, new RegExp(`<dt>Provider reference</dt><dd>${row.payment_reference}</dd>`));
    assert.match(en, /<dt>Paid at<\/dt><dd>29 Nov 2026/);
    assert.match(en, new RegExp(`<a href="${path}/invoice.pdf">Invoice \\(PDF\\)</a>`));
    const licences = await licencesOf(order.id);
    assert.equal(licences.length, 2);
    // Masked to the last 4 characters (one rule for every staff page, licences/licences.mask.ts), and said so.
    for (const l of licences) {
      assert.ok(!en.includes(l.licence_key), 'the whole key is never on a staff page');
      const masked = l.licence_key.replace(/[^-](?=(?:-*[^-]){4})/g, '•');
      assert.ok(masked.endsWith(l.licence_key.slice(-4)) && masked.includes('•'));
      assert.match(en, new RegExp(`<code>${masked}</code> Aurora Synth <span class="licence-valid">\\(valid\\)`));
    }
    assert.match(en, /Keys show their last 4 characters only; the customer sees the whole key in their account\./);
    assert.match(
      en,
      /<h2 id="history-title">History<\/h2>\n<ol><li><time [^>]+>[^<]+<\/time>: Order placed<\/li><li><time [^>]+>[^<]+<\/time>: Payment received<\/li><\/ol>/,
    );
    assert.match(en, /<h2 id="notes-title">Internal notes<\/h2>/);
    assert.match(en, /No notes yet\./);
    // Cancel and refund are not offered by the plain status change (their own confirmation pages are).
    assert.doesNotMatch(en, /<option value="refunded">/);
    assert.doesNotMatch(en, /<option value="cancelled">/);

    const de = (await staff.b.get(path, { 'accept-language': 'de' })).body;
    assert.match(
      de,
      /<h2 id="billing-title">Rechnungsanschrift<\/h2><address>Test Person<br>Teststraße 1<br>10115 Berlin<br>Deutschland<\/address>/,
    );
    assert.match(de, /<h2 id="shipping-title">Lieferanschrift<\/h2>/);
    assert.match(de, /<th scope="col">Einzelpreis<\/th><th scope="col">Menge<\/th><th scope="col">MwSt\.-Satz<\/th>/);
    assert.match(
      de,
      /<td data-label="MwSt\.-Satz">19\s%[^<]*<\/td><td data-label="MwSt\.">63,55\s€<\/td><td data-label="Gesamt">398,00\s€<\/td>/,
    );
    assert.match(de, /<dt>Zahlungsart<\/dt><dd>Wallet<\/dd>/);
    assert.match(de, /<dt>Referenz des Zahlungsdienstleisters<\/dt>/);
    assert.match(de, /Rechnung \(PDF\)/);
    assert.match(de, /<h2 id="licences-title">Lizenzschlüssel<\/h2>/);
    assert.match(de, /\(gültig\)/);
    assert.match(
      de,
      /Schlüssel zeigen nur ihre letzten 4 Zeichen; der ganze Schlüssel ist nur im Kundenkonto zu sehen\./,
    );
    for (const l of licences) assert.ok(!de.includes(l.licence_key));
    assert.match(de, /<h2 id="history-title">Verlauf<\/h2>[\s\S]*Bestellung aufgegeben[\s\S]*Zahlung eingegangen/);
    assert.match(de, /<h2 id="notes-title">Interne Notizen<\/h2>/);
    assert.match(de, /Noch keine Notizen\./);

    const pdf = await staff.b.get(`${path}/invoice.pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(String(pdf.headers['cache-control']), /no-store/);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');

    const audit = await h.deps.db
      .selectFrom('access_audit')
      .select(['what', 'why', 'path', 'actor_user_id'])
      .where('subject_user_id', '=', customer.id)
      .orderBy('at')
      .execute();
    assert.deepEqual(
      audit.map((a) => [a.what, a.path, a.actor_user_id]),
      [
        ['order.view', path, staff.id],
        ['order.view', path, staff.id],
        ['order.invoice-view', `${path}/invoice.pdf`, staff.id],
      ],
    );
  });

  test('a note is added and shown newest first with its author; a too long note is refused in the user’s language', async () => {
    const customer = await person({ name: 'Nele Notes' });
    const order = await placeOrder(h, customer.b, ['granite-piano']);
    const path = `/staff/orders/${order.id}`;
    assert.equal(
      (await post(staff.b, path, `${path}/notes`, { note: 'Called: wants the piano gift-wrapped.' })).statusCode,
      303,
    );
    h.clock.advance(60_000);
    assert.equal((await post(staff.b, path, `${path}/notes`, { note: 'Second <b>note</b>' })).statusCode, 303);
    const page = (await staff.b.get(path)).body;
    const notes = /<ul class="notes">([\s\S]*?)<\/ul>/.exec(page)?.[1] ?? '';
    assert.match(
      notes,
      /^<li><p class="note-meta">Stefan Staff, <time[^>]*>[^<]+<\/time><\/p><p class="note-body">Second &lt;b&gt;note&lt;\/b&gt;<\/p><\/li><li><p class="note-meta">Stefan Staff, [\s\S]*Called: wants the piano gift-wrapped\./,
    );

    const long = 'x'.repeat(2001);
    const refused = await post(staff.b, path, `${path}/notes`, { note: long });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /A note has at most 2000 characters; this one has 2001\./);
    assert.match(
      refused.body,
      new RegExp(`<textarea[^>]*aria-invalid="true"[^>]*>${long}</textarea>`),
      'what was typed stays',
    );
    const german = await post(staff.b, path, `${path}/notes`, { note: long }, 'de');
    assert.equal(german.statusCode, 400);
    assert.match(german.body, /Eine Notiz hat höchstens 2000 Zeichen; diese hat 2001\./);
    const empty = await post(staff.b, path, `${path}/notes`, { note: '   ' });
    assert.equal(empty.statusCode, 400);
    // A note whose author's account is gone names them neutrally, in German too.
    await h.deps.db
      .updateTable('order_notes')
      .set({ author_id: 'gone-account' })
      .where('order_id', '=', order.id)
      .where('body', '=', 'Second <b>note</b>')
      .execute();
    assert.match((await staff.b.get(path)).body, /<p class="note-meta">former team member, /);
    const notesDe = (await staff.b.get(path, { 'accept-language': 'de' })).body;
    assert.match(notesDe, /<p class="note-meta">ehemaliges Teammitglied, /);
    assert.match(notesDe, /nur für das Team sichtbar; wer bestellt hat, kann eine Kopie der eigenen Daten verlangen/);
    assert.equal(
      (await h.deps.db.selectFrom('order_notes').select('id').where('order_id', '=', order.id).execute()).length,
      2,
    );
  });

  test('cancelling an unpaid invoice order needs its confirmation; then stock and licences go back', async () => {
    const customer = await person({ name: 'Carl Cancel' });
    const order = await invoiceOrder(customer, ['aurora-synth', 'padgrid']);
    const path = `/staff/orders/${order.id}`;
    const padgrid = await productIdOf('padgrid');
    const stock = async () =>
      (await h.deps.db.selectFrom('products').select('stock').where('id', '=', padgrid).executeTakeFirstOrThrow())
        .stock;
    const stockBefore = await stock();
    assert.notEqual(stockBefore, null, 'padgrid has a stock count');
    assert.match((await staff.b.get(path)).body, new RegExp(`<a href="${path}/cancel">Cancel this order…</a>`));

    const confirm = await staff.b.get(`${path}/cancel`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, new RegExp(`<h1>Cancel order ${order.number}\\?</h1>`));
    assert.match(confirm.body, /These items go back into stock: 1 × Aurora Synth, 1 × Padgrid[^<]*\./);
    assert.match(confirm.body, /The licence key of this order is revoked: it no longer activates\./);
    const confirmDe = (await staff.b.get(`${path}/cancel`, { 'accept-language': 'de' })).body;
    assert.match(
      confirmDe,
      /Das kann nicht rückgängig gemacht werden\. Die Stornierung hat diese Folgen:[\s\S]*<li>Die Forderung über [^<]+ entfällt: Die Rechnung muss nicht mehr bezahlt werden, und es werden keine Zahlungserinnerungen mehr versandt\.<\/li>/,
    );
    assert.match(
      confirmDe,
      /<li>Diese Artikel werden in den Bestand zurückgebucht: 1 × Aurora Synth, 1 × Padgrid[^<]*\.<\/li>/,
    );
    assert.match(
      confirmDe,
      /Der Lizenzschlüssel dieser Bestellung wird widerrufen und lässt sich nicht mehr aktivieren\./,
    );

    // Without the confirmation (the form of the order page itself, or the plain status change): nothing happens.
    const bare = await post(staff.b, path, `${path}/cancel`, {});
    assert.equal(bare.statusCode, 400);
    assert.match(bare.body, /This step cannot be undone: confirm it on its confirmation page\./);
    const plain = await post(staff.b, path, `${path}/status`, { status: 'cancelled' });
    assert.equal(plain.statusCode, 400);
    assert.equal((await orderRow(order.id)).status, 'invoiced');
    assert.equal((await licencesOf(order.id))[0]!.revoked_at, null);

    assert.equal((await post(staff.b, `${path}/cancel`, `${path}/cancel`, { confirm: 'yes' })).statusCode, 303);
    const row = await orderRow(order.id);
    assert.equal(row.status, 'cancelled');
    assert.deepEqual(
      (JSON.parse(row.history) as { status: string }[]).map((x) => x.status),
      ['pending_payment', 'invoiced', 'cancelled'],
    );
    assert.notEqual((await licencesOf(order.id))[0]!.revoked_at, null);
    assert.equal(await stock(), (stockBefore ?? 0) + 1);
    // Twice is refused: there is nothing left to cancel.
    assert.equal((await staff.b.get(`${path}/cancel`)).statusCode, 409);
  });

  test('a full refund goes through the provider after its confirmation and revokes the licences', async () => {
    const customer = await person({ name: 'Frida Full' });
    const order = await placeOrder(h, customer.b, ['aurora-synth', 'granite-piano']);
    const path = `/staff/orders/${order.id}`;
    const row = await orderRow(order.id);

    const confirm = await staff.b.get(`${path}/refund?scope=full`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /<h1>Refund €[\d.,]+ of order/);
    assert.match(
      confirm.body,
      /Licence keys revoked \(they no longer activate\): 1 × Aurora Synth, 1 × Granite Grand Piano/,
    );
    assert.match(confirm.body, /The order is then refunded in full and gets the status “Refunded”\./);
    const de = (await staff.b.get(`${path}/refund?scope=full`, { 'accept-language': 'de' })).body;
    assert.match(de, /Die Bestellung ist dann vollständig erstattet und erhält den Status „Erstattet“\./);

    const bare = await post(staff.b, path, `${path}/refund`, { scope: 'full' });
    assert.equal(bare.statusCode, 400);
    assert.equal((await refundsOf(order.id)).length, 0);

    const done = await post(staff.b, `${path}/refund?scope=full`, `${path}/refund`, {
      scope: 'full',
      confirm: 'yes',
      amount: String(row.total_cents),
    });
    assert.equal(done.statusCode, 303, done.body);
    assert.equal((await orderRow(order.id)).status, 'refunded');
    const charge = await h.deps.db
      .selectFrom('test_payment_charges')
      .select('refunded_at')
      .where('id', '=', row.payment_reference!)
      .executeTakeFirstOrThrow();
    assert.notEqual(charge.refunded_at, null, 'the provider refunded the charge');
    const refunds = await refundsOf(order.id);
    assert.deepEqual(
      refunds.map((r) => [r.state, Number(r.amount_cents), r.author_id]),
      [['refunded', row.total_cents, staff.id]],
    );
    assert.ok(
      (await licencesOf(order.id)).every((l) => l.revoked_at !== null),
      'every licence revoked',
    );
    const page = (await staff.b.get(path)).body;
    assert.match(page, /Refunded: €[\d.,]+ — 1 × Aurora Synth/);
    assert.match(page, /\(revoked /);
    // Nothing is left to refund.
    assert.equal((await staff.b.get(`${path}/refund?scope=full`)).statusCode, 409);
  });

  test('a per-line refund revokes only that line’s licences and keeps the status; more than is left is refused', async () => {
    const customer = await person({ name: 'Lina Lines' });
    const order = await placeOrder(h, customer.b, ['aurora-synth', 'granite-piano']);
    const path = `/staff/orders/${order.id}`;
    const aurora = await productIdOf('aurora-synth');
    const confirm = await staff.b.get(`${path}/refund?scope=lines&qty.0=1`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /<li>1 × Aurora Synth \(€199\.00\)<\/li>/);
    assert.match(confirm.body, /The order keeps its status “Payment received”; the rest stays paid\./);
    assert.equal(
      (
        await post(staff.b, `${path}/refund?scope=lines&qty.0=1`, `${path}/refund`, {
          scope: 'lines',
          'qty.0': '1',
          confirm: 'yes',
        })
      ).statusCode,
      303,
    );
    const row = await orderRow(order.id);
    assert.equal(row.status, 'paid');
    const licences = await licencesOf(order.id);
    assert.equal(licences.length, 2);
    for (const l of licences) assert.equal(l.revoked_at !== null, l.product_id === aurora, 'only Aurora Synth’s key');
    const refunds = await refundsOf(order.id);
    assert.equal(refunds.length, 1);
    assert.equal(Number(refunds[0]!.amount_cents), 19900);
    assert.deepEqual(
      (JSON.parse(refunds[0]!.lines) as { lineNo: number; quantity: number }[]).map((l) => [l.lineNo, l.quantity]),
      [[0, 1]],
    );

    // The same line again: nothing of it is left.
    const again = await staff.b.get(`${path}/refund?scope=lines&qty.0=1`);
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /At most 0 of “Aurora Synth” can still be refunded\./);
    const againDe = await staff.b.get(`${path}/refund?scope=lines&qty.0=1`, { 'accept-language': 'de' });
    assert.match(againDe.body, /Von „Aurora Synth“ können höchstens noch 0 erstattet werden\./);
    const posted = await post(staff.b, path, `${path}/refund`, { scope: 'lines', 'qty.0': '1', confirm: 'yes' });
    assert.equal(posted.statusCode, 400);
    assert.equal((await refundsOf(order.id)).length, 1);

    // The rest: now everything is refunded and the order says so.
    assert.equal(
      (await post(staff.b, path, `${path}/refund`, { scope: 'lines', 'qty.1': '1', confirm: 'yes' })).statusCode,
      303,
    );
    assert.equal((await orderRow(order.id)).status, 'refunded');
    const sum = (await refundsOf(order.id)).reduce((s, r) => s + Number(r.amount_cents), 0);
    assert.equal(sum, row.total_cents);
  });

  test('two refunds at once: one wins, the other is refused, never more than was paid', async () => {
    const customer = await person({ name: 'Toni Twice' });
    const order = await placeOrder(h, customer.b, ['aurora-synth']);
    const path = `/staff/orders/${order.id}`;
    const row = await orderRow(order.id);
    const page = await staff.b.get(path);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const fields = { _csrf: token, scope: 'full', confirm: 'yes', amount: String(row.total_cents) };
    const answers = await Promise.all([staff.b.post(`${path}/refund`, fields), staff.b.post(`${path}/refund`, fields)]);
    assert.deepEqual(answers.map((a) => a.statusCode).sort(), [303, 409]);
    const refunds = await refundsOf(order.id);
    assert.equal(refunds.length, 1);
    assert.equal(Number(refunds[0]!.amount_cents), row.total_cents);
    assert.equal((await orderRow(order.id)).status, 'refunded');
  });

  test('while the provider works on one refund, its amount is reserved: a second refund is refused', async () => {
    const customer = await person({ name: 'Wanda Waiting' });
    const order = await placeOrder(h, customer.b, ['aurora-synth', 'granite-piano']);
    const viewer: Viewer = {
      userId: staff.id,
      sessionId: 'test',
      name: 'Stefan Staff',
      role: 'staff',
      emailVerified: true,
      secondFactor: true,
    };
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let asked = 0;
    const payments = {
      ...h.deps.payments,
      refund: async (reference: string, amountCents: number, key: string) => {
        asked++;
        await gate;
        return h.deps.payments.refund(reference, amountCents, key);
      },
    };
    const deps = { ...h.deps, payments };
    const first = refundOrder(deps, viewer, order.id, { scope: 'full' });
    while (asked === 0) await new Promise((r) => setTimeout(r, 5));
    // The first is with the provider: the second is refused while the first is open (its amount is reserved).
    await assert.rejects(
      refundOrder(deps, viewer, order.id, {
        scope: 'lines',
        quantities: new Map([[0, 1]]),
        shipping: false,
      }),
      (err: { code?: string }) => err.code === 'refund_in_progress',
    );
    assert.equal(asked, 1, 'the provider was asked once');
    open();
    await first;
    const refunds = await refundsOf(order.id);
    assert.equal(refunds.length, 1);
    assert.equal((await orderRow(order.id)).status, 'refunded');
  });

  test('a provider that refunds and then throws (a timeout): the refund stays unknown, blocks another, and the retry job pays once and settles', async () => {
    const { reconcileRefunds } = await import('./order-page.service.ts');
    const customer = await person({ name: 'Tim Timeout' });
    const order = await placeOrder(h, customer.b, ['aurora-synth']);
    const row = await orderRow(order.id);
    const viewer: Viewer = {
      userId: staff.id,
      sessionId: 'test',
      name: 'Stefan Staff',
      role: 'staff',
      emailVerified: true,
      secondFactor: true,
    };
    const keys: string[] = [];
    const payments = {
      ...h.deps.payments,
      refund: async (reference: string, amountCents: number, key: string) => {
        keys.push(key);
        await h.deps.payments.refund(reference, amountCents, key);
        throw new Error('timeout');
      },
    };
    const flaky = { ...h.deps, payments };
    await assert.rejects(refundOrder(flaky, viewer, order.id, { scope: 'full' }), (err: { code?: string }) => {
      return err.code === 'refund_unknown';
    });
    let refunds = await refundsOf(order.id);
    assert.equal(refunds.length, 1);
    assert.equal(refunds[0]!.state, 'unknown');
    assert.equal((await orderRow(order.id)).status, 'paid');
    // Staff try again (the page, in German too): refused while the first is open.
    const path = `/staff/orders/${order.id}`;
    const again = await post(staff.b, path, `${path}/refund`, { scope: 'full', confirm: 'yes' }, 'de');
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /wartet noch auf die Antwort des Zahlungsdienstleisters/);
    assert.match((await staff.b.get(path)).body, /Refund unconfirmed \(the payment provider did not answer/);
    // The provider still does not answer: the job leaves it open.
    assert.deepEqual(await reconcileRefunds(flaky), { settled: 0, released: 0, open: 1 });
    // Now it answers: the job asks again under the same key, the money moved once, the refund settles.
    assert.deepEqual(await reconcileRefunds(h.deps), { settled: 1, released: 0, open: 0 });
    assert.deepEqual(new Set(keys), new Set([refunds[0]!.id]), 'every call used the refund id as key');
    const moved = await h.deps.db
      .selectFrom('test_payment_refunds')
      .select(['amount_cents'])
      .where('charge_id', '=', row.payment_reference as string)
      .execute();
    assert.deepEqual(
      moved.map((m) => Number(m.amount_cents)),
      [row.total_cents],
      'the money went back once',
    );
    refunds = await refundsOf(order.id);
    assert.equal(refunds[0]!.state, 'refunded');
    assert.equal((await orderRow(order.id)).status, 'refunded');
    assert.ok((await licencesOf(order.id)).every((l) => l.revoked_at !== null));
    // Idempotent: nothing left to do.
    assert.deepEqual(await reconcileRefunds(h.deps), { settled: 0, released: 0, open: 0 });
  });

  test('a refund left unknown that the provider then refuses is released by the job', async () => {
    const { reconcileRefunds } = await import('./order-page.service.ts');
    const customer = await person({ name: 'Rita Released' });
    const order = await placeOrder(h, customer.b, ['aurora-synth']);
    const viewer: Viewer = {
      userId: staff.id,
      sessionId: 'test',
      name: 'Stefan Staff',
      role: 'staff',
      emailVerified: true,
      secondFactor: true,
    };
    const throwing = {
      ...h.deps,
      payments: {
        ...h.deps.payments,
        refund: async () => {
          throw new Error('connection reset');
        },
      },
    };
    await assert.rejects(refundOrder(throwing, viewer, order.id, { scope: 'full' }));
    assert.equal((await refundsOf(order.id))[0]!.state, 'unknown');
    const refusing = {
      ...h.deps,
      payments: { ...h.deps.payments, refund: async () => ({ status: 'failed' as const }) },
    };
    assert.deepEqual(await reconcileRefunds(refusing), { settled: 0, released: 1, open: 0 });
    assert.deepEqual(await refundsOf(order.id), []);
    assert.equal((await orderRow(order.id)).status, 'paid');
  });

  test('a refund the provider refuses changes nothing and says so', async () => {
    const customer = await person({ name: 'Fritz Failure' });
    const order = await placeOrder(h, customer.b, ['aurora-synth']);
    const path = `/staff/orders/${order.id}`;
    // A reference the provider does not know: it answers `failed`.
    await h.deps.db
      .updateTable('orders')
      .set({ payment_reference: 'ch_test_unknown' })
      .where('id', '=', order.id)
      .execute();
    const failed = await post(staff.b, path, `${path}/refund`, { scope: 'full', confirm: 'yes' });
    assert.equal(failed.statusCode, 502);
    assert.match(failed.body, /The payment provider did not refund this payment; nothing was changed\./);
    const failedDe = await post(staff.b, path, `${path}/refund`, { scope: 'full', confirm: 'yes' }, 'de');
    assert.match(failedDe.body, /Der Zahlungsdienstleister hat diese Zahlung nicht erstattet; nichts wurde geändert\./);
    assert.equal((await orderRow(order.id)).status, 'paid');
    assert.equal((await refundsOf(order.id)).length, 0);
    assert.ok((await licencesOf(order.id)).every((l) => l.revoked_at === null));
  });

  test('an invoice order is marked paid with the day and reference of the transfer; a future day is refused; unpaid it cannot be refunded', async () => {
    // Weeks pass in this test: the staff member signs in afresh each time (sessions end).
    h.clock.set(Date.parse('2026-12-01T09:00:00Z'));
    const customer = await person({ name: 'Ida Invoice' });
    let staff = await staffMember(h, { name: 'Stefan Staff', ip: nextIp() });
    const order = await invoiceOrder(customer, ['padgrid']);
    const path = `/staff/orders/${order.id}`;
    const unpaid = (await staff.b.get(path)).body;
    assert.match(unpaid, /<dt>Due date<\/dt><dd>15 December 2026<\/dd>/);
    assert.match(unpaid, /Awaiting bank transfer/);
    assert.match(unpaid, /This order on invoice is not paid yet: there is nothing to refund\. Cancel it instead\./);
    assert.equal((await staff.b.get(`${path}/refund?scope=full`)).statusCode, 409);
    assert.equal((await post(staff.b, path, `${path}/status`, { status: 'paid' })).statusCode, 400);

    h.clock.set(Date.parse('2026-12-20T09:00:00Z'));
    staff = await staffMember(h, { name: 'Stefan Staff', ip: nextIp() });
    assert.match((await staff.b.get(path)).body, /Overdue: not paid by the due date/);
    const future = await post(staff.b, path, `${path}/paid`, { paidOn: '2026-12-21', reference: 'RE ' + order.number });
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /The day of payment cannot be in the future\./);
    const futureDe = await post(staff.b, path, `${path}/paid`, { paidOn: '2026-12-21', reference: 'x' }, 'de');
    assert.match(futureDe.body, /Das Zahlungsdatum darf nicht in der Zukunft liegen\./);
    const early = await post(staff.b, path, `${path}/paid`, { paidOn: '2026-11-30', reference: 'x' });
    assert.match(early.body, /The day of payment cannot be before the order\./);
    const noReference = await post(staff.b, path, `${path}/paid`, { paidOn: '2026-12-18', reference: ' ' });
    assert.equal(noReference.statusCode, 400);
    assert.match(noReference.body, /Enter the reference of the bank statement\./);
    assert.equal((await orderRow(order.id)).status, 'invoiced');

    const reference = `${order.number} Ida Invoice`;
    assert.equal((await post(staff.b, path, `${path}/paid`, { paidOn: '2026-12-18', reference })).statusCode, 303);
    const row = await orderRow(order.id);
    assert.equal(row.status, 'paid');
    assert.equal(row.invoice_paid_on, '2026-12-18');
    assert.equal(row.invoice_paid_reference, reference);
    assert.deepEqual(
      (JSON.parse(row.history) as { status: string; at: number }[]).map((x) => [x.status, x.at]).slice(-1),
      [['paid', Date.parse('2026-12-20T09:00:00Z')]],
    );
    const paid = (await staff.b.get(path)).body;
    assert.match(paid, /<dt>Paid on<\/dt><dd>2026-12-18<\/dd>/);
    assert.match(paid, new RegExp(`<dt>Bank statement reference</dt><dd>${reference}</dd>`));
    assert.match(paid, /No further reminders: the order is no longer waiting for payment\./);
    assert.doesNotMatch(paid, /Overdue/);
    assert.match(
      (await staff.b.get(path, { 'accept-language': 'de' })).body,
      /<dt>Bezahlt am<\/dt><dd>2026-12-18<\/dd>/,
    );
    // Paid by transfer: a refund is now possible, recorded without the provider (paid back by transfer).
    assert.match(
      (await staff.b.get(`${path}/refund?scope=full`)).body,
      /you transfer the amount back to the customer yourself/,
    );
    // Marked twice: refused.
    assert.equal((await post(staff.b, path, `${path}/paid`, { paidOn: '2026-12-18', reference })).statusCode, 409);
  });

  test('a customer gets 403 on the order page and its actions', async () => {
    const customer = await person({ name: 'Clara Customer' });
    const order = await placeOrder(h, customer.b, ['aurora-synth']);
    const path = `/staff/orders/${order.id}`;
    for (const url of [path, `${path}/invoice.pdf`, `${path}/cancel`, `${path}/refund?scope=full`])
      assert.equal((await customer.b.get(url)).statusCode, 403, url);
    const token = /name="_csrf" value="([^"]+)"/.exec((await customer.b.get('/account')).body)?.[1] ?? '';
    for (const [url, fields] of [
      [`${path}/notes`, { note: 'hello' }],
      [`${path}/refund`, { scope: 'full', confirm: 'yes' }],
      [`${path}/cancel`, { confirm: 'yes' }],
      [`${path}/paid`, { paidOn: '2026-11-29', reference: 'x' }],
    ] as const)
      assert.equal((await customer.b.post(url, { _csrf: token, ...fields })).statusCode, 403, url);
    assert.equal((await orderRow(order.id)).status, 'paid');
    assert.equal(
      (await h.deps.db.selectFrom('order_notes').select('id').where('order_id', '=', order.id).execute()).length,
      0,
    );
  });
  // Last: it moves the clock years ahead.
  test('internal notes are not booking vouchers: erasure deletes them while the order is kept; otherwise they go 3 years after the end of the order’s year', async () => {
    const { eraseSubjectData } = await import('../../privacy/subject.ts');
    const { runRetention } = await import('../../privacy/retention.ts');
    // A fresh staff session: the earlier tests moved the clock past the first one's lifetime.
    const staff = await staffMember(h, { name: 'Nora Notetaker', ip: nextIp() });
    const erased = await person({ name: 'Edda Erased' });
    const kept = await person({ name: 'Karl Kept' });
    const a = await placeOrder(h, erased.b, ['granite-piano']);
    const b = await placeOrder(h, kept.b, ['granite-piano']);
    for (const id of [a.id, b.id])
      assert.equal(
        (await post(staff.b, `/staff/orders/${id}`, `/staff/orders/${id}/notes`, { note: 'Called about NOTE-X' }))
          .statusCode,
        303,
      );
    const notesOf = async (orderId: string) =>
      (await h.deps.db.selectFrom('order_notes').select('id').where('order_id', '=', orderId).execute()).length;
    await eraseSubjectData(h.deps, erased.email);
    assert.equal(await notesOf(a.id), 0, 'deleted, not restricted');
    assert.ok((await orderRow(a.id)).restricted_at !== null, 'the order itself is kept (restricted)');
    assert.equal(await notesOf(b.id), 1);
    const year = new Date((await orderRow(b.id)).created_at).getUTCFullYear();
    h.clock.set(Date.parse(`${year + 3}-12-31T12:00:00Z`));
    await runRetention(h.deps);
    assert.equal(await notesOf(b.id), 1, 'still kept in the third year after the order’s year');
    h.clock.set(Date.parse(`${year + 4}-01-01T12:00:00Z`));
    await runRetention(h.deps);
    assert.equal(await notesOf(b.id), 0, 'gone after three years from the end of the year');
    assert.ok(
      await h.deps.db.selectFrom('orders').select('id').where('id', '=', b.id).executeTakeFirst(),
      'the order stays',
    );
  });
});
