// Inbound mail (issue 14, point 1): the real listener, started by the leading worker, fed by nodemailer; replies found
// by their token only; auto-replies, bounces, lists and loops dropped without a word; forged tokens refused;
// attachments checked one by one; redeliveries taken once; the inbox folder read by its job.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import nodemailer from 'nodemailer';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import { buildWorker, deliverDueMail } from '../../testing/app.ts';
import { freePort } from '../../testing/browser.ts';
import { signedIn, uniqueEmail } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { eraseSubjectData } from '../../privacy/subject.ts';
import { deriveSecret } from '../../platform/secret-links.ts';
import { updateTicket } from './support.queries.ts';
import { newTicketRef, REPLY_PURPOSE } from './support.tokens.ts';
import { addStaffMessage, openTicket, requesterOf, setTicketState } from './support.service.ts';
import { readInbox, readInboxJob } from './support.inbox.ts';
import { receiveInboundMail, stripQuotedReply } from './support.inbound.ts';

const SUPPORT = 'support@shop.test';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

type Worker = ReturnType<typeof buildWorker>;
type SendOptions = Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0];

describeEachDatabase('support: inbound mail', (dbKind) => {
  let h: Harness;
  let smtp: TestSmtpServer;
  let port: number;
  let worker: Worker;

  before(async () => {
    smtp = await new TestSmtpServer().start();
    port = await freePort();
    h = await openHarness(dbKind, {
      env: {
        INBOUND_SMTP_PORT: String(port),
        INBOUND_SMTP_HOST: '127.0.0.1',
        SUPPORT_ADDRESS: SUPPORT,
        INBOUND_MAX_MB: '1',
      },
      mailer: createSmtpMailer(smtp.url, 'shop.test'),
    });
    worker = buildWorker(h.deps);
    await worker.tick();
  });

  after(async () => {
    await worker.stop();
    await h.close();
    await smtp.stop();
  });

  async function send(mail: SendOptions): Promise<void> {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail(mail);
    } finally {
      transport.close();
    }
  }

  async function sendRefused(mail: SendOptions): Promise<number | undefined> {
    try {
      await send(mail);
    } catch (err) {
      return (err as { responseCode?: number }).responseCode;
    }
    return undefined;
  }

  const ticketsOf = (requester: string) =>
    h.deps.db
      .selectFrom('support_tickets')
      .selectAll()
      .where('requester', '=', requester)
      .orderBy('created_at')
      .execute();
  const messagesOf = (ticketId: string) =>
    h.deps.db
      .selectFrom('support_messages')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  const count = async (table: 'support_tickets' | 'outbox' | 'support_messages') =>
    Number(
      (
        await h.deps.db
          .selectFrom(table)
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function deliver(): Promise<void> {
    await deliverDueMail({
      db: h.deps.db,
      clock: h.clock,
      mailer: h.deps.mailer,
      log: h.deps.log,
      from: `Shop <${SUPPORT}>`,
      secret: h.deps.config.secret,
    });
  }

  async function openByMail(from: string, subject = 'My amp hums'): Promise<string> {
    await send({ from: `Ada Lovelace <${from}>`, to: SUPPORT, subject, text: 'It hums at 50 Hz.' });
    const [ticket] = await ticketsOf(from);
    assert.ok(ticket, 'the mail opened a ticket');
    return ticket.id;
  }

  /** A staff answer, delivered over real SMTP: the notification as the customer receives it. */
  async function staffAnswer(ticketId: string, to: string) {
    await addStaffMessage(h.deps, ticketId, { staffId: randomUUID(), body: 'Please try another cable.', note: false });
    await deliver();
    const mail = smtp.received.filter((m) => m.envelopeTo.includes(to)).at(-1);
    assert.ok(mail, 'the answer was delivered');
    return mail;
  }

  it('a new mail to the support address opens a ticket with requester, subject, body and name', async () => {
    const from = uniqueEmail('guest');
    await send({
      from: `Ada Lovelace <${from.toUpperCase()}>`,
      to: SUPPORT,
      subject: 'My amp hums',
      text: 'It hums at 50 Hz.\n\nOn Mon, 1 Jan 2026, Someone wrote:\n> older text',
      headers: { 'Content-Language': 'de' },
    });
    const [ticket] = await ticketsOf(from);
    assert.ok(ticket);
    assert.equal(ticket.subject, 'My amp hums');
    assert.equal(ticket.requester_name, 'Ada Lovelace');
    assert.equal(ticket.source, 'email');
    assert.equal(ticket.lang, 'de');
    const [message] = await messagesOf(ticket.id);
    assert.equal(message?.body, 'It hums at 50 Hz.');
    assert.equal(message?.via, 'email');
  });

  it('mail from a registered address opens the ticket under the address, not the account (From is not verified)', async () => {
    const account = await signedIn(h, { email: uniqueEmail('registered') });
    await send({ from: account.email, to: SUPPORT, subject: 'Licence question', text: 'Where is my key?' });
    assert.deepEqual(await ticketsOf(account.id), [], 'not filed under the account');
    const [ticket] = await ticketsOf(account.email);
    assert.ok(ticket);
    assert.equal(ticket.subject, 'Licence question');
    const page = await account.b.get('/account/support');
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('Licence question'), 'not in the account’s requests');
  });

  it('a NUL in subject, body, name or Message-ID opens a ticket; a bad or overlong From is dropped, never 451', async () => {
    const from = uniqueEmail('nul');
    await send({
      from: { name: 'Ada\u0000 Lovelace', address: from },
      to: SUPPORT,
      subject: 'Amp\u0000 hums',
      text: 'It\u0000 hums.',
      messageId: `<nul\u0000${randomUUID()}@client.example>`,
    });
    const [ticket] = await ticketsOf(from);
    assert.ok(ticket, 'the mail opened a ticket');
    assert.equal(ticket.subject, 'Amp hums');
    assert.equal(ticket.requester_name, 'Ada Lovelace');
    assert.equal((await messagesOf(ticket.id))[0]?.body, 'It hums.');

    const tickets = await count('support_tickets');
    const raw = (fromHeader: string) =>
      [
        `From: ${fromHeader}`,
        `To: ${SUPPORT}`,
        'Subject: Hello',
        `Message-ID: <${randomUUID()}@client.example>`,
        '',
        'Hello.',
        '',
      ].join('\r\n');
    const envelope = { from: uniqueEmail('env'), to: [SUPPORT] };
    await send({ envelope, raw: raw(`${'a'.repeat(250)}@example.org`) });
    await send({ envelope, raw: raw('@@@>>') });
    assert.equal(await count('support_tickets'), tickets);
    const result = await receiveInboundMail(h.deps, Buffer.from(raw('@@@>>')), envelope);
    assert.deepEqual(result, { outcome: 'dropped', reason: 'bad-sender' });
  });

  it('replies continue the ticket by the Reply-To token or by In-Reply-To, never by the subject', async () => {
    const from = uniqueEmail('replier');
    const ticketId = await openByMail(from);
    const notification = await staffAnswer(ticketId, from);
    const replyTo = notification.parsed.replyTo?.value[0]?.address;
    assert.ok(
      replyTo && /^support\+[A-Z2-9]{8}\.[A-Za-z0-9_-]{43}@shop\.test$/.test(replyTo),
      'Reply-To has the token',
    );
    const ticket = await h.deps.db
      .selectFrom('support_tickets')
      .selectAll()
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();

    await send({
      from,
      to: replyTo,
      subject: `Re: [${ticket.ref}] My amp hums`,
      text: 'Another cable fixed it.\n\nAm 29.11.2026 um 10:00 schrieb Shop <support@shop.test>:\n> Please try another cable.',
    });
    let thread = await messagesOf(ticketId);
    assert.equal(thread.length, 3);
    assert.ok(thread.some((m) => m.author === 'customer' && m.body === 'Another cable fixed it.'));

    const messageId = notification.parsed.messageId;
    assert.ok(messageId);
    await send({ from, to: SUPPORT, subject: 'Re: your answer', text: 'One more thing.', inReplyTo: messageId });
    thread = await messagesOf(ticketId);
    assert.equal(thread.length, 4);
    assert.ok(thread.some((m) => m.author === 'customer' && m.body === 'One more thing.'));

    await send({ from, to: SUPPORT, subject: `Re: [${ticket.ref}] My amp hums`, text: 'Subject only.' });
    assert.equal((await messagesOf(ticketId)).length, 4, 'the subject alone continues nothing');
    assert.equal((await ticketsOf(from)).length, 2, 'it opened a ticket of its own');
  });

  it('a reply to a merged ticket continues the ticket it was merged into', async () => {
    const from = uniqueEmail('merged');
    const first = await openByMail(from, 'First');
    const notification = await staffAnswer(first, from);
    await send({ from, to: SUPPORT, subject: 'Second', text: 'Same problem.' });
    const second = (await ticketsOf(from)).find((t) => t.id !== first);
    assert.ok(second);
    await updateTicket(h.deps.db, first, { merged_into: second.id });
    await send({
      from,
      to: notification.parsed.replyTo!.value[0]!.address!,
      subject: 'Re: First',
      text: 'Merged reply.',
    });
    assert.ok((await messagesOf(second.id)).some((m) => m.body === 'Merged reply.'));
    assert.ok(!(await messagesOf(first)).some((m) => m.body === 'Merged reply.'));
  });

  it('auto-replies, bounces, bulk mail and our own Message-IDs open nothing and send nothing', async () => {
    const tickets = await count('support_tickets');
    const outbox = await count('outbox');
    const from = uniqueEmail('robot');
    await send({
      from,
      to: SUPPORT,
      subject: 'Out of office',
      text: 'I am away.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await send({ from, to: SUPPORT, subject: 'Offers', text: 'Buy now.', headers: { Precedence: 'bulk' } });
    await send({ from, to: SUPPORT, subject: 'Away', text: 'Away.', headers: { 'X-Autoreply': 'yes' } });
    await send({
      from,
      to: SUPPORT,
      subject: 'Away',
      text: 'Away.',
      headers: { 'X-Auto-Response-Suppress': 'OOF, DR' },
    });
    await send({ from, to: SUPPORT, subject: 'Automatic reply: My amp hums', text: 'I am away until Monday.' });
    await send({ from, to: SUPPORT, subject: 'Abwesenheitsnotiz: Ihre Anfrage', text: 'Bin im Urlaub.' });
    await send({ from, to: SUPPORT, subject: 'Digest', text: 'News.', headers: { 'List-Id': '<news.example.net>' } });
    await send({ from: SUPPORT, to: SUPPORT, subject: 'Ourselves', text: 'Loop.' });
    await send({ from, to: SUPPORT, subject: 'Loop', text: 'Ours.', messageId: `<${randomUUID()}@shop.test>` });
    const bounce = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
      `To: ${SUPPORT}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${randomUUID()}@mx.example.net>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      'Final-Recipient: rfc822; nobody@example.net',
      'Action: failed',
      'Status: 5.1.1',
      '--b1--',
      '',
    ].join('\r\n');
    await send({ envelope: { from: '', to: [SUPPORT] }, raw: bounce });
    assert.equal(await count('support_tickets'), tickets);
    assert.equal(await count('outbox'), outbox);
    assert.equal((await ticketsOf(from)).length, 0);
    assert.ok(!h.logLines.some((l) => l.includes(from)), 'no address in the log');
  });

  it('a forged reply token is refused at RCPT (550), and in In-Reply-To opens nothing', async () => {
    const tickets = await count('support_tickets');
    const from = uniqueEmail('forger');
    const forged = `ABCDEFGH.${'x'.repeat(43)}`;
    assert.equal(await sendRefused({ from, to: `support+${forged}@shop.test`, subject: 'Hi', text: 'x' }), 550);
    assert.equal(await sendRefused({ from, to: `someone@elsewhere.example`, subject: 'Hi', text: 'x' }), 550);
    const code = await sendRefused({
      from,
      to: SUPPORT,
      subject: 'Re: hi',
      text: 'x',
      inReplyTo: `<${forged}.1@shop.test>`,
    });
    assert.equal(code, 550);
    assert.equal(await count('support_tickets'), tickets);
  });

  it('an oversize mail is refused with 552', async () => {
    const tickets = await count('support_tickets');
    const code = await sendRefused({
      from: uniqueEmail('big'),
      to: SUPPORT,
      subject: 'Huge log',
      text: 'see attached',
      attachments: [{ filename: 'big.log', content: 'a'.repeat(1_300_000) }],
    });
    assert.equal(code, 552);
    assert.equal(await count('support_tickets'), tickets);
  });

  it('a script named .png is dropped with a note and nothing stored; a real PNG is stored', async () => {
    const from = uniqueEmail('files');
    const script = Buffer.from('#!/bin/sh\nrm -rf ~\n');
    await send({
      from,
      to: SUPPORT,
      subject: 'Screenshots',
      text: 'Two pictures.',
      attachments: [
        { filename: 'crash.png', content: script, contentType: 'image/png' },
        { filename: 'screen.png', content: PNG, contentType: 'image/png' },
      ],
    });
    const [ticket] = await ticketsOf(from);
    assert.ok(ticket);
    const files = await h.deps.db
      .selectFrom('support_attachments')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .execute();
    assert.deepEqual(
      files.map((f) => f.file_name),
      ['screen.png'],
    );
    const dir = join(h.dataDir, 'support-attachments');
    const stored = readdirSync(dir);
    assert.ok(stored.includes(files[0]!.id));
    assert.ok(!stored.some((name) => readFileSync(join(dir, name)).equals(script)), 'nothing of the script is stored');
    const note = (await messagesOf(ticket.id)).find((m) => m.author === 'note');
    assert.ok(note && note.body.includes('crash.png'), 'a note names the refused file');
    assert.equal(note.staff_id, null);
  });

  it('a refused file is told its real reason: the type before "more than five"', async () => {
    const from = uniqueEmail('six');
    const pngs = [1, 2, 3, 4, 5].map((n) => ({ filename: `s${n}.png`, content: PNG, contentType: 'image/png' }));
    await send({
      from,
      to: SUPPORT,
      subject: 'Six files',
      text: 'Six.',
      attachments: [
        ...pngs,
        { filename: 'evil.png', content: Buffer.from('#!/bin/sh\n'), contentType: 'image/png' },
        { filename: 's6.png', content: PNG, contentType: 'image/png' },
      ],
    });
    const [ticket] = await ticketsOf(from);
    assert.ok(ticket);
    const note = (await messagesOf(ticket.id)).find((m) => m.author === 'note');
    assert.ok(note);
    assert.match(note.body, /- evil\.png: type not allowed/);
    assert.match(note.body, /- s6\.png: more than five files/);
  });

  it('more than ten recipients in one message: the rest are refused (452)', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    try {
      // Eleven valid reply addresses (smtp-server counts each address once, whatever its case).
      const to = Array.from({ length: 11 }, () => {
        const ref = newTicketRef();
        return `support+${ref}.${deriveSecret(h.deps.config.secret, REPLY_PURPOSE, ref)}@shop.test`;
      });
      const info = await transport.sendMail({ from: uniqueEmail('many'), to, subject: 'Many', text: 'x' });
      assert.equal(info.rejected.length, 1);
    } finally {
      transport.close();
    }
  });

  it('a reply to a restricted ticket (kept after erasure) leaves it unchanged and opens a new ticket', async () => {
    const guest = uniqueEmail('erased');
    const letter = await openTicket(h.deps, {
      requester: requesterOf({ email: guest }),
      subject: 'My order',
      body: 'Where is it?',
      lang: 'en',
      source: 'email',
      category: 'order',
    });
    const notification = await staffAnswer(letter.id, guest);
    await setTicketState(h.deps, letter.id, 'closed');
    await eraseSubjectData(h.deps, guest);
    const before = (await ticketsOf(guest))[0];
    assert.ok(before && before.restricted_at !== null && before.delete_after !== null && before.state === 'closed');
    const messages = (await messagesOf(letter.id)).length;

    await send({ from: guest, to: notification.parsed.replyTo!.value[0]!.address!, subject: 'Re', text: 'Again.' });
    const after = await ticketsOf(guest);
    assert.deepEqual(
      after.find((t) => t.id === letter.id),
      before,
      'the restricted ticket is unchanged',
    );
    assert.equal((await messagesOf(letter.id)).length, messages, 'no message added');
    const fresh = after.find((t) => t.id !== letter.id);
    assert.ok(fresh, 'a new ticket');
    assert.equal(fresh.source, 'email');
    assert.equal(fresh.restricted_at, null);
    assert.equal((await messagesOf(fresh.id))[0]?.body, 'Again.');
  });

  it('the same Message-ID twice makes one message', async () => {
    const from = uniqueEmail('twice');
    const messageId = `<${randomUUID()}@client.example>`;
    await send({ from, to: SUPPORT, subject: 'Twice', text: 'Once only.', messageId });
    await send({ from, to: SUPPORT, subject: 'Twice', text: 'Once only.', messageId });
    const tickets = await ticketsOf(from);
    assert.equal(tickets.length, 1);
    assert.equal((await messagesOf(tickets[0]!.id)).length, 1);
  });

  it('a .eml in DATA_DIR/inbox is read into a ticket by the job and deleted', async () => {
    const from = uniqueEmail('folder');
    const dir = join(h.dataDir, 'inbox');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${randomUUID()}.eml`);
    writeFileSync(
      file,
      [
        `Return-Path: <${from}>`,
        `Delivered-To: ${SUPPORT}`,
        `From: Grace <${from}>`,
        `To: ${SUPPORT}`,
        'Subject: From the folder',
        `Message-ID: <${randomUUID()}@client.example>`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Delivered as a file.',
        '',
      ].join('\r\n'),
    );
    await readInboxJob.run(h.deps);
    const [ticket] = await ticketsOf(from);
    assert.equal(ticket?.subject, 'From the folder');
    assert.equal(ticket.requester_name, 'Grace');
    assert.ok(!existsSync(file), 'the file is deleted');
  });

  const folderMail = (headers: string[], from: string) =>
    Buffer.from(
      [
        `Return-Path: <${from}>`,
        `From: <${from}>`,
        ...headers,
        'Subject: Folder',
        `Message-ID: <${randomUUID()}@client.example>`,
        '',
        'Hello.',
        '',
      ].join('\r\n'),
    );

  it('a folder mail counts Delivered-To over To/Cc; not for us is dropped; a stale tag beside the address opens a ticket', async () => {
    const from = uniqueEmail('recipients');
    const forged = `support+ABCDEFGH.${'x'.repeat(43)}@shop.test`;
    const other = await receiveInboundMail(
      h.deps,
      folderMail(['Delivered-To: someone@elsewhere.example', `To: ${SUPPORT}`], from),
      null,
    );
    assert.deepEqual(other, { outcome: 'dropped', reason: 'not-for-us' });
    const notOurs = await receiveInboundMail(h.deps, folderMail(['To: someone@elsewhere.example'], from), null);
    assert.deepEqual(notOurs, { outcome: 'dropped', reason: 'not-for-us' });
    const forgedOnly = await receiveInboundMail(h.deps, folderMail([`To: ${forged}`], from), null);
    assert.deepEqual(forgedOnly, { outcome: 'refused', reason: 'forged-token' });
    const delivered = await receiveInboundMail(
      h.deps,
      folderMail([`Delivered-To: ${SUPPORT}`, 'To: someone@elsewhere.example'], from),
      null,
    );
    assert.equal(delivered.outcome, 'opened');
    const withStale = await receiveInboundMail(h.deps, folderMail([`To: ${forged}`, `Cc: ${SUPPORT}`], from), null);
    assert.equal(withStale.outcome, 'opened');
    assert.equal((await ticketsOf(from)).length, 2);
  });

  it('inbox files that keep failing go behind the others: 200 broken files never stop a good one', async () => {
    const dir = join(h.dataDir, 'inbox');
    mkdirSync(dir, { recursive: true });
    const broken = Array.from({ length: 200 }, (_, i) => join(dir, `0000-${String(i).padStart(3, '0')}.eml`));
    for (const path of broken) symlinkSync(join(dir, 'missing', randomUUID()), path);
    const from = uniqueEmail('behind');
    const good = join(dir, `zzzz-${randomUUID()}.eml`);
    writeFileSync(good, folderMail([`Delivered-To: ${SUPPORT}`], from));
    try {
      await readInbox(h.deps);
      await readInbox(h.deps);
      assert.equal((await ticketsOf(from)).length, 1, 'the good file was read');
      assert.ok(!existsSync(good));
      assert.ok(
        broken.every((path) => readdirSync(dir).includes(path.slice(dir.length + 1))),
        'broken files stay',
      );
    } finally {
      for (const path of broken) rmSync(path, { force: true });
    }
  });

  it('only the leading worker listens: a second scheduler on the same database starts no listener', async () => {
    const second = buildWorker(h.deps);
    try {
      await second.tick();
      const lines = h.logLines.filter((l) => l.includes('"service":"support.inbound-smtp"'));
      assert.equal(lines.filter((l) => l.includes('leader service started')).length, 1);
      assert.equal(lines.filter((l) => l.includes('failed to start')).length, 0);
      await openByMail(uniqueEmail('still'));
    } finally {
      await second.stop();
    }
  });
});

it('the quoted thread below the usual markers is left out', () => {
  assert.equal(
    stripQuotedReply('Thanks!\n\nOn Mon, 1 Jan 2026 at 10:00, Shop <s@x>\nwrote:\n> old\n> older'),
    'Thanks!',
  );
  assert.equal(stripQuotedReply('Danke!\nAm 1.1.2026 schrieb Shop:\n> alt'), 'Danke!');
  assert.equal(stripQuotedReply('> quoted\nmine'), 'mine');
});
