// Mail to a person who asked without an account (/privacy/request): the link that proves the address, or, for an
// address that has an account, the request to sign in instead (the privacy centre runs the same request there).
import { composeMail } from '../../platform/email/compose.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { MailMessage } from '../mail/index.ts';
import { kindNames } from './rights.model.ts';
import type { RequestKind } from './rights.tables.ts';

export function guestLinkMail(
  lang: Lang,
  o: { to: string; link: string; kind: RequestKind; hours: number; company: string },
): MailMessage {
  const de = lang === 'de';
  return composeMail({
    to: o.to,
    lang,
    subject: de ? 'Bitte bestätigen Sie Ihre Anfrage zu Ihren Daten' : 'Please confirm your request about your data',
    template: 'privacy-request-confirm',
    blocks: [
      { kind: 'paragraph', text: de ? 'Hallo,' : 'Hello,' },
      {
        kind: 'paragraph',
        text: de
          ? `jemand, hoffentlich Sie, hat bei ${o.company} mit dieser Adresse Folgendes verlangt: ${kindNames[o.kind].de}. Damit nur Sie selbst Ihre Daten erhalten oder ändern, geschieht nichts, bevor Sie es bestätigen.`
          : `someone, hopefully you, asked ${o.company} with this address for: ${kindNames[o.kind].en}. So that only you can obtain or change your data, nothing happens until you confirm.`,
      },
      { kind: 'link', label: de ? 'Anfrage bestätigen' : 'Confirm the request', href: o.link },
      {
        kind: 'note',
        text: de
          ? `Der Link gilt ${o.hours} Stunden. Wenn Sie die Anfrage nicht gestellt haben, ignorieren Sie diese E-Mail; sie verfällt dann.`
          : `The link works for ${o.hours} hours. If you did not ask, ignore this mail; the request then lapses.`,
      },
    ],
  });
}

export function signInInsteadMail(lang: Lang, o: { to: string; link: string; company: string }): MailMessage {
  const de = lang === 'de';
  return composeMail({
    to: o.to,
    lang,
    subject: de
      ? 'Ihre Anfrage zu Ihren Daten: bitte melden Sie sich an'
      : 'Your request about your data: please sign in',
    template: 'privacy-request-sign-in',
    blocks: [
      { kind: 'paragraph', text: de ? 'Hallo,' : 'Hello,' },
      {
        kind: 'paragraph',
        text: de
          ? `jemand, hoffentlich Sie, hat bei ${o.company} mit dieser Adresse eine Anfrage zu den eigenen Daten gestellt. Zu dieser Adresse gibt es ein Kundenkonto: Bitte melden Sie sich an und stellen Sie die Anfrage in Ihrem Datenschutzbereich. So prüfen wir, dass Sie es sind, wie bei jeder Anmeldung.`
          : `someone, hopefully you, asked ${o.company} with this address about their data. This address has a customer account: please sign in and make the request in your privacy centre. That is how we check that it is you, as on any sign-in.`,
      },
      { kind: 'link', label: de ? 'Zum Datenschutzbereich' : 'Go to your privacy centre', href: o.link },
      {
        kind: 'note',
        text: de
          ? 'Wenn Sie nichts angefragt haben, ignorieren Sie diese E-Mail; es wurde nichts aufgezeichnet.'
          : 'If you did not ask, ignore this mail; nothing was recorded.',
      },
    ],
  });
}
