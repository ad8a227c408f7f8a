// The suggestion of similar products to a purchaser (§ 7(3) UWG), as text and HTML (platform/email/compose.ts):
// every such mail says why it comes and that the customer may object at any time at no more than basic rates,
// with a one-click opt-out (RFC 8058 headers) and the setting in the account.
import { composeMail } from '../../platform/email/compose.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import type { MailMessage } from '../mail/index.ts';

export interface Suggestion {
  title: string;
  /** The price as the mail shows it (formatted in the mail's language). */
  price: string;
  link: string;
}

export function similarProductsMail(
  lang: Lang,
  o: { to: string; name: string; suggestions: Suggestion[]; optOut: string; account: string; objectionNotice: Text },
): MailMessage {
  const de = lang === 'de';
  return composeMail({
    to: o.to,
    lang,
    subject: de ? 'Passend zu Ihren Produkten' : 'To go with your products',
    template: 'similar-products',
    blocks: [
      { kind: 'paragraph', text: de ? `Hallo ${o.name},` : `Hello ${o.name},` },
      { kind: 'paragraph', text: de ? 'passend zu Ihren Käufen:' : 'to go with what you bought:' },
      ...o.suggestions.map((s) => ({ kind: 'link' as const, label: `${s.title} (${s.price})`, href: s.link })),
      {
        kind: 'paragraph',
        text: `${de ? 'Sie erhalten diese E-Mail, weil Sie bei uns gekauft haben.' : 'You get this email because you bought from us.'} ${o.objectionNotice[lang]}`,
      },
      // The opt-out right after the notice: one click, no sign-in; or the setting in the account.
      { kind: 'link', label: de ? 'Keine solchen E-Mails mehr' : 'No more such emails', href: o.optOut },
      { kind: 'link', label: de ? 'Einstellung im Kundenkonto' : 'The setting in your account', href: o.account },
    ],
    headers: { 'List-Unsubscribe': `<${o.optOut}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  });
}
