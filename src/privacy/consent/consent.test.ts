import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { runInNewContext } from 'node:vm';
import { consentCss, consentJs, consentModeJs } from './consent.assets.ts';
import { verifyConsentChain } from './ledger.ts';
import { decodeTcString } from './tcf.ts';

const SAME_ORIGIN = { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' };
const vendorScripts = (body: string) =>
  [...body.matchAll(/<script src="([^"]+)" async data-vendor="([^"]+)"/g)].map((m) => m[2]!);
const setCookieNames = (res: { headers: Record<string, unknown> }) =>
  ([] as string[])
    .concat((res.headers['set-cookie'] as string | string[] | undefined) ?? [])
    .map((c) => c.slice(0, c.indexOf('=')));

describeEachDatabase('consent', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  const choose = (b: Browser, fields: [string, string][], headers: Record<string, string> = {}) =>
    b.post('/consent', fields, { ...SAME_ORIGIN, referer: 'http://127.0.0.1:3000/shop', ...headers });

  test('a first visit gets no cookie, no vendor tag and a strict CSP; the banner offers accept and reject side by side', async () => {
    const b = new Browser(h.app);
    const res = await b.get('/');
    assert.equal(res.headers['set-cookie'], undefined);
    assert.deepEqual(vendorScripts(res.body), []);
    assert.doesNotMatch(String(res.headers['content-security-policy']), /https:\/\//);
    assert.match(res.body, /<dialog open class="consent-banner"/);
    assert.match(
      res.body,
      /<button type="submit" name="action" value="accept">Accept all<\/button>\s*<button type="submit" name="action" value="reject">Reject all<\/button>/,
    );
    const de = await b.get('/', { 'accept-language': 'de' });
    assert.match(
      de.body,
      />Alle akzeptieren<\/button>\s*<button type="submit" name="action" value="reject">Alle ablehnen</,
    );
    // Google Consent Mode defaults are emitted (all denied) without loading anything from Google.
    assert.match(
      res.body,
      /<script src="\/consent\/consent-mode.js" data-state="\{&quot;ad_storage&quot;:&quot;denied&quot;/,
    );
  });

  test('accept all records a receipt, loads the enabled vendors and admits their hosts in the CSP; withdrawal takes them away', async () => {
    const b = new Browser(h.app, '198.51.100.23');
    const accepted = await choose(b, [['action', 'accept']]);
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, '/shop');
    const page = await b.get('/shop');
    const loaded = vendorScripts(page.body);
    for (const v of h.deps.consent.vendors) {
      if (v.tag.scripts.length > 0) assert.ok(loaded.includes(v.template.id), v.template.id);
      for (const host of v.template.hosts.script)
        assert.ok(String(page.headers['content-security-policy']).includes(`https://${host}`), host);
    }
    assert.doesNotMatch(page.body, /consent-banner/);
    assert.match(page.body, /&quot;analytics_storage&quot;:&quot;granted&quot;/);
    assert.equal((await b.get('/consent/vendors/google-analytics.js')).statusCode, 200);

    // The vendor's own cookies on our domain are expired as soon as consent goes.
    const withdrawn = await b.post('/consent', [['action', 'withdraw']], {
      ...SAME_ORIGIN,
      cookie: `${b.cookieHeader()}; _ga=GA1.1.123.456; _fbp=fb.1.2.3`,
    });
    assert.equal(withdrawn.statusCode, 303);
    const expired = ([] as string[])
      .concat(withdrawn.headers['set-cookie'] as string[])
      .filter((c) => /Max-Age=0/.test(c));
    assert.ok(expired.some((c) => c.startsWith('_ga=;')));
    assert.ok(expired.some((c) => c.startsWith('_fbp=;')));
    const after = await b.get('/shop');
    assert.deepEqual(vendorScripts(after.body), []);
    assert.doesNotMatch(String(after.headers['content-security-policy']), /https:\/\//);
    assert.equal((await b.get('/consent/vendors/google-analytics.js')).statusCode, 404);

    const api = (await b.api('GET', '/api/v1/consent')).json();
    assert.deepEqual(
      api.receipts.map((r: { action: string }) => r.action),
      ['accept', 'withdraw'],
    );
    assert.equal(api.receipts[0].policyHash, h.deps.consent.hash);
    const receipts = await h.deps.db
      .selectFrom('consent_records')
      .selectAll()
      .where(
        'hash',
        'in',
        api.receipts.map((r: { hash: string }) => r.hash),
      )
      .execute();
    assert.ok(receipts.every((r) => r.ip_anon === '198.51.100.0' && r.browser === 'Firefox' && r.locale === 'en'));
  });

  test('per-category and per-vendor choices: only the chosen vendors load, and cookies of the others are refused', async () => {
    const b = new Browser(h.app);
    await choose(b, [
      ['action', 'custom'],
      ['categories', 'statistics'],
      ['vendors', 'google-analytics'],
      ['vendors', 'criteo'],
    ]);
    const page = await b.get('/');
    assert.deepEqual(vendorScripts(page.body), ['google-analytics']);
    const csp = String(page.headers['content-security-policy']);
    assert.ok(csp.includes('https://www.googletagmanager.com'));
    assert.ok(!csp.includes('criteo'), 'criteo is marketing, which was not chosen');
    assert.ok(!csp.includes('hotjar'), 'hotjar was not ticked');
    const res = await b.get('/', { cookie: `${b.cookieHeader()}; _hjSessionUser_1000001=x; _ga=keep` });
    assert.deepEqual(
      setCookieNames(res),
      ['_hjSessionUser_1000001', '_hjSessionUser_1000001'].slice(0, setCookieNames(res).length),
    );
    assert.ok(!setCookieNames(res).includes('_ga'), 'the consented vendor keeps its cookie');
  });

  test('Sec-GPC: 1 switches marketing off before the first byte, is recorded with the first choice or when it takes marketing back, and a later explicit choice wins', async () => {
    const count = async () =>
      Number(
        (
          await h.deps.db
            .selectFrom('consent_records')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const b = new Browser(h.app, '203.0.113.77', {
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      'sec-gpc': '1',
    });
    const before = await count();
    const first = await b.get('/');
    assert.match(first.body, /Global Privacy Control/);
    assert.equal(first.headers['set-cookie'], undefined, 'browsing with GPC sets no cookie');
    await b.get('/shop');
    assert.equal(await count(), before, 'and writes no receipt for a visitor who chose nothing');
    const settings = (await b.get('/consent/settings')).body;
    assert.match(settings, /value="statistics"/);
    assert.doesNotMatch(settings, /value="marketing"/, "the banner's settings do not ask about marketing");
    assert.match((await new Browser(h.app).get('/consent/settings')).body, /value="marketing"/);
    // "Accept all" on a banner that did not ask about marketing leaves marketing off; the signal is recorded first.
    await choose(b, [['action', 'accept']]);
    assert.deepEqual(
      (await b.api('GET', '/api/v1/consent')).json().receipts.map((r: { action: string }) => r.action),
      ['gpc', 'accept'],
    );
    let page = await b.get('/');
    assert.ok(!vendorScripts(page.body).some((v) => ['criteo', 'facebook-pixel', 'google-remarketing'].includes(v)));
    assert.ok(vendorScripts(page.body).includes('google-analytics'));
    // Ticking marketing explicitly in the settings wins over the signal.
    await choose(b, [
      ['action', 'custom'],
      ['categories', 'marketing'],
      ['vendors', 'criteo'],
    ]);
    page = await b.get('/');
    assert.deepEqual(vendorScripts(page.body), ['criteo']);
    assert.equal((await b.get('/.well-known/gpc.json')).json().gpc, true);

    // A visitor who granted marketing without the signal and turns it on later: marketing goes, and that is recorded once.
    const later = new Browser(h.app);
    await choose(later, [['action', 'accept']]);
    const withSignal = await later.get('/', { 'sec-gpc': '1' });
    assert.ok(!vendorScripts(withSignal.body).includes('criteo'));
    await later.get('/shop', { 'sec-gpc': '1' });
    assert.deepEqual(
      (await later.api('GET', '/api/v1/consent'))
        .json()
        .receipts.map((r: { action: string; choices: { categories: string[] } }) => [
          r.action,
          r.choices.categories.includes('marketing'),
        ]),
      [
        ['accept', true],
        ['gpc', false],
      ],
    );
  });

  test('another account signing in on the same browser starts afresh: earlier receipts stay with their owner', async () => {
    const b = new Browser(h.app, '198.51.100.60');
    const password = 'orchard violet compass';
    for (const email of ['anna@example.org', 'bert@example.org'])
      await b.api('POST', '/api/v1/accounts', { name: email.slice(0, 4), email, password });
    await b.api('POST', '/api/v1/sessions', { email: 'anna@example.org', password });
    await choose(b, [['action', 'accept']]);
    const anna = (await b.api('GET', '/api/v1/consent')).json();
    assert.deepEqual(
      anna.receipts.map((r: { action: string }) => r.action),
      ['accept'],
    );
    await b.api('DELETE', '/api/v1/sessions/current');
    await b.api('POST', '/api/v1/sessions', { email: 'bert@example.org', password });
    const page = await b.get('/');
    assert.match(page.body, /consent-banner/, 'Bert is asked');
    assert.deepEqual(vendorScripts(page.body), []);
    assert.deepEqual(
      (await b.api('GET', '/api/v1/consent')).json().receipts,
      [],
      "Anna's receipts are not shown to Bert",
    );
    const users = await h.deps.db
      .selectFrom('users')
      .select(['id', 'email'])
      .where('email', 'in', ['anna@example.org', 'bert@example.org'])
      .execute();
    const linked = await h.deps.db
      .selectFrom('consent_records')
      .select('user_id')
      .where('hash', '=', anna.receipts[0].hash)
      .executeTakeFirstOrThrow();
    assert.equal(linked.user_id, users.find((u) => u.email === 'anna@example.org')!.id);
  });

  test('another site cannot set consent, and bad input changes nothing', async () => {
    const b = new Browser(h.app);
    const before = (
      await h.deps.db
        .selectFrom('consent_records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
    assert.equal((await b.post('/consent', [['action', 'accept']])).statusCode, 403, 'no proof of origin');
    assert.equal(
      (await b.post('/consent', [['action', 'accept']], { origin: 'https://evil.example' })).statusCode,
      403,
    );
    assert.equal(
      (
        await b.post('/consent', [['action', 'accept']], {
          'sec-fetch-site': 'cross-site',
          origin: 'http://127.0.0.1:3000',
        })
      ).statusCode,
      403,
    );
    const bad = await choose(b, [['action', 'everything']]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /<html/);
    const after = (
      await h.deps.db
        .selectFrom('consent_records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
    assert.equal(Number(after), Number(before));
    assert.equal(b.cookie('candor_consent') ?? b.cookie('__Host-candor_consent'), undefined);
  });

  test('three consent changes make three chained receipts; editing one breaks the chain with a clear message', async () => {
    const b = new Browser(h.app);
    await choose(b, [['action', 'reject']]);
    await choose(b, [
      ['action', 'custom'],
      ['categories', 'statistics'],
      ['vendors', 'hotjar'],
    ]);
    await choose(b, [['action', 'accept']]);
    const mine = (await b.api('GET', '/api/v1/consent')).json().receipts as {
      seq: number;
      hash: string;
      action: string;
    }[];
    assert.deepEqual(
      mine.map((r) => r.action),
      ['reject', 'custom', 'accept'],
    );
    const rows = await h.deps.db.selectFrom('consent_records').selectAll().orderBy('seq').execute();
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash);
    assert.deepEqual(await verifyConsentChain(h.deps.db), {
      ok: true,
      records: rows.length,
      firstSeq: 1,
      problems: [],
    });

    const target = mine[1]!;
    await h.deps.db
      .updateTable('consent_records')
      .set({ choices: JSON.stringify({ categories: ['marketing', 'statistics'], vendors: ['criteo', 'hotjar'] }) })
      .where('seq', '=', target.seq)
      .execute();
    const report = await verifyConsentChain(h.deps.db);
    assert.equal(report.ok, false);
    assert.deepEqual(report.problems, [
      `record #${target.seq} (${rows.find((r) => Number(r.seq) === target.seq)!.id}) was altered: its content no longer matches its hash.`,
    ]);
    // Deleting a record in the middle is found too.
    await h.deps.db.deleteFrom('consent_records').where('seq', '=', target.seq).execute();
    assert.ok(
      (await verifyConsentChain(h.deps.db)).problems.some((p) =>
        p.includes(`records #${target.seq} to #${target.seq} are missing`),
      ),
    );
  });

  test("Consent Mode v2: everything denied by default, then the visitor's state as an update, before any Google tag", async () => {
    const b = new Browser(h.app);
    await choose(b, [
      ['action', 'custom'],
      ['categories', 'statistics'],
      ['vendors', 'google-analytics'],
    ]);
    const page = (await b.get('/')).body;
    assert.ok(page.indexOf('/consent/consent-mode.js') < page.indexOf('googletagmanager'), 'the signals come first');
    const state = /consent-mode.js" data-state="([^"]+)"/.exec(page)![1]!.replace(/&quot;/g, '"');
    const window: { dataLayer?: unknown[][]; gtag?: unknown } = {};
    runInNewContext(consentModeJs, { window, document: { currentScript: { dataset: { state } } } });
    const calls = JSON.parse(JSON.stringify((window.dataLayer ?? []).map((args) => Array.from(args))));
    assert.deepEqual(calls, [
      [
        'consent',
        'default',
        {
          ad_storage: 'denied',
          ad_user_data: 'denied',
          ad_personalization: 'denied',
          analytics_storage: 'denied',
          wait_for_update: 500,
        },
      ],
      [
        'consent',
        'update',
        { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'granted' },
      ],
    ]);
  });

  test('the banner and its script and styles stay within 8 KB gzip', (t) => {
    const size = gzipSync(consentJs).length + gzipSync(consentCss).length;
    t.diagnostic(
      `consent.js ${consentJs.length} B (${gzipSync(consentJs).length} B gzip), consent.css ${consentCss.length} B (${gzipSync(consentCss).length} B gzip)`,
    );
    assert.ok(size <= 8 * 1024, `${size} B`);
  });
});

describeEachDatabase('consent across policy changes and accounts', (db) => {
  test('receipts are linked at sign-in and listed in the export; a changed policy asks again and keeps the old version readable', async () => {
    const h = await openHarness(db, { seed: true });
    try {
      const b = new Browser(h.app);
      await b.post('/consent', [['action', 'accept']], SAME_ORIGIN);
      await b.api('POST', '/api/v1/accounts', {
        name: 'Cora Consent',
        email: 'cora@example.org',
        password: 'lantern meadow copper',
      });
      await b.api('POST', '/api/v1/sessions', { email: 'cora@example.org', password: 'lantern meadow copper' });
      await b.get('/');
      const linked = await h.deps.db.selectFrom('consent_records').select(['user_id']).execute();
      assert.equal(linked.length, 1);
      assert.ok(linked[0]!.user_id, 'linked to the new account');
      const { exportSubjectData } = await import('../subject.ts');
      const exported = JSON.stringify(await exportSubjectData(h.deps, 'cora@example.org'));
      assert.match(exported, /consent_records/);
      assert.match(exported, /"accept"/);

      const v1 = await b.get('/privacy');
      assert.match(v1.body, /Version 1/);
      assert.match(v1.body, /Hotjar/);
      // The operator switches Hotjar off and restarts: a new policy version, the old one stays readable.
      const { demoOperator } = await import('../../platform/operator.ts');
      const reopened = await h.reopen({ vendors: demoOperator.vendors.filter((v) => v.id !== 'hotjar') });
      const again = new Browser(reopened.app);
      (again as unknown as { cookies: Map<string, string> }).cookies = (
        b as unknown as { cookies: Map<string, string> }
      ).cookies;
      const page = await again.get('/privacy');
      assert.match(page.body, /Version 2/);
      assert.doesNotMatch(page.body.slice(page.body.indexOf('<main')), /Hotjar/);
      assert.match(page.body, /href="\/privacy\/versions\/1"/);
      const old = await again.get('/privacy/versions/1');
      assert.match(old.body, /Hotjar/);
      assert.equal((await again.get('/privacy/versions/9')).statusCode, 404);
      // The earlier choice was made under another policy: the visitor is asked again, and nothing loads meanwhile.
      assert.match(page.body, /Our privacy policy has changed since your last choice/);
      assert.deepEqual(vendorScripts(page.body), []);
      // Switching it on again is a third version (with the first one's content), published at start, before any visit.
      await h.reopen({ vendors: demoOperator.vendors });
      const versions = await h.deps.db
        .selectFrom('policy_versions')
        .select(['number', 'hash'])
        .orderBy('number')
        .execute();
      assert.deepEqual(
        versions.map((v) => Number(v.number)),
        [1, 2, 3],
      );
      assert.equal(versions[2]!.hash, versions[0]!.hash);
      assert.notEqual(versions[1]!.hash, versions[0]!.hash);
    } finally {
      await h.close();
    }
  });

  test('with GPC and only marketing vendors there is nothing to ask: no banner', async () => {
    const { demoOperator } = await import('../../platform/operator.ts');
    const h = await openHarness(db, {
      operator: { ...demoOperator, vendors: [{ id: 'criteo', settings: { accountId: '100001' } }] },
    });
    try {
      assert.doesNotMatch((await new Browser(h.app).get('/', { 'sec-gpc': '1' })).body, /consent-banner/);
      assert.match((await new Browser(h.app).get('/')).body, /consent-banner/);
    } finally {
      await h.close();
    }
  });

  test('with TCF configured, the TC string carries exactly the consented purposes and vendors', async () => {
    const { demoOperator } = await import('../../platform/operator.ts');
    const vendorListFile = new URL('./testdata/vendor-list.json', import.meta.url).pathname;
    const h = await openHarness(db, {
      seed: true,
      operator: { ...demoOperator, tcf: { cmpId: 300, cmpVersion: 2, vendorListFile } },
    });
    try {
      const b = new Browser(h.app);
      await b.post(
        '/consent',
        [
          ['action', 'custom'],
          ['categories', 'statistics'],
          ['vendors', 'google-analytics'],
        ],
        SAME_ORIGIN,
      );
      const page = await b.get('/');
      const tcString = /data-tc-string="([^"]*)"/.exec(page.body)?.[1];
      assert.ok(tcString);
      assert.deepEqual(decodeTcString(tcString), {
        purposes: [1, 8, 9, 10],
        vendors: [755],
        cmpId: 300,
        disclosedVendors: [91, 755],
      });
      await b.post('/consent', [['action', 'accept']], SAME_ORIGIN);
      const all = decodeTcString(/data-tc-string="([^"]*)"/.exec((await b.get('/')).body)![1]!);
      assert.deepEqual(all.purposes, [1, 2, 3, 4, 7, 8, 9, 10]);
      assert.deepEqual(all.vendors, [91, 755]);
      const script = await b.get('/consent/tcf.js');
      assert.equal(script.statusCode, 200);
      assert.match(script.body, /__tcfapi/);
    } finally {
      await h.close();
    }
  });
});

test('`candor audit` passes on an intact ledger and fails with a clear message when a receipt was edited', async () => {
  const h = await openHarness('sqlite', { seed: false });
  const saved = {
    DATA_DIR: process.env.DATA_DIR,
    DATABASE_URL: process.env.DATABASE_URL,
    LOG_LEVEL: process.env.LOG_LEVEL,
    CANDOR_SECRET: process.env.CANDOR_SECRET,
  };
  const streams = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  let out = '';
  const capture = async (args: string[]) => {
    out = '';
    const sink = ((chunk: string) => {
      out += chunk;
      return true;
    }) as typeof process.stdout.write;
    process.stdout.write = sink;
    process.stderr.write = sink;
    try {
      const { runCli } = await import('../../testing/app.ts');
      return await runCli(args);
    } finally {
      process.stdout.write = streams.out;
      process.stderr.write = streams.err;
    }
  };
  try {
    const b = new Browser(h.app);
    for (const action of ['reject', 'accept', 'withdraw']) await b.post('/consent', [['action', action]], SAME_ORIGIN);
    process.env.DATA_DIR = h.dataDir;
    process.env.CANDOR_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
    process.env.LOG_LEVEL = 'silent';
    delete process.env.DATABASE_URL;
    // The audit checks every promise as of the harness's time (its rows' periods run from there).
    const audit = ['audit', '--now', new Date(h.clock.now()).toISOString()];
    assert.equal(await capture(audit), 0, out);
    assert.match(out, /PASS consent-chain: .*\(records=3, firstSeq=1\)/);
    await h.deps.db.updateTable('consent_records').set({ action: 'accept' }).where('seq', '=', 3).execute();
    assert.equal(await capture(audit), 1);
    assert.match(
      out,
      /FAIL consent-chain: .*\n {7}- record #3 \([0-9a-f-]{36}\) was altered: its content no longer matches its hash\./,
    );
    assert.match(out, /1 of \d+ checks fail\./);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await h.close();
  }
});
