import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { runProductImportsJob } from './catalog.images.jobs.ts';
import { IMPORT_CHUNK, runProductImports } from './catalog.import.ts';
import { catalogFeature } from './index.ts';
import { multipart } from '../../testing/multipart.ts';

const HEADER = 'slug,kind,title_en,title_de,summary_en,summary_de,price,stock,category';

/** 250 rows; lines 12, 101 and 203 (file lines, the header being line 1) are wrong. */
function catalogueCsv(prefix: string): string {
  const lines = [HEADER];
  for (let i = 1; i <= 250; i++) {
    const line = i + 1;
    const slug = `${prefix}-${i}`;
    const price = line === 12 ? 'twelve' : i % 2 ? `${i}.50` : `"${i},99"`;
    const kind = line === 101 ? 'gadget' : i % 3 === 0 ? 'hardware' : 'software';
    const stock = kind === 'hardware' ? String(i) : '';
    const category = line === 203 ? 'no-such-category' : '';
    lines.push(
      `${slug},${kind},"Imported ${i}, English","Importiert ${i}",Summary ${i},Zusammenfassung ${i},${price},${stock},${category}`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

describeEachDatabase('product import from CSV', (db) => {
  let h: Harness;
  let staff: Account;

  before(async () => {
    h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    staff = await staffMember(h, { ip: '203.0.113.71' });
  });
  after(() => h.close());

  async function importFile(who: Account, file: { filename: string; content: Buffer }, lang?: string) {
    const page = await who.b.get('/staff/products/import');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? 'none';
    const body = multipart([['_csrf', token]], file);
    return h.app.inject({
      method: 'POST',
      url: '/staff/products/import',
      remoteAddress: who.b.ip,
      headers: {
        'content-type': body.contentType,
        cookie: who.b.cookieHeader(),
        accept: 'text/html',
        ...(lang ? { 'accept-language': lang } : {}),
      },
      payload: body.payload,
    });
  }

  /**
   * Follows the progress page until the import has finished (the page reloads itself while it runs), running the
   * import job between two loads as the worker would.
   */
  async function finished(who: Account, path: string, lang = 'en') {
    for (let i = 0; i < 50; i++) {
      const page = await who.b.get(path, { 'accept-language': lang });
      assert.equal(page.statusCode, 200, page.body);
      if (page.headers.refresh === undefined) return page;
      assert.equal(page.headers.refresh, '2');
      await runProductImportsJob.run(h.deps);
    }
    throw new Error('the import did not finish');
  }

  /** The report of an import's page: its counts line and its rejected rows (line, column, reason). */
  const reportOf = (body: string) => ({
    counts: /\d+ (?:of|von) \d+ (?:rows processed|Zeilen verarbeitet)[^<]*/.exec(body)?.[0],
    rows: [
      ...body.matchAll(
        /<tr><td data-label="(?:Line|Zeile)">(\d+)<\/td><td data-label="(?:Column|Spalte)"><code>([a-z_]+)<\/code><\/td><td data-label="(?:Reason|Grund)">([^<]+)<\/td><\/tr>/g,
      ),
    ].map((m) => [Number(m[1]), m[2], m[3]]),
  });

  test('250 rows with 3 wrong ones: 247 products, and a report naming the 3 lines and reasons in en and de', async () => {
    const res = await importFile(staff, { filename: 'catalogue.csv', content: Buffer.from(catalogueCsv('imp')) });
    assert.equal(res.statusCode, 303, res.body);
    const path = res.headers.location as string;
    assert.match(path, /^\/staff\/products\/import\/[0-9a-f-]{36}$/);
    const page = await finished(staff, path);
    assert.match(page.body, /250 of 250 rows processed: 247 created, 0 updated, 3 rejected\./);
    assert.match(page.body, /<strong>Finished<\/strong>/);
    const rows = [
      ...page.body.matchAll(
        /<tr><td data-label="Line">(\d+)<\/td><td data-label="Column"><code>([a-z_]+)<\/code><\/td><td data-label="Reason">([^<]+)<\/td><\/tr>/g,
      ),
    ].map((m) => [Number(m[1]), m[2], m[3]]);
    assert.deepEqual(rows, [
      [12, 'price', 'Enter a price such as 199.00, from 0.01 to 999,999.99.'],
      [101, 'kind', 'Choose a kind.'],
      [203, 'category', 'There is no category “no-such-category”.'],
    ]);
    const de = await finished(staff, path, 'de');
    assert.match(de.body, /250 von 250 Zeilen verarbeitet: 247 angelegt, 0 aktualisiert, 3 abgelehnt\./);
    assert.match(de.body, /Geben Sie einen Preis wie 199,00 ein/);
    assert.match(de.body, /Wählen Sie eine Art\./);
    assert.match(de.body, /Es gibt keine Kategorie „no-such-category“\./);
    const count = await h.deps.db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('slug', 'like', 'imp-%')
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 247);
    const p = await h.deps.db.selectFrom('products').selectAll().where('slug', '=', 'imp-2').executeTakeFirstOrThrow();
    assert.equal(p.title_en, 'Imported 2, English');
    assert.equal(Number(p.price_cents), 299, 'a decimal comma is understood');
    const hw = await h.deps.db.selectFrom('products').selectAll().where('slug', '=', 'imp-3').executeTakeFirstOrThrow();
    assert.equal(hw.kind, 'hardware');
    assert.equal(hw.stock, 3);
    const list = await staff.b.get('/staff/products/import');
    assert.ok(list.body.includes(`href="${path}"`), 'the import is listed');
    assert.match(list.body, /247 created/);
    // The imported products are found in the shop.
    const shop = await h.app.inject({ method: 'GET', url: '/shop/imp-5' });
    assert.equal(shop.statusCode, 200);
  });

  test('a row whose slug exists updates that product (semicolons and a decimal comma, as German spreadsheets write)', async () => {
    const before = await h.deps.db
      .selectFrom('products')
      .selectAll()
      .where('slug', '=', 'prism-eq')
      .executeTakeFirstOrThrow();
    const csv =
      'slug;kind;title_en;title_de;summary_en;summary_de;price\n' +
      `prism-eq;${before.kind};Prism EQ 2;Prism-EQ 2;${before.summary_en};${before.summary_de};"79,00"\n`;
    const res = await importFile(staff, { filename: 'update.csv', content: Buffer.from(csv) });
    assert.equal(res.statusCode, 303, res.body);
    const page = await finished(staff, res.headers.location as string);
    assert.match(page.body, /1 of 1 rows processed: 0 created, 1 updated, 0 rejected\./);
    const after = await h.deps.db
      .selectFrom('products')
      .selectAll()
      .where('slug', '=', 'prism-eq')
      .executeTakeFirstOrThrow();
    assert.equal(after.id, before.id);
    assert.equal(after.title_en, 'Prism EQ 2');
    assert.equal(Number(after.price_cents), 7900);
    assert.equal(after.status, before.status, 'without a status column the status is kept');
  });

  test('a product on sale keeps its kind, and a slug named twice in one file is refused at its second line', async () => {
    const before = await h.deps.db
      .selectFrom('products')
      .selectAll()
      .where('slug', '=', 'keystep-49')
      .executeTakeFirstOrThrow();
    assert.equal(before.kind, 'hardware');
    const csv =
      `${HEADER}\n` +
      `keystep-49,software,Keystep,Keystep,A,A,9.00,,\n` +
      `twice-1,software,Twice,Zweimal,S,Z,5.00,,\n` +
      `twice-1,hardware,Twice again,Nochmal,S,Z,6.00,3,\n`;
    const res = await importFile(staff, { filename: 'kinds.csv', content: Buffer.from(csv) }, 'de');
    assert.equal(res.statusCode, 303, res.body);
    const page = await finished(staff, res.headers.location as string, 'de');
    assert.match(page.body, /3 von 3 Zeilen verarbeitet: 1 angelegt, 0 aktualisiert, 2 abgelehnt\./);
    const report = reportOf(page.body).rows;
    assert.deepEqual(
      report.map((r) => [r[0], r[1]]),
      [
        [2, 'kind'],
        [4, 'slug'],
      ],
    );
    assert.match(String(report[0]![2]), /war bereits im Verkauf/);
    assert.match(String(report[1]![2]), /Zeile 3 nennt dieses Produkt bereits/);
    const after = await h.deps.db
      .selectFrom('products')
      .selectAll()
      .where('id', '=', before.id)
      .executeTakeFirstOrThrow();
    assert.equal(after.kind, before.kind);
    const twice = await h.deps.db
      .selectFrom('products')
      .selectAll()
      .where('slug', '=', 'twice-1')
      .executeTakeFirstOrThrow();
    assert.deepEqual([twice.kind, twice.title_en], ['software', 'Twice']);
  });

  test('requests are answered while an import runs: the job gives way between rows', async () => {
    const lines = [HEADER];
    for (let i = 1; i <= 300; i++) lines.push(`busy-${i},software,Busy ${i},Beschäftigt ${i},S,Z,1.00,,`);
    const res = await importFile(staff, { filename: 'busy.csv', content: Buffer.from(lines.join('\n')) });
    assert.equal(res.statusCode, 303, res.body);
    let importDone = false;
    const running = runProductImports(h.deps, { budgetMs: 60_000 }).then(() => (importDone = true));
    // Started after the import: answered long before its 300 rows are saved.
    const answer = await h.app.inject({ method: 'GET', url: '/shop' });
    assert.equal(answer.statusCode, 200);
    assert.equal(importDone, false, 'the request waited for the whole import');
    await running;
    const page = await finished(staff, res.headers.location as string);
    assert.match(page.body, /300 of 300 rows processed: 300 created/);
  });

  test('a file that is not CSV, an empty one, one without the columns or too big: 4xx in the staff member’s language', async () => {
    const before = await h.deps.db.selectFrom('product_imports').select('id').execute();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0xfe]);
    const binary = await importFile(staff, { filename: 'image.csv', content: png });
    assert.equal(binary.statusCode, 415);
    assert.match(binary.body, /cannot be imported: it is not UTF-8 text/);
    const binaryDe = await importFile(staff, { filename: 'image.csv', content: png }, 'de');
    assert.equal(binaryDe.statusCode, 415);
    assert.match(binaryDe.body, /kann nicht importiert werden: Sie ist kein UTF-8-Text/);
    const empty = await importFile(staff, { filename: 'empty.csv', content: Buffer.alloc(0) });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /holds no products/);
    const headerOnly = await importFile(staff, { filename: 'h.csv', content: Buffer.from(`${HEADER}\n`) });
    assert.equal(headerOnly.statusCode, 400);
    const emptyDe = await importFile(staff, { filename: 'empty.csv', content: Buffer.alloc(0) }, 'de');
    assert.match(emptyDe.body, /enthält keine Produkte/);
    const wrongColumns = await importFile(staff, { filename: 'x.csv', content: Buffer.from('name,cost\nA,1\n') });
    assert.equal(wrongColumns.statusCode, 415);
    assert.match(wrongColumns.body, /missing “slug”/);
    assert.match(wrongColumns.body, /unknown “name”, “cost”/);
    const broken = await importFile(staff, { filename: 'x.csv', content: Buffer.from(`${HEADER}\na,"b\n`) });
    assert.equal(broken.statusCode, 415);
    assert.match(broken.body, /not a well-formed CSV file/);
    const big = await importFile(staff, { filename: 'big.csv', content: Buffer.alloc(5 * 1024 * 1024 + 10, 0x61) });
    assert.equal(big.statusCode, 413);
    assert.match(big.body, /larger than 5 MB/);
    const none = await importFile(staff, { filename: '', content: Buffer.alloc(0) });
    assert.equal(none.statusCode, 400);
    assert.deepEqual(await h.deps.db.selectFrom('product_imports').select('id').execute(), before, 'no import started');
  });

  test('customers get 403 on the import pages and upload', async () => {
    const customer = await signedIn(h, { ip: '203.0.113.72' });
    assert.equal((await customer.b.get('/staff/products/import')).statusCode, 403);
    const res = await importFile(customer, { filename: 'c.csv', content: Buffer.from(catalogueCsv('cust')) });
    assert.equal(res.statusCode, 403);
    const [one] = await h.deps.db.selectFrom('product_imports').select('id').execute();
    assert.ok(one);
    assert.equal((await customer.b.get(`/staff/products/import/${one.id}`)).statusCode, 403);
    const count = await h.deps.db.selectFrom('products').select('id').where('slug', 'like', 'cust-%').execute();
    assert.equal(count.length, 0);
  });

  test('the import runs as a job of the catalogue, not in the request: nothing is saved before the job runs', async () => {
    assert.ok(
      (catalogFeature.jobs ?? []).some((j) => j.name === 'catalog.run-product-imports'),
      'the manifest declares the job',
    );
    const res = await importFile(staff, { filename: 'queued.csv', content: Buffer.from(catalogueCsv('que')) });
    assert.equal(res.statusCode, 303, res.body);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const saved = await h.deps.db.selectFrom('products').select('id').where('slug', 'like', 'que-%').execute();
    assert.equal(saved.length, 0, 'the request saved no row');
    const row = await h.deps.db
      .selectFrom('product_imports')
      .selectAll()
      .where('id', '=', (res.headers.location as string).split('/').pop() as string)
      .executeTakeFirstOrThrow();
    assert.equal(row.state, 'running');
    assert.equal(row.done, 0);
    assert.equal(row.source, catalogueCsv('que'), 'the file is stored with the import');
    await finished(staff, res.headers.location as string);
  });

  test('an import whose process died after one chunk is resumed by the job from where it stopped, with the same report', async () => {
    // The reference: the same rows imported without interruption.
    const whole = await importFile(staff, { filename: 'ref.csv', content: Buffer.from(catalogueCsv('ref')) });
    const reference = reportOf((await finished(staff, whole.headers.location as string)).body);
    assert.equal(reference.counts, '250 of 250 rows processed: 247 created, 0 updated, 3 rejected.');

    const res = await importFile(staff, { filename: 'res.csv', content: Buffer.from(catalogueCsv('res')) });
    assert.equal(res.statusCode, 303, res.body);
    const path = res.headers.location as string;
    const id = path.split('/').pop() as string;
    // One chunk, then the process "dies": nothing runs the job any more.
    assert.equal(await runProductImports(h.deps, { maxChunks: 1 }), 1);
    const stopped = await h.deps.db
      .selectFrom('product_imports')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(stopped.done, IMPORT_CHUNK);
    assert.equal(stopped.state, 'running');
    const firstChunk = await h.deps.db.selectFrom('products').select('slug').where('slug', 'like', 'res-%').execute();
    assert.equal(firstChunk.length, IMPORT_CHUNK - 2, 'the first chunk (lines 12 and 101 rejected) is committed');
    h.clock.advance(5 * 60_000);
    const waiting = await staff.b.get(path);
    assert.equal(waiting.headers.refresh, '2');
    assert.match(waiting.body, /<strong>Waiting<\/strong>/);
    assert.match(waiting.body, /100 of 250 rows processed/);
    assert.match(waiting.body, /continues by itself where it stopped/);
    const waitingDe = await staff.b.get(path, { 'accept-language': 'de' });
    assert.match(waitingDe.body, /<strong>Wartet<\/strong>/);
    assert.match(waitingDe.body, /an der unterbrochenen Stelle fort/);
    // A new process: the job (as the worker runs it) resumes from `done` and finishes.
    const page = await finished(staff, path);
    assert.match(page.body, /<strong>Finished<\/strong>/);
    assert.deepEqual(reportOf(page.body), reference, 'the same report as without the interruption');
    const products = await h.deps.db.selectFrom('products').select('slug').where('slug', 'like', 'res-%').execute();
    assert.equal(products.length, 247, 'no row saved twice, none missing');
    const done = await h.deps.db
      .selectFrom('product_imports')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(done.source, null, 'the file is dropped once every row was saved');
    assert.equal(await runProductImports(h.deps), 0, 'a finished import is not run again');
  });

  test('a broken page position on the import list answers 400 in the staff member’s language', async () => {
    for (const before of ['nonsense', '12x.abc', '.abc', '123.', '1.a/b']) {
      const res = await staff.b.get(`/staff/products/import?before=${encodeURIComponent(before)}`);
      assert.equal(res.statusCode, 400, before);
      assert.match(res.body, /page address is not valid/);
    }
    const de = await staff.b.get('/staff/products/import?before=nonsense', { 'accept-language': 'de' });
    assert.equal(de.statusCode, 400);
    assert.match(de.body, /Seitenadresse ist ungültig/);
    assert.equal((await staff.b.get('/staff/products/import?before=')).statusCode, 200, 'empty: the first page');
  });
});
