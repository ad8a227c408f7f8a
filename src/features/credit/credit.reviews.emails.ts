// The outcome of a human review of a declined credit check, mailed to the customer in their language. The mail
// never names the agency's reason; a rejection carries staff's note and the other ways to pay and to complain.
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
    ? {
        to: o.to,
        subject: `Ihre Bitte um Überprüfung: ${nowPossible(o.method).de}`,
        body: `Guten Tag,\n\neine Person aus unserem Team hat die automatisierte Entscheidung über ${how.de} überprüft und Ihrer Bitte entsprochen.\n\nSie können Ihre Bestellung jetzt mit dieser Zahlungsart abschließen: ${o.checkoutLink}\n\nDie Freigabe gilt einmal, für eine Bestellung bis ${amount} mit demselben Namen und derselben Rechnungsadresse, und bis ${until}; für diese Bestellung wird keine erneute Auskunft eingeholt.${note ? `\n\nAnmerkung unseres Teams:\n${note}` : ''}\n`,
      }
    : {
        to: o.to,
        subject: `Your review request: ${nowPossible(o.method).en}`,
        body: `Hello,\n\na person on our staff has reviewed the automated decision about ${how.en} and granted your request.\n\nYou can now complete your order with this payment method: ${o.checkoutLink}\n\nThe approval holds once, for one order of up to ${amount} with the same name and billing address, until ${until}; no new enquiry is made for that order.${note ? `\n\nA note from our staff:\n${note}` : ''}\n`,
      };
}

export function reviewRejectedMail(o: ReviewOutcome): MailMessage {
  const how = paying(o.method);
  return o.lang === 'de'
    ? {
        to: o.to,
        subject: 'Ihre Bitte um Überprüfung: Ergebnis',
        body: `Guten Tag,\n\neine Person aus unserem Team hat die automatisierte Entscheidung über ${how.de} überprüft und bestätigt sie. Für die betreffende Bestellung können wir diese Zahlungsart daher nicht anbieten.\n\nBegründung unseres Teams:\n${o.note}\n\nSie können Ihre Bestellung mit einer anderen Zahlungsart abschließen: ${o.checkoutLink}\n\nSie haben das Recht, sich bei einer Datenschutz-Aufsichtsbehörde zu beschweren; mehr dazu in unserer Datenschutzerklärung: ${o.privacyLink}\n`,
      }
    : {
        to: o.to,
        subject: 'Your review request: the outcome',
        body: `Hello,\n\na person on our staff has reviewed the automated decision about ${how.en} and confirms it. We therefore cannot offer this payment method for the order concerned.\n\nOur staff's reasons:\n${o.note}\n\nYou can complete your order with another payment method: ${o.checkoutLink}\n\nYou have the right to lodge a complaint with a data protection supervisory authority; see our privacy policy: ${o.privacyLink}\n`,
      };
}
