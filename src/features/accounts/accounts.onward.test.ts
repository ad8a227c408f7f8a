// The way to a first purchase: `next` survives registration, the confirmation link and sign-in (never leaving the
// site), the sign-in page says why an account is needed, and an unconfirmed address at checkout gets a resend button.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MINUTE } from '../../platform/clock.ts';
import { deliverMail, fillBasket, signedIn } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';

const password = 'amber lantern river song';

/** The confirmation link of the newest mail to `to`, with everything after the token (`next`). */
function verifyLinkOf(h: Harness, to: string): string {
  const mail = h.mailer
    .to(to)
    .filter((m) => m.text.includes('/account/verify?token='))
    .at(-1);
  assert.ok(mail, `a mail to ${to}`);
  const match = /https?:\/\/\S+\/account\/verify\?token=[A-Za-z0-9_-]+\S*/.exec(mail.text);
  assert.ok(match, 'a confirmation link');
  const url = new URL(match[0]);
  return `${url.pathname}${url.search}`;
}

describeEachDatabase('the way to a first purchase', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
  });
  after(() => h.close());

  test('registering from the checkout keeps the target through register, the confirmation link and sign-in', async () => {
    const b = new Browser(h.app);
    await fillBasket(h, b, ['keystep-49']);
    const toCheckout = await b.get('/checkout');
    assert.equal(toCheckout.headers.location, '/account/login?next=%2Fcheckout');
    const login = await b.get('/account/login?next=%2Fcheckout');
    assert.match(login.body, /Sign in or create an account to check out/);
    assert.match(login.body, /licence keys, your downloads and your order history/);
    assert.match(login.body, /href="\/account\/register\?next=%2Fcheckout"/);
    const form = await b.get('/account/register?next=%2Fcheckout');
    assert.match(form.body, /<input type="hidden" name="next" value="\/checkout">/);
    const registered = await b.submit('/account/register?next=%2Fcheckout', '/account/register', {
      next: '/checkout',
      name: 'Nora Next',
      email: 'nora@example.org',
      password,
    });
    assert.equal(registered.statusCode, 200);
    assert.match(registered.body, /href="\/account\/login\?next=%2Fcheckout">Sign in and continue/);

    await deliverMail(h);
    const link = verifyLinkOf(h, 'nora@example.org');
    assert.match(link, /&next=%2Fcheckout$/, 'the mailed link leads back to the checkout');
    // Opened in another browser (a phone's mail app): confirmed, then on through the sign-in page.
    const phone = new Browser(h.app);
    const spent = await phone.get(link);
    assert.equal(spent.headers.location, '/account/verify?status=confirmed&next=%2Fcheckout');
    const confirmed = await phone.get(String(spent.headers.location));
    assert.match(confirmed.body, /<a href="\/account\/login\?next=%2Fcheckout">Continue to checkout<\/a>/);
    const signIn = await phone.submit('/account/login?next=%2Fcheckout', '/account/login', {
      email: 'nora@example.org',
      password,
      next: '/checkout',
    });
    assert.equal(signIn.headers.location, '/checkout');
    // The first browser, signed in, is taken straight on.
    await b.submit('/account/login?next=%2Fcheckout', '/account/login', {
      email: 'nora@example.org',
      password,
      next: '/checkout',
    });
    const checkout = await b.get('/checkout');
    assert.equal(checkout.statusCode, 200);
    assert.match(checkout.body, /Keystep 49 Controller/);
  });

  test('`next` never leaves the site', async () => {
    const b = new Browser(h.app);
    for (const evil of [
      '//evil.example/x',
      'https://evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      '/ok?x=//evil',
      '/.//evil.example',
      '/..//evil.example',
      '/%2e%2e//evil.example',
      '/shop//evil.example',
    ]) {
      const q = encodeURIComponent(evil);
      const login = await b.get(`/account/login?next=${q}`);
      assert.doesNotMatch(login.body, /evil/, evil);
      const register = await b.get(`/account/register?next=${q}`);
      assert.doesNotMatch(register.body, /name="next" value="[^"]*evil/, evil);
      const spent = await b.get(`/account/verify?status=confirmed&next=${q}`);
      assert.doesNotMatch(spent.body, /href="[^"]*evil/, evil);
    }
    await signedIn(h, { email: 'otto@example.org', password });
    const res = await new Browser(h.app).submit('/account/login', '/account/login', {
      email: 'otto@example.org',
      password,
      next: '//evil.example/x',
    });
    assert.equal(res.headers.location, '/account');
    // A registration whose form names a foreign target puts none into the mail.
    await new Browser(h.app).submit('/account/register', '/account/register', {
      next: 'https://evil.example/',
      name: 'Eve Elsewhere',
      email: 'eve@example.org',
      password,
    });
    await deliverMail(h);
    assert.doesNotMatch(verifyLinkOf(h, 'eve@example.org'), /next=/);
  });

  test('checkout before confirming shows the reason and a resend button; resending works and answers the same in every state', async () => {
    const account = await signedIn(h, { email: 'una@example.org', password, verified: false });
    const b = account.b;
    await fillBasket(h, b, ['keystep-49']);
    for (const lang of ['en', 'de']) {
      const page = await b.get('/checkout', { 'accept-language': lang });
      assert.equal(page.statusCode, 403);
      assert.match(
        page.body,
        lang === 'en' ? /Please confirm your email address first/ : /Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse/,
      );
      assert.match(page.body, /una@example\.org/);
      assert.match(page.body, /<form method="post" action="\/account\/verify\/resend">/);
      assert.match(page.body, /<input type="hidden" name="next" value="\/checkout">/);
    }
    assert.equal(
      (await b.submit('/checkout', '/checkout', { 'payment.method': 'card' })).statusCode,
      403,
      'placing an order is refused the same way',
    );

    await deliverMail(h);
    const before = h.mailer.to('una@example.org').length;
    h.clock.advance(16 * MINUTE);
    const resent = await b.submit('/checkout', '/account/verify/resend', { next: '/checkout' });
    assert.equal(resent.statusCode, 303);
    assert.equal(resent.headers.location, '/account/verify/resent?next=%2Fcheckout');
    const answer = (await b.get(String(resent.headers.location))).body;
    assert.match(answer, /<a href="\/checkout">Continue to checkout<\/a>/);
    await deliverMail(h);
    assert.equal(h.mailer.to('una@example.org').length, before + 1, 'a new link went out');
    // At once again: no second mail (one in 15 minutes), the same answer.
    const again = await b.submit('/checkout', '/account/verify/resend', { next: '/checkout' });
    assert.equal(again.headers.location, resent.headers.location);
    assert.equal((await b.get(String(again.headers.location))).body, answer);
    await deliverMail(h);
    assert.equal(h.mailer.to('una@example.org').length, before + 1);

    // The new link confirms and leads back to the checkout, which now opens.
    const spent = await b.get(verifyLinkOf(h, 'una@example.org'));
    const confirmed = await b.get(String(spent.headers.location));
    assert.match(confirmed.body, /<a href="\/checkout">Continue to checkout<\/a>/);
    assert.equal((await b.get('/checkout')).statusCode, 200);
    // Confirmed already: still the same answer, and no mail.
    h.clock.advance(16 * MINUTE);
    const confirmedAnswer = await b.submit('/basket', '/account/verify/resend', { next: '/checkout' });
    assert.equal(confirmedAnswer.headers.location, resent.headers.location);
    await deliverMail(h);
    assert.equal(h.mailer.to('una@example.org').length, before + 1);
  });
});
