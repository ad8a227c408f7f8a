// Mail the DPO console sends about a request: an extended deadline (Art. 12(3) GDPR, within the first month, with
// the reason) and a refusal (Art. 12(4): the reason and the right to complain to the supervisory authority).
import { composeMail } from '../../platform/email/compose.ts';
import { formatDay, type Lang } from '../../platform/i18n.ts';
import type { Operator } from '../../platform/operator.ts';
import type { MailMessage } from '../mail/index.ts';
import { kindNames } from './rights.model.ts';
import type { RequestKind } from './rights.tables.ts';

interface About {
  to: string;
  kind: RequestKind;
  receivedAt: number;
  operator: Pick<Operator, 'company' | 'dpo' | 'supervisoryAuthority' | 'timeZone'>;
}

export function extensionMail(lang: Lang, o: About & { dueAt: number; reason: string }): MailMessage {
  const de = lang === 'de';
  const day = (at: number) => formatDay(lang, at, o.operator.timeZone);
  return composeMail({
    to: o.to,
    lang,
    subject: de ? 'Ihre Datenschutzanfrage: neue Frist' : 'Your privacy request: a new deadline',
    template: 'privacy-request-extended',
    blocks: [
      { kind: 'paragraph', text: de ? 'Hallo,' : 'Hello,' },
      {
        kind: 'paragraph',
        text: de
          ? `wir bearbeiten Ihre Anfrage „${kindNames[o.kind].de}“ vom ${day(o.receivedAt)}. Wegen ihrer Komplexität oder der Zahl der Anfragen brauchen wir länger als einen Monat und verlängern die Frist nach Art. 12 Abs. 3 DSGVO um zwei Monate.`
          : `we are working on your request "${kindNames[o.kind].en}" of ${day(o.receivedAt)}. Because of its complexity or the number of requests we need more than a month, and extend the deadline by two months under Art. 12(3) GDPR.`,
      },
      {
        kind: 'table',
        rows: [
          { label: de ? 'Neue Frist' : 'New deadline', value: day(o.dueAt), strong: true },
          { label: de ? 'Grund' : 'Reason', value: o.reason },
        ],
      },
      {
        kind: 'note',
        text: de
          ? `Fragen beantwortet ${o.operator.dpo.name}, ${o.operator.dpo.email}.`
          : `${o.operator.dpo.name}, ${o.operator.dpo.email}, answers any questions.`,
      },
    ],
  });
}

export function refusalMail(lang: Lang, o: About & { reason: string }): MailMessage {
  const de = lang === 'de';
  const day = (at: number) => formatDay(lang, at, o.operator.timeZone);
  const sa = o.operator.supervisoryAuthority;
  return composeMail({
    to: o.to,
    lang,
    subject: de ? 'Ihre Datenschutzanfrage wurde abgelehnt' : 'Your privacy request was refused',
    template: 'privacy-request-refused',
    blocks: [
      { kind: 'paragraph', text: de ? 'Hallo,' : 'Hello,' },
      {
        kind: 'paragraph',
        text: de
          ? `${o.operator.company} kann Ihrer Anfrage „${kindNames[o.kind].de}“ vom ${day(o.receivedAt)} nicht nachkommen. Der Grund:`
          : `${o.operator.company} cannot comply with your request "${kindNames[o.kind].en}" of ${day(o.receivedAt)}. The reason:`,
      },
      { kind: 'text', text: o.reason },
      {
        kind: 'paragraph',
        text: de
          ? 'Sie können sich bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO) und einen gerichtlichen Rechtsbehelf einlegen (Art. 79 DSGVO). Die für uns zuständige Behörde ist:'
          : 'You may complain to a data protection supervisory authority (Art. 77 GDPR) and seek a judicial remedy (Art. 79 GDPR). The authority responsible for us is:',
      },
      {
        kind: 'address',
        caption: de ? 'Aufsichtsbehörde' : 'Supervisory authority',
        lines: [sa.name, ...sa.address, sa.url],
      },
      {
        kind: 'note',
        text: de
          ? `Fragen beantwortet ${o.operator.dpo.name}, ${o.operator.dpo.email}.`
          : `${o.operator.dpo.name}, ${o.operator.dpo.email}, answers any questions.`,
      },
    ],
  });
}
