// Issue 17: every worker builds campaigns. Two builders at once never write a page twice and neither fails: on
// PostgreSQL the second passes over a campaign whose page the first is writing (its row locked `for update skip
// locked`) and builds another campaign; on SQLite (one writer) the cursor's conditional update decides.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Database } from '../../database.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { buildDueCampaigns, campaignProgress, createCampaign, scheduleCampaign } from './index.ts';

const READERS = 600;

describeEachDatabase('campaigns built by two workers at once', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db);
    const rows: Database['newsletter_subscriptions'][] = Array.from({ length: READERS }, (_, i) => ({
      id: randomUUID(),
      email: `reader.${i}@parallel.example`,
      user_id: null,
      list: 'newsletter',
      topics: '[]',
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
    }));
    await h.deps.db.insertInto('newsletter_subscriptions').values(rows).execute();
  });
  after(() => h.close());

  async function newCampaign(subject: string): Promise<string> {
    const id = await createCampaign(h.deps, {
      subjectEn: subject,
      subjectDe: subject,
      bodyEn: 'One mail each.',
      bodyDe: 'Eine E-Mail für jeden.',
      topic: null,
      lang: null,
      createdBy: 'staff-test',
    });
    await scheduleCampaign(h.deps, id, h.clock.now());
    return id;
  }

  test('two builders at once: neither fails, every reader of every campaign is queued once', async () => {
    const ids = [await newCampaign('First'), await newCampaign('Second')];
    const budget = { pageSize: 50, maxPages: 4 };
    for (let round = 0; round < 20; round++) {
      const [a, b] = await Promise.all([buildDueCampaigns(h.deps, budget), buildDueCampaigns(h.deps, budget)]);
      if (a.pages + b.pages === 0) break;
    }
    for (const id of ids) {
      const progress = await campaignProgress(h.deps, id);
      assert.equal(progress.total, READERS);
      const recipients = await h.deps.db
        .selectFrom('campaign_recipients')
        .select(['subscription_id', 'outbox_id'])
        .where('campaign_id', '=', id)
        .execute();
      assert.equal(new Set(recipients.map((r) => r.subscription_id)).size, READERS);
      const queued = await h.deps.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where(
          'id',
          'in',
          recipients.map((r) => r.outbox_id),
        )
        .executeTakeFirstOrThrow();
      assert.equal(Number(queued.n), READERS, 'one outbox row per reader');
    }
    const outbox = await h.deps.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(outbox.n), 2 * READERS, 'no page was written twice');
  });
});
