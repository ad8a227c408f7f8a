// The invitation to join the staff: its own text (who invites, to which shop, as which role, until when, what follows,
// including the second factor), never a password-reset text. The link holds a placeholder; the worker puts the token in.
import { composeMail } from '../../platform/email/compose.ts';
import type { Lang } from '../../platform/i18n.ts';
import { defaultDpoTitle, type DpoTitle } from '../../platform/operator.ts';
import type { MailMessage } from '../mail/index.ts';
import { mailSafeName } from './names.ts';
import type { StaffRole } from './accounts.tables.ts';

export const staffRoleNames: Record<StaffRole | 'customer', { en: string; de: string }> = {
  staff: { en: 'staff member', de: 'Mitarbeiter' },
  dpo: { en: 'data-protection officer', de: 'Datenschutzbeauftragter' },
  admin: { en: 'administrator', de: 'Administrator' },
  customer: { en: 'customer (no staff access)', de: 'Kunde (kein Zugang zur Verwaltung)' },
};

export interface InvitationMailInput {
  lang: Lang;
  to: string;
  /** The invitee's name as the admin typed it; greeted with only if it is plain text. */
  name: string | null;
  /** The inviting admin's name. */
  invitedBy: string;
  shop: string;
  role: StaffRole;
  /** Already formatted in the mail's language and the operator's time zone. */
  validUntil: string;
  link: string;
  /** How the operator names the DPO's office (operator file, `dpo.title`); the statutory form without one. */
  dpoTitle?: DpoTitle | undefined;
}

export function staffInvitationMail(input: InvitationMailInput): MailMessage {
  const { lang, to, shop, link, validUntil } = input;
  const name = mailSafeName(input.name ?? '');
  const by = mailSafeName(input.invitedBy) || (lang === 'de' ? 'Ein Administrator' : 'An administrator');
  const role = input.role === 'dpo' ? (input.dpoTitle ?? defaultDpoTitle)[lang] : staffRoleNames[input.role][lang];
  return lang === 'de'
    ? composeMail({
        to,
        lang,
        subject: `Einladung in die Verwaltung von ${shop}`,
        blocks: [
          { kind: 'paragraph', text: name ? `Hallo ${name},` : 'Hallo,' },
          {
            kind: 'paragraph',
            text: `${by} lädt Sie ein, in der Verwaltung von ${shop} als ${role} mitzuarbeiten.`,
          },
          {
            kind: 'paragraph',
            text: `Mit diesem Link nehmen Sie die Einladung an; er ist bis ${validUntil} gültig und nur einmal verwendbar:`,
          },
          { kind: 'link', label: 'Einladung annehmen', href: link },
          {
            kind: 'paragraph',
            text: 'So geht es weiter: Sie wählen ein Passwort (haben Sie unter dieser Adresse bereits ein Kundenkonto, bestätigen Sie stattdessen dessen Passwort) und sind danach angemeldet. Bevor sich die erste Seite der Verwaltung öffnet, richten Sie einen zweiten Faktor ein: eine Authenticator-App auf Ihrem Telefon, die Anmeldecodes erzeugt, sowie Wiederherstellungscodes für den Notfall.',
          },
          {
            kind: 'note',
            text: 'Erwarten Sie keine solche Einladung, ignorieren Sie diese E-Mail; ohne den Link entsteht kein Zugang.',
          },
        ],
      })
    : composeMail({
        to,
        lang,
        subject: `Invitation to the ${shop} console`,
        blocks: [
          { kind: 'paragraph', text: name ? `Hello ${name},` : 'Hello,' },
          { kind: 'paragraph', text: `${by} invites you to work in the console of ${shop} as ${role}.` },
          {
            kind: 'paragraph',
            text: `Accept the invitation with this link; it is valid until ${validUntil} and can be used once:`,
          },
          { kind: 'link', label: 'Accept the invitation', href: link },
          {
            kind: 'paragraph',
            text: 'What happens next: you choose a password (if you already have a customer account with this address, you confirm its password instead) and are then signed in. Before the first console page opens, you set up a second factor: an authenticator app on your phone that generates sign-in codes, and recovery codes for emergencies.',
          },
          {
            kind: 'note',
            text: 'If you did not expect this invitation, ignore this email; without the link no access is created.',
          },
        ],
      });
}
