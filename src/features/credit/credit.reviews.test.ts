// The human review of a declined credit check (issue 10, point 1; Art. 22(3) GDPR): the decline offers it in the
// customer's language without the agency's reason; one request per own check; staff approve or reject with a mail;
// an approval passes one next order without asking the agency, and expires. Also CREDIT_CHECK_METHODS.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { DAY } from '../../platform/clock.ts';
import { ConfigError, loadConfig } from '../../platform/config.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import {
  BERLIN,
  deliverMail,
  fillBasket,
  productId,
  signedIn,
  staffMember,
  type Account,
} from '../../testing/factories.ts';
import { useApproval } from './credit.reviews.queries.ts';
import { APPROVAL_DAYS, releaseCreditApproval, useCreditApproval } from './credit.reviews.service.ts';

const DECLINED = { ...BERLIN, name: 'Rita Review', postalCode: '99999' };
let keys = 0;
let people = 0;
/** A declined billing identity of its own: the daily allowance counts per name and address across accounts. */
const declinedIdentity = () => ({ ...DECLINED, name: `Rita Review ${++people}` });

async function order(b: Account['b'], method: string, billing = DECLINED, lang = 'en') {
  return b.api(
    'POST',
    '/api/v1/orders',
    { billingAddress: billing, payment: { method } },
    { 'idempotency-key': `review-${process.pid}-${++keys}`, 'accept-language': lang },
  );
}

describeEachDatabase('credit decision review', (db) => {
  let h: Harness;
  let ip = 0;
  before(async () => {
    h = await openHarness(db, {
      seed: true,
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' },
    });
  });
  after(() => h.close());

  const customer = (name = 'Rita Review') => signedIn(h, { name, ip: `198.51.100.${++ip}` });
  const checksOf = async (userId: string) =>
    h.deps.db.selectFrom('credit_checks').selectAll().where('user_id', '=', userId).orderBy('requested_at').execute();
  /** A customer whose invoice order was declined: the account and the declined check's id. */
  async function declined(name?: string): Promise<Account & { checkId: string; billing: typeof DECLINED }> {
    const a = await customer(name);
    const billing = declinedIdentity();
    await fillBasket(h, a.b, ['tape-loops']);
    const res = await order(a.b, 'invoice', billing);
    assert.equal(res.statusCode, 422, res.body);
    const checks = await checksOf(a.id);
    return { ...a, billing, checkId: checks[checks.length - 1]!.id };
  }
  const ask = (a: Account, checkId: string, statement = 'I have paid every bill on time.', lang = 'en') =>
    a.b
      .get('/account/decision-review', { 'accept-language': lang })
      .then((page) => /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '')
      .then((token) =>
        a.b.post('/account/decision-review', { _csrf: token, checkId, statement }, { 'accept-language': lang }),
      );
  const reviewOf = (checkId: string) =>
    h.deps.db.selectFrom('credit_reviews').selectAll().where('check_id', '=', checkId).executeTakeFirstOrThrow();
  const alertOf = (body: string) => /<div class="error-summary"[^>]*>\s*<p>([^<]*)<\/p>/.exec(body)?.[1];
  const decide = (staff: Account, reviewId: string, outcome: string, note = '') =>
    staff.b.submit('/staff/credit-reviews', `/staff/credit-reviews/${reviewId}/decision`, { outcome, note });

  test('a decline offers another method and a human review, in German without any English or the agency’s reason', async () => {
    const a = await customer();
    await fillBasket(h, a.b, ['tape-loops']);
    const en = await order(a.b, 'invoice');
    assert.equal(en.json().error.code, 'invoice_not_available');
    assert.match(en.json().error.message, /another payment method/);
    assert.match(en.json().error.message, /review this automated decision, state your point of view and contest it/);
    // The review page as a link a client can follow, not as text inside the message.
    assert.doesNotMatch(en.json().error.message, /\/account\/decision-review/);
    assert.deepEqual(en.json().error.links, { review: 'http://127.0.0.1:3000/account/decision-review' });
    const de = await order(a.b, 'invoice', { ...DECLINED, name: 'Ina Insolvent' }, 'de');
    const message: string = de.json().error.message;
    assert.match(message, /keine Zahlung auf Rechnung/);
    assert.match(message, /Überprüfung|überprüft/);
    // The page's address aside, no English word and no reason code.
    for (const english of [/invoice/i, /review/i, /address_unknown|negative_record|amount_too_high/, /declined/i])
      assert.doesNotMatch(message, english);
    // The checkout page in German: the same message and a link to the review page.
    const page = await a.b.get('/checkout', { 'accept-language': 'de' });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const form = {
      _csrf: token,
      formKey: 'A'.repeat(24),
      'billingAddress.name': 'Rita Review',
      'billingAddress.street': BERLIN.street,
      'billingAddress.postalCode': '99999',
      'billingAddress.city': BERLIN.city,
      'billingAddress.country': 'DE',
      shipToBilling: '1',
      'payment.method': 'invoice',
      acceptTerms: '1',
      digitalConsent: '1',
    };
    const declinedPage = await a.b.post('/checkout', form, { 'accept-language': 'de' });
    assert.equal(declinedPage.statusCode, 422);
    assert.match(declinedPage.body, /keine Zahlung auf Rechnung/);
    assert.match(declinedPage.body, /<a href="\/account\/decision-review">Überprüfung dieser Entscheidung/);
    for (const english of [
      /We cannot offer/,
      /address_unknown|negative_record|could not be verified/,
      /Ask for a person/,
    ])
      assert.doesNotMatch(declinedPage.body, english);
    // The review page names what the check concerned but never the agency's reason.
    const review = await a.b.get('/account/decision-review', { 'accept-language': 'de' });
    assert.equal(review.statusCode, 200);
    // The other ways to pay as configured (invoice only: card and wallet), and where the reason can be found.
    assert.match(review.body, /Sie können ohne Bonitätsprüfung mit Kreditkarte oder per Wallet bezahlen\./);
    assert.doesNotMatch(review.body, /jederzeit anders bezahlen/);
    assert.match(review.body, /der Datenexport in Ihrem Kundenkonto zeigen den Grund der Auskunftei nicht an/);
    assert.match(review.body, /Überprüfung beantragen/);
    assert.doesNotMatch(review.body, /address_unknown|negative_record|Negativmerkmal zum|nicht bestätigt werden/);
  });

  test('a customer asks once about their own declined check; a second request and someone else’s check are refused', async () => {
    const a = await declined();
    const sent = await ask(a, a.checkId);
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/account/decision-review?sent=1');
    const row = await reviewOf(a.checkId);
    assert.equal(row.status, 'open');
    assert.equal(row.statement, 'I have paid every bill on time.');
    assert.equal(JSON.parse(row.billing).postalCode, '99999');
    assert.ok(row.amount_cents > 0);
    const again = await ask(a, a.checkId, '', 'de');
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /bereits gebeten/);
    const other = await customer('Otto Other');
    assert.equal((await ask(other, a.checkId)).statusCode, 404);
    const lena = await declined('Lena Long');
    const tooLong = await ask(lena, lena.checkId, 'x'.repeat(2001));
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /At most 2000 characters/);
    // Not signed in: no page.
    const { Browser } = await import('../../testing/harness.ts');
    assert.notEqual((await new Browser(h.app).get('/account/decision-review')).statusCode, 200);
  });

  test('staff see the request with the agency’s reason; approval mails the customer and passes one next order without the agency', async () => {
    const a = await declined();
    await h.deps.db.updateTable('users').set({ lang: 'de' }).where('id', '=', a.id).execute();
    await ask(a, a.checkId, 'Meine Anschrift ist neu.');
    const review = await reviewOf(a.checkId);
    const customerTries = await a.b.get('/staff/credit-reviews');
    assert.equal(customerTries.statusCode, 403);
    const staff = await staffMember(h, { ip: `198.51.100.${++ip}` });
    const queue = await staff.b.get('/staff/credit-reviews');
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /Meine Anschrift ist neu\./);
    assert.match(queue.body, /address could not be verified/);
    const audited = await h.deps.db
      .selectFrom('access_audit')
      .selectAll()
      .where('subject_user_id', '=', a.id)
      .where('what', '=', 'credit-review.view')
      .execute();
    assert.ok(audited.length >= 1);

    const approved = await decide(staff, review.id, 'approve');
    assert.equal(approved.statusCode, 303);
    assert.equal((await reviewOf(a.checkId)).status, 'approved');
    assert.equal((await decide(staff, review.id, 'reject', 'no')).statusCode, 409, 'decided once');
    await deliverMail(h);
    const mail = h.mailer.to(a.email).find((m) => m.subject.includes('Überprüfung'));
    assert.ok(mail, 'outcome mail');
    assert.match(mail.text, /http:\/\/127\.0\.0\.1:3000\/checkout/);
    assert.match(mail.text, /einmal/);
    assert.doesNotMatch(mail.text, /address_unknown|verified/);

    const before = (await checksOf(a.id)).length;
    // Even with the day's checks used up, the checkout offers invoice again and the approval lets the order pass.
    await h.deps.db.updateTable('credit_check_limits').set({ used: 100 }).execute();
    assert.match((await a.b.get('/checkout')).body, /id="pm-invoice"/);
    const placed = await order(a.b, 'invoice', a.billing);
    assert.equal(placed.statusCode, 201, placed.body);
    assert.equal(placed.json().status, 'invoiced');
    assert.equal((await checksOf(a.id)).length, before, 'the agency was not asked');
    assert.notEqual((await reviewOf(a.checkId)).approval_used_at, null);
    // Once only: then the day's limit (or the agency) decides again, and invoice is not offered.
    await fillBasket(h, a.b, ['tape-loops']);
    assert.doesNotMatch((await a.b.get('/checkout')).body, /id="pm-invoice"/);
    assert.equal((await order(a.b, 'invoice', a.billing)).statusCode, 422);
    await h.deps.db.deleteFrom('credit_check_limits').execute();
    assert.equal((await order(a.b, 'invoice', a.billing)).statusCode, 422);
    assert.equal((await checksOf(a.id)).length, before + 1, 'the agency declines it again');
  });

  test('an approval holds only for the same name and address, and not after it expires', async () => {
    const a = await declined();
    await ask(a, a.checkId);
    const staff = await staffMember(h, { ip: `198.51.100.${++ip}` });
    await decide(staff, (await reviewOf(a.checkId)).id, 'approve');
    const checks = (await checksOf(a.id)).length;
    // Another billing identity is not covered: the agency decides (and declines this one too).
    assert.equal((await order(a.b, 'invoice', { ...DECLINED, name: 'Someone Else' })).statusCode, 422);
    assert.equal((await checksOf(a.id)).length, checks + 1);
    // Nor a larger amount: a second item makes the order dearer than the one declined.
    await fillBasket(h, a.b, ['tape-loops']);
    assert.equal((await order(a.b, 'invoice', a.billing)).statusCode, 422);
    assert.equal((await reviewOf(a.checkId)).approval_used_at, null);
    await a.b.api('DELETE', `/api/v1/basket/items/${await productId(h, 'tape-loops')}`);
    await fillBasket(h, a.b, ['tape-loops']);
    const review = await reviewOf(a.checkId);
    assert.equal(review.approval_expires_at, review.decided_at! + APPROVAL_DAYS * DAY);
    // The approval's period has ended (sessions would end long before the clock could be moved that far).
    await h.deps.db
      .updateTable('credit_reviews')
      .set({ approval_expires_at: h.clock.now() })
      .where('id', '=', review.id)
      .execute();
    assert.equal((await order(a.b, 'invoice', a.billing)).statusCode, 422);
    assert.equal((await reviewOf(a.checkId)).approval_used_at, null, 'expired, not used');
  });

  test('a rejection needs a note; the mail gives the note, the other payment methods and the right to complain', async () => {
    const a = await declined();
    await ask(a, a.checkId);
    const review = await reviewOf(a.checkId);
    const staff = await staffMember(h, { ip: `198.51.100.${++ip}` });
    const bare = await decide(staff, review.id, 'reject');
    assert.equal(bare.statusCode, 400, bare.body.slice(bare.body.indexOf('<main'), bare.body.indexOf('<main') + 600));
    assert.match(bare.body, /Please give the reasons/);
    assert.equal((await decide(staff, review.id, 'reject', 'The agency holds an unpaid claim.')).statusCode, 303);
    const row = await reviewOf(a.checkId);
    assert.equal(row.status, 'rejected');
    assert.equal(row.approval_expires_at, null);
    await deliverMail(h);
    const mail = h.mailer.to(a.email).find((m) => m.subject === 'Your review request: the outcome');
    assert.ok(mail);
    assert.match(mail.text, /The agency holds an unpaid claim\./);
    assert.match(mail.text, /another payment method/);
    assert.match(mail.text, /lodge a complaint with a data protection supervisory authority/);
    assert.equal((await order(a.b, 'invoice', a.billing)).statusCode, 422, 'nothing approved');
    // The customer's page shows the outcome.
    assert.match((await a.b.get('/account/decision-review')).body, /confirmed after review/);
  });

  test('bad input on the review form gets a 400 in the form, in the user’s language, keeping the typed text', async () => {
    const a = await declined('Bert Bad');
    const page = await a.b.get('/account/decision-review', { 'accept-language': 'de' });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const post = (fields: Record<string, string> | [string, string][]) =>
      a.b.post('/account/decision-review', fields, { 'accept-language': 'de' });
    // No checkId: no "page does not exist", but which decision is meant.
    const missing = await post({ _csrf: token, statement: 'Mein Text' });
    assert.equal(missing.statusCode, 400, missing.body.slice(0, 300));
    assert.match(missing.body, /role="alert"[\s\S]*Wählen Sie die Entscheidung/);
    // Over the form's limit, even far over it: the form's own message, at its field, with the text kept.
    const typed = `Sehr geehrte Damen und Herren, ${'x'.repeat(4100)}`;
    const long = await post({ _csrf: token, checkId: a.checkId, statement: typed });
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /Höchstens 2000 Zeichen/);
    assert.doesNotMatch(alertOf(long.body) ?? '', /statement|4000|4001/);
    assert.doesNotMatch(long.body, /4000|4001|„statement“/);
    assert.ok(long.body.includes(typed), 'the typed text is kept');
    assert.match(long.body, /aria-invalid="true"/);
    // A field sent twice: a clear message, not a generic error.
    const twice = await post([
      ['_csrf', token],
      ['checkId', a.checkId],
      ['statement', 'eins'],
      ['statement', 'zwei'],
    ]);
    assert.equal(twice.statusCode, 400, twice.body.slice(0, 300));
    assert.match(twice.body, /role="alert"[\s\S]*mehrfach/);
    assert.doesNotMatch(alertOf(twice.body) ?? '', /statement/);
    assert.equal(
      (await h.deps.db.selectFrom('credit_reviews').select('id').where('check_id', '=', a.checkId).execute()).length,
      0,
    );
  });

  test('staff see why a decision was refused at the top of the page: decided by a colleague, unknown, no note, no outcome', async () => {
    const a = await declined('Zora Zwei');
    await ask(a, a.checkId);
    const review = await reviewOf(a.checkId);
    const anna = await staffMember(h, { ip: `198.51.100.${++ip}` });
    const bert = await staffMember(h, { ip: `198.51.100.${++ip}` });
    const form = async (staff: Account) =>
      /name="_csrf" value="([^"]+)"/.exec(
        (await staff.b.get('/staff/credit-reviews', { 'accept-language': 'de' })).body,
      )![1]!;
    const [ta, tb] = [await form(anna), await form(bert)];
    const send = (staff: Account, token: string, id: string, fields: Record<string, string>, lang = 'en') =>
      staff.b.post(`/staff/credit-reviews/${id}/decision`, { _csrf: token, ...fields }, { 'accept-language': lang });
    // Both had the page open; Anna approves, Bert rejects a moment later (one after the other: which of two
    // requests sent at once wins is up to the database, and this test is about what the later one is told).
    const first = await send(anna, ta, review.id, { outcome: 'approve', note: '' });
    const second = await send(bert, tb, review.id, { outcome: 'reject', note: 'Nein.' }, 'de');
    assert.equal(first.statusCode, 303);
    assert.equal(second.statusCode, 409);
    assert.match(alertOf(second.body) ?? '', /bereits entschieden \(freigegeben\)/);
    assert.match(second.body, /Keine offenen Anträge|Antrag vom/);
    // The same form again, an unknown id, a rejection without a note, an outcome that is neither.
    const again = await send(anna, ta, review.id, { outcome: 'approve', note: '' });
    assert.equal(again.statusCode, 409);
    assert.match(alertOf(again.body) ?? '', /already decided \(approved\)/);
    const unknown = await send(anna, ta, 'no-such-request', { outcome: 'approve', note: '' });
    assert.equal(unknown.statusCode, 404);
    assert.match(alertOf(unknown.body) ?? '', /does not exist/);
    const b2 = await declined('Zora Drei');
    await ask(b2, b2.checkId);
    const open = await reviewOf(b2.checkId);
    const bare = await send(anna, ta, open.id, { outcome: 'reject', note: '' }, 'de');
    assert.equal(bare.statusCode, 400);
    assert.match(alertOf(bare.body) ?? '', /Gründe/);
    const maybe = await send(anna, ta, open.id, { outcome: 'maybe', note: '' });
    assert.equal(maybe.statusCode, 400);
    assert.match(alertOf(maybe.body) ?? '', /Choose approve or confirm the decline/);
    assert.equal((await reviewOf(b2.checkId)).status, 'open');
  });

  test('two staff deciding one request at the same moment: one decision counts, the other is told it came too late', async () => {
    const a = await declined('Zora Gleichzeitig');
    await ask(a, a.checkId);
    const review = await reviewOf(a.checkId);
    const [anna, bert] = [
      await staffMember(h, { ip: `198.51.100.${++ip}` }),
      await staffMember(h, { ip: `198.51.100.${++ip}` }),
    ];
    const token = async (staff: Account) =>
      /name="_csrf" value="([^"]+)"/.exec((await staff.b.get('/staff/credit-reviews')).body)![1]!;
    const [ta, tb] = [await token(anna), await token(bert)];
    const answers = await Promise.all([
      anna.b.post(`/staff/credit-reviews/${review.id}/decision`, { _csrf: ta, outcome: 'approve', note: '' }),
      bert.b.post(`/staff/credit-reviews/${review.id}/decision`, { _csrf: tb, outcome: 'reject', note: 'No.' }),
    ]);
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [303, 409]);
    const decided = await reviewOf(a.checkId);
    const winner = answers[0]!.statusCode === 303 ? 'approved' : 'rejected';
    assert.equal(decided.status, winner);
  });

  test('when the day’s checks are used up, the answer says no check was made and offers no review (there is none to review)', async () => {
    const a = await customer('Uma Used');
    await fillBasket(h, a.b, ['tape-loops']);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await order(a.b, 'invoice', declinedIdentity()));
    assert.deepEqual(
      answers.map((r) => [r.statusCode, r.json().error.code]),
      [...Array(3).fill([422, 'invoice_not_available']), [422, 'credit_check_limit_reached']],
    );
    // The three declines read the same, whatever the agency's reason; the allowance is said as what it is.
    assert.equal(new Set(answers.slice(0, 3).map((r) => r.json().error.message)).size, 1);
    const used = answers[3]!.json().error;
    assert.match(used.message, /No check was made and no order was placed/);
    assert.match(used.message, /try again in a day, or choose another payment method/);
    assert.equal(used.links, undefined);
    assert.doesNotMatch(used.message, /review|declined|verified|negative|amount/i);
    const de = (await order(a.b, 'invoice', declinedIdentity(), 'de')).json().error;
    assert.equal(de.code, 'credit_check_limit_reached');
    assert.match(de.message, /Es wurde keine Prüfung durchgeführt/);
    assert.doesNotMatch(de.message, /invoice|review|check was/i);
    // A name and address checked three times today, from other accounts: a fresh account is told the same.
    const sameIdentity = declinedIdentity();
    for (let i = 0; i < 3; i++) {
      const other = await customer('Uma Other');
      await fillBasket(h, other.b, ['tape-loops']);
      assert.equal((await order(other.b, 'invoice', sameIdentity)).json().error.code, 'invoice_not_available');
    }
    const b = await customer('Uma Fresh');
    await fillBasket(h, b.b, ['tape-loops']);
    assert.equal((await order(b.b, 'invoice', sameIdentity)).json().error.code, 'credit_check_limit_reached');
    // The checkout page: the message, and no link to a review.
    const page = await b.b.get('/checkout');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const refused = await b.b.post('/checkout', {
      _csrf: token,
      formKey: 'B'.repeat(24),
      'billingAddress.name': sameIdentity.name,
      'billingAddress.street': sameIdentity.street,
      'billingAddress.postalCode': sameIdentity.postalCode,
      'billingAddress.city': sameIdentity.city,
      'billingAddress.country': 'DE',
      shipToBilling: '1',
      'payment.method': 'invoice',
      acceptTerms: '1',
      digitalConsent: '1',
    });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /No check was made/);
    assert.doesNotMatch(refused.body, /href="\/account\/decision-review"/);
  });

  test('the staff decision and its access audit entry are one: when the audit cannot be written, nothing is decided', async () => {
    const a = await declined();
    await ask(a, a.checkId);
    const review = await reviewOf(a.checkId);
    const staff = await staffMember(h, { ip: `198.51.100.${++ip}` });
    const token = /name="_csrf" value="([^"]+)"/.exec((await staff.b.get('/staff/credit-reviews')).body)![1]!;
    const mailsBefore = (await h.deps.db.selectFrom('outbox').select('id').execute()).length;
    await sql`ALTER TABLE access_audit RENAME TO access_audit_away`.execute(h.deps.db);
    let res;
    try {
      res = await staff.b.post(`/staff/credit-reviews/${review.id}/decision`, { _csrf: token, outcome: 'approve' });
    } finally {
      await sql`ALTER TABLE access_audit_away RENAME TO access_audit`.execute(h.deps.db);
    }
    assert.equal(res.statusCode, 500);
    assert.equal((await reviewOf(a.checkId)).status, 'open', 'no decision without its audit entry');
    assert.equal((await h.deps.db.selectFrom('outbox').select('id').execute()).length, mailsBefore, 'no mail');
    assert.equal((await decide(staff, review.id, 'approve')).statusCode, 303);
    const audited = await h.deps.db
      .selectFrom('access_audit')
      .select('what')
      .where('subject_user_id', '=', a.id)
      .where('what', '=', 'credit-review.decide')
      .execute();
    assert.equal(audited.length, 1);
  });

  test('the data export leaves out the agency’s reason, which may concern another person’s name and address (Art. 15(4))', async () => {
    const a = await declined();
    const exported = (await a.b.api('GET', '/api/v1/me/data-export')).json();
    const checks = exported.records.find((r: { table: string }) => r.table === 'credit_checks');
    assert.equal(checks.rows.length, 1);
    assert.equal(checks.rows[0].decision, 'declined');
    assert.match(checks.rows[0].reason, /^\[withheld: the agency’s reason concerns the name and address entered/);
    assert.doesNotMatch(JSON.stringify(exported), /address_unknown|negative_record/);
  });

  test('a request is possible only within 30 days of the decision', async () => {
    const a = await declined();
    await h.deps.db
      .updateTable('credit_checks')
      .set({ answered_at: h.clock.now() - 31 * DAY })
      .where('id', '=', a.checkId)
      .execute();
    assert.doesNotMatch((await a.b.get('/account/decision-review')).body, new RegExp(a.checkId));
    const late = await ask(a, a.checkId);
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /within 30 days/);
    // The way on names the configured DPO, with no hard-coded (masculine) title.
    const spät = await ask(a, a.checkId, '', 'de');
    assert.match(
      spät.body,
      /innerhalb von 30 Tagen[^<]*Dana Beispiel \(Datenschutzbeauftragte\): privacy@tonfabrik\.example/,
    );
    assert.doesNotMatch(spät.body, /unseren Datenschutzbeauftragten/);
  });
});

test('CREDIT_CHECK_METHODS: invoice by default, a list of payment methods, unknown values refused at start', () => {
  const base = { DATA_DIR: '/tmp/candor-config-test', CANDOR_SECRET: 'x'.repeat(32) };
  assert.deepEqual(loadConfig(base).creditCheckMethods, ['invoice']);
  assert.deepEqual(loadConfig({ ...base, CREDIT_CHECK_METHODS: ' invoice , Card ' }).creditCheckMethods, [
    'invoice',
    'card',
  ]);
  assert.throws(
    () => loadConfig({ ...base, CREDIT_CHECK_METHODS: 'invoice,cheque' }),
    (err: unknown) =>
      err instanceof ConfigError && /CREDIT_CHECK_METHODS must be .*invoice, card, wallet/.test(err.message),
  );
});

describeEachDatabase('configured credit-checked methods', (db) => {
  const purpose = (h: Harness) => h.deps.dataMap.activities.find((x) => x.id === 'credit.credit-check')!.purpose;

  test('by default a card order is not credit-checked and the purpose names invoice only', async () => {
    const h = await openHarness(db, { seed: true });
    try {
      const a = await signedIn(h, { name: 'Rita Review' });
      await fillBasket(h, a.b, ['tape-loops']);
      const res = await order(a.b, 'wallet');
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(
        await h.deps.db
          .selectFrom('credit_checks')
          .select('id')
          .execute()
          .then((r) => r.length),
        0,
      );
      assert.match(purpose(h).en, /order paid on account \(invoice\), to protect/);
      assert.doesNotMatch(purpose(h).en, /card/);
    } finally {
      await h.close();
    }
  });

  test('with card and wallet listed, a declined identity is refused before anything is charged and the purpose says so', async () => {
    const h = await openHarness(db, { seed: true, env: { CREDIT_CHECK_METHODS: 'invoice,card,wallet' } });
    try {
      assert.match(purpose(h).en, /on account \(invoice\), by credit card or by wallet/);
      assert.match(purpose(h).de, /auf Rechnung, mit Kreditkarte oder per Wallet/);
      assert.match(purpose(h).en, /before anything is charged/);
      const a = await signedIn(h, { name: 'Rita Review' });
      await fillBasket(h, a.b, ['tape-loops']);
      const res = await order(a.b, 'wallet', DECLINED, 'de');
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(res.json().error.code, 'payment_method_not_available');
      assert.match(res.json().error.message, /keine Zahlung per Wallet/);
      const checks = await h.deps.db.selectFrom('credit_checks').selectAll().execute();
      assert.equal(checks.length, 1);
      assert.equal(JSON.parse(checks[0]!.sent).method, 'wallet');
      assert.equal(
        await h.deps.db
          .selectFrom('orders')
          .select('id')
          .execute()
          .then((r) => r.length),
        0,
        'withdrawn',
      );
      // An approved identity pays by wallet after its check.
      const ok = await order(a.b, 'wallet', BERLIN);
      assert.equal(ok.statusCode, 201, ok.body);
      assert.equal(ok.json().status, 'paid');
    } finally {
      await h.close();
    }
  });
});

// Finding 1 (attack): an approval was spent by an order that then failed unpaid. The order holds it; it is given
// back when the order fails or is withdrawn, and two orders at once still use it once.
describeEachDatabase('an approval belongs to the order that used it', (db) => {
  let h: Harness;
  let ip = 0;
  before(async () => {
    h = await openHarness(db, {
      seed: true,
      env: {
        CREDIT_CHECK_METHODS: 'invoice,card,wallet',
        RATE_LIMIT_AUTH_PER_MINUTE: '10000',
        RATE_LIMIT_PER_MINUTE: '100000',
      },
    });
  });
  after(() => h.close());

  const reviewOf = (checkId: string) =>
    h.deps.db.selectFrom('credit_reviews').selectAll().where('check_id', '=', checkId).executeTakeFirstOrThrow();
  const checksOf = async (userId: string) =>
    (await h.deps.db.selectFrom('credit_checks').select('id').where('user_id', '=', userId).execute()).length;
  async function cardToken(b: Account['b'], number = '4242 4242 4242 4242'): Promise<string> {
    const res = await b.api('POST', '/api/v1/test-payments/tokens', {
      number,
      expMonth: 12,
      expYear: 2030,
      cvc: '123',
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().token;
  }
  const cardOrder = async (a: Account, billing: typeof DECLINED, number?: string) =>
    a.b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: billing, payment: { method: 'card', token: await cardToken(a.b, number) } },
      { 'idempotency-key': `held-${process.pid}-${++keys}` },
    );
  /** A customer whose `method` order was declined, reviewed and approved by staff. */
  async function approved(method: 'card' | 'invoice') {
    const a = await signedIn(h, { name: 'Rita Review', ip: `203.0.113.${++ip}` });
    const billing = declinedIdentity();
    await fillBasket(h, a.b, ['tape-loops']);
    const refused = method === 'card' ? await cardOrder(a, billing) : await order(a.b, 'invoice', billing);
    assert.equal(refused.statusCode, 422, refused.body);
    const check = await h.deps.db
      .selectFrom('credit_checks')
      .select('id')
      .where('user_id', '=', a.id)
      .executeTakeFirstOrThrow();
    const token = /name="_csrf" value="([^"]+)"/.exec((await a.b.get('/account/decision-review')).body)![1]!;
    assert.equal((await a.b.post('/account/decision-review', { _csrf: token, checkId: check.id })).statusCode, 303);
    const staff = await staffMember(h, { ip: `203.0.113.${++ip}` });
    const id = (await reviewOf(check.id)).id;
    const decided = await staff.b.submit('/staff/credit-reviews', `/staff/credit-reviews/${id}/decision`, {
      outcome: 'approve',
      note: '',
    });
    assert.equal(decided.statusCode, 303);
    return { a, billing, checkId: check.id };
  }

  test('a declined card gives the approval back: the next card order passes on it without the agency', async () => {
    const { a, billing, checkId } = await approved('card');
    // Every method is checked here: the review page does not promise another way to pay.
    const page = (await a.b.get('/account/decision-review')).body;
    assert.doesNotMatch(page, /always pay another way|without a credit check\./);
    assert.match(page, /there is no way to pay without a check/);
    // The approval's mail names the method approved (finding 4: it always said "on invoice").
    await deliverMail(h);
    const subjects = h.mailer.to(a.email).map((m) => m.subject);
    assert.ok(subjects.includes('Your review request: you can now pay by credit card'), subjects.join(' | '));
    assert.ok(!subjects.some((x) => /invoice/.test(x)), subjects.join(' | '));
    const checks = await checksOf(a.id);
    const declinedCard = await cardOrder(a, billing, '4000 0000 0000 0002');
    assert.equal(declinedCard.statusCode, 402, declinedCard.body);
    const back = await reviewOf(checkId);
    assert.equal(back.approval_used_at, null, 'the approval is not spent by an unpaid order');
    assert.equal(back.approval_order_id, null);
    const paid = await cardOrder(a, billing);
    assert.equal(paid.statusCode, 201, paid.body);
    assert.equal(paid.json().status, 'paid');
    assert.equal(await checksOf(a.id), checks, 'the agency was not asked');
    const used = await reviewOf(checkId);
    assert.notEqual(used.approval_used_at, null);
    assert.equal(used.approval_order_id, paid.json().id);
  });

  test('an abandoned payment page superseded by a newer order gives the approval back to the newer one', async () => {
    const { a, billing, checkId } = await approved('card');
    const checks = await checksOf(a.id);
    const page = await a.b.get('/checkout');
    const form: Record<string, string> = {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!,
      formKey: 'H'.repeat(24),
      'billingAddress.name': billing.name,
      'billingAddress.street': billing.street,
      'billingAddress.postalCode': billing.postalCode,
      'billingAddress.city': billing.city,
      'billingAddress.country': billing.country,
      shipToBilling: '1',
      'payment.method': 'card',
      acceptTerms: '1',
      digitalConsent: '1',
    };
    const toProvider = await a.b.post('/checkout', form);
    assert.equal(toProvider.statusCode, 303, toProvider.body.slice(0, 400));
    assert.match(toProvider.headers.location as string, /^\/test-payments\/pay\//);
    const pending = await h.deps.db
      .selectFrom('orders')
      .select('id')
      .where('user_id', '=', a.id)
      .where('status', '=', 'pending_payment')
      .executeTakeFirstOrThrow();
    assert.equal((await reviewOf(checkId)).approval_order_id, pending.id, 'held by the pending order');
    // The customer leaves the provider's page and orders anew: the pending order fails, the approval goes on.
    const paid = await cardOrder(a, billing);
    assert.equal(paid.statusCode, 201, paid.body);
    assert.equal(await checksOf(a.id), checks, 'the agency was not asked');
    assert.equal((await reviewOf(checkId)).approval_order_id, paid.json().id);
  });

  test('two orders at once use one approval once, and a failed order gives back only its own', async () => {
    const { a, billing, checkId } = await approved('invoice');
    const review = await reviewOf(checkId);
    const use = (orderId: string) => useCreditApproval(h.deps, a.id, orderId, billing, 'invoice', review.amount_cents);
    const won = await Promise.all([use('order-one'), use('order-two')]);
    assert.deepEqual([...won].sort(), [false, true], 'used once');
    const holder = won[0] ? 'order-one' : 'order-two';
    assert.equal((await reviewOf(checkId)).approval_order_id, holder);
    // Both saw it usable before either marked it: the single statement still lets only one through.
    assert.equal(await useApproval(h.deps.db, review.id, 'order-three', h.clock.now()), false);
    // The other order failing gives nothing back; the holder failing does.
    await releaseCreditApproval(h.deps.db, holder === 'order-one' ? 'order-two' : 'order-one');
    assert.equal((await reviewOf(checkId)).approval_order_id, holder);
    await releaseCreditApproval(h.deps.db, holder);
    assert.equal((await reviewOf(checkId)).approval_used_at, null);
    // Over the API the order then passes on it without the agency.
    const checks = await checksOf(a.id);
    const placed = await order(a.b, 'invoice', billing);
    assert.equal(placed.statusCode, 201, placed.body);
    assert.equal(await checksOf(a.id), checks);
    assert.equal((await reviewOf(checkId)).approval_order_id, placed.json().id);
  });
});
