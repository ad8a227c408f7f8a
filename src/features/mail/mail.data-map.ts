// The outbox holds each mail until it is delivered and for 30 days after, to answer "did you send it?".
import type { DataMapPart } from '../../privacy/data-map.ts';

export const mailDataMap: DataMapPart = {
  activities: [
    {
      id: 'mail.service-messages',
      name: { en: 'Service emails', de: 'Service-E-Mails' },
      purpose: {
        en: 'Sending the emails that running your account needs: address verification, password reset, security notices.',
        de: 'Versand der E-Mails, die Ihr Konto braucht: Bestätigung der Adresse, Zurücksetzen des Passworts, Sicherheitshinweise.',
      },
      legalBasis: 'contract',
      subjects: { en: 'account holders', de: 'Kontoinhaber' },
      recipients: [
        {
          id: 'mail-provider',
          name: { en: 'our email delivery provider (SMTP relay), where one is configured', de: 'unser E-Mail-Versanddienstleister (SMTP-Relay), sofern eingerichtet' },
          kind: 'processor',
          receives: ['contact', 'communication'],
        },
      ],
    },
  ],
  tables: [
    {
      table: 'outbox',
      activity: 'mail.service-messages',
      subject: { via: 'email', column: 'recipient' },
      columns: {
        id: 'not-personal',
        recipient: 'contact',
        subject: 'communication',
        body: 'communication',
        headers: 'communication',
        created_at: 'communication',
        attempts: 'not-personal',
        next_attempt_at: 'not-personal',
        locked_until: 'not-personal',
        sent_at: 'communication',
        failed_at: 'not-personal',
        last_error: 'not-personal',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'mail.delete-sent-messages',
          what: { en: 'Sent emails', de: 'Versandte E-Mails' },
          after: { days: 30 },
          from: 'sent_at',
          fromEvent: { en: 'sending', de: 'dem Versand' },
          action: { kind: 'delete' },
        },
        {
          id: 'mail.delete-undeliverable-messages',
          what: { en: 'Emails that could not be delivered', de: 'Nicht zustellbare E-Mails' },
          after: { days: 30 },
          from: 'failed_at',
          fromEvent: { en: 'the last attempt', de: 'dem letzten Versuch' },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
