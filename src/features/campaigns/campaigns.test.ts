// Campaigns: the audience and its exclusions, delivery over a real SMTP server with the unsubscribe headers and
// link, one-click unsubscribe keeping the next campaign away, pause and resume, an idempotent rebuild, the console.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import type { Database } from '../../database.ts';
import { AppError } from '../../platform/errors.ts';
import { createSmtpMailer } from '../../platform/email/mailer.ts';
import { recordObjection } from '../../privacy/objections.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { signedIn, staffMember, uniqueEmail } from '../../testing/factories.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { deliverDueMail, suppressAddress } from '../mail/index.ts';
import { listAudiencePage } from '../newsletter/index.ts';
import {
  buildDueCampaigns,
  cachedCampaignAudience,
  campaignProgress,
  countCampaignAudience,
  createCampaign,
  pauseCampaign,
  resumeCampaign,
  scheduleCampaign,
  sendCampaignTest,
  trackCampaignDelivery,
} from './index.ts';

async function subscribe(
  h: Harness,
  options: { email?: string; topics?: string[]; lang?: 'en' | 'de'; userId?: string | null; status?: string } = {},
): Promise<{ id: string; email: string }> {
  const id = randomUUID();
  const email = options.email ?? uniqueEmail('reader');
  const row: Database['newsletter_subscriptions'] = {
    id,
    email,
    user_id: options.userId ?? null,
    list: 'newsletter',
    topics: JSON.stringify(options.topics ?? []),
    lang: options.lang ?? 'en',
    origin: 'double-opt-in',
    status: options.status ?? 'confirmed',
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
  return { id, email };
}

const content = (topic: string | null = null, lang: 'en' | 'de' | null = null) => ({
  subjectEn: 'Winter news',
  subjectDe: 'Winterneuigkeiten',
  bodyEn: '# New plug-ins\n\nSee [the shop](https://shop.example/new) and **save**.',
  bodyDe: '# Neue Plug-ins\n\nSiehe [den Shop](https://shop.example/neu) und **sparen**.',
  topic,
  lang,
  createdBy: 'staff-test',
});

/** A header as sent (unfolded), without its name. */
function rawHeader(mail: { headerLines: readonly { key: string; line: string }[] }, key: string): string {
  const line = mail.headerLines.find((l) => l.key === key)?.line ?? '';
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n\s+/g, '')
    .trim();
}

/** Builds, delivers and tracks until nothing is due (at most `rounds` delivery passes). */
async function runCampaigns(h: Harness, mailer = h.deps.mailer, rounds = 20): Promise<void> {
  await buildDueCampaigns(h.deps);
  for (let i = 0; i < rounds; i++) {
    const { sent, failed } = await deliverDueMail({
      db: h.deps.db,
      clock: h.clock,
      mailer,
      log: h.deps.log,
      from: 'shop@test.example',
      secret: h.deps.config.secret,
    });
    if (sent + failed === 0) break;
  }
  await trackCampaignDelivery(h.deps);
}

describeEachDatabase('newsletter campaigns', (db) => {
  let h: Harness;
  before(async () => {
    // Throttling off: the fixed clock does not move, so spaced mails would never be due.
    h = await openHarness(db, { env: { CAMPAIGN_RATE_PER_MINUTE: '0' } });
  });
  after(() => h.close());

  test('the audience leaves out suppressed, objecting and restricted people and honours topic and language', async () => {
    const topic = `t${randomUUID().slice(0, 8)}`;
    const objector = await signedIn(h);
    const restricted = await signedIn(h);
    const plain = await subscribe(h, { topics: [topic] });
    const all = await subscribe(h, { topics: [] });
    const other = await subscribe(h, { topics: ['something-else'] });
    const german = await subscribe(h, { topics: [topic], lang: 'de' });
    const suppressed = await subscribe(h, { topics: [topic] });
    const objecting = await subscribe(h, { topics: [topic], email: objector.email, userId: objector.id });
    const restricting = await subscribe(h, { topics: [topic], email: restricted.email, userId: restricted.id });
    const pending = await subscribe(h, { topics: [topic], status: 'pending' });
    await suppressAddress(h.deps.db, h.deps.config.suppressionKey, suppressed.email, {
      list: 'newsletter',
      reason: 'unsubscribed',
      at: h.clock.now(),
    });
    await recordObjection(h.deps.db, h.clock.now(), {
      person: objector.id,
      activity: 'newsletter.subscriptions',
      kind: 'objection',
      via: 'account',
    });
    await recordObjection(h.deps.db, h.clock.now(), {
      person: restricted.id,
      activity: 'newsletter.subscriptions',
      kind: 'restriction',
      via: 'staff',
    });

    const page = await listAudiencePage(h.deps.db, { list: 'newsletter', topic, limit: 10_000 });
    const ids = new Set(page.map((m) => m.id));
    for (const s of [plain, all, german, suppressed, objecting, restricting]) assert.ok(ids.has(s.id));
    assert.ok(!ids.has(other.id), 'another topic is not in the audience');
    assert.ok(!ids.has(pending.id), 'an unconfirmed sign-up is not in the audience');

    const english = await listAudiencePage(h.deps.db, { list: 'newsletter', topic, lang: 'en', limit: 10_000 });
    assert.ok(!english.some((m) => m.id === german.id), 'the language filter leaves German readers out');

    const id = await createCampaign(h.deps, content(topic, 'en'));
    await scheduleCampaign(h.deps, id, h.clock.now());
    await buildDueCampaigns(h.deps);
    const recipients = await h.deps.db
      .selectFrom('campaign_recipients')
      .select('email')
      .where('campaign_id', '=', id)
      .execute();
    const reached = new Set(recipients.map((r) => r.email));
    assert.ok(reached.has(plain.email) && reached.has(all.email));
    for (const s of [suppressed, objecting, restricting, other, german, pending])
      assert.ok(!reached.has(s.email), `${s.email} must not be a recipient`);
    // What staff see before sending counts the same people.
    assert.equal(await countCampaignAudience(h.deps, { topic, lang: 'en' }), recipients.length);
    const outbox = await h.deps.db
      .selectFrom('outbox')
      .select('recipient')
      .where('recipient', 'in', [suppressed.email, objecting.email, restricting.email])
      .where('list', '=', 'newsletter')
      .execute();
    assert.deepEqual(outbox, []);
  });

  test('a page built again after a crash adds no recipient and no mail twice', async () => {
    const topic = `t${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 5; i++) await subscribe(h, { topics: [topic] });
    // Readers of all topics from other tests belong to this audience too.
    const audience = await countCampaignAudience(h.deps, { topic, lang: null });
    assert.ok(audience >= 5);
    const id = await createCampaign(h.deps, content(topic));
    await scheduleCampaign(h.deps, id, h.clock.now());
    await buildDueCampaigns(h.deps);
    const count = async () => ({
      recipients: Number(
        (
          await h.deps.db
            .selectFrom('campaign_recipients')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('campaign_id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      ),
      outbox: Number(
        (
          await h.deps.db
            .selectFrom('outbox')
            .innerJoin('campaign_recipients', 'campaign_recipients.outbox_id', 'outbox.id')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('campaign_recipients.campaign_id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    });
    const first = await count();
    assert.deepEqual(first, { recipients: audience, outbox: audience });
    // As if the cursor's advance had been lost with a crash: the build reads the same page again.
    await h.deps.db
      .updateTable('campaigns')
      .set({ status: 'building', audience_after: null, built_count: 0 })
      .where('id', '=', id)
      .execute();
    await buildDueCampaigns(h.deps);
    assert.deepEqual(await count(), first);
    const total = await h.deps.db.selectFrom('outbox').select('id').where('list', '=', 'newsletter').execute();
    assert.equal(new Set(total.map((r) => r.id)).size, total.length);
    assert.equal((await campaignProgress(h.deps, id)).status, 'sending');
  });

  test('pausing stops the sending and resuming finishes it', async () => {
    const topic = `t${randomUUID().slice(0, 8)}`;
    const readers = [];
    for (let i = 0; i < 4; i++) readers.push(await subscribe(h, { topics: [topic] }));
    const audience = await countCampaignAudience(h.deps, { topic, lang: null });
    const id = await createCampaign(h.deps, content(topic));
    await scheduleCampaign(h.deps, id, h.clock.now());
    await buildDueCampaigns(h.deps);
    await pauseCampaign(h.deps, id);
    await runCampaigns(h);
    for (const r of readers) assert.equal(h.mailer.to(r.email).length, 0, 'nothing is sent while paused');
    let progress = await campaignProgress(h.deps, id);
    assert.equal(progress.status, 'paused');
    assert.equal(progress.remaining, audience);
    await resumeCampaign(h.deps, id);
    await runCampaigns(h);
    for (const r of readers) assert.equal(h.mailer.to(r.email).length, 1, 'each reader gets one mail');
    progress = await campaignProgress(h.deps, id);
    assert.deepEqual(
      { status: progress.status, total: progress.total, sent: progress.sent, remaining: progress.remaining },
      { status: 'sent', total: audience, sent: audience, remaining: 0 },
    );
  });

  test('the console answers a customer with 403, works for staff and refuses bad input with a message', async () => {
    const customer = await signedIn(h);
    assert.equal((await customer.b.get('/staff/campaigns')).statusCode, 403);
    assert.equal((await customer.b.get('/staff/campaigns/new')).statusCode, 403);
    const staff = await staffMember(h);
    const list = await staff.b.get('/staff/campaigns');
    assert.equal(list.statusCode, 200, list.body);
    const bad = await staff.b.submit('/staff/campaigns/new', '/staff/campaigns', {
      subject_en: '',
      subject_de: 'Betreff',
      body_en: 'Text',
      body_de: 'Text',
      topic: 'Not A Topic!',
      lang: '',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Please enter the English subject/);
    assert.match(bad.body, /lower-case letters/);
    const made = await staff.b.submit('/staff/campaigns/new', '/staff/campaigns', {
      subject_en: 'Console news',
      subject_de: 'Konsolen-Neuigkeiten',
      body_en: 'Hello <script>alert(1)</script> **there**',
      body_de: 'Hallo',
      topic: '',
      lang: '',
    });
    assert.equal(made.statusCode, 303, made.body);
    const page = String(made.headers.location).split('?')[0]!;
    const shown = await staff.b.get(page);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Audience now/);
    const preview = await staff.b.get(`${page}/preview?lang=en`);
    assert.match(preview.body, /<strong>there<\/strong>/);
    assert.ok(!preview.body.includes('<script>alert(1)'), 'the preview escapes HTML in the Markdown');
    const late = await staff.b.submit(page, `${page}/schedule`, { when: 'later', at: '2001-01-01T10:00' });
    assert.equal(late.statusCode, 400);
    assert.match(late.body, /This time has passed/);
    const confirm = await staff.b.submit(page, `${page}/schedule`, { when: 'now' });
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Yes, send now/);
    const id = page.split('/').at(-1)!;
    assert.equal((await campaignProgress(h.deps, id)).status, 'draft', 'nothing is sent before the confirmation');
    const sent = await staff.b.submit(page, `${page}/schedule`, { when: 'now', confirm: 'yes' });
    assert.equal(sent.statusCode, 303, sent.body);
    assert.equal((await campaignProgress(h.deps, id)).status, 'scheduled');
    await buildDueCampaigns(h.deps);
    const sending = await staff.b.get(page);
    assert.equal(sending.headers.refresh, '5');
    assert.equal((await staff.b.get(`${page}/recipients`)).statusCode, 200);
    const test = await staff.b.submit(page, `${page}/test`, {});
    assert.equal(test.statusCode, 303);
  });

  test('a subscriber whose account (found by the address) objects to or restricts the newsletter is left out', async () => {
    const topic = `t${randomUUID().slice(0, 8)}`;
    // Signed up without an account; the account with the same address came later and objected / restricted.
    const objector = await signedIn(h);
    const restricted = await signedIn(h);
    const fine = await subscribe(h, { topics: [topic] });
    const objecting = await subscribe(h, { topics: [topic], email: objector.email, userId: null });
    const restricting = await subscribe(h, { topics: [topic], email: restricted.email, userId: null });
    await recordObjection(h.deps.db, h.clock.now(), {
      person: objector.id,
      activity: 'newsletter.subscriptions',
      kind: 'objection',
      via: 'account',
    });
    await recordObjection(h.deps.db, h.clock.now(), {
      person: restricted.id,
      activity: 'newsletter.subscriptions',
      kind: 'restriction',
      via: 'staff',
    });
    const id = await createCampaign(h.deps, content(topic, 'en'));
    await scheduleCampaign(h.deps, id, h.clock.now());
    await buildDueCampaigns(h.deps);
    const reached = new Set(
      (await h.deps.db.selectFrom('campaign_recipients').select('email').where('campaign_id', '=', id).execute()).map(
        (r) => r.email,
      ),
    );
    assert.ok(reached.has(fine.email));
    assert.ok(!reached.has(objecting.email), 'the objection of the account with the address counts');
    assert.ok(!reached.has(restricting.email), 'the restriction of the account with the address counts');
    assert.equal(await countCampaignAudience(h.deps, { topic, lang: 'en' }), reached.size);
  });

  test('a subscriber erased while their page is being built gets no recipient row and no mail', async () => {
    const topic = `t${randomUUID().slice(0, 8)}`;
    const stays = await subscribe(h, { topics: [topic] });
    const erased = await subscribe(h, { topics: [topic] });
    let fired = false;
    let erasing: Promise<unknown> = Promise.resolve();
    // Right after the build read the page (outside its transaction), the person is erased.
    const plugin: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        const rows = args.result.rows as Record<string, unknown>[];
        if (!fired && rows.some((r) => r.email === erased.email && 'user_id' in r && 'lang' in r)) {
          fired = true;
          erasing = h.deps.db.deleteFrom('newsletter_subscriptions').where('email', '=', erased.email).execute();
          // SQLite's one connection is still held here: the erasure queues for it, ahead of the build's next query.
          if (db !== 'sqlite') await erasing;
        }
        return args.result;
      },
    };
    const id = await createCampaign(h.deps, content(topic, 'en'));
    await scheduleCampaign(h.deps, id, h.clock.now());
    await buildDueCampaigns({ ...h.deps, db: h.deps.db.withPlugin(plugin) });
    await erasing;
    assert.ok(fired, 'the erasure happened between the read and the write');
    const reached = new Set(
      (await h.deps.db.selectFrom('campaign_recipients').select('email').where('campaign_id', '=', id).execute()).map(
        (r) => r.email,
      ),
    );
    assert.ok(reached.has(stays.email));
    assert.ok(!reached.has(erased.email), 'no recipient row for the erased address');
    const outbox = await h.deps.db.selectFrom('outbox').select('id').where('recipient', '=', erased.email).execute();
    assert.deepEqual(outbox, [], 'no outbox row for the erased address');
  });

  test('a build run stops after its page budget and the next run goes on where it stopped', async () => {
    const topic = `t${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 5; i++) await subscribe(h, { topics: [topic], lang: 'de' });
    const audience = await countCampaignAudience(h.deps, { topic, lang: 'de' });
    const id = await createCampaign(h.deps, content(topic, 'de'));
    await scheduleCampaign(h.deps, id, h.clock.now());
    await buildDueCampaigns(h.deps, { maxPages: 1, pageSize: 2 });
    const built = async () =>
      Number(
        (
          await h.deps.db
            .selectFrom('campaign_recipients')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('campaign_id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    assert.equal((await campaignProgress(h.deps, id)).status, 'building', 'one page, then the run ends');
    assert.ok((await built()) <= 2);
    for (let i = 0; i < 10; i++) await buildDueCampaigns(h.deps, { maxPages: 1, pageSize: 2 });
    assert.equal((await campaignProgress(h.deps, id)).status, 'sending');
    assert.equal(await built(), audience);
  });

  test('tracking reads nothing of a paused campaign', async () => {
    const topic = `t${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 3; i++) await subscribe(h, { topics: [topic] });
    const id = await createCampaign(h.deps, content(topic));
    await scheduleCampaign(h.deps, id, h.clock.now());
    await buildDueCampaigns(h.deps);
    await pauseCampaign(h.deps, id);
    // Every statement the tracking runs, as a tree holding its parameters.
    const seen: unknown[] = [];
    const logged = h.deps.db.withPlugin({
      transformQuery: (args) => {
        seen.push(args.node);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    await trackCampaignDelivery({ ...h.deps, db: logged });
    assert.ok(seen.length > 0);
    const mentions = JSON.stringify(seen).includes(id);
    assert.ok(!mentions, 'no query of the tracking names the paused campaign');
    assert.equal((await campaignProgress(h.deps, id)).status, 'paused');
  });

  test('the audience count shown to staff is cached for a minute', async () => {
    const topic = `t${randomUUID().slice(0, 8)}`;
    await subscribe(h, { topics: [topic] });
    const campaign = { topic, lang: 'en' as const };
    const first = await cachedCampaignAudience(h.deps, campaign);
    await subscribe(h, { topics: [topic] });
    assert.equal(await cachedCampaignAudience(h.deps, campaign), first, 'the same count within the minute');
    h.clock.advance(61_000);
    assert.equal(await cachedCampaignAudience(h.deps, campaign), first + 1, 'counted again after it');
  });

  test('the test mail carries no unsubscribe link of a subscription and says why', async () => {
    const staff = await staffMember(h);
    const id = await createCampaign(h.deps, content());
    await sendCampaignTest(h.deps, id, { email: staff.email }, 'en');
    await sendCampaignTest(h.deps, id, { email: staff.email }, 'de');
    const mails = await h.deps.db
      .selectFrom('outbox')
      .select(['body', 'html', 'headers', 'list'])
      .where('recipient', '=', staff.email)
      .where('template', '=', 'newsletter-campaign-test')
      .execute();
    assert.equal(mails.length, 2);
    for (const m of mails) {
      assert.equal(m.list, null);
      assert.ok(!m.body.includes('/newsletter/unsubscribe'), 'no unsubscribe link that would answer 400');
      assert.ok(!String(m.html).includes('/newsletter/unsubscribe'));
      assert.ok(!m.body.includes(`test-${id}`));
    }
    assert.ok(mails.some((m) => /This is a test/.test(m.body)));
    assert.ok(mails.some((m) => /Dies ist ein Test/.test(m.body)));
  });

  test('a campaign paused for longer than its recipients are kept cannot be resumed', async () => {
    const topic = `t${randomUUID().slice(0, 8)}`;
    await subscribe(h, { topics: [topic] });
    const id = await createCampaign(h.deps, content(topic));
    await scheduleCampaign(h.deps, id, h.clock.now());
    await buildDueCampaigns(h.deps);
    await pauseCampaign(h.deps, id);
    h.clock.advance(91 * 24 * 3_600_000);
    await assert.rejects(resumeCampaign(h.deps, id), (err: unknown) => {
      assert.ok(err instanceof AppError);
      assert.equal(err.status, 409);
      return true;
    });
    assert.equal((await campaignProgress(h.deps, id)).status, 'paused');
  });
});

describeEachDatabase('campaign mail over SMTP', (db) => {
  test('each reader gets one mail with both unsubscribe headers, the visible link and the outbox id as Message-ID; after a one-click unsubscribe the next campaign does not reach them', async () => {
    const smtp = await new TestSmtpServer().start();
    const mailer = createSmtpMailer(smtp.url, 'test.example');
    const h = await openHarness(db, { mailer, env: { CAMPAIGN_RATE_PER_MINUTE: '0' } });
    try {
      const en = await subscribe(h, { lang: 'en' });
      const de = await subscribe(h, { lang: 'de' });
      const first = await createCampaign(h.deps, content());
      await scheduleCampaign(h.deps, first, h.clock.now());
      await runCampaigns(h, mailer);
      assert.equal(smtp.received.length, 2);
      const outboxIds = new Map(
        (
          await h.deps.db
            .selectFrom('campaign_recipients')
            .select(['email', 'outbox_id'])
            .where('campaign_id', '=', first)
            .execute()
        ).map((r) => [r.email, r.outbox_id]),
      );
      for (const [reader, subject] of [
        [en, 'Winter news'],
        [de, 'Winterneuigkeiten'],
      ] as const) {
        const mails = smtp.received.filter((m) => m.envelopeTo.includes(reader.email));
        assert.equal(mails.length, 1);
        const mail = mails[0]!.parsed;
        assert.equal(mail.subject, subject);
        assert.equal(mail.messageId, `<${outboxIds.get(reader.email)}@test.example>`);
        const unsubscribe = rawHeader(mail, 'list-unsubscribe');
        assert.match(
          unsubscribe,
          /^<http:\/\/127\.0\.0\.1:3000\/newsletter\/unsubscribe\/one-click\?s=[^&]+&t=[A-Za-z0-9_-]+>$/,
        );
        assert.equal(rawHeader(mail, 'list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
        assert.match(mail.text ?? '', /\/newsletter\/unsubscribe\?s=[^&\s]+&t=[A-Za-z0-9_-]+/, 'the visible link');
        assert.match(String(mail.html), /href="https:\/\/shop\.example\//);
        assert.ok(!(mail.text ?? '').includes('{{secret'), 'no placeholder leaves');
      }
      // The reader unsubscribes with one click (RFC 8058): a form POST to the header's address, no cookie.
      const header = rawHeader(smtp.received.find((m) => m.envelopeTo.includes(en.email))!.parsed, 'list-unsubscribe');
      const url = new URL(header.slice(1, -1));
      const res = await h.app.inject({
        method: 'POST',
        url: `${url.pathname}${url.search}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      assert.ok(res.statusCode < 300, `one-click unsubscribe answered ${res.statusCode}: ${res.body}`);
      const second = await createCampaign(h.deps, { ...content(), subjectEn: 'Spring news', subjectDe: 'Frühling' });
      await scheduleCampaign(h.deps, second, h.clock.now());
      await runCampaigns(h, mailer);
      assert.equal(smtp.received.filter((m) => m.envelopeTo.includes(en.email)).length, 1, 'no second mail');
      assert.equal(smtp.received.filter((m) => m.envelopeTo.includes(de.email)).length, 2);
      assert.equal((await campaignProgress(h.deps, second)).status, 'sent');
    } finally {
      await h.close();
      mailer.close();
      await smtp.stop();
    }
  });
});
