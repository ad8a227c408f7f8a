import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { asRole, placeOrder, productId, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { javaSkip, validateHtml, type HtmlDocument } from '../../testing/html-checker.ts';

/** The product ids of the list's rows, in order (each row has a select box named after its product). */
const rowIds = (page: string) => [...page.matchAll(/name="select\.([^"]+)"/g)].map((m) => m[1] as string);
const nextLink = (page: string) => /<a href="([^"]+)" rel="next">/.exec(page)?.[1]?.replace(/&amp;/g, '&');
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] as string;

describeEachDatabase('product console', (db) => {
  let h: Harness;
  let staff: Account;
  let counter = 0;
  before(async () => {
    h = await openHarness(db, { seed: true });
    staff = await staffMember(h);
  });
  after(() => h.close());

  /** The values of a saved product as its edit form shows and sends them. */
  async function formOf(id: string): Promise<Record<string, string>> {
    const page = (await staff.b.get(`/staff/products/${id}`)).body;
    const values: Record<string, string> = {};
    for (const m of page.matchAll(/<input id="[^"]+" type="text" name="([^"]+)" value="([^"]*)"/g)) {
      values[m[1] as string] = (m[2] as string).replace(/&amp;/g, '&');
    }
    for (const m of page.matchAll(/<textarea id="[^"]+" name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) {
      values[m[1] as string] = m[2] as string;
    }
    for (const m of page.matchAll(/<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)<\/select>/gs)) {
      values[m[1] as string] = /<option value="([^"]*)" selected>/.exec(m[2] as string)?.[1] ?? '';
    }
    return values;
  }

  /** Creates a product through the staff form; answers its id. */
  async function createProduct(fields: Record<string, string>): Promise<string> {
    const slug = fields.slug ?? `console-probe-${process.pid}-${++counter}`;
    const res = await staff.b.submit(`/staff/products/new?kind=${fields.kind ?? 'software'}`, '/staff/products', {
      slug,
      title_en: `Probe ${counter}`,
      title_de: `Probe ${counter}`,
      summary_en: 'A probe.',
      summary_de: 'Eine Probe.',
      price: '10.00',
      kind: 'software',
      status: 'active',
      ...fields,
    });
    assert.equal(res.statusCode, 303, res.body);
    return /\/staff\/products\/([^?]+)/.exec(res.headers.location as string)?.[1] as string;
  }

  async function editProduct(id: string, changes: Record<string, string>) {
    return staff.b.submit(`/staff/products/${id}`, `/staff/products/${id}`, { ...(await formOf(id)), ...changes });
  }

  test('the list finds products by title or address name, filters by kind, category, status and low stock, and pages on a key', async () => {
    const b = staff.b;
    const found = await b.get('/staff/products?q=KEYSTEP');
    assert.equal(found.statusCode, 200);
    assert.equal(found.headers['cache-control'], 'no-store');
    assert.equal(rowIds(found.body).length, 3);
    assert.match(found.body, /Keystep 49 Controller/);
    // Found by address name too, and LIKE signs match only themselves.
    assert.equal(rowIds((await b.get('/staff/products?q=keystep-61')).body).length, 1);
    assert.equal(rowIds((await b.get('/staff/products?q=%25')).body).length, 0);
    const hardware = (await b.get('/staff/products?kind=hardware')).body;
    assert.ok(rowIds(hardware).length > 0);
    assert.doesNotMatch(hardware, /Driftwood Reverb/);
    const controllers = (
      await h.deps.db.selectFrom('categories').select('id').where('slug', '=', 'controllers').executeTakeFirstOrThrow()
    ).id;
    assert.equal(rowIds((await b.get(`/staff/products?category=${controllers}`)).body).length, 5);

    // Low stock: only stocked products at 5 units or fewer.
    const scarce = await productId(h, 'keystep-88');
    await h.deps.db.updateTable('products').set({ stock: 2 }).where('id', '=', scarce).execute();
    const low = rowIds((await b.get('/staff/products?low=1')).body);
    assert.ok(low.includes(scarce));
    assert.ok(!low.includes(await productId(h, 'keystep-49')));

    // A draft is listed for staff and found by its status.
    const draft = await createProduct({ status: 'draft', title_en: 'Hidden Draft Synth' });
    assert.deepEqual(rowIds((await b.get('/staff/products?status=draft&q=hidden')).body), [draft]);
    assert.deepEqual(rowIds((await b.get('/staff/products?status=archived&q=hidden')).body), []);

    // Empty states, in English and German.
    const none = await b.get('/staff/products?q=zzzznothing');
    assert.match(none.body, /No product matches these filters\./);
    assert.match(
      (await b.get('/staff/products?q=zzzznothing', { 'accept-language': 'de' })).body,
      /Kein Produkt passt zu diesen Filtern\./,
    );

    // Keyset pages: more products than one page; every product exactly once, in order, without OFFSET.
    const total = Number(
      (
        await h.deps.db
          .selectFrom('products')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    for (let i = total; i < 60; i++) {
      await h.deps.db
        .insertInto('products')
        .values({
          id: `keyset-${db}-${i}`,
          slug: `keyset-${i}`,
          kind: 'software',
          title_en: `Keyset ${i}`,
          title_de: `Keyset ${i}`,
          summary_en: 'x',
          summary_de: 'x',
          price_cents: 100,
          stock: null,
          // Equal positions: the id decides the order within them.
          position: 500,
          created_at: h.clock.now(),
          category_id: null,
        })
        .execute();
    }
    const seen: string[] = [];
    let url: string | undefined = '/staff/products';
    let pages = 0;
    while (url) {
      const page = await b.get(url);
      assert.equal(page.statusCode, 200);
      seen.push(...rowIds(page.body));
      url = nextLink(page.body);
      if (++pages > 1) assert.match(page.body, /First page/);
    }
    assert.equal(pages, 2);
    const all = await h.deps.db.selectFrom('products').select('id').orderBy('position').orderBy('id').execute();
    assert.deepEqual(
      seen,
      all.map((r) => r.id),
    );
    // A page start the list did not write is refused in words.
    const bad = await b.get('/staff/products?after=nonsense', { 'accept-language': 'de' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Seitenadresse ist ungültig/);
  });

  test('bulk edit sets prices and stock of the selected rows in one go; one bad value changes nothing', async () => {
    const hardware = await productId(h, 'keystep-61');
    const software = await createProduct({ price: '20.00' });
    const list = await staff.b.get('/staff/products');
    const done = await staff.b.post('/staff/products/bulk', {
      _csrf: csrfOf(list.body),
      back: '/staff/products?kind=hardware',
      [`select.${hardware}`]: '1',
      [`price.${hardware}`]: '333,00',
      [`stock.${hardware}`]: '17',
      [`select.${software}`]: '1',
      [`price.${software}`]: '25.5',
      [`stock.${software}`]: '',
      // Not selected: ignored though typed.
      [`price.${await productId(h, 'keystep-49')}`]: '1.00',
    });
    assert.equal(done.statusCode, 200, done.body);
    assert.match(done.body, /2 products changed/);
    assert.match(done.body, /€20\.00 → <strong>€25\.50<\/strong>/);
    assert.match(done.body, /href="\/staff\/products\?kind=hardware"/);
    const price = async (id: string) =>
      await h.deps.db
        .selectFrom('products')
        .select(['price_cents', 'stock'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    assert.deepEqual(await price(hardware), { price_cents: 33_300, stock: 17 });
    assert.deepEqual(await price(software), { price_cents: 2_550, stock: null });
    assert.equal((await price(await productId(h, 'keystep-49'))).price_cents, 29_900);
    // The shop shows the new price at once (this process's listing cache is cleared).
    assert.match((await new Browser(h.app).get('/shop/keystep-61')).body, /€333\.00/);

    // One wrong value (stock for software; a price of letters) and nothing is saved, the form kept, in German.
    const refused = await staff.b.post(
      '/staff/products/bulk',
      {
        _csrf: csrfOf(list.body),
        [`select.${hardware}`]: '1',
        [`price.${hardware}`]: '100.00',
        [`select.${software}`]: '1',
        [`price.${software}`]: 'billig',
      },
      { 'accept-language': 'de' },
    );
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Es wurde nichts geändert/);
    assert.match(refused.body, /Geben Sie einen Preis wie 199,00 ein/);
    assert.match(refused.body, /value="billig"/);
    assert.deepEqual(await price(hardware), { price_cents: 33_300, stock: 17 });
    const stockOnSoftware = await staff.b.post('/staff/products/bulk', {
      _csrf: csrfOf(list.body),
      [`select.${hardware}`]: '1',
      [`stock.${hardware}`]: '3',
      [`select.${software}`]: '1',
      [`stock.${software}`]: '3',
    });
    assert.equal(stockOnSoftware.statusCode, 400);
    assert.match(stockOnSoftware.body, /Only hardware has a stock figure/);
    assert.equal((await price(hardware)).stock, 17);
    // Nothing selected: said so.
    const nothing = await staff.b.post('/staff/products/bulk', { _csrf: csrfOf(list.body) });
    assert.equal(nothing.statusCode, 400);
    assert.match(nothing.body, /Select at least one product/);
  });

  test('a draft is not listed, found, shown or sold; staff preview it; the saved notice says so in English and German', async () => {
    const slug = `secret-draft-${db}`;
    const id = await createProduct({
      slug,
      status: 'draft',
      title_en: 'Quasar Draftsynth',
      title_de: 'Quasar Entwurf',
    });
    const shopper = new Browser(h.app);
    assert.equal((await shopper.get(`/shop/${slug}`)).statusCode, 404);
    assert.equal((await shopper.api('GET', `/api/v1/products/${slug}`)).statusCode, 404);
    assert.doesNotMatch((await shopper.get('/shop?q=quasar')).body, /Quasar/);
    assert.equal((await shopper.api('GET', '/api/v1/products?q=quasar')).json().total, 0);
    assert.equal((await shopper.get(`/assets/products/${slug}.svg`)).statusCode, 404);
    const add = await shopper.api('POST', '/api/v1/basket/items', { productId: id, quantity: 1 });
    assert.equal(add.statusCode, 404);

    // Saved: a draft links to the staff preview, never to the shop.
    const saved = await staff.b.get(`/staff/products/${id}?saved=1`);
    assert.match(saved.body, /Saved · <a href="\/staff\/products\/[^"]+\/preview">Preview/);
    assert.doesNotMatch(saved.body, /View in shop/);
    const preview = await staff.b.get(`/staff/products/${id}/preview`);
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /Staff preview/);
    assert.match(preview.body, /Quasar Draftsynth/);

    // Published: "Saved · View in shop" (German too), and the shop has it.
    const published = await editProduct(id, { status: 'active' });
    assert.equal(published.statusCode, 303);
    assert.equal(published.headers.location, `/staff/products/${id}?saved=1`);
    const en = await staff.b.get(published.headers.location as string);
    assert.match(en.body, new RegExp(`Saved · <a href="/shop/${slug}">View in shop</a>`));
    const de = await staff.b.get(published.headers.location as string, { 'accept-language': 'de' });
    assert.match(de.body, new RegExp(`Gespeichert · <a href="/shop/${slug}">Im Shop ansehen</a>`));
    assert.equal((await shopper.get(`/shop/${slug}`)).statusCode, 200);
    assert.match((await shopper.get('/shop?q=quasar')).body, /Quasar Draftsynth/);
  });

  test('archiving stops sales but keeps the order in the customer history and on the staff order page', async () => {
    const id = await createProduct({
      slug: `archived-${db}`,
      title_en: 'Vintage Tapeverb',
      title_de: 'Vintage Bandhall',
    });
    const customer = await signedIn(h);
    const order = await placeOrder(h, customer.b, [`archived-${db}`]);
    // Another customer has it in the basket when it is archived.
    const later = await signedIn(h);
    assert.equal((await later.b.api('POST', '/api/v1/basket/items', { productId: id, quantity: 1 })).statusCode, 201);
    assert.equal((await editProduct(id, { status: 'archived' })).statusCode, 303);

    const page = await new Browser(h.app).get(`/shop/archived-${db}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /This product is no longer available\./);
    assert.doesNotMatch(page.body, /Add to basket/);
    const de = await new Browser(h.app).get(`/shop/archived-${db}`, { 'accept-language': 'de' });
    assert.match(de.body, /Dieses Produkt ist nicht mehr erhältlich\./);
    assert.doesNotMatch((await new Browser(h.app).get('/shop?q=tapeverb')).body, /Vintage Tapeverb/);
    // The basket no longer holds it, so the checkout cannot sell it; adding it again is refused.
    const basket = (await later.b.api('GET', '/api/v1/basket')).json();
    assert.equal(basket.items.length, 0);
    assert.equal((await later.b.api('POST', '/api/v1/basket/items', { productId: id, quantity: 1 })).statusCode, 404);

    // The order keeps its line: the customer's history and the staff order page still show it.
    assert.match((await customer.b.get('/account/orders')).body, new RegExp(`/account/orders/${order.id}`));
    const own = await customer.b.get(`/account/orders/${order.id}`);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /Vintage Tapeverb/);
    const listed = (await customer.b.api('GET', '/api/v1/orders')).json().items as { id: string }[];
    assert.ok(listed.some((o) => o.id === order.id));
    const staffPage = await staff.b.get(`/staff/orders/${order.id}`);
    assert.equal(staffPage.statusCode, 200);
    assert.match(staffPage.body, /Vintage Tapeverb/);
  });

  test('the edit page shows the fields of the product kind only', async () => {
    const hardware = (await staff.b.get(`/staff/products/${await productId(h, 'keystep-49')}`)).body;
    assert.match(hardware, /name="stock"/);
    assert.doesNotMatch(hardware, /name="max_activations"/);
    assert.doesNotMatch(hardware, /name="requirements_en"/);
    assert.doesNotMatch(hardware, /name="contents"/);
    const software = (await staff.b.get(`/staff/products/${await productId(h, 'aurora-synth')}`)).body;
    assert.match(software, /name="max_activations" value="2"/);
    assert.match(software, /name="requirements_en"/);
    assert.match(software, /name="description_de"/);
    assert.doesNotMatch(software, /name="stock"/);
    assert.doesNotMatch(software, /name="requires_id"/);
    const expansion = (await staff.b.get(`/staff/products/${await productId(h, 'aurora-presets-2')}`)).body;
    assert.match(expansion, /name="requires_id"/);
    assert.doesNotMatch(expansion, /name="max_activations"/);
    const bundle = (await staff.b.get(`/staff/products/${await productId(h, 'studio-suite')}`)).body;
    assert.match(bundle, /name="contents"/);
    assert.doesNotMatch(bundle, /name="stock"|name="max_activations"|name="requirements_en"/);
    // The new-product page, by kind.
    assert.match((await staff.b.get('/staff/products/new?kind=hardware')).body, /name="stock"/);
    assert.doesNotMatch((await staff.b.get('/staff/products/new?kind=hardware')).body, /name="max_activations"/);

    // Bad input keeps the form and says what is wrong, in the visitor's language.
    const id = await productId(h, 'aurora-synth');
    const bad = await staff.b.submit(`/staff/products/${id}`, `/staff/products/${id}`, {
      ...(await formOf(id)),
      max_activations: '0',
      status: 'gone',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Enter a whole number from 1 to 100\./);
    assert.match(bad.body, /Choose draft, active or archived\./);
    assert.match(bad.body, /value="Aurora/);
    const badDe = await staff.b.post(
      `/staff/products/${id}`,
      { _csrf: csrfOf(bad.body), ...(await formOf(id)), max_activations: 'viele' },
      { 'accept-language': 'de' },
    );
    assert.equal(badDe.statusCode, 400);
    assert.match(badDe.body, /Geben Sie eine ganze Zahl von 1 bis 100 ein\./);

    // An expansion names the software it expands; the shop page says so; anything else is refused.
    const expansionId = await productId(h, 'aurora-presets-2');
    const wrong = await editProduct(expansionId, { requires_id: await productId(h, 'keystep-49') });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /Choose a software product/);
    assert.equal((await editProduct(expansionId, { requires_id: id })).statusCode, 303);
    assert.match(
      (await new Browser(h.app).get('/shop/aurora-presets-2')).body,
      /Requires: <a href="\/shop\/aurora-synth">Aurora/,
    );
  });

  test('the long description is Markdown rendered safely: no script, no javascript: link, no raw HTML', async () => {
    const id = await createProduct({
      slug: `markdown-${db}`,
      description_en: [
        '## Sound',
        '**Warm** pads. <script>alert("x")</script>',
        '<img src=x onerror="alert(1)"> <a href="javascript:alert(2)">raw</a>',
        '[click](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=) [site](https://example.com/manual)',
        '![tracker](https://tracker.example/pixel.gif) [mail](mailto:help@example.com)',
      ].join('\n\n'),
      description_de: '**Warme** Flächen.',
      requirements_en: '- macOS 13\n- 4 GB RAM',
    });
    const page = (await new Browser(h.app).get(`/shop/markdown-${db}`)).body;
    assert.match(page, /<h3>Sound<\/h3>/);
    assert.match(page, /<strong>Warm<\/strong> pads\./);
    assert.match(page, /&lt;script&gt;alert/);
    assert.doesNotMatch(page, /<script>alert/);
    assert.doesNotMatch(page, /<img src=x/i);
    assert.doesNotMatch(page, /<img[^>]*onerror/i);
    assert.match(page, /&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;/);
    assert.doesNotMatch(page, /href="javascript:/i);
    assert.doesNotMatch(page, /href="data:/i);
    // A Markdown image is at most a link: nothing is loaded from another host.
    assert.doesNotMatch(page, /<img[^>]+tracker/);
    assert.match(page, /<a href="https:\/\/example\.com\/manual" rel="nofollow noopener">site<\/a>/);
    assert.match(page, /<a href="mailto:help@example\.com">mail<\/a>/);
    assert.match(page, /<li>macOS 13<\/li>/);
    assert.match(page, /System requirements/);
    const de = (await new Browser(h.app).get(`/shop/markdown-${db}`, { 'accept-language': 'de' })).body;
    assert.match(de, /<strong>Warme<\/strong> Flächen\./);
    assert.match(de, /Beschreibung/);
    // Staff see the Markdown as typed in the form (escaped), not rendered.
    assert.match(
      (await staff.b.get(`/staff/products/${id}`)).body,
      /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/,
    );
  });

  test('a new licence gets the activations per key of its product', async () => {
    const slug = `licensed-${db}`;
    const id = await createProduct({ slug, max_activations: '5' });
    const customer = await signedIn(h);
    const order = await placeOrder(h, customer.b, [slug]);
    const licence = await h.deps.db
      .selectFrom('licences')
      .select('max_activations')
      .where('order_id', '=', order.id)
      .where('product_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(licence.max_activations, 5);
    // A product left at the default keeps today's two.
    const plain = await signedIn(h);
    const other = await placeOrder(h, plain.b, ['aurora-synth']);
    const defaultLicence = await h.deps.db
      .selectFrom('licences')
      .select('max_activations')
      .where('order_id', '=', other.id)
      .executeTakeFirstOrThrow();
    assert.equal(defaultLicence.max_activations, 2);
  });

  test('a customer and a signed-out visitor get no product console page or action', async () => {
    const customer = await signedIn(h);
    const id = await productId(h, 'aurora-synth');
    for (const path of [
      '/staff/products',
      '/staff/products/new',
      `/staff/products/${id}`,
      `/staff/products/${id}/preview`,
    ]) {
      assert.equal((await customer.b.get(path)).statusCode, 403, path);
    }
    const priceOf = async () =>
      (await h.deps.db.selectFrom('products').select('price_cents').where('id', '=', id).executeTakeFirstOrThrow())
        .price_cents;
    const before = await priceOf();
    const token = csrfOf((await customer.b.get('/account')).body);
    const bulk = await customer.b.post('/staff/products/bulk', {
      _csrf: token,
      [`select.${id}`]: '1',
      [`price.${id}`]: '1',
    });
    assert.equal(bulk.statusCode, 403);
    const edit = await customer.b.post(`/staff/products/${id}`, { _csrf: token, price: '1.00' });
    assert.equal(edit.statusCode, 403);
    assert.equal(await priceOf(), before);
    // A staff member demoted to customer loses the console at once.
    const former = await staffMember(h);
    await asRole(h, former, 'customer');
    assert.equal((await former.b.get('/staff/products')).statusCode, 403);
  });

  test('every page of the product console is valid HTML, in English and German', { skip: javaSkip }, async () => {
    const docs: HtmlDocument[] = [];
    const id = await createProduct({
      slug: `valid-${db}`,
      description_en: '# Big\n\n## Small\n\n- one\n- [two](https://example.com)',
      requirements_en: 'macOS 13',
    });
    const list = await staff.b.get('/staff/products');
    for (const lang of ['en', 'de']) {
      const headers = { 'accept-language': lang };
      for (const path of [
        '/staff/products',
        '/staff/products?q=zzzznothing',
        '/staff/products?status=active&kind=hardware&low=1',
        ...['software', 'hardware', 'expansion', 'bundle'].map((k) => `/staff/products/new?kind=${k}`),
        `/staff/products/${id}?saved=1`,
        `/staff/products/${await productId(h, 'aurora-presets-2')}`,
        `/staff/products/${id}/preview`,
        `/shop/valid-${db}`,
      ]) {
        const page = await staff.b.get(path, headers);
        assert.equal(page.statusCode, 200, path);
        docs.push({ url: `${path} (${lang})`, body: page.body });
      }
      const bad = await staff.b.post(
        `/staff/products/${id}`,
        { _csrf: csrfOf(list.body), ...(await formOf(id)), price: 'x', max_activations: '0' },
        headers,
      );
      docs.push({ url: `POST edit, bad (${lang})`, body: bad.body });
      const refused = await staff.b.post(
        '/staff/products/bulk',
        { _csrf: csrfOf(list.body), [`select.${id}`]: '1', [`price.${id}`]: 'x' },
        headers,
      );
      docs.push({ url: `POST bulk, bad (${lang})`, body: refused.body });
      const done = await staff.b.post(
        '/staff/products/bulk',
        { _csrf: csrfOf(list.body), [`select.${id}`]: '1', [`price.${id}`]: lang === 'en' ? '11' : '12' },
        headers,
      );
      assert.equal(done.statusCode, 200);
      docs.push({ url: `POST bulk (${lang})`, body: done.body });
    }
    assert.deepEqual(validateHtml(docs), []);
  });
});
