// Repairs (issue 14, point 5): the customer's request with the return address, the hand-offs through the disclosure
// gate (declared fields only), the staff's state buttons, and the customer's view of the state.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { productId, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { repairSummary } from './support.repairs.ts';

describeEachDatabase('support repairs', (db) => {
  let h: Harness;
  let serialNo = 0;

  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  /** A signed-in customer with one registered unit (and its registration id). */
  async function owner(): Promise<{ who: Account; registrationId: string; serial: string }> {
    const who = await signedIn(h);
    serialNo++;
    const serial = `TF-2026-RP${String(serialNo).padStart(2, '0')}${db === 'sqlite' ? 'SQ' : 'PG'}`;
    const product = await productId(h, 'keystep-49');
    const res = await who.b.api('POST', '/api/v1/registrations', { productId: product, serial });
    assert.equal(res.statusCode, 201, res.body);
    const reg = await h.deps.db
      .selectFrom('hardware_registrations')
      .select('id')
      .where('serial', '=', serial)
      .executeTakeFirstOrThrow();
    return { who, registrationId: reg.id, serial };
  }

  const form = (registrationId: string, over: Record<string, string> = {}) => ({
    registrationId,
    fault: 'The left knob does nothing since Tuesday.',
    name: 'Rudi Reparatur',
    line1: 'Werkbankweg 12',
    line2: '',
    postalCode: '10115',
    city: 'Berlin',
    country: 'Deutschland',
    ...over,
  });

  async function request(o: { who: Account; registrationId: string }): Promise<string> {
    const res = await o.who.b.submit(
      '/account/support/repairs/new',
      '/account/support/repairs',
      form(o.registrationId),
    );
    assert.equal(res.statusCode, 303, res.body);
    const id = /\/account\/support\/repairs\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1];
    assert.ok(id, String(res.headers.location));
    return id;
  }

  test('a repair opens a ticket (a business letter) and hands the address to the workshop and the delivery company, declared fields only', async () => {
    const o = await owner();
    const page = await o.who.b.get('/account/support/repairs/new');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(o.serial));
    assert.match(page.body, /name="postalCode"/);
    const id = await request(o);
    const repair = await h.deps.db
      .selectFrom('support_repairs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(repair.state, 'requested');
    assert.equal(repair.requester, o.who.id);
    assert.equal(repair.serial, o.serial);
    assert.equal(repair.address_line1, 'Werkbankweg 12');
    assert.equal(repair.address_line2, null);
    assert.equal(repair.kept_reason, 'business-letter');
    const ticket = await h.deps.db
      .selectFrom('support_tickets')
      .selectAll()
      .where('id', '=', repair.ticket_id)
      .executeTakeFirstOrThrow();
    assert.equal(ticket.category, 'repair');
    assert.equal(ticket.kept_reason, 'business-letter');
    assert.equal(ticket.requester, o.who.id);
    const first = await h.deps.db
      .selectFrom('support_messages')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    assert.equal(first.body, 'The left knob does nothing since Tuesday.');
    assert.equal(first.kept_reason, 'business-letter');

    const handoffs = await h.deps.db.selectFrom('handoffs').selectAll().where('user_id', '=', o.who.id).execute();
    const byRecipient = Object.fromEntries(handoffs.map((x) => [x.recipient, JSON.parse(x.payload)]));
    assert.deepEqual(Object.keys(byRecipient).sort(), ['delivery-company', 'repair-workshop']);
    assert.deepEqual(byRecipient['repair-workshop'], {
      name: 'Rudi Reparatur',
      line1: 'Werkbankweg 12',
      postalCode: '10115',
      city: 'Berlin',
      country: 'Deutschland',
      serial: o.serial,
      fault: 'The left knob does nothing since Tuesday.',
    });
    assert.deepEqual(byRecipient['delivery-company'], {
      name: 'Rudi Reparatur',
      line1: 'Werkbankweg 12',
      postalCode: '10115',
      city: 'Berlin',
      country: 'Deutschland',
    });
    const disclosures = await h.deps.db.selectFrom('disclosures').selectAll().where('user_id', '=', o.who.id).execute();
    assert.deepEqual(disclosures.map((d) => [d.activity, d.recipient]).sort(), [
      ['support.repairs', 'delivery-company'],
      ['support.repairs', 'repair-workshop'],
    ]);

    const mine = await o.who.b.get(`/account/support/repairs/${id}?notice=created`);
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /requested/);
    assert.match(mine.body, /Werkbankweg 12/);
    assert.match(mine.body, new RegExp(`/account/support/${ticket.id}`));
    const summary = await repairSummary(h.deps, ticket.id);
    assert.equal(summary?.state, 'requested');
    assert.equal(summary?.href, `/account/support/repairs/${id}`);
    assert.equal(await repairSummary(h.deps, 'no-such-ticket'), undefined);
  });

  test('bad input or another person’s unit gets a 400 in the person’s language and changes nothing', async () => {
    const o = await owner();
    const count = async () =>
      (await h.deps.db.selectFrom('support_tickets').select('id').where('requester', '=', o.who.id).execute()).length;
    const bad = await o.who.b.submit(
      '/account/support/repairs/new',
      '/account/support/repairs',
      form(o.registrationId, { postalCode: '', fault: 'x' }),
    );
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Please enter the postal code/);
    assert.match(bad.body, /Please describe the fault/);
    assert.match(bad.body, /Werkbankweg 12/, 'the form keeps what was entered');
    const other = await owner();
    const foreign = await o.who.b.submit(
      '/account/support/repairs/new',
      '/account/support/repairs',
      form(other.registrationId),
    );
    assert.equal(foreign.statusCode, 400);
    assert.match(foreign.body, /registered to your account/);
    const german = await o.who.b.submit(
      '/account/support/repairs/new',
      '/account/support/repairs',
      form(o.registrationId, { city: '' }),
    );
    assert.equal(german.statusCode, 400);
    const de = await o.who.b.post(
      '/account/support/repairs',
      { ...form(o.registrationId, { city: '' }), _csrf: /name="_csrf" value="([^"]+)"/.exec(german.body)![1]! },
      { 'accept-language': 'de' },
    );
    assert.equal(de.statusCode, 400);
    assert.match(de.body, /Bitte geben Sie den Ort an/);
    assert.equal(await count(), 0);
    assert.equal(
      (await h.deps.db.selectFrom('handoffs').select('id').where('user_id', '=', o.who.id).execute()).length,
      0,
    );
  });

  test('repairs are offered only when the operator names a repair workshop', async () => {
    const anonymous = await h.app.inject({ method: 'GET', url: '/account/support/repairs/new' });
    assert.notEqual(anonymous.statusCode, 404);
    const { app } = await h.reopen({
      recipients: { 'delivery-company': h.deps.config.operator.recipients!['delivery-company']! },
    });
    assert.equal((await app.inject({ method: 'GET', url: '/account/support/repairs/new' })).statusCode, 404);
  });

  test('a customer sees only their own repairs; the form needs a signed-in customer', async () => {
    const o = await owner();
    const id = await request(o);
    const stranger = await signedIn(h);
    assert.equal((await stranger.b.get(`/account/support/repairs/${id}`)).statusCode, 404);
    const none = await stranger.b.get('/account/support/repairs/new');
    assert.equal(none.statusCode, 200);
    assert.match(none.body, /No hardware is registered/);
  });

  test('an account whose address is unconfirmed gets 403 on the repair form and its POST, and nothing is stored', async () => {
    const o = await owner();
    const unconfirmed = await signedIn(h, { verified: false });
    // Its own unit would need a confirmed address; another's registration id is enough to reach the check.
    const before = await h.deps.db.selectFrom('support_repairs').select('id').execute();
    assert.equal((await unconfirmed.b.get('/account/support/repairs/new')).statusCode, 403);
    const posted = await unconfirmed.b.submit('/contact', '/account/support/repairs', form(o.registrationId));
    assert.equal(posted.statusCode, 403, posted.body);
    assert.equal((await h.deps.db.selectFrom('support_repairs').select('id').execute()).length, before.length);
  });

  test('staff move a repair through its states; closing sets closed_at; the customer sees the state; views are audited', async () => {
    const o = await owner();
    const id = await request(o);
    const staff = await staffMember(h);
    const list = await staff.b.get('/staff/support/repairs');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(o.serial));
    const page = await staff.b.get(`/staff/support/repairs/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Werkbankweg 12/);
    const audit = await h.deps.db
      .selectFrom('access_audit')
      .selectAll()
      .where('subject_user_id', '=', o.who.id)
      .where('what', '=', 'support.repairs.view')
      .execute();
    assert.equal(audit.length, 1);
    for (const state of ['received', 'repaired', 'returned']) {
      const res = await staff.b.submit(`/staff/support/repairs/${id}`, `/staff/support/repairs/${id}/state`, { state });
      assert.equal(res.statusCode, 303, res.body);
      const row = await h.deps.db
        .selectFrom('support_repairs')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(row.state, state);
      assert.equal(row.closed_at, null);
    }
    assert.match((await o.who.b.get(`/account/support/repairs/${id}`)).body, /sent back to you/);
    h.clock.advance(60_000);
    const closed = await staff.b.submit(`/staff/support/repairs/${id}`, `/staff/support/repairs/${id}/state`, {
      state: 'closed',
    });
    assert.equal(closed.statusCode, 303);
    const row = await h.deps.db
      .selectFrom('support_repairs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.state, 'closed');
    assert.equal(row.closed_at, h.clock.now());
    assert.match((await o.who.b.get(`/account/support/repairs/${id}`)).body, /closed/);
    const bad = await staff.b.submit(`/staff/support/repairs/${id}`, `/staff/support/repairs/${id}/state`, {
      state: 'lost',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(
      (await staff.b.submit(`/staff/support/repairs/${id}`, '/staff/support/repairs/nope/state', { state: 'closed' }))
        .statusCode,
      404,
    );
    // Customers may not use the console.
    assert.equal((await o.who.b.get('/staff/support/repairs')).statusCode, 403);
  });
});
