// The DPO console's audit page and the printable record of processing: for the DPO and admins only, in English
// and German, showing the same evidence as `candor audit` and the same record as /privacy/processing.json.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { asRole, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';

describeEachDatabase('the audit page and the printable record', (db) => {
  let h: Harness;
  let dpo: Account;
  before(async () => {
    h = await openHarness(db, { seed: true });
    dpo = await asRole(h, await staffMember(h), 'dpo');
  });
  after(() => h.close());

  test('only the DPO and admins open them; customers and other staff are refused', async () => {
    const customer = await signedIn(h);
    const staff = await staffMember(h);
    for (const path of ['/staff/privacy/audit', '/staff/privacy/record']) {
      assert.equal((await dpo.b.get(path)).statusCode, 200, path);
      assert.equal((await staff.b.get(path)).statusCode, 403, `staff ${path}`);
      assert.equal((await customer.b.get(path)).statusCode, 403, `customer ${path}`);
      const anonymous = await new Browser(h.app).get(path);
      assert.ok([302, 303, 401].includes(anonymous.statusCode), `anonymous ${path}: ${anonymous.statusCode}`);
    }
    const admin = await asRole(h, await staffMember(h), 'admin');
    assert.equal((await admin.b.get('/staff/privacy/audit')).statusCode, 200);
  });

  test('the audit page shows every check with its evidence, and a failed check by name, in both languages', async () => {
    const en = await dpo.b.get('/staff/privacy/audit', { 'accept-language': 'en' });
    assert.match(en.body, /All \d+ checks pass\./);
    assert.match(en.body, /<code>access-chain<\/code>/);
    assert.match(en.body, /<code>retention:privacy\.delete-old-access-records<\/code>/);
    assert.equal(en.headers['cache-control'], 'no-store');
    writeFileSync(join(h.deps.config.dataDir, 'stray-dump.csv'), 'x\n');
    const de = await dpo.b.get('/staff/privacy/audit', { 'accept-language': 'de' });
    assert.match(de.body, /<html lang="de"/);
    assert.match(de.body, /1 von \d+ Prüfungen nicht bestanden\./);
    assert.match(de.body, /Nicht bestanden/);
    assert.match(de.body, /stray-dump\.csv belongs to no file set/);
  });

  test('the printable record has every activity of /privacy/processing.json, in both languages', async () => {
    const json = JSON.parse((await new Browser(h.app).get('/privacy/processing.json')).body) as {
      activities: { id: string; name: { en: string; de: string } }[];
    };
    for (const lang of ['en', 'de'] as const) {
      const page = await dpo.b.get('/staff/privacy/record', { 'accept-language': lang });
      assert.equal(page.statusCode, 200);
      assert.match(
        page.body,
        lang === 'en' ? /Record of processing activities/ : /Verzeichnis von Verarbeitungstätigkeiten/,
      );
      for (const a of json.activities) {
        assert.ok(page.body.includes(`id="activity-${a.id}"`), a.id);
        assert.ok(page.body.includes(a.name[lang].replace(/&/g, '&amp;').replace(/'/g, '&#39;')), `${lang} ${a.id}`);
      }
    }
  });
});
