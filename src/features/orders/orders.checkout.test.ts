// What a shopper sees around the checkout: every line before buying, a merged guest basket announced, a declined
// card that leaves no order behind, and times and statuses as a person reads them (issue 11, points 2, 5, 13).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { formatEuro, formatTime } from '../../platform/i18n.ts';
import {
  PASSWORD,
  fillBasket,
  payOnProviderPage,
  placeOrder,
  signedIn,
  staffMember,
  startHostedCardCheckout,
} from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';

const kindName: Record<'en' | 'de', Record<string, string>> = {
  en: { software: 'Software', hardware: 'Hardware', expansion: 'Expansion', bundle: 'Bundle' },
  de: { software: 'Software', hardware: 'Hardware', expansion: 'Erweiterung', bundle: 'Paket' },
};

describeEachDatabase('checkout, as the shopper sees it', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, {
      seed: true,
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' },
    });
  });
  after(() => h.close());

  const product = (slug: string) =>
    h.deps.db
      .selectFrom('products')
      .select(['id', 'title_en', 'title_de', 'summary_en', 'summary_de', 'price_cents', 'kind'])
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();

  /** The checkout's table of lines: each row's cells as text. */
  const rowsOf = (page: string) => {
    const table = /<table class="stack checkout-lines">([\s\S]*?)<\/table>/.exec(page)?.[1];
    assert.ok(table, 'the checkout has a table of lines');
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
    const foot = /<tfoot>([\s\S]*?)<\/tfoot>/.exec(table)?.[1] ?? '';
    const cells = (rows: string) =>
      [...rows.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
        [...(r[1] as string).matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
          (c[1] as string)
            .replace(/<[^>]+>/g, '')
            .replace(/&#39;|&#x27;/g, "'")
            .replace(/&quot;/g, '"')
            .replace(/&amp;/g, '&')
            .trim(),
        ),
      );
    return { caption: /<caption>([\s\S]*?)<\/caption>/.exec(table)?.[1], lines: cells(body), totals: cells(foot) };
  };

  test('a checkout with three lines lists every line with its kind and summary, unit price, quantity and line total, then shipping, VAT and the total, directly above the order button (§ 312j(2) BGB), in English and German', async () => {
    const customer = await signedIn(h);
    await fillBasket(h, customer.b, ['keystep-49', ['vocal-chops', 2], 'aurora-synth']);
    const products = await Promise.all(['keystep-49', 'vocal-chops', 'aurora-synth'].map(product));
    const quantities = [1, 2, 1];
    const total = products.reduce((sum, p, i) => sum + p.price_cents * (quantities[i] as number), 0);
    assert.ok(products.some((p) => p.kind === 'hardware') && products.some((p) => p.kind !== 'hardware'));
    for (const lang of ['en', 'de'] as const) {
      const page = await customer.b.get('/checkout', { 'accept-language': lang });
      assert.equal(page.statusCode, 200, page.body);
      const { caption, lines, totals } = rowsOf(page.body);
      assert.equal(caption, lang === 'en' ? 'Your order: 4 items' : 'Ihre Bestellung: 4 Artikel');
      assert.deepEqual(
        lines,
        products.map((p, i) => [
          `${lang === 'en' ? p.title_en : p.title_de}${kindName[lang][p.kind]}: ${lang === 'en' ? p.summary_en : p.summary_de}`,
          formatEuro(lang, p.price_cents),
          String(quantities[i]),
          formatEuro(lang, p.price_cents * (quantities[i] as number)),
        ]),
        lang,
      );
      const vat = Math.round(total - total / 1.19);
      assert.deepEqual(
        totals,
        lang === 'en'
          ? [
              ['Shipping', 'free'],
              ['Included VAT (19%, Germany)', formatEuro(lang, vat)],
              ['Total incl. VAT', formatEuro(lang, total)],
            ]
          : [
              ['Versand', 'kostenlos'],
              ['Enthaltene MwSt. (19 %, Deutschland)', formatEuro(lang, vat)],
              ['Gesamtsumme inkl. MwSt.', formatEuro(lang, total)],
            ],
        lang,
      );
      // The summary sits directly above the order button, inside the form that places the order; once.
      assert.match(
        page.body,
        /<table class="stack checkout-lines">[\s\S]*?<\/table>\s*<p><button type="submit">(Buy now|Zahlungspflichtig bestellen)<\/button>/,
      );
      assert.equal(page.body.split('<table').length - 1, 1, 'one table of lines, no duplicate');
      assert.ok(page.body.indexOf('action="/checkout"') < page.body.indexOf('checkout-lines'));
    }
    // Downloads alone are not shipped: no shipping line at all.
    const digital = await signedIn(h);
    await fillBasket(h, digital.b, ['vocal-chops']);
    assert.deepEqual(
      rowsOf((await digital.b.get('/checkout')).body).totals.map((r) => r[0]),
      ['Included VAT (19%, Germany)', 'Total incl. VAT'],
    );
  });

  test('signing in adds the basket of the last visit and says so on the next page, once, in the visitor’s language', async () => {
    for (const lang of ['en', 'de'] as const) {
      const account = await signedIn(h);
      await fillBasket(h, account.b, ['padgrid']);
      await account.b.api('DELETE', '/api/v1/sessions/current');
      // Later, not signed in: two more units go into a guest basket.
      const guest = new Browser(h.app, '198.51.100.77', {
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
        'accept-language': lang,
      });
      const added = await guest.submit('/shop/vocal-chops', '/basket/items', {
        productId: (await product('vocal-chops')).id,
        quantity: '1',
      });
      assert.equal(added.statusCode, 303, added.body);
      await guest.submit('/shop/padgrid', '/basket/items', { productId: (await product('padgrid')).id, quantity: '1' });
      const signIn = await guest.submit('/account/login?next=/checkout', '/account/login', {
        next: '/checkout',
        email: account.email,
        password: PASSWORD,
      });
      assert.equal(signIn.statusCode, 303, signIn.body);
      const next = await guest.get(signIn.headers.location as string);
      assert.equal(next.statusCode, 200, next.body);
      const notice = {
        en: '2 items from your last visit were added to your basket.',
        de: '2 Artikel von Ihrem letzten Besuch wurden in Ihren Warenkorb gelegt.',
      };
      assert.ok(next.body.includes(notice[lang]), `${lang}: ${next.body.slice(0, 2000)}`);
      // The checkout it landed on lists what was merged: the account's padgrid, now two, and the vocal chops.
      const { lines } = rowsOf(next.body);
      assert.deepEqual(
        lines.map((l) => l[2]),
        ['2', '1'],
      );
      // Said once: the next pages are quiet.
      assert.ok(!(await guest.get('/basket')).body.includes(notice[lang]), `${lang}: once`);
      assert.ok(!(await guest.get('/checkout')).body.includes(notice[lang]), `${lang}: once`);
    }
  });

  test('a card declined on the payment page leaves no order in the history page or the API, and the checkout says the payment failed', async () => {
    const customer = await signedIn(h);
    await fillBasket(h, customer.b, ['padgrid']);
    const hosted = await startHostedCardCheckout(customer.b, { name: 'Olga Order', street: 'Testweg 1' });
    const url = await payOnProviderPage(customer.b, hosted, '4000 0000 0000 0002');
    const result = await customer.b.get(url.pathname + url.search);
    assert.equal(result.statusCode, 402, result.body);
    assert.match(result.body, /Your payment attempt of [^<]+ failed: nothing was charged and no order was placed/);
    // The attempt exists (it is kept 30 days as a failed attempt), but it is not an order of the customer's.
    const attempt = await h.deps.db
      .selectFrom('orders')
      .select(['number', 'status'])
      .where('user_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    assert.equal(attempt.status, 'payment_failed');
    const history = await customer.b.get('/account/orders');
    assert.equal(history.statusCode, 200);
    assert.match(history.body, /No orders yet\./);
    assert.ok(!history.body.includes(attempt.number), 'the history does not list the attempt');
    assert.deepEqual((await customer.b.api('GET', '/api/v1/orders')).json().items, []);
    // A fresh checkout still tells what happened, and the basket is kept.
    const again = await customer.b.get('/checkout', { 'accept-language': 'de' });
    assert.match(again.body, /Ihr Zahlungsversuch vom [^<]+ ist fehlgeschlagen: Nichts wurde belastet/);
    assert.equal(rowsOf(again.body).lines.length, 1);
  });

  test('times are shown in the operator’s time zone and statuses in words, on the customer’s and the staff’s pages', async () => {
    const customer = await signedIn(h);
    const order = await placeOrder(h, customer.b, ['padgrid']);
    const staff = await staffMember(h);
    const placedAt = h.clock.now();
    // Default: Europe/Berlin, with the zone named, never UTC.
    const berlin = { en: formatTime('en', placedAt, 'Europe/Berlin'), de: formatTime('de', placedAt, 'Europe/Berlin') };
    assert.match(berlin.en, /CET|CEST/);
    for (const lang of ['en', 'de'] as const)
      for (const b of [customer.b, staff.b]) {
        const path = b === staff.b ? `/staff/orders/${order.id}` : `/account/orders/${order.id}`;
        const page = (await b.get(path, { 'accept-language': lang })).body;
        assert.ok(page.includes(berlin[lang]), `${lang} ${path}: ${berlin[lang]}`);
        assert.doesNotMatch(page, /\bUTC\b/);
        assert.match(
          page,
          lang === 'en'
            ? /Status: <strong>Payment received<\/strong>/
            : /Status: <strong>Zahlung eingegangen<\/strong>/,
        );
        assert.doesNotMatch(page, /<strong>paid<\/strong>|: paid</);
      }
    const list = (await customer.b.get('/account/orders')).body;
    assert.match(list, /<td>Payment received<\/td>/);
    assert.ok(list.includes(berlin.en));
    // Another zone in operator.json: the same moment on its clock.
    const elsewhere = await h.reopen({ timeZone: 'America/New_York' });
    const there = new Browser(elsewhere.app, customer.b.ip);
    for (const [k, v] of customer.b
      .cookieHeader()
      .split('; ')
      .map((c) => c.split('=') as [string, string]))
      (there as unknown as { cookies: Map<string, string> }).cookies.set(k, v);
    const page = (await there.get(`/account/orders/${order.id}`)).body;
    const newYork = formatTime('en', placedAt, 'America/New_York');
    assert.notEqual(newYork, berlin.en);
    assert.ok(page.includes(newYork), `${newYork} in ${page}`);
    assert.ok(!page.includes(berlin.en));
  });
});
