// Transactional mail as HTML with a plain-text part (issue 11, point 14), through a real SMTP server: both parts in
// the recipient's language, the HTML with its lang and nothing loaded from elsewhere; attachments are stored as
// references and made at delivery by the registered renderers, and a mail whose file cannot be made is retried,
// never sent without it.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, it, test } from 'node:test';
import { MINUTE } from '../../platform/clock.ts';
import { composeMail, mailHtml, type AttachmentRenderers } from '../../platform/email/compose.ts';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import { describeEachDatabase, linkIn, openHarness, type Harness } from '../../testing/harness.ts';
import { signedIn } from '../../testing/factories.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { deliverDueMail, enqueueMail } from './index.ts';

/** What would make a mail client fetch something when the mail is opened. */
const REMOTE = /<(img|link|script|iframe|object|embed|video|audio|source|base)\b|\bsrc=|url\(|@import/i;

test('a composed mail escapes what it is given, keeps codes whole and reads the same in both parts', () => {
  const mail = composeMail({
    to: 'a@example.org',
    lang: 'de',
    subject: 'Test <b>',
    blocks: [
      { kind: 'heading', text: 'Hallo & willkommen' },
      { kind: 'paragraph', text: 'Erste Zeile\nzweite Zeile\n\nNeuer Absatz <script>' },
      { kind: 'table', caption: 'Summe', rows: [{ label: 'Gesamt', value: '10,00 €', strong: true }] },
      { kind: 'codes', caption: 'Schlüssel', items: [{ label: 'Synth', code: 'ABCDE-FGHIJ' }] },
      { kind: 'address', caption: 'Anschrift', lines: ['Ada', 'Weg 1'] },
      { kind: 'link', label: 'Öffnen', href: 'https://shop.example/x?a=1&b="2"' },
    ],
  });
  assert.match(mail.html, /^<!DOCTYPE html><html lang="de">/);
  assert.match(mail.html, /<title>Test &lt;b&gt;<\/title>/);
  assert.match(mail.html, /Neuer Absatz &lt;script&gt;/);
  assert.match(mail.html, /href="https:\/\/shop\.example\/x\?a=1&amp;b=&quot;2&quot;"/);
  assert.match(mail.html, /<th scope="row"[^>]*>Gesamt<\/th>/);
  assert.match(mail.html, /white-space:nowrap">ABCDE-FGHIJ<\/code>/);
  assert.doesNotMatch(mail.html, REMOTE);
  for (const part of [
    'Hallo & willkommen',
    'Erste Zeile\nzweite Zeile',
    'Gesamt',
    '10,00 €',
    'ABCDE-FGHIJ',
    'Anschrift:\n  Ada\n  Weg 1',
  ])
    assert.ok(mail.body.includes(part), part);
  assert.equal(mailHtml('en', 's', []).includes('lang="en"'), true);
});

describeEachDatabase('HTML mail over SMTP', (db) => {
  let smtp: TestSmtpServer;
  let h: Harness;

  beforeEach(async () => {
    smtp = await new TestSmtpServer().start();
    h = await openHarness(db, { mailer: createSmtpMailer(smtp.url, 'test.example') });
  });
  afterEach(async () => {
    await h.close();
    await smtp.stop();
  });

  const delivery = (attachments?: AttachmentRenderers) => ({
    db: h.deps.db,
    clock: h.clock,
    mailer: h.deps.mailer,
    log: h.deps.log,
    from: 'shop@test',
    secret: h.deps.config.secret,
    ...(attachments ? { attachments } : {}),
  });

  it('an account mail arrives as text and HTML in the language of the visitor who registered, the HTML with its lang and nothing remote, the same working link in both', async () => {
    for (const [lang, subject, words] of [
      ['de', 'Bitte bestätigen Sie Ihre E-Mail-Adresse', /bitte bestätigen Sie Ihre E-Mail-Adresse/],
      ['en', 'Please confirm your email address', /please confirm your email address/],
    ] as const) {
      const email = `html.${lang}@example.org`;
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/accounts',
        headers: { 'accept-language': lang, 'content-type': 'application/json' },
        payload: { name: 'Hanna Html', email, password: 'correct horse battery staple' },
      });
      assert.ok(res.statusCode < 300, res.body);
      await deliverDueMail(delivery());
      const mail = smtp.received.find((m) => m.envelopeTo.includes(email));
      assert.ok(mail, `the ${lang} mail arrived`);
      assert.equal(mail.parsed.subject, subject);
      const text = mail.parsed.text ?? '';
      const html = String(mail.parsed.html);
      assert.match(text, words);
      assert.match(html, words);
      assert.match(html, new RegExp(`^<!DOCTYPE html><html lang="${lang}">`));
      assert.doesNotMatch(html, REMOTE);
      assert.doesNotMatch(text, /<[a-z]/i, 'the text part holds no markup');
      // One message with both alternatives, no attachment.
      assert.equal(mail.parsed.attachments.length, 0);
      const link = linkIn(text, '/account/verify');
      assert.ok(html.includes(link.replace(/&/g, '&amp;')), 'the HTML part carries the same link');
    }
  });

  it('an attachment is made from its reference at delivery; the outbox keeps only the reference', async () => {
    const made: string[] = [];
    const renderers: AttachmentRenderers = {
      note: async (ref) => {
        made.push(ref.ref);
        return {
          filename: 'ignored.txt',
          contentType: 'text/plain',
          content: Buffer.from(`note ${ref.ref} ${ref.lang}`),
        };
      },
    };
    const mail = composeMail({
      to: 'file@example.org',
      lang: 'de',
      subject: 'Mit Anhang',
      blocks: [{ kind: 'paragraph', text: 'Siehe Anhang.' }],
      attachments: [{ kind: 'note', ref: 'n-1', filename: 'Notiz.txt', lang: 'de' }],
    });
    const id = await enqueueMail(h.deps.db, h.clock, mail);
    const row = await h.deps.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(row.attachments), [{ kind: 'note', ref: 'n-1', filename: 'Notiz.txt', lang: 'de' }]);
    assert.equal(made.length, 0, 'nothing is made before delivery');
    assert.deepEqual(await deliverDueMail(delivery(renderers)), { sent: 1, failed: 0 });
    const received = smtp.received[0]!.parsed;
    assert.equal(received.attachments.length, 1);
    assert.equal(received.attachments[0]!.filename, 'Notiz.txt', 'named as the reference says');
    assert.equal(received.attachments[0]!.content.toString(), 'note n-1 de');
    assert.match(String(received.html), /Siehe Anhang\./);
  });

  it('a mail whose attachment cannot be made (no renderer, or the thing is gone) is not sent but retried, and leaves once it can be made', async () => {
    await enqueueMail(
      h.deps.db,
      h.clock,
      composeMail({
        to: 'retry@example.org',
        lang: 'en',
        subject: 'Your invoice',
        blocks: [{ kind: 'paragraph', text: 'Attached.' }],
        attachments: [{ kind: 'invoice', ref: 'no-such-order', filename: 'RE-1.pdf' }],
      }),
    );
    // The composition root's renderer finds no such order: nothing leaves, the outbox says why (no personal data).
    assert.deepEqual(await deliverDueMail(delivery(h.deps.mailAttachments)), { sent: 0, failed: 0 });
    assert.equal(smtp.offered, 0);
    const row = await h.deps.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.last_error, 'attachment-missing');
    assert.equal(row.sent_at, null);
    // No renderer of that kind at all: the same.
    h.clock.advance(2 * MINUTE);
    assert.deepEqual(await deliverDueMail(delivery({})), { sent: 0, failed: 0 });
    assert.equal(smtp.offered, 0);
    // Once the file can be made, the mail leaves with it.
    h.clock.advance(10 * MINUTE);
    const pdf = Buffer.from('%PDF-1.4 test');
    assert.deepEqual(
      await deliverDueMail(
        delivery({ invoice: async () => ({ filename: 'x.pdf', contentType: 'application/pdf', content: pdf }) }),
      ),
      { sent: 1, failed: 0 },
    );
    assert.equal(smtp.received[0]!.parsed.attachments[0]!.filename, 'RE-1.pdf');
    assert.ok(
      h.logLines.every((l) => !l.includes('retry@example.org')),
      'no address in the log',
    );
  });

  it('the staff mail console shows the text part and names the attachments, never the HTML', async () => {
    const staff = await signedIn(h, { email: 'stan.staff@example.org', role: 'staff' });
    const id = await enqueueMail(
      h.deps.db,
      h.clock,
      composeMail({
        to: 'reader@example.org',
        lang: 'en',
        subject: 'With a file',
        blocks: [{ kind: 'paragraph', text: 'Plain words here.' }],
        attachments: [{ kind: 'invoice', ref: 'o-1', filename: 'RE-2026-000001.pdf' }],
      }),
    );
    const page = await staff.b.get(`/staff/mail/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<pre>Plain words here\.\n<\/pre>/);
    assert.match(page.body, /RE-2026-000001\.pdf/);
    assert.match(page.body, /with an HTML version of the same content/);
    assert.doesNotMatch(page.body, /&lt;!DOCTYPE/);
  });
});
