// Mail of an export: the copy of the person's data is ready, and until when it can be downloaded.
import { composeMail } from '../../platform/email/compose.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { MailMessage } from '../mail/index.ts';

export function exportReadyMail(
  lang: Lang,
  o: {
    to: string;
    company: string;
    /** The address of the download: the privacy centre, or the guest's signed link (with its placeholder). */
    href: string;
    /** True when the link leads to the privacy centre (sign-in needed), false for a guest's own link. */
    viaAccount: boolean;
    /** The moment after which it can no longer be downloaded, formatted. */
    until: string;
  },
): MailMessage {
  const de = lang === 'de';
  return composeMail({
    to: o.to,
    lang,
    subject: de ? 'Ihre Datenkopie ist bereit' : 'Your copy of your data is ready',
    template: 'privacy-export-ready',
    blocks: [
      { kind: 'paragraph', text: de ? 'Hallo,' : 'Hello,' },
      {
        kind: 'paragraph',
        text: de
          ? `wie von Ihnen verlangt, hat ${o.company} eine Kopie Ihrer Daten erstellt: eine ZIP-Datei mit einer Übersicht, jeder Datenart als JSON und CSV und Ihren Dateien.`
          : `as you asked, ${o.company} has made a copy of your data: a ZIP file with an overview, each kind of data as JSON and CSV, and your files.`,
      },
      o.viaAccount
        ? {
            kind: 'link',
            label: de
              ? 'Im Datenschutzbereich Ihres Kontos herunterladen'
              : 'Download it in the privacy area of your account',
            href: o.href,
          }
        : { kind: 'link', label: de ? 'Kopie herunterladen' : 'Download the copy', href: o.href },
      {
        kind: 'paragraph',
        text: de
          ? `Sie können sie bis ${o.until} herunterladen; danach löschen wir die Datei.`
          : `You can download it until ${o.until}; after that we delete the file.`,
      },
      {
        kind: 'note',
        text: o.viaAccount
          ? de
            ? 'Nur Sie können die Datei herunterladen, angemeldet mit Ihrem Konto.'
            : 'Only you can download it, signed in to your account.'
          : de
            ? 'Der Link gilt nur für Sie: Geben Sie ihn nicht weiter.'
            : 'The link is for you alone: do not pass it on.',
      },
    ],
  });
}
