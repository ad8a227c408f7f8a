// The staff registrations console: a unit found by its serial number (as typed, normalised) with its customer and
// the order that sold it linked; disputed serial numbers in the review queue with counts, gone once decided; a
// unit registered to someone other than its buyer flagged; keyset paging; 403 for customers; views recorded.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { asRole, placeOrder, productId, signedIn, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';

const ENV = { RATE_LIMIT_AUTH_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' };
const rowsOf = (body: string): string[] =>
  [...body.matchAll(/<code>(TF-[0-9]{4}-[A-Z0-9]{6})<\/code>/g)].map((m) => m[1]!);
const nextLink = (body: string): string | undefined =>
  /<a href="([^"]+)" rel="next">/.exec(body)?.[1]?.replace(/&amp;/g, '&');

describeEachDatabase('the registrations console', (db) => {
  let h: Harness;
  let staff: Account;
  let buyer: Account;
  let stranger: Account;
  let padgrid: string;
  let order: { id: string; number: string };
  const A = 'TF-2026-CONA01';
  const C = 'TF-2026-CONC03';
  const register = (who: Account, serial: string) =>
    who.b.api('POST', '/api/v1/registrations', { productId: padgrid, serial });

  before(async () => {
    h = await openHarness(db, { seed: true, env: ENV });
    padgrid = await productId(h, 'padgrid');
    buyer = await signedIn(h, { name: 'Pat Buyer' });
    stranger = await signedIn(h, { name: 'Sly Stranger' });
    staff = await asRole(h, await signedIn(h, { name: 'Sam Staff' }), 'staff');
    order = (await placeOrder(h, buyer.b, [['padgrid', 2]])) as unknown as { id: string; number: string };
    // C is registered by the stranger before the shop records it on the buyer's order.
    assert.equal((await register(stranger, C)).statusCode, 201);
    const recorded = await staff.b.submit('/account/products', `/staff/orders/${order.id}/serials`, {
      'serial.0': A,
      'serial.1': C,
    });
    assert.equal(recorded.statusCode, 303, recorded.body);
    assert.equal((await register(buyer, A.toLowerCase())).statusCode, 201);
  });

  after(() => h.close());

  it('finds a unit by its serial number as typed, with its customer and the order that sold it linked (en and de)', async () => {
    const found = await staff.b.get(`/staff/registrations?serial=${encodeURIComponent(` ${A.toLowerCase()} `)}`);
    assert.equal(found.statusCode, 200);
    assert.match(found.headers['cache-control'] as string, /no-store/);
    assert.deepEqual(rowsOf(found.body), [A]);
    assert.match(
      found.body,
      new RegExp(`<a href="/staff/customers/${buyer.id}">Pat Buyer<br>${buyer.email.replace(/\./g, '\\.')}</a>`),
    );
    assert.match(found.body, new RegExp(`<a href="/staff/orders/${order.id}">${order.number}</a><br>to this customer`));
    assert.match(found.body, new RegExp(`value="${A}"`), 'the normalised serial number stays in the field');
    const part = await staff.b.get('/staff/registrations?serial=cona');
    assert.deepEqual(rowsOf(part.body), [A], 'part of a serial number finds it too');
    const de = await staff.b.get(`/staff/registrations?serial=${A}`, { 'accept-language': 'de' });
    assert.match(de.body, /an diesen Kunden/);
    assert.match(de.body, /Hier verkauft \(Bestellung\)/);
    const none = await staff.b.get('/staff/registrations?serial=TF-2026-NONE99');
    assert.deepEqual(rowsOf(none.body), []);
    assert.match(none.body, /No registration of this serial number\./);
    const noneDe = await staff.b.get('/staff/registrations?serial=TF-2026-NONE99', { 'accept-language': 'de' });
    assert.match(noneDe.body, /Keine Registrierung zu dieser Seriennummer\./);

    const audit = await h.deps.db
      .selectFrom('access_audit')
      .select(['subject_user_id'])
      .where('actor_user_id', '=', staff.id)
      .where('what', '=', 'registrations.search')
      .execute();
    assert.ok(
      audit.some((a) => a.subject_user_id === buyer.id),
      'looking a unit up is recorded against its holder',
    );
  });

  it('shows a unit registered to someone other than its buyer, with the buyer and the order', async () => {
    const page = await staff.b.get('/staff/registrations/reviews');
    assert.equal(page.statusCode, 200);
    const held = page.body.slice(page.body.indexOf('Registered to someone other than the buyer'));
    assert.deepEqual(rowsOf(held), [C]);
    assert.match(held, new RegExp(`<a href="/staff/customers/${stranger.id}">Sly Stranger`));
    assert.match(held, new RegExp(`to another customer:</strong> <a href="/staff/customers/${buyer.id}">`));
    const found = await staff.b.get(`/staff/registrations?serial=${C}`);
    assert.match(found.body, /to another customer:/);
  });

  it('puts a disputed serial number in the review queue with counts, and takes it out once decided (en and de)', async () => {
    assert.equal((await register(stranger, A)).statusCode, 202, 'a unit sold to someone else goes to review');
    const queue = await staff.b.get('/staff/registrations/reviews');
    const open = queue.body.slice(0, queue.body.indexOf('Registered to someone other than the buyer'));
    assert.deepEqual(rowsOf(open), [A]);
    assert.match(open, /<dt>Open reviews<\/dt><dd>1<\/dd>/);
    assert.match(open, /<dt>sold to another customer<\/dt><dd>1<\/dd>/);
    assert.match(open, new RegExp(`<a href="/staff/customers/${stranger.id}">Sly Stranger`), 'the claimant');
    assert.match(open, new RegExp(`<a href="/staff/orders/${order.id}">${order.number}</a>`), 'the sale');
    assert.match(
      (await staff.b.get('/staff/registrations')).body,
      /Review queue \(1\)/,
      'the list links the queue with its count',
    );
    const de = await staff.b.get('/staff/registrations/reviews', { 'accept-language': 'de' });
    assert.match(de.body, /<dt>Offene Prüfungen<\/dt><dd>1<\/dd>/);

    const review = await h.deps.db
      .selectFrom('registration_reviews')
      .select('id')
      .where('serial', '=', A)
      .where('resolved_at', 'is', null)
      .executeTakeFirstOrThrow();
    const decided = await staff.b.submit('/staff/registrations/reviews', `/staff/registrations/reviews/${review.id}`, {
      decision: 'reject',
    });
    assert.equal(decided.statusCode, 303);
    assert.equal(decided.headers.location, '/staff/registrations/reviews');
    const after = await staff.b.get('/staff/registrations/reviews');
    const afterOpen = after.body.slice(0, after.body.indexOf('Registered to someone other than the buyer'));
    assert.deepEqual(rowsOf(afterOpen), []);
    assert.match(afterOpen, /No disputed registrations\./);
    assert.match(afterOpen, /<dt>Decided in the last 30 days<\/dt><dd>1<\/dd>/);
    const afterDe = await staff.b.get('/staff/registrations/reviews', { 'accept-language': 'de' });
    assert.match(afterDe.body, /Keine strittigen Registrierungen\./);
  });

  it('pages the list of registrations on a keyset, newest first, none twice or left out', async () => {
    const many: string[] = [];
    for (let n = 0; n < 55; n++) {
      const serial = `TF-2026-PAGE${String(n).padStart(2, '0')}`;
      assert.equal((await register(stranger, serial)).statusCode, 201);
      many.push(serial);
      if (n % 2 === 1) h.clock.advance(1000);
    }
    const first = await staff.b.get('/staff/registrations');
    const page1 = rowsOf(first.body);
    assert.equal(page1.length, 50);
    const next = nextLink(first.body);
    assert.ok(next);
    assert.doesNotMatch(next, /page=|offset=/);
    const second = await staff.b.get(next);
    const page2 = rowsOf(second.body);
    assert.equal(nextLink(second.body), undefined);
    assert.match(second.body, /Newest registrations/);
    const active = await h.deps.db
      .selectFrom('hardware_registrations')
      .select('serial')
      .where('released_at', 'is', null)
      .orderBy('registered_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    assert.deepEqual(
      [...page1, ...page2],
      active.map((r) => r.serial),
    );
    assert.ok(many.every((s) => page1.includes(s) || page2.includes(s)));
  });

  it('refuses customers, answers bad input with 400, and shows an empty queue page', async () => {
    for (const path of ['/staff/registrations', '/staff/registrations/reviews', `/staff/registrations?serial=${A}`])
      assert.equal((await buyer.b.get(path)).statusCode, 403, path);
    const review = await buyer.b.submit('/account/products', '/staff/registrations/reviews/anything', {
      decision: 'assign',
    });
    assert.equal(review.statusCode, 403);
    const bad = await staff.b.get('/staff/registrations?serial=%3Cscript%3E', { 'accept-language': 'de' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /ungültig/);
    assert.equal((await staff.b.get('/staff/registrations/reviews?after=soon')).statusCode, 400);
  });
});
