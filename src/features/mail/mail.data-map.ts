// The outbox holds each mail until it is delivered and for 30 days after, to answer "did you send it?".
// It never holds a working link that grants access: those are placeholders until the worker sends the mail.
// Deliberate exception: the file mail sink (development) holds each message as sent, links included, for 7 days.
import type { DataMapPart } from '../../privacy/data-map.ts';

export const mailDataMap: DataMapPart = {
  activities: [
    {
      id: 'mail.service-messages',
      name: { en: 'Service emails', de: 'Service-E-Mails' },
      purpose: {
        en: 'Sending the emails that running your account needs: address verification, password reset, security notices. A link in them that grants access is made only when the email is sent; we store the email with a placeholder instead, so nobody at our company can read a working link. Where no mail server is configured (in development), each email is also kept as sent, links included, as a file that stands in for your mailbox, for 7 days.',
        de: 'Versand der E-Mails, die Ihr Konto braucht: Bestätigung der Adresse, Zurücksetzen des Passworts, Sicherheitshinweise. Ein Link darin, der Zugang gewährt, entsteht erst beim Versand; wir speichern die E-Mail mit einem Platzhalter an seiner Stelle, sodass niemand bei uns einen gültigen Link lesen kann. Ist kein Mailserver eingerichtet (in der Entwicklung), wird jede E-Mail zusätzlich so, wie sie versandt wurde, samt Links als Datei aufbewahrt, die Ihr Postfach vertritt, 7 Tage lang.',
      },
      legalBasis: 'contract',
      subjects: { en: 'account holders', de: 'Kontoinhaber' },
      recipients: [
        {
          id: 'mail-provider',
          name: {
            en: 'our email delivery provider (SMTP relay), where one is configured',
            de: 'unser E-Mail-Versanddienstleister (SMTP-Relay), sofern eingerichtet',
          },
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
  files: [
    {
      // The file mail sink (no SMTP_URL): DATA_DIR/mail/<outbox id>.eml, each message as sent.
      id: 'mail.sink-files',
      directory: 'mail',
      names: /^([0-9a-f-]{36})\.eml$/,
      activity: 'mail.service-messages',
      contents: ['contact', 'identity', 'communication'],
      subject: { table: 'outbox', keyColumn: 'id' },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'mail.delete-sink-files',
          what: {
            en: 'Emails kept as files where no mail server is configured',
            de: 'Als Datei aufbewahrte E-Mails, wenn kein Mailserver eingerichtet ist',
          },
          after: { days: 7 },
          fromEvent: { en: 'sending', de: 'dem Versand' },
        },
      ],
    },
  ],
};
