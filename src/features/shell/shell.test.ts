import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { asRole } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';

describeEachDatabase('web shell', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  test('the home page shows categories and featured products with prices including VAT', async () => {
    const res = await new Browser(h.app).get('/');
    assert.equal(res.statusCode, 200);
    // Two featured products from each of the five categories (catalog.test.ts checks the home page in detail).
    assert.equal((res.body.match(/<li>\s*<img [^>]*>\s*<p class="kind">/g) ?? []).length, 10);
    assert.match(res.body, /Aurora Synth/);
    assert.match(res.body, /€199\.00/);
    const api = await new Browser(h.app).api('GET', '/api/v1/products?limit=20');
    const body = api.json();
    assert.equal(body.items.length, 20);
    assert.equal(body.total, 32);
    assert.deepEqual(Object.keys(body.items[0]).slice(0, 5), ['id', 'slug', 'kind', 'title', 'summary']);
    assert.deepEqual(
      new Set(body.items.map((p: { kind: string }) => p.kind)),
      new Set(['software', 'bundle', 'hardware']),
    );
    assert.equal((await new Browser(h.app).api('GET', '/api/v1/products/keystep-49')).json().price.amount, '299.00');
    assert.equal((await new Browser(h.app).api('GET', '/api/v1/products/nope')).statusCode, 404);
  });

  test('a visitor who only browses gets no cookie at all; a form page sets the CSRF cookie', async () => {
    for (const path of ['/', '/shop', '/privacy', '/cookies', '/imprint']) {
      const res = await h.app.inject({ method: 'GET', url: path, headers: { accept: 'text/html' } });
      assert.equal(res.statusCode, 200, path);
      assert.equal(res.headers['set-cookie'], undefined, path);
    }
    // A product page is a form page (its "Add to basket" form), so, like the login page, it sets the CSRF cookie
    // and nothing else.
    for (const path of ['/shop/aurora-synth', '/account/login']) {
      const form = await h.app.inject({ method: 'GET', url: path, headers: { accept: 'text/html' } });
      assert.equal(form.statusCode, 200, path);
      assert.match(form.body, /name="_csrf"/, path);
      const cookies = ([] as string[]).concat(form.headers['set-cookie'] ?? []);
      assert.deepEqual(
        cookies.map((c) => c.split('=')[0]),
        ['__Host-candor_csrf'],
        path,
      );
    }
  });

  test('pages carry strict security headers and request nothing from third-party hosts', async () => {
    const res = await new Browser(h.app).get('/');
    const csp = String(res.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "object-src 'none'",
      "form-action 'self'",
    ])
      assert.ok(csp.includes(directive), directive);
    assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'same-origin');
    for (const path of ['/', '/privacy', '/account/login', '/account/register', '/imprint', '/cookies']) {
      const page = await new Browser(h.app).get(path);
      // What the page loads or posts to (links to other sites are fine: they load nothing until clicked).
      const urls = [...page.body.matchAll(/(?:src|action)="([^"]+)"|<link[^>]*\shref="([^"]+)"/g)].map(
        (m) => (m[1] ?? m[2])!,
      );
      const external = urls.filter((u) => /^(https?:)?\/\//.test(u));
      assert.deepEqual(external, [], path);
    }
  });

  test('pages have landmarks, a skip link and labelled controls', async () => {
    const page = (await new Browser(h.app).get('/account/register')).body;
    for (const landmark of ['<header', '<nav aria-label="Main"', '<main id="main"', '<footer'])
      assert.ok(page.includes(landmark), landmark);
    assert.match(page, /<a class="skip-link" href="#main">/);
    const ids = [...page.matchAll(/<input id="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(ids.length >= 5);
    for (const id of ids) assert.ok(page.includes(`<label for="${id}"`), id);
    assert.match(page, /<footer[\s\S]*href="\/privacy"[\s\S]*href="\/imprint"[\s\S]*href="\/cookies"/);
  });

  test('the language is chosen by the visitor and kept in a preferences cookie', async () => {
    const b = new Browser(h.app);
    assert.match((await b.get('/')).body, /<html lang="en">/);
    assert.match((await b.get('/', { 'accept-language': 'de-DE,de;q=0.9' })).body, /<html lang="de">/);
    const home = await b.get('/');
    assert.match(home.body, /href="\/preferences\/language\?lang=de&amp;back=%2F"/);
    const switched = await b.get('/preferences/language?lang=de&back=%2Fprivacy');
    assert.equal(switched.statusCode, 303);
    assert.equal(switched.headers.location, '/privacy');
    const page = await b.get('/privacy', { 'accept-language': 'en' });
    assert.match(page.body, /<html lang="de">/);
    assert.match(page.body, /Datenschutzerklärung/);
    // The back path never leads off-site.
    const offsite = await b.get('/preferences/language?lang=en&back=%2F%2Fevil.example%2Fx');
    assert.equal(offsite.headers.location, '/');
  });

  test('the privacy policy is generated from the data map in English and German', async () => {
    const en = (await new Browser(h.app).get('/privacy')).body;
    const de = (await new Browser(h.app).get('/privacy', { 'accept-language': 'de' })).body;
    for (const activity of h.deps.dataMap.activities.filter((a) => a.id !== 'platform.operation')) {
      assert.ok(en.includes(`id="${activity.id}"`), activity.id);
      assert.ok(en.includes(activity.purpose.en.replace(/'/g, '&#39;')), activity.id);
      assert.ok(de.includes(activity.purpose.de.replace(/'/g, '&#39;')), activity.id);
    }
    assert.match(en, /Full IP addresses[^<]*are deleted 7 days after the request[ .]/);
    assert.match(de, /vollständigen IP-Adressen[^<]*werden 7 Tage nach der Anfrage gelöscht[ .]/);
    assert.match(en, /Dana Beispiel/);
    assert.match(en, /Berliner Beauftragte für Datenschutz/);
  });

  test('the imprint names who represents the company, and the country as in a German address', async () => {
    const b = new Browser(h.app);
    const de = (await b.get('/imprint', { 'accept-language': 'de' })).body;
    assert.match(de, /Vertreten durch: Mara Muster \(demo\)/);
    assert.match(de, /10115 Berlin<br>\s*Deutschland<br>/);
    const en = (await b.get('/imprint', { 'accept-language': 'en' })).body;
    assert.match(en, /Represented by: Mara Muster \(demo\)/);
  });

  test('the record of processing activities is served as JSON', async () => {
    const res = await new Browser(h.app).api('GET', '/privacy/processing.json');
    assert.equal(res.statusCode, 200);
    const record = res.json();
    assert.equal(record.controller.name, 'Tonfabrik Demo Audio GmbH');
    const usage = record.activities.find((a: { id: string }) => a.id === 'usage.request-log');
    assert.equal(usage.legalBasis.article, 'Art. 6(1)(f) GDPR');
    assert.ok(
      usage.retention.some(
        (r: { id: string; afterDays: number }) => r.id === 'usage.anonymise-ip-addresses' && r.afterDays === 7,
      ),
    );
  });

  test('the OpenAPI document describes the account API', async () => {
    const doc = (await new Browser(h.app).api('GET', '/api/v1/openapi.json')).json();
    assert.equal(doc.openapi, '3.1.0');
    for (const [path, method] of [
      ['/api/v1/accounts', 'post'],
      ['/api/v1/sessions', 'post'],
      ['/api/v1/sessions/current', 'delete'],
      ['/api/v1/me', 'get'],
      ['/api/v1/me', 'patch'],
      ['/api/v1/me/sessions', 'get'],
      ['/api/v1/me/sessions/{id}', 'delete'],
    ] as const) {
      assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
    }
  });

  test('unknown pages answer 404 in the visitor language, as a page or as JSON', async () => {
    const page = await new Browser(h.app).get('/nowhere', { 'accept-language': 'de' });
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /Diese Seite existiert nicht/);
    const api = await new Browser(h.app).api('GET', '/api/v1/nowhere');
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, 'not_found');
  });

  test('the staff mail page is for staff only', async () => {
    const b = new Browser(h.app);
    await b.api('POST', '/api/v1/accounts', {
      name: 'Cu Stomer',
      email: 'cu@example.org',
      password: 'mellow orchard window',
    });
    await b.api('POST', '/api/v1/sessions', { email: 'cu@example.org', password: 'mellow orchard window' });
    assert.equal((await b.get('/staff/mail')).statusCode, 403);
    await asRole(h, { b, email: 'cu@example.org' }, 'staff');
    const page = await b.get('/staff/mail');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Please confirm your email address/);
  });
});
