// Policy 7: the credit check before an order with a checked payment method (CREDIT_CHECK_METHODS, default invoice
// only), its daily allowances, and the human review of a decline. The review belongs to the same activity: it is
// the safeguard Art. 22(3) GDPR attaches to this automated decision, for the same purpose and on the same basis.
import type { Text } from '../../platform/i18n.ts';
import type { DataMapPart } from '../../privacy/data-map.ts';
import type { CreditAgencyCompany } from '../../shop/credit-agency.ts';
import { PAYMENT_METHODS, paymentMethodNames, type PaymentMethod } from '../../shop/payment-methods.ts';
import { APPROVAL_DAYS, REVIEW_WINDOW_DAYS } from './credit.reviews.service.ts';

/** "on account (invoice) or by credit card": the checked methods as one phrase in each language. */
function methodsPhrase(methods: readonly PaymentMethod[]): Text {
  const join = (names: string[], or: string) =>
    names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${or} ${names[names.length - 1]}`;
  return {
    en: join(
      methods.map((m) => paymentMethodNames[m].by.en),
      'or',
    ),
    de: join(
      methods.map((m) => paymentMethodNames[m].by.de),
      'oder',
    ),
  };
}

/** What the policy says of the other ways to pay: the unchecked methods by name, or honestly that there is none. */
export function alternativesText(methods: readonly PaymentMethod[]): Text {
  const unchecked = PAYMENT_METHODS.filter((m) => !methods.includes(m));
  if (unchecked.length === 0)
    return {
      en: 'Every payment method we offer is credit-checked, so there is no way to pay without a check. A person on our staff will still review a decline at your request (see below).',
      de: 'Jede Zahlungsart, die wir anbieten, wird einer Bonitätsprüfung unterzogen; ohne Prüfung können Sie daher nicht bezahlen. Auf Ihren Wunsch überprüft eine Person aus unserem Team eine Ablehnung dennoch (siehe unten).',
    };
  const other = methodsPhrase(unchecked);
  return {
    en: `You can pay ${other.en} without a credit check.`,
    de: `Sie können ohne Bonitätsprüfung ${other.de} bezahlen.`,
  };
}

export interface CreditDataMapSettings {
  /** CREDIT_CHECK_METHODS. */
  methods?: readonly PaymentMethod[];
  /** The configured agency's company (CREDIT_AGENCY), named as recipient and as the source of the answer. */
  agency: CreditAgencyCompany;
  /** CREDIT_CHECKS_PER_DAY. */
  checksPerDay?: number;
}

/** The credit feature's data map; its texts name the checked payment methods, the agency and the daily allowance. */
export function creditDataMap(settings: CreditDataMapSettings): DataMapPart {
  const methods = settings.methods ?? ['invoice'];
  const agency = settings.agency;
  const perDay = settings.checksPerDay ?? 3;
  const paid = methodsPhrase(methods);
  const beforeCharge = methods.some((m) => m !== 'invoice');
  const alternatives = alternativesText(methods);
  return {
    activities: [
      {
        id: 'credit.credit-check',
        name: { en: 'Credit check', de: 'Bonitätsprüfung' },
        purpose: {
          en: `Checking creditworthiness before accepting an order paid ${paid.en}, to protect us against payment default. A check runs only as part of such an order${beforeCharge ? ' (for a card or wallet payment, before anything is charged)' : ''}, at most a few times a day per customer and per name and address.`,
          de: `Prüfung der Kreditwürdigkeit vor Annahme einer Bestellung mit Zahlung ${paid.de}, zum Schutz vor Zahlungsausfall. Eine Prüfung findet nur im Rahmen einer solchen Bestellung statt${beforeCharge ? ' (bei Zahlung mit Karte oder Wallet, bevor etwas belastet wird)' : ''}, höchstens einige Male am Tag je Kunde und je Name und Anschrift.`,
        },
        legalBasis: 'legitimate-interests',
        basisDetail: beforeCharge
          ? {
              en: 'Our interest in not delivering goods that are never paid for: on invoice we deliver before we are paid, and a card or wallet payment can be reversed by the payer after delivery (chargeback).',
              de: 'Unser Interesse, keine Waren zu liefern, die nie bezahlt werden: Auf Rechnung liefern wir, bevor wir bezahlt werden, und eine Zahlung mit Karte oder Wallet kann der Zahler nach der Lieferung rückgängig machen (Rückbelastung).',
            }
          : {
              en: 'Our interest in not delivering goods that are never paid for: on invoice we deliver before we are paid.',
              de: 'Unser Interesse, keine Waren zu liefern, die nie bezahlt werden: Auf Rechnung liefern wir, bevor wir bezahlt werden.',
            },
        subjects: {
          en: `customers who order with payment ${paid.en}`,
          de: `Kunden, die mit Zahlung ${paid.de} bestellen`,
        },
        requirement: {
          required: {
            en: `For an order paid ${paid.en} you must give the billing name and postal address; they, the order amount and the payment method are needed for the credit check, which decides whether we can offer this payment method.`,
            de: `Für eine Bestellung mit Zahlung ${paid.de} müssen Sie Rechnungsnamen und Postanschrift angeben; sie, der Bestellbetrag und die Zahlungsart werden für die Bonitätsprüfung benötigt, die entscheidet, ob wir diese Zahlungsart anbieten können.`,
          },
          without: {
            en: `Without them, or without a check, you cannot pay this way. ${alternatives.en}`,
            de: `Ohne sie oder ohne Prüfung ist diese Zahlungsart nicht möglich. ${alternatives.de}`,
          },
        },
        automatedDecision: {
          // Art. 22(2)(a): the decision is necessary for entering into the contract on these payment terms (we deliver
          // before being paid); the person can always contract without it by another payment method.
          exception: 'contract',
          inputs: {
            en: 'The billing name, street, postal code, city and country, the order amount and the payment method: exactly these fields are sent to the credit agency.',
            de: 'Rechnungsname, Straße, Postleitzahl, Ort und Land, der Bestellbetrag und die Zahlungsart: genau diese Angaben werden an die Auskunftei übermittelt.',
          },
          logic: {
            en: `The credit agency answers “approved” or “declined”, with a reason: whether the address can be verified, whether it holds negative payment information about the person (such as unpaid claims or insolvency), and whether the amount is within the limits for the payment method. Our own rule is only a daily allowance: at most ${perDay} checks a day per customer and per name and address; when it is used up, we do not ask the agency that day, refuse an order with a checked payment method and say that no check was made. We receive no score; the answer alone decides.`,
            de: `Die Auskunftei antwortet „genehmigt“ oder „abgelehnt“, mit einem Grund: ob die Anschrift bestätigt werden kann, ob ihr Negativmerkmale zum Zahlungsverhalten der Person vorliegen (etwa offene Forderungen oder eine Insolvenz) und ob der Betrag innerhalb der Grenzen für die Zahlungsart liegt. Unsere eigene Regel ist nur ein Tageskontingent: höchstens ${perDay} Prüfungen am Tag je Kunde und je Name und Anschrift; ist es aufgebraucht, fragen wir die Auskunftei an diesem Tag nicht mehr, lehnen eine Bestellung mit einer geprüften Zahlungsart ab und teilen mit, dass keine Prüfung stattgefunden hat. Wir erhalten keinen Score; allein die Antwort entscheidet.`,
          },
          consequences: {
            en: `A decline means that we do not offer this payment method for this order; the order cannot be completed with this payment method. Every check, approved or declined, counts toward the daily allowance of ${perDay} checks, which checks of all the checked payment methods share: once it is used up, no order with a checked payment method is accepted that day, unless a review approved it. Beyond that a decline has no consequence: your account and your other orders are not affected. The checkout does not show the agency’s reason, and we show it to no one outside the staff who review a decision. The data export in your account leaves it out as well, because a check concerns the name and address entered at the checkout, which may be another person’s; on request we tell the reason to the person the check was about, once their identity is confirmed (Art. 15(4) GDPR).`,
            de: `Eine Ablehnung bedeutet, dass wir diese Zahlungsart für diese Bestellung nicht anbieten; die Bestellung kann mit dieser Zahlungsart nicht abgeschlossen werden. Jede Prüfung, ob genehmigt oder abgelehnt, zählt zum Tageskontingent von ${perDay} Prüfungen, das sich die Prüfungen aller geprüften Zahlungsarten teilen: Ist es aufgebraucht, wird an diesem Tag keine Bestellung mit einer geprüften Zahlungsart mehr angenommen, es sei denn, eine Überprüfung hat sie freigegeben. Darüber hinaus hat eine Ablehnung keine Folgen: Ihr Kundenkonto und Ihre anderen Bestellungen sind nicht betroffen. An der Kasse wird der Grund der Auskunftei nicht angezeigt, und außer den Personen unseres Teams, die eine Entscheidung überprüfen, zeigen wir ihn niemandem. Auch der Datenexport in Ihrem Kundenkonto enthält ihn nicht, weil sich eine Prüfung auf den an der Kasse eingegebenen Namen und die Anschrift bezieht, die einer anderen Person gehören können; auf Anfrage teilen wir den Grund der Person mit, die die Prüfung betraf, sobald ihre Identität bestätigt ist (Art. 15 Abs. 4 DSGVO).`,
          },
          alternatives,
          humanReview: {
            en: `Within ${REVIEW_WINDOW_DAYS} days of a decline you can ask, in your account, for a person on our staff to review the decision. The person sees the decision, the agency’s reason and your statement, and decides; we tell you the outcome by email. If the decision is changed, you can place one order with the same name and address, up to the same amount and with the same payment method, within ${APPROVAL_DAYS} days without a new enquiry.`,
            de: `Innerhalb von ${REVIEW_WINDOW_DAYS} Tagen nach einer Ablehnung können Sie in Ihrem Kundenkonto verlangen, dass eine Person aus unserem Team die Entscheidung überprüft. Die Person sieht die Entscheidung, den Grund der Auskunftei und Ihre Stellungnahme und entscheidet; das Ergebnis teilen wir Ihnen per E-Mail mit. Wird die Entscheidung geändert, können Sie innerhalb von ${APPROVAL_DAYS} Tagen eine Bestellung mit demselben Namen, derselben Anschrift, bis zum selben Betrag und mit derselben Zahlungsart ohne neue Anfrage aufgeben.`,
          },
        },
        sources: [
          {
            from: {
              en: `The credit agency ${agency.name}, ${agency.address}, provides the result of the check: approved or declined, and its reason.`,
              de: `Die Auskunftei ${agency.name}, ${agency.address}, übermittelt das Ergebnis der Prüfung: genehmigt oder abgelehnt, mit Grund.`,
            },
            categories: ['creditworthiness'],
            publiclyAccessible: false,
          },
        ],
        // The check is made from the order being placed (its billing name and address, total and method); the
        // outcome of a review is mailed to the account's address in its language, through the outbox.
        uses: [
          { table: 'orders', columns: ['billing', 'total_cents', 'payment_method'] },
          { table: 'users', columns: ['id', 'email', 'lang'] },
          { table: 'outbox', columns: ['recipient', 'subject', 'body', 'headers'] },
        ],
        recipients: [
          {
            id: 'credit-agency',
            name: {
              en: `the credit agency ${agency.name}, ${agency.address}`,
              de: `die Auskunftei ${agency.name}, ${agency.address}`,
            },
            // It answers from its own records, which it keeps under its own responsibility.
            role: 'independent-controller',
            // Exactly the CreditCheckRequest (src/shop/credit-agency.ts): the outbound gate refuses anything else.
            fields: {
              name: { category: 'identity', label: { en: 'billing name', de: 'Name laut Rechnungsanschrift' } },
              street: { category: 'address', label: { en: 'street and house number', de: 'Straße und Hausnummer' } },
              postalCode: { category: 'address', label: { en: 'postal code', de: 'Postleitzahl' } },
              city: { category: 'address', label: { en: 'city', de: 'Ort' } },
              country: { category: 'address', label: { en: 'country', de: 'Land' } },
              amountCents: { category: 'purchases', label: { en: 'order amount', de: 'Bestellbetrag' } },
              method: { category: 'payment-method', label: { en: 'payment method', de: 'Zahlungsart' } },
            },
          },
        ],
      },
    ],
    tables: [
      {
        table: 'credit_checks',
        refersTo: ['users'],
        activity: 'credit.credit-check',
        subject: { via: 'user-id', column: 'user_id' },
        withheldFromExport: {
          columns: ['reason'],
          because: {
            en: 'the agency’s reason concerns the name and address entered at the checkout, which may be another person’s; we tell it on request to the person the check was about, once their identity is confirmed (Art. 15(4) GDPR)',
            de: 'der Grund der Auskunftei betrifft den an der Kasse eingegebenen Namen und die Anschrift, die einer anderen Person gehören können; wir teilen ihn auf Anfrage der Person mit, die die Prüfung betraf, sobald ihre Identität bestätigt ist (Art. 15 Abs. 4 DSGVO)',
          },
        },
        columns: {
          id: 'not-personal',
          user_id: 'account',
          agency: 'not-personal',
          // What was sent, as JSON: the billing name and address, with the order amount and the payment method.
          // Classified by its most identifying part; the amount (purchases) and method (payment-method) are among
          // the activity's categories through credit_reviews and the orders columns it uses.
          sent: 'address',
          requested_at: 'creditworthiness',
          decision: 'creditworthiness',
          reason: 'creditworthiness',
          answered_at: 'creditworthiness',
        },
        erasure: { action: 'delete' },
        retention: [
          {
            id: 'credit.delete-old-checks',
            what: { en: 'Credit check records', de: 'Aufzeichnungen von Bonitätsprüfungen' },
            after: { days: 365 },
            from: 'answered_at',
            fromEvent: { en: 'the check', de: 'der Prüfung' },
            basis: {
              en: 'to answer questions, complaints and requests for review about a decision, and to show what was sent to the credit agency, as accountability under Art. 5(2) GDPR requires',
              de: 'um Fragen, Beschwerden und Anträge auf Überprüfung einer Entscheidung zu beantworten und nachzuweisen, was an die Auskunftei übermittelt wurde, wie es die Rechenschaftspflicht nach Art. 5 Abs. 2 DSGVO verlangt',
            },
            action: { kind: 'delete' },
          },
        ],
      },
      {
        table: 'credit_check_limits',
        activity: 'credit.credit-check',
        subject: null,
        unlinkedBecause: {
          en: 'Each row is keyed by a keyed hash (HMAC) of an account id, or of a billing name and postal address, and holds only how many checks were made in the current day. This is pseudonymous data: whoever has the shop’s secret and a name and address can recompute the key. It is not linked to an account, holds nothing but a counter, and is therefore not part of the data export; rows are deleted one day after their window began.',
          de: 'Jede Zeile ist über einen geheimen Hash (HMAC) einer Konto-ID oder eines Rechnungsnamens mit Postanschrift gekennzeichnet und enthält nur, wie viele Prüfungen am laufenden Tag stattfanden. Das sind pseudonyme Daten: Wer das Geheimnis des Shops und Name und Anschrift kennt, kann den Schlüssel nachrechnen. Sie sind keinem Konto zugeordnet, enthalten nur einen Zähler und sind deshalb nicht Teil des Datenexports; Zeilen werden einen Tag nach Beginn ihres Zeitfensters gelöscht.',
        },
        columns: { key_hash: 'identity', window_start: 'creditworthiness', used: 'creditworthiness' },
        erasure: null,
        retention: [
          {
            id: 'credit.delete-check-allowances',
            what: { en: 'Daily credit check counters', de: 'Tageszähler der Bonitätsprüfungen' },
            after: { days: 1 },
            from: 'window_start',
            fromEvent: { en: 'the first check of the day', de: 'der ersten Prüfung des Tages' },
            basis: {
              en: 'the counter serves only the daily allowance of checks and is not needed after that day',
              de: 'der Zähler dient nur dem Tageskontingent an Prüfungen und wird nach diesem Tag nicht mehr benötigt',
            },
            action: { kind: 'delete' },
          },
        ],
      },
      {
        table: 'credit_reviews',
        refersTo: ['credit_checks', 'users'],
        activity: 'credit.credit-check',
        subject: { via: 'user-id', column: 'user_id' },
        columns: {
          id: 'not-personal',
          check_id: 'creditworthiness',
          user_id: 'account',
          method: 'payment-method',
          amount_cents: 'purchases',
          billing: 'address',
          billing_key: 'identity',
          statement: 'communication',
          requested_at: 'creditworthiness',
          status: 'creditworthiness',
          staff_note: 'creditworthiness',
          decided_at: 'creditworthiness',
          approval_expires_at: 'creditworthiness',
          approval_used_at: 'creditworthiness',
          approval_order_id: 'purchases',
        },
        erasure: { action: 'delete' },
        retention: [
          {
            id: 'credit.delete-old-reviews',
            what: {
              en: 'Requests for a human review of a credit decision, with your statement and our answer',
              de: 'Anträge auf Überprüfung einer Bonitätsentscheidung durch eine Person, mit Ihrer Stellungnahme und unserer Antwort',
            },
            after: { days: 365 },
            from: 'requested_at',
            fromEvent: { en: 'the request', de: 'dem Antrag' },
            basis: {
              en: 'as long as the check itself, to answer complaints about the review and to show, as accountability under Art. 5(2) GDPR requires, that the safeguards of Art. 22(3) GDPR were honoured; a request is deleted earlier together with the check it concerns',
              de: 'so lange wie die Prüfung selbst, um Beschwerden über die Überprüfung zu beantworten und, wie es die Rechenschaftspflicht nach Art. 5 Abs. 2 DSGVO verlangt, nachzuweisen, dass die Garantien des Art. 22 Abs. 3 DSGVO gewahrt wurden; ein Antrag wird früher gelöscht, wenn die Prüfung gelöscht wird, die er betrifft',
            },
            action: { kind: 'delete' },
          },
        ],
      },
    ],
  };
}
