// Retention and erasure of support (issue 14, point 6), run by the data map's engine: closed tickets and their
// attachment files go after SUPPORT_TICKET_DAYS, business letters after the letter period from the end of the year
// of closing, a legal-claim hold until its date; a repair's address is cleared while its ticket stays; solved
// tickets close themselves after 7 days without an answer. Erasure deletes a person's tickets, messages, profile and
// files (account and guest alike) but keeps, restricted, what is held for a legal claim or kept as a business letter.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { DAY, MINUTE } from '../../platform/clock.ts';
import { runRetention } from '../../privacy/retention.ts';
import { eraseSubjectData } from '../../privacy/subject.ts';
import { productId, signedIn, uniqueEmail } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { attachmentPath } from './support.files.ts';
import { closeSolvedJob } from './support.jobs.ts';
import { saveProfile } from './support.queries.ts';
import { requestRepair, setRepairState } from './support.repairs.ts';
import { addCustomerMessage, holdForLegalClaim, openTicket, requesterOf, setTicketState } from './support.service.ts';
import type { TicketCategory, TicketSource } from './support.tables.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x01, 0x02, 0x03]);

describeEachDatabase('support retention and erasure', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true });
  });
  after(() => h.close());

  const ticketDays = () => h.deps.config.retention.supportTicketDays ?? 730;
  const letterYears = () => h.deps.config.retention.letterYears ?? 6;

  async function ticket(requester: string, category: TicketCategory = 'question', source: TicketSource = 'account') {
    const opened = await openTicket(h.deps, {
      requester,
      subject: 'My synth',
      body: 'It hums.',
      lang: 'en',
      source,
      category,
      attachments: [{ fileName: 'shot.png', content: PNG }],
    });
    const file = await h.deps.db
      .selectFrom('support_attachments')
      .select('id')
      .where('ticket_id', '=', opened.id)
      .executeTakeFirstOrThrow();
    return { id: opened.id, file: attachmentPath(h.dataDir, file.id) };
  }
  const row = (id: string) =>
    h.deps.db.selectFrom('support_tickets').selectAll().where('id', '=', id).executeTakeFirst();
  const rowsOf = async (table: 'support_messages' | 'support_attachments' | 'support_repairs', ticketId: string) =>
    h.deps.db.selectFrom(table).selectAll().where('ticket_id', '=', ticketId).execute();
  const retention = () => runRetention(h.deps);

  test('a closed ticket and its attachment files go SUPPORT_TICKET_DAYS after closing, and not a day before', async () => {
    const t = await ticket(requesterOf({ email: uniqueEmail('plain') }), 'question', 'contact-form');
    assert.ok(existsSync(t.file));
    await setTicketState(h.deps, t.id, 'closed');
    const closedAt = (await row(t.id))!.closed_at!;
    assert.equal((await row(t.id))!.delete_after, closedAt + ticketDays() * DAY);
    h.clock.set(closedAt + ticketDays() * DAY - DAY);
    await retention();
    assert.ok(await row(t.id), 'kept a day before');
    assert.ok(existsSync(t.file));
    h.clock.set(closedAt + ticketDays() * DAY + MINUTE);
    await retention();
    assert.equal(await row(t.id), undefined);
    assert.deepEqual(await rowsOf('support_messages', t.id), []);
    assert.deepEqual(await rowsOf('support_attachments', t.id), []);
    assert.equal(existsSync(t.file), false, 'the attachment file goes with its ticket');
  });

  test('a business letter (a ticket about an order) outlives the ticket period and goes after the letter period from the end of the year of closing', async () => {
    const t = await ticket(requesterOf({ email: uniqueEmail('letter') }), 'order', 'contact-form');
    assert.equal((await row(t.id))!.kept_reason, 'business-letter');
    await setTicketState(h.deps, t.id, 'closed');
    const closedAt = (await row(t.id))!.closed_at!;
    const end = Date.UTC(new Date(closedAt).getUTCFullYear() + letterYears() + 1, 0, 1);
    assert.equal((await row(t.id))!.delete_after, end);
    h.clock.set(closedAt + ticketDays() * DAY + DAY);
    await retention();
    assert.ok(await row(t.id), 'kept after the ordinary period');
    h.clock.set(end - MINUTE);
    await retention();
    assert.ok(await row(t.id), 'kept until the letter period ends');
    assert.ok(existsSync(t.file));
    h.clock.set(end + MINUTE);
    await retention();
    assert.equal(await row(t.id), undefined);
    assert.equal(existsSync(t.file), false);
  });

  test('a legal-claim hold keeps a ticket past its period until the date recorded', async () => {
    const t = await ticket(requesterOf({ email: uniqueEmail('claim') }), 'question', 'contact-form');
    const until = h.clock.now() + (ticketDays() + 400) * DAY;
    await holdForLegalClaim(h.deps, t.id, { reason: 'Dispute over a refund', until });
    await setTicketState(h.deps, t.id, 'closed');
    const held = (await row(t.id))!;
    assert.equal(held.kept_reason, 'legal-claim');
    assert.equal(held.delete_after, until);
    assert.ok((await rowsOf('support_messages', t.id)).every((m) => m.kept_reason === 'legal-claim'));
    h.clock.set(held.closed_at! + ticketDays() * DAY + DAY);
    await retention();
    assert.ok(await row(t.id), 'kept past the ordinary period');
    h.clock.set(until - MINUTE);
    await retention();
    assert.ok(await row(t.id));
    assert.ok(existsSync(t.file));
    h.clock.set(until + MINUTE);
    await retention();
    assert.equal(await row(t.id), undefined);
    assert.equal(existsSync(t.file), false);
  });

  test('a repair’s address is cleared REPAIR_ADDRESS_DAYS after the repair is closed; the ticket and repair stay', async () => {
    const who = await signedIn(h);
    const serial = `TF-2026-RT01${db === 'sqlite' ? 'SQ' : 'PG'}`;
    const reg = await who.b.api('POST', '/api/v1/registrations', {
      productId: await productId(h, 'keystep-49'),
      serial,
    });
    assert.equal(reg.statusCode, 201, reg.body);
    const registration = await h.deps.db
      .selectFrom('hardware_registrations')
      .select('id')
      .where('serial', '=', serial)
      .executeTakeFirstOrThrow();
    const { repairId, ticketId } = await requestRepair(h.deps, who.id, 'en', {
      registrationId: registration.id,
      fault: 'No sound on output 2.',
      name: 'Rita Rückweg',
      line1: 'Rückweg 3',
      line2: 'Hinterhaus',
      postalCode: '10115',
      city: 'Berlin',
      country: 'Deutschland',
    });
    await setRepairState(h.deps, repairId, 'closed');
    const repair = async () =>
      h.deps.db.selectFrom('support_repairs').selectAll().where('id', '=', repairId).executeTakeFirstOrThrow();
    const closedAt = (await repair()).closed_at!;
    const days = h.deps.config.retention.repairAddressDays ?? 30;
    h.clock.set(closedAt + days * DAY - MINUTE);
    await retention();
    assert.equal((await repair()).address_line1, 'Rückweg 3');
    h.clock.set(closedAt + days * DAY + MINUTE);
    await retention();
    const cleared = await repair();
    for (const column of ['address_name', 'address_line1', 'address_line2', 'postal_code', 'city', 'country'] as const)
      assert.equal(cleared[column], null, column);
    assert.equal(cleared.serial, serial);
    assert.equal(cleared.fault, 'No sound on output 2.');
    assert.ok(await row(ticketId), 'the ticket stays');
  });

  test('a solved ticket closes itself after 7 days without an answer, and opens again when the customer answers before', async () => {
    const quiet = await ticket(requesterOf({ email: uniqueEmail('quiet') }));
    const answered = await ticket(requesterOf({ email: uniqueEmail('answered') }));
    await setTicketState(h.deps, quiet.id, 'solved');
    await setTicketState(h.deps, answered.id, 'solved');
    const solvedAt = (await row(quiet.id))!.solved_at!;
    h.clock.set(solvedAt + 3 * DAY);
    await addCustomerMessage(h.deps, answered.id, { body: 'Still hums a little.', via: 'web' });
    assert.equal((await row(answered.id))!.state, 'open');
    h.clock.set(solvedAt + 7 * DAY - MINUTE);
    await closeSolvedJob.run(h.deps);
    assert.equal((await row(quiet.id))!.state, 'solved');
    h.clock.set(solvedAt + 7 * DAY + MINUTE);
    await closeSolvedJob.run(h.deps);
    const closed = (await row(quiet.id))!;
    assert.equal(closed.state, 'closed');
    assert.equal(closed.closed_at, h.clock.now());
    assert.equal(closed.delete_after, h.clock.now() + ticketDays() * DAY);
    const reopened = (await row(answered.id))!;
    assert.equal(reopened.state, 'open');
    assert.equal(reopened.closed_at, null);
  });

  test('erasure deletes a customer’s and a guest’s tickets, messages, profile and files, but keeps held and business-letter tickets restricted until their date', async () => {
    const customer = await signedIn(h);
    const guest = uniqueEmail('guest');
    const bystander = await ticket(requesterOf({ email: uniqueEmail('bystander') }));
    const plain = await ticket(customer.id);
    const letter = await ticket(customer.id, 'warranty');
    const openLetter = await ticket(customer.id, 'order');
    const held = await ticket(customer.id);
    const until = h.clock.now() + 3 * 365 * DAY;
    await holdForLegalClaim(h.deps, held.id, { reason: 'Chargeback', until });
    const guestPlain = await ticket(requesterOf({ email: guest }), 'question', 'contact-form');
    const guestLetter = await ticket(requesterOf({ email: guest }), 'order', 'email');
    await saveProfile(h.deps.db, customer.id, JSON.stringify({ os: 'Linux' }), h.clock.now());
    for (const t of [letter, guestLetter]) await setTicketState(h.deps, t.id, 'closed');

    await eraseSubjectData(h.deps, customer.email);
    await eraseSubjectData(h.deps, guest.toUpperCase());

    for (const t of [plain, guestPlain]) {
      assert.equal(await row(t.id), undefined);
      assert.deepEqual(await rowsOf('support_messages', t.id), []);
      assert.deepEqual(await rowsOf('support_attachments', t.id), []);
      assert.equal(existsSync(t.file), false);
    }
    assert.equal(
      await h.deps.db
        .selectFrom('support_profiles')
        .select('user_id')
        .where('user_id', '=', customer.id)
        .executeTakeFirst(),
      undefined,
    );
    const now = h.clock.now();
    // A kept ticket still open at the erasure is closed by it, so its period runs (it would otherwise stay forever).
    const closedByErasure = (await row(openLetter.id))!;
    assert.equal(closedByErasure.state, 'closed');
    assert.equal(closedByErasure.closed_at, h.clock.now());
    assert.equal(
      closedByErasure.delete_after,
      Math.max(
        h.clock.now() + ticketDays() * DAY,
        Date.UTC(new Date(h.clock.now()).getUTCFullYear() + letterYears() + 1, 0, 1),
      ),
    );
    for (const t of [letter, openLetter, held, guestLetter]) {
      const kept = (await row(t.id))!;
      assert.ok(kept, 'kept');
      assert.equal(kept.restricted_at, now);
      for (const table of ['support_messages', 'support_attachments'] as const)
        assert.ok(
          (await rowsOf(table, t.id)).every((r) => r.restricted_at === now),
          table,
        );
      assert.ok(existsSync(t.file), 'its files stay with it');
    }
    assert.ok(await row(bystander.id));
    assert.equal((await row(bystander.id))!.restricted_at, null);

    // They go at their delete_after.
    const letterEnd = (await row(letter.id))!.delete_after!;
    assert.equal((await row(held.id))!.delete_after, until);
    h.clock.set(until + MINUTE);
    await retention();
    assert.equal(await row(held.id), undefined);
    assert.equal(existsSync(held.file), false);
    assert.ok(await row(letter.id));
    h.clock.set(
      Math.max(letterEnd, (await row(guestLetter.id))!.delete_after!, closedByErasure.delete_after!) + MINUTE,
    );
    await retention();
    for (const t of [letter, openLetter, guestLetter]) {
      assert.equal(await row(t.id), undefined);
      assert.equal(existsSync(t.file), false);
    }
  });
});
