// Cancellation invoices (Stornorechnungen, decision 0048): a per-line refund, a full refund and the cancel of an
// unpaid invoice order each issue one, numbered next in the invoice sequence, with the reversed lines negative and
// the VAT per rate (read back with pdftotext, in English and German); none for an order without invoice; one per
// refund when the job and the request both settle it; the customer gets their own, anyone else 404.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { formatEuro } from '../../platform/i18n.ts';
import { vatOfGross } from '../../shop/vat.ts';
import { BERLIN, fillBasket, placeOrder, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Browser, type Harness } from '../../testing/harness.ts';
import { ordersFeature } from '../orders/index.ts';

const skip: string | false =
  spawnSync('pdftotext', ['-v']).error && process.env.CI !== 'true'
    ? 'pdftotext is not installed (apt-get install -y poppler-utils)'
    : false;

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'correction-'));
  try {
    const file = join(dir, 'c.pdf');
    writeFileSync(file, pdf);
    return spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const seq = (number: string) => Number(number.slice(-6));
/** An amount as the PDF shows it: pdftotext turns the no-break space before € into a plain one. */
const euro = (lang: 'en' | 'de', cents: number) => escape(formatEuro(lang, cents)).replace(/[\u00a0\u202f ]/g, '\\s');

describeEachDatabase('cancellation invoices', (db) => {
  let h: Harness;
  let staff: Account;
  let counter = 0;
  let ips = 0;
  const nextIp = () => `10.88.${Math.floor(++ips / 250)}.${(ips % 250) + 1}`;
  const person = (name: string) => signedIn(h, { name, ip: nextIp() });
  before(async () => {
    h = await openHarness(db, { seed: true });
    staff = await staffMember(h, { name: 'Sina Storno', ip: nextIp() });
  });
  after(() => h.close());

  const orderRow = (id: string) =>
    h.deps.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const invoiceOf = (orderId: string) =>
    h.deps.db.selectFrom('invoices').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
  const correctionsOf = (orderId: string) =>
    h.deps.db.selectFrom('invoice_corrections').selectAll().where('order_id', '=', orderId).orderBy('number').execute();

  async function post(b: Browser, page: string, action: string, fields: Record<string, string>) {
    const form = await b.get(page);
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    assert.ok(token, `no form on ${page}`);
    return b.post(action, { _csrf: token, ...fields });
  }

  /** Staff refund all of an order through its confirmation page. */
  const refundFull = (orderId: string) => {
    const path = `/staff/orders/${orderId}`;
    return post(staff.b, `${path}/refund?scope=full`, `${path}/refund`, { scope: 'full', confirm: 'yes' });
  };

  async function pdf(b: Browser, path: string, lang = 'en'): Promise<string> {
    const res = await b.get(path, { 'accept-language': lang });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(String(res.headers['cache-control']), /no-store/);
    return pdfText(res.rawPayload);
  }

  test(
    'a per-line refund issues one cancellation invoice with the next number, the line negative, its VAT; staff and owner see it, in English and German',
    { skip },
    async () => {
      const customer = await person('Pia Partial');
      const order = await placeOrder(h, customer.b, [['aurora-synth', 2], 'padgrid']);
      const invoice = await invoiceOf(order.id);
      const row = await orderRow(order.id);
      const line = (
        JSON.parse(row.lines) as { title: string; quantity: number; unitCents: number; vatRate: number }[]
      )[0]!;
      assert.equal(line.quantity, 2);
      const path = `/staff/orders/${order.id}`;
      const done = await post(staff.b, `${path}/refund?scope=lines&qty.0=1`, `${path}/refund`, {
        scope: 'lines',
        'qty.0': '1',
        confirm: 'yes',
      });
      assert.equal(done.statusCode, 303, done.body);
      const [c, ...more] = await correctionsOf(order.id);
      assert.ok(c, 'a cancellation invoice was issued');
      assert.equal(more.length, 0);
      assert.equal(c.invoice_id, invoice.id);
      assert.ok(seq(c.number) > seq(invoice.number), 'numbered later in the same sequence');
      assert.equal(c.number.slice(0, 8), invoice.number.slice(0, 8));
      const refund = await h.deps.db
        .selectFrom('order_refunds')
        .selectAll()
        .where('order_id', '=', order.id)
        .executeTakeFirstOrThrow();
      assert.equal(c.refund_id, refund.id);
      assert.equal(Number(c.total_cents), line.unitCents);
      const vat = vatOfGross(line.unitCents, line.vatRate);
      assert.equal(Number(c.vat_cents), vat);

      // The staff page lists it; the PDF: title, the invoice it refers to, the line negative, the VAT negative.
      const page = (await staff.b.get(path)).body;
      const link = `${path}/corrections/${c.id}.pdf`;
      assert.match(page, new RegExp(`<a href="${escape(link)}">Cancellation invoice ${c.number} \\(PDF\\)</a>`));
      const en = await pdf(staff.b, link);
      assert.match(en, new RegExp(`Cancellation invoice ${c.number}`));
      assert.match(en, new RegExp(`relating to invoice ${invoice.number} of `));
      assert.match(en, new RegExp(`-1\\s+${escape(line.title)}`));
      assert.match(en, new RegExp(euro('en', -line.unitCents)));
      assert.match(en, new RegExp(`Included VAT \\(19%, Germany\\)\\s+${euro('en', -vat)}`));
      assert.match(en, new RegExp(`Net amount\\s+${euro('en', -(line.unitCents - vat))}`));
      assert.doesNotMatch(en, /Please transfer/);
      assert.doesNotMatch(en, /padgrid/i, 'only the refunded line');
      const de = await pdf(staff.b, link, 'de');
      assert.match(de, new RegExp(`Stornorechnung ${c.number}`));
      assert.match(de, new RegExp(`zu Rechnung ${invoice.number} vom `));
      assert.match(de, new RegExp(euro('de', -vat)));
      const audit = await h.deps.db
        .selectFrom('access_audit')
        .select(['what', 'path'])
        .where('subject_user_id', '=', customer.id)
        .where('path', '=', link)
        .execute();
      assert.deepEqual(
        audit.map((a) => a.what),
        ['order.invoice-view', 'order.invoice-view'],
      );

      // The owner: listed on their order page, their own download route.
      const own = `/account/orders/${order.id}/corrections/${c.id}.pdf`;
      const mine = (await customer.b.get(`/account/orders/${order.id}`, { 'accept-language': 'de' })).body;
      assert.match(mine, new RegExp(`<a href="${escape(own)}">Stornorechnung ${c.number} \\(PDF\\)</a>`));
      assert.match(await pdf(customer.b, own), new RegExp(`Cancellation invoice ${c.number}`));
      // Anyone else: 404, also for the staff route without a staff role.
      const other = await person('Otto Other');
      assert.equal((await other.b.get(own)).statusCode, 404);
      assert.notEqual((await customer.b.get(link)).statusCode, 200);
      // Not another order's cancellation invoice under one's own order.
      const second = await placeOrder(h, customer.b, ['padgrid']);
      assert.equal((await customer.b.get(`/account/orders/${second.id}/corrections/${c.id}.pdf`)).statusCode, 404);
    },
  );

  test('a full refund reverses the whole invoice', { skip }, async () => {
    const customer = await person('Fred Full');
    const order = await placeOrder(h, customer.b, [['aurora-synth', 2], 'padgrid']);
    const row = await orderRow(order.id);
    assert.equal((await refundFull(order.id)).statusCode, 303);
    const corrections = await correctionsOf(order.id);
    assert.equal(corrections.length, 1);
    const c = corrections[0]!;
    assert.equal(Number(c.total_cents), row.total_cents);
    assert.equal(Number(c.vat_cents), row.vat_cents);
    const lines = JSON.parse(c.lines) as { quantity: number }[];
    assert.deepEqual(
      lines.map((l) => l.quantity),
      (JSON.parse(row.lines) as { quantity: number }[]).map((l) => l.quantity),
    );
    const text = await pdf(customer.b, `/account/orders/${order.id}/corrections/${c.id}.pdf`);
    assert.match(text, new RegExp(`Total\\s+${euro('en', -row.total_cents)}`));
    assert.match(text, /-2\s+Aurora Synth/);
  });

  test('cancelling an unpaid invoice order reverses its invoice', { skip }, async () => {
    const customer = await person('Clara Cancel');
    await fillBasket(h, customer.b, ['padgrid']);
    const res = await customer.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: BERLIN, payment: { method: 'invoice' } },
      { 'idempotency-key': `corrections-${process.pid}-${++counter}` },
    );
    assert.equal(res.statusCode, 201, res.body);
    const order = res.json() as { id: string };
    const row = await orderRow(order.id);
    const invoice = await invoiceOf(order.id);
    const path = `/staff/orders/${order.id}`;
    assert.equal((await post(staff.b, `${path}/cancel`, `${path}/cancel`, { confirm: 'yes' })).statusCode, 303);
    const corrections = await correctionsOf(order.id);
    assert.equal(corrections.length, 1);
    const c = corrections[0]!;
    assert.equal(c.refund_id, null);
    assert.equal(c.cancel_of, invoice.id);
    assert.equal(Number(c.total_cents), row.total_cents);
    const de = await pdf(staff.b, `${path}/corrections/${c.id}.pdf`, 'de');
    assert.match(de, new RegExp(`Stornorechnung ${c.number}`));
    assert.match(de, new RegExp(`Gesamtbetrag\\s+${euro('de', -row.total_cents)}`));
    assert.doesNotMatch(de, /Bitte überweisen/);
  });

  test('no cancellation invoice for an order without invoice', async () => {
    const customer = await person('Nina Noinvoice');
    const order = await placeOrder(h, customer.b, ['padgrid']);
    await h.deps.db.deleteFrom('invoices').where('order_id', '=', order.id).execute();
    assert.equal((await refundFull(order.id)).statusCode, 303);
    assert.equal((await orderRow(order.id)).status, 'refunded');
    assert.deepEqual(await correctionsOf(order.id), []);
    assert.doesNotMatch((await staff.b.get(`/staff/orders/${order.id}`)).body, /Cancellation invoice/);
  });

  test('the same refund settled by the job and by the request issues one cancellation invoice', async () => {
    const customer = await person('Jakob Job');
    const order = await placeOrder(h, customer.b, ['padgrid']);
    // The provider refunds but its answer is late: meanwhile the job (past the grace) asks again and settles.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let asked = 0;
    const payments = h.deps.payments;
    const refund = payments.refund.bind(payments);
    payments.refund = async (reference, amountCents, key) => {
      const answer = await refund(reference, amountCents, key);
      if (++asked === 1) await gate;
      return answer;
    };
    try {
      const request = refundFull(order.id);
      while (asked === 0) await new Promise((r) => setTimeout(r, 5));
      const job = ordersFeature.jobs?.find((j) => j.name === 'orders.reconcile-refunds');
      assert.ok(job);
      await job.run({ ...h.deps, clock: { now: () => h.clock.now() + 60 * 60 * 1000 } });
      assert.equal(
        (await correctionsOf(order.id)).length,
        1,
        'the job settled the refund and issued its cancellation invoice',
      );
      open();
      assert.equal((await request).statusCode, 303);
    } finally {
      payments.refund = refund;
    }
    const corrections = await correctionsOf(order.id);
    assert.equal(corrections.length, 1);
    // Numbers stay gap-free: the request used none.
    const next = await placeOrder(h, customer.b, ['padgrid']);
    assert.equal(seq((await invoiceOf(next.id)).number), seq(corrections[0]!.number) + 1);
  });
});
