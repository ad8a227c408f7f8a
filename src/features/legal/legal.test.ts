// The operator's legal texts (issue 11, point 4): published in both languages and linked in the footer, versioned
// by staff, accepted at checkout with the § 356(5) BGB consent for digital content, recorded on the order; the
// imprint's phone number and managing directors; delivery time and shipping cost on hardware pages.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { validateOperator, demoOperator } from '../../platform/operator.ts';
import { fillBasket, signedIn, staffMember } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { legalTextsForOrder, legalVersionsToRecord } from './index.ts';

/** The checkout form as a person fills it in (billing address as delivery address, wallet), with `extra` fields. */
async function submitCheckout(b: Browser, extra: Record<string, string>, headers: Record<string, string> = {}) {
  const page = await b.get('/checkout', headers);
  assert.equal(page.statusCode, 200, page.body);
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page.body)?.[1] as string;
  const res = await b.post(
    '/checkout',
    {
      _csrf: field('_csrf'),
      formKey: field('formKey'),
      'billingAddress.name': 'Lena Legal',
      'billingAddress.street': 'Teststraße 1',
      'billingAddress.postalCode': '10115',
      'billingAddress.city': 'Berlin',
      'billingAddress.country': 'DE',
      shipToBilling: '1',
      'payment.method': 'wallet',
      ...extra,
    },
    headers,
  );
  return { page, res };
}

describeEachDatabase('legal texts', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  const ordersOf = (userId: string) =>
    h.deps.db.selectFrom('orders').selectAll().where('user_id', '=', userId).execute();

  test('the four legal pages are published in English and German and linked in the footer', async () => {
    const b = new Browser(h.app);
    const expected: Record<string, { en: RegExp[]; de: RegExp[] }> = {
      '/legal/terms': {
        en: [/<h1>Terms and conditions<\/h1>/, /Buy now/, /§ 36 VSBG/],
        de: [/<h1>Allgemeine Geschäftsbedingungen \(AGB\)<\/h1>/, /Zahlungspflichtig bestellen/],
      },
      '/legal/withdrawal': {
        en: [
          /<h1>Withdrawal policy<\/h1>/,
          /14 days from the day on which you/,
          /§ 356\(5\) BGB/,
          /<h2>Model withdrawal form<\/h2>/,
        ],
        de: [
          /<h1>Widerrufsbelehrung<\/h1>/,
          /binnen vierzehn Tagen/,
          /§ 356 Abs\. 5 BGB/,
          /<h2>Muster-Widerrufsformular<\/h2>/,
          /Vertrag widerrufen/,
        ],
      },
      '/legal/shipping-and-payment': {
        en: [
          /<h1>Shipping and payment<\/h1>/,
          /2 to 4 working days within Germany, 4 to 8 working days to other EU countries/,
          /free of charge/,
          /Orders on invoice, too, are shipped once the invoice is paid\./,
        ],
        de: [
          /<h1>Versand und Zahlung<\/h1>/,
          /2 bis 4 Werktage innerhalb Deutschlands, 4 bis 8 Werktage in andere EU-Länder/,
          /kostenlos/,
          /Auch Bestellungen auf Rechnung versenden wir nach Eingang der Zahlung\./,
        ],
      },
      '/legal/contact': {
        en: [/<h1>Contact<\/h1>/, /Phone: \+49 30 0000000 \(demo\)/, /hello@tonfabrik\.example/],
        de: [/<h1>Kontakt<\/h1>/, /Telefon: \+49 30 0000000 \(demo\)/, /unsere Datenschutzbeauftragte/],
      },
    };
    for (const [path, langs] of Object.entries(expected))
      for (const lang of ['en', 'de'] as const) {
        const res = await b.get(path, { 'accept-language': lang });
        assert.equal(res.statusCode, 200, `${path} ${lang}`);
        for (const re of langs[lang]) assert.match(res.body, re, `${path} ${lang}`);
        assert.doesNotMatch(res.body, /\$\{/, `${path} ${lang}: every fact filled in`);
      }
    const footer = /<footer[\s\S]*<\/footer>/.exec((await b.get('/', { 'accept-language': 'de' })).body)?.[0] ?? '';
    for (const link of [
      /href="\/legal\/terms">AGB</,
      /href="\/legal\/withdrawal">Widerrufsbelehrung</,
      /href="\/legal\/shipping-and-payment">Versand und Zahlung</,
      /href="\/legal\/contact">Kontakt</,
      /href="\/account\/withdrawal">Vertrag widerrufen</,
    ])
      assert.match(footer, link);
  });

  test('a staff save is a new version: shoppers see it at once, staff can still read the old one', async () => {
    const staff = await staffMember(h);
    const customer = await signedIn(h);
    assert.equal((await customer.b.get('/staff/legal')).statusCode, 403, 'customers may not edit');
    assert.equal((await new Browser(h.app).get('/legal/terms')).statusCode, 200);
    const index = await staff.b.get('/staff/legal');
    assert.equal(index.statusCode, 200);
    assert.match(index.body, /href="\/staff\/legal\/terms"/);

    const before = await h.deps.db.selectFrom('legal_texts').select('version').where('doc', '=', 'shipping').execute();
    const next = before.length + 1;
    // Bad input: every problem named, nothing saved.
    const bad = await staff.b.submit('/staff/legal/shipping', '/staff/legal/shipping', {
      title_en: '',
      title_de: 'Versand',
      body_en: 'x',
      body_de: '',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Please correct the marked fields/);
    assert.equal((bad.body.match(/class="field-error"/g) ?? []).length, 2);
    const german = await staff.b.post(
      '/staff/legal/nonsense',
      { _csrf: /name="_csrf" value="([^"]+)"/.exec(bad.body)?.[1] as string, title_en: 'x' },
      { 'accept-language': 'de' },
    );
    assert.equal(german.statusCode, 404);
    assert.equal(
      (await h.deps.db.selectFrom('legal_texts').select('version').where('doc', '=', 'shipping').execute()).length,
      before.length,
    );

    h.clock.advance(60_000);
    const saved = await staff.b.submit('/staff/legal/shipping', '/staff/legal/shipping', {
      title_en: 'Shipping and payment',
      title_de: 'Versand und Zahlung',
      body_en: '## Shipping\nWe now ship by cargo bike in Berlin.',
      body_de: '## Versand\nWir liefern in Berlin jetzt mit dem Lastenrad.',
    });
    assert.equal(saved.statusCode, 303, saved.body);
    assert.equal(saved.headers.location, '/staff/legal/shipping?saved=1');
    const editor = (await staff.b.get('/staff/legal/shipping?saved=1')).body;
    assert.match(editor, new RegExp(`Saved as version ${next}`));
    assert.match(editor, /<td data-label="By">staff<\/td>/);

    const shopper = new Browser(h.app);
    const en = (await shopper.get('/legal/shipping-and-payment')).body;
    assert.match(en, /cargo bike/);
    assert.match(en, new RegExp(`Version ${next} of`));
    assert.match(en, /<h2>Shipping<\/h2>/);
    assert.match((await shopper.get('/legal/shipping-and-payment', { 'accept-language': 'de' })).body, /Lastenrad/);

    const old = await staff.b.get(`/staff/legal/shipping/versions/${next - 1}`);
    assert.equal(old.statusCode, 200);
    assert.match(old.body, /2 to 4 working days/);
    assert.match(old.body, /A newer version replaced it/);
    assert.doesNotMatch(old.body, /cargo bike/);
    assert.equal((await customer.b.get(`/staff/legal/shipping/versions/${next - 1}`)).statusCode, 403);
    assert.equal((await staff.b.get('/staff/legal/shipping/versions/999')).statusCode, 404);
  });

  test('the withdrawal policy says what the checkout does: no order with digital content without the consent', async () => {
    const en = (await new Browser(h.app).get('/legal/withdrawal')).body;
    const de = (await new Browser(h.app).get('/legal/withdrawal', { 'accept-language': 'de' })).body;
    assert.doesNotMatch(en, /without it we do not supply the content early/);
    assert.doesNotMatch(de, /ohne sie liefern wir nicht vorzeitig/);
    assert.match(en, /an order containing digital content can only be placed with it\./);
    assert.match(de, /eine Bestellung mit digitalen Inhalten ist nur mit ihr möglich\./);
    assert.doesNotMatch(
      (await new Browser(h.app).get('/legal/shipping-and-payment')).body,
      /after the order is confirmed/,
    );
  });

  test('a save based on an older version than the newest is refused with 409 and a clear message; nothing is lost', async () => {
    const staff = await staffMember(h);
    const other = await staffMember(h);
    const editorA = (await staff.b.get('/staff/legal/contact')).body;
    const base = /name="base_version" value="([0-9]+)"/.exec(editorA)?.[1];
    assert.ok(base, 'the editor sends the version it was opened on');
    const csrfA = /name="_csrf" value="([^"]+)"/.exec(editorA)?.[1] as string;
    const text = (who: string) => ({
      title_en: 'Contact',
      title_de: 'Kontakt',
      body_en: `Written by ${who}.`,
      body_de: `Geschrieben von ${who}.`,
    });
    // B opens the editor on the same version and saves first.
    const editorB = (await other.b.get('/staff/legal/contact')).body;
    h.clock.advance(1000);
    const first = await other.b.post('/staff/legal/contact', {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(editorB)?.[1] as string,
      base_version: /name="base_version" value="([0-9]+)"/.exec(editorB)?.[1] as string,
      ...text('B'),
    });
    assert.equal(first.statusCode, 303, first.body);
    // A saves on the version A opened: refused, B's text stays the newest.
    const second = await staff.b.post(
      '/staff/legal/contact',
      { _csrf: csrfA, base_version: base, ...text('A') },
      { 'accept-language': 'de' },
    );
    assert.equal(second.statusCode, 409);
    assert.match(second.body, /Jemand hat diesen Text inzwischen gespeichert/);
    assert.match(second.body, /Geschrieben von A\./, 'A keeps what A wrote in the form');
    const newest = await h.deps.db
      .selectFrom('legal_texts')
      .select(['version', 'body_en'])
      .where('doc', '=', 'contact')
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(newest.body_en, 'Written by B.');
    assert.equal(newest.version, Number(base) + 1);
    // A forged base version is refused the same way.
    const forged = await staff.b.post('/staff/legal/contact', { _csrf: csrfA, base_version: 'x', ...text('A') });
    assert.equal(forged.statusCode, 409);
  });

  test('the texts for an order are the versions it accepted; without versions the current ones', async () => {
    const staff = await staffMember(h);
    const accepted = await legalVersionsToRecord(h.deps.db);
    assert.deepEqual(Object.keys(accepted).sort(), ['terms', 'withdrawal']);
    h.clock.advance(60_000);
    const saved = await staff.b.submit('/staff/legal/terms', '/staff/legal/terms', {
      title_en: 'Terms, revised',
      title_de: 'AGB, überarbeitet',
      body_en: '## 1. Scope\nRevised terms.',
      body_de: '## 1. Geltungsbereich\nÜberarbeitete AGB.',
    });
    assert.equal(saved.statusCode, 303);
    const kept = await legalTextsForOrder(h.deps.db, 'de', accepted);
    assert.deepEqual(
      kept.map((t) => t.key),
      ['terms', 'withdrawal'],
    );
    assert.equal(kept[0]?.title, 'Allgemeine Geschäftsbedingungen (AGB)', 'the version the order accepted');
    assert.match(kept[0]?.text ?? '', /^1\. Geltungsbereich$/m, 'headings without their mark');
    assert.match(kept[1]?.text ?? '', /Muster-Widerrufsformular/);
    const current = await legalTextsForOrder(h.deps.db, 'en', null);
    assert.equal(current[0]?.title, 'Terms, revised');
    assert.equal(current[0]?.text, '1. Scope\nRevised terms.');
  });

  test('checkout without the terms or the digital-content consent places nothing and shows both errors at once', async () => {
    const customer = await signedIn(h);
    await fillBasket(h, customer.b, ['aurora-synth', 'padgrid']);
    const { page, res } = await submitCheckout(customer.b, {});
    assert.match(page.body, /name="acceptTerms" value="1" required>/, 'not ticked in advance');
    assert.match(page.body, /name="digitalConsent" value="1" required>/);
    assert.match(page.body, /href="\/legal\/terms"/);
    assert.match(page.body, /href="\/legal\/withdrawal"/);
    assert.match(page.body, /Digital content in this order: Aurora Synth/);
    assert.ok(page.body.indexOf('name="acceptTerms"') < page.body.indexOf('>Buy now</button>'), 'before the button');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Please accept the terms and conditions to place your order\./);
    assert.match(res.body, /please give your consent to its delivery before the withdrawal period ends/);
    assert.match(res.body, /<a href="#f-acceptTerms">/);
    assert.match(res.body, /<a href="#f-digitalConsent">/);
    assert.deepEqual(await ordersOf(customer.id), []);

    // With an address error as well: all three in one pass, in German.
    const de = await submitCheckout(
      customer.b,
      { acceptTerms: '1', 'billingAddress.city': '' },
      { 'accept-language': 'de' },
    );
    assert.equal(de.res.statusCode, 400);
    assert.match(
      de.res.body,
      /Ihre Bestellung enthält digitale Inhalte: Bitte stimmen Sie der Lieferung vor Ablauf der Widerrufsfrist zu\./,
    );
    assert.match(de.res.body, /Bitte ausfüllen\./);
    assert.match(de.res.body, /name="acceptTerms" value="1" required checked/, 'the ticked box stays ticked');
    assert.match(de.res.body, /Zahlungspflichtig bestellen/);
    assert.deepEqual(await ordersOf(customer.id), []);
  });

  test('with both, the order records the accepted versions and the time of the consent', async () => {
    const customer = await signedIn(h);
    await fillBasket(h, customer.b, ['aurora-synth', 'padgrid']);
    const versions = await legalVersionsToRecord(h.deps.db);
    const { res } = await submitCheckout(customer.b, { acceptTerms: '1', digitalConsent: '1' });
    assert.equal(res.statusCode, 303, res.body);
    const [order] = await ordersOf(customer.id);
    assert.ok(order);
    assert.deepEqual(JSON.parse(order.legal_versions ?? 'null'), versions);
    assert.equal(Number(order.terms_accepted_at), h.clock.now());
    assert.equal(Number(order.digital_consent_at), h.clock.now());
  });

  test('goods alone need only the terms; the consent for digital content is not asked', async () => {
    const customer = await signedIn(h);
    await fillBasket(h, customer.b, ['padgrid']);
    const { page, res } = await submitCheckout(customer.b, { acceptTerms: '1' });
    assert.doesNotMatch(page.body, /name="digitalConsent"/);
    assert.equal(res.statusCode, 303, res.body);
    const [order] = await ordersOf(customer.id);
    assert.equal(order?.digital_consent_at, null);
    assert.notEqual(order?.terms_accepted_at, null);
  });

  test('the imprint names the managing directors and a phone number', async () => {
    const b = new Browser(h.app);
    const de = (await b.get('/imprint', { 'accept-language': 'de' })).body;
    assert.match(de, /Vertreten durch: Mara Muster \(demo\)/);
    assert.match(de, /Telefon: <a href="tel:\+49300000000">\+49 30 0000000 \(demo\)<\/a>/);
    const en = (await b.get('/imprint')).body;
    assert.match(en, /Phone: <a href="tel:\+49300000000">/);
  });

  test('hardware pages show delivery time and shipping cost; software pages do not', async () => {
    const b = new Browser(h.app);
    const hardware = (await b.get('/shop/padgrid', { 'accept-language': 'de' })).body;
    assert.match(
      hardware,
      /Lieferzeit: 2 bis 4 Werktage innerhalb Deutschlands, 4 bis 8 Werktage in andere EU-Länder\. Versandkostenfrei\./,
    );
    assert.match(
      (await b.get('/shop/padgrid')).body,
      /Delivery time: 2 to 4 working days within Germany, 4 to 8 working days to other EU countries\. Free shipping\./,
    );
    assert.doesNotMatch((await b.get('/shop/aurora-synth')).body, /Delivery time/);
  });
});

describeEachDatabase('legal texts of an operator who wrote none yet', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db);
  });
  after(() => h.close());

  test('the pages say so, and an order records no versions', async () => {
    const res = await new Browser(h.app).get('/legal/terms', { 'accept-language': 'de' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>AGB<\/h1>/);
    assert.match(res.body, /Dieser Text ist noch nicht veröffentlicht/);
    assert.deepEqual(await legalVersionsToRecord(h.deps.db), {});
    assert.deepEqual(await legalTextsForOrder(h.deps.db, 'en', { terms: 1 }), []);
  });
});

describeEachDatabase('a real operator who has not published the terms and withdrawal policy', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  test('a real operator without published terms and withdrawal policy takes no order: 503 in both languages, said on /staff/legal', async () => {
    // The demo's catalogue, but a real operator who has not written the terms and withdrawal policy yet.
    await h.deps.db.deleteFrom('legal_texts').where('doc', 'in', ['terms', 'withdrawal']).execute();
    const operator = h.deps.config.operator as { demo?: boolean };
    operator.demo = false;
    try {
      const customer = await signedIn(h);
      await fillBasket(h, customer.b, ['padgrid']);
      const { res } = await submitCheckout(customer.b, { acceptTerms: '1' });
      assert.equal(res.statusCode, 503, res.body);
      assert.match(res.body, /The shop cannot take orders yet: its terms and conditions and its withdrawal policy/);
      const { res: de } = await submitCheckout(customer.b, { acceptTerms: '1' }, { 'accept-language': 'de' });
      assert.equal(de.statusCode, 503);
      assert.match(de.body, /Der Shop kann noch keine Bestellungen annehmen/);
      const api = await customer.b.api(
        'POST',
        '/api/v1/orders',
        {
          billingAddress: { name: 'Rea Real', street: 'Weg 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
          payment: { method: 'wallet' },
        },
        { 'idempotency-key': `legal-missing-${process.pid}` },
      );
      assert.equal(api.statusCode, 503, api.body);
      assert.equal(
        (await h.deps.db.selectFrom('orders').select('id').where('user_id', '=', customer.id).execute()).length,
        0,
        'nothing placed',
      );

      const staff = await staffMember(h);
      assert.match((await staff.b.get('/staff/legal')).body, /The checkout refuses every order until/);
      for (const doc of ['terms', 'withdrawal'])
        assert.equal(
          (
            await staff.b.submit(`/staff/legal/${doc}`, `/staff/legal/${doc}`, {
              title_en: `Real ${doc}`,
              title_de: `Echte ${doc}`,
              body_en: 'Text.',
              body_de: 'Text.',
            })
          ).statusCode,
          303,
        );
      assert.doesNotMatch((await staff.b.get('/staff/legal')).body, /The checkout refuses every order until/);
      const { res: ok } = await submitCheckout(customer.b, { acceptTerms: '1' });
      assert.notEqual(ok.statusCode, 503, ok.body);
    } finally {
      operator.demo = true;
    }
  });
});

test('a real operator file needs a phone number (§ 5 DDG); shipping is checked when given', () => {
  const real = {
    company: 'Echt Audio GmbH',
    email: 'info@echt-audio.de',
    registry: 'Amtsgericht Köln, HRB 1',
    vatId: 'DE111111111',
    representedBy: ['Erika Echt'],
    address: ['Echtweg 1', '50667 Köln', 'Deutschland'],
    dpo: { name: 'Dora DPO', email: 'dpo@echt-audio.de' },
    supervisoryAuthority: demoOperator.supervisoryAuthority,
    recipients: { 'delivery-company': { name: 'Paket GmbH', address: ['Weg 1', '53113 Bonn'] } },
  };
  assert.match(validateOperator(real).problems.join('\n'), /phone is missing/);
  assert.match(validateOperator({ ...real, phone: 'call us' }).problems.join('\n'), /phone must be a telephone number/);
  // Other fields may be required as well (bank account, carriers): only the phone's problems matter here.
  const ok = validateOperator({ ...real, phone: '+49 221 123456' });
  assert.deepEqual(
    ok.problems.filter((p) => /phone|shipping/.test(p)),
    [],
  );
  assert.match(
    validateOperator({ ...real, phone: '+49 221 123456', shipping: { costCents: -1 } }).problems.join('\n'),
    /shipping must be/,
  );
  assert.match(
    validateOperator({ ...real, phone: demoOperator.phone }).problems.join('\n'),
    /phone holds the fictional demo company's value/,
  );
});
