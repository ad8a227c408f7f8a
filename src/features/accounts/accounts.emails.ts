// The accounts feature's mails, in the recipient's language. They carry links, never passwords.
import type { Lang } from '../../platform/i18n.ts';
import type { MailMessage } from '../mail/index.ts';

export function verificationMail(lang: Lang, to: string, name: string, link: string): MailMessage {
  return lang === 'de'
    ? {
        to,
        subject: 'Bitte bestätigen Sie Ihre E-Mail-Adresse',
        body: `Hallo ${name},\n\nbitte bestätigen Sie Ihre E-Mail-Adresse mit diesem Link (48 Stunden gültig):\n\n${link}\n\nWenn Sie kein Konto angelegt haben, können Sie diese E-Mail ignorieren.\n`,
      }
    : {
        to,
        subject: 'Please confirm your email address',
        body: `Hello ${name},\n\nplease confirm your email address with this link (valid for 48 hours):\n\n${link}\n\nIf you did not create an account, you can ignore this email.\n`,
      };
}

export function passwordResetMail(lang: Lang, to: string, name: string, link: string): MailMessage {
  return lang === 'de'
    ? {
        to,
        subject: 'Passwort zurücksetzen',
        body: `Hallo ${name},\n\nmit diesem Link können Sie ein neues Passwort wählen (eine Stunde gültig, nur einmal verwendbar):\n\n${link}\n\nWenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.\n`,
      }
    : {
        to,
        subject: 'Reset your password',
        body: `Hello ${name},\n\nuse this link to choose a new password (valid for one hour, usable once):\n\n${link}\n\nIf you did not ask for this, ignore this email; your password stays unchanged.\n`,
      };
}

export function passwordChangedMail(lang: Lang, to: string, name: string, resetLink: string): MailMessage {
  return lang === 'de'
    ? {
        to,
        subject: 'Ihr Passwort wurde geändert',
        body: `Hallo ${name},\n\nIhr Passwort wurde soeben geändert und alle anderen Sitzungen wurden beendet.\nWaren Sie das nicht, setzen Sie Ihr Passwort sofort zurück: ${resetLink}\n`,
      }
    : {
        to,
        subject: 'Your password was changed',
        body: `Hello ${name},\n\nyour password was just changed and all other sessions were ended.\nIf this was not you, reset your password now: ${resetLink}\n`,
      };
}
