// The checkout's address part, the address book and VAT by destination (issue 11, points 3 and 3a): prefill,
// a country select, the shipping address only when wanted, every error in one answer, saved addresses, and the
// VAT of the customer's country on the checkout, in the API and on the invoice.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BERLIN, fillBasket, placeOrder, signedIn, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { rememberCheckoutAddresses } from './addresses.service.ts';

const VIENNA = { name: 'Anna Alpen', street: 'Ringstraße 5', postalCode: '1010', city: 'Wien', country: 'AT' };

const pdftotextMissing: string | false =
  spawnSync('pdftotext', ['-v']).error && process.env.CI !== 'true'
    ? 'pdftotext is not installed (apt-get install -y poppler-utils)'
    : false;

/** The value of a form field on a page: an input's value, or the selected option of a select. */
function fieldValue(page: string, name: string): string | undefined {
  const input = new RegExp(`<input[^>]*name="${name.replace('.', '\\.')}"[^>]*value="([^"]*)"`).exec(page);
  if (input) return input[1];
  const select = new RegExp(`<select[^>]*name="${name.replace('.', '\\.')}"[^>]*>([\\s\\S]*?)</select>`).exec(page);
  return select ? /<option value="([^"]+)" selected>/.exec(select[1] as string)?.[1] : undefined;
}

const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] as string;
const formKeyOf = (page: string) => /name="formKey" value="([^"]+)"/.exec(page)?.[1] as string;

const billingFields = (a: Record<string, string>, prefix = 'billingAddress') =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [`${prefix}.${k}`, v]));

describeEachDatabase('checkout addresses, address book and VAT by destination', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, {
      seed: true,
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' },
    });
  });
  after(() => h.close());

  /** Sends the checkout form as loaded, with these fields (terms and the digital-content consent given). */
  async function submitCheckout(customer: Account, fields: Record<string, string>, lang: 'en' | 'de' = 'en') {
    const page = await customer.b.get('/checkout', { 'accept-language': lang });
    assert.equal(page.statusCode, 200, page.body);
    return customer.b.post(
      '/checkout',
      {
        _csrf: csrfOf(page.body),
        formKey: formKeyOf(page.body),
        acceptTerms: '1',
        digitalConsent: '1',
        ...fields,
      },
      { 'accept-language': lang },
    );
  }

  const ordersOf = (userId: string) =>
    h.deps.db.selectFrom('orders').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();

  test('the country is a select of the countries sold to, named in the page’s language, starting at the operator’s country', async () => {
    const customer = await signedIn(h);
    await fillBasket(h, customer.b, ['aurora-synth']);
    const en = (await customer.b.get('/checkout', { 'accept-language': 'en' })).body;
    const de = (await customer.b.get('/checkout', { 'accept-language': 'de' })).body;
    for (const page of [en, de]) {
      assert.match(
        page,
        /<select id="f-billingAddress-country" name="billingAddress\.country" autocomplete="billing country">/,
      );
      assert.equal(fieldValue(page, 'billingAddress.country'), 'DE', 'the operator’s country first');
      assert.doesNotMatch(page, /two letters|zwei Buchstaben/);
    }
    assert.match(de, /<option value="DE" selected>Deutschland<\/option>/);
    assert.match(de, /<option value="AT">Österreich<\/option>/);
    assert.match(en, /<option value="DE" selected>Germany<\/option>/);
    assert.match(en, /<option value="AT">Austria<\/option>/);
    // In alphabetical order of the page's language: Österreich after Niederlande in German, Austria first in English.
    assert.ok(de.indexOf('>Niederlande<') < de.indexOf('>Österreich<'));
    assert.ok(en.indexOf('>Austria<') < en.indexOf('>Germany<'));
    // Only countries the shop sells to.
    assert.doesNotMatch(en, /<option value="US">/);
    // An operator in Austria: the checkout starts at Austria.
    const austrian = await h.reopen({ country: 'AT' });
    const there = new Browser(austrian.app, customer.b.ip);
    for (const [k, v] of customer.b
      .cookieHeader()
      .split('; ')
      .map((c) => c.split('=') as [string, string]))
      (there as unknown as { cookies: Map<string, string> }).cookies.set(k, v);
    const atPage = (await there.get('/checkout', { 'accept-language': 'de' })).body;
    assert.equal(fieldValue(atPage, 'billingAddress.country'), 'AT');
    assert.ok(atPage.includes('Enthaltene MwSt. (20 %, Österreich)'));
  });

  test('"Germany" typed into the API is refused with 400 and the code to send; nothing is ordered; codes still work', async () => {
    const customer = await signedIn(h);
    await fillBasket(h, customer.b, ['aurora-synth']);
    const send = (country: string, lang = 'en', key = `germany-${country}-${lang}`) =>
      customer.b.api(
        'POST',
        '/api/v1/orders',
        { billingAddress: { ...BERLIN, country }, payment: { method: 'wallet' } },
        { 'idempotency-key': `${key}-${customer.id}`, 'accept-language': lang },
      );
    const res = await send('Germany');
    assert.equal(res.statusCode, 400, res.body);
    const body = res.json();
    assert.equal(body.error.code, 'invalid_input');
    assert.equal(
      body.error.fields['billingAddress.country'],
      'Send the country as its two-letter ISO 3166-1 code: DE for Germany.',
    );
    const german = (await send('Deutschland', 'de')).json();
    assert.equal(
      german.error.fields['billingAddress.country'],
      'Geben Sie das Land als zweistelligen ISO-3166-1-Code an: DE für Deutschland.',
    );
    // A code of a country the shop does not sell to, and one that is no country.
    assert.match(
      (await send('US')).json().error.fields['billingAddress.country'],
      /We do not deliver to United States \(US\)/,
    );
    assert.equal((await send('XX')).statusCode, 400);
    assert.equal((await ordersOf(customer.id)).length, 0, 'nothing ordered');
    // Two letters, in either case, are accepted.
    const ok = await send('de');
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().billingAddress.country, 'DE');
  });

  test('every error of the checkout form comes in one answer: a summary linking to each field, each message beside its field, nothing typed lost', async () => {
    const customer = await signedIn(h);
    await fillBasket(h, customer.b, ['keystep-49']);
    for (const lang of ['en', 'de'] as const) {
      const res = await submitCheckout(
        customer,
        {
          'billingAddress.name': '',
          'billingAddress.street': 'Lindenallee 3',
          'billingAddress.postalCode': '10!15',
          'billingAddress.city': 'Berlin',
          'billingAddress.country': 'AT',
          shipElsewhere: '1',
          'shippingAddress.name': 'Paul Paket',
          'shippingAddress.street': 'Hafenweg 9',
          'shippingAddress.postalCode': '20095',
          'shippingAddress.city': '',
          'shippingAddress.country': 'DE',
        },
        lang,
      );
      assert.equal(res.statusCode, 400, res.body);
      const page = res.body;
      const summary = /<div class="error-summary"[^>]*>([\s\S]*?)<\/div>/.exec(page)?.[1] ?? '';
      // Four problems, listed once, in the form's order, each a link to its field.
      const links = [...summary.matchAll(/<a href="#([^"]+)">/g)].map((m) => m[1]);
      assert.deepEqual(links, [
        'f-billingAddress-name',
        'f-billingAddress-postalCode',
        'f-shippingAddress-city',
        'f-payment-method',
      ]);
      assert.match(summary, lang === 'en' ? /There are 4 problems to correct/ : /Bitte korrigieren Sie 4 Angaben/);
      assert.ok(
        summary.includes(
          lang === 'en'
            ? 'Billing address: Postal code: Enter a valid postal code.'
            : 'Rechnungsadresse: Postleitzahl: Geben Sie eine gültige Postleitzahl ein.',
        ),
        summary,
      );
      // Each field: its message beside it, tied to it.
      for (const id of ['f-billingAddress-name', 'f-billingAddress-postalCode', 'f-shippingAddress-city']) {
        assert.match(page, new RegExp(`<p class="field-error" id="${id}-error">`));
        assert.match(page, new RegExp(`id="${id}"[^>]*aria-invalid="true" aria-describedby="${id}-error"`));
      }
      assert.match(page, /<fieldset id="f-payment-method" aria-describedby="f-payment-method-error">/);
      // What was typed is all there, the choice of countries and "ship elsewhere" included.
      assert.equal(fieldValue(page, 'billingAddress.street'), 'Lindenallee 3');
      assert.equal(fieldValue(page, 'billingAddress.postalCode'), '10!15');
      assert.equal(fieldValue(page, 'billingAddress.country'), 'AT');
      assert.equal(fieldValue(page, 'shippingAddress.name'), 'Paul Paket');
      assert.equal(fieldValue(page, 'shippingAddress.country'), 'DE');
      assert.match(page, /id="f-ship-elsewhere" type="checkbox" name="shipElsewhere" value="1" checked/);
    }
    assert.equal((await ordersOf(customer.id)).length, 0);
  });

  test('the shipping address counts only when "ship to a different address" is ticked; downloads alone have none', async () => {
    const customer = await signedIn(h);
    await fillBasket(h, customer.b, ['keystep-49']);
    const page = (await customer.b.get('/checkout')).body;
    // Unticked at first; the fieldset is hidden by the stylesheet while the box is unticked (no JavaScript).
    assert.match(page, /id="f-ship-elsewhere" type="checkbox" name="shipElsewhere" value="1" aria-controls/);
    assert.match(page, /<fieldset class="shipping-address" id="f-shipping-address">/);
    const css = (await customer.b.get('/assets/site.css')).body;
    assert.ok(css.includes('.checkout-form:has(#f-ship-elsewhere:not(:checked)) .shipping-address { display: none; }'));
    const elsewhere = {
      'shippingAddress.name': 'Paul Paket',
      'shippingAddress.street': 'Hafenweg 9',
      'shippingAddress.postalCode': '', // incomplete: would be an error if it counted
      'shippingAddress.city': 'Hamburg',
      'shippingAddress.country': 'DE',
    };
    const ignored = await submitCheckout(customer, {
      ...billingFields(BERLIN),
      ...elsewhere,
      'payment.method': 'wallet',
    });
    assert.equal(ignored.statusCode, 303, ignored.body);
    const [first] = await ordersOf(customer.id);
    assert.deepEqual(JSON.parse(first!.shipping), BERLIN, 'shipped to the billing address');
    // Ticked: the shipping address is used.
    await fillBasket(h, customer.b, ['keystep-49']);
    const used = await submitCheckout(customer, {
      ...billingFields(BERLIN),
      ...elsewhere,
      'shippingAddress.postalCode': '20095',
      shipElsewhere: '1',
      'payment.method': 'wallet',
    });
    assert.equal(used.statusCode, 303, used.body);
    const second = (await ordersOf(customer.id))[1];
    assert.equal(JSON.parse(second!.shipping).city, 'Hamburg');
    // Software alone: nothing to ship, no shipping address asked.
    const digital = await signedIn(h);
    await fillBasket(h, digital.b, ['aurora-synth']);
    const digitalPage = (await digital.b.get('/checkout')).body;
    assert.doesNotMatch(digitalPage, /shipElsewhere|shippingAddress\./);
  });

  test('the checkout is prefilled from the last order, then from the default address of the address book', async () => {
    const customer = await signedIn(h, { name: 'Erika Erstkauf' });
    // A first order: the account's name as the billing name, the country; nothing else.
    await fillBasket(h, customer.b, ['aurora-synth']);
    const empty = (await customer.b.get('/checkout')).body;
    assert.equal(fieldValue(empty, 'billingAddress.name'), 'Erika Erstkauf');
    assert.equal(fieldValue(empty, 'billingAddress.street'), '');
    assert.equal(fieldValue(empty, 'billingAddress.country'), 'DE');
    await placeOrder(h, customer.b, ['keystep-49']); // BERLIN, by the API
    await fillBasket(h, customer.b, ['aurora-synth']);
    const fromLast = (await customer.b.get('/checkout')).body;
    for (const [k, v] of Object.entries(BERLIN)) assert.equal(fieldValue(fromLast, `billingAddress.${k}`), v, k);
    // A default billing address in the book wins over the last order.
    const saved = await customer.b.submit('/account/addresses/new', '/account/addresses', {
      ...billingFields(VIENNA, 'address'),
      defaultBilling: '1',
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const fromBook = (await customer.b.get('/checkout')).body;
    for (const [k, v] of Object.entries(VIENNA)) assert.equal(fieldValue(fromBook, `billingAddress.${k}`), v, k);
  });

  test('addresses are saved, changed, marked default and deleted in the account, and saved once from the checkout', async () => {
    const customer = await signedIn(h);
    const other = await signedIn(h);
    const book = () =>
      h.deps.db
        .selectFrom('address_book')
        .selectAll()
        .where('user_id', '=', customer.id)
        .orderBy('created_at')
        .execute();
    // A bad address: every problem at once, in German, nothing saved, nothing typed lost.
    const bad = await customer.b.submit('/account/addresses/new', '/account/addresses', {
      'address.name': '',
      'address.street': 'Ringstraße 5',
      'address.postalCode': '',
      'address.city': 'Wien',
      'address.country': 'Österreich',
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal((await book()).length, 0);
    assert.match(bad.body, /f-address-name-error/);
    assert.match(bad.body, /f-address-postalCode-error/);
    assert.equal(fieldValue(bad.body, 'address.street'), 'Ringstraße 5');
    // The first address becomes the default for both.
    assert.equal(
      (await customer.b.submit('/account/addresses/new', '/account/addresses', billingFields(VIENNA, 'address')))
        .statusCode,
      303,
    );
    let rows = await book();
    assert.equal(rows.length, 1);
    assert.equal(Number(rows[0]!.default_billing), 1);
    assert.equal(Number(rows[0]!.default_shipping), 1);
    const list = await customer.b.get('/account/addresses', { 'accept-language': 'de' });
    assert.match(list.body, /Ringstraße 5<br>1010 Wien<br>Österreich/);
    assert.match(list.body, /Standard-Rechnungsadresse/);
    // A second one, marked default shipping: the mark moves.
    await customer.b.submit('/account/addresses/new', '/account/addresses', {
      ...billingFields(BERLIN, 'address'),
      defaultShipping: '1',
    });
    rows = await book();
    const [vienna, berlin] = rows as [(typeof rows)[number], (typeof rows)[number]];
    assert.deepEqual(
      [Number(vienna.default_shipping), Number(berlin.default_shipping), Number(vienna.default_billing)],
      [0, 1, 1],
    );
    // Changed.
    const edit = await customer.b.submit(`/account/addresses/${berlin.id}`, `/account/addresses/${berlin.id}`, {
      ...billingFields({ ...BERLIN, street: 'Neue Straße 2' }, 'address'),
      defaultShipping: '1',
    });
    assert.equal(edit.statusCode, 303, edit.body);
    assert.equal((await book()).find((r) => r.id === berlin.id)?.street, 'Neue Straße 2');
    // Another customer can neither see, change nor delete it.
    assert.equal((await other.b.get(`/account/addresses/${berlin.id}`)).statusCode, 404);
    assert.equal(
      (await other.b.submit('/account/addresses', `/account/addresses/${berlin.id}/delete`, {})).statusCode,
      404,
    );
    // Deleted.
    const gone = await customer.b.submit('/account/addresses', `/account/addresses/${berlin.id}/delete`, {});
    assert.equal(gone.statusCode, 303);
    assert.deepEqual(
      (await book()).map((r) => r.id),
      [vienna.id],
    );
    // "Save this address" at the checkout: saved once, however often it is used.
    for (let i = 0; i < 2; i++) {
      await fillBasket(h, customer.b, ['aurora-synth']);
      const res = await submitCheckout(customer, {
        ...billingFields({ ...BERLIN, name: 'Berta Buch' }),
        saveAddress: '1',
        'payment.method': 'wallet',
      });
      assert.equal(res.statusCode, 303, res.body);
    }
    assert.deepEqual(
      (await book()).map((r) => r.name),
      [VIENNA.name, 'Berta Buch'],
    );
    // The address book's table is in the data map (every column classified: the data map test checks all tables).
    const map = h.deps.dataMap.tables.find((t) => t.table === 'address_book');
    assert.equal(map?.erasure?.action, 'delete');
  });

  test('"save this address" sent twice at once (a double submit) saves the address once, in one transaction', async () => {
    const customer = await signedIn(h);
    const billing = { name: 'Doppel Klick', street: 'Klickweg 2', postalCode: '10115', city: 'Berlin', country: 'DE' };
    const save = () =>
      rememberCheckoutAddresses(h.deps, customer.id, [
        { address: billing, kind: 'billing' },
        { address: VIENNA, kind: 'shipping' },
      ]);
    await Promise.all([save(), save(), save()]);
    const rows = await h.deps.db
      .selectFrom('address_book')
      .select(['street', 'default_billing', 'default_shipping'])
      .where('user_id', '=', customer.id)
      .orderBy('street')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.street, Number(r.default_billing), Number(r.default_shipping)]),
      [
        ['Klickweg 2', 1, 1],
        ['Ringstraße 5', 0, 0],
      ],
    );
  });

  test('addresses saved at the same moment keep the book’s limit and one default of each kind, with no error', async () => {
    const customer = await signedIn(h);
    const saves = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        customer.b.api('POST', '/api/v1/me/addresses', {
          ...BERLIN,
          street: `Gleichzeitweg ${i + 1}`,
          defaultBilling: i % 3 === 0,
          defaultShipping: true,
        }),
      ),
    );
    assert.deepEqual([...new Set(saves.map((r) => r.statusCode))].sort(), [201, 409]);
    const rows = await h.deps.db
      .selectFrom('address_book')
      .select(['default_billing', 'default_shipping'])
      .where('user_id', '=', customer.id)
      .execute();
    assert.equal(rows.length, 20, 'the limit of the address book');
    assert.equal(rows.filter((r) => Number(r.default_billing) === 1).length, 1);
    assert.equal(rows.filter((r) => Number(r.default_shipping) === 1).length, 1);
  });

  test('the address book in the API: save (all problems at once), list with defaults first, replace, delete; only one’s own', async () => {
    const customer = await signedIn(h);
    const other = await signedIn(h);
    const bad = await customer.b.api('POST', '/api/v1/me/addresses', {
      ...VIENNA,
      name: '',
      country: 'Austria',
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.deepEqual(Object.keys(bad.json().error.fields).sort(), ['address.country', 'address.name']);
    assert.match(bad.json().error.fields['address.country'], /AT for Austria/);
    const first = await customer.b.api('POST', '/api/v1/me/addresses', VIENNA);
    assert.equal(first.statusCode, 201, first.body);
    assert.deepEqual(first.json(), { id: first.json().id, ...VIENNA, defaultBilling: true, defaultShipping: true });
    const second = await customer.b.api('POST', '/api/v1/me/addresses', { ...BERLIN, defaultBilling: true });
    assert.equal(second.statusCode, 201, second.body);
    const listed = (await customer.b.api('GET', '/api/v1/me/addresses')).json().items;
    assert.deepEqual(
      listed.map((a: { city: string; defaultBilling: boolean; defaultShipping: boolean }) => [
        a.city,
        a.defaultBilling,
        a.defaultShipping,
      ]),
      [
        ['Berlin', true, false],
        ['Wien', false, true],
      ],
    );
    const id = second.json().id as string;
    assert.equal((await other.b.api('PATCH', `/api/v1/me/addresses/${id}`, BERLIN)).statusCode, 404);
    assert.equal((await other.b.api('DELETE', `/api/v1/me/addresses/${id}`)).statusCode, 404);
    assert.deepEqual((await other.b.api('GET', '/api/v1/me/addresses')).json().items, []);
    const replaced = await customer.b.api('PATCH', `/api/v1/me/addresses/${id}`, { ...BERLIN, city: 'Potsdam' });
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.equal(replaced.json().city, 'Potsdam');
    assert.equal(replaced.json().defaultBilling, false, 'a replacement without the mark drops it');
    assert.equal((await customer.b.api('DELETE', `/api/v1/me/addresses/${id}`)).statusCode, 204);
    assert.deepEqual(
      (await customer.b.api('GET', '/api/v1/me/addresses')).json().items.map((a: { id: string }) => a.id),
      [first.json().id],
    );
  });

  test('a software line to Austria carries 20 % VAT, to Germany 19 %: the checkout, the API and its listing, and the invoice say so', async () => {
    const software = await h.deps.db
      .selectFrom('products')
      .select(['id', 'price_cents', 'kind'])
      .where('slug', '=', 'aurora-synth')
      .executeTakeFirstOrThrow();
    assert.equal(software.kind, 'software');
    const gross = software.price_cents;
    const vatAt = (rate: number) => Math.round(gross - gross / (1 + rate / 100));
    const customer = await signedIn(h);
    const order = async (address: typeof BERLIN, key: string) => {
      await fillBasket(h, customer.b, ['aurora-synth']);
      const res = await customer.b.api(
        'POST',
        '/api/v1/orders',
        { billingAddress: address, payment: { method: 'wallet' } },
        { 'idempotency-key': `${key}-${customer.id}` },
      );
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };
    const toAustria = await order(VIENNA, 'vat-at');
    assert.equal(toAustria.items[0].vatRate, 20);
    assert.equal(toAustria.items[0].vatCountry, 'AT');
    assert.equal(toAustria.vatCountry, 'AT');
    // The gross price stays; the VAT inside it is Austria's.
    assert.equal(toAustria.total.amount, (gross / 100).toFixed(2));
    assert.equal(toAustria.total.vatIncluded, (vatAt(20) / 100).toFixed(2));
    // The order page names the rate and country as the checkout did (one VAT label everywhere).
    const orderPage = (await customer.b.get(`/account/orders/${toAustria.id}`, { 'accept-language': 'de' })).body;
    assert.match(
      orderPage,
      /<tr class="lines-vat"><th scope="row" colspan="3">Enthaltene MwSt\. \(20 %, Österreich\)<\/th>/,
    );
    const toGermany = await order(BERLIN, 'vat-de');
    assert.equal(toGermany.items[0].vatRate, 19);
    assert.equal(toGermany.total.vatIncluded, (vatAt(19) / 100).toFixed(2));
    // Outside the EU: no VAT.
    const toSwitzerland = await order({ ...BERLIN, city: 'Zürich', postalCode: '8001', country: 'CH' }, 'vat-ch');
    assert.equal(toSwitzerland.items[0].vatRate, 0);
    assert.equal(toSwitzerland.total.vatIncluded, '0.00');
    // The listing says the same.
    const listed = (await customer.b.api('GET', '/api/v1/orders')).json().items as {
      id: string;
      vatCountry: string;
      items: { vatRate: number }[];
    }[];
    assert.deepEqual(
      [toAustria.id, toGermany.id, toSwitzerland.id].map((id) => {
        const o = listed.find((x) => x.id === id);
        return [o?.vatCountry, o?.items[0]?.vatRate];
      }),
      [
        ['AT', 20],
        ['DE', 19],
        ['CH', 0],
      ],
    );
    // The checkout shows the VAT of the country chosen there, and remembers it for the prices of the next visit.
    await fillBasket(h, customer.b, ['aurora-synth']);
    const chosen = await submitCheckout(customer, { ...billingFields({ ...VIENNA, name: '' }) }, 'de');
    assert.equal(chosen.statusCode, 400);
    assert.ok(chosen.body.includes('Enthaltene MwSt. (20 %, Österreich)'), 'the VAT of Austria');
    assert.match(customer.b.cookie('candor_prefs') ?? '', /country=AT/);
    // From now on the prices show Austria's VAT: the product page, the basket, the catalogue's API.
    const productDe = (await customer.b.get('/shop/aurora-synth', { 'accept-language': 'de' })).body;
    assert.ok(productDe.includes('inkl. 20 % MwSt. (Österreich)'), 'product page');
    const basketDe = (await customer.b.get('/basket', { 'accept-language': 'de' })).body;
    assert.ok(basketDe.includes('Enthaltene MwSt. (20 %, Österreich)'), 'basket');
    assert.equal((await customer.b.api('GET', '/api/v1/products/aurora-synth')).json().price.vatRate, 20);
    // A visitor whose country is not known yet sees the operator's own.
    const guest = new Browser(h.app, '198.51.100.9');
    assert.ok((await guest.get('/shop/aurora-synth')).body.includes('incl. 19% VAT (Germany)'));
    assert.equal((await guest.api('GET', '/api/v1/products/aurora-synth')).json().price.vatRate, 19);
    // The invoice PDF names the rate and the country.
    if (!pdftotextMissing) await invoiceTexts(customer, [toAustria.id, toGermany.id, toSwitzerland.id], vatAt(20));
    // Choosing another language keeps the remembered country.
    await customer.b.get('/preferences/language?lang=en&back=/basket');
    assert.match(customer.b.cookie('candor_prefs') ?? '', /country=AT/);
    assert.match(customer.b.cookie('candor_prefs') ?? '', /lang=en/);
  });

  async function invoiceTexts(customer: Account, [toAustria, toGermany, toSwitzerland]: string[], vatAustria: number) {
    const dir = mkdtempSync(join(tmpdir(), 'invoice-vat-'));
    try {
      const text = async (id: string, lang: 'en' | 'de') => {
        const pdf = await h.app.inject({
          method: 'GET',
          url: `/api/v1/orders/${id}/invoice.pdf`,
          headers: { cookie: customer.b.cookieHeader(), 'accept-language': lang },
          remoteAddress: customer.b.ip,
        });
        assert.equal(pdf.statusCode, 200);
        const file = join(dir, `${id}-${lang}.pdf`);
        writeFileSync(file, pdf.rawPayload);
        return spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
      };
      const euro = (lang: 'en' | 'de', cents: number) =>
        new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-IE', { style: 'currency', currency: 'EUR' })
          .format(cents / 100)
          .replace(/\u00a0/g, ' ');
      const de = await text(toAustria as string, 'de');
      assert.match(de, /Enthaltene MwSt\. \(20 %, Österreich\)\s+/);
      assert.ok(de.replace(/\u00a0/g, ' ').includes(euro('de', vatAustria)), de);
      assert.match(await text(toAustria as string, 'en'), /Included VAT \(20%, Austria\)/);
      assert.match(await text(toGermany as string, 'de'), /Enthaltene MwSt\. \(19 %, Deutschland\)/);
      // Software to Switzerland: a service whose place of supply is abroad, not an export of goods.
      const swiss = await text(toSwitzerland as string, 'de');
      assert.match(swiss, /Keine Umsatzsteuer \(Schweiz\): nicht im Inland steuerbare Leistung\./);
      assert.doesNotMatch(swiss, /Ausfuhrlieferung/);
      assert.match(await text(toSwitzerland as string, 'en'), /No VAT \(Switzerland\): supply not taxable in Germany/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
