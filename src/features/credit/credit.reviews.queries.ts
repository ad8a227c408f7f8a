// SQL of the human review of declined credit checks: the requests, staff's queue and the single use of an approval.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { CreditChecksTable, CreditReviewsTable } from './credit.tables.ts';

export async function findCreditCheckById(db: Kysely<Database>, id: string): Promise<CreditChecksTable | undefined> {
  return db.selectFrom('credit_checks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A customer's declined checks answered since `since`, newest first, with no review requested yet. */
export async function listDeclinedChecksWithoutReview(
  db: Kysely<Database>,
  userId: string,
  since: number,
): Promise<CreditChecksTable[]> {
  return db
    .selectFrom('credit_checks')
    .selectAll()
    .where('user_id', '=', userId)
    .where('decision', '=', 'declined')
    .where('answered_at', '>=', since)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('credit_reviews')
            .select('credit_reviews.id')
            .whereRef('credit_reviews.check_id', '=', 'credit_checks.id'),
        ),
      ),
    )
    .orderBy('answered_at', 'desc')
    .limit(20)
    .execute();
}

export async function insertCreditReview(db: Kysely<Database>, row: CreditReviewsTable): Promise<void> {
  await db.insertInto('credit_reviews').values(row).execute();
}

export async function findCreditReviewById(db: Kysely<Database>, id: string): Promise<CreditReviewsTable | undefined> {
  return db.selectFrom('credit_reviews').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCreditReviewOfCheck(
  db: Kysely<Database>,
  checkId: string,
): Promise<CreditReviewsTable | undefined> {
  return db.selectFrom('credit_reviews').selectAll().where('check_id', '=', checkId).executeTakeFirst();
}

export async function listCreditReviewsOfUser(db: Kysely<Database>, userId: string): Promise<CreditReviewsTable[]> {
  return db
    .selectFrom('credit_reviews')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('requested_at', 'desc')
    .limit(50)
    .execute();
}

export type OpenCreditReview = CreditReviewsTable & Pick<CreditChecksTable, 'decision' | 'reason' | 'answered_at'>;

/**
 * Staff's queue: open requests, oldest first (then by id), with the decision and the agency's reason from the check.
 * `after` is the last row of the page before (keyset); asks for `limit` rows: pass one more than a page.
 */
export async function listOpenCreditReviews(
  db: Kysely<Database>,
  limit: number,
  after?: { requestedAt: number; id: string },
): Promise<OpenCreditReview[]> {
  let q = db
    .selectFrom('credit_reviews')
    .innerJoin('credit_checks', 'credit_checks.id', 'credit_reviews.check_id')
    .selectAll('credit_reviews')
    .select(['credit_checks.decision', 'credit_checks.reason', 'credit_checks.answered_at'])
    .where('credit_reviews.status', '=', 'open');
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('credit_reviews.requested_at', '>', after.requestedAt),
        eb.and([eb('credit_reviews.requested_at', '=', after.requestedAt), eb('credit_reviews.id', '>', after.id)]),
      ]),
    );
  return q.orderBy('credit_reviews.requested_at', 'asc').orderBy('credit_reviews.id', 'asc').limit(limit).execute();
}

/** Open → approved or rejected, once: false when the request was decided meanwhile (or does not exist). */
export async function decideOpenCreditReview(
  db: Kysely<Database>,
  id: string,
  changes: Pick<CreditReviewsTable, 'status' | 'staff_note' | 'decided_at' | 'approval_expires_at'>,
): Promise<boolean> {
  const r = await db
    .updateTable('credit_reviews')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Approvals of this account and billing identity that are unused and unexpired at `now`, for the method. */
export async function listUsableApprovals(
  db: Kysely<Database>,
  userId: string,
  now: number,
  filter: { billingKey?: string; method?: CreditReviewsTable['method']; amountCents?: number } = {},
): Promise<CreditReviewsTable[]> {
  let query = db
    .selectFrom('credit_reviews')
    .selectAll()
    .where('user_id', '=', userId)
    .where('status', '=', 'approved')
    .where('approval_used_at', 'is', null)
    .where('approval_expires_at', '>', now);
  if (filter.billingKey !== undefined) query = query.where('billing_key', '=', filter.billingKey);
  if (filter.method !== undefined) query = query.where('method', '=', filter.method);
  if (filter.amountCents !== undefined) query = query.where('amount_cents', '>=', filter.amountCents);
  return query.orderBy('approval_expires_at', 'asc').execute();
}

/**
 * Marks an approval used by `orderId`, in one statement (two orders at once cannot both use it); false when
 * already used.
 */
export async function useApproval(db: Kysely<Database>, id: string, orderId: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('credit_reviews')
    .set({ approval_used_at: now, approval_order_id: orderId })
    .where('id', '=', id)
    .where('approval_used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives back the approval an order held (the order failed or was withdrawn unpaid); no-op when it held none. */
export async function releaseApprovalOfOrder(db: Kysely<Database>, orderId: string): Promise<void> {
  await db
    .updateTable('credit_reviews')
    .set({ approval_used_at: null, approval_order_id: null })
    .where('approval_order_id', '=', orderId)
    .execute();
}
