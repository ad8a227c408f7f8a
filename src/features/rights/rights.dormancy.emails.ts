// Mail to a dormant account (policy 9c): the account will be erased in 30 days unless the person signs in, with
// what statutory retention would keep (the erasure's own words, rights.emails.ts); or, for an account that holds
// licences or registered hardware, which is not erased for dormancy, the offer of a copy of the data instead.
import { composeMail } from '../../platform/email/compose.ts';
import { formatDay, type Lang } from '../../platform/i18n.ts';
import type { KeptRecord } from '../../privacy/subject.ts';
import type { MailMessage } from '../mail/index.ts';
import { keptBlocks } from './rights.emails.ts';

export interface DormancyNotice {
  to: string;
  name: string;
  company: string;
  timeZone: string;
  years: number;
  signInUrl: string;
  privacyUrl: string;
}

export function dormantErasureMail(
  lang: Lang,
  o: DormancyNotice & {
    erasureAt: number;
    kept: readonly Pick<KeptRecord, 'activity' | 'until' | 'basis'>[];
    activityName: (id: string) => string;
  },
): MailMessage {
  const de = lang === 'de';
  const day = formatDay(lang, o.erasureAt, o.timeZone);
  return composeMail({
    to: o.to,
    lang,
    subject: de
      ? 'Ihr Kundenkonto wird gelöscht, wenn Sie sich nicht anmelden'
      : 'Your account will be erased unless you sign in',
    template: 'privacy-dormant-erasure',
    blocks: [
      { kind: 'paragraph', text: de ? `Hallo ${o.name},` : `Hello ${o.name},` },
      {
        kind: 'paragraph',
        text: de
          ? `Sie haben sich seit ${o.years} Jahren nicht bei ${o.company} angemeldet und nichts bestellt. Daten, die wir nicht mehr brauchen, dürfen wir nicht aufbewahren: Wir löschen Ihr Kundenkonto und Ihre Daten am ${day}, 30 Tage nach dieser E-Mail.`
          : `You have not signed in to ${o.company} or ordered anything for ${o.years} years. We may not keep data we no longer need: we will erase your account and your data on ${day}, 30 days after this mail.`,
      },
      {
        kind: 'paragraph',
        text: de
          ? 'Möchten Sie Ihr Konto behalten, melden Sie sich einfach vor diesem Tag an; dann bleibt alles, wie es ist. Vorher können Sie im Datenschutz-Center eine Kopie Ihrer Daten herunterladen.'
          : 'If you want to keep your account, just sign in before that day; everything then stays as it is. Before then you can download a copy of your data in the privacy centre.',
      },
      { kind: 'link', label: de ? 'Anmelden und Konto behalten' : 'Sign in and keep the account', href: o.signInUrl },
      ...(o.kept.length === 0 ? [] : keptBlocks(lang, o.kept, o.activityName)),
      {
        kind: 'note',
        text: de
          ? `Sie erhalten diese E-Mail, weil Sie ein Kundenkonto bei ${o.company} haben. Ihr Datenschutz-Center: ${o.privacyUrl}`
          : `You receive this mail because you have an account with ${o.company}. Your privacy centre: ${o.privacyUrl}`,
      },
    ],
  });
}

export function dormantExportMail(lang: Lang, o: DormancyNotice): MailMessage {
  const de = lang === 'de';
  return composeMail({
    to: o.to,
    lang,
    subject: de ? 'Ihr Kundenkonto ist seit Langem ungenutzt' : 'Your account has not been used for a long time',
    template: 'privacy-dormant-export',
    blocks: [
      { kind: 'paragraph', text: de ? `Hallo ${o.name},` : `Hello ${o.name},` },
      {
        kind: 'paragraph',
        text: de
          ? `Sie haben sich seit ${o.years} Jahren nicht bei ${o.company} angemeldet und nichts bestellt. Ihr Konto enthält Lizenzen oder registrierte Hardware, für die Sie bezahlt haben: Deshalb löschen wir es nicht.`
          : `You have not signed in to ${o.company} or ordered anything for ${o.years} years. Your account holds licences or registered hardware you paid for, so we do not erase it.`,
      },
      {
        kind: 'paragraph',
        text: de
          ? 'Im Datenschutz-Center können Sie eine Kopie Ihrer Daten herunterladen oder die Löschung Ihres Kontos verlangen.'
          : 'In the privacy centre you can download a copy of your data, or ask us to erase your account.',
      },
      { kind: 'link', label: de ? 'Kopie meiner Daten' : 'A copy of my data', href: o.privacyUrl },
      {
        kind: 'note',
        text: de
          ? `Sie erhalten diese E-Mail einmal, weil Sie ein Kundenkonto bei ${o.company} haben.`
          : `You receive this mail once because you have an account with ${o.company}.`,
      },
    ],
  });
}
