// The staff home: its figures for seeded orders, the consoles each role sees (and may use), the console frame on
// every staff page, and the shop header's single console link.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY } from '../../platform/clock.ts';
import { formatEuro } from '../../platform/i18n.ts';
import {
  asRole,
  BERLIN,
  fillBasket,
  placeOrder,
  signedIn,
  staffMember,
  type Account,
} from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';

const NOW = Date.parse('2026-11-29T10:00:00Z');

const STAFF_CONSOLES = [
  '/staff/support',
  '/staff/orders',
  '/staff/withdrawals',
  '/staff/products',
  '/staff/products/import',
  '/staff/customers',
  '/staff/mail',
  '/staff/letters',
  '/staff/campaigns',
  '/staff/credit-reviews',
  '/staff/registrations',
  '/staff/legal',
  '/staff/surveys',
  '/staff/competitions',
  '/staff/analytics',
  '/staff/experiments',
];
const DPO_CONSOLES = ['/staff/mail', '/staff/letters', '/staff/privacy'];
/** The administrator's: every staff console, the DPO console, the team and the operations figures. */
const ADMIN_CONSOLES = [...STAFF_CONSOLES, '/staff/privacy', '/staff/team', '/staff/operations'];

const sidebar = (page: string) =>
  [
    ...(
      /<nav aria-label="(?:Console|Verwaltung)" class="console-nav">([\s\S]*?)<\/nav>/.exec(page)?.[1] ?? ''
    ).matchAll(/<a href="([^"]+)"/g),
  ].map((m) => m[1]);
const headerLinks = (page: string) =>
  [...(/<header class="site-header">([\s\S]*?)<\/header>/.exec(page)?.[1] ?? '').matchAll(/(?:href|action)="([^"]+)"/g)]
    .map((m) => m[1]!)
    .filter((href) => !href.startsWith('/preferences/') && href !== '/');

/** The value shown on the tile whose label is `label`. */
function figure(page: string, label: string): string | undefined {
  const escaped = label.replace(/[()]/g, '\\$&');
  return new RegExp(
    `<li><span class="figure-value">([^<]*)</span> <span class="figure-label">(?:<a href="[^"]*">)?${escaped}(?:</a>)?</span>([^<]*<span class="figure-note">[^<]*</span>)?`,
  ).exec(page)?.[1];
}
function figureNote(page: string, label: string): string | undefined {
  const escaped = label.replace(/[()]/g, '\\$&');
  return new RegExp(`${escaped}(?:</a>)?</span> <span class="figure-note">([^<]*)</span>`).exec(page)?.[1];
}

describeEachDatabase('the staff console', (db) => {
  let h: Harness;
  let staff: Account;
  let counter = 0;
  before(async () => {
    h = await openHarness(db, { seed: true });
    h.clock.set(NOW);
    staff = await staffMember(h);
  });
  after(() => h.close());

  async function withRole(role: 'dpo' | 'admin'): Promise<Account> {
    const account = await signedIn(h, { name: `Rita ${role}` });
    return asRole(h, account, role);
  }

  test('the staff home shows the figures of the seeded orders, with the revenue chart and its numbers', async () => {
    const empty = (await staff.b.get('/staff')).body;
    assert.equal(figure(empty, 'Orders today'), '0');
    assert.equal(figure(empty, 'Failed mail deliveries'), '0');
    const lowBefore = Number(figure(empty, 'Low stock (5 or fewer)'));
    assert.ok(Number.isInteger(lowBefore), 'the low stock figure is shown');

    // An invoice order placed 20 days ago (payment term 14 days: overdue), still unpaid.
    const customer = await signedIn(h, { name: 'Olga Order' });
    h.clock.set(NOW - 20 * DAY);
    await fillBasket(h, customer.b, ['padgrid']);
    const invoiced = await customer.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: BERLIN, payment: { method: 'invoice' } },
      { 'idempotency-key': `console-${process.pid}-${++counter}` },
    );
    assert.equal(invoiced.statusCode, 201, invoiced.body);
    assert.equal(invoiced.json().status, 'invoiced');
    // A paid hardware order today.
    h.clock.set(NOW);
    const paid = await placeOrder(h, customer.b, ['padgrid']);
    assert.equal(paid.status, 'paid');
    const total = async (id: string) =>
      Number(
        (await h.deps.db.selectFrom('orders').select('total_cents').where('id', '=', id).executeTakeFirstOrThrow())
          .total_cents,
      );
    const paidCents = await total(paid.id);
    const invoicedCents = await total(invoiced.json().id);
    // A mail whose delivery failed for good, and a hardware product running low.
    await h.deps.db
      .insertInto('outbox')
      .values({
        id: `failed-${db}`,
        recipient: 'nobody@example.test',
        subject: 'Failed',
        body: 'x',
        html: null,
        headers: '{}',
        attachments: '[]',
        created_at: NOW - DAY,
        attempts: 8,
        next_attempt_at: NOW - DAY,
        locked_until: null,
        sent_at: null,
        failed_at: NOW - 1000,
        last_error: 'refused',
      })
      .execute();
    await h.deps.db.updateTable('products').set({ stock: 2 }).where('slug', '=', 'padgrid').execute();

    const page = (await staff.b.get('/staff')).body;
    assert.equal(figure(page, 'Orders today'), '1');
    assert.equal(figure(page, 'Revenue today'), formatEuro('en', paidCents));
    assert.equal(figure(page, 'Orders, last 30 days'), '2');
    assert.equal(figure(page, 'Revenue, last 30 days'), formatEuro('en', paidCents + invoicedCents));
    assert.equal(figure(page, 'Orders to ship'), '1');
    assert.equal(figure(page, 'Unpaid invoices'), '1');
    assert.equal(figureNote(page, 'Unpaid invoices'), '1 overdue · oldest 20 days');
    assert.equal(figure(page, 'Failed mail deliveries'), '1');
    assert.equal(Number(figure(page, 'Low stock (5 or fewer)')), lowBefore + 1);
    // The chart: an image with a title, and the numbers per day as a table (30 days, today last).
    assert.match(page, /<svg viewBox="0 0 600 220" role="img" aria-labelledby="chart-0-title chart-0-desc"/);
    assert.match(page, /<title id="chart-0-title">Revenue per day<\/title>/);
    const rows = [...page.matchAll(/<tr><th scope="row">([^<]*)<\/th><td data-label="Revenue per day">([^<]*)<\/td>/g)];
    assert.equal(rows.length, 30);
    assert.deepEqual([rows[29]![1], rows[29]![2]], ['29 November 2026', formatEuro('en', paidCents)]);
    assert.deepEqual([rows[9]![1], rows[9]![2]], ['9 November 2026', formatEuro('en', invoicedCents)]);
    assert.equal(rows.filter((r) => r[2] !== formatEuro('en', 0)).length, 2);
    const german = (await staff.b.get('/staff', { 'accept-language': 'de' })).body;
    assert.match(german, /<h1>Verwaltung<\/h1>/);
    assert.equal(figureNote(german, 'Offene Rechnungen'), '1 überfällig · älteste 20 Tage');
  });

  test('each role sees exactly the consoles it may use, and may use each of them', async () => {
    const admin = await withRole('admin');
    const dpo = await withRole('dpo');
    for (const [who, account, consoles] of [
      ['staff', staff, STAFF_CONSOLES],
      ['admin', admin, ADMIN_CONSOLES],
      ['dpo', dpo, DPO_CONSOLES],
    ] as const) {
      const home = await account.b.get('/staff');
      assert.equal(home.statusCode, 200, who);
      assert.deepEqual(sidebar(home.body), [...consoles], who);
      for (const href of ADMIN_CONSOLES) {
        const res = await account.b.get(href);
        assert.equal(res.statusCode, consoles.includes(href as never) ? 200 : 403, `${who} ${href}`);
      }
    }
    // The DPO sees no order figures, only the mail's.
    const dpoHome = (await dpo.b.get('/staff')).body;
    assert.equal(figure(dpoHome, 'Orders today'), undefined);
    assert.notEqual(figure(dpoHome, 'Failed mail deliveries'), undefined);
  });

  test('every page under /staff is framed by the console, the current console marked', async () => {
    const page = (await staff.b.get('/staff/orders')).body;
    assert.deepEqual(sidebar(page), STAFF_CONSOLES);
    assert.match(page, /<a href="\/staff\/orders" aria-current="page">Orders<\/a>/);
    // The most specific console is marked, once.
    const importPage = (await staff.b.get('/staff/products/import')).body;
    assert.deepEqual(
      [...importPage.matchAll(/<a href="([^"]+)" aria-current="page">/g)].map((m) => m[1]),
      ['/staff/products/import'],
    );
    const mail = (await staff.b.get('/staff/mail', { 'accept-language': 'de' })).body;
    assert.match(mail, /<nav aria-label="Verwaltung" class="console-nav">/);
    assert.match(mail, /<a href="\/staff\/mail" aria-current="page">Ausgehende E-Mails<\/a>/);
    // The shop's pages have no console frame.
    assert.doesNotMatch((await staff.b.get('/shop')).body, /console-nav/);
  });

  test('the console’s door answers before the request is read: 403 for a customer or a role without the console, whatever the body', async () => {
    const customer = await signedIn(h);
    const dpo = await withRole('dpo');
    // A form with a valid form token, whose fields the bulk form's schema refuses (400 for staff).
    const junk = { 'select.x': 'x'.repeat(5000) };
    assert.equal((await staff.b.submit('/staff/products', '/staff/products/bulk', junk)).statusCode, 400);
    for (const [who, account] of [
      ['customer', customer],
      ['dpo', dpo],
    ] as const) {
      const bulk = await account.b.submit('/account', '/staff/products/bulk', junk);
      assert.equal(bulk.statusCode, 403, `${who}: ${bulk.body}`);
      const csv = await account.b.get('/staff/orders.csv?status=nonsense&from=yesterday');
      assert.equal(csv.statusCode, 403, `${who} csv`);
    }
    // The DPO's own consoles still open.
    assert.equal((await dpo.b.get('/staff/mail')).statusCode, 200);
  });

  test('customers get 403 on /staff and visitors the sign-in page; the header shows staff one console link', async () => {
    const customer = await signedIn(h);
    const forbidden = await customer.b.get('/staff');
    assert.equal(forbidden.statusCode, 403);
    assert.doesNotMatch(forbidden.body, /console-nav/);
    const guest = await new Browser(h.app).get('/staff');
    assert.ok([302, 303].includes(guest.statusCode), String(guest.statusCode));
    assert.match(String(guest.headers.location), /\/account\/login/);

    assert.match(String((await staff.b.get('/staff')).headers['cache-control']), /no-store/);
    const shop = (await staff.b.get('/shop')).body;
    assert.deepEqual(
      headerLinks(shop).filter((l) => l.startsWith('/staff')),
      ['/staff'],
    );
    assert.match(shop, /<li><a href="\/staff">Console<\/a><\/li>/);
    assert.match((await staff.b.get('/shop', { 'accept-language': 'de' })).body, /<a href="\/staff">Verwaltung<\/a>/);
    assert.doesNotMatch((await customer.b.get('/shop')).body, /href="\/staff/);
  });
});
