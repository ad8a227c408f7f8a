// Issue 16, found by attacking the running build: an account registered with a stranger's address, never
// confirmed, must not reach (or erase) what that address holds; an export never hands out mail as sent (it carries
// working links); the goodbye page after an erasure carries no vendor tag; no console date before 1970.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { deliverMail, signedIn } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { exportSubjectData } from '../../privacy/subject.ts';
import { selectRequest } from './rights.queries.ts';
import { openRequest } from './rights.service.ts';
import { parseDayEnd } from './rights.staff.service.ts';
import { runRequestNow } from './rights.steps.ts';

const SAME_ORIGIN = {
  origin: 'http://127.0.0.1:3000',
  'sec-fetch-site': 'same-origin',
  referer: 'http://127.0.0.1:3000/shop',
};

test('a console date before 1970 (a two-digit year) is refused, not read as the 1900s', () => {
  assert.equal(parseDayEnd('0024-05-01'), null);
  assert.equal(parseDayEnd('2024-05-01'), Date.UTC(2024, 4, 1, 23, 59, 59, 999));
});

describeEachDatabase('privacy centre: what an unconfirmed address and the export must not give away', (kind) => {
  let h: Harness;
  before(async () => {
    // The file mail sink, as in development and the demo: every mail is also a file under the data directory.
    h = await openHarness(kind, { mailer: 'file' });
  });
  after(() => h.close());

  test("an unconfirmed account with a guest's address sees, downloads and erases none of the guest's data", async () => {
    const victim = 'victim.guest@example.test';
    const { request } = await openRequest(h.deps, {
      kind: 'export',
      userId: null,
      email: victim,
      lang: 'en',
      channel: 'guest',
      verified: true,
    });
    assert.equal(await runRequestNow(h.deps, request.id), true);
    const zip = join(h.dataDir, 'exports', `${request.id}.zip`);
    assert.ok(existsSync(zip));

    const attacker = await signedIn(h, { email: victim, verified: false, name: 'Mallory' });
    const centre = await attacker.b.get('/account/privacy');
    assert.equal(centre.statusCode, 200);
    assert.ok(!centre.body.includes(request.id), "the guest's request is not listed");
    assert.equal((await attacker.b.get(`/account/privacy/exports/${request.id}`)).statusCode, 404);

    const erased = await attacker.b.submit('/account/privacy/erasure', '/account/privacy/erasure', {
      password: attacker.password,
    });
    assert.equal(erased.statusCode, 303, erased.body);
    assert.ok(existsSync(zip), "the guest's export survives the stranger's erasure");
    const kept = await selectRequest(h.deps.db, request.id);
    assert.equal(kept?.restricted_at, null, "the guest's request record is untouched");
  });

  test('the export leaves out mail as sent (working links) and earlier exports, and names why', async () => {
    const person = await signedIn(h, { name: 'Lina Links' });
    // A password reset mail: as sent, it holds a working link; the outbox row holds only a placeholder.
    assert.equal(
      (await person.b.api('POST', '/api/v1/password-resets', { email: person.email })).statusCode < 300,
      true,
    );
    await deliverMail(h);
    // The development mail sink keeps each mail as sent under DATA_DIR/mail/<outbox id>.eml, link and all.
    const mails = await h.deps.db.selectFrom('outbox').select('id').where('recipient', '=', person.email).execute();
    assert.ok(mails.length > 0);
    mkdirSync(join(h.dataDir, 'mail'), { recursive: true });
    for (const m of mails)
      writeFileSync(
        join(h.dataDir, 'mail', `${m.id}.eml`),
        'Subject: reset\n\nhttps://shop.test/reset?token=AHRG1234\n',
      );
    const exported = await exportSubjectData(h.deps, person.email);
    assert.deepEqual(
      exported.files.filter((f) => f.set === 'mail.sink-files' || f.set === 'rights.export-files'),
      [],
    );
    assert.ok(!JSON.stringify(exported).includes('token='), 'no working link anywhere in the export');
  });

  test('the goodbye page after an erasure carries no vendor tag, whatever the consent cookie says', async () => {
    const person = await signedIn(h, { name: 'Greta Goodbye' });
    const accepted = await person.b.post('/consent', [['action', 'accept']], SAME_ORIGIN);
    assert.equal(accepted.statusCode, 303);
    // With that consent an ordinary page admits the vendors' hosts; the goodbye page admits none.
    assert.match(String((await person.b.get('/privacy')).headers['content-security-policy']), /https:\/\//);
    const page = await person.b.get('/privacy/erased?lang=en');
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['cache-control']), /no-store/);
    assert.doesNotMatch(String(page.headers['content-security-policy']), /https:\/\//);
  });
});
