// Marketing mail as it leaves, over a real SMTP server: the suppression list checked once more at delivery (never
// for transactional mail), bounces (5xx) failing at once and suppressing the address, 4xx retried, DKIM signatures
// that cover both List-Unsubscribe headers, pooled concurrent delivery with stable Message-IDs, pause and resume
// of outbox rows, the relay receiving only declared headers, and the staff console naming the new states.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, it, test } from 'node:test';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { MINUTE } from '../../platform/clock.ts';
import { loadConfig } from '../../platform/config.ts';
import { composeMail } from '../../platform/email/compose.ts';
import { createMailer, createSmtpMailer, type Mailer } from '../../platform/email/mailer.ts';
import { runRetention } from '../../privacy/retention.ts';
import { staffMember } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import {
  deliverDueMail,
  deliverMailWhileDue,
  enqueueMail,
  enqueueMarketingMail,
  isSuppressed,
  liftSuppression,
  outboxDeliveryStates,
  pauseOutboxRows,
  resumeOutboxRows,
  suppressAddress,
  suppressionsOf,
  type DeliveryDeps,
} from './index.ts';
import { mailDataMap } from './mail.data-map.ts';

const ONE_CLICK = 'https://shop.test.example/newsletter/one-click?t=opaque';

function delivery(h: Harness, extra: Partial<DeliveryDeps> = {}): DeliveryDeps {
  return {
    db: h.deps.db,
    clock: h.clock,
    mailer: h.deps.mailer,
    log: h.deps.log,
    from: `${h.deps.config.operator.company} <${h.deps.config.operator.email}>`,
    secret: h.deps.config.secret,
    suppressionKey: h.deps.config.suppressionKey,
    concurrency: 4,
    ...extra,
  };
}

const newsletter = (to: string, subject = 'Our spring newsletter') =>
  composeMail({
    to,
    lang: 'en',
    subject,
    template: 'test-newsletter',
    blocks: [
      { kind: 'paragraph', text: 'Three new instruments this month.' },
      { kind: 'link', label: 'Unsubscribe', href: ONE_CLICK },
    ],
  });

const receipt = (to: string) =>
  composeMail({
    to,
    lang: 'en',
    subject: 'Your receipt',
    template: 'test-receipt',
    blocks: [{ kind: 'paragraph', text: 'Thank you for your order.' }],
  });

function marketing(h: Harness, to: string, list = 'newsletter', subject?: string): Promise<string | null> {
  return enqueueMarketingMail(h.deps, newsletter(to, subject), { list, oneClickUrl: ONE_CLICK });
}

async function row(h: Harness, id: string) {
  return h.deps.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

const receivedBy = (smtp: TestSmtpServer, address: string) =>
  smtp.received.filter((m) => m.envelopeTo.includes(address));

describeEachDatabase('marketing mail at delivery, over SMTP', (db) => {
  let smtp: TestSmtpServer;
  let h: Harness;

  beforeEach(async () => {
    smtp = await new TestSmtpServer().start();
    h = await openHarness(db, { mailer: createSmtpMailer(smtp.url, 'test.example', { maxConnections: 4 }) });
  });

  afterEach(async () => {
    await h.close();
    await smtp.stop();
  });

  it('a marketing mail to a suppressed address is not sent and is marked suppressed; transactional mail to it is sent; lifting the suppression lets the next one go', async () => {
    const key = h.deps.config.suppressionKey;
    const mila = 'mila.suppressed@example.org';
    const otto = 'otto.everywhere@example.org';
    const sara = 'sara.surveys-only@example.org';
    // Queued while the addresses were fine; they leave the lists before the worker comes round.
    const toMila = (await marketing(h, mila))!;
    const toOtto = (await marketing(h, otto))!;
    const toSara = (await marketing(h, sara))!;
    const receiptId = await enqueueMail(h.deps.db, h.clock, receipt(mila));
    await suppressAddress(h.deps.db, key, mila, { list: 'newsletter', reason: 'unsubscribed', at: h.clock.now() });
    await suppressAddress(h.deps.db, key, otto, { list: '*', reason: 'erased', at: h.clock.now() });
    await suppressAddress(h.deps.db, key, sara, { list: 'surveys', reason: 'unsubscribed', at: h.clock.now() });

    assert.deepEqual(await deliverDueMail(delivery(h)), { sent: 2, failed: 2 });
    assert.deepEqual(
      receivedBy(smtp, mila).map((m) => m.parsed.subject),
      ['Your receipt'],
    );
    assert.equal(receivedBy(smtp, otto).length, 0, 'suppressed for every list');
    assert.equal(receivedBy(smtp, sara).length, 1, 'suppressed for another list only');
    assert.equal(smtp.offered, 2);
    for (const id of [toMila, toOtto]) {
      const r = await row(h, id);
      assert.equal(r.sent_at, null);
      assert.equal(r.failed_at, h.clock.now());
      assert.equal(r.last_error, 'suppressed');
    }
    const states = await outboxDeliveryStates(h.deps.db, [toMila, toOtto, toSara, receiptId, 'no-such-id']);
    assert.deepEqual(Object.fromEntries(states), {
      [toMila]: 'suppressed',
      [toOtto]: 'suppressed',
      [toSara]: 'sent',
      [receiptId]: 'sent',
    });
    assert.ok(
      h.logLines.every((l) => !l.includes(mila) && !l.includes(otto)),
      'no address in the log',
    );
    // Nothing more goes on later runs.
    h.clock.advance(24 * 60 * MINUTE);
    assert.deepEqual(await deliverDueMail(delivery(h)), { sent: 0, failed: 0 });

    // A new confirmed opt-in lifts the suppression: the next marketing mail reaches the address.
    await liftSuppression(h.deps.db, key, mila, 'newsletter');
    // Otto left all marketing mail; confirming the newsletter again lifts the newsletter only, not surveys.
    await liftSuppression(h.deps.db, key, otto, 'newsletter');
    assert.equal(await isSuppressed(h.deps.db, key, otto, 'newsletter'), false);
    assert.equal(await isSuppressed(h.deps.db, key, otto, 'surveys'), true);
    assert.equal(await isSuppressed(h.deps.db, key, otto, 'similar-products'), true);
    const again = await marketing(h, mila, 'newsletter', 'Welcome back');
    assert.ok(again);
    assert.deepEqual(await deliverDueMail(delivery(h)), { sent: 1, failed: 0 });
    assert.deepEqual(
      receivedBy(smtp, mila).map((m) => m.parsed.subject),
      ['Your receipt', 'Welcome back'],
    );
    assert.equal((await outboxDeliveryStates(h.deps.db, [again])).get(again), 'sent');
  });

  it('a 550 on a marketing mail fails it at once and suppresses the address for every list; a transactional bounce suppresses nothing; a 451 retries', async () => {
    const key = h.deps.config.suppressionKey;
    const gone = 'gone.for.good@example.org';
    const goneToo = 'also.gone@example.org';
    const busy = 'busy.mailbox@example.org';
    smtp.refuseRecipient(gone, 550);
    smtp.refuseRecipient(goneToo, 550);
    smtp.refuseRecipient(busy, 451, 1);
    const toGone = (await marketing(h, gone))!;
    const receiptToGone = await enqueueMail(h.deps.db, h.clock, receipt(goneToo));
    const toBusy = (await marketing(h, busy))!;

    assert.deepEqual(await deliverDueMail(delivery(h)), { sent: 0, failed: 2 });
    for (const id of [toGone, receiptToGone]) {
      const r = await row(h, id);
      assert.equal(r.attempts, 1, 'no retries');
      assert.equal(r.failed_at, h.clock.now());
      assert.equal(r.last_error, 'bounced 550');
    }
    assert.deepEqual(
      (await suppressionsOf(h.deps.db, key, gone)).map((s) => [s.list, s.reason]),
      [['*', 'bounced']],
    );
    assert.equal(await isSuppressed(h.deps.db, key, gone, 'surveys'), true);
    assert.equal(await isSuppressed(h.deps.db, key, goneToo, 'newsletter'), false, 'transactional mail marks nothing');
    assert.equal(await marketing(h, gone), null, 'the next marketing mail is not even queued');

    const waiting = await row(h, toBusy);
    assert.equal(waiting.failed_at, null);
    assert.match(waiting.last_error ?? '', /451/);
    assert.ok(waiting.next_attempt_at > h.clock.now());
    assert.equal(await isSuppressed(h.deps.db, key, busy, 'newsletter'), false);
    assert.deepEqual(Object.fromEntries(await outboxDeliveryStates(h.deps.db, [toGone, receiptToGone, toBusy])), {
      [toGone]: 'bounced',
      [receiptToGone]: 'bounced',
      [toBusy]: 'queued',
    });

    h.clock.set(waiting.next_attempt_at);
    assert.deepEqual(await deliverDueMail(delivery(h)), { sent: 1, failed: 0 });
    assert.equal(receivedBy(smtp, busy).length, 1);
    assert.equal(receivedBy(smtp, gone).length, 0);
    assert.ok(
      h.logLines.every((l) => !l.includes(gone) && !l.includes(busy)),
      'no address in the log',
    );
  });

  it('500 mails at concurrency 4 arrive exactly once each, over at most 4 connections, with Message-IDs <outbox id@domain>', async (t) => {
    const ids: string[] = [];
    for (let i = 0; i < 500; i++) {
      const to = `reader${i}@example.org`;
      ids.push(i % 2 === 0 ? (await marketing(h, to))! : await enqueueMail(h.deps.db, h.clock, receipt(to)));
    }
    const started = performance.now();
    assert.deepEqual(await deliverDueMail(delivery(h), 500), { sent: 500, failed: 0 });
    const seconds = (performance.now() - started) / 1000;
    t.diagnostic(`500 mails in ${seconds.toFixed(2)} s (${(500 / seconds).toFixed(0)} mails/s, mailparser included)`);

    assert.equal(smtp.offered, 500);
    assert.equal(smtp.received.length, 500);
    assert.equal(smtp.countByMessageId.size, 500);
    assert.ok(
      [...smtp.countByMessageId.values()].every((n) => n === 1),
      'no message twice',
    );
    assert.deepEqual(
      smtp.received.map((m) => m.parsed.messageId).sort(),
      ids.map((id) => `<${id}@test.example>`).sort(),
    );
    assert.ok(smtp.maxOpenSessions > 1, `messages travelled in parallel (${smtp.maxOpenSessions} connections)`);
    assert.ok(smtp.maxOpenSessions <= 4, `at most MAIL_CONCURRENCY connections (${smtp.maxOpenSessions})`);
    const unsent = await h.deps.db.selectFrom('outbox').select('id').where('sent_at', 'is', null).execute();
    assert.deepEqual(unsent, []);
    assert.deepEqual(await deliverDueMail(delivery(h), 500), { sent: 0, failed: 0 });
    assert.equal(smtp.offered, 500);
  });

  it('the delivery job keeps delivering while mail is due, beyond one batch, and stops when none is', async () => {
    for (let i = 0; i < 120; i++) await enqueueMail(h.deps.db, h.clock, receipt(`batch${i}@example.org`));
    const later = await enqueueMail(h.deps.db, h.clock, receipt('later@example.org'), {
      notBefore: h.clock.now() + 10 * MINUTE,
    });
    assert.deepEqual(await deliverMailWhileDue(delivery(h, { concurrency: 2 })), { sent: 120, failed: 0 });
    assert.equal(smtp.received.length, 120);
    assert.equal((await row(h, later)).sent_at, null, 'not due yet');
  });

  it('paused rows are not delivered until resumed, then fall due at their spaced times', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await marketing(h, `paused${i}@example.org`))!);
    await deliverDueMail(delivery(h), 1);
    assert.equal(smtp.received.length, 1);
    // The sent one is not paused; the three others are.
    assert.equal(await pauseOutboxRows(h.deps.db, ids), 3);
    assert.equal(await pauseOutboxRows(h.deps.db, ids), 0, 'pausing again changes nothing');
    h.clock.advance(365 * 24 * 60 * MINUTE);
    assert.deepEqual(await deliverDueMail(delivery(h)), { sent: 0, failed: 0 });

    const start = h.clock.now() + MINUTE;
    assert.equal(await resumeOutboxRows(h.deps.db, ids, start, 1000), 3);
    assert.equal(await resumeOutboxRows(h.deps.db, ids, start, 1000), 0, 'only paused rows are resumed');
    const times = await Promise.all(ids.slice(1).map(async (id) => (await row(h, id)).next_attempt_at));
    assert.deepEqual(times, [start, start + 1000, start + 2000]);
    h.clock.set(start + 1000);
    assert.deepEqual(await deliverDueMail(delivery(h)), { sent: 2, failed: 0 });
    h.clock.set(start + 2000);
    assert.deepEqual(await deliverDueMail(delivery(h)), { sent: 1, failed: 0 });
    assert.deepEqual([...(await outboxDeliveryStates(h.deps.db, ids)).values()], ['sent', 'sent', 'sent', 'sent']);
  });

  it('transactional mail is claimed before marketing mail that fell due earlier', async () => {
    for (let i = 0; i < 40; i++) await marketing(h, `crowd${i}@example.org`);
    h.clock.advance(1000);
    const reset = await enqueueMail(h.deps.db, h.clock, receipt('waiting.customer@example.org'));
    assert.deepEqual(await deliverDueMail(delivery(h, { concurrency: 1 }), 16), { sent: 16, failed: 0 });
    assert.notEqual((await row(h, reset)).sent_at, null, 'the transactional mail went in the first batch');
  });

  it('a mail that never left (paused for good) is deleted 90 days after it was queued; a younger one is kept', async () => {
    const old = (await marketing(h, 'paused.forever@example.org'))!;
    await pauseOutboxRows(h.deps.db, [old]);
    h.clock.advance(60 * 24 * 60 * MINUTE);
    const young = (await marketing(h, 'paused.lately@example.org'))!;
    await pauseOutboxRows(h.deps.db, [young]);
    h.clock.advance(31 * 24 * 60 * MINUTE);
    await runRetention(h.deps);
    const left = await h.deps.db.selectFrom('outbox').select('id').where('id', 'in', [old, young]).execute();
    assert.deepEqual(
      left.map((r) => r.id),
      [young],
    );
  });

  it('the relay receives no header outside the fields the data map declares for it; a mail with another header never leaves', async () => {
    const to = 'header.check@example.org';
    await marketing(h, to);
    await enqueueMail(h.deps.db, h.clock, receipt('plain@example.org'));
    const tagged = await enqueueMail(h.deps.db, h.clock, {
      ...receipt('tagged@example.org'),
      headers: { 'X-Campaign-Recipient': 'tagged@example.org' },
    });
    assert.deepEqual(await deliverDueMail(delivery(h)), { sent: 2, failed: 0 });

    // The structure of a message, plus what the data map declares for the mail provider (mail.data-map.ts).
    const allowed = new Set([
      'date',
      'message-id',
      'from',
      'to',
      'subject',
      'mime-version',
      'content-type',
      'content-transfer-encoding',
      'list-unsubscribe',
      'list-unsubscribe-post',
    ]);
    assert.equal(smtp.received.length, 2);
    for (const { parsed } of smtp.received) {
      const extra = parsed.headerLines.map((l) => l.key).filter((k) => !allowed.has(k));
      assert.deepEqual(extra, [], `undeclared headers reached the relay: ${extra.join(', ')}`);
    }
    const news = receivedBy(smtp, to)[0]!;
    const line = (key: string) => news.parsed.headerLines.find((l) => l.key === key)?.line;
    assert.equal(line('list-unsubscribe-post'), 'List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    assert.equal(line('list-unsubscribe'), `List-Unsubscribe: <${ONE_CLICK}>`);

    // The gate refused the undeclared header: nothing was offered for it, the row waits with a reason.
    assert.equal(receivedBy(smtp, 'tagged@example.org').length, 0);
    const refused = await row(h, tagged);
    assert.equal(refused.sent_at, null);
    assert.equal(refused.last_error, 'refused-undeclared');
    assert.equal(smtp.offered, 2);
  });
});

describeEachDatabase('DKIM-signed marketing mail', (db) => {
  let smtp: TestSmtpServer;
  let h: Harness;
  let keyDir: string;
  let publicKey: string;

  beforeEach(async () => {
    smtp = await new TestSmtpServer().start();
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'der' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    publicKey = pair.publicKey.toString('base64');
    keyDir = mkdtempSync(join(tmpdir(), 'candor-dkim-'));
    const keyFile = join(keyDir, 'dkim.pem');
    writeFileSync(keyFile, pair.privateKey, { mode: 0o600 });
    const env = { DKIM_DOMAIN: 'test.example', DKIM_SELECTOR: 'candor', DKIM_PRIVATE_KEY_FILE: keyFile };
    // The transport as the composition root builds it from the configuration (SMTP_URL, MAIL_CONCURRENCY, DKIM_*).
    const config = loadConfig({
      DATA_DIR: keyDir,
      CANDOR_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
      BASE_URL: 'http://127.0.0.1:3000',
      SMTP_URL: smtp.url,
      MAIL_CONCURRENCY: '2',
      ...env,
    });
    assert.ok(config.dkim);
    const mailer: Mailer = createMailer(config, 'test.example', { now: () => Date.now() });
    h = await openHarness(db, { env, mailer });
  });

  afterEach(async () => {
    await h.close();
    await smtp.stop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('the received message verifies against the published key, and its signature covers both List-Unsubscribe headers', async () => {
    await marketing(h, 'signed@example.org');
    assert.deepEqual(await deliverDueMail(delivery(h)), { sent: 1, failed: 0 });
    const { raw } = smtp.received[0]!;
    const lookups: string[] = [];
    const resolver = async (name: string, type: string): Promise<string[][]> => {
      lookups.push(`${type} ${name}`);
      if (type === 'TXT' && name === 'candor._domainkey.test.example') return [[`v=DKIM1; k=rsa; p=${publicKey}`]];
      throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
    };
    const result = await dkimVerify(raw, { resolver });
    assert.deepEqual(lookups, ['TXT candor._domainkey.test.example']);
    assert.equal(result.results.length, 1);
    const signature = result.results[0]!;
    assert.equal(signature.status.result, 'pass', String(signature.status.comment));
    assert.equal(signature.signingDomain, 'test.example');
    assert.equal(signature.selector, 'candor');
    const signed = /^DKIM-Signature:[\s\S]*?\bh=([^;]+);/im.exec(raw.toString('latin1'))?.[1];
    assert.ok(signed, 'the message carries a DKIM-Signature with an h= tag');
    const covered = signed.replace(/\s+/g, '').toLowerCase().split(':');
    assert.ok(covered.includes('list-unsubscribe'), `h= ${covered.join(':')}`);
    assert.ok(covered.includes('list-unsubscribe-post'), `h= ${covered.join(':')}`);
    assert.ok(covered.includes('from') && covered.includes('subject'));

    // The same message altered in transit fails: the verification can fail.
    const altered = Buffer.from(raw.toString('latin1').replace('List-Unsubscribe=One-Click', 'List-Unsubscribe=Two'));
    const tampered = await dkimVerify(altered, { resolver });
    assert.notEqual(tampered.results[0]!.status.result, 'pass');
  });
});

describeEachDatabase('the mail console shows marketing lists, bounces and suppressions', (db) => {
  let h: Harness;

  beforeEach(async () => {
    h = await openHarness(db);
  });

  afterEach(async () => {
    await h.close();
  });

  it('lists the list of a marketing mail and the states suppressed and bounced, filterable, in English and German', async () => {
    const staff = await staffMember(h);
    const key = h.deps.config.suppressionKey;
    const suppressed = (await marketing(h, 'left.us@example.org', 'newsletter', 'Suppressed one'))!;
    await suppressAddress(h.deps.db, key, 'left.us@example.org', { list: '*', reason: 'unsubscribed', at: 0 });
    const bounced = (await marketing(h, 'nobody.here@example.org', 'surveys', 'Bounced one'))!;
    // A relay that refuses the recipient for good, as nodemailer reports it.
    const refusing: Mailer = {
      kind: 'smtp',
      send: (mail) =>
        mail.to === 'nobody.here@example.org'
          ? Promise.reject(Object.assign(new Error('550 no such user'), { responseCode: 550, command: 'RCPT TO' }))
          : Promise.resolve(),
      close: () => {},
    };
    await deliverDueMail(delivery(h, { mailer: refusing }));
    const failed = await enqueueMail(h.deps.db, h.clock, {
      ...receipt('plain.fail@example.org'),
      subject: 'Failed one',
    });
    await h.deps.db
      .updateTable('outbox')
      .set({ failed_at: h.clock.now(), last_error: 'ECONNREFUSED' })
      .where('id', '=', failed)
      .execute();

    const all = await staff.b.get('/staff/mail');
    assert.equal(all.statusCode, 200);
    const rowOf = (body: string, id: string) =>
      new RegExp(`<tr>(?:(?!</tr>).)*/staff/mail/${id}(?:(?!</tr>).)*</tr>`, 's').exec(body)?.[0] ?? '';
    assert.match(rowOf(all.body, suppressed), /suppressed/);
    assert.match(rowOf(all.body, suppressed), /newsletter/);
    assert.match(rowOf(all.body, bounced), /bounced/);
    assert.match(rowOf(all.body, bounced), /surveys/);
    assert.match(rowOf(all.body, failed), />failed</);

    const onlyBounced = await staff.b.get('/staff/mail?state=bounced');
    assert.match(onlyBounced.body, /Bounced one/);
    assert.doesNotMatch(onlyBounced.body, /Suppressed one|Failed one/);
    const onlySuppressed = await staff.b.get('/staff/mail?state=suppressed', { 'accept-language': 'de' });
    assert.match(onlySuppressed.body, /Suppressed one/);
    assert.match(onlySuppressed.body, /gesperrt/);
    assert.doesNotMatch(onlySuppressed.body, /Bounced one|Failed one/);
    const onlyFailed = await staff.b.get('/staff/mail?state=failed');
    assert.match(onlyFailed.body, /Failed one/);
    assert.doesNotMatch(onlyFailed.body, /Bounced one|Suppressed one/);

    const page = await staff.b.get(`/staff/mail/${bounced}`, { 'accept-language': 'de' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /unzustellbar/);
    assert.match(page.body, /surveys/);
    const suppressedPage = await staff.b.get(`/staff/mail/${suppressed}`);
    assert.match(suppressedPage.body, /suppression list/);
    assert.doesNotMatch(suppressedPage.body, /Send again/, 'sending again would only be suppressed again');
  });
});

test('the data map speaks of a keyed hash in German, not an encrypted one', () => {
  const german = JSON.stringify(mailDataMap(6));
  assert.doesNotMatch(german, /verschlüsselten Hashwert/);
  assert.match(german, /schlüsselgebundenen Hashwert/);
});
