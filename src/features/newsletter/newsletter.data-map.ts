// The newsletter (consent, double opt-in) and the enrolment of purchasers for similar-product mail (§ 7(3) UWG).
// Issue 13: the newsletter helper completes this part (retention of unconfirmed sign-ups, policy texts).
import type { DataMapPart } from '../../privacy/data-map.ts';

export const newsletterDataMap: DataMapPart = {
  activities: [
    {
      id: 'newsletter.subscriptions',
      name: { en: 'Newsletter', de: 'Newsletter' },
      purpose: {
        en: 'Sending the newsletter you subscribed to and confirmed, on the topics and in the language you chose.',
        de: 'Versand des Newsletters, den Sie abonniert und bestätigt haben, zu den Themen und in der Sprache Ihrer Wahl.',
      },
      legalBasis: 'consent',
      consentCategory: 'marketing',
      subjects: { en: 'subscribers', de: 'Abonnenten' },
      recipients: [],
      objectable: true,
    },
  ],
  tables: [
    {
      table: 'newsletter_subscriptions',
      activity: 'newsletter.subscriptions',
      subject: { via: 'email', column: 'email' },
      columns: {
        id: 'not-personal',
        email: 'contact',
        user_id: 'account',
        list: 'preferences',
        topics: 'preferences',
        lang: 'language',
        origin: 'preferences',
        status: 'preferences',
        requested_at: 'preferences',
        confirmed_at: 'preferences',
        unsubscribed_at: 'preferences',
        pending_until: 'preferences',
        ip_prefix: 'ip-prefix',
        consent_text: 'preferences',
        consent_version: 'preferences',
        source: 'preferences',
      },
      erasure: { action: 'delete' },
      retention: [],
      keptUntil: { en: 'until you unsubscribe', de: 'bis Sie sich abmelden' },
    },
  ],
};
