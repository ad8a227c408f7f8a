import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createStaffUser, deliverDueMail } from '../../testing/app.ts';
import { listPageRoutes } from '../../platform/http/sensitive.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { enrolSecondFactor } from '../../testing/factories.ts';

const SAME_ORIGIN = {
  origin: 'http://127.0.0.1:3000',
  'sec-fetch-site': 'same-origin',
  referer: 'http://127.0.0.1:3000/shop',
};
const RESET_CONFIRM = '/account/password-reset/confirm';
const PASSWORD = 'quiet lantern over the bay';

describeEachDatabase('pages that hold secrets or personal data', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, {
      seed: true,
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000', RATE_LIMIT_PER_MINUTE: '100000' },
    });
  });
  after(() => h.close());

  const vendorHosts = () => [
    ...new Set(
      h.deps.consent.vendors.flatMap((v) => [
        ...v.template.hosts.script,
        ...v.template.hosts.connect,
        ...v.template.hosts.img,
        ...v.template.hosts.frame,
      ]),
    ),
  ];

  async function acceptAll(b: Browser): Promise<void> {
    const res = await b.post('/consent', [['action', 'accept']], SAME_ORIGIN);
    assert.equal(res.statusCode, 303);
  }

  /** No vendor host in the CSP, and nothing in the page that loads a vendor (tags, bootstraps, Consent Mode, TCF). */
  function assertVendorFree(res: LightMyRequestResponse, label: string): void {
    const csp = String(res.headers['content-security-policy']);
    assert.doesNotMatch(csp, /https:\/\//, `${label}: CSP ${csp}`);
    for (const host of vendorHosts()) assert.ok(!csp.includes(host), `${label}: ${host} in CSP`);
    // What the page loads or posts to; plain links to other sites (the footer's social links) load nothing.
    const loads = [...res.body.matchAll(/(?:src|action|data)="([^"]+)"|<link[^>]*\shref="([^"]+)"/g)].map(
      (m) => (m[1] ?? m[2])!,
    );
    assert.deepEqual(
      loads.filter((u) => /^(https?:)?\/\//.test(u)),
      [],
      label,
    );
    assert.doesNotMatch(res.body, /data-vendor=|\/consent\/vendors\/|consent-mode\.js|\/consent\/tcf\.js/, label);
  }

  async function deliver(): Promise<void> {
    await deliverDueMail({
      db: h.deps.db,
      clock: h.clock,
      mailer: h.mailer,
      log: h.deps.log,
      from: 'shop@test',
      secret: h.deps.config.secret,
    });
  }

  /** A staff-type account made as `candor user create` does, set up through its link, and signed in. */
  async function signedInAs(role: 'customer' | 'staff' | 'dpo' | 'admin', email: string): Promise<Browser> {
    const b = new Browser(h.app);
    await acceptAll(b);
    const { link } = await createStaffUser(h.deps, { email, role });
    const url = new URL(link);
    const moved = await b.get(`${url.pathname}${url.search}`);
    assert.equal(moved.statusCode, 303);
    // Choosing the first password signs the person in; staff roles then enrol their second factor.
    const saved = await b.submit(String(moved.headers.location), RESET_CONFIRM, { password: PASSWORD });
    assert.equal(saved.statusCode, 303, saved.body);
    if (role !== 'customer') await enrolSecondFactor(h, { b, email });
    return b;
  }

  test('after accept-all, no registered page of the account area, checkout or staff loads a vendor or admits a vendor host, for visitors and for staff', async () => {
    const routes = listPageRoutes(h.app);
    const sensitive = routes.filter((r) => r.sensitive).map((r) => r.url);
    for (const expected of [
      '/account',
      '/account/login',
      '/account/password-reset/confirm',
      '/account/verify',
      '/account/products',
      '/checkout',
      '/staff/orders',
      '/staff/mail/:id',
    ]) {
      assert.ok(sensitive.includes(expected), `${expected} is classified sensitive`);
    }
    assert.ok(!sensitive.includes('/basket') && !sensitive.includes('/shop'), 'the shop and the basket are not');

    // The same browsers do load the vendors on a page of the shop: accept-all is in effect.
    const admin = await signedInAs('admin', 'root@example.org');
    const anonymous = new Browser(h.app);
    await acceptAll(anonymous);
    for (const b of [admin, anonymous]) {
      const shop = await b.get('/shop');
      assert.match(shop.body, /data-vendor=/);
      assert.match(String(shop.headers['content-security-policy']), /https:\/\//);
    }

    for (const url of sensitive) {
      const concrete = url.replace(/:\w+/g, '00000000-0000-4000-8000-000000000000');
      for (const [who, b] of [
        ['admin', admin],
        ['visitor', anonymous],
      ] as const) {
        const res = await b.get(concrete);
        assert.ok(res.statusCode < 500, `${who} ${concrete}: ${res.statusCode}`);
        assertVendorFree(res, `${who} ${concrete}`);
      }
    }
  });

  test('every page that needs a signed-in viewer is classified sensitive (a new personal page cannot be forgotten)', async () => {
    // Needs a viewer but shows nothing of them: a demo file, or a confirmation that names the product.
    const holdsNothingPersonal = new Set(['/shop/:slug/demo']);
    const anonymous = new Browser(h.app);
    for (const route of listPageRoutes(h.app)) {
      if (route.sensitive || holdsNothingPersonal.has(route.url)) continue;
      const res = await anonymous.get(route.url.replace(/:\w+/g, 'x'));
      const demandsViewer =
        res.statusCode === 401 || res.statusCode === 403 || /\/account\/login/.test(String(res.headers.location ?? ''));
      assert.ok(!demandsViewer, `${route.url} needs a signed-in viewer but is not sensitive`);
    }
  });

  test('a reset or set-up link moves its token into a short-lived, path-limited SameSite=Strict cookie, redirects to a token-free address, sends no referrer and loads no vendor', async () => {
    const b = new Browser(h.app);
    await acceptAll(b);
    const { link } = await createStaffUser(h.deps, { email: 'setup@example.org', role: 'staff' });
    const url = new URL(link);
    const token = url.searchParams.get('token')!;
    const first = await b.get(`${url.pathname}${url.search}`);
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, RESET_CONFIRM);
    assert.equal(first.headers['referrer-policy'], 'no-referrer');
    assert.equal(first.headers['cache-control'], 'no-store');
    assertVendorFree(first, 'the link');
    const cookie = ([] as string[])
      .concat((first.headers['set-cookie'] as string | string[] | undefined) ?? [])
      .find((c) => c.includes('candor_link='));
    assert.ok(cookie, 'the token is kept in a cookie');
    assert.ok(cookie.includes(token));
    for (const attribute of ['HttpOnly', 'SameSite=Strict', `Path=${RESET_CONFIRM}`, 'Secure'])
      assert.ok(cookie.includes(attribute), attribute);
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    assert.ok(maxAge > 0 && maxAge <= 3600, `short-lived: ${maxAge}`);

    const page = await b.get(RESET_CONFIRM);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['cache-control'], 'no-store');
    assertVendorFree(page, 'the clean page');
    assert.ok(!page.body.includes(token), 'the page does not carry the token either');
    assert.match(page.body, /name="password"/);

    // The form posts with the cookie; the link then works once.
    const saved = await b.submit(RESET_CONFIRM, RESET_CONFIRM, { password: PASSWORD });
    assert.equal(saved.statusCode, 303, saved.body);
    assert.ok(!String(saved.headers.location).includes(token));
    assertVendorFree(saved, 'the answer to the form');
    assertVendorFree(await b.get(String(saved.headers.location)), 'the page after the form');
    assert.equal(
      (await b.api('POST', '/api/v1/sessions', { email: 'setup@example.org', password: PASSWORD })).statusCode,
      201,
    );

    const used = await new Browser(h.app).get(`${url.pathname}${url.search}`);
    assert.equal(used.statusCode, 303);
    assert.ok(!String(used.headers.location).includes(token));
    assert.match((await b.get(String(used.headers.location))).body, /This link is invalid, used or expired/);

    // A clean page reached without the cookie (a navigation from a webmail) shows the form; the post needs the cookie.
    const stranger = new Browser(h.app);
    assert.match((await stranger.get(RESET_CONFIRM)).body, /name="password"/);
    const refused = await stranger.submit(RESET_CONFIRM, RESET_CONFIRM, { password: 'another quiet lantern' });
    assert.equal(refused.statusCode, 400);
  });

  test('a verification link is spent on arrival and redirects to a token-free address that shows the outcome, without referrer or vendor', async () => {
    const b = new Browser(h.app);
    await acceptAll(b);
    await b.api('POST', '/api/v1/accounts', { name: 'Vera Verify', email: 'vera@example.org', password: PASSWORD });
    await deliver();
    const link = h.mailer.linkTo('vera@example.org', '/account/verify');
    const token = new URLSearchParams(link.split('?')[1]).get('token')!;
    const first = await b.get(link);
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers['referrer-policy'], 'no-referrer');
    assertVendorFree(first, 'the link');
    const clean = String(first.headers.location);
    assert.ok(clean.startsWith('/account/verify') && !clean.includes(token));
    const page = await b.get(clean);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /your email address is confirmed/);
    assertVendorFree(page, 'the outcome');
    const user = await h.deps.db
      .selectFrom('users')
      .select('email_verified_at')
      .where('email', '=', 'vera@example.org')
      .executeTakeFirstOrThrow();
    assert.notEqual(user.email_verified_at, null);

    const again = await b.get(link);
    assert.equal(again.statusCode, 303);
    assert.equal((await b.get(String(again.headers.location))).statusCode, 400);
  });

  test('the account, its licences and the checkout with its address form load no vendor after accept-all', async () => {
    const b = await signedInAs('customer', 'carla@example.org');
    const products = (await b.api('GET', '/api/v1/products?limit=50')).json().items as { id: string; kind: string }[];
    const product = products.find((p) => p.kind === 'software')!;
    assert.equal(
      (await b.api('POST', '/api/v1/basket/items', { productId: product.id, quantity: 1 })).statusCode < 300,
      true,
    );
    for (const path of ['/account', '/account/products', '/account/profile', '/checkout']) {
      const res = await b.get(path);
      assert.equal(res.statusCode, 200, path);
      assertVendorFree(res, path);
    }
    assert.match((await b.get('/checkout')).body, /name="[^"]*(street|address|line1)[^"]*"/i);
  });
});
