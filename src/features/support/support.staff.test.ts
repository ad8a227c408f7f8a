// The staff support console: queue counts and filters, assignment, an answer mailed to the customer, notes kept from
// the customer, canned replies in the ticket's language, merge, legal-claim hold, the access audit, the customer
// beside the ticket (their orders and serials only, the profile as attached), and no way in for customers.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, it } from 'node:test';
import { eraseSubjectData } from '../../privacy/subject.ts';
import { asRole, productId, signedIn, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { attachmentPath } from './support.files.ts';
import { listMessages } from './support.queries.ts';
import { holdForLegalClaim, openTicket, requesterOf, setTicketState } from './support.service.ts';

const ENV = { RATE_LIMIT_AUTH_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' };
const PROFILE = {
  os: 'macOS',
  osVersion: '14.5',
  host: 'Ableton Live',
  hostVersion: '12.0',
  audioInterface: 'Focusrite 2i2',
  productVersions: 'Reverb Pro 2.3.1',
  serials: [],
};

describeEachDatabase('the staff support console', (db) => {
  let h: Harness;
  let staff: Account;
  let other: Account;
  let customer: Account;
  let second: Account;

  const open = (requester: string, subject: string, extra: Record<string, unknown> = {}) =>
    openTicket(h.deps, { requester, subject, body: `About ${subject}`, lang: 'en', source: 'account', ...extra });

  before(async () => {
    h = await openHarness(db, { seed: true, env: ENV });
    customer = await signedIn(h, { name: 'Cora Customer' });
    second = await signedIn(h, { name: 'Sid Second' });
    staff = await asRole(h, await signedIn(h, { name: 'Sam Staff' }), 'staff');
    other = await asRole(h, await signedIn(h, { name: 'Olga Other' }), 'staff');
  });
  after(() => h.close());

  it('shows the queue with counts per state, filters by state and by assignee', async () => {
    const a = await open(customer.id, 'Queue ticket one');
    const b = await open(requesterOf({ email: 'Guest@Example.org' }), 'Queue ticket two', {
      requesterName: 'Gus Guest',
    });
    await h.deps.db.updateTable('support_tickets').set({ state: 'open' }).where('id', '=', b.id).execute();
    const page = await staff.b.get('/staff/support');
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.headers['cache-control'] as string, /no-store/);
    const counts = await h.deps.db
      .selectFrom('support_tickets')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute();
    for (const c of counts)
      assert.match(
        page.body,
        new RegExp(`(New|Open|Waiting for customer|Solved|Closed) <span class="count">\\(${Number(c.n)}\\)`),
      );
    assert.match(page.body, /Gus Guest &lt;guest@example\.org&gt;/, 'a guest shows with the address');
    assert.match(page.body, /Cora Customer/);
    const onlyOpen = await staff.b.get('/staff/support?state=open');
    assert.ok(onlyOpen.body.includes(b.ref) && !onlyOpen.body.includes(`>${a.ref}<`));

    // Assignment: to me, to another staff member, to nobody; a customer cannot be assigned.
    const assign = (assignee: string) =>
      staff.b.submit(`/staff/support/${a.id}`, `/staff/support/${a.id}/assign`, { assignee });
    assert.equal((await assign('me')).statusCode, 303);
    const mine = await staff.b.get('/staff/support?assigned=me');
    assert.ok(mine.body.includes(a.ref) && !mine.body.includes(b.ref));
    const unassigned = await staff.b.get('/staff/support?assigned=none');
    assert.ok(unassigned.body.includes(b.ref) && !unassigned.body.includes(`>${a.ref}<`));
    assert.equal((await assign(other.id)).statusCode, 303);
    assert.ok((await other.b.get('/staff/support?assigned=me')).body.includes(a.ref));
    const refused = await assign(customer.id);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /only to active staff members/);
    assert.equal((await assign('')).statusCode, 303);
    const row = await h.deps.db
      .selectFrom('support_tickets')
      .select('assignee_id')
      .where('id', '=', a.id)
      .executeTakeFirst();
    assert.equal(row?.assignee_id, null);
    const bad = await staff.b.get('/staff/support?state=bogus');
    assert.equal(bad.statusCode, 400);
  });

  it('sends an answer to the customer by mail and keeps internal notes from them', async () => {
    const t = await open(customer.id, 'Answer me');
    const note = await staff.b.submit(`/staff/support/${t.id}`, `/staff/support/${t.id}/note`, {
      body: 'Secret staff note',
    });
    assert.equal(note.statusCode, 303);
    const answer = await staff.b.submit(`/staff/support/${t.id}`, `/staff/support/${t.id}/answer`, {
      body: 'Here is your answer',
      then: 'solved',
    });
    assert.equal(answer.statusCode, 303);
    const mail = await h.deps.db
      .selectFrom('outbox')
      .select(['recipient', 'body'])
      .where('template', '=', 'support-reply')
      .where('recipient', '=', customer.email)
      .execute();
    assert.equal(mail.length, 1);
    assert.match(mail[0]!.body, /Here is your answer/);
    assert.doesNotMatch(mail[0]!.body, /Secret staff note/);
    const ticket = await h.deps.db
      .selectFrom('support_tickets')
      .select('state')
      .where('id', '=', t.id)
      .executeTakeFirst();
    assert.equal(ticket?.state, 'solved');
    const seen = await listMessages(h.deps.db, t.id, false);
    assert.deepEqual(seen.map((m) => m.body).sort(), ['About Answer me', 'Here is your answer']);
    const own = await customer.b.get(`/account/support/${t.id}`);
    if (own.statusCode === 200) assert.doesNotMatch(own.body, /Secret staff note/);
    const staffView = await staff.b.get(`/staff/support/${t.id}`);
    assert.match(staffView.body, /support-message-note[^]*Secret staff note/);
    const empty = await staff.b.submit(`/staff/support/${t.id}`, `/staff/support/${t.id}/answer`, { body: '  ' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Write a message first/);
  });

  it('manages canned replies and inserts one in the ticket’s language', async () => {
    const created = await staff.b.submit('/staff/support/canned/new', '/staff/support/canned/new', {
      titleEn: 'Thanks',
      titleDe: 'Danke',
      bodyEn: 'Thank you for waiting.',
      bodyDe: 'Danke für Ihre Geduld.',
    });
    assert.equal(created.statusCode, 303, created.body);
    const missing = await staff.b.submit('/staff/support/canned/new', '/staff/support/canned/new', {
      titleEn: 'Only English',
      titleDe: '',
      bodyEn: 'x',
      bodyDe: '',
    });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /in both languages/);
    const row = await h.deps.db
      .selectFrom('support_canned_replies')
      .select('id')
      .where('title_en', '=', 'Thanks')
      .executeTakeFirstOrThrow();
    const edited = await staff.b.submit(`/staff/support/canned/${row.id}`, `/staff/support/canned/${row.id}`, {
      titleEn: 'Thanks',
      titleDe: 'Danke',
      bodyEn: 'Thank you for waiting, really.',
      bodyDe: 'Danke für Ihre Geduld, wirklich.',
    });
    assert.equal(edited.statusCode, 303);
    const en = await open(customer.id, 'English ticket');
    const de = await open(customer.id, 'Deutsches Ticket', { lang: 'de' });
    const insertEn = await staff.b.submit(`/staff/support/${en.id}`, `/staff/support/${en.id}/canned`, {
      canned: row.id,
    });
    assert.equal(insertEn.statusCode, 200);
    assert.match(insertEn.body, /<textarea id="f-body"[^>]*>Thank you for waiting, really\.<\/textarea>/);
    const insertDe = await staff.b.submit(`/staff/support/${de.id}`, `/staff/support/${de.id}/canned`, {
      canned: row.id,
    });
    assert.match(insertDe.body, /<textarea id="f-body"[^>]*>Danke für Ihre Geduld, wirklich\.<\/textarea>/);
    const list = await staff.b.get('/staff/support/canned');
    assert.match(list.body, /Thanks/);
    const deleted = await staff.b.submit('/staff/support/canned', `/staff/support/canned/${row.id}/delete`, {});
    assert.equal(deleted.statusCode, 303);
    assert.doesNotMatch((await staff.b.get('/staff/support/canned')).body, />Thanks</);
  });

  it('merges a duplicate into a ticket of the same requester, and refuses another requester’s', async () => {
    const target = await open(customer.id, 'Original');
    const dup = await open(customer.id, 'Duplicate');
    const foreign = await open(second.id, 'Someone else');
    const refused = await staff.b.submit(`/staff/support/${dup.id}`, `/staff/support/${dup.id}/merge`, {
      target: foreign.ref,
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /different people/);
    const unknown = await staff.b.submit(`/staff/support/${dup.id}`, `/staff/support/${dup.id}/merge`, {
      target: 'T-NOPE',
    });
    assert.equal(unknown.statusCode, 400);
    const merged = await staff.b.submit(`/staff/support/${dup.id}`, `/staff/support/${dup.id}/merge`, {
      target: target.ref.toLowerCase(),
    });
    assert.equal(merged.statusCode, 303);
    assert.equal(merged.headers.location, `/staff/support/${target.id}?notice=merged`);
    const moved = await listMessages(h.deps.db, target.id, true);
    assert.deepEqual(moved.map((m) => m.body).sort(), ['About Duplicate', 'About Original']);
    const d = await h.deps.db
      .selectFrom('support_tickets')
      .select(['merged_into', 'state'])
      .where('id', '=', dup.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(d, { merged_into: target.id, state: 'closed' });
  });

  it('holds a ticket for a legal claim (at most ten years ahead) and lifts the hold', async () => {
    const t = await open(customer.id, 'Dispute');
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const tooFar = await staff.b.submit(`/staff/support/${t.id}`, `/staff/support/${t.id}/hold`, {
      reason: 'Chargeback dispute',
      until: day(h.clock.now() + 11 * 365 * 86_400_000),
    });
    assert.equal(tooFar.statusCode, 400);
    assert.match(tooFar.body, /at most 10 years/);
    const held = await staff.b.submit(`/staff/support/${t.id}`, `/staff/support/${t.id}/hold`, {
      reason: 'Chargeback dispute',
      until: day(h.clock.now() + 365 * 86_400_000),
    });
    assert.equal(held.statusCode, 303);
    const row = await h.deps.db
      .selectFrom('support_tickets')
      .select(['kept_reason', 'kept_note', 'delete_after'])
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.kept_reason, 'legal-claim');
    assert.equal(row.kept_note, 'Chargeback dispute');
    assert.ok(row.delete_after! > h.clock.now());
    assert.match((await staff.b.get(`/staff/support/${t.id}`)).body, /Held for a legal claim until/);
    const lifted = await staff.b.submit(`/staff/support/${t.id}`, `/staff/support/${t.id}/hold`, { lift: '1' });
    assert.equal(lifted.statusCode, 303);
    const after = await h.deps.db
      .selectFrom('support_tickets')
      .select('kept_reason')
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();
    assert.equal(after.kept_reason, null);
  });

  it('shows a restricted ticket (kept after an erasure) with its banner and no forms; a POST to an action anyway is 409', async () => {
    const erased = await signedIn(h, { name: 'Erin Erased' });
    const letter = await open(erased.id, 'Wrong invoice', { category: 'order' });
    await setTicketState(h.deps, letter.id, 'closed');
    const target = await open(erased.id, 'Another one', { category: 'order' });
    await eraseSubjectData(h.deps, erased.email);
    const kept = await h.deps.db
      .selectFrom('support_tickets')
      .select(['restricted_at', 'kept_reason', 'state', 'assignee_id', 'category'])
      .where('id', '=', letter.id)
      .executeTakeFirstOrThrow();
    assert.ok(kept.restricted_at !== null && kept.kept_reason === 'business-letter', JSON.stringify(kept));

    const page = await staff.b.get(`/staff/support/${letter.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Restricted: its person asked for erasure\. Kept only as a business letter until/);
    for (const action of ['answer', 'note', 'canned', 'state', 'assign', 'category', 'merge'])
      assert.doesNotMatch(page.body, new RegExp(`action="/staff/support/${letter.id}/${action}"`), action);
    assert.match(page.body, new RegExp(`action="/staff/support/${letter.id}/hold"`), 'the legal hold may still change');

    const outbox = async () =>
      Number(
        (
          await h.deps.db
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const mails = await outbox();
    const messages = (await listMessages(h.deps.db, letter.id, true)).length;
    const post = (action: string, fields: Record<string, string>) =>
      staff.b.submit(`/staff/support/${target.id}`, `/staff/support/${letter.id}/${action}`, fields);
    const answer = await post('answer', { body: 'Here is the corrected invoice', then: 'solved' });
    assert.equal(answer.statusCode, 409);
    assert.match(answer.body, /kept only under restriction/);
    for (const [action, fields] of [
      ['note', { body: 'A note' }],
      ['state', { state: 'open' }],
      ['assign', { assignee: 'me' }],
      ['category', { category: 'question' }],
      ['merge', { target: target.ref }],
      ['canned', { canned: 'x' }],
    ] as const)
      assert.equal((await post(action, fields)).statusCode, 409, action);
    assert.equal(await outbox(), mails, 'no mail');
    assert.equal((await listMessages(h.deps.db, letter.id, true)).length, messages, 'no message');
    const after = await h.deps.db
      .selectFrom('support_tickets')
      .select(['restricted_at', 'kept_reason', 'state', 'assignee_id', 'category'])
      .where('id', '=', letter.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(after, kept, 'nothing changed');
  });

  it('lifting the hold of a restricted legal-claim ticket completes the erasure: rows and files are gone', async () => {
    const erased = await signedIn(h, { name: 'Hal Held' });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x01, 0x02, 0x03]);
    const t = await open(erased.id, 'Chargeback', { attachments: [{ fileName: 'proof.png', content: png }] });
    await holdForLegalClaim(h.deps, t.id, { reason: 'Chargeback dispute', until: h.clock.now() + 365 * 86_400_000 });
    await eraseSubjectData(h.deps, erased.email);
    const files = await h.deps.db
      .selectFrom('support_attachments')
      .select('id')
      .where('ticket_id', '=', t.id)
      .execute();
    assert.equal(files.length, 1);
    const path = attachmentPath(h.deps.config.dataDir, files[0]!.id);
    assert.ok(existsSync(path));
    const page = await staff.b.get(`/staff/support/${t.id}`);
    assert.match(page.body, /Kept only for a legal claim until/);
    const lifted = await staff.b.submit(`/staff/support/${t.id}`, `/staff/support/${t.id}/hold`, { lift: '1' });
    assert.equal(lifted.statusCode, 303);
    assert.equal(lifted.headers.location, '/staff/support');
    assert.equal((await staff.b.get(`/staff/support/${t.id}`)).statusCode, 404);
    for (const table of ['support_tickets', 'support_messages', 'support_attachments'] as const) {
      const column = table === 'support_tickets' ? 'id' : 'ticket_id';
      const rows = await h.deps.db.selectFrom(table).select(column).where(column, '=', t.id).execute();
      assert.deepEqual(rows, [], table);
    }
    assert.equal(existsSync(path), false, 'the file is gone');
  });

  it('the one-file upload reader (readUpload) refuses a control character in a field with the platform’s 400', async () => {
    const product = await productId(h, 'keystep-49');
    const images = async () =>
      (await h.deps.db.selectFrom('product_images').select('id').where('product_id', '=', product).execute()).length;
    const before = await images();
    const form = await staff.b.get('/staff/support');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const boundary = '----candorupload';
    const part = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const payload = Buffer.concat([
      Buffer.from(part('_csrf', token) + part('alt_en', 'A\u0007 synth') + part('alt_de', 'Ein Synth')),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n` +
          'Content-Type: image/png\r\n\r\n',
      ),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await h.app.inject({
      method: 'POST',
      url: `/staff/products/${product}/images`,
      remoteAddress: staff.b.ip,
      headers: {
        ...staff.b.headers,
        accept: 'text/html',
        'accept-language': 'de',
        cookie: staff.b.cookieHeader(),
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload,
    });
    assert.equal(res.statusCode, 400, res.body.slice(0, 500));
    assert.match(res.body, /Das Feld „alt_en“ enthält unsichtbare Steuerzeichen/);
    assert.equal(await images(), before, 'no image stored');
  });

  it('records every view, and shows beside the ticket only this customer’s data and the profile as attached', async () => {
    await h.deps.db
      .insertInto('hardware_registrations')
      .values([
        {
          id: 'reg-cora',
          user_id: customer.id,
          product_id: 'p',
          serial: 'TF-2026-CORA01',
          registered_at: 1,
          released_at: null,
          assigned_by_staff: 0,
        },
        {
          id: 'reg-sid',
          user_id: second.id,
          product_id: 'p',
          serial: 'TF-2026-SIDX02',
          registered_at: 1,
          released_at: null,
          assigned_by_staff: 0,
        },
      ])
      .execute();
    const t = await open(customer.id, 'With profile', { profile: PROFILE });
    // The customer changes the saved profile later: the ticket keeps the attached version.
    await h.deps.db
      .insertInto('support_profiles')
      .values({ user_id: customer.id, profile: JSON.stringify({ ...PROFILE, host: 'Cubase' }), updated_at: 2 })
      .execute();
    const page = await staff.b.get(`/staff/support/${t.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /TF-2026-CORA01/);
    assert.doesNotMatch(page.body, /TF-2026-SIDX02/);
    assert.match(page.body, /Ableton Live 12\.0/);
    assert.doesNotMatch(page.body, /Cubase/);
    assert.match(page.body, new RegExp(`href="/staff/customers/${customer.id}"`));
    const audit = await h.deps.db
      .selectFrom('access_audit')
      .select(['subject_user_id', 'what', 'why'])
      .where('actor_user_id', '=', staff.id)
      .where('what', '=', 'support.ticket')
      .where('path', '=', `/staff/support/${t.id}`)
      .execute();
    assert.deepEqual(audit, [{ subject_user_id: customer.id, what: 'support.ticket', why: 'customer-service' }]);
    const custPage = await staff.b.get(`/staff/customers/${customer.id}`);
    assert.match(custPage.body, new RegExp(t.ref));
    const secondPage = await staff.b.get(`/staff/customers/${second.id}`);
    assert.doesNotMatch(secondPage.body, new RegExp(t.ref));
  });

  it('lets no customer in', async () => {
    const t = await open(customer.id, 'Private');
    for (const path of ['/staff/support', `/staff/support/${t.id}`, '/staff/support/canned']) {
      const res = await customer.b.get(path);
      assert.ok([403, 404].includes(res.statusCode), `${path}: ${res.statusCode}`);
    }
    const post = await customer.b.post(`/staff/support/${t.id}/note`, { body: 'x' });
    assert.ok([403, 404].includes(post.statusCode), String(post.statusCode));
  });
});
