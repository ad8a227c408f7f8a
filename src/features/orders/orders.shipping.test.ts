// Shipping with tracking (issue 11, point 8): the staff's ship action takes the carrier, the tracking number and the
// serial number of every hardware unit, refuses bad input in one pass (in the staff member's language) without
// changing anything, and then marks the order shipped and mails the customer the tracking link; the customer's
// order page shows the shipped step of its timeline with that link.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { deliverMail, placeOrder, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';

const TRACKING_URL = 'https://paketbote.example/sendungsverfolgung?nr=00340434161234567890';

describeEachDatabase('shipping an order with tracking', (db) => {
  let h: Harness;
  let staff: Account;
  before(async () => {
    h = await openHarness(db, { seed: true });
    staff = await staffMember(h);
  });
  after(() => h.close());

  const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] as string;
  const orderRow = (id: string) =>
    h.deps.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const mailsTo = async (email: string) => {
    await deliverMail(h);
    return h.mailer.to(email);
  };

  test('the ship form refuses a missing carrier, a bad tracking number and a bad serial number at once, in English and German, and changes nothing', async () => {
    const customer = await signedIn(h, { name: 'Rita Refused' });
    const order = await placeOrder(h, customer.b, ['padgrid']);
    const page = await staff.b.get(`/staff/orders/${order.id}`);
    assert.match(page.body, /action="\/staff\/orders\/[^"]+\/ship"/);
    assert.match(page.body, /<option value="paketbote"/);
    // Hardware leaves only through the ship form: the plain status change neither offers nor accepts "shipped".
    assert.doesNotMatch(page.body, /<option value="shipped">/);
    const plain = await staff.b.submit(`/staff/orders/${order.id}`, `/staff/orders/${order.id}/status`, {
      status: 'shipped',
    });
    assert.equal(plain.statusCode, 409);
    assert.match(plain.body, /shipped with the ship form/);

    const bad = { carrier: '', tracking: 'a b', 'serial.0': 'nope' };
    const en = await staff.b.submit(`/staff/orders/${order.id}`, `/staff/orders/${order.id}/ship`, bad);
    assert.equal(en.statusCode, 400);
    assert.match(en.body, /Please correct the marked fields/);
    assert.match(en.body, /Choose the carrier of the parcel/);
    assert.match(en.body, /Enter the tracking number as the carrier prints it/);
    assert.match(en.body, /A serial number looks like TF-2026-AB12CD/);
    assert.match(en.body, /id="ship-tracking"[^>]*value="a b"/, 'what was typed is kept');

    const form = await staff.b.get(`/staff/orders/${order.id}`, { 'accept-language': 'de' });
    const de = await staff.b.post(
      `/staff/orders/${order.id}/ship`,
      { _csrf: csrfOf(form.body), carrier: 'unknown', tracking: '', 'serial.0': 'TF-2026-DE0001' },
      { 'accept-language': 'de' },
    );
    assert.equal(de.statusCode, 400);
    assert.match(de.body, /Bitte korrigieren Sie die markierten Felder/);
    assert.match(de.body, /Wählen Sie den Versanddienstleister/);
    assert.match(de.body, /Geben Sie die Sendungsnummer des Pakets ein/);

    const row = await orderRow(order.id);
    assert.equal(row.status, 'paid');
    assert.equal(row.tracking_number, null);
    assert.equal(
      (await h.deps.db.selectFrom('order_serials').select('id').where('order_id', '=', order.id).execute()).length,
      0,
      'no serial number recorded either',
    );
    assert.ok(!(await mailsTo(customer.email)).some((m) => /shipped/i.test(m.subject)), 'no shipping mail');
  });

  test('shipping records carrier, tracking number and serials, mails the customer the tracking link and shows it in the timeline', async () => {
    const customer = await signedIn(h, { name: 'Sven Shipped' });
    const order = await placeOrder(h, customer.b, ['padgrid']);
    h.clock.advance(3_600_000);
    const shipped = await staff.b.submit(`/staff/orders/${order.id}`, `/staff/orders/${order.id}/ship`, {
      carrier: 'paketbote',
      tracking: '0034 0434 1612 3456 7890',
      'serial.0': 'tf-2026-shp001',
    });
    assert.equal(shipped.statusCode, 303, shipped.body);

    const row = await orderRow(order.id);
    assert.equal(row.status, 'shipped');
    assert.equal(row.carrier, 'paketbote');
    assert.equal(row.tracking_number, '00340434161234567890');
    const serials = await h.deps.db
      .selectFrom('order_serials')
      .select('serial')
      .where('order_id', '=', order.id)
      .execute();
    assert.deepEqual(serials, [{ serial: 'TF-2026-SHP001' }]);

    const staffPage = (await staff.b.get(`/staff/orders/${order.id}`)).body;
    assert.match(
      staffPage,
      /Shipped with Paketbote Beispiel \(demo carrier\), tracking number <code>00340434161234567890<\/code>/,
    );
    assert.doesNotMatch(staffPage, /action="\/staff\/orders\/[^"]+\/ship"/, 'no second shipping');

    const mail = (await mailsTo(customer.email)).find(
      (m) => m.subject === `Your order ${String(order.number)} has shipped`,
    );
    assert.ok(mail, 'the shipping mail');
    assert.match(mail.text, /on its way to you with Paketbote Beispiel \(demo carrier\)/);
    assert.match(mail.text, /Tracking number\s+00340434161234567890/);
    assert.ok(mail.text.includes(`Track your parcel:\n${TRACKING_URL}`), mail.text);
    assert.match(mail.text, /1 ×/);
    if (mail.html !== undefined) assert.ok(mail.html.includes(`href="${TRACKING_URL}"`), 'the link in the HTML part');

    const customerPage = (await customer.b.get(`/account/orders/${order.id}`)).body;
    const timeline = /<ol class="order-timeline">([\s\S]*?)<\/ol>/.exec(customerPage)?.[1] ?? '';
    assert.match(timeline, /<strong>Order placed<\/strong>/);
    assert.match(timeline, /<strong>Payment received<\/strong>/);
    assert.match(
      timeline,
      /<li aria-current="step"><strong>Shipped<\/strong> <time datetime="[^"]+">29 Nov 2026, 12:00 CET<\/time>/,
    );
    assert.ok(timeline.includes(`<a href="${TRACKING_URL}"`), 'the tracking link in the timeline');
    const german = (await customer.b.get(`/account/orders/${order.id}`, { 'accept-language': 'de' })).body;
    assert.match(german, /<strong>Versandt<\/strong> <time datetime="[^"]+">29\.11\.2026, 12:00 MEZ<\/time>/);
    assert.match(german, />Sendung verfolgen<\/a>/);

    assert.deepEqual((await customer.b.api('GET', `/api/v1/orders/${order.id}`)).json().tracking, {
      carrier: 'Paketbote Beispiel (demo carrier)',
      number: '00340434161234567890',
      url: TRACKING_URL,
    });

    // Shipping twice is refused; nothing changes and no second mail goes out.
    const again = await staff.b.submit(`/staff/orders/${order.id}`, `/staff/orders/${order.id}/ship`, {
      carrier: 'paketbote',
      tracking: '00340434169999999999',
      'serial.0': 'TF-2026-SHP001',
    });
    assert.equal(again.statusCode, 409);
    assert.equal((await orderRow(order.id)).tracking_number, '00340434161234567890');
    assert.equal((await mailsTo(customer.email)).filter((m) => /has shipped/.test(m.subject)).length, 1);
  });

  test('a German customer gets the shipping mail in German', async () => {
    const customer = await signedIn(h, { name: 'Greta Geschickt' });
    await h.deps.db.updateTable('users').set({ lang: 'de' }).where('id', '=', customer.id).execute();
    const order = await placeOrder(h, customer.b, ['padgrid']);
    const res = await staff.b.submit(`/staff/orders/${order.id}`, `/staff/orders/${order.id}/ship`, {
      carrier: 'paketbote',
      tracking: 'JJD000390007',
      'serial.0': 'TF-2026-GER001',
    });
    assert.equal(res.statusCode, 303, res.body);
    const mail = (await mailsTo(customer.email)).find((m) => m.subject.startsWith('Versandbestätigung'));
    assert.ok(mail, 'the German shipping mail');
    assert.equal(mail.subject, `Versandbestätigung zu Ihrer Bestellung ${String(order.number)}`);
    assert.match(mail.text, /Sendungsnummer\s+JJD000390007/);
    assert.match(mail.text, /Sendung verfolgen:\nhttps:\/\/paketbote\.example\/sendungsverfolgung\?nr=JJD000390007/);
  });

  test('a serial number already sold with another order is refused at its field', async () => {
    const first = await signedIn(h, { name: 'Erik Erster' });
    const one = await placeOrder(h, first.b, ['padgrid']);
    assert.equal(
      (
        await staff.b.submit(`/staff/orders/${one.id}`, `/staff/orders/${one.id}/ship`, {
          carrier: 'paketbote',
          tracking: 'TRACK000001',
          'serial.0': 'TF-2026-DUP001',
        })
      ).statusCode,
      303,
    );
    const second = await signedIn(h, { name: 'Zora Zweite' });
    const two = await placeOrder(h, second.b, ['padgrid']);
    const res = await staff.b.submit(`/staff/orders/${two.id}`, `/staff/orders/${two.id}/ship`, {
      carrier: 'paketbote',
      tracking: 'TRACK000002',
      'serial.0': 'TF-2026-DUP001',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, new RegExp(`already recorded for order ${String(one.number)}`));
    assert.equal((await orderRow(two.id)).status, 'paid');
  });
});
