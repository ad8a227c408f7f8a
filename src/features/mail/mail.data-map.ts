// The outbox holds each mail until it is delivered and for 30 days after, to answer "did you send it?".
// It never holds a working link that grants access: those are placeholders until the worker sends the mail.
// Deliberate exception: the file mail sink (development) holds each message as sent, links included, for 7 days.
// Commercial letters (the order confirmation) are kept as a copy apart from the outbox for 6 years (§ 257 HGB),
// restricted on an erasure request (decision 0034).
import type { DataMapPart } from '../../privacy/data-map.ts';
import { commercialLetterBasis, keptForTheLaw } from '../../privacy/retention-bases.ts';
import { ALL_MARKETING, suppressAddress } from './mail.suppression.ts';

export function mailDataMap(letterYears: number): DataMapPart {
  return {
    activities: [
      {
        id: 'mail.service-messages',
        // Every email the shop sends passes through this one outbox and relay, whatever activity it belongs to; the
        // activities that write mails declare `uses` of the outbox, so their own categories include the mail.
        name: { en: 'Sending emails', de: 'E-Mail-Versand' },
        purpose: {
          en: 'Delivering every email the shop sends, through one outbox and one mail server: emails about your account (address confirmation, password reset, security notices), order confirmations, the outcome of a review of a credit decision you asked for, suggestions of similar products to customers who have not objected, the newsletter and its confirmation and welcome emails, invitations to surveys, and the confirmation of an entry to a competition. Why each is sent, and on which legal basis, is said with the activity it belongs to. A link in them that grants access is made only when the email is sent; we store the email with a placeholder instead, so nobody at our company can read a working link. Where no mail server is configured (in development), each email is also kept as sent, links included, as a file that stands in for your mailbox, for 7 days. An email the receiving mail server refuses for good is not tried again.',
          de: 'Zustellung jeder E-Mail, die der Shop versendet, über einen gemeinsamen Postausgang und einen Mailserver: E-Mails zu Ihrem Konto (Bestätigung der Adresse, Zurücksetzen des Passworts, Sicherheitshinweise), Bestellbestätigungen, das Ergebnis einer von Ihnen verlangten Überprüfung einer Bonitätsentscheidung, Vorschläge ähnlicher Produkte an Kunden, die nicht widersprochen haben, den Newsletter mit seinen Bestätigungs- und Willkommens-E-Mails, Einladungen zu Umfragen sowie die Bestätigung einer Teilnahme an einem Gewinnspiel. Warum die jeweilige E-Mail versandt wird und auf welcher Rechtsgrundlage, steht bei der Verarbeitung, zu der sie gehört. Ein Link darin, der Zugang gewährt, entsteht erst beim Versand; wir speichern die E-Mail mit einem Platzhalter an seiner Stelle, sodass niemand bei uns einen gültigen Link lesen kann. Ist kein Mailserver eingerichtet (in der Entwicklung), wird jede E-Mail zusätzlich so, wie sie versandt wurde, samt Links als Datei aufbewahrt, die Ihr Postfach vertritt, 7 Tage lang. Eine E-Mail, die der empfangende Mailserver endgültig ablehnt, versuchen wir nicht erneut.',
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
              html: {
                category: 'communication',
                label: { en: 'the same text, formatted (HTML)', de: 'derselbe Text, formatiert (HTML)' },
              },
              'attachments.content': {
                category: 'purchases',
                label: {
                  en: 'files attached to an email (the invoice, as PDF, with an order confirmation)',
                  de: 'Dateianhänge einer E-Mail (die Rechnung als PDF zur Bestellbestätigung)',
                },
              },
              'attachments.filename': {
                category: 'purchases',
                label: {
                  en: 'the name of an attached file (the invoice number)',
                  de: 'der Name eines Anhangs (die Rechnungsnummer)',
                },
              },
              'attachments.contentType': {
                category: 'not-personal',
                label: { en: 'the type of an attached file', de: 'die Art eines Anhangs' },
              },
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
              'headers.Reply-To': {
                category: 'online-identifier',
                label: {
                  en: 'the reply address of a support email, with the reference of its ticket',
                  de: 'die Antwortadresse einer Support-E-Mail mit dem Zeichen ihres Tickets',
                },
              },
              'headers.Message-ID': {
                category: 'online-identifier',
                label: {
                  en: 'the message identifier of a support email, with the reference of its ticket',
                  de: 'die Nachrichtenkennung einer Support-E-Mail mit dem Zeichen ihres Tickets',
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
      {
        id: 'mail.suppression',
        name: { en: 'Blocking advertising to addresses that left', de: 'Sperrliste für Werbe-E-Mails' },
        purpose: {
          en: 'Making sure that no advertising email (newsletter, product suggestions, survey invitations) reaches an address that unsubscribed, could not be delivered to, or whose data was erased. We keep only a keyed hash of the address, never the address itself; emails you need for a contract or your account are never blocked by it.',
          de: 'Sicherstellen, dass keine Werbe-E-Mail (Newsletter, Produktvorschläge, Einladungen zu Umfragen) eine Adresse erreicht, die sich abgemeldet hat, nicht zustellbar war oder deren Daten gelöscht wurden. Wir speichern nur einen schlüsselgebundenen Hashwert der Adresse, nie die Adresse selbst; E-Mails, die Sie für einen Vertrag oder Ihr Konto brauchen, sperrt sie nie.',
        },
        legalBasis: 'legal-obligation',
        basisDetail: {
          en: 'Art. 21(3) GDPR and § 7(2) and (3) UWG: after an objection or withdrawal, your address may no longer be used for direct marketing, and we must be able to tell that it is the same address.',
          de: 'Art. 21 Abs. 3 DSGVO und § 7 Abs. 2 und 3 UWG: Nach einem Widerspruch oder Widerruf darf Ihre Adresse nicht mehr für Direktwerbung genutzt werden, und wir müssen erkennen können, dass es dieselbe Adresse ist.',
        },
        subjects: {
          en: 'people who unsubscribed from advertising or had their data erased',
          de: 'Personen, die sich von Werbung abgemeldet oder ihre Daten haben löschen lassen',
        },
        recipients: [],
      },
      {
        id: 'mail.business-letters',
        name: {
          en: 'Copies of order and withdrawal confirmations',
          de: 'Wiedergaben von Bestell- und Widerrufsbestätigungen',
        },
        purpose: {
          en: 'Keeping a copy of each order confirmation we sent you (with its text, the licence keys, terms and withdrawal information it contained and the name of its attached invoice), and of each confirmation of a withdrawal you declared (what you withdrew from, when, and your statement), as the commercial code requires for sent business letters.',
          de: 'Aufbewahrung einer Wiedergabe jeder Ihnen gesandten Bestellbestätigung (mit ihrem Text, den darin enthaltenen Lizenzschlüsseln, AGB und Widerrufsbelehrung sowie dem Namen der angehängten Rechnung), sowie jeder Bestätigung eines von Ihnen erklärten Widerrufs (was Sie wann widerrufen haben, mit Ihrer Erklärung), wie es das Handelsrecht für abgesandte Geschäftsbriefe verlangt.',
        },
        legalBasis: 'legal-obligation',
        basisDetail: {
          en: `§ 257(1) no. 3 and (4) HGB and § 147(1) no. 3 and (3) AO: ${letterYears} years from the end of the calendar year of sending; if you ask for erasure, the copy is only stored, not used.`,
          de: `§ 257 Abs. 1 Nr. 3, Abs. 4 HGB und § 147 Abs. 1 Nr. 3, Abs. 3 AO: ${letterYears} Jahre ab Ende des Kalenderjahres der Absendung; verlangen Sie die Löschung, wird die Wiedergabe nur noch gespeichert, nicht genutzt.`,
        },
        subjects: { en: 'customers', de: 'Kunden' },
        recipients: [],
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
          html: 'communication',
          headers: 'communication',
          attachments: 'purchases',
          created_at: 'communication',
          attempts: 'not-personal',
          next_attempt_at: 'not-personal',
          locked_until: 'not-personal',
          sent_at: 'communication',
          failed_at: 'not-personal',
          last_error: 'not-personal',
          template: 'not-personal',
          list: 'not-personal',
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
          {
            id: 'mail.delete-unsent-messages',
            what: {
              en: 'Emails that never left (for example of a newsletter campaign that was stopped and not resumed)',
              de: 'E-Mails, die nie versandt wurden (etwa einer Newsletter-Aussendung, die angehalten und nicht fortgesetzt wurde)',
            },
            after: { days: 90 },
            from: 'created_at',
            fromEvent: { en: 'queueing', de: 'dem Einreihen in die Warteschlange' },
            basis: {
              en: 'an email not sent by then will not be sent any more; no email stays in the outbox longer than this',
              de: 'eine bis dahin nicht versandte E-Mail wird nicht mehr versandt; länger bleibt keine E-Mail im Postausgang',
            },
            action: { kind: 'delete' },
          },
        ],
      },
      {
        table: 'mail_suppressions',
        activity: 'mail.suppression',
        subject: null,
        unlinkedBecause: {
          en: 'It holds only a keyed hash of each address, which cannot be turned back into the address; we keep it after an erasure so that no advertising reaches the address again.',
          de: 'Sie enthält nur einen schlüsselgebundenen Hashwert jeder Adresse, aus dem sich die Adresse nicht zurückgewinnen lässt; wir behalten ihn auch nach einer Löschung, damit keine Werbung die Adresse wieder erreicht.',
        },
        columns: {
          hash: 'online-identifier',
          list: 'preferences',
          reason: 'preferences',
          created_at: 'preferences',
        },
        erasure: null,
        retention: [],
        keptUntil: {
          en: 'until you subscribe again and confirm it, which lifts the block',
          de: 'bis Sie sich erneut anmelden und dies bestätigen, was die Sperre aufhebt',
        },
      },
      {
        table: 'business_letters',
        activity: 'mail.business-letters',
        subject: { via: 'user-id', column: 'user_id' },
        columns: {
          id: 'not-personal',
          kind: 'not-personal',
          ref: 'purchases',
          user_id: 'account',
          outbox_id: 'not-personal',
          recipient: 'contact',
          lang: 'language',
          subject: 'communication',
          body: 'communication',
          html: 'communication',
          attachments: 'purchases',
          created_at: 'communication',
          restricted_at: 'account',
        },
        erasure: {
          action: 'keep',
          until: {
            en: `${letterYears} years after the end of the calendar year of sending`,
            de: `${letterYears} Jahre nach Ende des Kalenderjahres der Absendung`,
          },
          basis: keptForTheLaw(commercialLetterBasis),
          restrictColumn: 'restricted_at',
        },
        retention: [
          {
            id: 'mail.delete-expired-business-letters',
            what: { en: 'Copies of order confirmations', de: 'Wiedergaben von Bestellbestätigungen' },
            after: { years: letterYears, fromEndOfYear: true },
            from: 'created_at',
            fromEvent: { en: 'sending', de: 'der Absendung' },
            basis: commercialLetterBasis,
            action: { kind: 'delete' },
          },
        ],
      },
    ],
    onErasure: async ({ db, config, now }, keys) => {
      // An erased address gets no marketing mail again, whatever list it was on: only its keyed hash is kept.
      if (keys.email !== null)
        await suppressAddress(db, config.suppressionKey, keys.email, {
          list: ALL_MARKETING,
          reason: 'erased',
          at: now,
        });
    },
    files: [
      {
        // The file mail sink (no SMTP_URL): DATA_DIR/mail/<outbox id>.eml, each message as sent.
        id: 'mail.sink-files',
        directory: 'mail',
        names: /^([0-9a-f-]{36})\.eml$/,
        activity: 'mail.service-messages',
        contents: ['contact', 'identity', 'communication', 'purchases'],
        subject: { table: 'outbox', keyColumn: 'id' },
        notInExport: {
          en: 'copies of the emails as sent, with working access links; the emails themselves are in the export, links hidden',
          de: 'Kopien der E-Mails wie versandt, mit gültigen Zugangslinks; die E-Mails selbst sind im Export, Links verborgen',
        },
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
}
