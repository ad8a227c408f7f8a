// The accounts feature's mails, in the recipient's language, as text and HTML (platform/email/compose.ts). They
// carry links, never passwords. Names are plain text: one that could carry a link or a line break (an older row)
// is left out of the greeting.
import { composeMail, type MailBlock } from '../../platform/email/compose.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { MailMessage } from '../mail/index.ts';
import { mailSafeName } from './names.ts';

const hello = (lang: Lang, name: string): string => {
  const safe = mailSafeName(name);
  return lang === 'de' ? (safe ? `Hallo ${safe},` : 'Hallo,') : safe ? `Hello ${safe},` : 'Hello,';
};

/** A mail of one template, in text and HTML: the outbox records which mail it is (the staff mail console filters by it). */
const named =
  (template: string) =>
  (lang: Lang, to: string, subject: string, blocks: MailBlock[]): MailMessage =>
    composeMail({ to, lang, subject, blocks, template });

export function verificationMail(lang: Lang, to: string, name: string, link: string): MailMessage {
  const mail = named('account-verify-email');
  return lang === 'de'
    ? mail(lang, to, 'Bitte bestätigen Sie Ihre E-Mail-Adresse', [
        { kind: 'paragraph', text: hello('de', name) },
        { kind: 'paragraph', text: 'bitte bestätigen Sie Ihre E-Mail-Adresse mit diesem Link (48 Stunden gültig):' },
        { kind: 'link', label: 'E-Mail-Adresse bestätigen', href: link },
        { kind: 'note', text: 'Wenn Sie kein Konto angelegt haben, können Sie diese E-Mail ignorieren.' },
      ])
    : mail(lang, to, 'Please confirm your email address', [
        { kind: 'paragraph', text: hello('en', name) },
        { kind: 'paragraph', text: 'please confirm your email address with this link (valid for 48 hours):' },
        { kind: 'link', label: 'Confirm email address', href: link },
        { kind: 'note', text: 'If you did not create an account, you can ignore this email.' },
      ]);
}

export function passwordResetMail(lang: Lang, to: string, name: string, link: string): MailMessage {
  const mail = named('account-reset-password');
  return lang === 'de'
    ? mail(lang, to, 'Passwort zurücksetzen', [
        { kind: 'paragraph', text: hello('de', name) },
        {
          kind: 'paragraph',
          text: 'mit diesem Link können Sie ein neues Passwort wählen (eine Stunde gültig, nur einmal verwendbar):',
        },
        { kind: 'link', label: 'Neues Passwort wählen', href: link },
        {
          kind: 'note',
          text: 'Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.',
        },
      ])
    : mail(lang, to, 'Reset your password', [
        { kind: 'paragraph', text: hello('en', name) },
        { kind: 'paragraph', text: 'use this link to choose a new password (valid for one hour, usable once):' },
        { kind: 'link', label: 'Choose a new password', href: link },
        { kind: 'note', text: 'If you did not ask for this, ignore this email; your password stays unchanged.' },
      ]);
}

export function passwordChangedMail(lang: Lang, to: string, name: string, resetLink: string): MailMessage {
  const mail = named('account-password-changed');
  return lang === 'de'
    ? mail(lang, to, 'Ihr Passwort wurde geändert', [
        { kind: 'paragraph', text: hello('de', name) },
        {
          kind: 'paragraph',
          text: 'Ihr Passwort wurde soeben geändert und alle anderen Sitzungen wurden beendet.\nWaren Sie das nicht, setzen Sie Ihr Passwort sofort zurück:',
        },
        { kind: 'link', label: 'Passwort zurücksetzen', href: resetLink },
      ])
    : mail(lang, to, 'Your password was changed', [
        { kind: 'paragraph', text: hello('en', name) },
        {
          kind: 'paragraph',
          text: 'your password was just changed and all other sessions were ended.\nIf this was not you, reset your password now:',
        },
        { kind: 'link', label: 'Reset your password', href: resetLink },
      ]);
}

/** To the owner of an address someone tried to register again; the stranger's input appears nowhere in it. */
export function registrationAttemptMail(lang: Lang, to: string, name: string, resetLink: string): MailMessage {
  const mail = named('account-registration-attempt');
  return lang === 'de'
    ? mail(lang, to, 'Jemand wollte mit Ihrer Adresse ein Konto anlegen', [
        { kind: 'paragraph', text: hello('de', name) },
        {
          kind: 'paragraph',
          text: 'jemand hat versucht, mit Ihrer E-Mail-Adresse ein neues Konto anzulegen. Sie haben bereits ein Konto; es wurde nichts geändert.\nWaren Sie das und haben Ihr Passwort vergessen, setzen Sie es hier zurück:',
        },
        { kind: 'link', label: 'Passwort zurücksetzen', href: resetLink },
        { kind: 'note', text: 'Sonst können Sie diese E-Mail ignorieren.' },
      ])
    : mail(lang, to, 'Someone tried to register with your address', [
        { kind: 'paragraph', text: hello('en', name) },
        {
          kind: 'paragraph',
          text: 'someone tried to create a new account with your email address. You already have an account; nothing was changed.\nIf this was you and you forgot your password, reset it here:',
        },
        { kind: 'link', label: 'Reset your password', href: resetLink },
        { kind: 'note', text: 'Otherwise you can ignore this email.' },
      ]);
}

/** To the old address after an email change: the link returns the account to it and ends every session. */
export function emailChangedMail(
  lang: Lang,
  to: string,
  name: string,
  newEmail: string,
  undoLink: string,
  days: number,
): MailMessage {
  const mail = named('account-email-changed');
  return lang === 'de'
    ? mail(lang, to, 'Die E-Mail-Adresse Ihres Kontos wurde geändert', [
        { kind: 'paragraph', text: hello('de', name) },
        {
          kind: 'paragraph',
          text: `die E-Mail-Adresse Ihres Kontos wurde soeben in ${newEmail} geändert.\nWaren Sie das nicht, machen Sie die Änderung mit diesem Link rückgängig (${days} Tage gültig); dabei werden alle Sitzungen beendet:`,
        },
        { kind: 'link', label: 'Änderung rückgängig machen', href: undoLink },
        {
          kind: 'paragraph',
          text: 'Danach gilt das bisherige Passwort nicht mehr; Sie erhalten einen Link, um ein neues zu wählen.',
        },
      ])
    : mail(lang, to, 'The email address of your account was changed', [
        { kind: 'paragraph', text: hello('en', name) },
        {
          kind: 'paragraph',
          text: `the email address of your account was just changed to ${newEmail}.\nIf this was not you, undo the change with this link (valid for ${days} days); it also ends all sessions:`,
        },
        { kind: 'link', label: 'Undo the change', href: undoLink },
        {
          kind: 'paragraph',
          text: 'The current password then stops working; we send you a link to choose a new one.',
        },
      ]);
}

/** To the new address of a requested email change: the change takes effect only when this link is opened. */
export function emailChangeConfirmMail(lang: Lang, to: string, name: string, link: string): MailMessage {
  const mail = named('account-confirm-email-change');
  return lang === 'de'
    ? mail(lang, to, 'Bestätigen Sie die neue E-Mail-Adresse', [
        { kind: 'paragraph', text: hello('de', name) },
        {
          kind: 'paragraph',
          text: 'Sie möchten Ihr Konto auf diese E-Mail-Adresse umstellen. Die Änderung gilt erst, wenn Sie diesen Link öffnen (48 Stunden gültig):',
        },
        { kind: 'link', label: 'Neue Adresse bestätigen', href: link },
        {
          kind: 'note',
          text: 'Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail; es ändert sich nichts.',
        },
      ])
    : mail(lang, to, 'Confirm the new email address', [
        { kind: 'paragraph', text: hello('en', name) },
        {
          kind: 'paragraph',
          text: 'you asked to move your account to this email address. The change takes effect only when you open this link (valid for 48 hours):',
        },
        { kind: 'link', label: 'Confirm the new address', href: link },
        { kind: 'note', text: 'If you did not ask for this, ignore this email; nothing changes.' },
      ]);
}

/** To the owner of an address that another account asked to move to; the other account appears nowhere in it. */
export function emailChangeAttemptMail(lang: Lang, to: string, name: string, resetLink: string): MailMessage {
  const mail = named('account-email-change-attempt');
  return lang === 'de'
    ? mail(lang, to, 'Jemand wollte ein Konto auf Ihre Adresse umstellen', [
        { kind: 'paragraph', text: hello('de', name) },
        {
          kind: 'paragraph',
          text: 'jemand wollte ein anderes Konto auf Ihre E-Mail-Adresse umstellen. Sie haben bereits ein Konto mit dieser Adresse; es wurde nichts geändert.\nHaben Sie Ihr Passwort vergessen, setzen Sie es hier zurück:',
        },
        { kind: 'link', label: 'Passwort zurücksetzen', href: resetLink },
        { kind: 'note', text: 'Sonst können Sie diese E-Mail ignorieren.' },
      ])
    : mail(lang, to, 'Someone tried to move an account to your address', [
        { kind: 'paragraph', text: hello('en', name) },
        {
          kind: 'paragraph',
          text: 'someone tried to move another account to your email address. You already have an account with this address; nothing was changed.\nIf you forgot your password, reset it here:',
        },
        { kind: 'link', label: 'Reset your password', href: resetLink },
        { kind: 'note', text: 'Otherwise you can ignore this email.' },
      ]);
}
