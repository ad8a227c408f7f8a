// What an outside attack found in the delivery of digital goods, each pinned down: an upload refused after its file
// was read leaves nothing behind; a download link has one address only and sends a non-ASCII name as RFC 6266
// `filename*`; a line withdrawn from (its right of withdrawal kept without the § 356(5) consent) ends its licences
// and downloads.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fillBasket, productId, signedIn, staffMember, BERLIN, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { contentDisposition, originalFileName, sanitiseFileName } from './downloads.service.ts';

const ZIP = (size = 64) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(size)]);
const machine = (name: string) => createHash('sha256').update(name).digest('hex');

type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer };

/** A multipart/form-data body of the given parts; `end` replaces the closing delimiter (a broken end). */
function multipart(parts: Part[], end?: string) {
  const boundary = `----candor${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p)
      chunks.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`),
      );
    else
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\n` +
            'Content-Type: application/octet-stream\r\n\r\n',
        ),
        p.content,
        Buffer.from('\r\n'),
      );
  }
  chunks.push(Buffer.from(end === undefined ? `--${boundary}--\r\n` : end.replaceAll('BOUNDARY', boundary)));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachDatabase('delivery of digital goods under attack', (db) => {
  let h: Harness;
  let staff: Account;

  before(async () => {
    h = await openHarness(db, { seed: true, env: { DOWNLOAD_MAX_MB: '1', RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    staff = await staffMember(h, { ip: '203.0.113.90' });
  });
  after(() => h.close());

  async function formToken(who: Account, pid: string) {
    const page = await who.b.get(`/staff/products/${pid}`);
    return /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  }

  async function send(who: Account, pid: string, body: { payload: Buffer; contentType: string }, lang = 'en') {
    return h.app.inject({
      method: 'POST',
      url: `/staff/products/${pid}/downloads`,
      remoteAddress: who.b.ip,
      headers: {
        'content-type': body.contentType,
        cookie: who.b.cookieHeader(),
        accept: 'text/html',
        'accept-language': lang,
      },
      payload: body.payload,
    });
  }

  const rowsOf = (pid: string) =>
    h.deps.db.selectFrom('product_files').selectAll().where('product_id', '=', pid).execute();
  const filesOnDisk = (pid: string) => {
    const dir = join(h.dataDir, 'downloads', pid);
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  test('an upload refused after its file was read leaves no row and no file: second file, too many fields, broken end', async () => {
    const pid = await productId(h, 'prism-eq');
    const token = await formToken(staff, pid);
    const head: Part[] = [
      { name: '_csrf', value: token },
      { name: 'label', value: 'Installer' },
      { name: 'version', value: '1.0' },
      { name: 'file', filename: 'first.zip', content: ZIP() },
    ];
    const cases: [string, { payload: Buffer; contentType: string }][] = [
      ['a second file', multipart([...head, { name: 'file2', filename: 'b.txt', content: Buffer.from('second') }])],
      [
        'too many fields after the file',
        multipart([...head, ...Array.from({ length: 8 }, (_, i) => ({ name: `extra${i}`, value: 'x' }))]),
      ],
      ['a field named after a prototype property', multipart([...head, { name: 'toString', value: 'x' }])],
      [
        'a body cut off in the next part',
        multipart(head, '--BOUNDARY\r\nContent-Disposition: form-data; name="x"\r\n\r\nabc'),
      ],
      ['a body without its closing delimiter', multipart(head, '')],
      ['a body cut off after a delimiter', multipart(head, '--BOUNDARY\r\n')],
    ];
    for (const [what, body] of cases) {
      const res = await send(staff, pid, body);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${what}: ${res.statusCode}`);
      assert.match(res.body, /The file was not saved/, what);
      assert.deepEqual(await rowsOf(pid), [], `${what}: no row`);
      assert.deepEqual(filesOnDisk(pid), [], `${what}: no file on disk`);
    }
    const de = await send(staff, pid, cases[0]![1], 'de');
    assert.equal(de.statusCode, 400);
    assert.match(de.body, /Die Datei wurde nicht gespeichert/);
    assert.match(de.body, /mehr als eine Datei/);
    // The same upload, well formed, is saved: the refusals above were about the body, not the file.
    const ok = await send(staff, pid, multipart(head));
    assert.equal(ok.statusCode, 303, ok.body);
    assert.equal((await rowsOf(pid)).length, 1);
    assert.equal(filesOnDisk(pid).length, 1);
  });

  test('a download link has one address: an expiry with leading zeros or a sign is refused', async () => {
    const pid = await productId(h, 'aurora-synth');
    const token = await formToken(staff, pid);
    const upload = await send(
      staff,
      pid,
      multipart([
        { name: '_csrf', value: token },
        { name: 'label', value: 'Installer' },
        { name: 'version', value: '' },
        { name: 'file', filename: 'Überspielung Café 設定 (beta).zip', content: ZIP() },
      ]),
    );
    assert.equal(upload.statusCode, 303, upload.body);
    const buyer = await signedIn(h, { ip: '203.0.113.91' });
    await order(buyer, ['aurora-synth'], true);
    const page = await buyer.b.get('/account/products');
    const [link] = [...page.body.matchAll(/href="(\/downloads\/[^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(link);
    const res = await buyer.b.get(link);
    assert.equal(res.statusCode, 200);
    // The safe ASCII name first, then the name as uploaded, percent-encoded as UTF-8 (RFC 5987: parentheses too).
    assert.equal(
      res.headers['content-disposition'],
      `attachment; filename="Uberspielung-Cafe-beta.zip"; filename*=UTF-8''${encodeURIComponent('Überspielung Café 設定 ')}%28beta%29.zip`,
    );
    assert.match(page.body, /Überspielung Café 設定 \(beta\)\.zip/, 'My products shows the name as uploaded');
    const parts = link.split('/'); // '', downloads, file, user, expires, signature
    for (const expires of [`0${parts[4]}`, `00${parts[4]}`, `+${parts[4]}`, `${parts[4]}.0`]) {
      const altered = [...parts.slice(0, 4), expires, parts[5]].join('/');
      const refused = await buyer.b.get(altered);
      assert.equal(refused.statusCode, 403, expires);
      assert.match(refused.body, /download link is not valid/);
    }
  });

  test('file names: the safe ASCII name drops accents; the original keeps its letters without quotes, slashes or controls', () => {
    assert.equal(sanitiseFileName('Ärger Übung.zip'), 'Arger-Ubung.zip');
    assert.equal(sanitiseFileName('設定.zip'), 'download.zip');
    assert.equal(sanitiseFileName('../../Aurora Setup (mac).zip'), 'Aurora-Setup-mac.zip');
    assert.equal(originalFileName('Aurora Setup.zip', 'Aurora-Setup.zip'), null, 'ASCII: the safe name says it');
    assert.equal(originalFileName('C:\\x\\"Ärger"\u0007.zip', 'Arger.zip'), 'Ärger.zip');
    assert.equal(originalFileName('a/b/設定.zip', 'download.zip'), '設定.zip');
    assert.equal(originalFileName('Ärger\u202Epiz.exe', 'Arger-piz.exe'), 'Ärgerpiz.exe', 'no direction override');
    assert.equal(
      contentDisposition({ file_name: 'x.zip', original_name: "it's (1)*.zip" }),
      `attachment; filename="x.zip"; filename*=UTF-8''it%27s%20%281%29%2A.zip`,
    );
    assert.equal(contentDisposition({ file_name: 'x.zip', original_name: null }), 'attachment; filename="x.zip"');
  });

  /** Places an order over the API, with or without the § 356(5) consent for digital content. */
  async function order(who: Account, slugs: string[], digitalConsent: boolean): Promise<string> {
    await fillBasket(h, who.b, slugs);
    const res = await who.b.api(
      'POST',
      '/api/v1/orders',
      {
        billingAddress: BERLIN,
        payment: { method: 'wallet' },
        consents: { terms: true, ...(digitalConsent ? { digitalContent: true } : {}) },
      },
      { 'idempotency-key': `delivery-${randomBytes(6).toString('hex')}` },
    );
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { id: string }).id;
  }

  async function withdraw(who: Account, orderId: string, line: string) {
    const page = await who.b.get(`/account/orders/${orderId}/withdraw`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const fields: [string, string][] = [
      ['_csrf', csrf],
      ['line', line],
      ['statement', ''],
    ];
    const step1 = await who.b.post(`/account/orders/${orderId}/withdraw`, fields);
    assert.equal(step1.statusCode, 200, step1.body);
    const step2 = await who.b.post(`/account/orders/${orderId}/withdraw/confirm`, fields);
    assert.ok(step2.statusCode < 400, `${step2.statusCode} ${step2.body}`);
  }

  test('a software line withdrawn from (no § 356(5) consent): its key no longer activates, its download is refused, My products says withdrawn', async () => {
    // Its own product and file, so that the test passes alone and leaves the other tests' products as they were.
    const pid = await productId(h, 'tidal-delay');
    const uploaded = await send(
      staff,
      pid,
      multipart([
        { name: '_csrf', value: await formToken(staff, pid) },
        { name: 'label', value: 'Installer' },
        { name: 'version', value: '2.0' },
        { name: 'file', filename: 'tidal-delay.zip', content: ZIP() },
      ]),
    );
    assert.equal(uploaded.statusCode, 303, uploaded.body);
    const buyer = await signedIn(h, { ip: '203.0.113.92' });
    const orderId = await order(buyer, ['tidal-delay', 'padgrid'], false);
    const [licence] = (await buyer.b.api('GET', '/api/v1/me/licences')).json().items as { key: string }[];
    assert.ok(licence);
    const activate = (fingerprint: string) =>
      new Browser(h.app).api('POST', `/api/v1/licences/${licence.key}/activations`, { fingerprint });
    assert.equal((await activate(machine('studio'))).statusCode, 201, 'activates before the withdrawal');
    const before = await buyer.b.get('/account/products');
    const [link] = [...before.body.matchAll(/href="(\/downloads\/[^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(link, 'the download is offered before the withdrawal');
    assert.equal((await buyer.b.get(link)).statusCode, 200);

    const lines = JSON.parse(
      (await h.deps.db.selectFrom('orders').select('lines').where('id', '=', orderId).executeTakeFirstOrThrow()).lines,
    ) as { productId: string }[];
    await withdraw(buyer, orderId, String(lines.findIndex((l) => l.productId === pid)));

    const again = await activate(machine('studio'));
    assert.equal(again.statusCode, 410, 'the machine activated before no longer validates');
    assert.match(again.body, /withdrawn/);
    assert.equal((await activate(machine('laptop'))).statusCode, 410, 'no new machine either');
    const api = (await buyer.b.api('GET', `/api/v1/licences/${licence.key}`)).json();
    assert.ok(api.withdrawnAt, 'the API says when it was withdrawn');
    assert.deepEqual(api.activations, [], 'its machines are deactivated');
    const refused = await buyer.b.get(link);
    assert.equal(refused.statusCode, 403, 'the link made before is refused');
    assert.match(refused.body, /not in your account/);
    const page = await buyer.b.get('/account/products');
    assert.match(page.body, /Withdrawn on .*no longer delivered/);
    assert.match(page.body, /Licence key \(withdrawn\)/);
    assert.match(page.body, /this key no longer activates the software/);
    assert.doesNotMatch(page.body, /href="\/downloads\//, 'no download offered any more');
    const de = await buyer.b.get('/account/products', { 'accept-language': 'de' });
    assert.match(de.body, /Widerrufen am .*wird nicht mehr geliefert/);
    assert.match(de.body, /Lizenzschlüssel \(widerrufen\)/);

    // With the consent, another order's key of the same product is untouched by the first order's withdrawal.
    const other = await signedIn(h, { ip: '203.0.113.93' });
    await order(other, ['tidal-delay'], true);
    const [kept] = (await other.b.api('GET', '/api/v1/me/licences')).json().items as { key: string }[];
    const ok = await new Browser(h.app).api('POST', `/api/v1/licences/${kept!.key}/activations`, {
      fingerprint: machine('other'),
    });
    assert.equal(ok.statusCode, 201);
  });
});
