// Campaigns hold staff-written content (not personal) and who wrote it; their recipients are the newsletter's
// subscribers, held per campaign (address, language, the mail's state) for as long as the outbox keeps the mail.
import type { DataMapPart } from '../../privacy/data-map.ts';

export const campaignsDataMap: DataMapPart = {
  activities: [
    {
      id: 'campaigns.authors',
      name: { en: 'Newsletter campaigns by our staff', de: 'Newsletter-Aussendungen durch unsere Mitarbeiter' },
      purpose: {
        en: 'Recording which staff member wrote a newsletter campaign, so that what was sent to subscribers can be traced to the person responsible.',
        de: 'Festhalten, welcher Mitarbeiter eine Newsletter-Aussendung verfasst hat, damit sich das an Abonnenten Versandte der verantwortlichen Person zuordnen lässt.',
      },
      legalBasis: 'legitimate-interests',
      basisDetail: {
        en: 'Our interest in knowing who is responsible for each advertising mail we send.',
        de: 'Unser Interesse daran, zu wissen, wer für jede von uns versandte Werbe-E-Mail verantwortlich ist.',
      },
      subjects: { en: 'our staff', de: 'unsere Mitarbeiter' },
      recipients: [],
    },
  ],
  tables: [
    {
      table: 'campaigns',
      activity: 'campaigns.authors',
      subject: { via: 'user-id', column: 'created_by' },
      columns: {
        id: 'not-personal',
        subject_en: 'not-personal',
        subject_de: 'not-personal',
        body_en: 'not-personal',
        body_de: 'not-personal',
        topic: 'not-personal',
        lang: 'not-personal',
        status: 'not-personal',
        scheduled_at: 'not-personal',
        created_by: 'account',
        created_at: 'not-personal',
        updated_at: 'not-personal',
        started_at: 'not-personal',
        built_at: 'not-personal',
        finished_at: 'not-personal',
        audience_after: 'not-personal',
        built_count: 'not-personal',
        paused_from: 'not-personal',
      },
      erasure: { action: 'anonymise', columns: ['created_by'] },
      retention: [],
      keptUntil: {
        en: 'The name of a campaign’s author is kept with the campaign until the staff member’s account data is erased.',
        de: 'Wer eine Aussendung verfasst hat, bleibt bei der Aussendung gespeichert, bis die Kontodaten des Mitarbeiters gelöscht werden.',
      },
    },
    {
      table: 'campaign_recipients',
      refersTo: ['campaigns'],
      activity: 'newsletter.subscriptions',
      subject: { via: 'email', column: 'email' },
      columns: {
        campaign_id: 'not-personal',
        subscription_id: 'preferences',
        email: 'contact',
        lang: 'language',
        user_id: 'account',
        outbox_id: 'not-personal',
        status: 'communication',
        created_at: 'communication',
        done_at: 'communication',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'campaigns.delete-delivered-recipients',
          what: { en: 'Recipients of a newsletter campaign', de: 'Empfänger einer Newsletter-Aussendung' },
          after: { days: 30 },
          from: 'done_at',
          fromEvent: { en: 'sending', de: 'dem Versand' },
          basis: {
            en: 'as long as the sent email itself, to answer whether and when we sent you a newsletter',
            de: 'so lange wie die versandte E-Mail selbst, um beantworten zu können, ob und wann wir Ihnen einen Newsletter gesandt haben',
          },
          action: { kind: 'delete' },
        },
        {
          id: 'campaigns.delete-undelivered-recipients',
          what: {
            en: 'Recipients of a newsletter campaign that was stopped before it reached them',
            de: 'Empfänger einer Newsletter-Aussendung, die angehalten wurde, bevor sie sie erreichte',
          },
          after: { days: 90 },
          from: 'created_at',
          fromEvent: { en: 'the campaign’s start', de: 'dem Beginn der Aussendung' },
          basis: {
            en: 'a campaign paused for longer than that is not resumed; we chose 90 days',
            de: 'eine länger angehaltene Aussendung wird nicht fortgesetzt; wir haben 90 Tage gewählt',
          },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
