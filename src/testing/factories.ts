// Factories for tests: each test builds the people, products, baskets and orders it needs, so that it passes when
// run alone (node --test --test-name-pattern) and does not lean on what an earlier test left in the harness.
import assert from 'node:assert/strict';
import * as OTPAuth from 'otpauth';
import { deliverDueMail } from '../features/mail/index.ts';
import { Browser, linkIn, type Harness } from './harness.ts';

export const PASSWORD = 'amber lantern seventeen';

let counter = 0;

/** An address no other factory call in this process has used. */
export function uniqueEmail(prefix = 'person'): string {
  return `${prefix}.${process.pid}.${++counter}@example.org`;
}

/** Sends the mail that is due (the outbox job), as the worker would: attachments (the invoice PDF) included. */
export async function deliverMail(h: Harness): Promise<void> {
  const { db, log, config, mailAttachments } = h.deps;
  await deliverDueMail({
    db,
    clock: h.clock,
    mailer: h.mailer,
    log,
    from: 'shop@test',
    secret: config.secret,
    attachments: mailAttachments,
  });
}

export interface AccountOptions {
  name?: string;
  email?: string;
  password?: string;
  role?: 'customer' | 'staff';
  /** Confirm the address by the mailed link (default), as a person would; false leaves it unconfirmed. */
  verified?: boolean;
  /** The client address the browser uses; tests that sign in often may want one each for the rate limit. */
  ip?: string;
}

export interface Account {
  b: Browser;
  email: string;
  password: string;
  id: string;
  /** The TOTP secret (base32) once the account enrolled a second factor (asRole with a staff role does). */
  totpSecret?: string;
}

/** TOTP secrets enrolled through the factories and browser helpers, by email: tests sign in again with them. */
const enrolled = new Map<string, string>();

/** Records a secret enrolled outside the factories (the browser helpers), for nextTotpCode. */
export function rememberSecret(email: string, secret: string): void {
  enrolled.set(email, secret);
}

/** The TOTP secret an account enrolled through a factory or browser helper. */
export function enrolledSecret(email: string): string {
  const secret = enrolled.get(email);
  assert.ok(secret, `${email} enrolled no second factor through the test helpers`);
  return secret;
}

/**
 * The TOTP code an authenticator app shows for this secret at the harness clock's time, `stepOffset` steps later
 * (the server accepts ±1 step; a step once used is refused, so a second code at a fixed clock needs offset 1).
 */
export function totpCode(h: Pick<Harness, 'clock'>, secret: string, stepOffset = 0): string {
  return OTPAuth.TOTP.generate({
    secret: OTPAuth.Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    timestamp: h.clock.now() + stepOffset * 30_000,
  });
}

/**
 * A code the server will accept now for the account: the earliest step of its ±1 window after the last step it
 * accepted. At a fixed clock the window runs out after a few sign-ins; then the clock moves on by one step
 * (30 s), as it would between two sign-ins of a real person.
 */
export async function nextTotpCode(h: Harness, email: string): Promise<string> {
  const secret = enrolledSecret(email);
  const row = await h.deps.db
    .selectFrom('two_factor')
    .innerJoin('users', 'users.id', 'two_factor.user_id')
    .select('two_factor.last_step')
    .where('users.email', '=', email)
    .executeTakeFirstOrThrow();
  for (;;) {
    const now = Math.floor(h.clock.now() / 30_000);
    for (const offset of [-1, 0, 1]) if (now + offset > row.last_step) return totpCode(h, secret, offset);
    h.clock.advance(30_000);
  }
}

/**
 * Enrols a TOTP second factor through the real pages, as a person would: reads the secret shown as text on
 * /account/two-factor and confirms it with the current code. The account's session has then passed it.
 */
export async function enrolSecondFactor(
  h: Harness,
  account: Pick<Account, 'b' | 'email' | 'totpSecret'>,
): Promise<string> {
  const page = await account.b.get('/account/two-factor');
  assert.equal(page.statusCode, 200, page.body);
  const secret = /data-secret="([A-Z2-7]+)"/.exec(page.body)?.[1];
  assert.ok(secret, 'the enrolment page shows no secret');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
  const done = await account.b.post('/account/two-factor', { _csrf: csrf, code: totpCode(h, secret) });
  assert.equal(done.statusCode, 200, done.body);
  account.totpSecret = secret;
  enrolled.set(account.email, secret);
  return secret;
}

/** Registers an account through the API and signs it in; confirmed by its mailed link unless told otherwise. */
export async function signedIn(h: Harness, options: AccountOptions = {}): Promise<Account> {
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? PASSWORD;
  const b = new Browser(h.app, options.ip);
  const created = await b.api('POST', '/api/v1/accounts', { name: options.name ?? 'Test Person', email, password });
  assert.ok(created.statusCode < 300, created.body);
  const session = await b.api('POST', '/api/v1/sessions', { email, password });
  assert.equal(session.statusCode, 201, session.body);
  if (options.verified !== false) {
    await deliverMail(h);
    const mail = h.mailer.to(email).find((m) => m.text.includes('/account/verify'));
    assert.ok(mail, `no verification mail to ${email}`);
    await b.get(linkIn(mail.text, '/account/verify'));
  }
  const { id } = await h.deps.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const account: Account = { b, email, password, id };
  if (options.role === 'staff') await asRole(h, account, 'staff');
  return account;
}

/** Who asRole acts on: an account (signed in through `b`, if given) found by its id or email. */
export interface RoleHolder {
  email: string;
  id?: string;
  b?: Browser;
  totpSecret?: string;
}

/**
 * Gives an account a role (staff, dpo, admin, or back to customer) as an administrator would, and whatever that
 * role needs before staff pages open to its session: for a staff role, the browser `b` (when signed in) enrols a
 * TOTP second factor through the real pages, or passes it with a code when enrolled already. Without a signed-in
 * browser only the role is set: sign in afterwards and pass the factor (e.g. passSecondFactorInPage in browser.ts).
 * Tests use this rather than updating `users` themselves.
 */
export async function asRole<T extends RoleHolder>(
  h: Harness,
  account: T,
  role: 'customer' | 'staff' | 'dpo' | 'admin',
): Promise<T> {
  let update = h.deps.db.updateTable('users').set({ role });
  update = account.id ? update.where('id', '=', account.id) : update.where('email', '=', account.email);
  await update.execute();
  if (role === 'customer' || !account.b) return account;
  // Staff roles reach no staff page without a second factor: enrol one, or pass it for this session.
  const step = await account.b.get('/account/login/code');
  if (step.statusCode === 200) {
    const csrf = /name="_csrf" value="([^"]+)"/.exec(step.body)?.[1] as string;
    const code = await nextTotpCode(h, account.email);
    const passed = await account.b.post('/account/login/code', { _csrf: csrf, code });
    assert.equal(passed.statusCode, 303, passed.body);
  } else if (step.statusCode === 303 && !String(step.headers.location).startsWith('/account/login')) {
    const status = await account.b.get('/account/two-factor');
    if (status.body.includes('data-secret=')) await enrolSecondFactor(h, account as T & { b: Browser });
  }
  return account;
}

/** A signed-in staff member. */
export function staffMember(h: Harness, options: Omit<AccountOptions, 'role'> = {}): Promise<Account> {
  return signedIn(h, { name: 'Stefan Staff', ...options, role: 'staff' });
}

/** The id of a product of the demo catalogue (a harness opened with seed: true) by its address name. */
export async function productId(h: Harness, slug: string): Promise<string> {
  return (await h.deps.db.selectFrom('products').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

/** Puts one of each named product (or the given quantity) in the browser's basket. */
export async function fillBasket(h: Harness, b: Browser, items: (string | [string, number])[]): Promise<void> {
  for (const item of items) {
    const [slug, quantity] = typeof item === 'string' ? [item, 1] : item;
    const res = await b.api('POST', '/api/v1/basket/items', { productId: await productId(h, slug), quantity });
    assert.ok(res.statusCode < 300, `${slug}: ${res.statusCode} ${res.body}`);
  }
}

export const BERLIN = {
  name: 'Test Person',
  street: 'Teststraße 1',
  postalCode: '10115',
  city: 'Berlin',
  country: 'DE',
};

/** Fills the basket and places an order paid with the test wallet; answers the order as the API shows it. */
export async function placeOrder(
  h: Harness,
  b: Browser,
  items: (string | [string, number])[],
): Promise<{ id: string; [key: string]: unknown }> {
  await fillBasket(h, b, items);
  const body = { billingAddress: BERLIN, payment: { method: 'wallet' } };
  const res = await b.api('POST', '/api/v1/orders', body, { 'idempotency-key': `order-${process.pid}-${++counter}` });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

/**
 * Sends the checkout form for a card payment (billing address as delivery address) and opens the provider's hosted
 * payment page: answers its address and markup, so a test may do something before paying (payOnProviderPage).
 */
export async function startHostedCardCheckout(
  b: Browser,
  billing: { name: string; street: string },
): Promise<{ paymentPage: string; providerPage: string }> {
  const page = await b.get('/checkout');
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page.body)?.[1] as string;
  const toProvider = await b.post('/checkout', {
    _csrf: field('_csrf'),
    formKey: field('formKey'),
    'billingAddress.name': billing.name,
    'billingAddress.street': billing.street,
    'billingAddress.postalCode': '10115',
    'billingAddress.city': 'Berlin',
    'billingAddress.country': 'DE',
    shipToBilling: '1',
    'payment.method': 'card',
    // The terms, and the § 356(5) BGB consent (asked only when the basket holds digital content).
    acceptTerms: '1',
    digitalConsent: '1',
  });
  assert.equal(toProvider.statusCode, 303, toProvider.body);
  const paymentPage = toProvider.headers.location as string;
  return { paymentPage, providerPage: (await b.get(paymentPage)).body };
}

/** Pays on the provider's hosted page with this test card; answers the provider's redirect back to the shop. */
export async function payOnProviderPage(
  b: Browser,
  hosted: { paymentPage: string; providerPage: string },
  number: string,
): Promise<URL> {
  const back = await b.post(hosted.paymentPage, {
    _csrf: /name="_csrf" value="([^"]+)"/.exec(hosted.providerPage)?.[1] as string,
    number,
    expMonth: '12',
    expYear: '2030',
    cvc: '123',
  });
  assert.equal(back.statusCode, 303, back.body);
  return new URL(back.headers.location as string, 'http://shop.test');
}

/** The id of the browser's consent receipts, read from its consent cookie (the payload's second field). */
export function consentIdOf(b: Browser): string {
  const raw = b.cookie('__Host-candor_consent');
  assert.ok(raw, 'the browser holds a consent cookie');
  const payload = decodeURIComponent(raw).split('.')[0] ?? '';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown[])[1] as string;
}
