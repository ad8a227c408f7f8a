// The staff order list (issue 12, point 2): search by number, customer email or name and serial; filters by status,
// payment method, date range and overdue invoices; keyset pages without gaps or repeats; the CSV export with its
// formula guard and access audit; bulk shipping with a tracking number per order (a refused one keeps its input);
// one PDF of invoices and delivery notes; 403 for customers; a clear 400 in the staff member's language.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  BERLIN,
  deliverMail,
  fillBasket,
  placeOrder,
  signedIn,
  staffMember,
  type Account,
} from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { invoicePaymentDetails } from '../invoices/index.ts';
import { guardCell, overdueBefore } from './orders.console.ts';
import type { OrdersTable } from './orders.tables.ts';

describeEachDatabase('the staff order list', (db) => {
  let h: Harness;
  let staff: Account;
  let counter = 0;
  let ips = 0;
  /** Each account signs up from its own address (the sign-up rate limit is per address). */
  const nextIp = () => `10.77.${Math.floor(++ips / 250)}.${(ips % 250) + 1}`;
  before(async () => {
    h = await openHarness(db, { seed: true });
    staff = await staffMember(h, { ip: nextIp() });
  });
  after(() => h.close());

  const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] as string;
  const orderRow = (id: string) =>
    h.deps.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const numbersIn = (body: string) =>
    [...body.matchAll(/<th scope="row"><a href="\/staff\/orders\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1] as string);
  const list = async (query: string, headers: Record<string, string> = {}) => {
    const res = await staff.b.get(`/staff/orders${query}`, headers);
    assert.equal(res.statusCode, 200, res.body);
    return res;
  };

  async function invoiceOrder(customer: Account, items: string[]): Promise<{ id: string; number: string }> {
    await fillBasket(h, customer.b, items);
    const res = await customer.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: BERLIN, payment: { method: 'invoice' } },
      { 'idempotency-key': `console-invoice-${process.pid}-${++counter}` },
    );
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'invoiced');
    return res.json();
  }

  /** Ships a paid order with one hardware unit through the order page's ship form. */
  async function ship(orderId: string, serial: string) {
    const res = await staff.b.submit(`/staff/orders/${orderId}`, `/staff/orders/${orderId}/ship`, {
      carrier: 'paketbote',
      tracking: `00340434${serial.replace(/\D/g, '').padStart(8, '0')}`,
      'serial.0': serial,
    });
    assert.equal(res.statusCode, 303, res.body);
  }

  test('finds an order by its number, its customer’s email or name, and a serial number it sold', async () => {
    const wanda = await signedIn(h, { ip: nextIp(), name: 'Wanda Wavetable' });
    const other = await signedIn(h, { ip: nextIp(), name: 'Otto Other' });
    const mine = await placeOrder(h, wanda.b, ['padgrid']);
    const theirs = await placeOrder(h, other.b, ['padgrid']);
    const mineNumber = (await orderRow(mine.id)).number;
    const theirNumber = (await orderRow(theirs.id)).number;
    await ship(theirs.id, 'TF-2026-CNS001');

    const byNumber = numbersIn((await list(`?q=${encodeURIComponent(mineNumber.toLowerCase())}`)).body);
    assert.deepEqual(byNumber, [mineNumber]);
    const byEmail = numbersIn((await list(`?q=${encodeURIComponent(wanda.email.toUpperCase())}`)).body);
    assert.deepEqual(byEmail, [mineNumber]);
    const byPart = numbersIn((await list(`?q=${encodeURIComponent(wanda.email.split('@')[0]!)}`)).body);
    assert.deepEqual(byPart, [mineNumber]);
    // Case is folded beyond ASCII on both databases: “öz” finds the orders of “Öztürk”.
    const deniz = await signedIn(h, { ip: nextIp(), name: 'Deniz Öztürk' });
    const hers = await placeOrder(h, deniz.b, ['padgrid']);
    const herNumber = (await orderRow(hers.id)).number;
    for (const term of ['öz', 'ÖZTÜRK'])
      assert.deepEqual(numbersIn((await list(`?q=${encodeURIComponent(term)}`)).body), [herNumber], term);
    const byName = await list('?q=wavetable');
    assert.deepEqual(numbersIn(byName.body), [mineNumber]);
    assert.match(byName.body, /Wanda Wavetable<br><small>/);
    assert.match(byName.body, /1 items: Padgrid|1 items: [^<]+/);
    assert.deepEqual(numbersIn((await list('?q=tf-2026-cns001')).body), [theirNumber]);
    // A LIKE wildcard is a literal character, not "anything".
    assert.deepEqual(numbersIn((await list('?q=%25')).body), []);
    const none = await list('?q=nobody-at-all');
    assert.deepEqual(numbersIn(none.body), []);
    assert.match(none.body, /No orders match these filters\./);
    assert.match(
      (await list('?q=nobody-at-all', { 'accept-language': 'de' })).body,
      /Keine Bestellungen entsprechen diesen Filtern\./,
    );
  });

  test('filters by several statuses, the payment method, a date range of the operator’s days, and overdue invoices', async () => {
    const fran = await signedIn(h, { ip: nextIp(), name: 'Fran Filter' });
    const q = `q=${encodeURIComponent(fran.email)}`;
    const paid = await placeOrder(h, fran.b, ['padgrid']);
    const invoiced = await invoiceOrder(fran, ['padgrid']);
    const shipped = await placeOrder(h, fran.b, ['padgrid']);
    await ship(shipped.id, 'TF-2026-CNS002');
    // Placed at 23:30 Berlin time on 1 Dec (22:30 UTC): the operator's 1 Dec, not 2 Dec.
    const placedAt = async (id: string, at: string) =>
      h.deps.db
        .updateTable('orders')
        .set({ created_at: Date.parse(at) })
        .where('id', '=', id)
        .execute();
    await placedAt(paid.id, '2026-12-01T22:30:00Z');
    await placedAt(invoiced.id, '2026-12-02T08:00:00Z');
    await placedAt(shipped.id, '2026-12-03T08:00:00Z');
    const n = async (id: string) => (await orderRow(id)).number;
    const [pN, iN, sN] = [await n(paid.id), await n(invoiced.id), await n(shipped.id)];

    assert.deepEqual(numbersIn((await list(`?${q}`)).body), [sN, iN, pN], 'newest first');
    assert.deepEqual(numbersIn((await list(`?${q}&status=paid`)).body), [pN]);
    assert.deepEqual(numbersIn((await list(`?${q}&status=paid&status=shipped`)).body), [sN, pN]);
    assert.deepEqual(numbersIn((await list(`?${q}&method=invoice`)).body), [iN]);
    assert.deepEqual(numbersIn((await list(`?${q}&method=wallet`)).body), [sN, pN]);
    assert.deepEqual(numbersIn((await list(`?${q}&from=2026-12-01&to=2026-12-01`)).body), [pN]);
    assert.deepEqual(numbersIn((await list(`?${q}&from=2026-12-02`)).body), [sN, iN]);
    assert.deepEqual(numbersIn((await list(`?${q}&to=2026-12-02`)).body), [iN, pN]);
    // The filters are kept in the form.
    const page = (await list(`?${q}&status=paid&method=wallet&from=2026-12-01`)).body;
    assert.match(page, /name="status" value="paid" checked/);
    assert.match(page, /<option value="wallet" selected>/);
    assert.match(page, /name="from" value="2026-12-01"/);

    // Overdue: its due date (as the invoice states it) has passed, and only then: placed at the last instant
    // whose due date has passed, it is listed; one millisecond later, not.
    const boundary = overdueBefore(h.deps.config.operator, h.clock.now());
    const dueIfPlacedAt = (at: number) =>
      invoicePaymentDetails(h.deps.config.operator, {
        number: 'X',
        created_at: at,
        payment_method: 'invoice',
        total_cents: 1,
      })!.dueAt;
    assert.ok(dueIfPlacedAt(boundary - 1) < h.clock.now());
    assert.ok(dueIfPlacedAt(boundary) >= h.clock.now());
    await h.deps.db.updateTable('orders').set({ created_at: boundary }).where('id', '=', invoiced.id).execute();
    assert.deepEqual(numbersIn((await list(`?${q}&overdue=1`)).body), []);
    await h.deps.db
      .updateTable('orders')
      .set({ created_at: boundary - 1 })
      .where('id', '=', invoiced.id)
      .execute();
    assert.deepEqual(numbersIn((await list(`?${q}&overdue=1`)).body), [iN]);
    assert.match((await list('')).body, /href="\/staff\/orders\?overdue=1">Unpaid invoices past their due date</);
    // Once paid, it is no longer overdue.
    await h.deps.db.updateTable('orders').set({ status: 'paid' }).where('id', '=', invoiced.id).execute();
    assert.deepEqual(numbersIn((await list(`?${q}&overdue=1`)).body), []);
  });

  test('pages on keyset across many orders: every order once, forwards and back, with the filters kept', async () => {
    const pat = await signedIn(h, { ip: nextIp(), name: 'Pat Pages' });
    const first = await placeOrder(h, pat.b, ['padgrid']);
    const template = await orderRow(first.id);
    // 119 more, several sharing one created_at (the id breaks the tie).
    const rows: OrdersTable[] = Array.from({ length: 119 }, (_, i) => ({
      ...template,
      id: randomUUID(),
      number: `PG-${process.pid}-${String(i).padStart(3, '0')}`,
      idempotency_key: `pages-${i}`,
      created_at: template.created_at - Math.floor(i / 3) * 1000,
    }));
    await h.deps.db.insertInto('orders').values(rows).execute();
    const q = `q=${encodeURIComponent(pat.email)}&status=paid`;
    const seen: string[] = [];
    let url = `/staff/orders?${q}`;
    const pages: string[] = [];
    for (let i = 0; i < 10; i++) {
      const body = (await staff.b.get(url)).body;
      pages.push(url);
      seen.push(...numbersIn(body));
      const next = /href="([^"]+)" rel="next"/.exec(body)?.[1]?.replace(/&amp;/g, '&');
      if (!next) break;
      assert.match(next, /status=paid/, 'the filters go with the link');
      url = next;
    }
    assert.equal(pages.length, 3);
    assert.equal(seen.length, 120);
    assert.equal(new Set(seen).size, 120, 'no order twice');
    const expected = [template, ...rows]
      .sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : -1))
      .map((r) => r.number);
    assert.deepEqual(seen, expected, 'in keyset order, no gaps');
    // Back from the last page: the previous link shows the page before it.
    const last = (await staff.b.get(url)).body;
    const previous = /href="([^"]+)" rel="prev"/.exec(last)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(previous);
    assert.deepEqual(numbersIn((await staff.b.get(previous)).body), expected.slice(50, 100));
    assert.doesNotMatch((await staff.b.get(`/staff/orders?${q}`)).body, /rel="prev"/);
  });

  test('every list view is in the access audit, naming each customer it showed', async () => {
    const before = await h.deps.db.selectFrom('access_audit').select('id').where('what', '=', 'order.list').execute();
    const shown = numbersIn((await list('?status=paid')).body);
    assert.ok(shown.length > 0);
    const rows = await h.deps.db
      .selectFrom('access_audit')
      .select(['id', 'subject_user_id', 'path', 'actor_user_id'])
      .where('what', '=', 'order.list')
      .execute();
    const known = new Set(before.map((b) => b.id));
    const added = rows.filter((r) => !known.has(r.id));
    const customers = await h.deps.db.selectFrom('orders').select('user_id').where('number', 'in', shown).execute();
    assert.deepEqual(added.map((r) => r.subject_user_id).sort(), [...new Set(customers.map((c) => c.user_id))].sort());
    assert.ok(added.every((r) => r.path === '/staff/orders' && r.actor_user_id === staff.id));
  });

  test('exports the filtered orders as CSV with formula cells defused, and records whose data left', async () => {
    const evil = await signedIn(h, { ip: nextIp(), name: 'Eve Export' });
    await h.deps.db.updateTable('users').set({ name: '=HYPERLINK("http://x")' }).where('id', '=', evil.id).execute();
    const plain = await signedIn(h, { ip: nextIp(), name: 'Carl Csv' });
    const o1 = await placeOrder(h, evil.b, ['padgrid']);
    const o2 = await placeOrder(h, plain.b, ['padgrid']);
    const res = await staff.b.get(`/staff/orders.csv?q=${encodeURIComponent(evil.email)}&status=paid`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="orders-\d{4}-\d{2}-\d{2}\.csv"$/);
    assert.match(String(res.headers['cache-control']), /no-store/);
    const lines = res.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    assert.equal(lines[0], 'Order,Date,Customer,Email,Items,Products,Payment method,Status,Total (EUR)');
    assert.equal(lines.length, 2);
    const number1 = (await orderRow(o1.id)).number;
    assert.ok(lines[1]!.startsWith(`${number1},`));
    assert.match(lines[1]!, /,"'=HYPERLINK\(""http:\/\/x""\)",/);
    assert.ok(lines[1]!.includes(evil.email));
    assert.doesNotMatch(res.body, new RegExp(plain.email.replace(/\./g, '\\.')));
    assert.deepEqual(
      await h.deps.db
        .selectFrom('access_audit')
        .select(['subject_user_id', 'path'])
        .where('what', '=', 'order.export')
        .where('subject_user_id', 'in', [evil.id, plain.id])
        .execute(),
      [{ subject_user_id: evil.id, path: '/staff/orders.csv' }],
    );
    const de = await staff.b.get(`/staff/orders.csv?q=${encodeURIComponent(plain.email)}`, { 'accept-language': 'de' });
    assert.match(de.body, /^\ufeffBestellung,Datum,Kunde,E-Mail,Artikel,Produkte,Zahlungsart,Status,Summe \(EUR\)/);
    assert.match(de.body, /Zahlung eingegangen/);
    void o2;
    for (const [cell, out] of [
      ['=1+1', "'=1+1"],
      ['+49', "'+49"],
      ['-2', "'-2"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tx', "'\tx"],
      ['\rx', "'\rx"],
      ['Plain', 'Plain'],
    ])
      assert.equal(guardCell(cell!), out);
  });

  test('ships two orders in one bulk action with a tracking number each; both customers are mailed; a refused one keeps its input', async () => {
    const ann = await signedIn(h, { ip: nextIp(), name: 'Ann Bulk' });
    const ben = await signedIn(h, { ip: nextIp(), name: 'Ben Bulk' });
    const cy = await signedIn(h, { ip: nextIp(), name: 'Cy Refused' });
    const a = await placeOrder(h, ann.b, ['padgrid']);
    const b = await placeOrder(h, ben.b, ['padgrid']);
    const c = await placeOrder(h, cy.b, ['padgrid']);
    const notPaid = await invoiceOrder(cy, ['padgrid']);

    const listPage = await list(`?q=bulk`);
    assert.match(listPage.body, /formaction="\/staff\/orders\/bulk-ship"/);
    const chosen: [string, string][] = [
      ['_csrf', csrfOf(listPage.body)],
      ...[a.id, b.id, c.id, notPaid.id].map((id): [string, string] => ['order', id]),
    ];
    const form = await staff.b.post('/staff/orders/bulk-ship', chosen);
    assert.equal(form.statusCode, 200, form.body);
    assert.match(form.body, new RegExp(`name="tracking\\.${a.id}"`));
    assert.match(form.body, new RegExp(`name="serial\\.${b.id}\\.0"`));
    assert.doesNotMatch(form.body, new RegExp(`name="tracking\\.${notPaid.id}"`));
    assert.match(form.body, /Not shipped here: only a paid order can be shipped/);

    const fields: [string, string][] = [
      ['_csrf', csrfOf(form.body)],
      ['order', a.id],
      [`carrier.${a.id}`, 'paketbote'],
      [`tracking.${a.id}`, '00340434000000000001'],
      [`serial.${a.id}.0`, 'TF-2026-BLK001'],
      ['order', b.id],
      [`carrier.${b.id}`, 'paketbote'],
      [`tracking.${b.id}`, '00340434000000000002'],
      [`serial.${b.id}.0`, 'TF-2026-BLK002'],
      ['order', c.id],
      [`carrier.${c.id}`, 'paketbote'],
      [`tracking.${c.id}`, 'x'],
      [`serial.${c.id}.0`, 'TF-2026-BLK003'],
    ];
    const done = await staff.b.post('/staff/orders/bulk-ship/apply', fields);
    assert.equal(done.statusCode, 200, done.body);
    assert.match(done.body, /Shipped, and the customers notified:/);
    assert.match(done.body, /Not shipped: 1\./);
    assert.match(done.body, /Enter the tracking number as the carrier prints it/);
    assert.match(done.body, new RegExp(`name="tracking\\.${c.id}" value="x"`), 'what was typed is kept');
    assert.match(done.body, new RegExp(`name="serial\\.${c.id}\\.0" value="TF-2026-BLK003"`));
    assert.doesNotMatch(done.body, new RegExp(`name="tracking\\.${a.id}"`));

    assert.equal((await orderRow(a.id)).tracking_number, '00340434000000000001');
    assert.equal((await orderRow(b.id)).tracking_number, '00340434000000000002');
    assert.equal((await orderRow(a.id)).status, 'shipped');
    assert.equal((await orderRow(c.id)).status, 'paid');
    await deliverMail(h);
    const annMail = h.mailer.to(ann.email).find((m) => /has shipped/.test(m.subject));
    const benMail = h.mailer.to(ben.email).find((m) => /has shipped/.test(m.subject));
    assert.ok(annMail && annMail.text.includes('00340434000000000001'));
    assert.ok(benMail && benMail.text.includes('00340434000000000002'));
    assert.ok(!h.mailer.to(cy.email).some((m) => /has shipped/.test(m.subject)));

    // German, and all refused: a 400 with the reasons in German.
    const de = await staff.b.post(
      '/staff/orders/bulk-ship/apply',
      [
        ['_csrf', csrfOf(form.body)],
        ['order', c.id],
        [`carrier.${c.id}`, ''],
        [`tracking.${c.id}`, ''],
      ],
      { 'accept-language': 'de' },
    );
    assert.equal(de.statusCode, 400);
    assert.match(de.body, /Wählen Sie den Versanddienstleister|Bitte korrigieren Sie die markierten Felder/);
    assert.match(de.body, /Nicht versandt: 1\./);
  });

  test('prints the invoices and delivery notes of the chosen orders as one PDF', async () => {
    const pia = await signedIn(h, { ip: nextIp(), name: 'Pia Print' });
    const a = await placeOrder(h, pia.b, ['padgrid']);
    const b = await placeOrder(h, pia.b, ['padgrid']);
    await ship(b.id, 'TF-2026-PRT001');
    const page = await list(`?q=${encodeURIComponent(pia.email)}`);
    const res = await staff.b.post('/staff/orders/print', [
      ['_csrf', csrfOf(page.body)],
      ['order', a.id],
      ['order', b.id],
    ]);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'candor-print-'));
    try {
      writeFileSync(join(dir, 'p.pdf'), res.rawPayload);
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'p.pdf'), '-'], { encoding: 'utf8' });
      const [na, nb] = [(await orderRow(a.id)).number, (await orderRow(b.id)).number];
      assert.equal((text.match(/Invoice RE-/g) ?? []).length, 2, text);
      assert.equal((text.match(/Delivery note/g) ?? []).length, 2 * 1, text);
      assert.match(text, new RegExp(`Delivery note ${na}`));
      assert.match(text, new RegExp(`Delivery note ${nb}`));
      assert.match(text, /Serial numbers: TF-2026-PRT001/);
      assert.match(text, /Teststraße 1/);
      // The delivery note shows no prices: the pages after each "Delivery note" heading carry no euro amount.
      const notes = text.split('\f').filter((p) => p.includes('Delivery note'));
      assert.equal(notes.length, 2);
      for (const note of notes) assert.doesNotMatch(note, /€/);
      const info = execFileSync('pdfinfo', [join(dir, 'p.pdf')], { encoding: 'utf8' });
      assert.match(info, /Pages:\s+4/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const audit = await h.deps.db
      .selectFrom('access_audit')
      .select('subject_user_id')
      .where('what', '=', 'order.print')
      .where('subject_user_id', '=', pia.id)
      .execute();
    assert.equal(audit.length, 1);
  });

  test('bad filter values and empty selections get a 400 in the staff member’s language', async () => {
    for (const [query, en, de] of [
      ['?status=lost', /There is no order status “lost”\./, /Einen Bestellstatus „lost“ gibt es nicht\./],
      ['?method=cash', /There is no payment method “cash”\./, /Eine Zahlungsart „cash“ gibt es nicht\./],
      ['?from=2026-02-30', /“From” must be a date like 2026-12-31/, /„Von“ muss ein Datum wie 2026-12-31 sein/],
      ['?to=yesterday', /“To” must be a date like 2026-12-31/, /„Bis“ muss ein Datum wie 2026-12-31 sein/],
      [
        '?from=2026-12-05&to=2026-12-01',
        /The “From” date lies after the “To” date\./,
        /Das Datum „Von“ liegt nach dem Datum „Bis“\./,
      ],
      [
        '?after=nonsense',
        /This page address is not valid; start again from the first page\./,
        /Diese Seitenadresse ist ungültig; beginnen Sie bitte wieder auf der ersten Seite\./,
      ],
      ['?overdue=yes', /The filter “overdue” takes the value 1\./, /Der Filter „overdue“ nimmt den Wert 1 an\./],
    ] as const) {
      const resEn = await staff.b.get(`/staff/orders${query}`);
      assert.equal(resEn.statusCode, 400, query);
      assert.match(resEn.body, en, query);
      const resDe = await staff.b.get(`/staff/orders${query}`, { 'accept-language': 'de' });
      assert.equal(resDe.statusCode, 400, query);
      assert.match(resDe.body, de, query);
      if (!query.startsWith('?after'))
        assert.equal((await staff.b.get(`/staff/orders.csv${query}`)).statusCode, 400, query);
    }
    const page = await list('');
    const none = await staff.b.post('/staff/orders/print', { _csrf: csrfOf(page.body) }, { 'accept-language': 'de' });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Wählen Sie in der Liste mindestens eine Bestellung aus\./);
  });

  test('customers get 403 on the list, the export and every bulk action', async () => {
    const customer = await signedIn(h, { ip: nextIp(), name: 'Cora Customer' });
    const order = await placeOrder(h, customer.b, ['padgrid']);
    assert.equal((await customer.b.get('/staff/orders')).statusCode, 403);
    assert.equal((await customer.b.get('/staff/orders.csv')).statusCode, 403);
    const account = await customer.b.get('/account');
    for (const path of ['/staff/orders/bulk-ship', '/staff/orders/bulk-ship/apply', '/staff/orders/print'])
      assert.equal(
        (
          await customer.b.post(path, [
            ['_csrf', csrfOf(account.body)],
            ['order', order.id],
          ])
        ).statusCode,
        403,
        path,
      );
    assert.equal((await orderRow(order.id)).status, 'paid');
  });

  test('shows number, date, customer, items, payment method, status and total, in German too', async () => {
    const gerd = await signedIn(h, { ip: nextIp(), name: 'Gerd Großhändler' });
    const order = await placeOrder(h, gerd.b, ['padgrid', 'aurora-synth']);
    const row = await orderRow(order.id);
    const de = (await list(`?q=${encodeURIComponent(gerd.email)}`, { 'accept-language': 'de' })).body;
    assert.match(de, /<th scope="col">Bestellung<\/th><th scope="col">Datum<\/th><th scope="col">Kunde<\/th>/);
    assert.match(de, /Gerd Großhändler<br><small>/);
    assert.match(de, /2 Artikel: /);
    assert.match(de, /<td data-label="Zahlungsart">Wallet<\/td>/);
    assert.match(de, /<td data-label="Status">Zahlung eingegangen<\/td>/);
    assert.match(de, new RegExp(`<td data-label="Summe">${(row.total_cents / 100).toFixed(2).replace('.', ',')}`));
    assert.match(de, /Rechnungen und Lieferscheine drucken \(PDF\)/);
  });
});
