// The newsletter's own mails: the confirmation of a sign-up (transactional: it must reach even a suppressed
// address, or nobody could come back) and the welcome mail after it (marketing: list 'newsletter', RFC 8058 headers
// from enqueueMarketingMail, and the visible link to the unsubscribe page).
import { composeMail } from '../../platform/email/compose.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { MailMessage } from '../mail/index.ts';

export function confirmationMail(lang: Lang, o: { to: string; link: string; hours: number }): MailMessage {
  const de = lang === 'de';
  return composeMail({
    to: o.to,
    lang,
    subject: de ? 'Bitte bestätigen Sie Ihr Newsletter-Abonnement' : 'Please confirm your newsletter subscription',
    template: 'newsletter-confirm',
    blocks: [
      {
        kind: 'paragraph',
        text: de
          ? 'Jemand, hoffentlich Sie, hat diese Adresse für unseren Newsletter angemeldet. Erst wenn Sie bestätigen, erhalten Sie ihn.'
          : 'Someone, hopefully you, signed this address up for our newsletter. You receive it only once you confirm.',
      },
      { kind: 'link', label: de ? 'Abonnement bestätigen' : 'Confirm the subscription', href: o.link },
      {
        kind: 'note',
        text: de
          ? `Der Link gilt ${o.hours} Stunden. Wenn Sie nichts tun, löschen wir die Anmeldung danach.`
          : `The link works for ${o.hours} hours. If you do nothing, we delete the sign-up after that.`,
      },
    ],
  });
}

export function welcomeMail(lang: Lang, o: { to: string; unsubscribe: string }): MailMessage {
  const de = lang === 'de';
  return composeMail({
    to: o.to,
    lang,
    subject: de ? 'Willkommen beim Newsletter' : 'Welcome to the newsletter',
    template: 'newsletter-welcome',
    blocks: [
      {
        kind: 'paragraph',
        text: de
          ? 'Danke für Ihre Bestätigung: Sie erhalten jetzt unseren Newsletter.'
          : 'Thank you for confirming: you now receive our newsletter.',
      },
      {
        kind: 'paragraph',
        text: de
          ? 'Sie können sich jederzeit abmelden, mit dem Link in jeder Ausgabe oder hier:'
          : 'You can unsubscribe at any time, with the link in every issue or here:',
      },
      { kind: 'link', label: de ? 'Newsletter abbestellen' : 'Unsubscribe', href: o.unsubscribe },
    ],
  });
}
