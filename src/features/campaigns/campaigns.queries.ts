// All SQL of campaigns and their recipients. Status changes are conditional updates (`where status in ...`), so two
// requests or a request and the worker cannot both move a campaign: the one that loses changes nothing.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { dbKindOf } from '../../platform/db/dialect.ts';
import type { CampaignRecipientsTable, CampaignStatus, CampaignsTable, RecipientStatus } from './campaigns.tables.ts';

type Db = Kysely<Database>;

export async function insertCampaign(db: Db, row: CampaignsTable): Promise<void> {
  await db.insertInto('campaigns').values(row).execute();
}

export async function findCampaign(db: Db, id: string): Promise<CampaignsTable | undefined> {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Changes a campaign whose status is one of `from`; answers whether it did. */
export async function updateCampaignIf(
  db: Db,
  id: string,
  from: readonly CampaignStatus[],
  patch: Partial<CampaignsTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('campaigns')
    .set(patch)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Newest first, keyset by (created_at, id). */
export async function listCampaigns(
  db: Db,
  limit: number,
  after?: { createdAt: number; id: string },
): Promise<CampaignsTable[]> {
  let q = db.selectFrom('campaigns').selectAll();
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    );
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Campaigns whose audience is to be built now: scheduled and due, or building (a build that was interrupted). */
export async function listBuildableCampaignIds(db: Db, now: number): Promise<string[]> {
  const rows = await db
    .selectFrom('campaigns')
    .select('id')
    .where((eb) =>
      eb.or([eb.and([eb('status', '=', 'scheduled'), eb('scheduled_at', '<=', now)]), eb('status', '=', 'building')]),
    )
    .orderBy('scheduled_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function listCampaignIdsIn(db: Db, statuses: readonly CampaignStatus[]): Promise<string[]> {
  const rows = await db
    .selectFrom('campaigns')
    .select('id')
    .where('status', 'in', [...statuses])
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Takes a building campaign's row for writing one page, at the cursor the page was read from: true when this
 * caller may write it. Several workers build side by side: on PostgreSQL the row is locked `for update skip
 * locked` until the page's transaction ends, so a second worker passes over a campaign whose page is being written
 * (and goes on to another campaign) instead of writing the same page and losing at the commit. SQLite has one
 * writer at a time: there the cursor's conditional update (advanceBuildCursor) is the guard, and this only checks.
 */
export async function lockCampaignPage(db: Db, id: string, expectedAfter: string | null): Promise<boolean> {
  let q = db
    .selectFrom('campaigns')
    .select('id')
    .where('id', '=', id)
    .where('status', '=', 'building')
    .where((eb) =>
      expectedAfter === null ? eb('audience_after', 'is', null) : eb('audience_after', '=', expectedAfter),
    );
  if (dbKindOf(db) === 'postgres') q = q.forUpdate().skipLocked();
  return (await q.executeTakeFirst()) !== undefined;
}

/**
 * Commits one built page: moves the cursor from `expectedAfter` to `after` while the campaign is still building.
 * False when someone else moved it or the campaign was paused meanwhile: the caller rolls the page back.
 */
export async function advanceBuildCursor(
  db: Db,
  id: string,
  expectedAfter: string | null,
  next: { after: string; count: number; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('campaigns')
    .set({ audience_after: next.after, built_count: next.count, updated_at: next.now })
    .where('id', '=', id)
    .where('status', '=', 'building')
    .where((eb) =>
      expectedAfter === null ? eb('audience_after', 'is', null) : eb('audience_after', '=', expectedAfter),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Of these subscriptions, those the campaign has a recipient row for already. */
export async function existingRecipients(db: Db, campaignId: string, subscriptionIds: string[]): Promise<Set<string>> {
  if (subscriptionIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('campaign_recipients')
    .select('subscription_id')
    .where('campaign_id', '=', campaignId)
    .where('subscription_id', 'in', subscriptionIds)
    .execute();
  return new Set(rows.map((r) => r.subscription_id));
}

export async function insertRecipients(db: Db, rows: CampaignRecipientsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('campaign_recipients')
      .values(rows.slice(i, i + 500))
      .execute();
}

export type StatusCounts = Partial<Record<RecipientStatus, number>>;

export async function countRecipientsByStatus(db: Db, campaignIds: string[]): Promise<Map<string, StatusCounts>> {
  const counts = new Map<string, StatusCounts>();
  if (campaignIds.length === 0) return counts;
  const rows = await db
    .selectFrom('campaign_recipients')
    .select(['campaign_id', 'status', sql<number>`count(*)`.as('n')])
    .where('campaign_id', 'in', campaignIds)
    .groupBy(['campaign_id', 'status'])
    .execute();
  for (const r of rows) {
    const c = counts.get(r.campaign_id) ?? {};
    c[r.status] = Number(r.n);
    counts.set(r.campaign_id, c);
  }
  return counts;
}

/** Mails of the campaign that reached the server since `since` (for the rate shown on the progress page). */
export async function countSentSince(db: Db, campaignId: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('campaign_recipients')
    .select(sql<number>`count(*)`.as('n'))
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'sent')
    .where('done_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Queued recipients' outbox ids, in subscription order after `afterSubscription`. */
export async function listQueuedRecipients(
  db: Db,
  campaignId: string,
  limit: number,
  afterSubscription?: string,
): Promise<{ subscription_id: string; outbox_id: string }[]> {
  let q = db
    .selectFrom('campaign_recipients')
    .select(['subscription_id', 'outbox_id'])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'queued');
  if (afterSubscription !== undefined) q = q.where('subscription_id', '>', afterSubscription);
  return q.orderBy('subscription_id').limit(limit).execute();
}

export async function setRecipientsStatus(
  db: Db,
  campaignId: string,
  outboxIds: string[],
  status: RecipientStatus,
  at: number,
): Promise<void> {
  if (outboxIds.length === 0) return;
  await db
    .updateTable('campaign_recipients')
    .set({ status, done_at: at })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'queued')
    .where('outbox_id', 'in', outboxIds)
    .execute();
}

/** One page of the recipient list, in subscription order (keyset). */
export async function listRecipientsPage(
  db: Db,
  campaignId: string,
  limit: number,
  afterSubscription?: string,
): Promise<CampaignRecipientsTable[]> {
  let q = db.selectFrom('campaign_recipients').selectAll().where('campaign_id', '=', campaignId);
  if (afterSubscription !== undefined) q = q.where('subscription_id', '>', afterSubscription);
  return q.orderBy('subscription_id').limit(limit).execute();
}
