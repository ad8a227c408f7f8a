// The outcome of a human review of a declined credit check, mailed to the customer in their language. The mail
// never names the agency's reason; a rejection carries staff's note and the other ways to pay and to complain.
// Text and HTML from the same blocks (platform/email/compose.ts).
import { composeMail } from '../../platform/email/compose.ts';
import { formatEuro, formatTime, type Lang, type Text } from '../../platform/i18n.ts';
import { paymentMethodNames, type PaymentMethod } from '../../shop/payment-methods.ts';
import type { MailMessage } from '../mail/index.ts';

/** The subject of an approval: you can now pay this way. */
const nowPossible = (method: PaymentMethod): Text => {
  const by = paymentMethodNames[method].by;
  return { en: `you can now pay ${by.en}`, de: `Zahlung ${by.de} möglich` };
};

/** The payment method as the mails' sentences need it ("about paying …", "über die Zahlung …"). */
const paying = (method: PaymentMethod): Text => {
  const by = paymentMethodNames[method].by;
  return { en: `paying ${by.en}`, de: `die Zahlung ${by.de}` };
};

export interface ReviewOutcome {
  to: string;
  lang: Lang;
  method: PaymentMethod;
  amountCents: number;
  note: string;
  /** Approved: until when the approval holds. */
  expiresAt?: number;
  checkoutLink: string;
  privacyLink: string;
  /** The operator's time zone, in which the approval's end is stated. */
  timeZone: string;
}

export function reviewApprovedMail(o: ReviewOutcome & { expiresAt: number }): MailMessage {
  const amount = formatEuro(o.lang, o.amountCents);
  const until = formatTime(o.lang, o.expiresAt, o.timeZone);
  const note = o.note;
  const how = paying(o.method);
  return o.lang === 'de'
    ? composeMail({
        to: o.to,
        lang: o.lang,
        subject: `Ihre Bitte um Überprüfung: ${nowPossible(o.method).de}`,
        template: 'credit-review-approved',
        blocks: [
          { kind: 'paragraph', text: 'Guten Tag,' },
          {
            kind: 'paragraph',
            text: `eine Person aus unserem Team hat die automatisierte Entscheidung über ${how.de} überprüft und Ihrer Bitte entsprochen.`,
          },
          { kind: 'paragraph', text: 'Sie können Ihre Bestellung jetzt mit dieser Zahlungsart abschließen:' },
          { kind: 'link', label: 'Zur Kasse', href: o.checkoutLink },
          {
            kind: 'paragraph',
            text: `Die Freigabe gilt einmal, für eine Bestellung bis ${amount} mit demselben Namen und derselben Rechnungsadresse, und bis ${until}; für diese Bestellung wird keine erneute Auskunft eingeholt.`,
          },
          ...(note ? [{ kind: 'paragraph' as const, text: `Anmerkung unseres Teams:\n${note}` }] : []),
        ],
      })
    : composeMail({
        to: o.to,
        lang: o.lang,
        subject: `Your review request: ${nowPossible(o.method).en}`,
        template: 'credit-review-approved',
        blocks: [
          { kind: 'paragraph', text: 'Hello,' },
          {
            kind: 'paragraph',
            text: `a person on our staff has reviewed the automated decision about ${how.en} and granted your request.`,
          },
          { kind: 'paragraph', text: 'You can now complete your order with this payment method:' },
          { kind: 'link', label: 'Go to checkout', href: o.checkoutLink },
          {
            kind: 'paragraph',
            text: `The approval holds once, for one order of up to ${amount} with the same name and billing address, until ${until}; no new enquiry is made for that order.`,
          },
          ...(note ? [{ kind: 'paragraph' as const, text: `A note from our staff:\n${note}` }] : []),
        ],
      });
}

export function reviewRejectedMail(o: ReviewOutcome): MailMessage {
  const how = paying(o.method);
  return o.lang === 'de'
    ? composeMail({
        to: o.to,
        lang: o.lang,
        subject: 'Ihre Bitte um Überprüfung: Ergebnis',
        template: 'credit-review-rejected',
        blocks: [
          { kind: 'paragraph', text: 'Guten Tag,' },
          {
            kind: 'paragraph',
            text: `eine Person aus unserem Team hat die automatisierte Entscheidung über ${how.de} überprüft und bestätigt sie. Für die betreffende Bestellung können wir diese Zahlungsart daher nicht anbieten.`,
          },
          { kind: 'paragraph', text: `Begründung unseres Teams:\n${o.note}` },
          { kind: 'paragraph', text: 'Sie können Ihre Bestellung mit einer anderen Zahlungsart abschließen:' },
          { kind: 'link', label: 'Zur Kasse', href: o.checkoutLink },
          {
            kind: 'paragraph',
            text: 'Sie haben das Recht, sich bei einer Datenschutz-Aufsichtsbehörde zu beschweren; mehr dazu in unserer Datenschutzerklärung:',
          },
          { kind: 'link', label: 'Datenschutzerklärung', href: o.privacyLink },
        ],
      })
    : composeMail({
        to: o.to,
        lang: o.lang,
        subject: 'Your review request: the outcome',
        template: 'credit-review-rejected',
        blocks: [
          { kind: 'paragraph', text: 'Hello,' },
          {
            kind: 'paragraph',
            text: `a person on our staff has reviewed the automated decision about ${how.en} and confirms it. We therefore cannot offer this payment method for the order concerned.`,
          },
          { kind: 'paragraph', text: `Our staff's reasons:\n${o.note}` },
          { kind: 'paragraph', text: 'You can complete your order with another payment method:' },
          { kind: 'link', label: 'Go to checkout', href: o.checkoutLink },
          {
            kind: 'paragraph',
            text: 'You have the right to lodge a complaint with a data protection supervisory authority; see our privacy policy:',
          },
          { kind: 'link', label: 'Privacy policy', href: o.privacyLink },
        ],
      });
}
