// The outbound gate end to end (issue 10, Done-when): every call to an outside company (credit check, payment,
// delivery hand-off, mail) is driven through the real app; what each company receives is captured where it would
// be (beneath the gate: recording adapters, a real SMTP server, the hand-off files), and compared with the fields the
// published policy lists for it, in English and German. Plus the gate's refusals, and that nothing can go around it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSmtpMailer, type Mailer } from '../../platform/email/mailer.ts';
import type { CreditAgency } from '../../shop/credit-agency.ts';
import type { PaymentProvider } from '../../shop/payment-provider.ts';
import { deliverDueMail, enqueueMail, features, sendSimilarProductMails } from '../../testing/app.ts';
import {
  fillBasket,
  payOnProviderPage,
  signedIn,
  staffMember,
  startHostedCardCheckout,
} from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { buildDataMap, type DataMap } from '../data-map.ts';
import { renderPolicyBody } from '../policy.pages.ts';
import { deliverHandoffs, gateMailer, handoffDirectory } from './index.ts';
import { keepDeclared, passOutbound, sortFields, UndeclaredFieldError } from './outbound.ts';

/** The paths of a value as a company receives it (the test's own reading, not the gate's): `items.title`, `to`. */
function pathsOf(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, v]) => {
    if (v === undefined) return [];
    const path = `${prefix}${key}`;
    const inner = Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : [];
    if (inner.length === 0 || !inner.every((e) => e && typeof e === 'object' && !Array.isArray(e))) return [path];
    return [...new Set(inner.flatMap((e) => pathsOf(e as Record<string, unknown>, `${path}.`)))];
  });
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The labels the policy lists in the element with this id (its `recipient-fields` span). */
function listedLabels(body: string, id: string): string[] | undefined {
  const element = new RegExp(`id="${id}"[^>]*>(.*?)</(?:li|tr)>`, 's').exec(body)?.[1];
  const span = element && /<span class="recipient-fields">(.*?)<\/span>/s.exec(element)?.[1];
  return span === undefined || span === null ? undefined : unescape(span).split('; ').sort();
}

/** What the policy says each recipient receives and what it received differ: one line per difference. */
function differences(
  dataMap: DataMap,
  bodies: Record<'en' | 'de', string>,
  received: Map<string, Set<string>>,
): string[] {
  const found: string[] = [];
  for (const [recipientId, paths] of received) {
    const declared = dataMap.activities.flatMap((a) =>
      a.recipients.filter((r) => r.id === recipientId).map((r) => ({ activity: a, recipient: r })),
    );
    if (declared.length === 0) {
      found.push(`${recipientId} received data but the data map declares no such recipient`);
      continue;
    }
    for (const lang of ['en', 'de'] as const) {
      const labelOf = (path: string) =>
        declared.map((d) => d.recipient.fields[path]?.label[lang]).find((l) => l !== undefined);
      const unlisted = [...paths].filter((p) => labelOf(p) === undefined);
      if (unlisted.length > 0) found.push(`${recipientId} received ${unlisted.join(', ')}, which no declaration lists`);
      const expected = [...new Set([...paths].flatMap((p) => labelOf(p) ?? []))].sort();
      // The recipients' list names all a company received; each activity's entry what it received for that activity
      // (the delivery company gets a parcel's items for an order, a return address for a repair).
      const places: [string, string[]][] = [
        [`recipient-${recipientId}`, expected],
        ...declared.map(({ activity, recipient }): [string, string[]] => [
          `${activity.id}--${recipient.id}`,
          [...new Set([...paths].flatMap((p) => recipient.fields[p]?.label[lang] ?? []))].sort(),
        ]),
      ];
      for (const [place, expected] of places) {
        const listed = listedLabels(bodies[lang], place);
        if (!listed) found.push(`${lang}: the policy has no list of fields at #${place}`);
        else if (JSON.stringify(listed) !== JSON.stringify(expected))
          found.push(`${lang} #${place}: lists ${JSON.stringify(listed)}, received ${JSON.stringify(expected)}`);
      }
    }
  }
  return found;
}

const RECIPIENTS = ['credit-agency', 'payment-provider', 'delivery-company', 'mail-provider', 'repair-workshop'];

describeEachDatabase('every outside company receives exactly what the policy lists for it', (db) => {
  let smtp: TestSmtpServer;
  let h: Harness;
  const received = new Map<string, Set<string>>(RECIPIENTS.map((r) => [r, new Set<string>()]));
  const calls: { recipient: string; method: string }[] = [];
  const capture = (recipient: string, method: string, payload: Record<string, unknown>) => {
    calls.push({ recipient, method });
    for (const p of pathsOf(payload)) received.get(recipient)!.add(p);
  };
  // Beneath the gate, where the companies are: what reaches these is what they receive.
  const agencyRecorder = (agency: CreditAgency): CreditAgency => ({
    name: agency.name,
    company: agency.company,
    check: (request, about) => (capture('credit-agency', 'check', { ...request }), agency.check(request, about)),
  });
  const providerRecorder = (p: PaymentProvider): PaymentProvider => ({
    id: p.id,
    name: p.name,
    company: p.company,
    testMode: p.testMode,
    startHostedPayment: (r) => (capture('payment-provider', 'startHostedPayment', { ...r }), p.startHostedPayment(r)),
    charge: (r) => (capture('payment-provider', 'charge', { ...r }), p.charge(r)),
    findCharge: (key) => (capture('payment-provider', 'findCharge', { idempotencyKey: key }), p.findCharge(key)),
    refund: (reference, amountCents, idempotencyKey) => (
      capture('payment-provider', 'refund', { reference, amountCents, idempotencyKey }),
      p.refund(reference, amountCents, idempotencyKey)
    ),
  });

  before(async () => {
    smtp = await new TestSmtpServer().start();
    h = await openHarness(db, {
      seed: true,
      mailer: createSmtpMailer(smtp.url, 'test.example'),
      beyondGate: { payments: providerRecorder, creditAgency: agencyRecorder },
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' },
    });
    // An invoice order with hardware: the credit check, then the parcel's hand-off to the delivery company.
    const ines = await signedIn(h, { name: 'Ines Invoice' });
    await fillBasket(h, ines.b, ['keystep-49']);
    const billing = { name: 'Ines Invoice', street: 'Prüfweg 2', postalCode: '10115', city: 'Berlin', country: 'DE' };
    const invoice = await ines.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: billing, payment: { method: 'invoice' } },
      { 'idempotency-key': 'outbound-invoice' },
    );
    assert.equal(invoice.statusCode, 201, invoice.body);
    assert.equal(await deliverHandoffs(h.deps), 1);
    // A repair of a registered unit: its return address goes to the repair workshop and the delivery company.
    const rudi = await signedIn(h, { name: 'Rudi Repair' });
    const product = (await rudi.b.api('GET', '/api/v1/products/keystep-49')).json().id as string;
    const serial = `TF-2026-OB${db === 'sqlite' ? 'SQ' : 'PG'}01`;
    assert.equal((await rudi.b.api('POST', '/api/v1/registrations', { productId: product, serial })).statusCode, 201);
    const unit = await h.deps.db
      .selectFrom('hardware_registrations')
      .select('id')
      .where('serial', '=', serial)
      .executeTakeFirstOrThrow();
    const repair = await rudi.b.submit('/account/support/repairs/new', '/account/support/repairs', {
      registrationId: unit.id,
      fault: 'Pads stick',
      name: 'Rudi Repair',
      line1: 'Werkstattgasse 1',
      line2: 'Hinterhaus',
      postalCode: '10115',
      city: 'Berlin',
      country: 'Deutschland',
    });
    assert.equal(repair.statusCode, 303, repair.body);
    assert.equal(await deliverHandoffs(h.deps), 2);

    // A card order with a token from the provider, refunded by staff later; a wallet order.
    const carla = await signedIn(h, { name: 'Carla Card' });
    await fillBasket(h, carla.b, ['driftwood-reverb']);
    const token = (
      await carla.b.api('POST', '/api/v1/test-payments/tokens', {
        number: '4242424242424242',
        expMonth: 12,
        expYear: 2031,
        cvc: '123',
      })
    ).json().token as string;
    const card = await carla.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: billing, payment: { method: 'card', token } },
      { 'idempotency-key': 'outbound-card' },
    );
    assert.equal(card.statusCode, 201, card.body);
    await fillBasket(h, carla.b, ['tidal-delay']);
    const wallet = await carla.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: billing, payment: { method: 'wallet' } },
      { 'idempotency-key': 'outbound-wallet' },
    );
    assert.equal(wallet.statusCode, 201, wallet.body);

    // A hosted card payment through the checkout page and the provider's page.
    const hana = await signedIn(h, { name: 'Hana Hosted' });
    await fillBasket(h, hana.b, ['prism-eq']);
    const hosted = await startHostedCardCheckout(hana.b, { name: 'Hana Hosted', street: 'Seitenweg 3' });
    // Before she pays, the reconcile job asks the provider about her pending order: a lookup, nothing new.
    for (const job of features.flatMap((f) => f.jobs ?? []).filter((j) => j.name === 'orders.reconcile-payments'))
      await job.run(h.deps);
    const returned = await payOnProviderPage(hana.b, hosted, '4242 4242 4242 4242');
    assert.equal((await hana.b.get(returned.pathname + returned.search)).statusCode, 303);

    // Staff refund the card order through the provider.
    const staff = await staffMember(h);
    const refunded = await staff.b.submit(`/staff/orders/${card.json().id}`, `/staff/orders/${card.json().id}/refund`, {
      scope: 'full',
      confirm: 'yes',
    });
    assert.ok(refunded.statusCode < 400, refunded.body);

    // One more order, whose confirmation goes out through the relay below with its invoice PDF attached (the mail
    // of the orders above went out with the sign-ins in between).
    await fillBasket(h, carla.b, ['ember-drive']);
    const another = await carla.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: billing, payment: { method: 'wallet' } },
      { 'idempotency-key': 'outbound-wallet-2' },
    );
    assert.equal(another.statusCode, 201, another.body);

    // Product suggestions for purchasers (an advertising mail with its unsubscribe headers), then the outbox goes
    // out through the relay: order confirmations and suggestions.
    assert.ok((await sendSimilarProductMails(h.deps)) > 0);
    // A support answer, as support.emails.ts makes it: its Reply-To and Message-ID carry the ticket's reply token.
    await enqueueMail(h.deps.db, h.clock, {
      to: 'sina.support@example.org',
      subject: 'Re: [T-OUTBOUND] My synth',
      body: 'Please try the new firmware.',
      template: 'support-reply',
      headers: {
        'Reply-To': 'support+OUTBOUND.token@test.example',
        'Message-ID': '<OUTBOUND.token.1@test.example>',
      },
    });
    await deliverDueMail({
      db: h.deps.db,
      clock: h.clock,
      mailer: h.deps.mailer,
      log: h.deps.log,
      from: 'Shop <shop@test.example>',
      secret: h.deps.config.secret,
      attachments: h.deps.mailAttachments,
    });

    // The gate refused none of them (a refused mail would wait in the outbox for a retry).
    const unsent = await h.deps.db
      .selectFrom('outbox')
      .select(['subject', 'last_error'])
      .where('sent_at', 'is', null)
      .execute();
    assert.deepEqual(unsent, []);

    // What the relay received, as the relay sees it.
    const standard = new Set(['date', 'message-id', 'from', 'to', 'subject', 'mime-version', 'content-type']);
    standard.add('content-transfer-encoding');
    for (const { parsed } of smtp.received) {
      const mail: Record<string, unknown> = {
        id: parsed.messageId,
        from: parsed.from?.text,
        to: parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : undefined,
        subject: parsed.subject,
        text: parsed.text,
        html: parsed.html || undefined,
        attachments: parsed.attachments.length
          ? parsed.attachments.map((f) => ({
              filename: f.filename,
              contentType: f.contentType,
              content: f.content.toString('base64'),
            }))
          : undefined,
      };
      const extra: Record<string, string> = {};
      for (const { key, line } of parsed.headerLines)
        if (!standard.has(key)) extra[line.slice(0, line.indexOf(':'))] = 'present';
      // A Message-ID other than the outbox's own `<outbox id@domain>` is one the mail named (a support answer's).
      if (!/^<[0-9a-f-]{36}@test\.example>$/.test(parsed.messageId ?? '')) extra['Message-ID'] = 'present';
      if (Object.keys(extra).length > 0) mail.headers = extra;
      capture('mail-provider', 'send', mail);
    }
    // What the delivery company's and the repair workshop's imports pick up.
    for (const recipient of ['delivery-company', 'repair-workshop']) {
      const dir = handoffDirectory(h.dataDir, recipient);
      for (const file of readdirSync(dir))
        capture(recipient, 'handoff', JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>);
    }
  });
  after(async () => {
    await h.close();
    await smtp.stop();
  });

  test('each company received exactly the fields its declaration lists, and every call was driven', () => {
    const methods = new Set(calls.map((c) => `${c.recipient}.${c.method}`));
    for (const m of [
      'credit-agency.check',
      'payment-provider.charge',
      'payment-provider.startHostedPayment',
      'payment-provider.findCharge',
      'payment-provider.refund',
      'delivery-company.handoff',
      'repair-workshop.handoff',
      'mail-provider.send',
    ])
      assert.ok(methods.has(m), `no call ${m} was driven`);
    for (const recipient of RECIPIENTS) {
      const declared = h.deps.dataMap.activities.flatMap((a) =>
        a.recipients.filter((r) => r.id === recipient).flatMap((r) => Object.keys(r.fields)),
      );
      assert.deepEqual([...received.get(recipient)!].sort(), [...new Set(declared)].sort(), recipient);
    }
  });

  test('the policy lists for each recipient exactly the labels of the fields it received, in English and German', () => {
    const input = { dataMap: h.deps.dataMap, operator: h.deps.config.operator, registry: h.deps.consent };
    const bodies = { en: renderPolicyBody('en', input), de: renderPolicyBody('de', input) };
    assert.deepEqual(differences(h.deps.dataMap, bodies, received), []);
    assert.match(bodies.de, /eigenständig Verantwortlicher/);
    assert.match(bodies.de, /Auftragsverarbeiter \(Art\. 28 DSGVO\)/);
  });

  test('the comparison fails when the declaration and what is sent differ', () => {
    // The same app with the credit agency's payment method no longer declared: the policy stops listing it.
    const map = h.deps.dataMap;
    const trimmed = map.activities.map((a) => ({
      ...a,
      recipients: a.recipients.map((r) => {
        if (r.id !== 'credit-agency') return r;
        const { method: _dropped, ...fields } = r.fields;
        return { ...r, fields };
      }),
    }));
    const doctored = buildDataMap(
      [
        {
          activities: trimmed.filter((a) => a.id !== 'platform.operation'),
          tables: map.tables.filter((t) => t.table !== 'schema_migrations'),
        },
      ],
      map.links,
    );
    const input = { dataMap: doctored, operator: h.deps.config.operator, registry: h.deps.consent };
    const bodies = { en: renderPolicyBody('en', input), de: renderPolicyBody('de', input) };
    const found = differences(doctored, bodies, received);
    assert.ok(
      found.some((d) => d.startsWith('credit-agency received method')),
      found.join('\n'),
    );
  });

  test('every call that hands over data left a disclosure record; lookups and refunds left none', async () => {
    const count = (recipient: string, methods: string[]) =>
      calls.filter((c) => c.recipient === recipient && methods.includes(c.method)).length;
    const rows = await h.deps.db.selectFrom('disclosures').select(['recipient', 'fields']).execute();
    const byRecipient = (r: string) => rows.filter((row) => row.recipient === r).length;
    // Gone around the gate, a call would reach its company without a record: the counts would differ.
    assert.equal(byRecipient('credit-agency'), count('credit-agency', ['check']));
    assert.equal(byRecipient('payment-provider'), count('payment-provider', ['charge', 'startHostedPayment']));
    assert.equal(byRecipient('delivery-company'), count('delivery-company', ['handoff']));
    assert.equal(byRecipient('repair-workshop'), count('repair-workshop', ['handoff']));
    const mails = await h.deps.db.selectFrom('address_disclosures').select(['recipient', 'email']).execute();
    assert.equal(mails.length, count('mail-provider', ['send']));
    assert.ok(mails.every((m) => m.recipient === 'mail-provider'));
    for (const row of rows) assert.ok(!/Ines|Prüfweg|10115|tok_/.test(row.fields), 'field names only, never values');
  });
});

describeEachDatabase('the outbound gate', (db) => {
  let h: Harness;
  const reached: unknown[] = [];
  before(async () => {
    h = await openHarness(db, {
      beyondGate: {
        creditAgency: (agency) => ({
          name: agency.name,
          company: agency.company,
          check: (request, about) => (reached.push(request), agency.check(request, about)),
        }),
      },
    });
  });
  after(() => h.close());

  const request = {
    name: 'Gerd Gate',
    street: 'Torweg 1',
    postalCode: '10115',
    city: 'Berlin',
    country: 'DE',
    amountCents: 1000,
    method: 'invoice' as const,
  };

  test('refuses a field the recipient does not declare: nothing reaches the company and nothing is recorded', async () => {
    const smuggled = { ...request, email: 'gerd@example.org', birthDate: '1970-01-01' };
    await assert.rejects(
      h.deps.creditAgency.check(smuggled, { userId: 'user-gerd' }),
      (err: unknown) =>
        err instanceof UndeclaredFieldError &&
        err.fields.join() === 'email,birthDate' &&
        !err.message.includes('gerd@example.org'),
    );
    assert.deepEqual(reached, []);
    assert.deepEqual(await h.deps.db.selectFrom('disclosures').selectAll().execute(), []);
    // The declared fields pass, and are recorded by name.
    assert.equal((await h.deps.creditAgency.check(request, { userId: 'user-gerd' })).decision, 'approved');
    assert.equal(reached.length, 1);
    const rows = await h.deps.db.selectFrom('disclosures').selectAll().execute();
    assert.deepEqual(
      rows.map((r) => [r.user_id, r.recipient, r.activity, JSON.parse(r.fields)]),
      [['user-gerd', 'credit-agency', 'credit.credit-check', Object.keys(request)]],
    );
  });

  test('refuses a recipient the activity does not declare, and a recorded call without a person', async () => {
    let performed = false;
    const perform = () => Promise.resolve((performed = true));
    await assert.rejects(
      passOutbound(
        h.deps,
        { activity: 'credit.credit-check', recipient: 'payment-provider', person: { userId: 'u' }, payload: {} },
        perform,
      ),
      /declares no recipient payment-provider/,
    );
    await assert.rejects(
      passOutbound(
        h.deps,
        { activity: 'credit.credit-check', recipient: 'credit-agency', payload: { name: 'x' } },
        perform,
      ),
      /names no person/,
    );
    assert.equal(performed, false);
  });

  test('a mail that is retried after a failed attempt is recorded as one disclosure', async () => {
    const attempts: string[] = [];
    // The relay refuses the first attempt (as a full mailbox or a timeout would) and takes the second.
    const flaky: Mailer = {
      kind: 'smtp',
      send: (mail) => {
        attempts.push(mail.id);
        return attempts.length === 1 ? Promise.reject(new Error('451 try again')) : Promise.resolve();
      },
      close: () => {},
    };
    const mailer = gateMailer(h.deps, flaky, { activity: 'mail.service-messages', recipient: 'mail-provider' });
    const delivery = { ...h.deps, mailer, from: 'shop@test', secret: h.deps.config.secret };
    const id = await enqueueMail(h.deps.db, h.clock, { to: 'rhea@example.org', subject: 'Hello', body: 'Twice?' });
    assert.deepEqual(await deliverDueMail(delivery), { sent: 0, failed: 0 });
    h.clock.advance(2 * 60_000);
    assert.deepEqual(await deliverDueMail(delivery), { sent: 1, failed: 0 });
    assert.deepEqual(attempts, [id, id], 'the relay was asked twice');
    const rows = await h.deps.db
      .selectFrom('address_disclosures')
      .select(['email', 'recipient'])
      .where('email', '=', 'rhea@example.org')
      .execute();
    assert.deepEqual(rows, [{ email: 'rhea@example.org', recipient: 'mail-provider' }]);
  });

  test('nested fields: a declared path inside objects and arrays passes, anything beside it is named', () => {
    const payload = {
      items: [{ title: 'A', price: 1 }],
      headers: { 'List-Unsubscribe': '<x>', 'X-Secret': 'y' },
      to: 'a@b',
      tags: ['x'],
      none: undefined,
    };
    const allowed = ['items.title', 'headers.List-Unsubscribe', 'to', 'tags.name'];
    const sorted = sortFields(payload, allowed);
    assert.deepEqual(sorted.sent.sort(), ['headers.List-Unsubscribe', 'items.title', 'to']);
    assert.deepEqual(sorted.undeclared.sort(), ['headers.X-Secret', 'items.price', 'tags']);
    // A queued hand-off is cut to the same declaration instead of refused.
    const kept = keepDeclared(payload, allowed);
    assert.deepEqual(kept, { items: [{ title: 'A' }], headers: { 'List-Unsubscribe': '<x>' }, to: 'a@b', tags: [] });
    assert.deepEqual(sortFields(kept, allowed).undeclared, []);
  });
});

describe('nothing reaches an outside company around the gate', () => {
  test('the adapters are made and handed out only by the composition root, which wraps each in the gate', () => {
    const root = join(import.meta.dirname, '..', '..');
    const makers =
      /\b(createSmtpMailer|createFileMailer|createPaymentProvider|createTestPaymentProvider|createCreditAgency|testCreditAgency|nodemailer)\b/;
    const allowed = new Set([
      'composition.ts',
      'platform/email/mailer.ts',
      'features/payments/index.ts',
      'features/payments/payments.service.ts',
      'features/payments/test-provider.ts',
      // The provider's own hosted page and token endpoint: the company's side, not a call to it.
      'features/payments/payments.routes.ts',
      'features/credit/index.ts',
      'features/credit/credit-agency.ts',
    ]);
    const offenders: string[] = [];
    const walk = (dir: string, rel: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (entry.name !== 'testing') walk(join(dir, entry.name), path);
        } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !allowed.has(path)) {
          if (makers.test(readFileSync(join(dir, entry.name), 'utf8'))) offenders.push(path);
        }
      }
    };
    walk(root, '');
    assert.deepEqual(offenders, []);
    const composition = readFileSync(join(root, 'composition.ts'), 'utf8');
    for (const gate of ['gateMailer(', 'gatePaymentProvider(', 'gateCreditAgency('])
      assert.ok(composition.includes(gate), `composition.ts wraps with ${gate}`);
  });
});

test('the data map refuses one recipient with two roles, a joint controller without its arrangement, and no fields', () => {
  const field = { name: { category: 'identity' as const, label: { en: 'name', de: 'Name' } } };
  const activity = (id: string, recipient: Record<string, unknown>) => ({
    id,
    name: { en: id, de: id },
    purpose: { en: id, de: id },
    legalBasis: 'contract' as const,
    subjects: { en: 'customers', de: 'Kunden' },
    recipients: [{ id: 'courier', name: { en: 'courier', de: 'Kurier' }, fields: field, ...recipient }],
  });
  assert.throws(
    () =>
      buildDataMap([
        {
          activities: [
            activity('a.one', { role: 'processor' }),
            activity('a.two', { role: 'independent-controller' }),
            activity('a.three', { role: 'joint-controller' }),
            activity('a.four', { role: 'processor', fields: {} }),
          ] as never,
          tables: [],
        },
      ]),
    (err: Error) =>
      /recipient courier has another name or role in activity a\.two/.test(err.message) &&
      /courier is a joint controller without the essence of the arrangement/.test(err.message) &&
      /recipient courier of a\.four declares no field/.test(err.message),
  );
});
