import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp, { type Metadata } from 'sharp';
import { findUnregisteredFiles } from '../../privacy/files.ts';
import { asRole, productId, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { removeOrphanImageFiles } from './catalog.images.ts';
import { multipart } from '../../testing/multipart.ts';

const SECRET_NOTE = 'Shot at 52.5200N 13.4050E by Jane Photographer';

/** A 2000 × 1500 PNG with an EXIF description, as a camera or phone would leave one. */
const photo = () =>
  sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#3a6ea5' } })
    .composite([
      {
        input: Buffer.from('<svg width="400" height="300"><rect width="400" height="300" fill="#f80"/></svg>'),
        left: 100,
        top: 100,
      },
    ])
    .withExif({ IFD0: { ImageDescription: SECRET_NOTE, Artist: 'Jane Photographer' } })
    .png()
    .toBuffer();

describeEachDatabase('product images', (db) => {
  let h: Harness;
  let staff: Account;

  before(async () => {
    h = await openHarness(db, { seed: true, env: { IMAGE_MAX_MB: '1', RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    staff = await staffMember(h, { ip: '203.0.113.61' });
  });
  after(() => h.close());

  async function upload(
    who: Account,
    slug: string,
    file: { filename: string; content: Buffer },
    options: { alt_en?: string; alt_de?: string; lang?: string } = {},
  ) {
    const id = await productId(h, slug);
    const page = await who.b.get(`/staff/products/${id}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? 'none';
    const body = multipart(
      [
        ['_csrf', token],
        ['alt_en', options.alt_en ?? 'The synthesizer from the front'],
        ['alt_de', options.alt_de ?? 'Der Synthesizer von vorn'],
      ],
      file,
    );
    return h.app.inject({
      method: 'POST',
      url: `/staff/products/${id}/images`,
      remoteAddress: who.b.ip,
      headers: {
        'content-type': body.contentType,
        cookie: who.b.cookieHeader(),
        accept: 'text/html',
        ...(options.lang ? { 'accept-language': options.lang } : {}),
      },
      payload: body.payload,
    });
  }

  const imagesOf = async (slug: string) =>
    h.deps.db
      .selectFrom('product_images')
      .selectAll()
      .where('product_id', '=', await productId(h, slug))
      .orderBy('position')
      .execute();
  const onDisk = (pid: string) => {
    const dir = join(h.dataDir, 'product-images', pid);
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  };

  test('an uploaded PNG is stored as WebP in three widths, upright, without its metadata, and never as uploaded', async () => {
    const original = await photo();
    assert.ok(original.includes(Buffer.from(SECRET_NOTE)), 'the test image carries its EXIF note');
    const res = await upload(staff, 'aurora-synth', { filename: 'front.png', content: original });
    assert.equal(res.statusCode, 303, res.body);
    const pid = await productId(h, 'aurora-synth');
    assert.equal(res.headers.location, `/staff/products/${pid}#images`);
    const [image] = await imagesOf('aurora-synth');
    assert.ok(image);
    assert.equal(image.width, 1280);
    assert.equal(image.height, 960);
    assert.equal(image.alt_en, 'The synthesizer from the front');
    assert.deepEqual(onDisk(pid), [`${image.id}-1280.webp`, `${image.id}-320.webp`, `${image.id}-640.webp`]);
    for (const width of [320, 640, 1280]) {
      const file: Buffer = readFileSync(join(h.dataDir, 'product-images', pid, `${image.id}-${width}.webp`));
      assert.ok(!file.equals(original));
      assert.ok(!file.includes(Buffer.from('Jane Photographer')), `the ${width} file holds no EXIF text`);
      const meta: Metadata = await sharp(file).metadata();
      assert.equal(meta.format, 'webp');
      assert.equal(meta.width, width);
      assert.equal(meta.height, (width * 3) / 4);
      assert.equal(meta.exif, undefined, `the ${width} file has no EXIF block`);
      assert.equal(meta.xmp, undefined);
    }
    assert.deepEqual(findUnregisteredFiles(h.deps.dataMap, h.dataDir), [], 'the files are in the data map');
    const edit = await staff.b.get(`/staff/products/${pid}`);
    assert.match(edit.body, /id="images"/);
    assert.ok(edit.body.includes(`/media/products/${image.id}-320.webp`), 'the edit page shows the image');
  });

  test('the files are served with long-lived caching; other names answer 404', async () => {
    const [image] = await imagesOf('aurora-synth');
    assert.ok(image);
    const visitor = await h.app.inject({ method: 'GET', url: `/media/products/${image.id}-640.webp` });
    assert.equal(visitor.statusCode, 200);
    assert.equal(visitor.headers['content-type'], 'image/webp');
    assert.equal(visitor.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(visitor.headers['x-content-type-options'], 'nosniff');
    assert.equal((await sharp(visitor.rawPayload).metadata()).width, 640);
    // Signed-in staff get the same public caching (the name is the version).
    const signed = await staff.b.get(`/media/products/${image.id}-640.webp`);
    assert.equal(signed.headers['cache-control'], 'public, max-age=31536000, immutable');
    for (const url of [
      `/media/products/${image.id}-500.webp`,
      `/media/products/${image.id}-2560.webp`,
      `/media/products/${image.id}-640.png`,
      `/media/products/00000000-0000-4000-8000-000000000000-640.webp`,
      `/media/products/..%2F..%2Fsecret-640.webp`,
      `/media/products/%2e%2e%2f${image.id}-640.webp`,
      `/media/products/${image.id}`,
    ]) {
      const res = await h.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
    }
  });

  test('a draft’s images: staff with a second factor get them private and uncached, everyone else 404', async () => {
    const [image] = await imagesOf('aurora-synth');
    assert.ok(image);
    const pid = await productId(h, 'aurora-synth');
    const url = `/media/products/${image.id}-640.webp`;
    const customer = await signedIn(h, { ip: '203.0.113.62' });
    // Staff by role whose session has not passed the second factor.
    const unproven = await signedIn(h, { ip: '203.0.113.63' });
    await asRole(h, { email: unproven.email, id: unproven.id }, 'staff');
    await h.deps.db.updateTable('products').set({ status: 'draft' }).where('id', '=', pid).execute();
    try {
      const staffView = await staff.b.get(url);
      assert.equal(staffView.statusCode, 200);
      // 'private, no-store' as sent; the platform narrows every signed-in answer that is not public to 'no-store'.
      assert.match(String(staffView.headers['cache-control']), /^(private, )?no-store$/);
      assert.equal((await sharp(staffView.rawPayload).metadata()).width, 640);
      const visitor = await h.app.inject({ method: 'GET', url });
      assert.equal(visitor.statusCode, 404, 'a visitor');
      assert.doesNotMatch(String(visitor.headers['cache-control']), /public/);
      assert.equal((await customer.b.get(url)).statusCode, 404, 'a customer');
      assert.equal((await unproven.b.get(url)).statusCode, 404, 'staff without a passed second factor');
      // The drawn picture of a product without photos follows the same rule.
      const drawn = '/assets/products/aurora-synth.svg';
      const staffDrawn = await staff.b.get(drawn);
      assert.equal(staffDrawn.statusCode, 200);
      assert.match(String(staffDrawn.headers['cache-control']), /^(private, )?no-store$/);
      assert.equal((await h.app.inject({ method: 'GET', url: drawn })).statusCode, 404, 'a visitor, drawn');
      assert.equal((await unproven.b.get(drawn)).statusCode, 404, 'staff without a second factor, drawn');
    } finally {
      await h.deps.db.updateTable('products').set({ status: 'active' }).where('id', '=', pid).execute();
    }
    const published = await h.app.inject({ method: 'GET', url });
    assert.equal(published.statusCode, 200, 'once active, the image is public again');
    assert.equal(published.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  test('the shop shows the image on the card and the product page with srcset, sizes and alt text in en and de', async () => {
    const [image] = await imagesOf('aurora-synth');
    assert.ok(image);
    const srcset = `/media/products/${image.id}-320.webp 320w, /media/products/${image.id}-640.webp 640w, /media/products/${image.id}-1280.webp 1280w`;
    const visitor = await signedIn(h, { ip: '203.0.113.62' });
    const card = await visitor.b.get('/shop?q=aurora', { 'accept-language': 'en' });
    assert.match(
      card.body,
      new RegExp(
        `<img src="/media/products/${image.id}-640.webp" srcset="${srcset}" sizes="[^"]+" alt="The synthesizer from the front" width="240" height="180"`,
      ),
    );
    const page = await visitor.b.get('/shop/aurora-synth', { 'accept-language': 'en' });
    assert.match(
      page.body,
      new RegExp(
        `<img src="/media/products/${image.id}-640.webp" srcset="${srcset}" sizes="[^"]+" alt="The synthesizer from the front" width="480" height="360"`,
      ),
    );
    assert.doesNotMatch(page.body, /\/assets\/products\/aurora-synth\.svg/, 'the drawn placeholder gives way');
    const pageDe = await h.app.inject({
      method: 'GET',
      url: '/shop/aurora-synth',
      headers: { 'accept-language': 'de' },
    });
    assert.match(pageDe.body, /<html lang="de"/);
    assert.match(pageDe.body, /alt="Der Synthesizer von vorn" width="480" height="360"/);
    const cardDe = await h.app.inject({ method: 'GET', url: '/shop?q=aurora', headers: { 'accept-language': 'de' } });
    assert.match(cardDe.body, /alt="Der Synthesizer von vorn" width="240" height="180"/);
    // A product without images keeps its drawn placeholder.
    const other = await h.app.inject({ method: 'GET', url: '/shop/prism-eq' });
    assert.match(other.body, /<img src="\/assets\/products\/prism-eq\.svg"/);
    // The staff list shows each product's main image as a thumbnail (from the list's own statement), else the drawing.
    const staffList = await staff.b.get('/staff/products', { 'accept-language': 'en' });
    assert.match(
      staffList.body,
      new RegExp(`<img src="/media/products/${image.id}-320.webp" alt="The synthesizer from the front" width="64"`),
    );
    assert.match(staffList.body, /<img src="\/assets\/products\/prism-eq\.svg" alt="" width="64"/);
  });

  test('a text file named .png, a file too large or of too many pixels: 4xx in the staff member’s language, nothing stored', async () => {
    const pid = await productId(h, 'prism-eq');
    const rows = async () => (await imagesOf('prism-eq')).length;
    const text = await upload(staff, 'prism-eq', {
      filename: 'photo.png',
      content: Buffer.from('just some text, not a picture\n'),
    });
    assert.equal(text.statusCode, 415);
    assert.match(text.body, /not a JPEG, PNG, WebP or AVIF image/);
    const textDe = await upload(
      staff,
      'prism-eq',
      { filename: 'photo.png', content: Buffer.from('just some text') },
      { lang: 'de' },
    );
    assert.equal(textDe.statusCode, 415);
    assert.match(textDe.body, /kein Bild im Format JPEG, PNG, WebP oder AVIF/);
    const svg = await upload(staff, 'prism-eq', {
      filename: 'x.png',
      content: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
    });
    assert.equal(svg.statusCode, 415);
    const noise = await sharp({
      create: {
        width: 1200,
        height: 1200,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png()
      .toBuffer();
    assert.ok(noise.length > 1024 * 1024);
    const big = await upload(staff, 'prism-eq', { filename: 'big.png', content: noise });
    assert.equal(big.statusCode, 413);
    assert.match(big.body, /larger than 1 MB/);
    const bigDe = await upload(staff, 'prism-eq', { filename: 'big.png', content: noise }, { lang: 'de' });
    assert.equal(bigDe.statusCode, 413);
    assert.match(bigDe.body, /größer als 1 MB/);
    const huge = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    assert.ok(huge.length < 1024 * 1024, 'small in bytes');
    const pixels = await upload(staff, 'prism-eq', { filename: 'huge.png', content: huge });
    assert.equal(pixels.statusCode, 413);
    assert.match(pixels.body, /more than 40 million pixels/);
    const noAlt = await upload(staff, 'prism-eq', { filename: 'ok.png', content: await photo() }, { alt_de: ' ' });
    assert.equal(noAlt.statusCode, 400);
    assert.match(noAlt.body, /in English and German/);
    assert.equal(await rows(), 0);
    assert.deepEqual(onDisk(pid), []);
  });

  test('customers get 403 on every image route and nothing is stored', async () => {
    const customer = await signedIn(h, { ip: '203.0.113.63' });
    const pid = await productId(h, 'prism-eq');
    const res = await upload(customer, 'prism-eq', { filename: 'ok.png', content: await photo() });
    assert.equal(res.statusCode, 403);
    const [image] = await imagesOf('aurora-synth');
    assert.ok(image);
    const aid = await productId(h, 'aurora-synth');
    for (const path of [
      `/staff/products/${aid}/images/${image.id}/delete`,
      `/staff/products/${aid}/images/${image.id}`,
    ]) {
      const post = await customer.b.submit('/account', path, { alt_en: 'x', alt_de: 'y' });
      assert.equal(post.statusCode, 403, path);
    }
    assert.equal((await imagesOf('aurora-synth')).length, 1);
    assert.deepEqual(onDisk(pid), []);
  });

  test('staff change alt texts and order (the first is the main image) and delete an image with its files', async () => {
    const pid = await productId(h, 'aurora-synth');
    const second = await upload(
      staff,
      'aurora-synth',
      {
        filename: 'small.png',
        content: await sharp({ create: { width: 500, height: 250, channels: 4, background: '#0a0' } })
          .png()
          .toBuffer(),
      },
      { alt_en: 'The back panel', alt_de: 'Die Rückseite' },
    );
    assert.equal(second.statusCode, 303, second.body);
    const [first, small] = await imagesOf('aurora-synth');
    assert.ok(first && small);
    assert.equal(small.width, 500, 'never enlarged');
    assert.ok(onDisk(pid).includes(`${small.id}-320.webp`) && onDisk(pid).includes(`${small.id}-500.webp`));
    // The listings show each card's main image from their own statement, and keep listings for LISTING_CACHE_MS:
    // every change of images drops them at once.
    const cardImage = async (path: string) =>
      /<img src="\/media\/products\/([0-9a-f-]{36})-\d+\.webp"[^>]* alt="([^"]*)"/
        .exec((await h.app.inject({ method: 'GET', url: path })).body)
        ?.slice(1, 3);
    assert.deepEqual(await cardImage('/shop'), [first.id, 'The synthesizer from the front']);
    assert.deepEqual(await cardImage('/'), [first.id, 'The synthesizer from the front']);
    const edit = `/staff/products/${pid}`;
    const moved = await staff.b.submit(edit, `${edit}/images/${small.id}/move`, { move: 'first' });
    assert.equal(moved.statusCode, 303);
    assert.deepEqual(
      (await imagesOf('aurora-synth')).map((i) => i.id),
      [small.id, first.id],
    );
    assert.deepEqual(await cardImage('/shop'), [small.id, 'The back panel']);
    assert.deepEqual(await cardImage('/'), [small.id, 'The back panel']);
    const page = await h.app.inject({ method: 'GET', url: '/shop/aurora-synth' });
    assert.match(
      page.body,
      new RegExp(`<img src="/media/products/${small.id}-500.webp"[^>]+alt="The back panel" width="480" height="240"`),
    );
    assert.match(page.body, new RegExp(`class="product-gallery"><li><img src="/media/products/${first.id}-640.webp"`));
    const alt = await staff.b.submit(edit, `${edit}/images/${small.id}`, {
      alt_en: 'Rear panel',
      alt_de: 'Rückseite mit Anschlüssen',
    });
    assert.equal(alt.statusCode, 303);
    assert.equal((await imagesOf('aurora-synth'))[0]?.alt_de, 'Rückseite mit Anschlüssen');
    assert.deepEqual(await cardImage('/shop'), [small.id, 'Rear panel']);
    const emptyAlt = await staff.b.submit(edit, `${edit}/images/${small.id}`, { alt_en: '', alt_de: 'x' });
    assert.equal(emptyAlt.statusCode, 400);
    const deleted = await staff.b.submit(edit, `${edit}/images/${small.id}/delete`, {});
    assert.equal(deleted.statusCode, 303);
    assert.deepEqual(
      (await imagesOf('aurora-synth')).map((i) => i.id),
      [first.id],
    );
    assert.ok(!onDisk(pid).some((name) => name.startsWith(small.id)), 'its files are gone');
    assert.deepEqual(await cardImage('/shop'), [first.id, 'The synthesizer from the front']);
    assert.equal((await h.app.inject({ method: 'GET', url: `/media/products/${small.id}-320.webp` })).statusCode, 404);
  });

  test('files of a product deleted from the database are removed by the image job', async () => {
    // Its own upload, so that the test needs no other test's files.
    const res = await upload(staff, 'prism-eq', { filename: 'eq.png', content: await photo() });
    assert.equal(res.statusCode, 303, res.body);
    const pid = await productId(h, 'prism-eq');
    assert.equal(onDisk(pid).length, 3);
    await h.deps.db.deleteFrom('product_images').where('product_id', '=', pid).execute();
    assert.equal(await removeOrphanImageFiles(h.deps), 0, 'young files are left alone (an upload may be in flight)');
    h.clock.advance(2 * 60 * 60_000);
    assert.equal(await removeOrphanImageFiles(h.deps), 3);
    assert.deepEqual(onDisk(pid), []);
  });
});
