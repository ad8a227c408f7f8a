// The accounts feature's mails, in the recipient's language. They carry links, never passwords. Names are
// plain text: one that could carry a link or a line break (an older row) is left out of the greeting.
import type { Lang } from '../../platform/i18n.ts';
import type { MailMessage } from '../mail/index.ts';
import { mailSafeName } from './names.ts';

const hello = (lang: Lang, name: string): string => {
  const safe = mailSafeName(name);
  return lang === 'de' ? (safe ? `Hallo ${safe},` : 'Hallo,') : safe ? `Hello ${safe},` : 'Hello,';
};

export function verificationMail(lang: Lang, to: string, name: string, link: string): MailMessage {
  return lang === 'de'
    ? {
        to,
        subject: 'Bitte bestätigen Sie Ihre E-Mail-Adresse',
        body: `${hello('de', name)}\n\nbitte bestätigen Sie Ihre E-Mail-Adresse mit diesem Link (48 Stunden gültig):\n\n${link}\n\nWenn Sie kein Konto angelegt haben, können Sie diese E-Mail ignorieren.\n`,
      }
    : {
        to,
        subject: 'Please confirm your email address',
        body: `${hello('en', name)}\n\nplease confirm your email address with this link (valid for 48 hours):\n\n${link}\n\nIf you did not create an account, you can ignore this email.\n`,
      };
}

export function passwordResetMail(lang: Lang, to: string, name: string, link: string): MailMessage {
  return lang === 'de'
    ? {
        to,
        subject: 'Passwort zurücksetzen',
        body: `${hello('de', name)}\n\nmit diesem Link können Sie ein neues Passwort wählen (eine Stunde gültig, nur einmal verwendbar):\n\n${link}\n\nWenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.\n`,
      }
    : {
        to,
        subject: 'Reset your password',
        body: `${hello('en', name)}\n\nuse this link to choose a new password (valid for one hour, usable once):\n\n${link}\n\nIf you did not ask for this, ignore this email; your password stays unchanged.\n`,
      };
}

export function passwordChangedMail(lang: Lang, to: string, name: string, resetLink: string): MailMessage {
  return lang === 'de'
    ? {
        to,
        subject: 'Ihr Passwort wurde geändert',
        body: `${hello('de', name)}\n\nIhr Passwort wurde soeben geändert und alle anderen Sitzungen wurden beendet.\nWaren Sie das nicht, setzen Sie Ihr Passwort sofort zurück: ${resetLink}\n`,
      }
    : {
        to,
        subject: 'Your password was changed',
        body: `${hello('en', name)}\n\nyour password was just changed and all other sessions were ended.\nIf this was not you, reset your password now: ${resetLink}\n`,
      };
}

/** To the owner of an address someone tried to register again; the stranger's input appears nowhere in it. */
export function registrationAttemptMail(lang: Lang, to: string, name: string, resetLink: string): MailMessage {
  return lang === 'de'
    ? {
        to,
        subject: 'Jemand wollte mit Ihrer Adresse ein Konto anlegen',
        body: `${hello('de', name)}\n\njemand hat versucht, mit Ihrer E-Mail-Adresse ein neues Konto anzulegen. Sie haben bereits ein Konto; es wurde nichts geändert.\nWaren Sie das und haben Ihr Passwort vergessen, setzen Sie es hier zurück: ${resetLink}\nSonst können Sie diese E-Mail ignorieren.\n`,
      }
    : {
        to,
        subject: 'Someone tried to register with your address',
        body: `${hello('en', name)}\n\nsomeone tried to create a new account with your email address. You already have an account; nothing was changed.\nIf this was you and you forgot your password, reset it here: ${resetLink}\nOtherwise you can ignore this email.\n`,
      };
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
  return lang === 'de'
    ? {
        to,
        subject: 'Die E-Mail-Adresse Ihres Kontos wurde geändert',
        body: `${hello('de', name)}\n\ndie E-Mail-Adresse Ihres Kontos wurde soeben in ${newEmail} geändert.\nWaren Sie das nicht, machen Sie die Änderung mit diesem Link rückgängig (${days} Tage gültig); dabei werden alle Sitzungen beendet:\n\n${undoLink}\n\nDanach gilt das bisherige Passwort nicht mehr; Sie erhalten einen Link, um ein neues zu wählen.\n`,
      }
    : {
        to,
        subject: 'The email address of your account was changed',
        body: `${hello('en', name)}\n\nthe email address of your account was just changed to ${newEmail}.\nIf this was not you, undo the change with this link (valid for ${days} days); it also ends all sessions:\n\n${undoLink}\n\nThe current password then stops working; we send you a link to choose a new one.\n`,
      };
}

/** To the new address of a requested email change: the change takes effect only when this link is opened. */
export function emailChangeConfirmMail(lang: Lang, to: string, name: string, link: string): MailMessage {
  return lang === 'de'
    ? {
        to,
        subject: 'Bestätigen Sie die neue E-Mail-Adresse',
        body: `${hello('de', name)}\n\nSie möchten Ihr Konto auf diese E-Mail-Adresse umstellen. Die Änderung gilt erst, wenn Sie diesen Link öffnen (48 Stunden gültig):\n\n${link}\n\nWenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail; es ändert sich nichts.\n`,
      }
    : {
        to,
        subject: 'Confirm the new email address',
        body: `${hello('en', name)}\n\nyou asked to move your account to this email address. The change takes effect only when you open this link (valid for 48 hours):\n\n${link}\n\nIf you did not ask for this, ignore this email; nothing changes.\n`,
      };
}

/** To the owner of an address that another account asked to move to; the other account appears nowhere in it. */
export function emailChangeAttemptMail(lang: Lang, to: string, name: string, resetLink: string): MailMessage {
  return lang === 'de'
    ? {
        to,
        subject: 'Jemand wollte ein Konto auf Ihre Adresse umstellen',
        body: `${hello('de', name)}\n\njemand wollte ein anderes Konto auf Ihre E-Mail-Adresse umstellen. Sie haben bereits ein Konto mit dieser Adresse; es wurde nichts geändert.\nHaben Sie Ihr Passwort vergessen, setzen Sie es hier zurück: ${resetLink}\nSonst können Sie diese E-Mail ignorieren.\n`,
      }
    : {
        to,
        subject: 'Someone tried to move an account to your address',
        body: `${hello('en', name)}\n\nsomeone tried to move another account to your email address. You already have an account with this address; nothing was changed.\nIf you forgot your password, reset it here: ${resetLink}\nOtherwise you can ignore this email.\n`,
      };
}
