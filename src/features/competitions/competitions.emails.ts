// The one mail of a competition entry: confirm the address (the entry counts only then), or withdraw. It names no
// entrant (no name in the outbox), and both links are secret placeholders revealed only as the mail leaves.
import { composeMail } from '../../platform/email/compose.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { MailMessage } from '../mail/index.ts';

export function confirmEntryMail(
  lang: Lang,
  o: { to: string; title: string; confirmUrl: string; withdrawUrl: string; validUntil: string },
): MailMessage {
  const de = lang === 'de';
  return composeMail({
    to: o.to,
    lang,
    template: 'competition-confirm-entry',
    subject: de ? `Bitte bestätigen Sie Ihre Teilnahme: ${o.title}` : `Please confirm your entry: ${o.title}`,
    blocks: [
      {
        kind: 'paragraph',
        text: de
          ? `Mit dieser E-Mail-Adresse wurde am Gewinnspiel „${o.title}“ teilgenommen. Die Teilnahme zählt erst, wenn Sie sie bestätigen.`
          : `This email address was entered in the competition “${o.title}”. The entry counts only once you confirm it.`,
      },
      { kind: 'link', label: de ? 'Teilnahme bestätigen' : 'Confirm my entry', href: o.confirmUrl },
      {
        kind: 'paragraph',
        text: de
          ? `Der Link gilt bis ${o.validUntil}. Ohne Bestätigung löschen wir die Angaben danach.`
          : `The link works until ${o.validUntil}. Without a confirmation we delete the details after that.`,
      },
      {
        kind: 'note',
        text: de
          ? 'Waren Sie das nicht, oder möchten Sie doch nicht teilnehmen? Mit dem folgenden Link löschen wir die Teilnahme sofort.'
          : 'Was this not you, or have you changed your mind? With the following link we delete the entry at once.',
      },
      { kind: 'link', label: de ? 'Teilnahme zurückziehen' : 'Withdraw my entry', href: o.withdrawUrl },
    ],
  });
}
