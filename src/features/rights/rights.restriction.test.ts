// Issue 16, "Done when" 4 (part two): a person the DPO restricted (Art. 18 GDPR) receives no campaign, no survey
// invitation and no similar-product mail, and appears in no new analytics, through the real jobs and services that
// build those audiences; once the restriction's end has passed (the clock moved past `until`), they are processed
// again. A second person in every audience shows that each job did run.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { listTables } from '../../platform/db/dialect.ts';
import { DAY } from '../../platform/clock.ts';
import { mayProcess } from '../../privacy/objections.ts';
import { deliverMail, fillBasket, signedIn, staffMember, BERLIN, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, START, type Harness } from '../../testing/harness.ts';
import { sendSimilarProductMails } from '../advertising/index.ts';
import { analyticsFeature } from '../analytics/index.ts';
import { buildDueCampaigns, createCampaign, scheduleCampaign } from '../campaigns/index.ts';
import { liftPersonRestriction, restrictableActivities, restrictPerson } from './rights.restriction.ts';

const ENV = {
  RATE_LIMIT_PER_MINUTE: '100000',
  RATE_LIMIT_AUTH_PER_MINUTE: '10000',
  // Throttling off: the fixed clock does not move by itself, so spaced campaign mails would never be due.
  CAMPAIGN_RATE_PER_MINUTE: '0',
};
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
/** What a browser sends with a page (a request without it is counted as a bot). */
const BROWSER = { 'user-agent': CHROME, 'accept-language': 'de-DE,de;q=0.9', referer: 'https://forum.example.org/' };
const SAME_ORIGIN = {
  origin: 'http://127.0.0.1:3000',
  'sec-fetch-site': 'same-origin',
  referer: 'http://127.0.0.1:3000/',
};

describeEachDatabase('a restricted person is processed by no feature until the restriction ends', (db) => {
  let h: Harness;
  let staff: Account;
  let dpo: Account;
  let restricted: Account;
  let control: Account;
  const topic = `r${randomUUID().slice(0, 8)}`;

  /** A customer who bought the reverb, left the suggestions box unticked, ticked the survey box, reads the newsletter. */
  async function customer(ip: string): Promise<Account> {
    const a = await signedIn(h, { ip });
    await fillBasket(h, a.b, ['driftwood-reverb']);
    const placed = await a.b.api(
      'POST',
      '/api/v1/orders',
      {
        billingAddress: BERLIN,
        payment: { method: 'wallet' },
        choices: { noProductSuggestions: false, surveyInvitations: true },
      },
      { 'idempotency-key': `restriction-${a.id}` },
    );
    assert.equal(placed.statusCode, 201, placed.body);
    const row: Database['newsletter_subscriptions'] = {
      id: randomUUID(),
      email: a.email,
      user_id: a.id,
      list: 'newsletter',
      topics: JSON.stringify([topic]),
      lang: 'en',
      origin: 'double-opt-in',
      status: 'confirmed',
      requested_at: h.clock.now(),
      confirmed_at: h.clock.now(),
      unsubscribed_at: null,
      pending_until: null,
      ip_prefix: null,
      consent_text: 'Test consent',
      consent_version: 'test',
      source: 'newsletter-page',
      confirm_sent_at: null,
      confirm_window_from: null,
      confirm_count: 0,
      renewal: null,
      renewal_until: null,
    };
    await h.deps.db.insertInto('newsletter_subscriptions').values(row).execute();
    // Statistics consent in this browser: counted under the account's pseudonym.
    const consent = await a.b.post('/consent', [['action', 'accept']], { ...SAME_ORIGIN, 'user-agent': CHROME });
    assert.ok(consent.statusCode < 400, consent.body);
    return a;
  }

  /** A survey of the reverb built through the staff pages, opened. */
  async function openSurvey(): Promise<string> {
    const productId = (
      await h.deps.db
        .selectFrom('products')
        .select('id')
        .where('slug', '=', 'driftwood-reverb')
        .executeTakeFirstOrThrow()
    ).id;
    const created = await staff.b.submit('/staff/surveys', '/staff/surveys', {
      title_en: 'Your reverb',
      title_de: 'Ihr Hall',
      intro_en: 'One question.',
      intro_de: 'Eine Frage.',
      productIds: productId,
      retentionDays: '365',
    });
    assert.equal(created.statusCode, 303, created.body);
    const page = String(created.headers.location);
    const added = await staff.b.submit(page, `${page}/questions`, {
      kind: 'text',
      text_en: 'Anything else?',
      text_de: 'Sonst noch etwas?',
    });
    assert.equal(added.statusCode, 303, added.body);
    assert.equal((await staff.b.submit(page, `${page}/open`, {})).statusCode, 303);
    return page.split('/').at(-1)!;
  }

  /** The staff button that invites the survey's audience. */
  async function invite(id: string): Promise<void> {
    const res = await staff.b.submit(`/staff/surveys/${id}`, `/staff/surveys/${id}/invite`, {});
    assert.equal(
      res.statusCode,
      303,
      `${res.statusCode} ${/<h1[^>]*>(.*?)<\/h1>|role="alert"[^>]*>(.*?)</s.exec(res.body)?.slice(1).join(' ')}`,
    );
  }

  /** The mail of one list queued for these addresses since `since` (the outbox, before any delivery decides). */
  async function queued(list: string, since: number): Promise<Set<string>> {
    const rows = await h.deps.db
      .selectFrom('outbox')
      .select('recipient')
      .where('list', '=', list)
      .where('created_at', '>=', since)
      .where('recipient', 'in', [restricted.email, control.email])
      .execute();
    return new Set(rows.map((r) => r.recipient));
  }

  async function campaignRecipients(): Promise<Set<string>> {
    const id = await createCampaign(h.deps, {
      subjectEn: 'Winter news',
      subjectDe: 'Winterneuigkeiten',
      bodyEn: '# New plug-ins',
      bodyDe: '# Neue Plug-ins',
      topic,
      lang: 'en',
      createdBy: staff.id,
    });
    await scheduleCampaign(h.deps, id, h.clock.now());
    await buildDueCampaigns(h.deps);
    const rows = await h.deps.db
      .selectFrom('campaign_recipients')
      .select('email')
      .where('campaign_id', '=', id)
      .execute();
    return new Set(rows.map((r) => r.email));
  }

  /** Every raw analytics event (the daily tables), once the recorder has written what it queued. */
  async function allEvents(): Promise<{ id: string; pseudonym: string | null }[]> {
    await h.app.analyticsRecorder.flush();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the daily tables are named at run time
    const any = h.deps.db as Kysely<any>;
    const rows: { id: string; pseudonym: string | null }[] = [];
    for (const table of await listTables(any, h.deps.dbKind))
      if (/^analytics_events_d\d{8}$/.test(table))
        rows.push(...((await any.selectFrom(table).select(['id', 'pseudonym']).execute()) as typeof rows));
    return rows;
  }

  /** The worker's job that keeps the analytics exclusions in step with objections and restrictions. */
  async function syncExclusions(): Promise<void> {
    const job = analyticsFeature.jobs?.find((j) => j.name === 'analytics.sync-exclusions');
    assert.ok(job, 'the analytics feature has its exclusion job');
    await job.run(h.deps);
  }

  /** The analytics events a few page views of this browser lead to, after the exclusion job ran. */
  async function eventsOfVisit(b: Browser): Promise<{ pseudonyms: (string | null)[]; count: number }> {
    await syncExclusions();
    // Web processes read the stored exclusions every few seconds; this one at once.
    await h.app.analyticsRecorder.refreshExclusions();
    const known = new Set((await allEvents()).map((e) => e.id));
    for (const path of ['/', '/shop', '/basket']) assert.equal((await b.get(path, BROWSER)).statusCode, 200, path);
    const fresh = (await allEvents()).filter((e) => !known.has(e.id));
    return { pseudonyms: fresh.map((e) => e.pseudonym), count: fresh.length };
  }

  before(async () => {
    h = await openHarness(db, { seed: true, env: ENV });
    h.clock.set(START);
    staff = await staffMember(h);
    dpo = await signedIn(h);
    restricted = await customer('203.0.113.160');
    control = await customer('203.0.113.161');
    await deliverMail(h);
  });
  after(() => h.close());

  test('the restriction covers every activity the data map marks objectable, newsletter and surveys included', async () => {
    const activities = restrictableActivities(h.deps.dataMap);
    for (const id of [
      'newsletter.subscriptions',
      'surveys.invitations',
      'advertising.similar-products',
      'analytics.counting',
      'analytics.returning-customers',
    ])
      assert.ok(activities.includes(id), id);
    const person = await signedIn(h);
    await restrictPerson(h.deps, { userId: person.id, until: h.clock.now() + DAY, byUserId: dpo.id });
    for (const id of activities) assert.equal(await mayProcess(h.deps, person.id, id), false, id);
    h.clock.advance(DAY + 1);
    for (const id of activities) assert.equal(await mayProcess(h.deps, person.id, id), true, `${id} after the end`);
    h.clock.set(START);
    await restrictPerson(h.deps, { userId: person.id, until: null, byUserId: dpo.id });
    h.clock.advance(365 * DAY);
    for (const id of activities) assert.equal(await mayProcess(h.deps, person.id, id), false, `${id} without an end`);
    await liftPersonRestriction(h.deps, person.id);
    for (const id of activities) assert.equal(await mayProcess(h.deps, person.id, id), true, `${id} once lifted`);
    h.clock.set(START);
    await assert.rejects(
      restrictPerson(h.deps, { userId: person.id, until: h.clock.now() - 1, byUserId: dpo.id }),
      /must lie ahead/,
    );
  });

  test('while restricted: no campaign, survey or similar-product mail and no analytics; after `until`: all again', async () => {
    // Before: counted under their pseudonym (statistics consent, signed in).
    const counted = (await eventsOfVisit(restricted.b)).pseudonyms.filter((p): p is string => p !== null);
    assert.ok(counted.length > 0, 'counted under a pseudonym before the restriction');
    const pseudonym = counted[0]!;
    const until = h.clock.now() + 30 * DAY;
    await restrictPerson(h.deps, { userId: restricted.id, until, byUserId: dpo.id });

    // Campaign: the audience the build job makes.
    let since = h.clock.now();
    let reached = await campaignRecipients();
    assert.ok(reached.has(control.email), 'the campaign reached the other reader');
    assert.ok(!reached.has(restricted.email), 'no campaign to the restricted person');
    assert.ok(!(await queued('newsletter', since)).has(restricted.email));

    // Survey: the invitation service the staff button runs.
    const survey = await openSurvey();
    since = h.clock.now();
    await invite(survey);
    let surveyMail = await queued('surveys', since);
    assert.ok(surveyMail.has(control.email), 'the other purchaser was invited');
    assert.ok(!surveyMail.has(restricted.email), 'no survey invitation to the restricted person');

    // Similar products: the worker's suggestion run.
    since = h.clock.now();
    await sendSimilarProductMails(h.deps);
    let suggestions = await queued('similar-products', since);
    assert.ok(suggestions.has(control.email), 'the other purchaser got suggestions');
    assert.ok(!suggestions.has(restricted.email), 'no similar-product mail to the restricted person');

    // Analytics: the person's visits are not counted at all, with their pseudonym or without.
    assert.ok((await eventsOfVisit(control.b)).count > 0, 'the other visitor is counted');
    const whileRestricted = await eventsOfVisit(restricted.b);
    assert.equal(whileRestricted.count, 0, 'no new analytics of the restricted person');
    assert.ok(!(await allEvents()).some((e) => e.pseudonym === pseudonym), 'no event under their pseudonym remains');

    // The end passes: processed again, by the same jobs.
    h.clock.set(until + 60_000);
    // A month on, sessions have lapsed: staff sign in afresh (here, a colleague).
    staff = await staffMember(h);
    since = h.clock.now();
    reached = await campaignRecipients();
    assert.ok(reached.has(restricted.email), 'a campaign reaches them again');
    await invite(survey);
    surveyMail = await queued('surveys', since);
    assert.ok(surveyMail.has(restricted.email), 'invited again');
    await sendSimilarProductMails(h.deps);
    suggestions = await queued('similar-products', since);
    assert.ok(suggestions.has(restricted.email), 'suggestions again');
    // The person signs in again too (the consent cookie is still there).
    const session = await restricted.b.api('POST', '/api/v1/sessions', {
      email: restricted.email,
      password: restricted.password,
    });
    assert.equal(session.statusCode, 201, session.body);
    const afterEnd = await eventsOfVisit(restricted.b);
    assert.ok(afterEnd.pseudonyms.includes(pseudonym), 'counted again under their pseudonym');
    await deliverMail(h);
    assert.ok(h.mailer.to(restricted.email).length > 0);
  });
});
