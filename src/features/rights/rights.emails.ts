// Mail about a data-subject request: the erasure's confirmation, listing what the law makes us keep and until when.
import { composeMail, type MailBlock } from '../../platform/email/compose.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { KeptRecord } from '../../privacy/subject.ts';
import type { MailMessage } from '../mail/index.ts';

export function erasureDoneMail(
  lang: Lang,
  o: {
    to: string;
    company: string;
    kept: readonly KeptRecord[];
    activityName: (id: string) => string;
    /** How long sent mail (this one too) and the record of its delivery are kept, from the data map. */
    sentMailDays: number | undefined;
  },
): MailMessage {
  const de = lang === 'de';
  const subject = de ? 'Ihre Daten wurden gelöscht' : 'Your data has been erased';
  return composeMail({
    to: o.to,
    lang,
    subject,
    template: 'privacy-erasure-done',
    blocks: [
      { kind: 'paragraph', text: de ? 'Hallo,' : 'Hello,' },
      {
        kind: 'paragraph',
        text: de
          ? `wie von Ihnen verlangt, hat ${o.company} Ihr Kundenkonto und Ihre Daten gelöscht. Sie können sich nicht mehr anmelden.`
          : `as you asked, ${o.company} has erased your account and your data. You can no longer sign in.`,
      },
      ...(o.kept.length === 0
        ? [
            {
              kind: 'paragraph' as const,
              text: de
                ? 'Wir bewahren nichts über Sie auf, außer der Aufzeichnung dieser Anfrage.'
                : 'We keep nothing about you except the record of this request.',
            },
          ]
        : keptBlocks(lang, o.kept, o.activityName)),
      {
        kind: 'note',
        text:
          (de
            ? 'Diese Bestätigung ist die letzte E-Mail, die Sie von uns zu diesem Konto erhalten.'
            : 'This confirmation is the last mail you receive from us about this account.') +
          (o.sentMailDays === undefined
            ? ''
            : de
              ? ` Wie jede E-Mail, die wir versenden, bewahren wir sie und den Nachweis ihrer Zustellung ${o.sentMailDays} Tage auf und löschen sie dann.`
              : ` Like every mail we send, it is kept with the record of its delivery for ${o.sentMailDays} days and then deleted.`),
      },
    ],
  });
}

/**
 * What statutory retention keeps after an erasure, restricted, with its end and legal basis: the erasure's
 * confirmation and the notice to a dormant account (rights.dormancy.emails.ts) say it in the same words.
 */
export function keptBlocks(
  lang: Lang,
  kept: readonly Pick<KeptRecord, 'activity' | 'until' | 'basis'>[],
  activityName: (id: string) => string,
): MailBlock[] {
  const de = lang === 'de';
  return [
    {
      kind: 'paragraph',
      text: de
        ? 'Einiges müssen wir von Gesetzes wegen noch aufbewahren. Es ist gesperrt: Wir verwenden es für nichts anderes und löschen es, sobald die Frist endet.'
        : 'Some records the law makes us keep for a while. They are restricted: we use them for nothing else and delete them when the period ends.',
    },
    {
      kind: 'table',
      caption: de ? 'Was wir aufbewahren' : 'What we keep',
      rows: kept.map((k) => ({
        label: activityName(k.activity),
        value: `${de ? 'bis' : 'until'} ${k.until[lang]}: ${k.basis[lang]}`,
      })),
    },
  ];
}
