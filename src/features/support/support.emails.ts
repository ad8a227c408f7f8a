// Mail about a ticket: staff's answer to the customer. It carries the reply token twice (Reply-To and Message-ID),
// so answering it by mail continues the ticket; registered customers also get the link to the ticket in their
// account. No mail ever acknowledges an inbound message by itself (spoofed senders would make it backscatter).
import { composeMail } from '../../platform/email/compose.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { MailMessage } from '../mail/index.ts';

export function staffReplyMail(
  lang: Lang,
  o: {
    to: string;
    name: string | null;
    ref: string;
    subject: string;
    reply: string;
    /** The ticket in the account, for registered customers. */
    link: string | null;
    replyTo: string;
    messageId: string;
    state: 'waiting' | 'solved' | 'open' | 'closed' | 'new';
  },
): MailMessage {
  const de = lang === 'de';
  const mail = composeMail({
    to: o.to,
    lang,
    subject: `[${o.ref}] ${o.subject}`,
    template: 'support-reply',
    blocks: [
      { kind: 'paragraph', text: o.name ? (de ? `Hallo ${o.name},` : `Hello ${o.name},`) : de ? 'Hallo,' : 'Hello,' },
      { kind: 'text', text: o.reply },
      ...(o.state === 'solved'
        ? [
            {
              kind: 'note' as const,
              text: de
                ? 'Wir betrachten Ihre Anfrage damit als gelöst. Antworten Sie innerhalb von 7 Tagen, öffnen wir sie wieder; danach wird sie geschlossen.'
                : 'We consider your request solved with this. If you answer within 7 days we reopen it; after that it is closed.',
            },
          ]
        : []),
      {
        kind: 'note',
        text: de
          ? `Antworten Sie einfach auf diese E-Mail, um die Anfrage ${o.ref} fortzusetzen.`
          : `Simply reply to this email to continue request ${o.ref}.`,
      },
      ...(o.link
        ? [
            {
              kind: 'link' as const,
              label: de ? 'Anfrage im Kundenkonto ansehen' : 'See the request in your account',
              href: o.link,
            },
          ]
        : []),
    ],
  });
  return { ...mail, headers: { ...(mail.headers ?? {}), 'Reply-To': o.replyTo, 'Message-ID': o.messageId } };
}
