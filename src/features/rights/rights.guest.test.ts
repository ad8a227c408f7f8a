// Issue 16, "Done when" 2: a person without an account (a newsletter subscriber who also wrote to support) asks
// for their data by email, follows the link in the mail as a real SMTP server received it, confirms, the request
// runs, and the ZIP downloaded through the guest link holds the same data sets and rows as an export of that address
// made directly. Also: the form answers the same for an account, a guest and an unknown address (no enumeration),
// a link that is altered, used or expired gets a 4xx page in the person's language and does nothing, a GET does not
// act, the form is limited per client and per address, and a staff identity check holds the request back.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import { exportSubjectData, type ExportRecord } from '../../privacy/subject.ts';
import { alterParam, Browser, describeEachDatabase, linkIn, openHarness, type Harness } from '../../testing/harness.ts';
import { javaSkip, validateHtml, type HtmlDocument } from '../../testing/html-checker.ts';
import { TestSmtpServer, type ReceivedMail } from '../../testing/smtp.ts';
import { readZip } from '../../testing/zip.ts';
import { deliverDueMail } from '../mail/index.ts';
import { runDueRequests } from './rights.engine.ts';
import { GUEST_CONFIRM_PATH, GUEST_LINK_HOURS, MAX_LIVE_LINKS } from './rights.guest.service.ts';
import { openRequest } from './rights.service.ts';
import { runnerOf } from './rights.steps.ts';

const ENV = { RATE_LIMIT_AUTH_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' };
const PASSWORD = 'amber falcon meadow';
/** The tables of the request itself: their rows change while the request runs (state, history). */
const REQUEST_TABLES = new Set(['privacy_requests', 'privacy_request_events']);
/**
 * Rows the request's own run adds or moves on after the archive is built: its history, its mails (sent since) and
 * the record of handing them to the mail provider.
 */
const MOVING_TABLES = new Set([...REQUEST_TABLES, 'outbox', 'address_disclosures']);

const deliver = (h: Harness) =>
  deliverDueMail({
    db: h.deps.db,
    clock: h.clock,
    mailer: h.deps.mailer,
    log: h.deps.log,
    from: 'shop@test',
    secret: h.deps.config.secret,
  });

/** The confirmation link (path and query) in a delivered mail's text. */
function confirmLinkIn(text: string): string {
  const m = new RegExp(`https?://[^\\s]+${GUEST_CONFIRM_PATH}\\?r=[0-9a-f-]{36}&t=[A-Za-z0-9_-]+`).exec(text);
  if (!m) throw new Error('no confirmation link in the mail');
  const url = new URL(m[0]);
  return `${url.pathname}${url.search}`;
}

function mailsTo(smtp: TestSmtpServer, to: string): ReceivedMail[] {
  return smtp.received.filter((m) => m.envelopeTo.includes(to));
}

/** The page's main content, without what differs between two answers of the same page (tokens, nonces). */
function mainOf(res: LightMyRequestResponse): string {
  const m = /<main[\s\S]*<\/main>/.exec(res.body);
  assert.ok(m, 'the answer is a page');
  return m[0].replace(/value="[^"]*"/g, '').replace(/nonce="[^"]*"/g, '');
}

const recordKey = (r: Pick<ExportRecord, 'table' | 'activity'>) => `${r.table} / ${r.activity}`;

async function rowsOf(h: Harness, table: string, where: Record<string, string>) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let q = (h.deps.db as any).selectFrom(table).selectAll();
  for (const [k, v] of Object.entries(where)) q = q.where(k, '=', v);
  return (await q.execute()) as Record<string, unknown>[];
}

describeEachDatabase('a request without an account', (db) => {
  let smtp: TestSmtpServer;
  let h: Harness;

  beforeEach(async () => {
    smtp = await new TestSmtpServer().start();
    h = await openHarness(db, { env: ENV, mailer: createSmtpMailer(smtp.url, 'test.example') });
  });

  afterEach(async () => {
    await h.close();
    await smtp.stop();
  });

  /** A newsletter subscriber who also wrote to support, without an account. */
  async function guestWithData(email: string): Promise<void> {
    const api = new Browser(h.app, '198.51.100.20');
    const sub = await api.api('POST', '/api/v1/newsletter/subscriptions', { email, lang: 'en' });
    assert.equal(sub.statusCode, 202, sub.body);
    const contact = await api.api('POST', '/api/v1/contact', {
      name: 'Grace Guest',
      email,
      subject: 'My order',
      message: 'Where is my parcel? Grace',
    });
    assert.ok(contact.statusCode < 300, contact.body);
  }

  /** Runs due requests until this one is done (a background run of the web process may hold it a moment). */
  async function runUntilDone(id: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      await runDueRequests(runnerOf(h.deps));
      const [row] = await rowsOf(h, 'privacy_requests', { id });
      if (row?.state === 'done') return;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.fail('the request did not finish');
  }

  async function openLink(b: Browser, link: string): Promise<LightMyRequestResponse> {
    let res = await b.get(link);
    for (let i = 0; i < 3 && res.statusCode >= 300 && res.statusCode < 400 && res.headers.location; i++)
      res = await b.get(String(res.headers.location));
    return res;
  }

  it('a guest asks for a copy, proves the address through the mailed link and downloads the same export', async () => {
    const email = 'grace.guest@example.org';
    await guestWithData(email);
    const b = new Browser(h.app);
    const sent = await b.submit('/privacy/request', '/privacy/request', { email, kind: 'export', message: '' });
    assert.equal(sent.statusCode, 202, sent.body);
    // Nothing is a request yet: it waits, unverified, in its own table.
    assert.deepEqual(await rowsOf(h, 'privacy_requests', { email }), []);
    assert.equal((await rowsOf(h, 'privacy_request_links', { email })).length, 1);

    await deliver(h);
    const mail = mailsTo(smtp, email).find((m) => m.parsed.subject === 'Please confirm your request about your data');
    assert.ok(mail, 'the confirmation mail was delivered');
    const link = confirmLinkIn(mail.parsed.text ?? '');
    const token = new URLSearchParams(link.split('?')[1]).get('t')!;
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    const outbox = JSON.stringify(await rowsOf(h, 'outbox', {}));
    assert.ok(outbox.includes('{{secret:privacy-request:'), 'the stored mail holds the placeholder');
    assert.ok(!outbox.includes(token), 'the stored mail holds no working token');

    // Following the link (as a mail scanner would) shows the page and does nothing.
    const page = await openLink(b, link);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /A copy of my data/);
    assert.match(page.body, /<form method="post" action="\/privacy\/request\/confirm">/);
    assert.deepEqual(await rowsOf(h, 'privacy_requests', { email }), [], 'a GET opens no request');
    assert.equal((await rowsOf(h, 'privacy_request_links', { email })).length, 1, 'a GET keeps the link');

    const confirmed = await b.post(GUEST_CONFIRM_PATH, {});
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.match(confirmed.body, /Request confirmed/);
    const [request] = await rowsOf(h, 'privacy_requests', { email });
    assert.ok(request);
    assert.equal(request.channel, 'guest');
    assert.equal(request.subject, email);
    assert.equal(request.kind, 'export');
    assert.deepEqual(await rowsOf(h, 'privacy_request_links', { email }), [], 'the link row is gone');
    const id = String(request.id);
    await runUntilDone(id);

    // The export's mail carries the guest's download link.
    await deliver(h);
    const ready = mailsTo(smtp, email).find((m) => (m.parsed.text ?? '').includes(`/privacy/exports/${id}?token=`));
    assert.ok(ready, 'the mail with the download link was delivered');
    const download = await new Browser(h.app, '192.0.2.50').get(
      linkIn(ready.parsed.text ?? '', `/privacy/exports/${id}`),
    );
    assert.equal(download.statusCode, 200, download.body);
    assert.equal(download.headers['content-type'], 'application/zip');
    const zip = await readZip(download.rawPayload);
    const exported = JSON.parse(zip.get('export.json')!.toString('utf8')) as { records: ExportRecord[] };

    // The same data sets and rows as an export of the address made directly.
    const direct = await exportSubjectData(h.deps, email);
    const byKey = (records: ExportRecord[]) => new Map(records.map((r) => [recordKey(r), r]));
    const fromZip = byKey(exported.records);
    const fromDirect = byKey(direct.records);
    assert.deepEqual([...fromZip.keys()].sort(), [...fromDirect.keys()].sort());
    for (const key of ['newsletter_subscriptions', 'support_tickets'])
      assert.ok(
        [...fromZip.keys()].some((k) => k.startsWith(`${key} /`)),
        `the export holds the guest's ${key} (${[...fromZip.keys()].join(', ')})`,
      );
    for (const [key, record] of fromDirect) {
      const zipped = fromZip.get(key)!;
      if (MOVING_TABLES.has(record.table)) {
        // The request's record and mails moved on since the archive was built (done, sent): the same rows by id.
        const ids = (rows: Record<string, unknown>[]) => rows.map((r) => r.id).sort();
        for (const rid of ids(zipped.rows)) assert.ok(ids(record.rows).includes(rid), `${key}: ${String(rid)}`);
        continue;
      }
      assert.deepEqual(zipped.rows, record.rows, `${key}: the same rows`);
      const base =
        [...fromDirect.values()].filter((r) => r.table === record.table).length > 1
          ? `${record.table}.${record.activity}`
          : record.table;
      assert.deepEqual(JSON.parse(zip.get(`data/${base}.json`)!.toString('utf8')).rows, record.rows, key);
      assert.ok(zip.has(`data/${base}.csv`), `data/${base}.csv`);
    }
  });

  it('answers the same for an account, a guest and an unknown address; an account is asked to sign in', async () => {
    const holder = 'ada.account@example.org';
    const guest = 'gus.guest@example.org';
    const unknown = 'nobody.here@example.org';
    const created = await new Browser(h.app, '198.51.100.9').api('POST', '/api/v1/accounts', {
      name: 'Ada Account',
      email: holder,
      password: PASSWORD,
    });
    assert.ok(created.statusCode === 201 || created.statusCode === 202, created.body);
    await guestWithData(guest);
    await deliver(h);
    const before = smtp.received.length;

    const answers = [];
    for (const email of [holder, guest, unknown]) {
      const res = await new Browser(h.app).submit('/privacy/request', '/privacy/request', {
        email,
        kind: 'erasure',
        message: '',
      });
      answers.push({ status: res.statusCode, main: mainOf(res) });
    }
    assert.equal(answers[0]!.status, 202);
    assert.deepEqual(answers[1], answers[0]);
    assert.deepEqual(answers[2], answers[0]);

    // Nothing is recorded for the account holder; the mail sends them to the privacy centre.
    assert.deepEqual(await rowsOf(h, 'privacy_request_links', { email: holder }), []);
    assert.deepEqual(await rowsOf(h, 'privacy_requests', { email: holder }), []);
    await deliver(h);
    const toHolder = mailsTo(smtp, holder).slice(-1)[0]!;
    assert.ok(smtp.received.length > before);
    assert.equal(toHolder.parsed.subject, 'Your request about your data: please sign in');
    assert.match(toHolder.parsed.text ?? '', /http:\/\/127\.0\.0\.1:3000\/account\/privacy/);
    assert.doesNotMatch(toHolder.parsed.text ?? '', /\/privacy\/request\/confirm/);
    for (const email of [guest, unknown]) {
      const last = mailsTo(smtp, email).slice(-1)[0]!;
      assert.equal(last.parsed.subject, 'Please confirm your request about your data');
    }
  });

  it('an altered, used or expired link answers 4xx in the person’s language and does nothing', async () => {
    const email = 'erin.erase@example.org';
    await guestWithData(email);
    const de = new Browser(h.app, '203.0.113.8', {
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
      'accept-language': 'de-DE,de;q=0.9',
    });
    const sent = await de.submit('/privacy/request', '/privacy/request', { email, kind: 'erasure', message: '' });
    assert.equal(sent.statusCode, 202);
    assert.match(sent.body, /Bitte sehen Sie in Ihr Postfach/);
    await deliver(h);
    const mail = mailsTo(smtp, email).find(
      (m) => m.parsed.subject === 'Bitte bestätigen Sie Ihre Anfrage zu Ihren Daten',
    );
    assert.ok(mail, 'the mail is in German, the language of the form');
    const link = confirmLinkIn(mail.parsed.text ?? '');

    // Altered: 400.
    const altered = alterParam(link, 't');
    const bad = await de.get(altered);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /ungültig/);
    // A token for another request's id (or of another kind of link) does not work either.
    const otherRef = link.replace(/r=[0-9a-f-]{36}/, 'r=00000000-0000-4000-8000-000000000000');
    assert.equal((await de.get(otherRef)).statusCode, 400);
    // A POST without the kept token: 400, nothing done.
    assert.equal((await new Browser(h.app).post(GUEST_CONFIRM_PATH, {})).statusCode, 400);

    // Expired: the page says so (410), and the POST with the kept token does nothing.
    assert.equal((await openLink(de, link)).statusCode, 200);
    h.clock.advance(GUEST_LINK_HOURS * 3_600_000 + 1);
    const late = await de.get(link);
    assert.equal(late.statusCode, 410);
    assert.match(late.body, /abgelaufen/);
    const latePost = await de.post(GUEST_CONFIRM_PATH, {});
    assert.equal(latePost.statusCode, 410);
    assert.match(latePost.body, /abgelaufen/);
    assert.deepEqual(await rowsOf(h, 'privacy_requests', { email }), []);
    assert.equal((await rowsOf(h, 'newsletter_subscriptions', { email })).length, 1, 'nothing was erased');

    // A new link, used once: the second use gets 410 and opens nothing more.
    const again = await de.submit('/privacy/request', '/privacy/request', { email, kind: 'erasure', message: '' });
    assert.equal(again.statusCode, 202);
    await deliver(h);
    const second = confirmLinkIn(
      mailsTo(smtp, email)
        .filter((m) => m.parsed.subject === 'Bitte bestätigen Sie Ihre Anfrage zu Ihren Daten')
        .slice(-1)[0]!.parsed.text ?? '',
    );
    assert.notEqual(second, link);
    assert.equal((await openLink(de, second)).statusCode, 200);
    const done = await de.post(GUEST_CONFIRM_PATH, {});
    assert.equal(done.statusCode, 200, done.body);
    assert.match(done.body, /Anfrage bestätigt/);
    const used = await de.get(second);
    assert.equal(used.statusCode, 410);
    assert.equal((await rowsOf(h, 'privacy_requests', { email })).length, 1);

    // The erasure by a guest deletes what the data map links to the address, and confirms by mail.
    const [request] = await rowsOf(h, 'privacy_requests', { email });
    await runUntilDone(String(request!.id));
    assert.deepEqual(await rowsOf(h, 'newsletter_subscriptions', { email }), []);
    const left = await exportSubjectData(h.deps, email);
    assert.deepEqual(
      left.records.map((r) => r.table).filter((t) => !REQUEST_TABLES.has(t) && t !== 'outbox'),
      [],
      'only the record of the request is kept',
    );
    // The outbox holds only the confirmation of the erasure, written after it.
    const outbox = left.records.filter((r) => r.table === 'outbox').flatMap((r) => r.rows);
    assert.deepEqual(
      outbox.map((r) => r.template),
      ['privacy-erasure-done'],
    );
    await deliver(h);
    assert.ok(mailsTo(smtp, email).some((m) => m.parsed.subject === 'Ihre Daten wurden gelöscht'));
  });

  it('every page of the flow, in English and German, passes the Nu Html Checker', { skip: javaSkip }, async () => {
    const documents: HtmlDocument[] = [];
    const keep = (label: string, res: LightMyRequestResponse, status: number) => {
      assert.equal(res.statusCode, status, `${label}: ${res.body}`);
      documents.push({ url: label, body: res.body });
    };
    for (const lang of ['en', 'de'] as const) {
      const email = `html.${lang}@example.org`;
      const b = new Browser(h.app, '203.0.113.60', {
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
        'accept-language': lang,
      });
      keep(`${lang} GET /privacy/request`, await b.get('/privacy/request'), 200);
      keep(
        `${lang} POST /privacy/request (refused)`,
        await b.submit('/privacy/request', '/privacy/request', { email: 'x', kind: 'restriction', message: '' }),
        400,
      );
      keep(
        `${lang} POST /privacy/request`,
        await b.submit('/privacy/request', '/privacy/request', { email, kind: 'erasure', message: '' }),
        202,
      );
      await deliver(h);
      const link = confirmLinkIn(mailsTo(smtp, email).slice(-1)[0]!.parsed.text ?? '');
      keep(`${lang} GET confirm`, await openLink(b, link), 200);
      keep(`${lang} POST confirm`, await b.post(GUEST_CONFIRM_PATH, {}), 200);
      keep(`${lang} GET used link`, await b.get(link), 410);
    }
    assert.deepEqual(validateHtml(documents), []);
  });

  it('asks again for what the form lacks, storing and sending nothing', async () => {
    const b = new Browser(h.app);
    const res = await b.submit('/privacy/request', '/privacy/request', {
      email: 'not-an-address',
      kind: 'restriction',
      message: '',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Enter a valid email address/);
    assert.match(res.body, /Choose the ground of the restriction/);
    assert.deepEqual(await rowsOf(h, 'privacy_request_links', {}), []);
    const noKind = await b.submit('/privacy/request', '/privacy/request', { email: 'a@example.org', kind: 'bogus' });
    assert.equal(noKind.statusCode, 400);
    assert.deepEqual(await rowsOf(h, 'privacy_request_links', {}), []);
  });

  it('an address gets at most three waiting links; more submissions answer the same and send nothing', async () => {
    const email = 'many.times@example.org';
    const b = new Browser(h.app);
    for (let i = 0; i < MAX_LIVE_LINKS + 2; i++) {
      const res = await b.submit('/privacy/request', '/privacy/request', { email, kind: 'access', message: '' });
      assert.equal(res.statusCode, 202);
    }
    assert.equal((await rowsOf(h, 'privacy_request_links', { email })).length, MAX_LIVE_LINKS);
    await deliver(h);
    assert.equal(mailsTo(smtp, email).length, MAX_LIVE_LINKS);
  });

  it('a request staff hold for an identity check does not run until the check is recorded', async () => {
    const email = 'ivy.identity@example.org';
    await guestWithData(email);
    const { request } = await openRequest(h.deps, {
      kind: 'erasure',
      userId: null,
      email,
      lang: 'en',
      channel: 'guest',
      verified: true,
    });
    await h.deps.db.updateTable('privacy_requests').set({ identity_check: 1 }).where('id', '=', request.id).execute();
    assert.equal(await runDueRequests(runnerOf(h.deps)), 0);
    assert.equal((await rowsOf(h, 'newsletter_subscriptions', { email })).length, 1, 'nothing erased');
    await h.deps.db
      .updateTable('privacy_requests')
      .set({ identity_checked_at: h.clock.now() })
      .where('id', '=', request.id)
      .execute();
    assert.equal(await runDueRequests(runnerOf(h.deps)), 1);
    assert.deepEqual(await rowsOf(h, 'newsletter_subscriptions', { email }), []);
  });
});

describeEachDatabase('the request form is limited per client', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness(db, { env: { RATE_LIMIT_AUTH_PER_MINUTE: '1', RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterEach(async () => h.close());

  it('the fourth submission within a minute from one client gets 429 and sends nothing', async () => {
    const b = new Browser(h.app);
    const form = await b.get('/privacy/request');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await b.post('/privacy/request', { _csrf: csrf, email: `p${i}@example.org`, kind: 'access' })).statusCode,
      );
    assert.deepEqual(statuses, [202, 202, 202, 429]);
    assert.equal((await h.deps.db.selectFrom('privacy_request_links').select('id').execute()).length, 3);
    // Another client is not held back.
    const other = new Browser(h.app, '192.0.2.77');
    const res = await other.submit('/privacy/request', '/privacy/request', { email: 'q@example.org', kind: 'access' });
    assert.equal(res.statusCode, 202);
  });
});
