// Issue 11, "Done when" point 5: the HTML of every page passes the Nu Html Checker (vnu-jar) without errors.
// The test crawls same-origin links (GET) from the home page and the staff pages as a visitor, a customer, staff, an
// admin and the DPO, in English and German, adds the pages shown after a form (refused or accepted), and validates
// every collected document in one Java run (decision 0033).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Lang } from '../platform/i18n.ts';
import { asRole, BERLIN, fillBasket, placeOrder, productId, signedIn, type Account } from '../testing/factories.ts';
import { Browser, databasesUnderTest, openHarness, type DbUnderTest, type Harness } from '../testing/harness.ts';
import { javaSkip, validateHtml, type HtmlDocument } from '../testing/html-checker.ts';

type Role = 'visitor' | 'customer' | 'staff' | 'admin' | 'dpo';
const LANGS: Lang[] = ['en', 'de'];
/** Staff pages are reached from these; every other page from the home page's links. */
const STAFF_PAGES = [
  '/staff/orders',
  '/staff/products',
  '/staff/registrations',
  '/staff/credit-reviews',
  '/staff/mail',
];
/** Pages no link may lead to but a person reaches: the catalogue's search and empty states, a missing page. */
const EXTRA_PAGES = [
  '/shop?q=synth',
  '/shop?q=zzzzqqq',
  '/shop?page=99',
  '/shop/no-such-product',
  '/no-such-page',
  '/account/login?next=%2Fcheckout',
  '/account/register',
  '/account/password-reset',
  '/account/verify/resent?next=%2Fcheckout',
  '/account/verify?status=confirmed',
  '/account/verify?status=failed',
  '/account/email-change/confirm?status=failed',
  '/account/email-change/undo?link=expired',
  '/account/password-reset/confirm?link=expired',
  '/cookies',
  '/imprint',
  '/privacy',
  '/privacy/versions/1',
];
/** What a customer sees after sending a form (the forms redirect to these). */
const CUSTOMER_PAGES = [
  '/account/products?registrationError=serial',
  '/account/products?notice=review',
  '/account/decision-review?sent=1',
];
/** Links a crawler must not follow: they change something, leave HTML, or only switch the language. */
const SKIP = [
  /^\/account\/logout/,
  /^\/preferences\//,
  /^\/api\//,
  /^\/assets\//,
  /^\/consent\//,
  /^\/\.well-known\//,
  /^\/account\/data-export/,
  /\.(pdf|json|js|css|png|jpe?g|svg|webp|zip|txt|xml)(\?|$)/,
  /\/(invoice|download)s?(\/|\?|$)/,
];
/**
 * At most this many pages with the same shape of address (ids and slugs replaced) per role and language; shoppers
 * see every product page (their kinds differ: software, hardware, bundles, sample packs).
 */
const PER_PATTERN = 2;
const capFor = (shopper: boolean, pattern: string) => (shopper && pattern === '/shop/:slug?' ? 100 : PER_PATTERN);
const MAX_PAGES_PER_CRAWL = 150;

/** The shape of an address: ids, numbers and product names become placeholders; query keys kept, values not. */
function patternOf(url: URL): string {
  const path = url.pathname
    .split('/')
    .map((segment, i, all) =>
      /^[0-9a-f-]{8,}$/i.test(segment) || /^\d+$/.test(segment) || /[A-Z0-9]{4,}-/.test(segment)
        ? ':id'
        : all[1] === 'shop' && i === 2
          ? ':slug'
          : segment,
    )
    .join('/');
  return `${path}?${[...url.searchParams.keys()].sort().join('&')}`;
}

function linksIn(body: string): string[] {
  const links: string[] = [];
  for (const m of body.matchAll(/<a\s[^>]*href="([^"#]*)(?:#[^"]*)?"/g)) {
    const href = m[1]!.replace(/&amp;/g, '&');
    if (href === '' || href.startsWith('mailto:') || href.startsWith('tel:')) continue;
    links.push(href);
  }
  return links;
}

/** Follows same-origin GET links breadth first; answers every HTML document reached. */
async function crawl(
  b: Browser,
  lang: Lang,
  label: string,
  seeds: string[],
  shopper = false,
  maxPages = MAX_PAGES_PER_CRAWL,
): Promise<HtmlDocument[]> {
  const origin = 'http://127.0.0.1:3000';
  const queue = [...seeds];
  const seen = new Set<string>();
  const perPattern = new Map<string, number>();
  const docs: HtmlDocument[] = [];
  while (queue.length > 0 && docs.length < maxPages) {
    const raw = queue.shift()!;
    const url = new URL(raw, origin);
    if (url.origin !== origin) continue;
    const path = `${url.pathname}${url.search}`;
    if (seen.has(path) || SKIP.some((re) => re.test(path))) continue;
    seen.add(path);
    const pattern = patternOf(url);
    const count = perPattern.get(pattern) ?? 0;
    if (count >= capFor(shopper, pattern) && !seeds.includes(raw)) continue;
    perPattern.set(pattern, count + 1);
    const res = await b.get(path, { 'accept-language': lang });
    if (res.statusCode >= 300 && res.statusCode < 400) {
      const location = res.headers.location;
      if (typeof location === 'string') queue.push(new URL(location, url).href);
      continue;
    }
    if (!String(res.headers['content-type'] ?? '').startsWith('text/html')) continue;
    assert.ok(res.statusCode < 500, `${label}: GET ${path} answered ${res.statusCode}`);
    docs.push({ url: `${label}: GET ${path} (${res.statusCode})`, body: res.body });
    for (const link of linksIn(res.body)) queue.push(new URL(link, url).href);
  }
  return docs;
}

/**
 * The cookie settings dialog is a fragment the consent script inserts into the page's body: it is checked inside
 * a minimal document, as it ends up in the browser.
 */
function fragmentDocument(url: string, lang: Lang, res: { statusCode: number; body: string }): HtmlDocument {
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  return {
    url,
    body: `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>fragment</title></head><body>\n${res.body}\n</body></html>`,
  };
}

const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

/** The pages a person sees after a form they sent was refused. */
async function formErrorPages(h: Harness, customer: Account, staff: Account, lang: Lang): Promise<HtmlDocument[]> {
  const docs: HtmlDocument[] = [];
  const keep = (label: string, res: { statusCode: number; body: string }) => {
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${label} answered ${res.statusCode}: ${res.body}`);
    docs.push({ url: `${label} (${lang}, ${res.statusCode})`, body: res.body });
  };
  const headers = { 'accept-language': lang };
  const visitor = new Browser(h.app, `203.0.113.${lang === 'en' ? 81 : 82}`);
  let page = await visitor.get('/account/login', headers);
  keep(
    'POST /account/login (wrong password)',
    await visitor.post(
      '/account/login',
      { _csrf: csrfOf(page.body), email: customer.email, password: 'wrong' },
      headers,
    ),
  );
  page = await visitor.get('/account/register', headers);
  keep(
    'POST /account/register (bad fields)',
    await visitor.post(
      '/account/register',
      { _csrf: csrfOf(page.body), name: '', email: 'nope', password: 'x' },
      headers,
    ),
  );
  await fillBasket(h, customer.b, ['aurora-synth', 'padgrid']);
  page = await customer.b.get('/checkout', headers);
  const formKey = /name="formKey" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  keep(
    'POST /checkout (empty fields)',
    await customer.b.post(
      '/checkout',
      {
        _csrf: csrfOf(page.body),
        formKey,
        'billingAddress.name': '',
        'billingAddress.street': '',
        'billingAddress.postalCode': '',
        'billingAddress.city': '',
        'billingAddress.country': '',
        'payment.method': '',
      },
      headers,
    ),
  );
  page = await customer.b.get('/checkout', headers);
  keep(
    'POST /checkout (invoice declined)',
    await customer.b.post(
      '/checkout',
      {
        _csrf: csrfOf(page.body),
        formKey: /name="formKey" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
        'billingAddress.name': `Rita Review ${lang}`,
        'billingAddress.street': BERLIN.street,
        'billingAddress.postalCode': '99999',
        'billingAddress.city': BERLIN.city,
        'billingAddress.country': 'DE',
        shipToBilling: '1',
        'payment.method': 'invoice',
        acceptTerms: '1',
        digitalConsent: '1',
      },
      headers,
    ),
  );
  page = await staff.b.get('/staff/products/new', headers);
  keep(
    'POST /staff/products (bad fields)',
    await staff.b.post(
      '/staff/products',
      {
        _csrf: csrfOf(page.body),
        slug: 'Not A Slug!',
        kind: 'software',
        title_en: '',
        title_de: '',
        summary_en: '',
        summary_de: '',
        price: 'free',
        stock: '-1',
        category_id: '',
        contents: '',
      },
      headers,
    ),
  );
  // A card payment on the provider's hosted page: declined first (the checkout says so), then paid (the order).
  for (const [card, outcome] of [
    ['4000000000000002', 'declined'],
    ['4242424242424242', 'paid'],
  ] as const) {
    page = await customer.b.get('/checkout', headers);
    const toProvider = await customer.b.post(
      '/checkout',
      {
        _csrf: csrfOf(page.body),
        formKey: /name="formKey" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
        'billingAddress.name': 'Vera Customer',
        'billingAddress.street': BERLIN.street,
        'billingAddress.postalCode': BERLIN.postalCode,
        'billingAddress.city': BERLIN.city,
        'billingAddress.country': 'DE',
        shipToBilling: '1',
        'payment.method': 'card',
        digitalConsent: '1',
        acceptTerms: '1',
      },
      headers,
    );
    assert.equal(toProvider.statusCode, 303, toProvider.body);
    const providerUrl = toProvider.headers.location as string;
    const provider = await customer.b.get(providerUrl, headers);
    docs.push({
      url: `GET /test-payments/pay/:session (${lang}, ${provider.statusCode})`,
      body: provider.body,
    });
    const paid = await customer.b.post(
      providerUrl,
      { _csrf: csrfOf(provider.body), number: card, expMonth: '12', expYear: '2030', cvc: '123' },
      headers,
    );
    assert.equal(paid.statusCode, 303, paid.body);
    let back = new URL(paid.headers.location as string, 'http://127.0.0.1:3000');
    for (let hops = 0; hops < 5; hops++) {
      const res = await customer.b.get(`${back.pathname}${back.search}`, headers);
      if (res.statusCode >= 300 && res.statusCode < 400) {
        back = new URL(res.headers.location as string, back);
        continue;
      }
      assert.ok(res.statusCode < 500, `${back.pathname}: ${res.statusCode}`);
      docs.push({ url: `card ${outcome}: GET ${back.pathname} (${lang}, ${res.statusCode})`, body: res.body });
      break;
    }
  }
  return docs;
}

/**
 * The pages shown after a form in the account or the staff pages, refused or accepted: a redirect is followed once.
 * The forms of a withdrawal, the shipping of an order, the address book and the legal texts.
 */
async function afterFormPages(customer: Account, staff: Account, orderId: string, lang: Lang): Promise<HtmlDocument[]> {
  const docs: HtmlDocument[] = [];
  const headers = { 'accept-language': lang };
  const send = async (
    who: Account,
    label: string,
    formPage: string,
    action: string,
    fields: Record<string, string> | ((page: string) => Record<string, string>),
  ) => {
    const page = await who.b.get(formPage, headers);
    assert.ok(page.statusCode < 500, `GET ${formPage} answered ${page.statusCode}`);
    const body = { _csrf: csrfOf(page.body), ...(typeof fields === 'function' ? fields(page.body) : fields) };
    let res = await who.b.post(action, body, headers);
    let shown = `POST ${label}`;
    if (res.statusCode >= 300 && res.statusCode < 400 && typeof res.headers.location === 'string') {
      shown = `${shown} then GET ${new URL(res.headers.location, 'http://127.0.0.1:3000').pathname}`;
      res = await who.b.get(res.headers.location, headers);
    }
    assert.ok(res.statusCode < 500, `${shown} answered ${res.statusCode}: ${res.body}`);
    if (String(res.headers['content-type'] ?? '').startsWith('text/html'))
      docs.push({ url: `${shown} (${lang}, ${res.statusCode})`, body: res.body });
    return res;
  };
  const firstLine = (page: string) => /name="line"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="line"/.exec(page);
  const withdraw = `/account/orders/${orderId}/withdraw`;
  await send(customer, '/account/orders/:id/withdraw (nothing chosen)', withdraw, withdraw, { statement: '' });
  const line = (page: string) => {
    const m = firstLine(page);
    return { line: m?.[1] ?? m?.[2] ?? '0', statement: 'I withdraw from this contract.' };
  };
  await send(customer, '/account/orders/:id/withdraw (a line chosen)', withdraw, withdraw, line);
  await send(customer, '/account/orders/:id/withdraw/confirm', withdraw, `${withdraw}/confirm`, line);
  const staffOrder = `/staff/orders/${orderId}`;
  await send(staff, '/staff/orders/:id/ship (nothing filled in)', staffOrder, `${staffOrder}/ship`, {
    carrier: '',
    tracking: '',
  });
  await send(staff, '/staff/orders/:id/ship', staffOrder, `${staffOrder}/ship`, (page) => ({
    carrier: /<option value="([^"]+)"/.exec(page.slice(page.indexOf('name="carrier"')))?.[1] ?? 'dhl',
    tracking: '00340434161234567890',
    ...Object.fromEntries(
      [...page.matchAll(/name="(serial\.\d+)"/g)].map((m, i) => [m[1]!, `TF-2026-SH${i}0${lang}`.toUpperCase()]),
    ),
  }));
  docs.push(
    ...(await crawl(customer.b, lang, `customer ${lang} (after shipping)`, [`/account/orders/${orderId}`], false, 1)),
  );
  await send(customer, '/account/addresses (empty fields)', '/account/addresses/new', '/account/addresses', {
    'address.name': '',
    'address.street': '',
    'address.postalCode': '',
    'address.city': '',
    'address.country': '',
  });
  await send(staff, '/staff/legal/terms (empty fields)', '/staff/legal/terms', '/staff/legal/terms', {
    title_en: '',
    title_de: '',
    body_en: '',
    body_de: '',
  });
  return docs;
}

type People = Record<Exclude<Role, 'visitor'>, Account>;

/**
 * Accounts of every role, an order with a licence key and a hardware unit, an invoice order, a registered (and a
 * disputed) serial number, and a declined invoice order with a request for a human review: so the order, product,
 * registration, mail and review pages all have content.
 */
async function populate(h: Harness): Promise<{ people: People; orderId: string }> {
  const people = {} as People;
  let ip = 10;
  for (const role of ['customer', 'staff', 'admin', 'dpo'] as const) {
    const account = await signedIn(h, { name: `Vera ${role}`, ip: `198.51.100.${++ip}` });
    if (role !== 'customer') await asRole(h, account, role);
    people[role] = account;
  }
  const { b } = people.customer;
  const { id: orderId } = await placeOrder(h, b, ['aurora-synth', 'padgrid']);
  await fillBasket(h, b, ['keystep-49', 'studio-suite']);
  const invoice = await b.api(
    'POST',
    '/api/v1/orders',
    { billingAddress: BERLIN, payment: { method: 'invoice' } },
    { 'idempotency-key': 'html-validity-invoice' },
  );
  assert.equal(invoice.statusCode, 201, invoice.body);
  const padgrid = await productId(h, 'padgrid');
  const reg = await b.api('POST', '/api/v1/registrations', { productId: padgrid, serial: 'TF-2026-HT01ML' });
  assert.ok(reg.statusCode < 300, reg.body);
  const other = await signedIn(h, { name: 'Otto Other', ip: '198.51.100.99' });
  await other.b.api('POST', '/api/v1/registrations', { productId: padgrid, serial: 'TF-2026-HT01ML' });
  await fillBasket(h, b, ['tape-loops']);
  const declined = await b.api(
    'POST',
    '/api/v1/orders',
    { billingAddress: { ...BERLIN, name: 'Rita Review', postalCode: '99999' }, payment: { method: 'invoice' } },
    { 'idempotency-key': 'html-validity-declined' },
  );
  assert.equal(declined.statusCode, 422, declined.body);
  const check = await h.deps.db
    .selectFrom('credit_checks')
    .select('id')
    .where('user_id', '=', people.customer.id)
    .where('decision', '=', 'declined')
    .executeTakeFirstOrThrow();
  const reviewPage = await b.get('/account/decision-review');
  const asked = await b.post('/account/decision-review', {
    _csrf: csrfOf(reviewPage.body),
    checkId: check.id,
    statement: 'I have paid every bill on time.',
  });
  assert.equal(asked.statusCode, 303, asked.body);
  return { people, orderId };
}

/** Every page of one shop (on one database) as each role sees it, in both languages. */
async function collectPages(db: DbUnderTest): Promise<HtmlDocument[]> {
  const h = await openHarness(db, {
    seed: true,
    env: { RATE_LIMIT_AUTH_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' },
  });
  try {
    const { people, orderId } = await populate(h);
    // Someone who registered but has not confirmed the address yet, with a basket: checkout explains and resends.
    const unconfirmed = await signedIn(h, { name: 'Uwe Unconfirmed', verified: false, ip: '198.51.100.98' });
    await fillBasket(h, unconfirmed.b, ['aurora-synth']);
    const docs: HtmlDocument[] = [];
    for (const lang of LANGS) {
      const visitor = new Browser(h.app, `203.0.113.${lang === 'en' ? 71 : 72}`);
      docs.push(...(await crawl(visitor, lang, `visitor ${lang}`, ['/', ...EXTRA_PAGES], true)));
      docs.push(
        fragmentDocument(
          `visitor ${lang}: GET /consent/settings (fragment)`,
          lang,
          await visitor.get('/consent/settings', { 'accept-language': lang }),
        ),
      );
      // A visitor who accepted every vendor: the pages carry the consented vendors' tags, the settings say so.
      const consenting = new Browser(h.app, `203.0.113.${lang === 'en' ? 73 : 74}`);
      const accepted = await consenting.post(
        '/consent',
        { action: 'accept' },
        { origin: 'http://127.0.0.1:3000', referer: 'http://127.0.0.1:3000/cookies', 'accept-language': lang },
      );
      assert.equal(accepted.statusCode, 303, accepted.body);
      for (const path of ['/', '/shop/aurora-synth', '/cookies'])
        docs.push(...(await crawl(consenting, lang, `consenting visitor ${lang}`, [path], false, 1)));
      docs.push(
        fragmentDocument(
          `consenting visitor ${lang}: GET /consent/settings (fragment)`,
          lang,
          await consenting.get('/consent/settings', { 'accept-language': lang }),
        ),
      );
      docs.push(
        ...(await crawl(
          people.customer.b,
          lang,
          `customer ${lang}`,
          ['/', '/account', ...CUSTOMER_PAGES, ...EXTRA_PAGES],
          true,
        )),
      );
      for (const path of ['/checkout', '/account', '/account?notice=verification-sent'])
        docs.push(...(await crawl(unconfirmed.b, lang, `unconfirmed customer ${lang}`, [path], false, 1)));
      for (const role of ['staff', 'admin', 'dpo'] as const)
        docs.push(...(await crawl(people[role].b, lang, `${role} ${lang}`, ['/', ...STAFF_PAGES])));
      docs.push(...(await formErrorPages(h, people.customer, people.staff, lang)));
      docs.push(...(await afterFormPages(people.customer, people.staff, orderId, lang)));
    }
    return databasesUnderTest.length > 1 ? docs.map((d) => ({ ...d, url: `[${db}] ${d.url}` })) : docs;
  } finally {
    await h.close();
  }
}

test(
  'every page a visitor, customer, staff, admin and the DPO reach, in English and German, passes the Nu Html Checker',
  { skip: javaSkip, timeout: 300_000 },
  async () => {
    // Pages are collected on each database under test (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
    // then checked in one run of the checker (one Java start).
    const docs: HtmlDocument[] = [];
    for (const db of databasesUnderTest) docs.push(...(await collectPages(db)));
    // Every part of the shop was reached (a crawl that finds nothing would pass without checking anything).
    for (const expected of [
      /visitor en: GET \/ \(200\)/,
      /visitor de: GET \/shop\/[a-z0-9-]+ \(200\)/,
      /customer de: GET \/account\/orders\/[^ ]+ \(200\)/,
      /customer en: GET \/account\/products/,
      /customer en: GET \/checkout \(200\)/,
      /staff de: GET \/staff\/orders\/[^ ]+ \(200\)/,
      /staff en: GET \/staff\/credit-reviews/,
      /admin en: GET \/staff\/products\/[^ ]+ \(200\)/,
      /dpo de: GET \/staff\/mail/,
      /POST \/checkout \(empty fields\) \(de, 4\d\d\)/,
      /POST \/checkout \(invoice declined\) \(de, 422\)/,
    ])
      assert.ok(
        docs.some((d) => expected.test(d.url)),
        `no page matching ${expected}: ${docs.map((d) => d.url).join(', ')}`,
      );
    // Documents identical byte for byte (the same page seen by two roles) are checked once.
    const unique = [...new Map(docs.map((d) => [d.body, d])).values()];
    // HTML_VALIDITY_LIST=1 prints the address of every page checked.
    if (process.env.HTML_VALIDITY_LIST) console.log(docs.map((d) => d.url).join('\n'));
    const errors = validateHtml(unique);
    // Each distinct error once (a shared template's error shows on every page), with the pages and lines.
    const byError = new Map<string, string[]>();
    for (const e of errors) {
      const key = `${e.message}${e.extract ? ` [${e.extract}]` : ''}`;
      byError.set(key, [...(byError.get(key) ?? []), `${e.url} line ${e.line ?? '?'}`]);
    }
    const listed = [...byError].map(
      ([error, at]) =>
        `${error}\n    at ${at.slice(0, 5).join('\n    at ')}${at.length > 5 ? `\n    and ${at.length - 5} more pages` : ''}`,
    );
    if (listed.length > 0)
      assert.fail(`${errors.length} HTML errors in ${unique.length} documents:\n${listed.join('\n')}`);
  },
);
