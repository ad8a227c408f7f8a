import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signedIn, staffMember } from '../testing/factories.ts';
import { Browser, openHarness, type Harness } from '../testing/harness.ts';
import { safeBackPath } from './context.ts';

let h: Harness;
before(async () => {
  h = await openHarness('sqlite');
});
after(() => h.close());

test('a repeated query parameter on a page counts once: the page answers as it would with one', async () => {
  const b = new Browser(h.app);
  const login = await b.get('/account/login?next=%2Fbasket&next=%2Fshop', { 'accept-language': 'de' });
  assert.equal(login.statusCode, 200);
  assert.match(login.body, /name="next" value="\/basket"/);
  // Signed out, a protected page still sends to sign-in first, whatever its query holds.
  const staff = await b.get('/staff/orders?status=paid&status=paid');
  assert.equal(staff.statusCode, 303);
  assert.match(String(staff.headers.location), /^\/account\/login/);
  const account = await b.get('/account?notice=verification-sent&notice=verification-sent');
  assert.equal(account.statusCode, 303);
});

test('a back path stays on the site: no `.` or `..` segment, no `//` anywhere, no encoded slash', async () => {
  for (const ok of ['/', '/basket', '/shop/aurora-synth', '/account/products/', '/shop/a.b/c~d', '/x%20y'])
    assert.equal(safeBackPath(ok), ok, ok);
  for (const evil of [
    '//evil.example',
    '/\\evil.example',
    '/.//evil.example',
    '/..//evil.example',
    '/./evil',
    '/shop/../account',
    '/shop/..',
    '/%2e%2e//evil.example',
    '/%2E/x',
    '/shop//evil.example',
    '/%2f%2fevil.example',
    '/%5cevil.example',
    'https://evil.example/',
    'shop',
    '',
  ])
    assert.equal(safeBackPath(evil, '/fallback'), '/fallback', evil);
  assert.equal(safeBackPath(undefined), '/');
  const b = new Browser(h.app);
  for (const back of ['/.//evil.example', '/..//evil.example']) {
    const res = await b.get(`/preferences/language?lang=de&back=${encodeURIComponent(back)}`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/', back);
  }
});

test('the API still refuses a repeated parameter where its schema wants one value', async () => {
  const b = new Browser(h.app);
  const res = await b.api('GET', '/api/v1/products?limit=5&limit=6');
  assert.equal(res.statusCode, 400);
});

const headerLinks = (page: string) =>
  [...(page.match(/<nav aria-label="Main">([\s\S]*?)<\/nav>/)?.[1] ?? '').matchAll(/(?:href|action)="([^"]+)"/g)].map(
    (m) => m[1],
  );
const legalLinks = (page: string) =>
  [...(page.match(/<nav aria-label="Legal">([\s\S]*?)<\/nav>/)?.[1] ?? '').matchAll(/href="([^"]+)"/g)].map(
    (m) => m[1],
  );

test('the navigation comes from the manifests, in their order, for whom each link is meant', async () => {
  const guest = (await new Browser(h.app).get('/shop')).body;
  assert.deepEqual(headerLinks(guest), ['/shop', '/basket', '/account/login', '/account/register']);
  assert.deepEqual(legalLinks(guest), [
    '/privacy',
    '/imprint',
    '/legal/terms',
    '/legal/withdrawal',
    '/legal/shipping-and-payment',
    '/legal/contact',
    '/account/withdrawal',
    '/cookies',
    '/newsletter',
    '/contact',
  ]);
  const customer = await signedIn(h);
  assert.deepEqual(headerLinks((await customer.b.get('/shop')).body), [
    '/shop',
    '/basket',
    '/account',
    '/account/logout',
  ]);
  const staff = await staffMember(h);
  assert.deepEqual(headerLinks((await staff.b.get('/shop')).body), [
    '/shop',
    '/basket',
    '/account',
    '/staff',
    '/account/logout',
  ]);
});

test('a form sent in a type a browser does not use answers 415 with advice for a form, not for the API', async () => {
  const b = new Browser(h.app);
  await b.get('/account/login');
  const res = await h.app.inject({
    method: 'POST',
    url: '/account/login',
    headers: {
      'content-type': 'text/plain',
      accept: 'text/html',
      'accept-language': 'de',
      origin: 'http://127.0.0.1:3000',
    },
    payload: 'email=a@b.de',
  });
  assert.equal(res.statusCode, 415);
  assert.match(res.body, /Dieses Formular konnte nicht gelesen werden/);
  assert.doesNotMatch(res.body, /application\/json/);
});

test('a page goes out as UTF-8 bytes, its length counted in bytes, signs beyond Latin-1 included', async () => {
  const page = await new Browser(h.app).get('/shop', { 'accept-language': 'de' });
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  const bytes = page.rawPayload;
  assert.equal(Number(page.headers['content-length']), bytes.length);
  // The euro sign is three bytes in UTF-8 (E2 82 AC); as text the page is shorter than its bytes.
  assert.ok(bytes.includes(Buffer.from([0xe2, 0x82, 0xac])), 'the euro sign in UTF-8');
  assert.equal(bytes.toString('utf8'), page.body);
  assert.ok(bytes.length > page.body.length);
});
