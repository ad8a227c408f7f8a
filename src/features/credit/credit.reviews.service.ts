// The human review of a declined credit check (Art. 22(3) GDPR; decision 0026): the customer asks for it about
// their own declined check, once per check, within REVIEW_WINDOW_DAYS, with an optional statement; staff approve or
// reject with a note and the customer is mailed the outcome. An approval lets one next order of the same account,
// billing identity and method, up to the declined amount, pass without asking the agency, within APPROVAL_DAYS.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { DAY } from '../../platform/clock.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import type { Operator } from '../../platform/operator.ts';
import { findUserById } from '../accounts/index.ts';
import { enqueueMail } from '../mail/index.ts';
import type { CreditCheckRequest } from '../../shop/credit-agency.ts';
import { reviewApprovedMail, reviewRejectedMail } from './credit.reviews.emails.ts';
import * as q from './credit.reviews.queries.ts';
import { encodeCursor, parseNumberCursor } from '../../web/keyset.ts';
import { billingKey, type BillingIdentity } from './credit.service.ts';
import type { CreditChecksTable, CreditReviewsTable } from './credit.tables.ts';

/** How long after a decline the customer may ask for a review. */
export const REVIEW_WINDOW_DAYS = 30;
/** How long an approval holds for the next order. */
export const APPROVAL_DAYS = 14;
export const STATEMENT_MAX = 2000;
export const NOTE_MAX = 2000;

/** What a declined check concerned, as the customer and staff see it (never the agency's reason for the customer). */
export interface ReviewableCheck {
  id: string;
  answeredAt: number;
  amountCents: number;
  method: CreditReviewsTable['method'];
  billing: BillingIdentity;
}

const reviewExists = () =>
  new AppError(409, 'review_already_requested', {
    en: 'You have already asked for a review of this decision. We will write to you as soon as it has been reviewed.',
    de: 'Sie haben um die Überprüfung dieser Entscheidung bereits gebeten. Wir schreiben Ihnen, sobald sie überprüft ist.',
  });
/** Past the window: the way on is the operator's data protection contact, named as configured (no gendered form). */
const windowOver = (dpo: Operator['dpo']) => {
  const title = dpo.title ?? { en: 'data protection contact', de: 'Datenschutz-Kontakt' };
  return new AppError(409, 'review_window_over', {
    en: `A review can be requested within ${REVIEW_WINDOW_DAYS} days of the decision. If you still wish to contest it, please write to ${dpo.name} (${title.en}) at ${dpo.email}.`,
    de: `Eine Überprüfung kann innerhalb von ${REVIEW_WINDOW_DAYS} Tagen nach der Entscheidung beantragt werden. Wenn Sie die Entscheidung dennoch anfechten möchten, schreiben Sie bitte an ${dpo.name} (${title.de}): ${dpo.email}.`,
  });
};
/** Staff decided a request already decided (by a colleague at the same moment, or a form sent twice). */
const alreadyDecided = (status: CreditReviewsTable['status']) =>
  new AppError(
    409,
    'review_already_decided',
    status === 'approved'
      ? {
          en: 'This request was already decided (approved), by a colleague or by an earlier submission. Nothing was changed.',
          de: 'Über diesen Antrag wurde bereits entschieden (freigegeben), von einer Kollegin, einem Kollegen oder durch ein früheres Absenden. Es wurde nichts geändert.',
        }
      : {
          en: 'This request was already decided (decline confirmed), by a colleague or by an earlier submission. Nothing was changed.',
          de: 'Über diesen Antrag wurde bereits entschieden (Ablehnung bestätigt), von einer Kollegin, einem Kollegen oder durch ein früheres Absenden. Es wurde nichts geändert.',
        },
  );
/** An unknown request id (deleted with its check, or never there). */
const reviewNotFound = () =>
  new AppError(404, 'review_not_found', {
    en: 'This request does not exist (any more): it may have been deleted together with the credit check it concerned. Nothing was changed.',
    de: 'Diesen Antrag gibt es nicht (mehr): Er wurde möglicherweise mit der Bonitätsprüfung gelöscht, die er betraf. Es wurde nichts geändert.',
  });

/** Trimmed, at most `max` characters (control characters are refused for every form by platform/http/security.ts); empty → null. */
function cleanText(raw: string | undefined, max: number, field: string): string | null {
  const text = (raw ?? '').replace(/\r\n/g, '\n').trim();
  const tooLong: Text = { en: `At most ${max} characters.`, de: `Höchstens ${max} Zeichen.` };
  if (text.length > max) throw errors.invalidFields({ [field]: tooLong });
  return text === '' ? null : text;
}

function reviewable(check: CreditChecksTable): ReviewableCheck {
  const sent = JSON.parse(check.sent) as CreditCheckRequest;
  return {
    id: check.id,
    answeredAt: check.answered_at,
    amountCents: sent.amountCents,
    method: sent.method,
    billing: {
      name: sent.name,
      street: sent.street,
      postalCode: sent.postalCode,
      city: sent.city,
      country: sent.country,
    },
  };
}

/** The customer's declined checks of the last REVIEW_WINDOW_DAYS that they have not asked to be reviewed yet. */
export async function listReviewableChecks(
  deps: Pick<Deps, 'db' | 'clock'>,
  userId: string,
): Promise<ReviewableCheck[]> {
  const since = deps.clock.now() - REVIEW_WINDOW_DAYS * DAY;
  return (await q.listDeclinedChecksWithoutReview(deps.db, userId, since)).map(reviewable);
}

export async function listReviewsOfUser(deps: Pick<Deps, 'db'>, userId: string): Promise<CreditReviewsTable[]> {
  return q.listCreditReviewsOfUser(deps.db, userId);
}

/**
 * The customer asks for a person to review their declined check, with their view. Someone else's check, an
 * approved one or an unknown id is "not found" (it tells nothing about others' checks); a second request is refused.
 */
export async function requestCreditReview(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  userId: string,
  checkId: string,
  rawStatement: string | undefined,
): Promise<CreditReviewsTable> {
  const statement = cleanText(rawStatement, STATEMENT_MAX, 'statement');
  const check = await q.findCreditCheckById(deps.db, checkId);
  if (!check || check.user_id !== userId || check.decision !== 'declined') throw errors.notFound();
  if (await q.findCreditReviewOfCheck(deps.db, check.id)) throw reviewExists();
  const now = deps.clock.now();
  if (check.answered_at < now - REVIEW_WINDOW_DAYS * DAY) throw windowOver(deps.config.operator.dpo);
  const what = reviewable(check);
  const row: CreditReviewsTable = {
    id: randomUUID(),
    check_id: check.id,
    user_id: userId,
    method: what.method,
    amount_cents: what.amountCents,
    billing: JSON.stringify(what.billing),
    billing_key: billingKey(deps.config.secret, what.billing),
    statement,
    requested_at: now,
    status: 'open',
    staff_note: null,
    decided_at: null,
    approval_expires_at: null,
    approval_used_at: null,
    approval_order_id: null,
  };
  try {
    await q.insertCreditReview(deps.db, row);
  } catch (err) {
    if (isUniqueViolation(err)) throw reviewExists(); // the same request twice at once
    throw err;
  }
  return row;
}

/** Rows per page of staff's queue (keyset, web/keyset.ts). */
export const REVIEWS_PAGE = 50;

/** One page of staff's queue, oldest first; `after` is the page's cursor, `next` that of the following page. */
export async function listOpenCreditReviews(
  deps: Pick<Deps, 'db'>,
  after?: string,
  limit = REVIEWS_PAGE,
): Promise<{ reviews: q.OpenCreditReview[]; next: string | null }> {
  const cursor = parseNumberCursor(after);
  const rows = await q.listOpenCreditReviews(
    deps.db,
    limit + 1,
    cursor && { requestedAt: cursor.value, id: cursor.id },
  );
  const reviews = rows.slice(0, limit);
  const last = reviews.at(-1);
  return { reviews, next: rows.length > limit && last ? encodeCursor(last.requested_at, last.id) : null };
}

/** What else belongs to a decision, written in its transaction (the access audit entry of the staff member). */
export type AlongWithDecision = (trx: Deps['db'], review: CreditReviewsTable) => Promise<void>;

/**
 * Staff's decision on an open request, once, with the mail to the customer and `alongWith` (the access audit) in the
 * same transaction: all or nothing. A rejection needs a note (the customer is told why); an approval holds for
 * APPROVAL_DAYS.
 */
export async function decideCreditReview(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  reviewId: string,
  outcome: 'approve' | 'reject',
  rawNote: string | undefined,
  alongWith: AlongWithDecision = async () => {},
): Promise<CreditReviewsTable> {
  const note = cleanText(rawNote, NOTE_MAX, 'note');
  if (outcome === 'reject' && note === null) {
    const why: Text = {
      en: 'Please give the reasons in the note to confirm the decline: the customer receives them.',
      de: 'Bitte geben Sie die Gründe in der Anmerkung an, um die Ablehnung zu bestätigen: Der Kunde erhält sie.',
    };
    throw errors.invalid(why, { note: why });
  }
  const review = await q.findCreditReviewById(deps.db, reviewId);
  if (!review) throw reviewNotFound();
  if (review.status !== 'open') throw alreadyDecided(review.status);
  const now = deps.clock.now();
  const changes = {
    status: outcome === 'approve' ? ('approved' as const) : ('rejected' as const),
    staff_note: note,
    decided_at: now,
    approval_expires_at: outcome === 'approve' ? now + APPROVAL_DAYS * DAY : null,
  };
  return deps.db.transaction().execute(async (trx) => {
    if (!(await q.decideOpenCreditReview(trx, review.id, changes))) {
      const current = await q.findCreditReviewById(trx, review.id);
      throw current ? alreadyDecided(current.status) : reviewNotFound();
    }
    const user = await findUserById(trx, review.user_id);
    if (user) {
      const lang: Lang = user.lang === 'de' ? 'de' : 'en';
      const outcomeFacts = {
        to: user.email,
        lang,
        method: review.method,
        amountCents: review.amount_cents,
        note: note ?? '',
        checkoutLink: `${deps.config.baseUrl}/checkout`,
        privacyLink: `${deps.config.baseUrl}/privacy`,
        timeZone: deps.config.operator.timeZone,
      };
      const mail =
        changes.approval_expires_at !== null
          ? reviewApprovedMail({ ...outcomeFacts, expiresAt: changes.approval_expires_at })
          : reviewRejectedMail(outcomeFacts);
      await enqueueMail(trx, deps.clock, mail);
    }
    const decidedReview = { ...review, ...changes };
    await alongWith(trx, decidedReview);
    return decidedReview;
  });
}

/**
 * Uses an approval for this order, if one holds: same account, billing identity and method, amount at most the
 * approved one, unused and unexpired. True when used (then no agency is asked); once only, even for concurrent
 * orders. The order holds it: should the order fail or be withdrawn unpaid, releaseCreditApproval gives it back.
 */
export async function useCreditApproval(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  userId: string,
  orderId: string,
  billing: BillingIdentity,
  method: CreditReviewsTable['method'],
  amountCents: number,
): Promise<boolean> {
  const now = deps.clock.now();
  const filter = { billingKey: billingKey(deps.config.secret, billing), method, amountCents };
  for (const approval of await q.listUsableApprovals(deps.db, userId, now, filter))
    if (await q.useApproval(deps.db, approval.id, orderId, now)) return true;
  return false;
}

/**
 * Gives back the approval an order used, when that order failed or was withdrawn without being paid (a declined
 * card, an abandoned or superseded payment page): the approval was granted for a payment, not for an attempt.
 * Runs in the caller's transaction, with the order's change of state.
 */
export async function releaseCreditApproval(db: Deps['db'], orderId: string): Promise<void> {
  await q.releaseApprovalOfOrder(db, orderId);
}

/** Whether the account holds an unused, unexpired approval for the method (the checkout then offers it). */
export async function hasCreditApproval(
  deps: Pick<Deps, 'db' | 'clock'>,
  userId: string,
  method: CreditReviewsTable['method'],
): Promise<boolean> {
  return (await q.listUsableApprovals(deps.db, userId, deps.clock.now(), { method })).length > 0;
}
