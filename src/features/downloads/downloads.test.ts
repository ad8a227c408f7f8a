import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';

describeEachDatabase('demo downloads', (db) => {
  let h: Harness;
  let b: Browser;
  before(async () => {
    h = await openHarness(db, { seed: true });
    b = new Browser(h.app);
    await b.api('POST', '/api/v1/accounts', {
      name: 'Demo Dan',
      email: 'dan@example.org',
      password: 'lemon river castle',
    });
    await b.api('POST', '/api/v1/sessions', { email: 'dan@example.org', password: 'lemon river castle' });
  });
  after(() => h.close());

  const downloads = () => h.deps.db.selectFrom('downloads').selectAll().execute();

  test('demos are for signed-in customers; each download is recorded', async () => {
    const anonymous = await new Browser(h.app).get('/shop/aurora-synth/demo');
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/account\/login\?next=/);
    const res = await b.get('/shop/aurora-synth/demo', { 'sec-fetch-site': 'same-origin' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="aurora-synth-demo.txt"/);
    assert.equal((await b.get('/shop/keystep-49/demo')).statusCode, 404, 'hardware has no demo');
    assert.equal((await downloads()).length, 1);
  });

  test('a demo download requested from another site records nothing and asks to confirm on our page', async () => {
    const before = (await downloads()).length;
    const foreign: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { referer: 'https://evil.example/page' },
    ];
    for (const headers of foreign) {
      const res = await b.get('/shop/aurora-synth/demo', headers);
      assert.equal(res.statusCode, 403, JSON.stringify(headers));
      assert.doesNotMatch(String(res.headers['content-disposition'] ?? ''), /attachment/);
      assert.match(res.body, /href="\/shop\/aurora-synth\/demo"/, 'a link on our own page downloads it');
    }
    const de = await b.get('/shop/aurora-synth/demo', { 'sec-fetch-site': 'cross-site', 'accept-language': 'de' });
    assert.equal(de.statusCode, 403);
    assert.match(de.body, /von einer anderen Website ausgelöst/);
    assert.equal((await downloads()).length, before, 'nothing recorded');
    // Typed into the address bar, or from our own page: recorded.
    assert.equal((await b.get('/shop/aurora-synth/demo', { 'sec-fetch-site': 'none' })).statusCode, 200);
    assert.equal(
      (
        await b.get('/shop/aurora-synth/demo', {
          'sec-fetch-site': 'same-origin',
          referer: 'http://127.0.0.1:3000/shop/aurora-synth',
        })
      ).statusCode,
      200,
    );
    assert.equal((await downloads()).length, before + 2);
  });
});
