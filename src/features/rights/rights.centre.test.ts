// The privacy centre (/account/privacy): the access report holds the person's data and never another's, each form
// opens its request or switches its objection, bad input answers 400 in the person's language and changes nothing,
// forms need their token, erasure needs the password, refuses staff, runs at once and ends the session.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { findObjection } from '../../privacy/objections.ts';
import { signedIn as signUp, staffMember as staffUp } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { runDueRequests } from './rights.engine.ts';
import { recordDisclosure } from './rights.disclosures.ts';
import { runnerOf } from './rights.steps.ts';

const SAME_ORIGIN = { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' };
const PAGE = '/account/privacy';

describeEachDatabase('the privacy centre', (db) => {
  let h: Harness;
  let n = 20;
  // A fresh address per person, so that the per-IP limit of the sign-in routes never trips.
  const ip = () => `198.51.100.${n++}`;
  const signedIn = (o: Parameters<typeof signUp>[1] = {}) => signUp(h, { ip: ip(), ...o });
  const staffMember = () => staffUp(h, { ip: ip() });
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  const requestsOf = (userId: string) =>
    h.deps.db.selectFrom('privacy_requests').selectAll().where('subject', '=', userId).execute();

  test('signed out, the centre sends the visitor to sign in', async () => {
    const res = await new Browser(h.app).get(PAGE);
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/account\/login/);
  });

  test('the access report groups the person’s data by activity, with purpose, basis and retention, in both languages; never another person’s', async () => {
    const me = await signedIn({ name: 'Ada Report' });
    const other = await signedIn({ name: 'Zoe Elsewhere' });
    // A recorded hand-off to the mail relay is counted with its recipient.
    await h.deps.db
      .insertInto('address_disclosures')
      .values({
        id: 'a0000000-0000-4000-8000-00000000c001',
        email: me.email,
        activity: 'mail.service-messages',
        recipient: 'mail-provider',
        fields: '["to"]',
        disclosed_at: h.clock.now(),
      })
      .execute();
    const en = await me.b.get(PAGE);
    assert.match(en.body, /Hand-offs recorded: 1, the last on/);
    assert.equal(en.statusCode, 200, en.body);
    assert.match(en.body, /What we hold about you/);
    assert.match(en.body, /Ada Report/);
    assert.ok(en.body.includes(me.email));
    assert.match(en.body, /Art\. 6\(1\)\(b\) GDPR/);
    assert.match(en.body, /How long we keep it/);
    assert.match(en.body, /\[withheld: security credential\]/, 'the password hash is withheld');
    assert.ok(!en.body.includes(other.email), 'another person’s address is not in the report');
    assert.doesNotMatch(en.body, /Zoe Elsewhere/);
    assert.equal(en.headers['cache-control'], 'no-store');
    const de = await me.b.get(PAGE, { 'accept-language': 'de' });
    assert.match(de.body, /Was wir über Sie gespeichert haben/);
    assert.match(de.body, /Art\. 6 Abs\. 1 lit\. b DSGVO/);
    assert.match(de.body, /Aufsichtsbehörde/);
  });

  test('a disclosure to an authority shows with its authority; a confidential one stays out, even as a raw row', async () => {
    const me = await signedIn();
    const staff = await staffMember();
    const base = { email: me.email, legalBasis: '§ 161 StPO', categories: ['contact'], byUserId: staff.id };
    await recordDisclosure(h.deps, {
      ...base,
      authority: 'Polizei Nordstadt',
      reference: 'REF-SHOWN-1',
      disclosedAt: h.clock.now(),
      confidentialUntil: null,
    });
    await recordDisclosure(h.deps, {
      ...base,
      authority: 'Staatsanwaltschaft Geheim',
      reference: 'REF-SECRET-2',
      disclosedAt: h.clock.now(),
      confidentialUntil: h.clock.now() + 30 * 86_400_000,
    });
    const page = await me.b.get(PAGE);
    assert.match(page.body, /Polizei Nordstadt/);
    assert.match(page.body, /REF-SHOWN-1/);
    assert.doesNotMatch(page.body, /REF-SECRET-2|Staatsanwaltschaft Geheim/);
  });

  test('a copy: the export request is opened, runs, and its download link shows with its end', async () => {
    const me = await signedIn();
    const res = await me.b.submit(PAGE, `${PAGE}/export`, {});
    assert.equal(res.statusCode, 303);
    const [opened] = await requestsOf(me.id);
    assert.equal(opened?.kind, 'export');
    await runDueRequests(runnerOf(h.deps));
    // The background run may finish first; either way it is done once.
    for (let i = 0; i < 50; i++) {
      const row = await h.deps.db
        .selectFrom('privacy_requests')
        .select('state')
        .where('id', '=', opened!.id)
        .executeTakeFirst();
      if (row?.state === 'done') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const page = await me.b.get(PAGE);
    assert.ok(page.body.includes(`/account/privacy/exports/${opened!.id}`), 'the download link is shown');
    assert.match(page.body, /works until/);
    assert.doesNotMatch(page.body, /http-equiv="refresh"/);
  });

  test('an unconfirmed address may not take a copy: 403, nothing opened', async () => {
    const me = await signedIn({ verified: false });
    const res = await me.b.submit(PAGE, `${PAGE}/export`, {});
    assert.equal(res.statusCode, 403);
    assert.equal((await requestsOf(me.id)).length, 0);
  });

  test('a correction request goes to staff with its field and message; bad input is a 400 that opens nothing', async () => {
    const me = await signedIn();
    const bad = await me.b.submit(PAGE, `${PAGE}/correction`, { field: 'nonsense', message: '' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Choose what is wrong from the list/);
    const badDe = await me.b.submit(PAGE, `${PAGE}/correction`, { field: 'invoices', message: 'x'.repeat(2001) });
    assert.equal(badDe.statusCode, 400);
    assert.equal((await requestsOf(me.id)).length, 0);
    const ok = await me.b.submit(PAGE, `${PAGE}/correction`, {
      field: 'invoices',
      message: 'My company name is wrong',
    });
    assert.equal(ok.statusCode, 303);
    const [r] = await requestsOf(me.id);
    assert.equal(r?.kind, 'rectification');
    assert.equal(r?.state, 'received');
    assert.deepEqual(JSON.parse(r!.detail!), { field: 'invoices', message: 'My company name is wrong' });
  });

  test('a restriction names its ground; without one, 400 in German for a German reader, nothing opened', async () => {
    const me = await signedIn();
    const form = await me.b.get(PAGE, { 'accept-language': 'de' });
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const bad = await me.b.post(
      `${PAGE}/restriction`,
      { _csrf: token, ground: 'because' },
      { 'accept-language': 'de' },
    );
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Wählen Sie einen Grund/);
    assert.equal((await requestsOf(me.id)).length, 0);
    const ok = await me.b.submit(PAGE, `${PAGE}/restriction`, { ground: 'accuracy', message: 'My address is wrong' });
    assert.equal(ok.statusCode, 303);
    const [r] = await requestsOf(me.id);
    assert.equal(r?.kind, 'restriction');
    assert.deepEqual(JSON.parse(r!.detail!), { ground: 'accuracy', message: 'My address is wrong' });
  });

  test('the similar-product mail is switched off and on; an unknown activity is refused', async () => {
    const me = await signedIn();
    const activity = 'advertising.similar-products';
    const page = await me.b.get(PAGE);
    assert.match(page.body, new RegExp(`data-activity="${activity.replace('.', '\\.')}" data-objected="no"`));
    assert.match(page.body, /href="\/privacy\/analytics"/, 'the statistics objection is on its own page');
    const bad = await me.b.submit(PAGE, `${PAGE}/objection`, { activity: 'analytics.counting', choice: 'object' });
    assert.equal(bad.statusCode, 400);
    assert.equal(await findObjection(h.deps.db, me.id, 'analytics.counting', 'objection'), undefined);
    const out = await me.b.submit(PAGE, `${PAGE}/objection`, { activity, choice: 'object' });
    assert.equal(out.statusCode, 303);
    assert.equal((await findObjection(h.deps.db, me.id, activity, 'objection'))?.via, 'privacy-centre');
    assert.match((await me.b.get(PAGE)).body, /data-objected="yes"/);
    await me.b.submit(PAGE, `${PAGE}/objection`, { activity, choice: 'lift' });
    assert.equal(await findObjection(h.deps.db, me.id, activity, 'objection'), undefined);
  });

  test('every form needs its token', async () => {
    const me = await signedIn();
    for (const [path, fields] of [
      ['export', {}],
      ['correction', { field: 'other', message: 'x' }],
      ['restriction', { ground: 'accuracy' }],
      ['objection', { activity: 'advertising.similar-products', choice: 'object' }],
      ['erasure', { password: me.password }],
    ] as const) {
      const res = await me.b.post(`${PAGE}/${path}`, fields, SAME_ORIGIN);
      assert.equal(res.statusCode, 403, path);
    }
    assert.equal((await requestsOf(me.id)).length, 0);
    assert.ok(await h.deps.db.selectFrom('users').select('id').where('id', '=', me.id).executeTakeFirst());
  });

  test('erasure: the page lists what is kept; a wrong password is a 400 and erases nothing; staff are refused', async () => {
    const me = await signedIn();
    const page = await me.b.get(`${PAGE}/erasure`);
    assert.match(page.body, /Kept because the law requires it/);
    assert.match(page.body, /privacy_requests/);
    const wrong = await me.b.submit(`${PAGE}/erasure`, `${PAGE}/erasure`, { password: 'not my password' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /The current password is wrong/);
    const wrongDe = await me.b.get(`${PAGE}/erasure`, { 'accept-language': 'de' });
    assert.match(wrongDe.body, /Aufbewahrt, weil das Gesetz es verlangt/);
    assert.equal((await requestsOf(me.id)).length, 0);
    assert.ok(await h.deps.db.selectFrom('users').select('id').where('id', '=', me.id).executeTakeFirst());

    const staff = await staffMember();
    const refused = await staff.b.submit(`${PAGE}/erasure`, `${PAGE}/erasure`, { password: staff.password });
    assert.equal(refused.statusCode, 403);
    assert.ok(await h.deps.db.selectFrom('users').select('id').where('id', '=', staff.id).executeTakeFirst());
  });

  test('erasure with the password runs at once, ends the session and says goodbye', async () => {
    const me = await signedIn();
    const res = await me.b.submit(`${PAGE}/erasure`, `${PAGE}/erasure`, { password: me.password });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/privacy/erased?lang=en');
    assert.match(String(res.headers['clear-site-data']), /cookies/);
    assert.equal(
      await h.deps.db.selectFrom('users').select('id').where('id', '=', me.id).executeTakeFirst(),
      undefined,
    );
    const [r] = await requestsOf(me.id);
    assert.equal(r?.kind, 'erasure');
    assert.equal(r?.state, 'done');
    const bye = await me.b.get('/privacy/erased?lang=de');
    assert.equal(bye.statusCode, 200);
    assert.match(bye.body, /Ihr Konto ist gelöscht/);
    assert.equal((await me.b.get(PAGE)).statusCode, 303, 'signed out');
  });
});
