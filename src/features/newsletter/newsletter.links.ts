// The links in every mail of a subscription: to unsubscribe with one click (RFC 8058) and to the page with the
// choices. Both carry a token derived from CANDOR_SECRET for the subscription's id (platform/secret-links.ts): the
// stored mail holds a placeholder, the token exists only in the message as sent. Unsubscribe links do not expire:
// an old mail must always let its reader leave.
import { isDerivedSecret, secretPlaceholder } from '../../platform/secret-links.ts';

const UNSUBSCRIBE = 'newsletter-unsubscribe';

/** The one-click target (POST `List-Unsubscribe=One-Click`, no cookie or CSRF token) and the page with the choices. */
export const ONE_CLICK_PATH = '/newsletter/unsubscribe/one-click';
export const UNSUBSCRIBE_PAGE_PATH = '/newsletter/unsubscribe';

export interface UnsubscribeLinks {
  /** For `List-Unsubscribe` (with `List-Unsubscribe-Post`): a form-encoded POST here unsubscribes at once. */
  oneClickUrl: string;
  /** The visible link in the mail: a page that offers the choices and confirms with a button. */
  pageUrl: string;
}

/** The links for a mail to `subscription.email`, with placeholders in place of the token (for the outbox). */
export function unsubscribeLinks(
  config: { secret: string; baseUrl: string },
  subscription: { id: string; email: string },
): UnsubscribeLinks {
  const token = secretPlaceholder(config.secret, UNSUBSCRIBE, subscription.id, subscription.email);
  const query = `s=${subscription.id}&t=${token}`;
  return {
    oneClickUrl: `${config.baseUrl}${ONE_CLICK_PATH}?${query}`,
    pageUrl: `${config.baseUrl}${UNSUBSCRIBE_PAGE_PATH}?${query}`,
  };
}

/** Constant-time check of the token of an unsubscribe link for a subscription id. */
export function validUnsubscribeToken(secret: string, subscriptionId: string, token: string): boolean {
  return isDerivedSecret(secret, UNSUBSCRIBE, subscriptionId, token);
}
