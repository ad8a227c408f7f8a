// The outbox holds each mail until it is delivered and for 30 days after, to answer "did you send it?".
// It never holds a working link that grants access: those are placeholders until the worker sends the mail.
// Deliberate exception: the file mail sink (development) holds each message as sent, links included, for 7 days.
import type { DataMapPart } from '../../privacy/data-map.ts';

export const mailDataMap: DataMapPart = {
  activities: [
    {
      id: 'mail.service-messages',
      // Every email the shop sends passes through this one outbox and relay, whatever activity it belongs to; the
      // activities that write mails declare `uses` of the outbox, so their own categories include the mail.
      name: { en: 'Sending emails', de: 'E-Mail-Versand' },
      purpose: {
        en: 'Delivering every email the shop sends, through one outbox and one mail server: emails about your account (address confirmation, password reset, security notices), order confirmations, the outcome of a review of a credit decision you asked for, and suggestions of similar products to customers who have not objected. Why each is sent, and on which legal basis, is said with the activity it belongs to. A link in them that grants access is made only when the email is sent; we store the email with a placeholder instead, so nobody at our company can read a working link. Where no mail server is configured (in development), each email is also kept as sent, links included, as a file that stands in for your mailbox, for 7 days.',
        de: 'Zustellung jeder E-Mail, die der Shop versendet, über einen gemeinsamen Postausgang und einen Mailserver: E-Mails zu Ihrem Konto (Bestätigung der Adresse, Zurücksetzen des Passworts, Sicherheitshinweise), Bestellbestätigungen, das Ergebnis einer von Ihnen verlangten Überprüfung einer Bonitätsentscheidung sowie Vorschläge ähnlicher Produkte an Kunden, die nicht widersprochen haben. Warum die jeweilige E-Mail versandt wird und auf welcher Rechtsgrundlage, steht bei der Verarbeitung, zu der sie gehört. Ein Link darin, der Zugang gewährt, entsteht erst beim Versand; wir speichern die E-Mail mit einem Platzhalter an seiner Stelle, sodass niemand bei uns einen gültigen Link lesen kann. Ist kein Mailserver eingerichtet (in der Entwicklung), wird jede E-Mail zusätzlich so, wie sie versandt wurde, samt Links als Datei aufbewahrt, die Ihr Postfach vertritt, 7 Tage lang.',
      },
      legalBasis: 'contract',
      basisDetail: {
        en: 'An email that belongs to another activity is sent on that activity’s legal basis; product suggestions, for instance, on our legitimate interest in direct marketing (Art. 6(1)(f) GDPR).',
        de: 'Eine E-Mail, die zu einer anderen Verarbeitung gehört, versenden wir auf deren Rechtsgrundlage; Produktvorschläge etwa aufgrund unseres berechtigten Interesses an Direktwerbung (Art. 6 Abs. 1 lit. f DSGVO).',
      },
      subjects: {
        en: 'account holders and customers, and whoever an email is addressed to',
        de: 'Kontoinhaber und Kunden sowie alle, an die eine E-Mail gerichtet ist',
      },
      recipients: [
        {
          id: 'mail-provider',
          name: {
            en: 'our email delivery provider (SMTP relay), where one is configured',
            de: 'unser E-Mail-Versanddienstleister (SMTP-Relay), sofern eingerichtet',
          },
          // It transmits our mail on our instructions only (a contract under Art. 28 GDPR).
          role: 'processor',
          // What the mailer hands the relay for each mail (platform/email/mailer.ts OutgoingMail).
          fields: {
            to: { category: 'contact', label: { en: 'your email address', de: 'Ihre E-Mail-Adresse' } },
            subject: { category: 'communication', label: { en: 'subject', de: 'Betreff' } },
            text: { category: 'communication', label: { en: 'text of the email', de: 'Text der E-Mail' } },
            'headers.List-Unsubscribe': {
              category: 'communication',
              label: {
                en: 'the unsubscribe link of an advertising email',
                de: 'der Abmeldelink einer Werbe-E-Mail',
              },
            },
            'headers.List-Unsubscribe-Post': {
              category: 'not-personal',
              label: {
                en: 'the note that unsubscribing takes one click',
                de: 'der Hinweis, dass die Abmeldung mit einem Klick erfolgt',
              },
            },
            from: { category: 'not-personal', label: { en: 'our sender address', de: 'unsere Absenderadresse' } },
            id: {
              category: 'not-personal',
              label: { en: 'a message identifier', de: 'eine Nachrichtenkennung' },
            },
          },
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
          basis: {
            en: 'to answer whether and when we sent you an email',
            de: 'um beantworten zu können, ob und wann wir Ihnen eine E-Mail gesandt haben',
          },
          action: { kind: 'delete' },
        },
        {
          id: 'mail.delete-undeliverable-messages',
          what: { en: 'Emails that could not be delivered', de: 'Nicht zustellbare E-Mails' },
          after: { days: 30 },
          from: 'failed_at',
          fromEvent: { en: 'the last attempt', de: 'dem letzten Versuch' },
          basis: {
            en: 'to answer why an email did not arrive',
            de: 'um beantworten zu können, warum eine E-Mail nicht angekommen ist',
          },
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
            de: 'E-Mails, die mangels eingerichteten Mailservers als Datei aufbewahrt werden,',
          },
          after: { days: 7 },
          fromEvent: { en: 'sending', de: 'dem Versand' },
          basis: {
            en: 'only in development, where the file stands in for the mailbox; a week is enough to read it',
            de: 'nur in der Entwicklung, wo die Datei das Postfach vertritt; eine Woche genügt, um sie zu lesen',
          },
        },
      ],
    },
  ],
};
