// Advertising for similar products to purchasers by email (§7(3) UWG, legitimate interest): only to customers
// who bought, never to anyone who objected or whose data is restricted; every mail carries a one-click
// opt-out (RFC 8058) that needs no sign-in.
import type { Deps } from '../../deps.ts';
import { formatEuro, isLang, type Lang, type Text } from '../../platform/i18n.ts';
import { isDerivedSecret, secretPlaceholder } from '../../platform/secret-links.ts';
import { findUserById } from '../accounts/index.ts';
import { findProductsByIds, listProducts, productTitle } from '../catalog/index.ts';
import { mayProcess } from '../../privacy/objections.ts';
import {
  recordObjection as recordAdvertisingObjection,
  SIMILAR_PRODUCTS,
  withdrawObjection,
} from './advertising.queries.ts';
import { enqueueMarketingMail } from '../mail/index.ts';
import {
  endSimilarProducts,
  enrolPurchaser,
  findConfirmedEmails,
  resumeSimilarProducts,
  SIMILAR_PRODUCTS_LIST,
} from '../newsletter/index.ts';
import { recordObjection } from '../../privacy/objections.ts';
import type { CheckoutChoice } from '../../feature.ts';
import { similarProductsMail } from './advertising.emails.ts';
import { listPurchases, type OrderLine } from '../orders/index.ts';

/**
 * The notice § 7(3) no. 4 UWG requires in every advertising mail to a customer (and at collection, on the checkout
 * page): that the customer may object at any time, at no cost other than transmission at basic rates.
 */
export const objectionNotice: Text = {
  en: 'You may object to our using your email address for such suggestions at any time, without incurring any costs other than the transmission costs at the basic rates.',
  de: 'Sie können der Verwendung Ihrer E-Mail-Adresse für solche Vorschläge jederzeit widersprechen, ohne dass hierfür andere als die Übermittlungskosten nach den Basistarifen entstehen.',
};

/** The opt-out token is HMAC(secret, "advertising-opt-out:<user id>"): the same as before secret links, so old mails keep working. */
const OPT_OUT = 'advertising-opt-out';

export function validOptOut(secret: string, userId: string, token: string): boolean {
  return isDerivedSecret(secret, OPT_OUT, userId, token);
}

/**
 * Queues one suggestion mail per eligible purchaser: products of the categories they bought from that they
 * do not own yet. Returns how many mails were queued.
 */
export async function sendSimilarProductMails(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'dataMap'>,
): Promise<number> {
  const bought = new Map<string, Set<string>>();
  for (const row of await listPurchases(deps.db)) {
    const set = bought.get(row.user_id) ?? new Set<string>();
    for (const line of JSON.parse(row.lines) as OrderLine[]) set.add(line.productId);
    bought.set(row.user_id, set);
  }
  let queued = 0;
  for (const [userId, productIds] of bought) {
    // Objections and restrictions are the privacy engine's to answer (privacy/objections.ts).
    if (!(await mayProcess(deps, userId, SIMILAR_PRODUCTS))) continue;
    const user = await findUserById(deps.db, userId);
    if (!user) continue;
    // Only purchasers enrolled at checkout after the notice (origin 'purchase'), and still subscribed.
    if (!(await findConfirmedEmails(deps.db, SIMILAR_PRODUCTS_LIST, [user.email])).has(user.email)) continue;
    const lang: Lang = isLang(user.lang) ? user.lang : 'en';
    const owned = await findProductsByIds(deps.db, [...productIds]);
    const categories = new Set(owned.map((p) => p.category_id).filter((c): c is string => c !== null));
    const suggestions = (await listProducts(deps.db, 100, 0))
      .filter((p) => !productIds.has(p.id) && p.category_id !== null && categories.has(p.category_id))
      .slice(0, 3);
    if (suggestions.length === 0) continue;
    // The stored mail holds a placeholder; the worker puts the token into the message as sent.
    const optOut = `${deps.config.baseUrl}/advertising/opt-out?u=${userId}&t=${secretPlaceholder(deps.config.secret, OPT_OUT, userId, user.email)}`;
    // § 7(3) no. 4 UWG: every such mail says that the customer may object at any time at no more than basic rates.
    const id = await enqueueMarketingMail(
      deps,
      similarProductsMail(lang, {
        to: user.email,
        name: user.name,
        suggestions: suggestions.map((p) => ({
          title: productTitle(p, lang),
          price: formatEuro(lang, p.price_cents),
          link: `${deps.config.baseUrl}/shop/${p.slug}`,
        })),
        optOut,
        account: `${deps.config.baseUrl}/account/advertising`,
        objectionNotice,
      }),
      { list: SIMILAR_PRODUCTS_LIST, oneClickUrl: optOut },
    );
    if (id) queued++;
  }
  return queued;
}

/**
 * An objection in the account or by the link in a mail: recorded, the purchase subscription ended and the address
 * suppressed for the list, in one transaction, so that suggestions already queued stay unsent as well.
 */
export async function objectToSuggestions(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  userId: string,
  via: 'account' | 'mail',
): Promise<void> {
  const now = deps.clock.now();
  const user = await findUserById(deps.db, userId);
  await deps.db.transaction().execute(async (trx) => {
    await recordAdvertisingObjection(trx, userId, now, via);
    if (user) await endSimilarProducts(trx, deps.config.suppressionKey, user.email, now);
  });
}

/** The objection taken back in the account: lifted, with the suppression it made; the purchase subscription resumes. */
export async function allowSuggestions(deps: Pick<Deps, 'db' | 'clock' | 'config'>, userId: string): Promise<void> {
  const now = deps.clock.now();
  const user = await findUserById(deps.db, userId);
  await deps.db.transaction().execute(async (trx) => {
    await withdrawObjection(trx, userId);
    if (user) await resumeSimilarProducts(trx, deps.config.suppressionKey, user.email, now);
  });
}

/** What the checkout shows under the order form, before the order is placed (§ 7(3) no. 3 UWG: at collection). */
export const checkoutNotice: Text = {
  en:
    'We may email you about our own products similar to those you buy, at the address of your account. ' +
    objectionNotice.en,
  de:
    'Wir senden Ihnen gegebenenfalls E-Mails zu unseren eigenen Produkten, die den gekauften ähneln, an die Adresse Ihres Kontos. ' +
    objectionNotice.de,
};

/**
 * The box under the order form: ticked, the purchaser objects at once and is not enrolled; left unticked, the
 * purchaser is enrolled for similar-product mail with the notice shown as its record (unless they objected before).
 * Not offered (an API order without the key: nobody showed the § 7(3) no. 3 UWG notice), nothing happens.
 */
export const noProductSuggestions: CheckoutChoice = {
  field: 'noProductSuggestions',
  order: 10,
  label: { en: 'I do not want emails about similar products', de: 'Ich möchte keine E-Mails zu ähnlichen Produkten' },
  notice: checkoutNotice,
  async onOrderPlaced(deps, placed) {
    const now = deps.clock.now();
    if (placed.checked) {
      await recordObjection(placed.db, now, {
        person: placed.userId,
        activity: SIMILAR_PRODUCTS,
        kind: 'objection',
        via: 'checkout',
      });
      await endSimilarProducts(placed.db, deps.config.suppressionKey, placed.email, now);
      return;
    }
    if (!placed.offered) return;
    const engine = { db: placed.db, dataMap: deps.dataMap, clock: deps.clock };
    if (!(await mayProcess(engine, placed.userId, SIMILAR_PRODUCTS))) return;
    await enrolPurchaser(placed.db, now, {
      userId: placed.userId,
      email: placed.email,
      lang: placed.lang,
      notice: checkoutNotice[placed.lang],
    });
  },
};
