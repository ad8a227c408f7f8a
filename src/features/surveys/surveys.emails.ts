// The invitation to a survey: advertising (BGH VI ZR 225/17), so sent only with consent, and every invitation says
// how to withdraw it (one click, no sign-in) and that withdrawing deletes the answers. Both links carry secret
// placeholders (platform/secret-links.ts): the stored mail holds no working token.
import { composeMail } from '../../platform/email/compose.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { MailMessage } from '../mail/index.ts';

export function surveyInvitationMail(
  lang: Lang,
  o: { to: string; name: string; title: string; intro: string; link: string; withdraw: string; retentionDays: number },
): MailMessage {
  const de = lang === 'de';
  return composeMail({
    to: o.to,
    lang,
    subject: de ? `Ihre Meinung: ${o.title}` : `Your opinion: ${o.title}`,
    template: 'survey-invitation',
    blocks: [
      { kind: 'paragraph', text: de ? `Hallo ${o.name},` : `Hello ${o.name},` },
      {
        kind: 'paragraph',
        text: de
          ? 'Sie haben zugestimmt, zu Umfragen über Produkte eingeladen zu werden, die Sie bei uns gekauft haben.'
          : 'You agreed to be invited to surveys about products you bought from us.',
      },
      ...(o.intro ? [{ kind: 'paragraph' as const, text: o.intro }] : []),
      {
        kind: 'link',
        label: de ? 'Zur Umfrage (ein persönlicher Link)' : 'Take the survey (a personal link)',
        href: o.link,
      },
      {
        kind: 'note',
        text: de
          ? `Wir bewahren Ihre Antworten ${o.retentionDays} Tage auf; unsere Beschäftigten sehen sie nur zusammengefasst. Sie können Ihre Einwilligung jederzeit widerrufen; Ihre Antworten werden dann sofort gelöscht.`
          : `We keep your answers for ${o.retentionDays} days; our staff see them only as totals. You can withdraw your consent at any time; your answers are then deleted at once.`,
      },
      {
        kind: 'link',
        label: de ? 'Keine Umfragen mehr: Einwilligung widerrufen' : 'No more surveys: withdraw my consent',
        href: o.withdraw,
      },
    ],
  });
}
