// The newsletter: double opt-in sign-up, one-click unsubscribe (RFC 8058), the suppression list's other side, and
// the enrolment of purchasers (§ 7(3) UWG) and demo downloaders (consent) for marketing mail (issue 13).
import { defineFeature } from '../../feature.ts';
import { createSubscriptions } from './migrations/001-subscriptions.ts';
import { addConfirmationMails } from './migrations/002-confirmation-mails.ts';
import { addRenewals } from './migrations/003-renewals.ts';
import { newsletterDataMap } from './newsletter.data-map.ts';
import { registerNewsletterRoutes } from './newsletter.routes.ts';

export type { NewsletterTables, NewsletterSubscriptionsTable } from './newsletter.tables.ts';
export { unsubscribeLinks, validUnsubscribeToken, type UnsubscribeLinks } from './newsletter.links.ts';
export {
  countAudience,
  listAudiencePage,
  type AudienceFilter,
  type AudienceMember,
} from './newsletter.audience.queries.ts';
export {
  endSimilarProducts,
  enrolPurchaser,
  findConfirmedEmails,
  requestSubscription,
  resumeSimilarProducts,
  SIMILAR_PRODUCTS_LIST,
} from './newsletter.service.ts';

export const newsletterFeature = defineFeature({
  name: 'newsletter',
  migrations: [createSubscriptions, addConfirmationMails, addRenewals],
  dataMap: newsletterDataMap,
  routes: registerNewsletterRoutes,
  navigation: [
    {
      href: '/newsletter',
      label: { en: 'Newsletter', de: 'Newsletter' },
      place: 'legal',
      for: 'everyone',
      order: 60,
    },
  ],
  policyLinks: [
    {
      right: 'object-direct-marketing',
      href: '/account/subscriptions',
      label: { en: 'Subscriptions in your account', de: 'Abonnements in Ihrem Konto' },
      activity: 'newsletter.subscriptions',
      before: {
        en: 'To withdraw your consent to the newsletter, use',
        de: 'Ihre Einwilligung in den Newsletter widerrufen Sie über',
      },
      after: { en: 'or the unsubscribe link in every issue.', de: 'oder den Abmeldelink in jeder Ausgabe.' },
    },
  ],
});
