// The shipping notification: the order left the warehouse, with the carrier, the tracking number and the link to
// the carrier's tracking page, in the customer's language (composeMail: a text and an HTML part).
import { composeMail, type MailBlock } from '../../platform/email/compose.ts';
import { formatTime, type Lang } from '../../platform/i18n.ts';
import type { MailMessage } from '../mail/index.ts';
import type { OrderLine, OrdersTable } from './orders.tables.ts';

export interface ShippingFacts {
  carrier: string;
  number: string;
  url: string;
  shippedAt: number;
  timeZone: string;
  baseUrl: string;
  company: string;
  /** The operator's contact address for questions. */
  contact: string;
}

export function shippingMail(
  lang: Lang,
  to: string,
  order: Pick<OrdersTable, 'id' | 'number' | 'lines'>,
  facts: ShippingFacts,
): MailMessage {
  const de = lang === 'de';
  const when = formatTime(lang, facts.shippedAt, facts.timeZone);
  const parcel = (JSON.parse(order.lines) as OrderLine[]).filter(
    (l) => l.kind === 'hardware' || (l.contents ?? []).some((c) => c.kind === 'hardware'),
  );
  const blocks: MailBlock[] = [
    {
      kind: 'heading',
      text: de ? `Ihre Bestellung ${order.number} ist unterwegs` : `Your order ${order.number} has shipped`,
    },
    {
      kind: 'paragraph',
      text: de
        ? `Gute Nachricht: Ihre Bestellung ${order.number} hat am ${when} unser Lager verlassen und ist mit ${facts.carrier} zu Ihnen unterwegs.`
        : `Good news: your order ${order.number} left our warehouse on ${when} and is on its way to you with ${facts.carrier}.`,
    },
    {
      kind: 'table',
      caption: de ? 'Ihre Sendung' : 'Your parcel',
      rows: [
        { label: de ? 'Versanddienstleister' : 'Carrier', value: facts.carrier },
        { label: de ? 'Sendungsnummer' : 'Tracking number', value: facts.number },
        ...parcel.map((l) => ({ label: l.title, value: `${l.quantity} ×` })),
      ],
    },
    ...(facts.url
      ? [{ kind: 'link' as const, label: de ? 'Sendung verfolgen' : 'Track your parcel', href: facts.url }]
      : []),
    {
      kind: 'link',
      label: de ? 'Ihre Bestellung im Konto' : 'Your order in your account',
      href: `${facts.baseUrl}/account/orders/${order.id}`,
    },
    {
      kind: 'note',
      text: de
        ? `Sie erhalten diese E-Mail, weil Sie bei ${facts.company} bestellt haben. Fragen zur Lieferung beantworten wir gern unter ${facts.contact}.`
        : `You receive this email because you ordered from ${facts.company}. Questions about the delivery? Write to us at ${facts.contact}.`,
    },
  ];
  return composeMail({
    to,
    lang,
    subject: de ? `Versandbestätigung zu Ihrer Bestellung ${order.number}` : `Your order ${order.number} has shipped`,
    blocks,
    template: 'order-shipped',
  });
}
