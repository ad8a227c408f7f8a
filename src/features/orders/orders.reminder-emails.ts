// A payment reminder for an order on invoice that is past due: friendly, with everything needed to pay (amount,
// account, reference) and a way out for a payment that crossed it. In the customer's language (composeMail).
import { composeMail, type MailBlock } from '../../platform/email/compose.ts';
import { formatEuro, type Lang } from '../../platform/i18n.ts';
import { formatDay, formatIban, type InvoicePaymentDetails } from '../invoices/index.ts';
import type { MailMessage } from '../mail/index.ts';
import type { OrdersTable } from './orders.tables.ts';

export interface ReminderFacts {
  level: number;
  payment: InvoicePaymentDetails;
  timeZone: string;
  baseUrl: string;
  company: string;
  contact: string;
}

export function paymentReminderMail(
  lang: Lang,
  to: string,
  order: Pick<OrdersTable, 'id' | 'number' | 'created_at'>,
  facts: ReminderFacts,
): MailMessage {
  const de = lang === 'de';
  const p = facts.payment;
  const ordered = formatDay(lang, order.created_at, facts.timeZone);
  const due = formatDay(lang, p.dueAt, facts.timeZone);
  const amount = formatEuro(lang, p.amountCents);
  const subject = de
    ? `${facts.level > 1 ? `${facts.level}. ` : ''}Zahlungserinnerung zu Ihrer Bestellung ${order.number}`
    : `${facts.level > 1 ? `${ordinal(facts.level)} payment reminder` : 'Payment reminder'}: your order ${order.number}`;
  const blocks: MailBlock[] = [
    { kind: 'heading', text: subject },
    // A German letter goes on in lower case after the salutation's comma ("Guten Tag, / für Ihre …").
    { kind: 'paragraph', text: de ? 'Guten Tag,' : 'Hello,' },
    {
      kind: 'paragraph',
      text: de
        ? `für Ihre Bestellung ${order.number} vom ${ordered} haben wir bis heute keine Zahlung erhalten. Die Rechnung über ${amount} war am ${due} fällig. Vielleicht ist sie Ihnen entgangen: Bitte überweisen Sie den Betrag auf das folgende Konto und geben Sie als Verwendungszweck ${p.reference} an.`
        : `We have not yet received the payment for your order ${order.number} of ${ordered}. The invoice of ${amount} was due on ${due}. Perhaps it slipped your mind: please transfer the amount to the account below, with the payment reference ${p.reference}.`,
    },
    {
      kind: 'table',
      caption: de ? 'Bankverbindung' : 'Bank details',
      rows: [
        { label: de ? 'Betrag' : 'Amount', value: amount, strong: true },
        { label: de ? 'Kontoinhaber' : 'Account holder', value: p.accountHolder },
        { label: 'IBAN', value: formatIban(p.iban) },
        { label: 'BIC', value: p.bic },
        { label: 'Bank', value: p.bank },
        { label: de ? 'Verwendungszweck' : 'Payment reference', value: p.reference },
      ],
    },
    {
      kind: 'paragraph',
      text: de
        ? 'Haben Sie in den letzten Tagen bereits gezahlt? Dann haben sich Ihre Zahlung und diese Erinnerung überschnitten; betrachten Sie sie bitte als gegenstandslos.'
        : 'Have you paid in the last few days? Then your payment and this reminder crossed; please disregard it.',
    },
    {
      kind: 'link',
      label: de ? 'Ihre Bestellung im Konto' : 'Your order in your account',
      href: `${facts.baseUrl}/account/orders/${order.id}`,
    },
    {
      kind: 'note',
      text: de
        ? `Fragen zu Ihrer Rechnung beantworten wir gern unter ${facts.contact}. ${facts.company}`
        : `Questions about your invoice? Write to us at ${facts.contact}. ${facts.company}`,
    },
  ];
  return composeMail({ to, lang, subject, blocks, template: 'payment-reminder' });
}

function ordinal(n: number): string {
  return n === 2 ? 'Second' : n === 3 ? 'Third' : `${n}th`;
}
