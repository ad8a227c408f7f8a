import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordObjection } from '../../privacy/objections.ts';
import { runRetention } from '../../privacy/retention.ts';
import { eraseSubjectData, exportSubjectData } from '../../privacy/subject.ts';
import {
  BERLIN,
  deliverMail,
  fillBasket,
  placeOrder,
  signedIn,
  staffMember,
  type Account,
} from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { suppressAddress } from '../mail/index.ts';
import { surveyCheckoutChoice } from './surveys.consent.ts';
import { inviteToSurvey } from './surveys.service.ts';

describeEachDatabase('surveys to purchasers', (db) => {
  let h: Harness;
  let staff: Account;
  before(async () => {
    h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    staff = await staffMember(h);
  });
  after(() => h.close());

  const productIdOf = async (slug: string) =>
    (await h.deps.db.selectFrom('products').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;

  // The checkout box as the orders feature calls it, in the order's transaction (the first test goes through the
  // orders API itself); the other tests use this shortcut to make many consenting purchasers quickly.
  async function tickAtCheckout(a: Account, orderId: string, checked: boolean): Promise<void> {
    await h.deps.db.transaction().execute((trx) =>
      surveyCheckoutChoice.onOrderPlaced(h.deps, {
        db: trx,
        userId: a.id,
        email: a.email,
        lang: 'en',
        orderId,
        checked,
        offered: true,
      }),
    );
  }

  /** A customer who bought `slug` and, unless told otherwise, consented at checkout. */
  async function purchaser(options: { slug?: string; consent?: boolean; name?: string } = {}): Promise<Account> {
    const a = await signedIn(h, { name: options.name ?? 'Paula Purchaser' });
    const order = await placeOrder(h, a.b, [options.slug ?? 'driftwood-reverb']);
    await tickAtCheckout(a, order.id, options.consent ?? true);
    return a;
  }

  /** A survey built through the staff pages (one question of each kind), opened. */
  async function openSurvey(slug = 'driftwood-reverb', retentionDays = '365'): Promise<string> {
    const created = await staff.b.submit('/staff/surveys', '/staff/surveys', {
      title_en: 'Your reverb',
      title_de: 'Ihr Hall',
      intro_en: 'Three questions.',
      intro_de: 'Drei Fragen.',
      productIds: await productIdOf(slug),
      retentionDays,
    });
    assert.equal(created.statusCode, 303, created.body);
    const page = String(created.headers.location);
    const id = page.split('/').at(-1)!;
    const add = async (fields: Record<string, string>) => {
      const res = await staff.b.submit(page, `${page}/questions`, fields);
      assert.equal(res.statusCode, 303, res.body);
    };
    await add({
      kind: 'single',
      text_en: 'Which sound?',
      text_de: 'Welcher Klang?',
      options: 'Warm | Warm\nBright | Hell',
    });
    await add({
      kind: 'scale',
      text_en: 'How likely to recommend?',
      text_de: 'Wie wahrscheinlich empfehlen?',
      scale: '0-10',
    });
    await add({ kind: 'text', text_en: 'Anything else?', text_de: 'Sonst noch etwas?' });
    assert.equal((await staff.b.submit(page, `${page}/open`, {})).statusCode, 303);
    return id;
  }

  async function invite(id: string): Promise<string> {
    const res = await staff.b.submit(`/staff/surveys/${id}`, `/staff/surveys/${id}/invite`, {});
    assert.equal(res.statusCode, 303, res.body);
    await deliverMail(h);
    return String(res.headers.location);
  }

  const invitationsTo = (email: string) =>
    h.mailer.to(email).filter((m) => /^(Your opinion|Ihre Meinung)/.test(m.subject));

  function linkOf(email: string, id: string): URL {
    const mail = invitationsTo(email).at(-1);
    assert.ok(mail, `no invitation to ${email}`);
    const match = new RegExp(`https?://\\S+/surveys/${id}\\?i=[\\w-]+&t=[\\w-]+`).exec(mail.text);
    assert.ok(match, mail.text);
    return new URL(match[0]);
  }

  async function questionIds(id: string): Promise<string[]> {
    const row = await h.deps.db
      .selectFrom('surveys')
      .select('questions')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return (JSON.parse(row.questions) as { id: string }[]).map((q) => q.id);
  }

  async function answerByForm(a: Account, id: string, fields: Record<string, string>) {
    const opened = await a.b.get(`${linkOf(a.email, id).pathname}${linkOf(a.email, id).search}`);
    assert.equal(opened.statusCode, 303);
    const clean = String(opened.headers.location);
    assert.ok(!clean.includes('t='), 'the token left the address');
    return a.b.submit(clean, `/surveys/${id}`, fields);
  }

  async function answers(id: string, choice: 'o1' | 'o2', scale: string, text: string) {
    const [q1, q2, q3] = await questionIds(id);
    return { [`q-${q1}`]: choice, [`q-${q2}`]: scale, [`q-${q3}`]: text };
  }

  test('consent is recorded only with the box ticked (checkout and account), with its proof', async () => {
    assert.ok(
      h.app.checkoutChoices.some((c) => c.field === 'surveyInvitations'),
      'the checkout choice is registered',
    );
    const unticked = await purchaser({ consent: false });
    assert.equal(
      await h.deps.db
        .selectFrom('survey_consents')
        .where('user_id', '=', unticked.id)
        .select('user_id')
        .executeTakeFirst(),
      undefined,
    );
    const ticked = await purchaser({ consent: true });
    const proof = await h.deps.db
      .selectFrom('survey_consents')
      .selectAll()
      .where('user_id', '=', ticked.id)
      .executeTakeFirstOrThrow();
    assert.equal(proof.source, 'checkout');
    assert.equal(proof.given_at, h.clock.now());
    assert.match(proof.consent_text, /withdraw this consent at any time/);
    assert.match(proof.consent_version, /^[0-9a-f]{12}$/);

    // Through the orders API (the checkout choices wired by the orders feature): only `true` records consent.
    for (const choice of [undefined, false, true]) {
      const a = await signedIn(h);
      await fillBasket(h, a.b, ['driftwood-reverb']);
      const placed = await a.b.api(
        'POST',
        '/api/v1/orders',
        {
          billingAddress: BERLIN,
          payment: { method: 'wallet' },
          ...(choice === undefined ? {} : { choices: { surveyInvitations: choice } }),
        },
        { 'idempotency-key': `survey-consent-${a.id}` },
      );
      assert.equal(placed.statusCode, 201, placed.body);
      const row = await h.deps.db
        .selectFrom('survey_consents')
        .selectAll()
        .where('user_id', '=', a.id)
        .executeTakeFirst();
      assert.equal(row?.source, choice === true ? 'checkout' : undefined, String(choice));
    }

    // The account switch: an unticked box changes nothing; ticked, the consent is recorded from the account.
    const refused = await unticked.b.submit('/account/surveys', '/account/surveys', {});
    assert.equal(refused.statusCode, 400);
    const agreed = await unticked.b.submit('/account/surveys', '/account/surveys', { consent: 'yes' });
    assert.equal(agreed.statusCode, 303);
    const row = await h.deps.db
      .selectFrom('survey_consents')
      .selectAll()
      .where('user_id', '=', unticked.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.source, 'account');
    assert.match((await unticked.b.get('/account/surveys')).body, /You agreed on/);
  });

  test('invitations go once to consenting purchasers only: not to objectors, restricted, suppressed or non-consenting people', async () => {
    const id = await openSurvey();
    const yes = await purchaser();
    const no = await purchaser({ consent: false });
    const objector = await purchaser();
    const restricted = await purchaser();
    const suppressed = await purchaser();
    const otherProduct = await purchaser({ slug: 'tidal-delay' });
    const now = h.clock.now();
    await recordObjection(h.deps.db, now, {
      person: objector.id,
      activity: 'surveys.invitations',
      kind: 'objection',
      via: 'staff',
    });
    await recordObjection(h.deps.db, now, {
      person: restricted.id,
      activity: 'surveys.invitations',
      kind: 'restriction',
      via: 'staff',
    });
    await suppressAddress(h.deps.db, h.deps.config.suppressionKey, suppressed.email, {
      list: 'surveys',
      reason: 'unsubscribed',
      at: now,
    });

    await invite(id);
    assert.equal(invitationsTo(yes.email).length, 1);
    for (const a of [no, objector, restricted, suppressed, otherProduct])
      assert.deepEqual(invitationsTo(a.email), [], a.email);
    const mail = invitationsTo(yes.email)[0]!;
    assert.equal(mail.headers?.['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.match(mail.headers?.['List-Unsubscribe'] ?? '', /\/surveys\/withdraw\?u=/);
    // The stored mail holds placeholders, never a working token.
    const stored = await h.deps.db
      .selectFrom('outbox')
      .select('body')
      .where('recipient', '=', yes.email)
      .where('template', '=', 'survey-invitation')
      .executeTakeFirstOrThrow();
    assert.match(stored.body, /\{\{secret:survey-invitation:/);
    assert.ok(!stored.body.includes(linkOf(yes.email, id).searchParams.get('t')!));

    // A second "Invite" sends nobody a second invitation.
    await invite(id);
    assert.equal(invitationsTo(yes.email).length, 1);
  });

  test('inviting reads the same number of times for 2 people as for 6 (batched, not per person)', async () => {
    let selects = 0;
    const counted = h.deps.db.withPlugin({
      transformQuery: (args) => {
        if (args.node.kind === 'SelectQueryNode') selects++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const readsToInvite = async (people: number) => {
      const id = await openSurvey();
      for (let i = 0; i < people; i++) await purchaser();
      selects = 0;
      const invited = await inviteToSurvey({ ...h.deps, db: counted }, id);
      assert.ok(invited >= people, `${invited} invited`);
      return selects;
    };
    const few = await readsToInvite(2);
    const more = await readsToInvite(6);
    assert.equal(more, few, `${few} reads for 2 people, ${more} for 6`);
  });

  test('the personal link takes one response: the second gets 409, an altered token 400, bad answers 400 with messages', async () => {
    const id = await openSurvey();
    const a = await purchaser();
    const b = await purchaser();
    await invite(id);
    const [q1, q2] = await questionIds(id);

    const bad = await answerByForm(a, id, { [`q-${q1}`]: 'o9', [`q-${q2}`]: '11' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Please choose one of the answers/);
    assert.match(bad.body, /Please choose a value from 0 to 10/);

    const first = await answerByForm(a, id, await answers(id, 'o1', '9', 'Lovely tails'));
    assert.equal(first.statusCode, 200, first.body);
    assert.match(first.body, /Your answers have been saved/);
    const again = await answerByForm(a, id, await answers(id, 'o2', '1', 'again'));
    assert.equal(again.statusCode, 409);

    // The JSON API with the invitation's token: an altered token is refused, the right one once.
    const link = linkOf(b.email, id);
    const body = (token: string) => ({
      invitation: link.searchParams.get('i'),
      token,
      answers: { [q1!]: 'o2', [q2!]: 7 },
    });
    const api = new Browser(h.app);
    const token = link.searchParams.get('t')!;
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    assert.equal((await api.api('POST', `/api/v1/surveys/${id}/responses`, body(altered))).statusCode, 400);
    assert.equal((await api.api('POST', `/api/v1/surveys/${id}/responses`, body(token))).statusCode, 201);
    const second = await api.api('POST', `/api/v1/surveys/${id}/responses`, body(token));
    assert.equal(second.statusCode, 409);
    assert.equal(second.json().error.code, 'survey_answered');
    const rows = await h.deps.db.selectFrom('survey_responses').select('id').where('survey_id', '=', id).execute();
    assert.equal(rows.length, 2);
  });

  test('a closed survey answers 410 and stores nothing', async () => {
    const id = await openSurvey();
    const a = await purchaser();
    await invite(id);
    assert.equal((await staff.b.submit(`/staff/surveys/${id}`, `/staff/surveys/${id}/close`, {})).statusCode, 303);
    const link = linkOf(a.email, id);
    const [q1, q2] = await questionIds(id);
    const res = await new Browser(h.app).api('POST', `/api/v1/surveys/${id}/responses`, {
      invitation: link.searchParams.get('i'),
      token: link.searchParams.get('t'),
      answers: { [q1!]: 'o1', [q2!]: 5 },
    });
    assert.equal(res.statusCode, 410);
    assert.equal((await a.b.get(`/surveys/${id}`)).statusCode, 410);
  });

  test('withdrawing consent deletes the answers at once; the aggregate still renders and hides groups under 5 (Done-when 5)', async () => {
    const id = await openSurvey();
    const people: Account[] = [];
    for (let i = 0; i < 6; i++) people.push(await purchaser({ name: `Rita Respondent${i}` }));
    await invite(id);
    for (const [i, p] of people.entries()) {
      const res = await answerByForm(
        p,
        id,
        await answers(id, i % 2 ? 'o2' : 'o1', String(i + 4), `Comment number ${i}`),
      );
      assert.equal(res.statusCode, 200, res.body);
    }
    const shown = await staff.b.get(`/staff/surveys/${id}/results`);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /6 responses/);
    assert.match(shown.body, /Average: 6\.5/);
    assert.match(shown.body, /Comment number 3/);
    assert.doesNotMatch(shown.body, /Not shown/);

    // One withdraws in the account, one with the one-click POST of the invitation's List-Unsubscribe header.
    assert.equal(
      (await people[0]!.b.submit('/account/surveys', '/account/surveys', { consent: 'no' })).statusCode,
      303,
    );
    const header = invitationsTo(people[1]!.email)[0]!.headers?.['List-Unsubscribe'] ?? '';
    const oneClick = new URL(/<(.+)>/.exec(header)![1]!);
    const forged = await h.app.inject({
      method: 'POST',
      url: `${oneClick.pathname}?u=${oneClick.searchParams.get('u')}&t=wrong`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.equal(forged.statusCode, 400);
    const clicked = await h.app.inject({
      method: 'POST',
      url: `${oneClick.pathname}${oneClick.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.equal(clicked.statusCode, 200);
    for (const p of people.slice(0, 2)) {
      for (const table of ['survey_responses', 'survey_consents', 'survey_invitations'] as const)
        assert.equal(
          (await h.deps.db.selectFrom(table).select('user_id').where('user_id', '=', p.id).execute()).length,
          0,
          table,
        );
    }
    const left = await h.deps.db.selectFrom('survey_responses').select('id').where('survey_id', '=', id).execute();
    assert.equal(left.length, 4);

    const hidden = await staff.b.get(`/staff/surveys/${id}/results`);
    assert.equal(hidden.statusCode, 200);
    assert.match(hidden.body, /Not shown: fewer than 5 answers/);
    assert.doesNotMatch(hidden.body, /Average|Comment number|4 responses/);
    assert.match((await people[0]!.b.get('/account/surveys')).body, /You are not invited to surveys/);
  });

  test('staff results name nobody: no email, no name, no per-person route; customers get 403', async () => {
    const id = await openSurvey();
    const people: Account[] = [];
    for (let i = 0; i < 5; i++) people.push(await purchaser({ name: `Nora Nameless${i}` }));
    await invite(id);
    for (const p of people) await answerByForm(p, id, await answers(id, 'o1', '8', 'Fine'));
    for (const path of [`/staff/surveys/${id}/results`, `/staff/surveys/${id}`, '/staff/surveys']) {
      const page = await staff.b.get(path);
      assert.equal(page.statusCode, 200, path);
      for (const p of people) {
        assert.ok(!page.body.includes(p.email), `${path} shows an address`);
        assert.ok(!page.body.includes(p.id), `${path} shows an account id`);
      }
      assert.doesNotMatch(page.body, /Nora Nameless/);
    }
    assert.match((await staff.b.get(`/staff/surveys/${id}/results`)).body, /5 responses/);
    const customer = people[0]!;
    assert.equal((await customer.b.get('/staff/surveys')).statusCode, 403);
    assert.equal((await customer.b.get(`/staff/surveys/${id}/results`)).statusCode, 403);
    assert.equal((await customer.b.submit('/account/surveys', '/staff/surveys', { title_en: 'x' })).statusCode, 403);
    assert.equal((await staff.b.get(`/staff/surveys/${id}/responses`)).statusCode, 404);
  });

  describe('the person’s data', () => {
    test('the export holds the consent with its proof and the answers; erasure removes them', async () => {
      const id = await openSurvey();
      const a = await purchaser();
      await invite(id);
      assert.equal((await answerByForm(a, id, await answers(id, 'o2', '3', 'Exported words'))).statusCode, 200);
      const exported = await exportSubjectData(h.deps, a.email);
      const consent = exported.records.find((r) => r.table === 'survey_consents');
      assert.ok(consent, 'the consent is exported');
      assert.equal(consent.legalBasis, 'consent');
      assert.equal(consent.rows[0]!.source, 'checkout');
      assert.match(String(consent.rows[0]!.consent_text), /Invite me by email/);
      assert.ok(consent.rows[0]!.consent_version);
      assert.ok(consent.rows[0]!.given_at);
      const answered = exported.records.find((r) => r.table === 'survey_responses');
      assert.match(String(answered?.rows[0]?.answers), /Exported words/);
      assert.ok(exported.records.some((r) => r.table === 'survey_invitations'));

      await eraseSubjectData(h.deps, a.email);
      for (const table of ['survey_responses', 'survey_consents', 'survey_invitations'] as const)
        assert.equal(
          (await h.deps.db.selectFrom(table).select('user_id').where('user_id', '=', a.id).execute()).length,
          0,
          table,
        );
    });

    test('answers are deleted by retention when the survey’s period ends', async () => {
      const id = await openSurvey('driftwood-reverb', '30');
      const a = await purchaser();
      await invite(id);
      assert.equal((await answerByForm(a, id, await answers(id, 'o1', '5', 'Short-lived'))).statusCode, 200);
      const row = await h.deps.db
        .selectFrom('survey_responses')
        .select('delete_after')
        .where('user_id', '=', a.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.delete_after, h.clock.now() + 30 * 24 * 3600 * 1000);
      h.clock.advance(29 * 24 * 3600 * 1000);
      await runRetention(h.deps);
      assert.equal(
        (await h.deps.db.selectFrom('survey_responses').select('id').where('user_id', '=', a.id).execute()).length,
        1,
      );
      h.clock.advance(2 * 24 * 3600 * 1000);
      await runRetention(h.deps);
      assert.equal(
        (await h.deps.db.selectFrom('survey_responses').select('id').where('user_id', '=', a.id).execute()).length,
        0,
      );
    });
  });
});
