// The order confirmation as a complete business letter (issue 11, points 4, 7 and 14): delivered over a real SMTP
// server as text and HTML in the customer's language, with the licence keys, the invoice PDF (read back with
// pdftotext), the terms and withdrawal information accepted, bank details for an order on invoice, and no card
// data; its copy is kept 6 years (§ 257 HGB) whatever the outbox's 30 days, restricted on an erasure request.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { DAY } from '../../platform/clock.ts';
import { loadConfig } from '../../platform/config.ts';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import { runRetention } from '../../privacy/retention.ts';
import { createDataMap } from '../../testing/app.ts';
import { eraseSubjectData } from '../../privacy/subject.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { asRole, BERLIN, fillBasket, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { formatDay, formatIban } from '../invoices/index.ts';
import { legalTextsForOrder } from '../legal/index.ts';
import { mailFeature } from '../mail/index.ts';

const noPdftotext = spawnSync('pdftotext', ['-v']).error !== undefined;
const skipPdf: string | false =
  noPdftotext && process.env.CI !== 'true' ? 'pdftotext is not installed (apt-get install -y poppler-utils)' : false;

let n = 0;

test('the letters’ period is configuration: RETENTION_LETTER_YEARS below the statutory 6 is refused, above it is published', () => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-letters-'));
  try {
    assert.throws(() => loadConfig({ DATA_DIR: dir, RETENTION_LETTER_YEARS: '3' }), /RETENTION_LETTER_YEARS must be/);
    const config = loadConfig({ DATA_DIR: dir, RETENTION_LETTER_YEARS: '7' });
    assert.equal(config.retention.letterYears, 7);
    const letters = createDataMap(config).tables.find((t) => t.table === 'business_letters')!;
    assert.deepEqual(letters.retention[0]!.after, { years: 7, fromEndOfYear: true });
    assert.deepEqual(createDataMap().tables.find((t) => t.table === 'business_letters')!.retention[0]!.after, {
      years: 6,
      fromEndOfYear: true,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describeEachDatabase('the order confirmation, a business letter', (db) => {
  let smtp: TestSmtpServer;
  let h: Harness;

  before(async () => {
    smtp = await new TestSmtpServer().start();
    h = await openHarness(db, { seed: true, mailer: createSmtpMailer(smtp.url, 'test.example') });
  });
  after(async () => {
    await h.close();
    await smtp.stop();
  });

  /** The worker's own job, with the Deps the composition root made (its attachment renderers included). */
  const deliver = async () => {
    const job = mailFeature.jobs?.find((j) => j.name === 'mail.deliver-outbox');
    assert.ok(job);
    await job.run(h.deps);
  };

  /** A verified customer who orders `slugs` with the terms and the digital-content consent, in `lang`. */
  async function order(
    lang: 'en' | 'de',
    slugs: string[],
    payment: { method: 'wallet' | 'invoice' },
  ): Promise<{ who: Account; id: string; number: string; mail: ParsedMail }> {
    const who = await signedIn(h, { name: 'Clara Confirm', email: `clara.${process.pid}.${++n}@example.org` });
    await fillBasket(h, who.b, slugs);
    const res = await who.b.api(
      'POST',
      '/api/v1/orders',
      {
        billingAddress: { ...BERLIN, name: 'Clara Confirm' },
        payment,
        consents: { terms: true, digitalContent: true },
      },
      { 'idempotency-key': `confirmation-${process.pid}-${n}`, 'accept-language': lang },
    );
    assert.equal(res.statusCode, 201, res.body);
    const { id, number } = res.json() as { id: string; number: string };
    await deliver();
    const mail = smtp.received.find((m) => m.parsed.subject?.endsWith(number));
    assert.ok(mail, `the confirmation of ${number} arrived over SMTP`);
    return { who, id, number, mail: mail.parsed };
  }

  it('a German order: text and HTML parts in German, no remote resources, the licence keys, the terms and the withdrawal information accepted, no payment data', async () => {
    const { id, number, mail } = await order('de', ['aurora-synth', 'keystep-49'], { method: 'wallet' });
    assert.equal(mail.subject, `Bestellbestätigung ${number}`);
    const text = mail.text ?? '';
    const html = String(mail.html);
    assert.match(html, /^<!DOCTYPE html><html lang="de">/);
    // Both parts say the same in German: the lines, the total with VAT, the payment method, the addresses.
    for (const part of [text, html]) {
      assert.match(part, /Vielen Dank für Ihre Bestellung/);
      assert.match(part, /Aurora/);
      assert.match(part, /Keystep 49/i);
      assert.match(part, /Gesamtbetrag/);
      assert.match(part, /Enthaltene MwSt\. \(19 %, Deutschland\)/);
      // The country by its name, not its code (the address blocks).
      assert.match(part, /Deutschland/);
      assert.doesNotMatch(part, /(>|\n)DE(<|\n)/);
      assert.match(part, /Zahlungsart: Wallet/);
      assert.match(part, /Rechnungsanschrift/);
      assert.match(part, /Lieferanschrift/);
      assert.match(part, /Teststraße 1/);
    }
    // Nothing is loaded from elsewhere when the mail is opened: no image, stylesheet, font, frame or script.
    assert.doesNotMatch(html, /<(img|link|script|iframe|object|embed|video|audio|source)\b|\bsrc=|url\(|@import/i);

    // Every key issued for the order, in both parts, whole.
    const keys = await h.deps.db.selectFrom('licences').select('licence_key').where('order_id', '=', id).execute();
    assert.ok(keys.length >= 1, 'the software line has a licence');
    for (const { licence_key } of keys) {
      assert.ok(text.includes(licence_key), 'the text part has the key');
      assert.ok(html.includes(`white-space:nowrap">${licence_key}</code>`), 'the HTML part has the key, unbroken');
    }

    // The terms and the withdrawal information (with the model form) of the versions accepted, as text.
    const row = await h.deps.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(row.legal_versions, 'the order recorded the versions accepted');
    const legal = await legalTextsForOrder(h.deps.db, 'de', JSON.parse(row.legal_versions) as Record<string, number>);
    assert.deepEqual(
      legal.map((l) => l.key),
      ['terms', 'withdrawal'],
    );
    for (const doc of legal) {
      assert.ok(text.includes(doc.title), doc.title);
      // Every paragraph of the text, as written.
      for (const paragraph of doc.text.trim().split(/\n{2,}/)) assert.ok(text.includes(paragraph.trim()), paragraph);
    }
    assert.match(text, /Muster-Widerrufsformular/);
    // The § 356(5) BGB consent, confirmed on the durable medium (§ 312f(3) BGB).
    assert.match(text, /Ihre Zustimmung zur sofortigen Lieferung digitaler Inhalte/);
    // The particulars of a business letter.
    assert.match(text, new RegExp(h.deps.config.operator.registry.replace(/[()]/g, '\\$&')));

    // The payment method only: no wallet or card reference, no provider's reference.
    if (row.payment_reference)
      assert.ok(!text.includes(row.payment_reference) && !html.includes(row.payment_reference));
  });

  it(
    'the invoice PDF is attached, made from the kept order: its text names the invoice, the order and the lines',
    { skip: skipPdf },
    async () => {
      const { id, number, mail } = await order('en', ['aurora-synth'], { method: 'wallet' });
      const invoice = await h.deps.db
        .selectFrom('invoices')
        .select('number')
        .where('order_id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(mail.attachments.length, 1);
      const file = mail.attachments[0]!;
      assert.equal(file.filename, `${invoice.number}.pdf`);
      assert.equal(file.contentType, 'application/pdf');
      assert.match(mail.text ?? '', new RegExp(`Your invoice ${invoice.number} is attached as a PDF`));
      const dir = mkdtempSync(join(tmpdir(), 'candor-confirmation-'));
      try {
        writeFileSync(join(dir, 'invoice.pdf'), file.content);
        const pdf = spawnSync('pdftotext', ['-layout', join(dir, 'invoice.pdf'), '-'], { encoding: 'utf8' }).stdout;
        assert.match(pdf, new RegExp(invoice.number));
        assert.match(pdf, new RegExp(number));
        assert.match(pdf, /Invoice/);
        assert.match(pdf, /Aurora/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('an order on invoice: the confirmation says where to pay, with the reference and the due date', async () => {
    const { number, mail, id } = await order('en', ['aurora-synth'], { method: 'invoice' });
    const row = await h.deps.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'invoiced');
    const { bankAccount, timeZone, paymentTermDays } = h.deps.config.operator;
    const due = formatDay('en', row.created_at + paymentTermDays * DAY, timeZone);
    for (const part of [mail.text ?? '', String(mail.html)]) {
      assert.match(part, /Please transfer the amount to/);
      assert.ok(part.includes(bankAccount.accountHolder), 'account holder');
      assert.ok(part.includes(formatIban(bankAccount.iban)), 'IBAN');
      assert.ok(part.includes(bankAccount.bic), 'BIC');
      assert.ok(part.includes(number), 'reference');
      assert.ok(part.includes(due), `due date ${due}`);
      assert.match(part, /Payment method: Invoice/);
    }
    // The attached invoice asks for the same transfer.
    assert.equal(mail.attachments.length, 1);
    if (!skipPdf) {
      const dir = mkdtempSync(join(tmpdir(), 'candor-confirmation-'));
      try {
        writeFileSync(join(dir, 'invoice.pdf'), mail.attachments[0]!.content);
        const pdf = spawnSync('pdftotext', [join(dir, 'invoice.pdf'), '-'], { encoding: 'utf8' }).stdout;
        assert.ok(pdf.replace(/\s+/g, ' ').includes(formatIban(bankAccount.iban)), 'the PDF names the IBAN');
        assert.ok(pdf.includes(number), 'the PDF names the reference');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('the copy is kept as written after the outbox forgot the mail and after an erasure request (restricted, the DPO only), and goes 6 years after the end of the year', async () => {
    const { who, id, mail } = await order('en', ['aurora-synth'], { method: 'wallet' });
    const letter = () => h.deps.db.selectFrom('business_letters').selectAll().where('ref', '=', id).executeTakeFirst();
    const copy = (await letter())!;
    assert.ok(copy, 'a copy was kept with the mail');
    assert.equal(copy.kind, 'order-confirmation');
    assert.equal(copy.subject, mail.subject);
    assert.equal(`${copy.body}`.trim(), (mail.text ?? '').trim());
    assert.match(copy.html ?? '', /<html lang="en">/);
    assert.match(copy.attachments, /"kind":"invoice"/);

    // Not a customer's page: the customer has no way to it.
    assert.equal((await who.b.get(`/staff/letters/${copy.id}`)).statusCode, 403);

    // The outbox keeps sent mail 30 days; the copy stays.
    h.clock.advance(31 * DAY);
    await runRetention(h.deps);
    assert.equal(
      await h.deps.db.selectFrom('outbox').select('id').where('id', '=', copy.outbox_id).executeTakeFirst(),
      undefined,
    );
    assert.ok(await letter(), 'the copy outlives the outbox');

    // Staff read it (the text part) on a staff page.
    const staff = await staffMember(h, { email: `stella.${process.pid}.${++n}@example.org` });
    const list = await staff.b.get('/staff/letters');
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes(`/staff/letters/${copy.id}`));
    const page = await staff.b.get(`/staff/letters/${copy.id}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('Thank you for your order'));

    // An erasure request restricts the copy instead of deleting it: staff no longer see it, the DPO does.
    await eraseSubjectData(h.deps, who.email);
    const restricted = (await letter())!;
    assert.ok(restricted, 'kept for the law');
    assert.ok(restricted.restricted_at !== null);
    assert.equal(restricted.body, copy.body);
    assert.equal((await staff.b.get(`/staff/letters/${copy.id}`)).statusCode, 404);
    assert.ok(!(await staff.b.get('/staff/letters')).body.includes(copy.id));
    const dpo = await staffMember(h, { email: `dora.${process.pid}.${++n}@example.org` });
    await asRole(h, dpo, 'dpo');
    const seen = await dpo.b.get(`/staff/letters/${copy.id}`);
    assert.equal(seen.statusCode, 200);
    assert.match(seen.body, /Restricted: the customer asked for erasure/);

    // Six years from the end of the calendar year of sending: kept on the last day, gone on the first after.
    const sentYear = new Date(copy.created_at).getUTCFullYear();
    h.clock.set(Date.UTC(sentYear + 6, 11, 31, 12));
    await runRetention(h.deps);
    assert.ok(await letter(), 'still kept on the last day of the sixth year');
    h.clock.set(Date.UTC(sentYear + 7, 0, 1, 0, 0, 1));
    await runRetention(h.deps);
    assert.equal(await letter(), undefined, 'gone after six years');
  });
});
