// The newsletter (consent, double opt-in) and the enrolment of purchasers for similar-product mail (§ 7(3) UWG):
// unconfirmed sign-ups go when their link expires; ended subscriptions are kept 3 years as proof of the former
// consent (Art. 7(1) GDPR), then deleted (decision 0050).
import type { DataMapPart } from '../../privacy/data-map.ts';

export const newsletterDataMap: DataMapPart = {
  activities: [
    {
      id: 'newsletter.subscriptions',
      name: { en: 'Newsletter', de: 'Newsletter' },
      purpose: {
        en: 'Sending the newsletter you subscribed to and confirmed, on the topics and in the language you chose. Only your email address is required. After you sign up (on the newsletter page, or by ticking the unticked box when downloading a demo) we send one mail with a link that works for a limited time; only when you press the button on the page it opens are you subscribed (double opt-in). As proof we keep when you signed up and confirmed, the shortened IP address (never the full one), the consent text you were shown with its version, and where you signed up. A sign-up you do not confirm is deleted when its link expires. You can withdraw your consent at any time: with the one-click link in every mail, on the unsubscribe page it leads to (this list or all our marketing mail), or with the switch in your account.',
        de: 'Versand des Newsletters, den Sie abonniert und bestätigt haben, zu den Themen und in der Sprache Ihrer Wahl. Nur Ihre E-Mail-Adresse ist erforderlich. Nach Ihrer Anmeldung (auf der Newsletter-Seite oder mit dem nicht vorausgewählten Kästchen beim Download einer Demo) senden wir eine E-Mail mit einem befristet gültigen Link; abonniert sind Sie erst, wenn Sie auf der Seite, die er öffnet, die Schaltfläche drücken (Double-Opt-in). Als Nachweis speichern wir, wann Sie sich angemeldet und bestätigt haben, die gekürzte IP-Adresse (nie die vollständige), den Einwilligungstext, der Ihnen gezeigt wurde, mit seiner Version und wo Sie sich angemeldet haben. Eine nicht bestätigte Anmeldung wird gelöscht, wenn ihr Link abläuft. Sie können Ihre Einwilligung jederzeit widerrufen: mit dem Ein-Klick-Link in jeder E-Mail, auf der Abmeldeseite, zu der er führt (diese Liste oder alle unsere Werbe-E-Mails), oder mit dem Schalter in Ihrem Konto.',
      },
      legalBasis: 'consent',
      consentCategory: 'marketing',
      subjects: {
        en: 'subscribers, including people who asked for the newsletter when downloading a demo',
        de: 'Abonnenten, auch Personen, die den Newsletter beim Download einer Demo bestellt haben',
      },
      recipients: [],
      objectable: true,
      // The confirmation, welcome and campaign mails leave through the outbox and its mail provider (mail.data-map.ts).
      uses: [{ table: 'outbox', columns: ['recipient', 'subject', 'body', 'html', 'headers'] }],
    },
  ],
  tables: [
    {
      table: 'newsletter_subscriptions',
      // Purchasers' rows (list similar-products) rest on § 7(3) UWG, not on consent: the export says so per row.
      rowActivity: { column: 'list', activities: { 'similar-products': 'advertising.similar-products' } },
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
        confirm_sent_at: 'preferences',
        confirm_window_from: 'preferences',
        confirm_count: 'not-personal',
        renewal: 'preferences',
        renewal_until: 'preferences',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'newsletter.delete-unconfirmed',
          what: { en: 'Sign-ups that were not confirmed', de: 'Nicht bestätigte Anmeldungen' },
          after: { days: 0 },
          from: 'pending_until',
          fromEvent: { en: 'the expiry of the confirmation link', de: 'dem Ablauf des Bestätigungslinks' },
          basis: {
            en: 'without the confirmation there is no consent, so nothing is kept',
            de: 'ohne Bestätigung gibt es keine Einwilligung, daher wird nichts aufbewahrt',
          },
          action: { kind: 'delete' },
        },
        {
          id: 'newsletter.clear-unconfirmed-renewal',
          what: {
            en: 'A new sign-up of an address that had unsubscribed, not confirmed',
            de: 'Eine nicht bestätigte neue Anmeldung einer zuvor abgemeldeten Adresse',
          },
          after: { days: 0 },
          from: 'renewal_until',
          fromEvent: { en: 'the expiry of its confirmation link', de: 'dem Ablauf ihres Bestätigungslinks' },
          basis: {
            en: 'without the confirmation there is no new consent; the proof of the former one stays for its own period',
            de: 'ohne Bestätigung gibt es keine neue Einwilligung; der Nachweis der früheren bleibt für seine eigene Frist',
          },
          action: { kind: 'clear', columns: ['renewal', 'renewal_until'] },
        },
        {
          id: 'newsletter.delete-ended',
          what: { en: 'Ended subscriptions', de: 'Beendete Abonnements' },
          after: { days: 3 * 365 },
          from: 'unsubscribed_at',
          fromEvent: { en: 'unsubscribing', de: 'der Abmeldung' },
          basis: {
            en: 'we must be able to prove a former consent under Art. 7 para. 1 GDPR for the regular limitation period of three years under § 195 BGB',
            de: 'wir müssen eine frühere Einwilligung nach Art. 7 Abs. 1 DSGVO nachweisen können, für die regelmäßige Verjährungsfrist von drei Jahren nach § 195 BGB',
          },
          action: { kind: 'delete' },
        },
      ],
      keptUntil: {
        en: 'until you unsubscribe, then 3 years as proof of the consent; unconfirmed sign-ups until their link expires',
        de: 'bis Sie sich abmelden, danach 3 Jahre als Nachweis der Einwilligung; unbestätigte Anmeldungen bis zum Ablauf ihres Links',
      },
    },
  ],
};
