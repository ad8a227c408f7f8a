import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Browser, describeEachDatabase, openHarness } from '../../testing/harness.ts';
import { downloadListeners } from './index.ts';

describeEachDatabase('demo downloads', (db) => {
  test('demos are for signed-in customers; each download is recorded and announced to listeners', async () => {
    const h = await openHarness(db, { seed: true });
    const heard: string[] = [];
    const listener = async (_deps: unknown, d: { product_id: string }) => void heard.push(d.product_id);
    downloadListeners.push(listener);
    try {
      const anonymous = await new Browser(h.app).get('/shop/aurora-synth/demo');
      assert.equal(anonymous.statusCode, 303);
      assert.match(String(anonymous.headers.location), /^\/account\/login\?next=/);
      const b = new Browser(h.app);
      await b.api('POST', '/api/v1/accounts', { name: 'Demo Dan', email: 'dan@example.org', password: 'lemon river castle' });
      await b.api('POST', '/api/v1/sessions', { email: 'dan@example.org', password: 'lemon river castle' });
      const res = await b.get('/shop/aurora-synth/demo');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="aurora-synth-demo.txt"/);
      assert.equal((await b.get('/shop/keystep-49/demo')).statusCode, 404, 'hardware has no demo');
      const rows = await h.deps.db.selectFrom('downloads').selectAll().execute();
      assert.equal(rows.length, 1);
      assert.deepEqual(heard, [rows[0]!.product_id]);
    } finally {
      downloadListeners.splice(downloadListeners.indexOf(listener), 1);
      await h.close();
    }
  });
});
