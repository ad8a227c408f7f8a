import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { deliverDueMail, features } from '../testing/app.ts';
import { listTables } from '../platform/db/dialect.ts';
import { asRole, staffMember } from '../testing/factories.ts';
import {
  Browser,
  describeEachDatabase,
  linkIn,
  openHarness,
  RecordingMailer,
  type Harness,
} from '../testing/harness.ts';
import { gateMailer } from './disclosures/index.ts';
import { classifyDataFile, findUnregisteredFiles, listFilesUnder } from './files.ts';
import { selectAllRows } from './retention.queries.ts';
import { eraseSubjectData, exportSubjectData } from './subject.ts';

/** The text of every file under the data directory but the database's own files (their cells are read above). */
function filesText(h: Harness): string {
  return listFilesUnder(h.dataDir)
    .filter((f) => classifyDataFile(h.deps.dataMap, f).set?.id !== 'platform.database')
    .map((f) => `${f}\n${readFileSync(join(h.dataDir, f), 'utf8')}`)
    .join('\n');
}

async function databaseText(h: Harness, except: string[] = []): Promise<string> {
  const parts: string[] = [];
  for (const table of await listTables(h.deps.db, h.deps.dbKind))
    if (!except.includes(table)) parts.push(JSON.stringify(await selectAllRows(h.deps.db, table)));
  return parts.join('\n');
}

describeEachDatabase('subject requests', (db) => {
  let h: Harness;
  const person = {
    name: 'Grete Subject',
    email: 'grete@example.org',
    password: 'paper lantern autumn',
    ip: '198.51.100.61',
  };
  const bystander = { name: 'Bodo Bystander', email: 'bodo@example.org', password: 'velvet canyon river' };
  const secrets: string[] = [];

  before(async () => {
    // The file mail sink, as in development: every message is also a file under the data directory.
    h = await openHarness(db, { seed: true, mailer: 'file' });
    // Seed the person's data into every table that links to a person: account, sessions, tokens, outbox, usage log.
    const b = new Browser(h.app, person.ip);
    await b.submit('/account/register', '/account/register', {
      name: person.name,
      email: person.email,
      password: person.password,
      company: 'Subject GmbH',
      phone: '+49 30 5550101',
    });
    await b.api('POST', '/api/v1/sessions', { email: person.email, password: person.password, remember: true });
    await b.api('POST', '/api/v1/password-resets', { email: person.email });
    // An invitation to join the staff sent to the address, and a record of a change to the account's role.
    const inviter = await asRole(h, await staffMember(h, { name: 'Ada Admin', ip: '192.0.2.98' }), 'admin');
    const invited = await inviter.b.submit('/staff/team', '/staff/team/invitations', {
      email: person.email,
      name: person.name,
      role: 'staff',
    });
    assert.equal(invited.statusCode, 303, invited.body);
    const personId = (
      await h.deps.db.selectFrom('users').select('id').where('email', '=', person.email).executeTakeFirstOrThrow()
    ).id;
    await h.deps.db
      .insertInto('staff_changes')
      .values({
        id: 'change-1',
        at: h.clock.now(),
        actor_user_id: null,
        subject_user_id: personId,
        invitation_id: null,
        action: 'change-role',
        detail: 'staff→customer',
      })
      .execute();
    // The person's second factor, a recovery code and a sign-in waiting for its code (accounts.005).
    const at = h.clock.now();
    await h.deps.db
      .insertInto('two_factor')
      .values({ user_id: personId, secret_enc: 'v1.x.y.z', confirmed_at: at, last_step: 0, created_at: at })
      .execute();
    await h.deps.db
      .insertInto('two_factor_recovery_codes')
      .values({ code_hash: 'subject-code-hash', user_id: personId, created_at: at, used_at: null })
      .execute();
    await h.deps.db
      .insertInto('two_factor_challenges')
      .values({ token_hash: 'subject-challenge', user_id: personId, remember: 0, created_at: at, expires_at: at + 1 })
      .execute();
    // A product import the person started as staff (catalog.008): its row names who started it.
    await h.deps.db
      .insertInto('product_imports')
      .values({
        id: '00000000-0000-4000-8000-00000000a001',
        state: 'finished',
        total: 1,
        done: 1,
        created_count: 1,
        updated_count: 0,
        rejected: '[]',
        source: null,
        created_by: personId,
        created_at: at,
        updated_at: at,
      })
      .execute();
    // Issue 16: a request to correct something (waiting for staff), with its history.
    await h.deps.db
      .insertInto('privacy_requests')
      .values({
        id: '00000000-0000-4000-8000-00000000b016',
        kind: 'rectification',
        state: 'received',
        channel: 'account',
        subject: personId,
        email: person.email,
        lang: 'en',
        received_at: at,
        due_at: at + 30 * 86_400_000,
        extended_at: null,
        extension_reason: null,
        identity_check: 0,
        identity_checked_at: null,
        detail: '{"message":"Grete Subject, not Gretel"}',
        outcome: null,
        refusal_reason: null,
        done_at: null,
        duplicate_of: null,
        lease_until: null,
        lease_owner: null,
        attempts: 0,
        progress: 0,
        export_expires_at: null,
        export_size: null,
        restricted_at: null,
      })
      .execute();
    await h.deps.db
      .insertInto('privacy_request_events')
      .values({
        id: '00000000-0000-4000-8000-00000000b017',
        request_id: '00000000-0000-4000-8000-00000000b016',
        subject: personId,
        at,
        actor: 'subject',
        actor_user_id: personId,
        what: 'received',
        note: null,
        restricted_at: null,
      })
      .execute();
    // Issue 16: a request made without signing in, waiting for its mailed link to be followed.
    await h.deps.db
      .insertInto('privacy_request_links')
      .values({
        id: '00000000-0000-4000-8000-00000000b018',
        email: person.email,
        kind: 'export',
        detail: null,
        lang: 'en',
        created_at: at,
        expires_at: at + 86_400_000,
      })
      .execute();
    // Issue 16: a notice that the account has been dormant (policy 9c), waiting for its 30 days.
    await h.deps.db
      .insertInto('dormancy_notices')
      .values({
        id: '00000000-0000-4000-8000-00000000b019',
        user_id: personId,
        kind: 'erasure',
        notified_at: at,
        erasure_at: at + 30 * 86_400_000,
        request_id: null,
      })
      .execute();
    // Issue 16: a disclosure to an authority about the person, no longer confidential.
    await h.deps.db
      .insertInto('authority_disclosures')
      .values({
        id: '00000000-0000-4000-8000-00000000b020',
        subject: personId,
        authority: 'Polizeipräsidium Grete-Stadt',
        legal_basis: '§ 161 StPO',
        reference: 'AZ 1 Js 16/26',
        categories: '["identity","contact"]',
        disclosed_at: at,
        confidential_until: null,
        recorded_at: at,
        recorded_by: null,
        restricted_at: null,
      })
      .execute();
    // Issue 13: a newsletter sign-up (through the API, with its proof), a survey consent with an answer, a
    // competition entry, a campaign the person wrote as staff and a campaign mail to the person.
    assert.equal((await b.api('POST', '/api/v1/newsletter/subscriptions', { email: person.email })).statusCode, 202);
    await h.deps.db
      .insertInto('surveys')
      .values({
        id: 'survey-1',
        title_en: 'How is it going?',
        title_de: 'Wie läuft es?',
        intro_en: '',
        intro_de: '',
        questions: '[]',
        product_ids: '[]',
        retention_days: 365,
        status: 'open',
        created_at: at,
        opened_at: at,
        closed_at: null,
      })
      .execute();
    await h.deps.db
      .insertInto('survey_consents')
      .values({
        user_id: personId,
        given_at: at,
        source: 'account',
        consent_text: 'Invite me to surveys',
        consent_version: 'v1',
        lang: 'en',
      })
      .execute();
    await h.deps.db
      .insertInto('survey_invitations')
      .values({
        id: 'invitation-1',
        survey_id: 'survey-1',
        user_id: personId,
        lang: 'en',
        invited_at: at,
        responded_at: at,
      })
      .execute();
    await h.deps.db
      .insertInto('survey_responses')
      .values({
        id: 'response-1',
        survey_id: 'survey-1',
        user_id: personId,
        answers: '{"q1":"Grete likes the keys"}',
        submitted_at: at,
        delete_after: at + 365 * 86_400_000,
      })
      .execute();
    await h.deps.db
      .insertInto('competitions')
      .values({
        id: 'competition-1',
        slug: 'win-a-keystep',
        title_en: 'Win',
        title_de: 'Gewinnen',
        text_en: '',
        text_de: '',
        prize_en: 'A Keystep',
        prize_de: 'Ein Keystep',
        starts_at: at,
        ends_at: at + 86_400_000,
        winners: 1,
        countries: '["DE"]',
        prize_days: 60,
        created_at: at,
        updated_at: at,
        drawn_at: null,
      })
      .execute();
    await h.deps.db
      .insertInto('competition_entries')
      .values({
        id: 'entry-1',
        competition_id: 'competition-1',
        email: person.email,
        given_name: 'Grete',
        surname: 'Subject',
        country: 'DE',
        lang: 'en',
        status: 'confirmed',
        link_ref: 'entry-ref-1',
        terms_version: 'v1',
        created_at: at,
        confirmed_at: at,
        won_position: null,
        handed_over_at: null,
        delete_after: at + 86_400_000,
      })
      .execute();
    await h.deps.db
      .insertInto('campaigns')
      .values({
        id: 'campaign-1',
        subject_en: 'News',
        subject_de: 'Neues',
        body_en: 'Hello',
        body_de: 'Hallo',
        topic: null,
        lang: null,
        status: 'sent',
        scheduled_at: at,
        created_by: personId,
        created_at: at,
        updated_at: at,
        started_at: at,
        built_at: at,
        finished_at: at,
        audience_after: null,
        built_count: 1,
        paused_from: null,
      })
      .execute();
    await h.deps.db
      .insertInto('campaign_recipients')
      .values({
        campaign_id: 'campaign-1',
        subscription_id: 'subscription-of-grete',
        email: person.email,
        lang: 'en',
        user_id: personId,
        outbox_id: '00000000-0000-4000-8000-00000000c001',
        status: 'sent',
        created_at: at,
        done_at: at,
      })
      .execute();
    assert.equal(
      (
        await b.post('/consent', [['action', 'accept']], {
          origin: 'http://127.0.0.1:3000',
          'sec-fetch-site': 'same-origin',
        })
      ).statusCode,
      303,
    );
    const product = (await b.api('GET', '/api/v1/products/keystep-49')).json();
    assert.equal((await b.api('POST', '/api/v1/basket/items', { productId: product.id, quantity: 2 })).statusCode, 201);
    const software = (await b.api('GET', '/api/v1/products/aurora-synth')).json();
    assert.equal(
      (await b.api('POST', '/api/v1/basket/items', { productId: software.id, quantity: 1 })).statusCode,
      201,
    );
    for (const name of ['__Host-candor_session', '__Host-candor_csrf']) secrets.push(b.cookie(name)!);
    const other = new Browser(h.app, '192.0.2.99');
    await other.api('POST', '/api/v1/accounts', bystander);
    await other.api('POST', '/api/v1/sessions', { email: bystander.email, password: bystander.password });
    await deliverDueMail({
      db: h.deps.db,
      clock: h.clock,
      mailer: h.deps.mailer,
      log: h.deps.log,
      from: 'shop@test',
      secret: h.deps.config.secret,
    });
    for (const mail of h.mailer.to(person.email)) {
      for (const path of ['/account/verify', '/account/password-reset/confirm']) {
        try {
          secrets.push(new URLSearchParams(linkIn(mail.text, path).split('?')[1]).get('token')!);
        } catch {
          // not this kind of mail
        }
      }
    }
    // Confirm the address, then buy on invoice: a credit check and an order that the law makes us keep.
    await b.get(
      linkIn(h.mailer.to(person.email).find((m) => m.text.includes('/account/verify'))!.text, '/account/verify'),
    );
    // First a declined invoice order (an unknown postal code) and a request that a person review that decision.
    const declined = await b.api(
      'POST',
      '/api/v1/orders',
      {
        billingAddress: {
          name: person.name,
          street: 'Erasestraße 5',
          postalCode: '99999',
          city: 'Berlin',
          country: 'DE',
        },
        payment: { method: 'invoice' },
      },
      { 'idempotency-key': 'subject-order-declined' },
    );
    assert.equal(declined.statusCode, 422, declined.body);
    const declinedCheck = await h.deps.db
      .selectFrom('credit_checks')
      .select('id')
      .where('decision', '=', 'declined')
      .executeTakeFirstOrThrow();
    const review = { checkId: declinedCheck.id, statement: 'Please review this decision.' };
    assert.equal((await b.submit('/account/decision-review', '/account/decision-review', review)).statusCode, 303);
    const order = await b.api(
      'POST',
      '/api/v1/orders',
      {
        billingAddress: {
          name: person.name,
          street: 'Erasestraße 5',
          postalCode: '10115',
          city: 'Berlin',
          country: 'DE',
        },
        payment: { method: 'invoice' },
        // The client showed the § 7(3) UWG notice and its box, left unticked: she gets product suggestions.
        choices: { noProductSuggestions: false },
      },
      { 'idempotency-key': 'subject-order-1' },
    );
    assert.equal(order.statusCode, 201, order.body);
    const licence = (await b.api('GET', '/api/v1/me/licences')).json().items[0];
    secrets.push(licence.key);
    assert.equal(
      (await b.api('POST', `/api/v1/licences/${licence.key}/activations`, { fingerprint: 'a'.repeat(64) })).statusCode,
      201,
    );
    assert.equal((await b.get('/shop/aurora-synth/demo')).statusCode, 200);
    assert.equal((await b.submit('/account/advertising', '/account/advertising', { object: 'yes' })).statusCode, 303);
    assert.equal(
      (await b.api('POST', '/api/v1/registrations', { productId: product.id, serial: 'TF-2026-SUBJ01' })).statusCode,
      201,
    );
    secrets.push('TF-2026-SUBJ01');
    // Issue 14: support. A repair of that unit through the account (a ticket kept as a business letter, its repair
    // row with the return address, hand-offs to the workshop and the delivery company); a helpdesk ticket with an
    // attachment (row and file); a guest ticket under her address from the contact form; her saved system profile.
    const unit = await h.deps.db
      .selectFrom('hardware_registrations')
      .select('id')
      .where('serial', '=', 'TF-2026-SUBJ01')
      .executeTakeFirstOrThrow();
    const repair = await b.submit('/account/support/repairs/new', '/account/support/repairs', {
      registrationId: unit.id,
      fault: 'The pads stick.',
      name: person.name,
      line1: 'Reparaturweg 9',
      line2: '',
      postalCode: '10115',
      city: 'Berlin',
      country: 'Deutschland',
    });
    assert.equal(repair.statusCode, 303, repair.body);
    // The workshop sent it back and staff closed the repair: its address goes after its period (30 days).
    const repairPath = String(repair.headers.location).replace('/account/', '/staff/').split('?')[0]!;
    const workshop = await staffMember(h, { ip: '192.0.2.97' });
    const closedRepair = await workshop.b.submit(repairPath, `${repairPath}/state`, { state: 'closed' });
    assert.equal(closedRepair.statusCode, 303, closedRepair.body);
    const supportAt = h.clock.now();
    const ticketBase = {
      requester_name: null,
      state: 'open' as const,
      product_id: null,
      order_id: null,
      assignee_id: null,
      lang: 'en',
      profile_snapshot: null,
      merged_into: null,
      created_at: supportAt,
      updated_at: supportAt,
      solved_at: null,
      closed_at: null,
      kept_reason: null,
      kept_note: null,
      delete_after: null,
      restricted_at: null,
    };
    await h.deps.db
      .insertInto('support_tickets')
      .values([
        {
          ...ticketBase,
          id: 'subject-ticket-1',
          ref: 'SUBJTK01',
          requester: personId,
          subject: 'Crash SUBJ-TICKET-81',
          category: 'technical',
          source: 'account',
          profile_snapshot: '{"os":"SUBJ-SNAP-12"}',
        },
        {
          ...ticketBase,
          id: 'subject-ticket-2',
          ref: 'SUBJTK02',
          requester: person.email,
          requester_name: person.name,
          subject: 'A question',
          category: 'question',
          source: 'contact-form',
        },
      ])
      .execute();
    const messageBase = {
      author: 'customer' as const,
      staff_id: null,
      via: 'web',
      mail_message_id: null,
      kept_reason: null,
    };
    await h.deps.db
      .insertInto('support_messages')
      .values([
        {
          ...messageBase,
          id: 'subject-message-1',
          ticket_id: 'subject-ticket-1',
          requester: personId,
          body: 'It crashes, see SUBJ-MSG-27',
          created_at: supportAt,
          restricted_at: null,
        },
        {
          ...messageBase,
          id: 'subject-message-2',
          ticket_id: 'subject-ticket-2',
          requester: person.email,
          body: 'Guest question SUBJ-GUEST-31',
          via: 'web',
          created_at: supportAt,
          restricted_at: null,
        },
      ])
      .execute();
    const attachmentId = '00000000-0000-4000-8000-0000000a7701';
    await h.deps.db
      .insertInto('support_attachments')
      .values({
        id: attachmentId,
        ticket_id: 'subject-ticket-1',
        message_id: 'subject-message-1',
        requester: personId,
        file_name: 'crash.log',
        content_type: 'text/plain',
        size: 24,
        created_at: supportAt,
        kept_reason: null,
        restricted_at: null,
      })
      .execute();
    mkdirSync(join(h.dataDir, 'support-attachments'), { recursive: true });
    writeFileSync(join(h.dataDir, 'support-attachments', attachmentId), 'Crash log of SUBJ-ATT-42');
    await h.deps.db
      .insertInto('support_profiles')
      .values({ user_id: personId, profile: '{"os":"SUBJ-PROF-19"}', updated_at: supportAt })
      .execute();
    secrets.push('SUBJ-TICKET-81', 'SUBJ-SNAP-12', 'SUBJ-MSG-27', 'SUBJ-GUEST-31', 'SUBJ-ATT-42', 'SUBJ-PROF-19');
    // An address saved in the address book (orders.address-book): it goes with the person.
    const saved = await b.submit('/account/addresses/new', '/account/addresses', {
      'address.name': person.name,
      'address.street': 'Adressbuchweg 7',
      'address.postalCode': '10115',
      'address.city': 'Berlin',
      'address.country': 'DE',
    });
    assert.equal(saved.statusCode, 303, saved.body);
    secrets.push('Adressbuchweg 7');
    // A shipped unit's serial number recorded on the order, and a registration disputed with the bystander's.
    const grete = await h.deps.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', person.email)
      .executeTakeFirstOrThrow();
    await h.deps.db
      .insertInto('order_serials')
      .values({
        id: 'subject-unit-1',
        order_id: order.json().id,
        user_id: grete.id,
        line_no: 0,
        product_id: product.id,
        serial: 'TF-2026-SUBJ02',
        recorded_at: h.clock.now(),
      })
      .execute();
    secrets.push('TF-2026-SUBJ02');
    // A payment reminder of the invoice order, as orders.send-payment-reminders records it.
    await h.deps.db
      .insertInto('payment_reminders')
      .values({
        id: 'subject-reminder-1',
        order_id: order.json().id,
        user_id: grete.id,
        level: 1,
        sent_at: h.clock.now(),
        restricted_at: null,
      })
      .execute();
    // A cancellation invoice of the order (decision 0048), as a settled refund issues it.
    await h.deps.db
      .insertInto('invoice_corrections')
      .values({
        id: 'subject-correction-1',
        number: 'RE-2026-999999',
        invoice_id: 'subject-invoice',
        order_id: order.json().id,
        user_id: grete.id,
        refund_id: null,
        cancel_of: 'subject-invoice',
        lines: JSON.stringify([
          { title: 'Subject product', kind: 'software', quantity: 1, unitCents: 100, lineCents: 100, vatRate: 19 },
        ]),
        total_cents: 100,
        vat_cents: 16,
        issued_at: h.clock.now(),
        restricted_at: null,
      })
      .execute();
    // A withdrawal from the order, as the account's withdrawal function records it (its statement is the person's).
    await h.deps.db
      .insertInto('order_withdrawals')
      .values({
        id: 'subject-withdrawal-1',
        order_id: order.json().id,
        user_id: grete.id,
        lines: JSON.stringify([{ lineNo: 0, productId: product.id, title: 'Subject product', quantity: 1 }]),
        statement: 'Withdrawn by Grete, reason SUBJ-WD-77',
        created_at: h.clock.now(),
        restricted_at: null,
      })
      .execute();
    secrets.push('SUBJ-WD-77');
    // Staff's internal note on the order and a refund of it (the staff order page, orders.010).
    await h.deps.db
      .insertInto('order_notes')
      .values({
        id: 'subject-note-1',
        order_id: order.json().id,
        user_id: grete.id,
        author_id: grete.id,
        body: 'Grete called about SUBJ-NOTE-55',
        order_created_at: h.clock.now(),
        created_at: h.clock.now(),
        restricted_at: null,
      })
      .execute();
    secrets.push('SUBJ-NOTE-55');
    await h.deps.db
      .insertInto('order_refunds')
      .values({
        id: 'subject-refund-1',
        order_id: order.json().id,
        user_id: grete.id,
        author_id: grete.id,
        state: 'refunded',
        amount_cents: 100,
        lines: '[]',
        shipping_cents: 100,
        created_at: h.clock.now(),
        settled_at: h.clock.now(),
        restricted_at: null,
      })
      .execute();
    // A download of a purchased file, as its signed link records it.
    await h.deps.db
      .insertInto('file_downloads')
      .values({ id: 'subject-download-1', user_id: grete.id, file_id: 'subject-file-1', downloaded_at: h.clock.now() })
      .execute();
    assert.equal(
      (await other.api('POST', '/api/v1/registrations', { productId: product.id, serial: 'TF-2026-SUBJ03' }))
        .statusCode,
      201,
    );
    assert.equal(
      (await b.api('POST', '/api/v1/registrations', { productId: product.id, serial: 'TF-2026-SUBJ03' })).statusCode,
      202,
    );
    // A staff member opens the person's order: the access audit records who looked at it.
    const staff = await staffMember(h);
    assert.equal((await staff.b.get(`/staff/orders/${order.json().id}`)).statusCode, 200);
    // The basket was emptied by the order; fill it again so that a live basket row exists too.
    assert.equal((await b.api('POST', '/api/v1/basket/items', { productId: product.id, quantity: 1 })).statusCode, 201);
    await h.deps.usageLog.flush();
    // The worker's jobs: the order's mails become files of the mail sink, the parcel a hand-off file.
    for (const job of features
      .flatMap((f) => f.jobs ?? [])
      .filter((j) => ['mail.deliver-outbox', 'disclosures.deliver-handoffs'].includes(j.name)))
      await job.run(h.deps);
    // The file sink keeps mail on our own disk, so it records no disclosure; one mail through a relay does.
    await gateMailer(h.deps, new RecordingMailer(), {
      activity: 'mail.service-messages',
      recipient: 'mail-provider',
    }).send({ id: 'subject-relay-1', from: 'shop@test', to: person.email, subject: 'Relayed', text: 'Hello Grete' });
  });

  test('every file written under the data directory in a purchase with mail and a hand-off belongs to a registered file set', async () => {
    const files = listFilesUnder(h.dataDir);
    assert.ok(
      files.some((f) => f.startsWith('mail/')) && files.some((f) => f.startsWith('handoffs/')),
      files.join(', '),
    );
    assert.deepEqual(findUnregisteredFiles(h.deps.dataMap, h.dataDir), []);
    // The check itself: a file in a directory the data map does not know is reported.
    mkdirSync(join(h.dataDir, 'exports'));
    writeFileSync(join(h.dataDir, 'exports', 'grete.json'), '{}');
    assert.deepEqual(findUnregisteredFiles(h.deps.dataMap, h.dataDir), ['exports/grete.json']);
    rmSync(join(h.dataDir, 'exports'), { recursive: true });
  });
  after(() => h.close());

  test('the export holds every row linked to the person, in every linked table, with purpose and legal basis', async () => {
    const exported = await exportSubjectData(h.deps, 'Grete@Example.org');
    const linkedTables = h.deps.dataMap.tables.filter((t) => t.subject).map((t) => t.table);
    assert.deepEqual([...new Set(exported.records.map((r) => r.table))].sort(), [...linkedTables].sort());
    for (const record of exported.records) {
      assert.ok(record.rows.length > 0, record.table);
      assert.ok(record.purpose.en.length > 0 && record.purpose.de.length > 0);
      assert.match(record.legalBasisArticle, /^Art\. 6\(1\)\([a-f]\) GDPR$/);
    }
    const byTable = Object.fromEntries(
      exported.records.filter((r) => r.activity !== 'advertising.similar-products').map((r) => [r.table, r.rows]),
    );
    assert.equal(byTable.users?.[0]?.name, person.name);
    assert.equal(byTable.users?.[0]?.password_hash, '[withheld: security credential]');
    assert.equal(byTable.account_tokens?.length, 2);
    assert.ok(byTable.sessions?.length && byTable.sessions.every((r) => r.ip === person.ip));
    assert.ok(byTable.outbox?.every((r) => r.recipient === person.email));
    // Issue 13, Done-when 7: subscriptions and consents with their proof, survey answers, competition entries.
    // The purchase enrolled her for product suggestions on § 7(3) UWG: that row is named with its own activity.
    const subscriptions = exported.records.filter((r) => r.table === 'newsletter_subscriptions');
    assert.deepEqual(subscriptions.map((r) => [r.activity, r.legalBasis, r.rows.map((row) => row.origin)]).sort(), [
      ['advertising.similar-products', 'legitimate-interests', ['purchase']],
      ['newsletter.subscriptions', 'consent', ['double-opt-in']],
    ]);
    const subscription = subscriptions.find((r) => r.activity === 'newsletter.subscriptions')?.rows[0];
    assert.equal(subscription?.email, person.email);
    assert.equal(subscription?.origin, 'double-opt-in');
    assert.ok(subscription?.requested_at && subscription.consent_text && subscription.consent_version);
    assert.equal(subscription?.ip_prefix, '198.51.100.0');
    assert.equal(byTable.survey_consents?.[0]?.consent_text, 'Invite me to surveys');
    assert.match(String(byTable.survey_responses?.[0]?.answers), /Grete likes the keys/);
    assert.equal(byTable.competition_entries?.[0]?.surname, 'Subject');
    assert.equal(byTable.campaign_recipients?.[0]?.email, person.email);
    // Issue 14: tickets (the guest's under the contact activity), messages, attachments as files, profile, repair.
    const tickets = exported.records.filter((r) => r.table === 'support_tickets');
    assert.deepEqual(tickets.map((r) => [r.activity, r.rows.length]).sort(), [
      ['support.contact', 1],
      ['support.helpdesk', 2],
    ]);
    assert.equal(byTable.support_messages?.length, 3);
    assert.equal(byTable.support_profiles?.[0]?.profile, '{"os":"SUBJ-PROF-19"}');
    assert.equal(byTable.support_repairs?.[0]?.address_line1, 'Reparaturweg 9');
    const repairRecord = exported.records.find((r) => r.table === 'support_repairs');
    assert.deepEqual(repairRecord?.recipients.map((r) => r.id).sort(), ['delivery-company', 'repair-workshop']);
    const attachment = exported.files.find((f) => f.set === 'support.attachment-files');
    assert.deepEqual(attachment && { ...attachment, content: Buffer.from(attachment.content, 'base64').toString() }, {
      set: 'support.attachment-files',
      key: '00000000-0000-4000-8000-0000000a7701',
      name: 'crash.log',
      contentType: 'text/plain',
      content: 'Crash log of SUBJ-ATT-42',
    });
    // The hand-off files of her parcel and her repair are hers too.
    assert.ok(exported.files.filter((f) => f.set === 'disclosures.handoff-files').length >= 3);
    // Nothing of the bystander leaks into the person's export.
    const text = JSON.stringify(exported);
    assert.ok(!text.includes(bystander.email) && !text.includes(bystander.name) && !text.includes('192.0.2.99'));
  });

  test('erasure removes every identifying value of the person and ends their sessions, and keeps the bystander', async () => {
    const before = await databaseText(h);
    assert.ok(before.includes(person.email) && before.includes(person.ip));
    const { id: gretesId } = await h.deps.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', person.email)
      .executeTakeFirstOrThrow();
    const outcomes = await eraseSubjectData(h.deps, person.email);
    assert.ok(outcomes.find((o) => o.table === 'sessions')!.rows >= 1);
    const kept = h.deps.dataMap.tables.filter((t) => t.erasure?.action === 'keep').map((t) => t.table);
    assert.deepEqual(kept.sort(), [
      // A disclosure to an authority documents a legal duty.
      'authority_disclosures',
      'business_letters',
      'invoice_corrections',
      'invoices',
      'order_refunds',
      'order_withdrawals',
      'orders',
      'payment_reminders',
      // The record of the person's requests proves that and how they were answered (Art. 5(2), 12 GDPR).
      'privacy_request_events',
      'privacy_requests',
      // Who gave whom access to personal data stays provable (Art. 32 GDPR), restricted, for its three years.
      'staff_changes',
    ]);
    // The full IPs of requests are linked to no one (others may share the address): they stay their 7 days.
    const requestIps = (await listTables(h.deps.db, h.deps.dbKind)).filter((t) => t.startsWith('usage_ip_d'));
    // Rows an erasure keeps when they are marked (a repair ticket is a business letter, § 257 HGB): every row left in
    // those tables is marked and restricted; the person's other rows there are gone (their values are checked below).
    const keptIfMarked = h.deps.dataMap.tables.filter((t) => t.erasure?.action === 'delete-unless-kept');
    for (const t of keptIfMarked) {
      const erasure = t.erasure as { keptColumn: string; restrictColumn: string };
      for (const r of await selectAllRows(h.deps.db, t.table)) {
        if (!Object.values(r).some((v) => v === gretesId || v === person.email)) continue;
        assert.notEqual(r[erasure.keptColumn], null, `${t.table}: only marked rows of hers are left`);
        assert.equal(r[erasure.restrictColumn], h.clock.now(), `${t.table}: kept, restricted`);
        assert.ok(!JSON.stringify(r).includes('SUBJ-'), `${t.table}: none of her other support data`);
      }
    }
    const after = await databaseText(h, [...kept, ...keptIfMarked.map((t) => t.table), ...requestIps]);
    // Every file under the data directory too (the database file's cells are the rows above).
    const files = filesText(h);
    for (const value of [person.name, person.email, person.ip, 'Subject GmbH', '5550101', 'Erasestraße', ...secrets]) {
      assert.ok(!after.includes(value), `"${value}" must be gone from the database`);
      assert.ok(!files.includes(value), `"${value}" must be gone from the files`);
    }
    assert.ok(files.includes(bystander.email), "the bystander's mail files stay");
    // The order is kept for the statutory period, but restricted: no longer shown or used.
    const orders = await h.deps.db.selectFrom('orders').selectAll().where('billing', 'like', '%Erasestraße%').execute();
    assert.equal(orders.length, 1);
    assert.equal(orders[0]!.restricted_at, h.clock.now());
    const session = await h.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `__Host-candor_session=${secrets[0]}` },
    });
    assert.equal(session.statusCode, 401);
    assert.ok(after.includes(bystander.email) && after.includes('192.0.2.99'));
    const again = await exportSubjectData(h.deps, person.email);
    assert.deepEqual(again.records, []);
    // The erased address is on the suppression list as a keyed hash only (issue 13): no marketing mail again.
    const suppressed = await h.deps.db.selectFrom('mail_suppressions').selectAll().execute();
    assert.ok(
      suppressed.some((r) => r.hash === hmacOfAddress(h.deps.config.suppressionKey, person.email) && r.list === '*'),
      'the erased address is suppressed',
    );
    assert.ok(!JSON.stringify(suppressed).includes('grete'), 'no readable address on the suppression list');
  });

  test('kept order rows go when the statutory period ends (8 years after the end of the calendar year)', async () => {
    const { runRetention } = await import('./retention.ts');
    // The rows kept after an erasure (the test above erased her already; erasing again changes nothing).
    await eraseSubjectData(h.deps, person.email);
    h.clock.set(Date.parse('2034-12-31T23:00:00Z'));
    await runRetention(h.deps);
    assert.match(await databaseText(h), /Erasestraße/, 'still kept in the 8th year after 2026');
    h.clock.set(Date.parse('2035-01-01T00:00:00Z'));
    await runRetention(h.deps);
    const text = await databaseText(h);
    for (const value of [person.name, person.email, person.ip, 'Erasestraße'])
      assert.ok(!text.includes(value), `"${value}" must be gone`);
  });
});

test('the CLI exports, erases and runs retention as of --now, with the server configuration', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-cli-'));
  const saved = {
    DATA_DIR: process.env.DATA_DIR,
    DATABASE_URL: process.env.DATABASE_URL,
    LOG_LEVEL: process.env.LOG_LEVEL,
  };
  process.env.DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  process.env.LOG_LEVEL = 'silent';
  const { runCli } = await import('../testing/app.ts');
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  const capture = async (args: string[]) => {
    out = '';
    process.stdout.write = ((chunk: string) => {
      out += chunk;
      return true;
    }) as typeof process.stdout.write;
    try {
      return await runCli(args);
    } finally {
      process.stdout.write = write;
    }
  };
  try {
    assert.equal(await capture(['migrate']), 0);
    assert.equal(
      await capture(['user', 'create', '--email', 'Staff@Example.org', '--role', 'staff', '--name', 'Stef Staff']),
      0,
    );
    assert.match(out, /\/account\/password-reset\/confirm\?token=/);
    const file = join(dataDir, 'export.json');
    assert.equal(await capture(['subject', 'export', '--email', 'staff@example.org', '--out', file]), 0);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(exported.records.find((r: { table: string }) => r.table === 'users').rows[0].role, 'staff');
    assert.equal(await capture(['retention', 'run', '--now', '2030-01-01T00:00:00Z']), 0);
    assert.match(out, /accounts\.delete-expired-tokens: 1 rows/);
    assert.equal(await capture(['subject', 'erase', '--email', 'staff@example.org']), 0);
    assert.match(out, /users: delete, 1 rows/);
    await assert.rejects(capture(['retention', 'run', '--now', 'yesterday']), /ISO-8601/);
    await assert.rejects(
      capture(['user', 'create', '--email', 'x@example.org', '--role', 'king']),
      /--role must be one of/,
    );
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});

describeEachDatabase('subject requests and shared IP addresses', (db) => {
  let h: Harness;
  const shared = '198.51.100.200';
  const anna = { name: 'Anna Sameroute', email: 'anna.same@example.org', password: 'copper kettle sunrise' };
  const ben = { name: 'Ben Sameroute', email: 'ben.same@example.org', password: 'marble owl twilight' };
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  test("a person's export holds nothing of the requests of another person behind the same IP address", async () => {
    const a = new Browser(h.app, shared);
    await a.api('POST', '/api/v1/accounts', anna);
    assert.equal(
      (await a.api('POST', '/api/v1/sessions', { email: anna.email, password: anna.password })).statusCode,
      201,
    );
    await a.get('/account');
    await h.deps.usageLog.flush();
    const logTables = async () => (await listTables(h.deps.db, h.deps.dbKind)).filter((t) => t.startsWith('usage_'));
    const idsNow = async () => {
      const ids = new Set<string>();
      for (const t of await logTables())
        for (const r of await selectAllRows(h.deps.db, t)) ids.add(String(r.id ?? r.log_id));
      return ids;
    };
    const annas = await idsNow();
    // Ben, on the same home network, browses on his own account.
    const b = new Browser(h.app, shared);
    await b.api('POST', '/api/v1/accounts', ben);
    assert.equal(
      (await b.api('POST', '/api/v1/sessions', { email: ben.email, password: ben.password })).statusCode,
      201,
    );
    for (const path of ['/account', '/shop', '/privacy']) await b.get(path);
    await h.deps.usageLog.flush();
    const bens = [...(await idsNow())].filter((id) => !annas.has(id));
    assert.ok(bens.length >= 4);

    const exported = await exportSubjectData(h.deps, anna.email);
    const text = JSON.stringify(exported);
    for (const id of bens) assert.ok(!text.includes(id), `Ben's request ${id} must not be in Anna's export`);
    assert.ok(!exported.records.some((r) => r.table.startsWith('usage_')), 'no request record is linked to a person');
    // Her own sessions, with the IP address each recorded, are hers and are listed.
    const sessions = exported.records.find((r) => r.table === 'sessions');
    assert.ok(sessions && sessions.rows.length === 1 && sessions.rows[0]!.ip === shared);
    // The export says that request records exist but are linked to no one.
    const unlinked = exported.unlinked.find((u) => u.table === 'usage_log');
    assert.ok(unlinked && unlinked.reason.en.length > 0 && unlinked.reason.de.length > 0);
    assert.ok(exported.unlinked.some((u) => u.table === 'usage_ip'));
  });

  test('erasing a person leaves the requests of another person behind the same IP address alone', async () => {
    // Two people of its own behind one address, so that it runs alone too.
    const [carla, dirk] = [
      { name: 'Carla Sameroute', email: 'carla.same@example.org', password: 'copper kettle sunrise' },
      { name: 'Dirk Sameroute', email: 'dirk.same@example.org', password: 'marble owl twilight' },
    ];
    for (const p of [carla, dirk]) {
      const b = new Browser(h.app, shared);
      await b.api('POST', '/api/v1/accounts', p);
      assert.equal((await b.api('POST', '/api/v1/sessions', { email: p.email, password: p.password })).statusCode, 201);
      for (const path of ['/account', '/shop', '/privacy']) await b.get(path);
    }
    await h.deps.usageLog.flush();
    const ipRowCount = async () => {
      let rows = 0;
      for (const t of (await listTables(h.deps.db, h.deps.dbKind)).filter((t) => t.startsWith('usage_ip_')))
        rows += (await selectAllRows(h.deps.db, t)).length;
      return rows;
    };
    const ipRows = await ipRowCount();
    assert.ok(ipRows >= 8, 'both people left requests');
    const before = await h.deps.db.selectFrom('sessions').select('id').execute();
    await eraseSubjectData(h.deps, carla.email);
    assert.equal(await ipRowCount(), ipRows, 'no usage row is erased by IP address');
    assert.equal((await h.deps.db.selectFrom('sessions').select('id').execute()).length, before.length - 1);
  });
});

/** What the suppression list keeps of an address: HMAC-SHA256 under its own key of the address in lower case. */
function hmacOfAddress(key: string, email: string): string {
  return createHmac('sha256', key).update(email.toLowerCase()).digest('base64url');
}
