// Inbound mail (issue 14, point 1): the real listener, started by the leading worker, fed by nodemailer; replies found
// by their token only; auto-replies, bounces, lists and loops dropped without a word; forged tokens refused;
// attachments checked one by one; redeliveries taken once; the inbox folder read by its job.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import nodemailer from 'nodemailer';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import { buildWorker, deliverDueMail } from '../../testing/app.ts';
import { freePort } from '../../testing/browser.ts';
import { signedIn, uniqueEmail } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { updateTicket } from './support.queries.ts';
import { addStaffMessage } from './support.service.ts';
import { readInboxJob } from './support.inbox.ts';
import { stripQuotedReply } from './support.inbound.ts';

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

  it('mail from a registered address opens the ticket under the account', async () => {
    const account = await signedIn(h, { email: uniqueEmail('registered') });
    await send({ from: account.email, to: SUPPORT, subject: 'Licence question', text: 'Where is my key?' });
    const [ticket] = await ticketsOf(account.id);
    assert.ok(ticket);
    assert.equal(ticket.subject, 'Licence question');
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
