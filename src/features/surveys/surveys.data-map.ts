// Surveys to purchasers (policy 3b). An invitation by mail is advertising (BGH VI ZR 225/17), so it rests on
// consent; withdrawing it deletes the consent, the invitations and the answers at once. Staff see answers only in
// aggregate; the answers' link to their person is kept for export, erasure and withdrawal, never shown.
import type { DataMapPart } from '../../privacy/data-map.ts';

export const SURVEYS_ACTIVITY = 'surveys.invitations';

export const surveysDataMap: DataMapPart = {
  activities: [
    {
      id: SURVEYS_ACTIVITY,
      name: { en: 'Customer surveys', de: 'Kundenbefragungen' },
      purpose: {
        en: 'Inviting customers who agreed to it by email to short surveys about products they bought, and evaluating the answers to improve our products and service. Staff see the answers only as totals, and no figure at all while fewer than five people answered. You can withdraw your consent at any time, in your account or with the link in every invitation; your answers are then deleted at once.',
        de: 'Einladung von Kunden, die dem zugestimmt haben, per E-Mail zu kurzen Umfragen über gekaufte Produkte, und Auswertung der Antworten, um unsere Produkte und unseren Service zu verbessern. Unsere Beschäftigten sehen die Antworten nur zusammengefasst, und solange weniger als fünf Personen geantwortet haben, gar keine Zahlen. Sie können Ihre Einwilligung jederzeit widerrufen, im Kundenkonto oder über den Link in jeder Einladung; Ihre Antworten werden dann sofort gelöscht.',
      },
      legalBasis: 'consent',
      basisDetail: {
        en: 'An invitation to a survey by email is advertising, so we send one only with your consent (§ 7(2) no. 2 UWG).',
        de: 'Eine Einladung zu einer Umfrage per E-Mail ist Werbung; wir senden sie deshalb nur mit Ihrer Einwilligung (§ 7 Abs. 2 Nr. 2 UWG).',
      },
      consentCategory: 'marketing',
      subjects: {
        en: 'customers who agreed to be invited to surveys',
        de: 'Kunden, die der Einladung zu Umfragen zugestimmt haben',
      },
      recipients: [],
      objectable: true,
      requirement: {
        required: {
          en: 'Taking part is voluntary: nothing depends on it.',
          de: 'Die Teilnahme ist freiwillig: Nichts hängt davon ab.',
        },
        without: {
          en: 'Without your consent we send you no invitation.',
          de: 'Ohne Ihre Einwilligung senden wir Ihnen keine Einladung.',
        },
      },
      // Who is invited: purchasers of the survey's products (orders), their address and language (users); the
      // invitation goes through the outbox.
      uses: [
        { table: 'orders', columns: ['user_id', 'lines', 'status'] },
        { table: 'users', columns: ['id', 'name', 'email', 'lang'] },
        { table: 'outbox', columns: ['recipient', 'subject', 'body', 'headers'] },
      ],
    },
  ],
  tables: [
    {
      table: 'surveys',
      activity: SURVEYS_ACTIVITY,
      subject: null,
      columns: {
        id: 'not-personal',
        title_en: 'not-personal',
        title_de: 'not-personal',
        intro_en: 'not-personal',
        intro_de: 'not-personal',
        questions: 'not-personal',
        product_ids: 'not-personal',
        retention_days: 'not-personal',
        status: 'not-personal',
        created_at: 'not-personal',
        opened_at: 'not-personal',
        closed_at: 'not-personal',
      },
      erasure: null,
      retention: [],
    },
    {
      table: 'survey_consents',
      activity: SURVEYS_ACTIVITY,
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        user_id: 'account',
        given_at: 'preferences',
        source: 'preferences',
        consent_text: 'preferences',
        consent_version: 'preferences',
        lang: 'language',
      },
      erasure: { action: 'delete' },
      retention: [],
      keptUntil: {
        en: 'Your consent to survey invitations, with the text you agreed to and when, is kept until you withdraw it or ask us to erase your data.',
        de: 'Ihre Einwilligung in Einladungen zu Umfragen wird mit dem Text, dem Sie zugestimmt haben, und dem Zeitpunkt gespeichert, bis Sie sie widerrufen oder die Löschung Ihrer Daten verlangen.',
      },
    },
    {
      table: 'survey_invitations',
      refersTo: ['surveys'],
      activity: SURVEYS_ACTIVITY,
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        id: 'online-identifier',
        survey_id: 'not-personal',
        user_id: 'account',
        lang: 'language',
        invited_at: 'usage',
        responded_at: 'usage',
      },
      erasure: { action: 'delete' },
      retention: [],
      keptUntil: {
        en: 'An invitation is kept as long as its survey, so that each invitation is answered only once; it is deleted with the survey, when you withdraw your consent or when you ask us to erase your data.',
        de: 'Eine Einladung wird so lange gespeichert wie ihre Umfrage, damit jede Einladung nur einmal beantwortet wird; sie wird mit der Umfrage gelöscht, wenn Sie Ihre Einwilligung widerrufen oder die Löschung Ihrer Daten verlangen.',
      },
    },
    {
      table: 'survey_responses',
      refersTo: ['surveys'],
      activity: SURVEYS_ACTIVITY,
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        id: 'not-personal',
        survey_id: 'not-personal',
        user_id: 'account',
        answers: 'communication',
        submitted_at: 'usage',
        delete_after: 'not-personal',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'surveys.delete-answers',
          what: { en: 'Survey answers', de: 'Antworten auf Umfragen' },
          after: { days: 0 },
          from: 'delete_after',
          fromEvent: {
            en: 'the end of the survey’s retention period (set for each survey, 365 days after the answer unless stated otherwise in the invitation)',
            de: 'dem Ende der Aufbewahrungsfrist der Umfrage (für jede Umfrage festgelegt, 365 Tage nach der Antwort, sofern die Einladung nichts anderes nennt)',
          },
          basis: {
            en: 'answers are needed only until the survey has been evaluated',
            de: 'Antworten werden nur gebraucht, bis die Umfrage ausgewertet ist',
          },
          action: { kind: 'delete' },
        },
      ],
      keptUntil: {
        en: 'Your answers are deleted at once when you withdraw your consent or ask us to erase your data.',
        de: 'Ihre Antworten werden sofort gelöscht, wenn Sie Ihre Einwilligung widerrufen oder die Löschung Ihrer Daten verlangen.',
      },
    },
  ],
};
