import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY } from '../../platform/clock.ts';
import { runRetention } from '../../privacy/retention.ts';
import { asRole, placeOrder, productId, signedIn, staffMember } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { registrationsFeature } from './index.ts';
import { addAssignedByStaff } from './migrations/003-assigned-by-staff.ts';

describeEachDatabase('hardware registration', (db) => {
  let h: Harness;
  let seller: Browser;
  let buyer: Browser;
  let padgrid: string;
  before(async () => {
    h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    padgrid = (await new Browser(h.app).api('GET', '/api/v1/products/padgrid')).json().id;
    const browsers: Browser[] = [];
    for (const email of ['seller@example.org', 'buyer2@example.org']) {
      const b = new Browser(h.app);
      await b.api('POST', '/api/v1/accounts', { name: email.split('@')[0], email, password: 'plum orchard sunrise' });
      const login = await b.api('POST', '/api/v1/sessions', { email, password: 'plum orchard sunrise' });
      assert.ok(login.statusCode < 300, login.body);
      browsers.push(b);
    }
    [seller, buyer] = browsers as [Browser, Browser];
  });
  after(() => h.close());

  test('a serial number is validated and belongs to one account until released on resale', async () => {
    assert.equal(
      (await seller.api('POST', '/api/v1/registrations', { productId: padgrid, serial: 'nonsense' })).statusCode,
      400,
    );
    const aurora = (await seller.api('GET', '/api/v1/products/aurora-synth')).json().id;
    assert.equal(
      (await seller.api('POST', '/api/v1/registrations', { productId: aurora, serial: 'TF-2026-AB12CD' })).statusCode,
      400,
      'software has no serial',
    );
    const reg = await seller.api('POST', '/api/v1/registrations', { productId: padgrid, serial: 'tf-2026-ab12cd' });
    assert.equal(reg.statusCode, 201);
    assert.equal(reg.json().serial, 'TF-2026-AB12CD');
    const taken = await buyer.api('POST', '/api/v1/registrations', { productId: padgrid, serial: 'TF-2026-AB12CD' });
    assert.equal(taken.statusCode, 202, 'a registered serial number goes to review, it is not "taken"');
    assert.equal(taken.json().status, 'under_review');
    assert.deepEqual((await buyer.api('GET', '/api/v1/me/registrations')).json().items, []);
    assert.equal(
      (await buyer.api('DELETE', `/api/v1/registrations/${reg.json().id}`)).statusCode,
      404,
      'only the owner releases',
    );
    assert.equal((await seller.api('DELETE', `/api/v1/registrations/${reg.json().id}`)).statusCode, 204);
    assert.equal(
      (await buyer.api('POST', '/api/v1/registrations', { productId: padgrid, serial: 'TF-2026-AB12CD' })).statusCode,
      201,
    );
    assert.deepEqual((await seller.api('GET', '/api/v1/me/registrations')).json().items, []);
    assert.equal((await buyer.api('GET', '/api/v1/me/registrations')).json().items[0].serial, 'TF-2026-AB12CD');
  });

  test('the account page registers and releases without JavaScript; a disputed serial number is under review; staff see the list', async () => {
    const done = await seller.submit('/account/products', '/account/products/registrations', {
      productId: padgrid,
      serial: 'TF-2025-ZZ99YY',
    });
    assert.equal(done.statusCode, 303);
    const page = await seller.get('/account/products');
    assert.match(page.body, /TF-2025-ZZ99YY/);
    // A serial number registered to another account (here, not by an earlier test) is disputed.
    assert.equal(
      (await buyer.api('POST', '/api/v1/registrations', { productId: padgrid, serial: 'TF-2026-EF34GH' })).statusCode,
      201,
    );
    const bad = await seller.submit('/account/products', '/account/products/registrations', {
      productId: padgrid,
      serial: 'TF-2026-EF34GH',
    });
    assert.match((await seller.get(bad.headers.location as string)).body, /We are checking this registration/);
    assert.equal((await seller.get('/staff/registrations')).statusCode, 403);
    await asRole(h, { b: seller, email: 'seller@example.org' }, 'staff');
    assert.match((await seller.get('/staff/registrations')).body, /TF-2025-ZZ99YY/);
  });
});

describeEachDatabase(
  'hardware sold here: serial numbers recorded at shipping, registration by the buyer, staff review',
  (db) => {
    let h: Harness;
    let buyer: Browser;
    let stranger: Browser;
    let staff: Browser;
    let padgrid: string;
    let buyerOrder: { id: string; number: string };
    let strangerOrder: { id: string; number: string };
    const A = 'TF-2026-AAAAA1';
    const B = 'TF-2026-BBBBB2';
    const password = 'plum orchard sunrise';
    const register = (
      b: Browser,
      serial: string,
      extra: Record<string, string> = {},
      headers: Record<string, string> = {},
    ) => b.api('POST', '/api/v1/registrations', { productId: padgrid, serial, ...extra }, headers);
    const serialsOf = async (b: Browser) =>
      ((await b.api('GET', '/api/v1/me/registrations')).json().items as { serial: string }[])
        .map((r) => r.serial)
        .sort();

    before(async () => {
      h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
      padgrid = (await new Browser(h.app).api('GET', '/api/v1/products/padgrid')).json().id;
      const signUp = async (email: string) => {
        const b = new Browser(h.app);
        await b.api('POST', '/api/v1/accounts', { name: email.split('@')[0], email, password });
        await h.deps.db
          .updateTable('users')
          .set({ email_verified_at: h.clock.now() })
          .where('email', '=', email)
          .execute();
        await b.api('POST', '/api/v1/sessions', { email, password });
        return b;
      };
      const order = async (b: Browser, quantity: number, key: string) => {
        await b.api('POST', '/api/v1/basket/items', { productId: padgrid, quantity });
        const res = await b.api(
          'POST',
          '/api/v1/orders',
          {
            billingAddress: {
              name: 'Pat Buyer',
              street: 'Hauptstr. 1',
              postalCode: '10115',
              city: 'Berlin',
              country: 'DE',
            },
            payment: { method: 'wallet' },
          },
          { 'idempotency-key': key },
        );
        assert.equal(res.statusCode, 201, res.body);
        return res.json() as { id: string; number: string };
      };
      buyer = await signUp('pat@example.org');
      stranger = await signUp('sly@example.org');
      staff = await signUp('sam@example.org');
      await asRole(h, { b: staff, email: 'sam@example.org' }, 'staff');
      buyerOrder = await order(buyer, 2, 'serials-buyer-1');
      strangerOrder = await order(stranger, 1, 'serials-stranger-1');
      // Before the shop recorded it, B was nobody's sale: a free serial number not sold here registers at once.
      assert.equal((await register(stranger, B)).statusCode, 201);
    });
    after(() => h.close());

    test('staff record one valid serial number per hardware unit on the order page, unique among the units sold', async () => {
      const page = await staff.get(`/staff/orders/${buyerOrder.id}`);
      assert.match(page.body, /name="serial\.0"/);
      assert.match(page.body, /name="serial\.1"/);
      assert.doesNotMatch(page.body, /name="serial\.2"/, 'one field per unit');
      const action = `/staff/orders/${buyerOrder.id}/serials`;
      const invalid = await staff.submit(`/staff/orders/${buyerOrder.id}`, action, {
        'serial.0': 'nonsense',
        'serial.1': '',
      });
      assert.equal(invalid.statusCode, 400);
      assert.match(invalid.body, /A serial number looks like TF-2026-AB12CD/);
      const twice = await staff.submit(`/staff/orders/${buyerOrder.id}`, action, {
        'serial.0': A,
        'serial.1': A.toLowerCase(),
      });
      assert.equal(twice.statusCode, 400);
      assert.match(twice.body, /entered twice/);
      assert.equal(
        (
          await staff.submit(`/staff/orders/${buyerOrder.id}`, action, {
            'serial.0': A.toLowerCase(),
            'serial.1': ` ${B} `,
          })
        ).statusCode,
        303,
      );
      const rows = await h.deps.db
        .selectFrom('order_serials')
        .select(['serial', 'order_id', 'line_no'])
        .orderBy('serial')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.serial, r.order_id, Number(r.line_no)]),
        [
          [A, buyerOrder.id, 0],
          [B, buyerOrder.id, 0],
        ],
      );
      assert.match((await staff.get(`/staff/orders/${buyerOrder.id}`)).body, new RegExp(`value="${A}"`));
      const elsewhere = await staff.submit(
        `/staff/orders/${strangerOrder.id}`,
        `/staff/orders/${strangerOrder.id}/serials`,
        { 'serial.0': A },
      );
      assert.equal(elsewhere.statusCode, 400);
      assert.match(elsewhere.body, new RegExp(`already recorded for order ${buyerOrder.number}`));
      assert.equal(
        (await buyer.submit('/account/products', action, { 'serial.0': A, 'serial.1': B })).statusCode,
        403,
        'staff only',
      );
    });

    test("a stranger's attempt to register a unit sold to someone else goes to review, not to the stranger, and the buyer still registers it", async () => {
      const attempt = await register(stranger, A);
      assert.equal(attempt.statusCode, 202);
      assert.deepEqual(attempt.json(), {
        status: 'under_review',
        message:
          'Thank you. We are checking this registration and will add the device to your account if it is yours. If you bought it from us, enter your order number as proof.',
      });
      const german = await register(stranger, A, {}, { 'accept-language': 'de' });
      assert.equal(german.statusCode, 202);
      assert.match(german.json().message, /^Danke\. Wir prüfen diese Registrierung/);
      assert.deepEqual(await serialsOf(stranger), [B]);
      const queue = await staff.get('/staff/registrations/reviews');
      assert.match(queue.body, new RegExp(`<code>${A}</code>`));
      assert.match(queue.body, /sold to another customer/);
      assert.equal(
        (await h.deps.db.selectFrom('registration_reviews').selectAll().where('serial', '=', A).execute()).length,
        1,
        'a repeated attempt is one review',
      );
      const mine = await register(buyer, A);
      assert.equal(mine.statusCode, 201);
      assert.deepEqual(await serialsOf(buyer), [A]);
    });

    test('the buyer claims a unit registered to someone else with the number of the order that holds its serial number', async () => {
      // B is registered to the stranger (from before the shop recorded it). Disputed: review, not "taken".
      const plain = await register(buyer, B);
      assert.equal(plain.statusCode, 202);
      assert.equal(
        plain.json().message,
        (await register(stranger, A)).json().message,
        'the same neutral answer in every disputed case',
      );
      assert.equal(
        (await register(buyer, B, { orderNumber: strangerOrder.number })).statusCode,
        202,
        "another person's order proves nothing",
      );
      assert.equal((await register(buyer, B, { orderNumber: 'x' })).statusCode, 400);
      const claim = await register(buyer, B, { orderNumber: buyerOrder.number.toLowerCase() });
      assert.equal(claim.statusCode, 201);
      assert.deepEqual(await serialsOf(buyer), [A, B]);
      assert.deepEqual(await serialsOf(stranger), [], 'the other registration is released');
      assert.deepEqual(
        await h.deps.db.selectFrom('registration_reviews').select('user_id').where('serial', '=', B).execute(),
        [],
        "the buyer's own review is settled",
      );
      const form = await buyer.submit('/account/products', '/account/products/registrations', {
        productId: padgrid,
        serial: 'TF-2026-CCCCC3',
        orderNumber: '',
      });
      assert.equal(form.headers.location, '/account/products?notice=registered');
    });

    test('staff assign or reject reviews on /staff/registrations/reviews; a claim does not undo a staff decision', async () => {
      assert.equal((await stranger.get('/staff/registrations')).statusCode, 403);
      const review = await h.deps.db
        .selectFrom('registration_reviews')
        .selectAll()
        .where('serial', '=', A)
        .where('resolved_at', 'is', null)
        .executeTakeFirstOrThrow();
      const action = `/staff/registrations/reviews/${review.id}`;
      assert.equal((await stranger.submit('/account/products', action, { decision: 'assign' })).statusCode, 403);
      assert.equal((await staff.submit('/staff/registrations/reviews', action, { decision: 'maybe' })).statusCode, 400);
      assert.equal(
        (await staff.submit('/staff/registrations/reviews', action, { decision: 'assign' })).statusCode,
        303,
      );
      assert.deepEqual(await serialsOf(stranger), [A]);
      assert.deepEqual(await serialsOf(buyer), [B, 'TF-2026-CCCCC3']);
      const again = await staff.submit('/staff/registrations/reviews', action, { decision: 'reject' });
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /decided meanwhile/);

      assert.equal(
        (await register(buyer, A, { orderNumber: buyerOrder.number })).statusCode,
        202,
        'after a staff decision, only staff decide again',
      );
      const claim = await h.deps.db
        .selectFrom('registration_reviews')
        .selectAll()
        .where('serial', '=', A)
        .where('resolved_at', 'is', null)
        .executeTakeFirstOrThrow();
      assert.equal(claim.order_number, buyerOrder.number);
      const de = await staff.get('/staff/registrations/reviews', { 'accept-language': 'de' });
      assert.match(de.body, /Zu prüfen/);
      assert.equal(
        (
          await staff.submit('/staff/registrations/reviews', `/staff/registrations/reviews/${claim.id}`, {
            decision: 'reject',
          })
        ).statusCode,
        303,
      );
      assert.deepEqual(await serialsOf(stranger), [A]);
      assert.match((await staff.get('/staff/registrations/reviews')).body, /No disputed registrations/);
    });

    test('once the buyer releases a unit sold here (sold on), the next owner registers it without review', async () => {
      const held = (
        (await buyer.api('GET', '/api/v1/me/registrations')).json().items as { id: string; serial: string }[]
      ).find((r) => r.serial === B)!;
      assert.equal((await buyer.api('DELETE', `/api/v1/registrations/${held.id}`)).statusCode, 204);
      assert.equal((await register(stranger, B)).statusCode, 201);
      assert.equal(
        (await register(buyer, B, { orderNumber: buyerOrder.number })).statusCode,
        202,
        'the seller cannot take it back by the order number',
      );
    });

    test('a unit of a refunded order counts as not sold here and can be recorded for another order; a refunded order takes no serial numbers', async () => {
      const D = 'TF-2025-DDDDD4';
      const strangerPage = `/staff/orders/${strangerOrder.id}`;
      assert.equal((await staff.submit(strangerPage, `${strangerPage}/serials`, { 'serial.0': D })).statusCode, 303);
      assert.equal((await register(buyer, D)).statusCode, 202, 'sold to the stranger');
      assert.equal(
        (await staff.submit(strangerPage, `${strangerPage}/refund`, { scope: 'full', confirm: 'yes' })).statusCode,
        303,
      );
      const late = await staff.submit(strangerPage, `${strangerPage}/serials`, { 'serial.0': D });
      assert.equal(late.statusCode, 409);
      assert.match(late.body, /recorded when a paid order ships/);
      assert.doesNotMatch((await staff.get(strangerPage)).body, /name="serial\.0"/, 'no form on a refunded order');
      const buyerPage = `/staff/orders/${buyerOrder.id}`;
      assert.equal(
        (await staff.submit(buyerPage, `${buyerPage}/serials`, { 'serial.0': A, 'serial.1': D })).statusCode,
        303,
      );
      assert.deepEqual(
        (await h.deps.db.selectFrom('order_serials').select('order_id').where('serial', '=', D).execute()).map(
          (r) => r.order_id,
        ),
        [buyerOrder.id],
      );
    });

    test('a staff decision outlives the retention of its review: after the decided review is deleted, the order number still does not override it', async () => {
      // Its own harness, so that it runs alone too: A is recorded on the buyer's order and assigned by staff to the
      // stranger, as in the story above.
      const own = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
      try {
        const [pat, sly, sam] = [await signedIn(own), await signedIn(own), await staffMember(own)];
        const pad = await productId(own, 'padgrid');
        const add = (b: Browser, extra: Record<string, string> = {}) =>
          b.api('POST', '/api/v1/registrations', { productId: pad, serial: A, ...extra });
        const serials = async (b: Browser) =>
          ((await b.api('GET', '/api/v1/me/registrations')).json().items as { serial: string }[]).map((r) => r.serial);
        const order = await placeOrder(own, pat.b, ['padgrid']);
        const page = `/staff/orders/${order.id}`;
        assert.equal((await sam.b.submit(page, `${page}/serials`, { 'serial.0': A })).statusCode, 303);
        assert.equal((await add(sly.b)).statusCode, 202);
        const review = await own.deps.db
          .selectFrom('registration_reviews')
          .select('id')
          .where('serial', '=', A)
          .executeTakeFirstOrThrow();
        const decided = await sam.b.submit('/staff/registrations', `/staff/registrations/reviews/${review.id}`, {
          decision: 'assign',
        });
        assert.equal(decided.statusCode, 303);
        assert.deepEqual(await serials(sly.b), [A]);

        own.clock.set(own.clock.now() + 91 * DAY);
        await runRetention(own.deps);
        assert.deepEqual(
          await own.deps.db.selectFrom('registration_reviews').select('id').where('serial', '=', A).execute(),
          [],
          'the decided reviews are gone',
        );
        for (const p of [pat, sly])
          assert.ok(
            (await p.b.api('POST', '/api/v1/sessions', { email: p.email, password: p.password })).statusCode < 300,
          );
        assert.equal(
          (await add(pat.b, { orderNumber: String(order.number) })).statusCode,
          202,
          'only staff decide again',
        );
        assert.deepEqual(await serials(sly.b), [A]);
        assert.deepEqual(await serials(pat.b), []);
      } finally {
        await own.close();
      }
    });
  },
);

describeEachDatabase('registrations migrations', (db) => {
  test('the migrations keep their ids, and existing staff assignments are carried onto the registrations before their reviews expire', async () => {
    assert.deepEqual(
      registrationsFeature.migrations?.map((m) => m.id),
      ['registrations.001-hardware', 'registrations.002-reviews', 'registrations.003-assigned-by-staff'],
    );
    const h = await openHarness(db);
    try {
      // The table as it was before the migration.
      await h.deps.db.schema.alterTable('hardware_registrations').dropColumn('assigned_by_staff').execute();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows in the old shape
      const raw = h.deps.db as any;
      const reg = (id: string, user: string, serial: string, at: number, released: number | null = null) => ({
        id,
        user_id: user,
        product_id: 'p',
        serial,
        registered_at: at,
        released_at: released,
      });
      await raw
        .insertInto('hardware_registrations')
        .values([
          reg('assigned', 'u1', 'TF-2026-AAAAA1', 100),
          reg('claimed', 'u2', 'TF-2026-BBBBB2', 100),
          reg('older', 'u3', 'TF-2026-CCCCC3', 500),
        ])
        .execute();
      const review = (
        id: string,
        user: string,
        serial: string,
        resolution: string | null,
        resolvedAt: number | null,
      ) => ({
        id,
        user_id: user,
        product_id: 'p',
        serial,
        reason: 'registered-to-another',
        order_number: null,
        created_at: 50,
        resolved_at: resolvedAt,
        resolution,
      });
      await raw
        .insertInto('registration_reviews')
        .values([
          review('r1', 'u1', 'TF-2026-AAAAA1', 'assigned', 100),
          review('r2', 'u2', 'TF-2026-BBBBB2', 'rejected', 100),
          review('r3', 'u3', 'TF-2026-CCCCC3', 'assigned', 400), // assigned before this registration: an earlier one
        ])
        .execute();
      await addAssignedByStaff.up(h.deps.db, h.deps.dbKind);
      const rows = await h.deps.db
        .selectFrom('hardware_registrations')
        .select(['id', 'assigned_by_staff'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.id, Number(r.assigned_by_staff)]),
        [
          ['assigned', 1],
          ['claimed', 0],
          ['older', 0],
        ],
      );
    } finally {
      await h.close();
    }
  });
});
