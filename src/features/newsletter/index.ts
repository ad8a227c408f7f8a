// The newsletter: double opt-in sign-up, one-click unsubscribe (RFC 8058), the suppression list's other side, and
// the enrolment of purchasers (§ 7(3) UWG) and demo downloaders (consent) for marketing mail (issue 13).
import { defineFeature } from '../../feature.ts';
import { createSubscriptions } from './migrations/001-subscriptions.ts';
import { newsletterDataMap } from './newsletter.data-map.ts';

export type { NewsletterTables, NewsletterSubscriptionsTable } from './newsletter.tables.ts';
export { unsubscribeLinks, validUnsubscribeToken, type UnsubscribeLinks } from './newsletter.links.ts';

export const newsletterFeature = defineFeature({
  name: 'newsletter',
  migrations: [createSubscriptions],
  dataMap: newsletterDataMap,
});
