// Subscriptions to marketing mail: the double opt-in of the newsletter (proof kept: time, IP prefix, the consent
// text shown and its version, the source), its confirmation by POST only, unsubscribing (one list or all marketing
// mail, with the suppression list), and the purchasers' similar-product list (§ 7(3) UWG). Every sign-up answers
// alike whatever exists, so the answer tells nobody whether an address is subscribed.
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { Deps } from '../../deps.ts';
import { DAY, HOUR, MINUTE } from '../../platform/clock.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import { isDerivedSecret, secretPlaceholder } from '../../platform/secret-links.ts';
import { liftObjection, recordObjection } from '../../privacy/objections.ts';
import { anonymiseIp } from '../../privacy/usage-log/ip.ts';
import { findUserByEmail, normaliseEmail } from '../accounts/index.ts';
import { ALL_MARKETING, enqueueMail, enqueueMarketingMail, liftSuppression, suppressAddress } from '../mail/index.ts';
import { confirmationMail, welcomeMail } from './newsletter.emails.ts';
import { unsubscribeLinks, validUnsubscribeToken } from './newsletter.links.ts';
import * as q from './newsletter.queries.ts';

type Db = Kysely<Database>;
export type ServiceDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

export const NEWSLETTER = 'newsletter';
export const SIMILAR_PRODUCTS_LIST = 'similar-products';
/** The activity whose objection a purchaser's "no" records (the advertising feature's, kept by the engine). */
export const SIMILAR_PRODUCTS_ACTIVITY = 'advertising.similar-products';

/** The topics one may choose; none chosen means all. */
export const TOPICS: Record<string, Text> = {
  products: { en: 'New products and updates', de: 'Neue Produkte und Updates' },
  offers: { en: 'Offers and discounts', de: 'Angebote und Rabatte' },
  tutorials: { en: 'Tutorials and tips', de: 'Anleitungen und Tipps' },
  events: { en: 'Events and workshops', de: 'Veranstaltungen und Workshops' },
};
export const TOPIC_IDS = Object.keys(TOPICS);

/** The consent text shown beside the sign-up form (and stored with each sign-up, with its version). */
export const consentText: Text = {
  en: 'I want to receive the newsletter by email on the chosen topics (all topics if none is chosen). I will receive a mail to confirm first; I can unsubscribe at any time with the link in every issue or in my account.',
  de: 'Ich möchte den Newsletter per E-Mail zu den gewählten Themen erhalten (alle Themen, wenn keines gewählt ist). Zuerst erhalte ich eine E-Mail zur Bestätigung; abmelden kann ich mich jederzeit über den Link in jeder Ausgabe oder in meinem Konto.',
};

/** The version of a text: the start of its SHA-256, so the stored proof names exactly the words shown. */
export function textVersion(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

const EMAIL = /^[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u;

export const invalidEmail = (): AppError =>
  errors.invalidFields({
    email: { en: 'Enter a valid email address.', de: 'Geben Sie eine gültige E-Mail-Adresse ein.' },
  });

/** The address as stored, or a 400 with the field marked. */
export function checkedEmail(raw: string): string {
  const email = normaliseEmail(raw);
  if (email.length > 254 || email.indexOf('@') > 64 || !EMAIL.test(email)) throw invalidEmail();
  return email;
}

export function checkedTopics(topics: string[]): string[] {
  const unknown = topics.filter((t) => !TOPIC_IDS.includes(t));
  if (unknown.length > 0)
    throw errors.invalidFields({
      topics: { en: 'Choose topics from the list.', de: 'Wählen Sie Themen aus der Liste.' },
    });
  return [...new Set(topics)].sort();
}

export interface SignUp {
  email: string;
  topics: string[];
  lang: Lang;
  /** The full address of the request: only its prefix is kept. */
  ip: string;
  /** `newsletter-page`, `api`, `demo-download:<slug>`, `account`. */
  source: string;
  origin: 'double-opt-in' | 'demo-download';
}

// ---- the confirmation link: purpose-bound, signed and expiring ----

const CONFIRM = 'newsletter-confirm';
/** A reference is the subscription id, '_' and the expiry in base 36 (9 digits): the expiry is signed with it. */
const REF = /^([0-9a-f-]{36})_([0-9a-z]{9})$/;
export const CONFIRM_REF_LENGTH = 46;

function confirmRef(id: string, expires: number): string {
  return `${id}_${expires.toString(36).padStart(9, '0')}`;
}

const MAILS_PER_WINDOW = 5;
const MAIL_GAP = 10 * MINUTE;

/** The proof of a sign-up: what the row keeps, or, for an unsubscribed address, its `renewal` until confirmed. */
interface SignUpProof {
  topics: string;
  lang: string;
  origin: string;
  requested_at: number;
  ip_prefix: string | null;
  consent_text: string;
  consent_version: string;
  source: string;
}

/**
 * A sign-up: a new or renewed pending row with its proof, and one confirmation mail unless the address had one in
 * the last 10 minutes or five in the last day; when no mail goes, nothing changes. An already confirmed
 * subscription is left as it is and gets no mail. An unsubscribed row keeps the proof of its former consent (kept
 * 3 years); the new request's proof waits beside it (`renewal`) until confirmed, and goes alone when it expires.
 */
export async function requestSubscription(deps: ServiceDeps, input: SignUp): Promise<void> {
  const email = checkedEmail(input.email);
  const topics = checkedTopics(input.topics);
  const now = deps.clock.now();
  const shown = consentText[input.lang];
  const proof: SignUpProof = {
    topics: JSON.stringify(topics),
    lang: input.lang,
    origin: input.origin,
    requested_at: now,
    ip_prefix: input.ip ? anonymiseIp(input.ip) : null,
    consent_text: shown,
    consent_version: textVersion(shown),
    source: input.source,
  };
  await deps.db.transaction().execute(async (trx) => {
    const existing = await q.findSubscription(trx, email, NEWSLETTER);
    if (existing?.status === 'confirmed') return;
    const windowOpen = existing?.confirm_window_from != null && now - existing.confirm_window_from < DAY;
    const count = windowOpen ? (existing?.confirm_count ?? 0) : 0;
    const tooSoon = existing?.confirm_sent_at != null && now - existing.confirm_sent_at < MAIL_GAP;
    const mail = !tooSoon && count < MAILS_PER_WINDOW;
    const expires = now + deps.config.newsletterConfirmHours * HOUR;
    // Rate-limited: no mail, so nothing is changed either (the answer is the same whatever happened).
    if (!mail) return;
    const id = existing?.id ?? randomUUID();
    const sent = {
      confirm_sent_at: now,
      confirm_window_from: windowOpen ? existing!.confirm_window_from : now,
      confirm_count: count + 1,
    };
    if (!existing) {
      await q.insertSubscription(trx, {
        id,
        email,
        user_id: null,
        list: NEWSLETTER,
        status: 'pending',
        confirmed_at: null,
        unsubscribed_at: null,
        pending_until: expires,
        confirm_sent_at: now,
        confirm_window_from: now,
        confirm_count: 1,
        renewal: null,
        renewal_until: null,
        ...proof,
      });
    } else if (existing.status === 'pending') {
      // A pending sign-up is renewed with the new proof; its link works until the new expiry.
      await q.updateSubscription(trx, id, { ...proof, pending_until: expires, ...sent });
    } else {
      // A former subscription keeps its proof and status; the request waits beside it (cleared at expiry).
      await q.updateSubscription(trx, id, { renewal: JSON.stringify(proof), renewal_until: expires, ...sent });
    }
    const ref = confirmRef(id, expires);
    const token = secretPlaceholder(deps.config.secret, CONFIRM, ref, email);
    const link = `${deps.config.baseUrl}${CONFIRM_PATH}?r=${ref}&t=${token}`;
    await enqueueMail(
      trx,
      deps.clock,
      confirmationMail(input.lang, { to: email, link, hours: deps.config.newsletterConfirmHours }),
    );
  });
}

export const CONFIRM_PATH = '/newsletter/confirm';

const expired = () =>
  new AppError(410, 'link_expired', {
    en: 'This confirmation link has expired, so nothing was subscribed. Please sign up again; you will get a new link.',
    de: 'Dieser Bestätigungslink ist abgelaufen, daher wurde nichts abonniert. Bitte melden Sie sich erneut an; Sie erhalten einen neuen Link.',
  });

/** Checks a confirmation link: 400 when altered, 410 when expired (or the sign-up is gone). Changes nothing. */
export async function checkConfirmLink(deps: ServiceDeps, ref: string, token: string): Promise<q.SubscriptionRow> {
  const m = REF.exec(ref);
  if (!m || !isDerivedSecret(deps.config.secret, CONFIRM, ref, token)) throw errors.badToken();
  const expires = parseInt(m[2]!, 36);
  const row = await q.findSubscriptionById(deps.db, m[1]!);
  if (row?.status === 'confirmed') return row;
  if (expires <= deps.clock.now() || !row) throw expired();
  if (row.status === 'pending' || (row.status === 'unsubscribed' && row.renewal != null)) return row;
  throw expired();
}

/** The POST of the confirmation page: confirmed, suppression lifted, account linked, and a welcome mail queued. */
export async function confirmSubscription(deps: ServiceDeps, ref: string, token: string): Promise<void> {
  const row = await checkConfirmLink(deps, ref, token);
  if (row.status === 'confirmed') return;
  const now = deps.clock.now();
  const user = await findUserByEmail(deps.db, row.email);
  // A renewal's proof becomes the subscription's now; until here the row kept the former consent's.
  const renewal = row.status === 'pending' ? {} : (JSON.parse(row.renewal ?? '{}') as Partial<SignUpProof>);
  const lang: Lang = (renewal.lang ?? row.lang) === 'de' ? 'de' : 'en';
  await deps.db.transaction().execute(async (trx) => {
    // Only while the status is still what was checked: a second POST racing this one changes and sends nothing.
    const changed = await q.updateSubscriptionIfStatus(trx, row.id, row.status, {
      ...renewal,
      status: 'confirmed',
      confirmed_at: now,
      unsubscribed_at: null,
      pending_until: null,
      renewal: null,
      renewal_until: null,
      // Only an account that proved it holds this address is linked (an unverified one could be anyone's).
      user_id: user?.email_verified_at ? user.id : null,
    });
    if (!changed) return;
    await liftSuppression(trx, deps.config.suppressionKey, row.email, NEWSLETTER);
    await enqueueWelcomeMail({ ...deps, db: trx }, row, lang);
  });
}

/** The first marketing mail of a subscription, with its one-click and visible unsubscribe links. */
async function enqueueWelcomeMail(deps: ServiceDeps, row: { id: string; email: string }, lang: Lang): Promise<void> {
  const links = unsubscribeLinks(deps.config, row);
  await enqueueMarketingMail(deps, welcomeMail(lang, { to: row.email, unsubscribe: links.pageUrl }), {
    list: NEWSLETTER,
    oneClickUrl: links.oneClickUrl,
  });
}

/**
 * Switching the newsletter on in the account: the signed-in holder of a verified address is the proof the
 * confirmation mail would give (decision 0050), so it is confirmed at once, with the proof kept as for a sign-up.
 */
export async function subscribeFromAccount(
  deps: ServiceDeps,
  p: { userId: string; email: string; lang: Lang; ip: string },
): Promise<void> {
  const now = deps.clock.now();
  const shown = consentText[p.lang];
  const proof = {
    user_id: p.userId,
    origin: 'account',
    status: 'confirmed',
    requested_at: now,
    confirmed_at: now,
    unsubscribed_at: null,
    pending_until: null,
    ip_prefix: p.ip ? anonymiseIp(p.ip) : null,
    consent_text: shown,
    consent_version: textVersion(shown),
    source: 'account',
    lang: p.lang,
    renewal: null,
    renewal_until: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    const existing = await q.findSubscription(trx, p.email, NEWSLETTER);
    if (existing?.status === 'confirmed') return;
    const id = existing?.id ?? randomUUID();
    if (existing) {
      // Once, as with the confirmation link: a second switch racing this one sends no second welcome mail.
      if (!(await q.updateSubscriptionIfStatus(trx, id, existing.status, proof))) return;
    } else
      await q.insertSubscription(trx, {
        id,
        email: p.email,
        list: NEWSLETTER,
        topics: '[]',
        confirm_sent_at: null,
        confirm_window_from: null,
        confirm_count: 0,
        ...proof,
      });
    await liftSuppression(trx, deps.config.suppressionKey, p.email, NEWSLETTER);
    await enqueueWelcomeMail({ ...deps, db: trx }, { id, email: p.email }, p.lang);
  });
}

// ---- unsubscribing ----

export type UnsubscribeScope = 'list' | 'all';

/** The subscription an unsubscribe link names, or 400 when the token does not fit. */
export async function checkUnsubscribeLink(deps: ServiceDeps, id: string, token: string): Promise<q.SubscriptionRow> {
  if (!validUnsubscribeToken(deps.config.secret, id, token)) throw errors.badToken();
  const row = await q.findSubscriptionById(deps.db, id);
  // A valid token for a row that is gone (erased, expired): the address is no longer subscribed to anything here.
  if (!row) throw errors.badToken();
  return row;
}

/**
 * Unsubscribes at once: `list` ends this subscription and suppresses its list for the address; `all` ends every
 * subscription of the address, suppresses all marketing mail and records an objection to the similar-product mail
 * for its account, if it has one.
 */
export async function unsubscribe(
  deps: ServiceDeps,
  row: q.SubscriptionRow,
  scope: UnsubscribeScope,
  via: 'mail' | 'account' = 'mail',
): Promise<void> {
  const now = deps.clock.now();
  const user = await findUserByEmail(deps.db, row.email);
  await deps.db.transaction().execute(async (trx) => {
    if (scope === 'all') await q.unsubscribeAllOfEmail(trx, row.email, now);
    else if (row.status !== 'unsubscribed')
      await q.updateSubscription(trx, row.id, { status: 'unsubscribed', unsubscribed_at: now, pending_until: null });
    const list = scope === 'all' ? ALL_MARKETING : row.list;
    await suppressAddress(trx, deps.config.suppressionKey, row.email, { list, reason: 'unsubscribed', at: now });
    if (user && (scope === 'all' || row.list === SIMILAR_PRODUCTS_LIST))
      await recordObjection(trx, now, { person: user.id, activity: SIMILAR_PRODUCTS_ACTIVITY, kind: 'objection', via });
  });
}

// ---- purchasers (§ 7(3) UWG) ----

/**
 * At checkout, in the order's transaction: a purchaser who did not object is enrolled for similar-product mail
 * (origin `purchase`, the notice shown as its text); one who had unsubscribed or objected before stays out.
 */
export async function enrolPurchaser(
  db: Db,
  now: number,
  p: { userId: string; email: string; lang: Lang; notice: string },
): Promise<void> {
  const existing = await q.findSubscription(db, p.email, SIMILAR_PRODUCTS_LIST);
  if (existing) {
    if (existing.status === 'pending')
      await q.updateSubscription(db, existing.id, { status: 'confirmed', confirmed_at: now, pending_until: null });
    return;
  }
  await q.insertSubscription(db, {
    id: randomUUID(),
    email: p.email,
    user_id: p.userId,
    list: SIMILAR_PRODUCTS_LIST,
    topics: '[]',
    lang: p.lang,
    origin: 'purchase',
    status: 'confirmed',
    requested_at: now,
    confirmed_at: now,
    unsubscribed_at: null,
    pending_until: null,
    ip_prefix: null,
    consent_text: p.notice,
    consent_version: textVersion(p.notice),
    source: 'checkout',
    confirm_sent_at: null,
    confirm_window_from: null,
    confirm_count: 0,
    renewal: null,
    renewal_until: null,
  });
}

/**
 * The purchaser objected (in the account, by mail, at checkout): the similar-product subscription ends and the
 * address is suppressed for that list, so that suggestions queued before the objection do not leave either
 * (delivery checks only the suppression list).
 */
export async function endSimilarProducts(db: Db, suppressionKey: string, email: string, now: number): Promise<void> {
  const row = await q.findSubscription(db, email, SIMILAR_PRODUCTS_LIST);
  if (row && row.status !== 'unsubscribed')
    await q.updateSubscription(db, row.id, { status: 'unsubscribed', unsubscribed_at: now, pending_until: null });
  await suppressAddress(db, suppressionKey, email, { list: SIMILAR_PRODUCTS_LIST, reason: 'unsubscribed', at: now });
}

/** The purchaser took the objection back: a subscription that came from a purchase is active again, unsuppressed. */
export async function resumeSimilarProducts(db: Db, suppressionKey: string, email: string, now: number): Promise<void> {
  const row = await q.findSubscription(db, email, SIMILAR_PRODUCTS_LIST);
  if (row && row.status === 'unsubscribed')
    await q.updateSubscription(db, row.id, { status: 'confirmed', confirmed_at: now, unsubscribed_at: null });
  await liftSuppression(db, suppressionKey, email, SIMILAR_PRODUCTS_LIST);
}

/** The account switches suggestions on again: objection lifted, the purchase subscription active. */
export async function resumeSimilarProductsFromAccount(
  deps: ServiceDeps,
  p: { userId: string; email: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await liftObjection(trx, p.userId, SIMILAR_PRODUCTS_ACTIVITY, 'objection');
    await resumeSimilarProducts(trx, deps.config.suppressionKey, p.email, now);
  });
}

export { findConfirmedEmails, listSubscriptionsOfEmail } from './newsletter.queries.ts';
