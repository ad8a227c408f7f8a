// The customer's side of support (issue 14): the contact form and its API, the guest's ticket answered by staff over
// real SMTP (the reply token only as a placeholder in the outbox), attachments refused before anything is stored,
// and one customer never reaching another's request.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import { signedIn, staffMember, uniqueEmail, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { javaSkip, validateHtml, type HtmlDocument } from '../../testing/html-checker.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { deliverDueMail } from '../mail/index.ts';
import { ATTACHMENT_DIRECTORY } from './support.files.ts';
import { addStaffMessage } from './support.service.ts';
import { mergeTickets } from './support.staff.service.ts';
import { replyTargetOfAddress } from './support.tokens.ts';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);

interface FilePart {
  filename: string;
  content: Buffer;
}

/** A multipart body as a browser sends the support forms: the fields (form token first), then the files. */
function multipartBody(fields: [string, string][], files: FilePart[]): { payload: Buffer; contentType: string } {
  const boundary = `----candor${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of fields)
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const f of files)
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="${f.filename}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      f.content,
      Buffer.from('\r\n'),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Loads `page` for its form token, then posts the multipart form to `action`. */
async function postForm(
  h: Harness,
  b: Browser,
  page: string,
  action: string,
  fields: [string, string][],
  files: FilePart[] = [],
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const form = await b.get(page, headers);
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const body = multipartBody([['_csrf', token], ...fields], files);
  return h.app.inject({
    method: 'POST',
    url: action,
    remoteAddress: b.ip,
    headers: {
      ...b.headers,
      accept: 'text/html',
      cookie: b.cookieHeader(),
      'content-type': body.contentType,
      ...headers,
    },
    payload: body.payload,
  });
}

describeEachDatabase('support: contact form, the account helpdesk and its API', (db) => {
  let h: Harness;
  let smtp: TestSmtpServer;
  let ipCounter = 0;
  const freshIp = () => `198.51.100.${++ipCounter}`;
  const deliver = () =>
    deliverDueMail({
      db: h.deps.db,
      clock: h.clock,
      mailer: h.deps.mailer,
      log: h.deps.log,
      from: 'shop@test.example',
      secret: h.deps.config.secret,
    });
  const ticketsOf = (requester: string) =>
    h.deps.db.selectFrom('support_tickets').selectAll().where('requester', '=', requester).execute();
  const attachmentFiles = () => {
    const dir = join(h.dataDir, ATTACHMENT_DIRECTORY);
    return existsSync(dir) ? readdirSync(dir) : [];
  };
  const countRows = async (table: 'support_tickets' | 'support_messages' | 'support_attachments') =>
    Number(
      (
        await h.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    smtp = await new TestSmtpServer().start();
    h = await openHarness(db, {
      mailer: createSmtpMailer(smtp.url, 'test.example'),
      env: { SUPPORT_ATTACHMENT_MAX_MB: '1', SUPPORT_ADDRESS: 'support@shop.example' },
    });
  });
  after(async () => {
    await h.close();
    await smtp.stop();
  });

  test('the contact form and its API refuse missing or invalid fields in the visitor’s language and store nothing', async () => {
    const email = uniqueEmail('contact-bad');
    const before = await countRows('support_tickets');
    for (const [lang, missing, badEmail] of [
      ['en', 'Enter your message.', 'Enter a valid email address.'],
      ['de', 'Geben Sie Ihre Nachricht ein.', 'Geben Sie eine gültige E-Mail-Adresse ein.'],
    ] as const) {
      const b = new Browser(h.app, freshIp());
      const headers = { 'accept-language': lang };
      const page = await b.get('/contact', headers);
      assert.equal(page.statusCode, 200);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const noMessage = await b.post('/contact', { _csrf: token, name: 'Ann Guest', email, message: '  ' }, headers);
      assert.equal(noMessage.statusCode, 400, noMessage.body);
      assert.ok(noMessage.body.includes(missing), `${lang}: ${noMessage.body}`);
      assert.match(noMessage.body, /value="Ann Guest"/, 'the form is refilled');
      const badAddress = await b.post(
        '/contact',
        { _csrf: token, name: 'Ann Guest', email: 'not-an-address', message: 'Hello there' },
        headers,
      );
      assert.equal(badAddress.statusCode, 400);
      assert.ok(badAddress.body.includes(badEmail), lang);
      assert.match(badAddress.body, /Hello there<\/textarea>/, 'the message is kept');

      const apiMissing = await b.api('POST', '/api/v1/contact', { name: 'Ann', email }, headers);
      assert.equal(apiMissing.statusCode, 400);
      const apiBad = await b.api('POST', '/api/v1/contact', { name: 'Ann', email: 'x@', message: 'Hi' }, headers);
      assert.equal(apiBad.statusCode, 400);
      const error = (apiBad.json() as { error: { fields: Record<string, string> } }).error;
      assert.equal(error.fields.email, badEmail);
      const apiBlank = await b.api('POST', '/api/v1/contact', { name: ' ', email, message: 'Hi' }, headers);
      assert.equal(apiBlank.statusCode, 400);
    }
    assert.equal(await countRows('support_tickets'), before, 'nothing stored');
  });

  test('a guest’s message becomes a ticket; only staff’s answer reaches the guest, by SMTP, with the reply token', async () => {
    const staff = await staffMember(h);
    const email = uniqueEmail('guest');
    const b = new Browser(h.app, freshIp());
    const sent = await b.submit('/contact', '/contact', {
      name: 'Gina Guest',
      email: email.toUpperCase(),
      subject: 'Reverb clicks',
      message: 'The reverb clicks at 96 kHz.',
    });
    assert.equal(sent.statusCode, 201, sent.body);
    const [ticket, ...others] = await ticketsOf(email);
    assert.ok(ticket);
    assert.equal(others.length, 0);
    assert.ok(sent.body.includes(ticket.ref), 'the page confirms with the reference');
    assert.match(sent.body, /answer by mail/);
    assert.equal(ticket.source, 'contact-form');
    assert.equal(ticket.requester_name, 'Gina Guest');
    assert.equal(ticket.subject, 'Reverb clicks');

    // The API, too: a second request of the same guest.
    const api = await b.api('POST', '/api/v1/contact', { name: 'Gina', email, message: 'And one more thing.' });
    assert.equal(api.statusCode, 202, api.body);
    const apiRef = (api.json() as { ref: string }).ref;
    assert.equal((await ticketsOf(email)).find((t) => t.ref === apiRef)?.source, 'api');

    // No mail at all to the address given before staff answer.
    await deliver();
    const outboxTo = () => h.deps.db.selectFrom('outbox').selectAll().where('recipient', '=', email).execute();
    assert.equal((await outboxTo()).length, 0, 'nothing queued for the guest');
    assert.equal(smtp.received.filter((m) => m.envelopeTo.includes(email)).length, 0);

    await addStaffMessage(h.deps, ticket.id, { staffId: staff.id, body: 'Please update to 2.3.1.', note: false });
    const [row] = await outboxTo();
    assert.ok(row, 'the answer is queued');
    const headers = JSON.parse(row.headers) as Record<string, string>;
    assert.ok(headers['Reply-To']?.includes(`+${ticket.ref}.{{secret:`), headers['Reply-To']);
    for (const value of [row.body, row.html ?? '', row.headers])
      assert.doesNotMatch(value, new RegExp(`\\+${ticket.ref}\\.[A-Za-z0-9_-]{10,}@`), 'no readable token stored');

    await deliver();
    const mails = smtp.received.filter((m) => m.envelopeTo.includes(email));
    assert.equal(mails.length, 1);
    const mail = mails[0]!;
    assert.match(mail.parsed.subject ?? '', new RegExp(ticket.ref));
    assert.match(mail.parsed.text ?? '', /Please update to 2\.3\.1\./);
    const replyTo = mail.parsed.replyTo?.value[0]?.address ?? '';
    assert.ok(replyTo.includes(`+${ticket.ref}.`), replyTo);
    assert.doesNotMatch(replyTo, /\{\{secret:/);
    const target = replyTargetOfAddress(h.deps.config.secret, h.deps.config.supportAddress, replyTo);
    assert.deepEqual(target, { ref: ticket.ref, valid: true });
  });

  test('an attachment over the limit or a script named .png is refused with a clear message, and nothing is stored', async () => {
    const c = await signedIn(h, { ip: freshIp() });
    const tickets = await countRows('support_tickets');
    const files = attachmentFiles().length;
    const big = Buffer.concat([PNG, Buffer.alloc(1.5 * 1024 * 1024, 1)]);
    const fields: [string, string][] = [
      ['subject', 'Crash on start'],
      ['category', 'technical'],
      ['message', 'It crashes.'],
    ];
    const tooBig = await postForm(h, c.b, '/account/support/new', '/account/support/new', fields, [
      { filename: 'screen.png', content: PNG },
      { filename: 'huge.png', content: big },
    ]);
    assert.equal(tooBig.statusCode, 413, tooBig.body.slice(0, 500));
    assert.match(tooBig.body, /huge\.png/);
    assert.match(tooBig.body, /larger than 1 MB/);
    assert.match(tooBig.body, /Crash on start/, 'the form is refilled');

    const script = Buffer.from('#!/bin/sh\nrm -rf /\n');
    const disguised = await postForm(
      h,
      c.b,
      '/account/support/new',
      '/account/support/new',
      fields,
      [{ filename: 'crash.png', content: script }],
      { 'accept-language': 'de' },
    );
    assert.equal(disguised.statusCode, 400);
    assert.match(disguised.body, /crash\.png/);
    assert.match(disguised.body, /erlaubten Typen \(PNG, JPG, JPEG, GIF, WEBP, PDF, ZIP, TXT, LOG, CSV\)/);

    assert.equal(await countRows('support_tickets'), tickets, 'no ticket');
    assert.equal((await ticketsOf(c.id)).length, 0);
    assert.equal(attachmentFiles().length, files, 'no file written');

    // The same on a reply: the thread keeps its one message.
    const ok = await postForm(h, c.b, '/account/support/new', '/account/support/new', fields);
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
    const [ticket] = await ticketsOf(c.id);
    assert.ok(ticket);
    const messages = await countRows('support_messages');
    const attachments = await countRows('support_attachments');
    const refusedReply = await postForm(
      h,
      c.b,
      `/account/support/${ticket.id}`,
      `/account/support/${ticket.id}`,
      [['message', 'Here is the log']],
      [{ filename: 'crash.png', content: script }],
    );
    assert.equal(refusedReply.statusCode, 400);
    assert.match(refusedReply.body, /not one of the allowed types/);
    assert.equal(await countRows('support_messages'), messages);
    assert.equal(await countRows('support_attachments'), attachments);
    assert.equal(attachmentFiles().length, files);
  });

  test('customer A gets 404 for B’s request, reply and attachment (pages and API); B downloads safely; notes stay hidden', async () => {
    const staff = await staffMember(h);
    const a = await signedIn(h, { ip: freshIp() });
    const bee: Account = await signedIn(h, { ip: freshIp() });
    const opened = await postForm(
      h,
      bee.b,
      '/account/support/new',
      '/account/support/new',
      [
        ['subject', 'Manual'],
        ['category', 'question'],
        ['message', 'Where is the manual?'],
      ],
      [{ filename: 'Bildschirm ä.png', content: PNG }],
    );
    assert.equal(opened.statusCode, 303, opened.body.slice(0, 500));
    const [ticket] = await ticketsOf(bee.id);
    assert.ok(ticket);
    const [attachment] = await h.deps.db
      .selectFrom('support_attachments')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .execute();
    assert.ok(attachment);
    await addStaffMessage(h.deps, ticket.id, { staffId: staff.id, body: 'INTERNAL: check stock', note: true });

    // B: the page, the file with its safe headers, the API.
    const page = await bee.b.get(`/account/support/${ticket.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Where is the manual\?/);
    assert.doesNotMatch(page.body, /INTERNAL/);
    const fileUrl = `/account/support/${ticket.id}/attachments/${attachment.id}`;
    assert.ok(page.body.includes(fileUrl));
    const file = await bee.b.get(fileUrl);
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'image/png');
    assert.equal(file.headers['x-content-type-options'], 'nosniff');
    assert.equal(file.headers['cache-control'], 'no-store');
    assert.match(String(file.headers['content-disposition']), /^attachment; /);
    assert.match(String(file.headers['content-disposition']), /filename\*=UTF-8''Bildschirm%20%C3%A4\.png/);
    assert.deepEqual(file.rawPayload, PNG);
    const list = await bee.b.get('/account/support');
    assert.ok(list.body.includes(ticket.ref));
    const detail = await bee.b.api('GET', `/api/v1/support/tickets/${ticket.id}`);
    assert.equal(detail.statusCode, 200);
    const json = detail.json() as { messages: { body: string; attachments: { url: string }[] }[] };
    assert.equal(json.messages.length, 1, 'no note in the API');
    assert.ok(json.messages[0]?.attachments[0]?.url.endsWith(fileUrl));

    // A: as absent as a missing request.
    const messages = await countRows('support_messages');
    assert.equal((await a.b.get(`/account/support/${ticket.id}`)).statusCode, 404);
    assert.equal((await a.b.get(fileUrl)).statusCode, 404);
    const reply = await postForm(h, a.b, '/account/support/new', `/account/support/${ticket.id}`, [
      ['message', 'Sneaky'],
    ]);
    assert.equal(reply.statusCode, 404);
    assert.equal((await a.b.api('GET', `/api/v1/support/tickets/${ticket.id}`)).statusCode, 404);
    const apiReply = await a.b.api('POST', `/api/v1/support/tickets/${ticket.id}/messages`, { message: 'Sneaky' });
    assert.equal(apiReply.statusCode, 404);
    assert.equal(await countRows('support_messages'), messages);
    assert.ok(!(await a.b.get('/account/support')).body.includes(ticket.ref));
    const apiList = (await a.b.api('GET', '/api/v1/support/tickets')).json() as { items: unknown[] };
    assert.equal(apiList.items.length, 0);
  });

  test('the API opens a request and answers it; a closed request reopens on an answer', async () => {
    const c = await signedIn(h, { ip: freshIp() });
    const created = await c.b.api('POST', '/api/v1/support/tickets', {
      subject: 'Licence',
      message: 'My key does not work.',
      category: 'licence',
    });
    assert.equal(created.statusCode, 201, created.body);
    const { id } = created.json() as { id: string };
    const bad = await c.b.api(
      'POST',
      '/api/v1/support/tickets',
      { subject: 'x', message: 'y', orderId: 'not-mine' },
      { 'accept-language': 'de' },
    );
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Bestellungen/);
    await h.deps.db.updateTable('support_tickets').set({ state: 'closed' }).where('id', '=', id).execute();
    const answered = await c.b.api('POST', `/api/v1/support/tickets/${id}/messages`, { message: 'Still broken.' });
    assert.equal(answered.statusCode, 201);
    const detail = (await c.b.api('GET', `/api/v1/support/tickets/${id}`)).json() as {
      state: string;
      messages: unknown[];
    };
    assert.equal(detail.state, 'open');
    assert.equal(detail.messages.length, 2);
  });

  test('a NUL in a field of the multipart forms gets the platform’s 400 in the person’s language, and nothing is stored', async () => {
    const c = await signedIn(h, { ip: freshIp() });
    const tickets = await countRows('support_tickets');
    for (const [lang, words] of [
      ['en', /The field (&quot;|")subject(&quot;|") contains invisible control characters/],
      ['de', /Das Feld „subject“ enthält unsichtbare Steuerzeichen/],
    ] as const) {
      const refused = await postForm(
        h,
        c.b,
        '/account/support/new',
        '/account/support/new',
        [
          ['subject', 'Crash\u0000 on start'],
          ['message', 'It crashes.'],
        ],
        [],
        { 'accept-language': lang },
      );
      assert.equal(refused.statusCode, 400, refused.body.slice(0, 500));
      assert.match(refused.body, words);
      assert.ok(!refused.body.includes(String.fromCharCode(0)), 'the refilled form does not repeat the character');
    }
    assert.equal(await countRows('support_tickets'), tickets, 'no ticket');

    const ok = await postForm(h, c.b, '/account/support/new', '/account/support/new', [
      ['subject', 'Crash on start'],
      ['message', 'It crashes.'],
    ]);
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
    const id = /\/account\/support\/([0-9a-f-]{36})/.exec(String(ok.headers.location))![1]!;
    const messages = await countRows('support_messages');
    const reply = await postForm(h, c.b, `/account/support/${id}`, `/account/support/${id}`, [
      ['message', 'Still\u0000 crashing'],
    ]);
    assert.equal(reply.statusCode, 400, reply.body.slice(0, 500));
    assert.match(reply.body, /The field (&quot;|")message(&quot;|") contains invisible control characters/);
    assert.equal(await countRows('support_messages'), messages, 'no message');
  });

  test('CR/LF in the name or subject of the contact form (page and API) is refused with a field message; nothing is stored', async () => {
    const before = await countRows('support_tickets');
    const b = new Browser(h.app, freshIp());
    const page = await b.get('/contact');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const email = uniqueEmail('crlf');
    const name = await b.post('/contact', {
      _csrf: token,
      name: 'Eve\r\nBcc: victim@example.org',
      email,
      message: 'Hello',
    });
    assert.equal(name.statusCode, 400, name.body.slice(0, 500));
    assert.match(name.body, /Write this on a single line/);
    const subject = await b.post(
      '/contact',
      { _csrf: token, name: 'Eve', email, subject: 'Hi\nthere', message: 'Hello' },
      { 'accept-language': 'de' },
    );
    assert.equal(subject.statusCode, 400);
    assert.match(subject.body, /Schreiben Sie dies in eine einzige Zeile/);
    const api = await b.api('POST', '/api/v1/contact', { name: 'Eve', email, subject: 'A\r\nB', message: 'Hello' });
    assert.equal(api.statusCode, 400);
    const error = (api.json() as { error: { fields: Record<string, string> } }).error;
    assert.equal(error.fields.subject, 'Write this on a single line.');
    assert.equal(await countRows('support_tickets'), before, 'nothing stored');
  });

  test('a message to a merged duplicate (page and API) lands in the ticket it was merged into, and the answer names that ticket', async () => {
    const c = await signedIn(h, { ip: freshIp() });
    const open = async (subject: string) => {
      const res = await c.b.api('POST', '/api/v1/support/tickets', { subject, message: `About ${subject}` });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; ref: string };
    };
    const target = await open('Original');
    const dup = await open('Duplicate');
    await mergeTickets(h.deps, dup.id, target.ref);

    const page = await postForm(h, c.b, `/account/support/${dup.id}`, `/account/support/${dup.id}`, [
      ['message', 'Written on the duplicate page'],
    ]);
    assert.equal(page.statusCode, 303, page.body.slice(0, 500));
    assert.equal(page.headers.location, `/account/support/${target.id}?sent=1`);
    const api = await c.b.api('POST', `/api/v1/support/tickets/${dup.id}/messages`, { message: 'Written by API' });
    assert.equal(api.statusCode, 201, api.body);
    assert.equal((api.json() as { ticketId: string }).ticketId, target.id);

    const shown = (await c.b.api('GET', `/api/v1/support/tickets/${target.id}`)).json() as {
      messages: { body: string }[];
    };
    const bodies = shown.messages.map((m) => m.body);
    assert.ok(bodies.includes('Written on the duplicate page') && bodies.includes('Written by API'), String(bodies));
    const d = await h.deps.db
      .selectFrom('support_tickets')
      .select(['merged_into', 'state'])
      .where('id', '=', dup.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(d, { merged_into: target.id, state: 'closed' });
  });

  test('a restricted request (kept after an erasure request) takes no message through the API or the page: 409, nothing changes', async () => {
    const c = await signedIn(h, { ip: freshIp() });
    const created = await c.b.api('POST', '/api/v1/support/tickets', { subject: 'Invoice', message: 'Wrong VAT.' });
    const { id } = created.json() as { id: string };
    // As a partial erasure leaves it: kept as a business letter, restricted, closed (the account itself remains).
    const now = h.clock.now();
    await h.deps.db
      .updateTable('support_tickets')
      .set({ kept_reason: 'business-letter', restricted_at: now, state: 'closed' })
      .where('id', '=', id)
      .execute();
    const messages = await countRows('support_messages');
    const api = await c.b.api('POST', `/api/v1/support/tickets/${id}/messages`, { message: 'Hello?' });
    assert.equal(api.statusCode, 409, api.body);
    assert.match(api.body, /kept only under restriction/);
    const german = await c.b.api(
      'POST',
      `/api/v1/support/tickets/${id}/messages`,
      { message: 'Hallo?' },
      { 'accept-language': 'de' },
    );
    assert.equal(german.statusCode, 409);
    assert.match(german.body, /eingeschränkt aufbewahrt/);
    const thread = await c.b.get(`/account/support/${id}`);
    assert.equal(thread.statusCode, 200);
    assert.match(thread.body, /can no longer be answered/);
    assert.doesNotMatch(thread.body, new RegExp(`action="/account/support/${id}"`), 'no reply form');
    const page = await postForm(h, c.b, `/account/support/${id}`, `/account/support/${id}`, [['message', 'Hi']]);
    assert.equal(page.statusCode, 409, page.body.slice(0, 500));
    assert.match(page.body, /kept only under restriction/);
    assert.equal(await countRows('support_messages'), messages, 'no message');
    const row = await h.deps.db
      .selectFrom('support_tickets')
      .select(['state', 'restricted_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { state: 'closed', restricted_at: now });
  });

  test('the support pages, with and without errors, are valid HTML', { skip: javaSkip, timeout: 120_000 }, async () => {
    const docs: HtmlDocument[] = [];
    const keep = (url: string, res: LightMyRequestResponse) => docs.push({ url, body: res.body });
    const guest = new Browser(h.app, freshIp());
    keep('/contact', await guest.get('/contact'));
    keep('POST /contact (bad)', await guest.submit('/contact', '/contact', { name: '', email: 'x', message: '' }));
    keep(
      'POST /contact',
      await guest.submit('/contact', '/contact', { name: 'Val', email: uniqueEmail('valid'), message: 'Hi' }),
    );
    const c = await signedIn(h, { ip: freshIp() });
    await c.b.api('POST', '/api/v1/support/tickets', { subject: 'Valid', message: 'Check me' });
    const [ticket] = await ticketsOf(c.id);
    assert.ok(ticket);
    for (const url of [
      '/account/support',
      '/account/support/new',
      `/account/support/${ticket.id}?sent=1`,
      '/account/support/profile',
      '/account/support/profile/delete',
    ])
      keep(url, await c.b.get(url));
    keep(
      'POST /account/support/new (bad)',
      await postForm(
        h,
        c.b,
        '/account/support/new',
        '/account/support/new',
        [['subject', '']],
        [{ filename: 'x.png', content: Buffer.from('nope') }],
      ),
    );
    keep(
      'POST /account/support/profile (bad)',
      await c.b.submit('/account/support/profile', '/account/support/profile', { os: 'x'.repeat(200) }),
    );
    assert.deepEqual(validateHtml(docs), []);
  });
});
