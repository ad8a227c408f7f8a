import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { addressCarriesSecret } from '../../platform/http/sensitive.ts';
import { findUnregisteredFiles } from '../../privacy/files.ts';
import { placeOrder, productId, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { downloadLink } from './downloads.service.ts';
import { multipart } from '../../testing/multipart.ts';

const machine = (name: string) => createHash('sha256').update(name).digest('hex');
const ZIP = (size = 64) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(size)]);

describeEachDatabase('purchased downloads, bundles and machine names', (db) => {
  let h: Harness;
  let staff: Account;

  before(async () => {
    h = await openHarness(db, { seed: true, env: { DOWNLOAD_MAX_MB: '1', RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    staff = await staffMember(h, { ip: '203.0.113.60' });
  });
  after(() => h.close());

  /** Uploads through the product's edit page, as staff do (the form token from that page). */
  async function upload(
    who: Account,
    slug: string,
    file: { filename: string; content: Buffer },
    options: { label?: string; version?: string; token?: string | null; lang?: string } = {},
  ) {
    const id = await productId(h, slug);
    const page = await who.b.get(`/staff/products/${id}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const fields: [string, string][] = [];
    if (options.token !== null) fields.push(['_csrf', options.token ?? token]);
    fields.push(['label', options.label ?? 'Installer for macOS'], ['version', options.version ?? '1.2.0']);
    const body = multipart(fields, file);
    return h.app.inject({
      method: 'POST',
      url: `/staff/products/${id}/downloads`,
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

  const filesOf = async (slug: string) =>
    h.deps.db
      .selectFrom('product_files')
      .selectAll()
      .where('product_id', '=', await productId(h, slug))
      .execute();
  const filesOnDisk = (pid: string) => {
    const dir = join(h.dataDir, 'downloads', pid);
    return existsSync(dir) ? readdirSync(dir) : [];
  };
  const downloadLinks = (body: string) => [...body.matchAll(/href="(\/downloads\/[^"]+)"/g)].map((m) => m[1] as string);

  test('staff upload a file on the product page: checksum, sanitised name, stored under the data directory', async () => {
    const content = ZIP(2000);
    const res = await upload(staff, 'aurora-synth', { filename: '../../Aurora Setup (mac).zip', content });
    assert.equal(res.statusCode, 303, res.body);
    const pid = await productId(h, 'aurora-synth');
    assert.equal(res.headers.location, `/staff/products/${pid}#downloads`);
    const [row] = await filesOf('aurora-synth');
    assert.ok(row);
    assert.equal(row.file_name, 'Aurora-Setup-mac.zip');
    assert.equal(row.content_type, 'application/zip');
    assert.equal(Number(row.size_bytes), content.length);
    assert.equal(row.sha256, createHash('sha256').update(content).digest('hex'));
    assert.deepEqual(readFileSync(join(h.dataDir, 'downloads', pid, row.id)), content);
    const page = await staff.b.get(`/staff/products/${pid}`);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    assert.ok(page.body.includes(row.sha256), 'the edit page lists the file with its checksum');
    assert.match(page.body, /Installer for macOS/);
    assert.deepEqual(findUnregisteredFiles(h.deps.dataMap, h.dataDir), [], 'the file is in the data map');
  });

  test('a wrong type, a renamed file, a file too big, no form token or no staff role: 4xx and nothing stored', async () => {
    const pid = await productId(h, 'prism-eq');
    const before = { rows: (await filesOf('prism-eq')).length, disk: filesOnDisk(pid).length };
    const html = await upload(staff, 'prism-eq', { filename: 'notes.html', content: Buffer.from('<p>hi</p>') });
    assert.equal(html.statusCode, 415);
    assert.match(html.body, /cannot be offered for download/);
    const renamed = await upload(staff, 'prism-eq', { filename: 'setup.exe', content: Buffer.from('not a program') });
    assert.equal(renamed.statusCode, 415);
    assert.match(renamed.body, /does not match its extension/);
    const big = await upload(staff, 'prism-eq', { filename: 'big.zip', content: ZIP(1024 * 1024 + 10) });
    assert.equal(big.statusCode, 413);
    assert.match(big.body, /larger than 1 MB/);
    const bigDe = await upload(
      staff,
      'prism-eq',
      { filename: 'big.zip', content: ZIP(1024 * 1024 + 10) },
      { lang: 'de' },
    );
    assert.equal(bigDe.statusCode, 413);
    assert.match(bigDe.body, /größer als 1 MB/);
    const noLabel = await upload(staff, 'prism-eq', { filename: 'ok.zip', content: ZIP() }, { label: ' ' });
    assert.equal(noLabel.statusCode, 400);
    const forged = await upload(staff, 'prism-eq', { filename: 'ok.zip', content: ZIP() }, { token: 'forged' });
    assert.equal(forged.statusCode, 403);
    const none = await upload(staff, 'prism-eq', { filename: 'ok.zip', content: ZIP() }, { token: null });
    assert.equal(none.statusCode, 403);
    const customer = await signedIn(h, { ip: '203.0.113.61' });
    const notStaff = await upload(customer, 'prism-eq', { filename: 'ok.zip', content: ZIP() });
    assert.ok(notStaff.statusCode === 403 || notStaff.statusCode === 404, String(notStaff.statusCode));
    assert.equal((await filesOf('prism-eq')).length, before.rows, 'no row');
    assert.equal(filesOnDisk(pid).length, before.disk, 'no file left behind');
  });

  test('a buyer downloads through the signed link in My products; each download is counted', async () => {
    const content = Buffer.from('%PDF-1.7 manual of Prism EQ');
    assert.equal((await upload(staff, 'prism-eq', { filename: 'Prism Manual.pdf', content })).statusCode, 303);
    const [file] = await filesOf('prism-eq');
    const buyer = await signedIn(h, { ip: '203.0.113.62' });
    await placeOrder(h, buyer.b, ['prism-eq']);
    const page = await buyer.b.get('/account/products');
    const [link] = downloadLinks(page.body);
    assert.ok(link, 'My products links the file');
    assert.match(page.body, /not downloaded yet/);
    const res = await new Browser(h.app).get(link);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-disposition'], 'attachment; filename="Prism-Manual.pdf"');
    assert.equal(res.headers['content-type'], 'application/pdf');
    // The link is a credential: no cache keeps the file, no referrer carries the link on, no vendor tag sees it.
    assert.ok(addressCarriesSecret(link), 'the platform recognises the signature in the address');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.body, content.toString());
    assert.equal((await buyer.b.get(link)).statusCode, 200);
    const counted = await h.deps.db
      .selectFrom('file_downloads')
      .selectAll()
      .where('user_id', '=', buyer.id)
      .where('file_id', '=', file!.id)
      .execute();
    assert.equal(counted.length, 2);
    assert.match((await buyer.b.get('/account/products')).body, /downloaded 2 times/);
    assert.match((await buyer.b.get('/account/products', { 'accept-language': 'de' })).body, /2-mal heruntergeladen/);
  });

  test('a forged, altered, expired or non-buyer link is refused with a page in the language of the visitor', async () => {
    const uploaded = await upload(staff, 'aurora-synth', { filename: 'aurora-link-test.zip', content: ZIP() });
    assert.equal(uploaded.statusCode, 303);
    const file = (await filesOf('aurora-synth')).find((f) => f.file_name === 'aurora-link-test.zip');
    const buyer = await signedIn(h, { ip: '203.0.113.63' });
    await placeOrder(h, buyer.b, ['aurora-synth']);
    const [link] = downloadLinks((await buyer.b.get('/account/products')).body).filter((l) => l.includes(file!.id));
    assert.ok(link);
    const parts = link.split('/'); // '', downloads, file, user, expires, signature
    const before = await h.deps.db.selectFrom('file_downloads').selectAll().execute();

    const forged = await new Browser(h.app).get([...parts.slice(0, 5), 'A'.repeat(43)].join('/'));
    assert.equal(forged.statusCode, 403);
    assert.match(forged.body, /download link is not valid/);
    const longer = [...parts.slice(0, 4), String(Number(parts[4]) + 86_400_000), parts[5]].join('/');
    assert.equal((await new Browser(h.app).get(longer)).statusCode, 403, 'a later expiry breaks the signature');
    const nonBuyer = await signedIn(h, { ip: '203.0.113.64' });
    const swapped = [...parts.slice(0, 3), nonBuyer.id, ...parts.slice(4)].join('/');
    assert.equal((await nonBuyer.b.get(swapped)).statusCode, 403, 'another customer cannot use the link as theirs');
    assert.equal(downloadLinks((await nonBuyer.b.get('/account/products')).body).length, 0);
    // A link correctly signed for someone who did not buy the product (as if the signing were misused) is refused.
    const unowned = await nonBuyer.b.get(downloadLink(h.deps, file!.id, nonBuyer.id).href);
    assert.equal(unowned.statusCode, 403);
    assert.match(unowned.body, /not in your account/);

    const now = h.clock.now();
    h.clock.advance(24 * 60 * 60 * 1000 + 1000);
    let expired;
    try {
      expired = await new Browser(h.app).get(link, { 'accept-language': 'de' });
    } finally {
      h.clock.set(now); // the other tests' sessions stay as they were
    }
    assert.equal(expired.statusCode, 410);
    assert.match(expired.body, /Download-Link ist abgelaufen/);
    const after = await h.deps.db.selectFrom('file_downloads').selectAll().execute();
    assert.equal(after.length, before.length, 'no refused link is counted');
    assert.equal((await new Browser(h.app).get(link)).statusCode, 200, 'within its lifetime the link works');
  });

  test('My products lists every item of a bundle with its keys and downloads, and the how-to staff wrote', async () => {
    const suite = (await new Browser(h.app).api('GET', '/api/v1/products/studio-suite')).json() as {
      contents: { id: string; slug: string; kind: string; title: string }[];
    };
    const expansion = suite.contents.find((c) => c.kind === 'expansion');
    assert.ok(expansion, 'the demo bundle holds an expansion');
    assert.equal(
      (await upload(staff, expansion.slug, { filename: 'expansion-content.zip', content: ZIP() })).statusCode,
      303,
    );
    const expansionId = expansion.id;
    const howTo = await staff.b.submit(`/staff/products/${expansionId}`, `/staff/products/${expansionId}/how-to`, {
      how_to_en: 'Open the player.\n\nChoose "Add library" and pick the unpacked folder.',
      how_to_de: 'Öffnen Sie den Player.\n\nWählen Sie „Bibliothek hinzufügen“ und den entpackten Ordner.',
    });
    assert.equal(howTo.statusCode, 303);
    const buyer = await signedIn(h, { ip: '203.0.113.65' });
    await placeOrder(h, buyer.b, ['studio-suite']);
    const page = await buyer.b.get('/account/products');
    assert.equal(page.statusCode, 200);
    for (const c of suite.contents) assert.ok(page.body.includes(c.title), `${c.title} listed`);
    const licences = (await buyer.b.api('GET', '/api/v1/me/licences')).json().items as { key: string }[];
    assert.ok(licences.length > 0);
    for (const l of licences) {
      assert.equal(page.body.split(l.key).length - 1, 1, `key ${l.key} shown once`);
      assert.match(page.body, new RegExp(`<code class="licence-key" id="key-[^"]+">${l.key}</code>`));
    }
    assert.match(page.body, /This bundle contains:/);
    assert.match(page.body, /Choose &quot;Add library&quot; and pick the unpacked folder\./);
    assert.match(page.body, /<script src="\/licences\/copy-keys\.js" defer><\/script>/);
    assert.match(page.body, /data-copy-label="Copy key"/);
    const expansionFile = (await filesOf(expansion.slug))[0]!;
    const link = downloadLinks(page.body).find((l) => l.includes(expansionFile.id));
    assert.ok(link, 'the expansion bought inside the bundle has its download');
    assert.equal((await buyer.b.get(link)).statusCode, 200);
    const de = await buyer.b.get('/account/products', { 'accept-language': 'de' });
    assert.match(de.body, /Dieses Paket enthält:/);
    assert.match(de.body, /Wählen Sie „Bibliothek hinzufügen“/);
    const script = await new Browser(h.app).get('/licences/copy-keys.js');
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
    assert.match(script.body, /navigator\.clipboard/);
  });

  test('the activating software sends a machine name; My products shows it; the owner renames it', async () => {
    const buyer = await signedIn(h, { ip: '203.0.113.66' });
    await placeOrder(h, buyer.b, ['prism-eq']);
    const [licence] = (await buyer.b.api('GET', '/api/v1/me/licences')).json().items as { key: string }[];
    const key = licence!.key;
    const activate = (body: unknown) => new Browser(h.app).api('POST', `/api/v1/licences/${key}/activations`, body);
    const first = await activate({ fingerprint: machine('imac'), machineName: '  Studio   iMac ' });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().machineName, 'Studio iMac');
    const unnamed = await activate({ fingerprint: machine('laptop') });
    assert.equal(unnamed.statusCode, 201);
    assert.equal(unnamed.json().machineName, null, 'the name stays optional');
    for (const bad of ['', '<script>', 'a'.repeat(41), 'Keys 🎹'])
      assert.equal((await activate({ fingerprint: machine('x'), machineName: bad })).statusCode, 400, bad);
    const page = await buyer.b.get('/account/products');
    assert.match(page.body, /<strong class="machine-name">Studio iMac<\/strong>/);
    assert.match(page.body, /Unnamed machine [0-9a-f]{12}…/);
    const renamePath = `/account/products/licences/${key}/activations/${first.json().id}/rename`;
    const renamed = await buyer.b.submit('/account/products', renamePath, { machineName: 'Tour MacBook' });
    assert.equal(renamed.statusCode, 303);
    assert.match((await buyer.b.get('/account/products')).body, /Tour MacBook/);
    const api = (await buyer.b.api('GET', `/api/v1/licences/${key}`)).json();
    assert.ok(api.activations.some((a: { machineName: string }) => a.machineName === 'Tour MacBook'));
    const bad = await buyer.b.submit('/account/products', renamePath, { machineName: '<b>' });
    assert.equal(bad.statusCode, 303);
    const shown = await buyer.b.get(String(bad.headers.location), { 'accept-language': 'de' });
    assert.match(shown.body, /Der Rechner wurde nicht umbenannt/);
    assert.match(shown.body, /Tour MacBook/, 'the old name stays');
    const stranger = await signedIn(h, { ip: '203.0.113.67' });
    assert.equal((await stranger.b.submit('/account/products', renamePath, { machineName: 'Mine' })).statusCode, 404);
  });
});
