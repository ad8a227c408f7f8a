// The demo company's legal texts, version 1 of each document: fictional, written for Candor, in English and
// German. Only the demo gets them (a real operator writes their own at /staff/legal); seeding twice adds nothing.
import type { Deps } from '../../deps.ts';
import { formatEuro } from '../../platform/i18n.ts';
import type { Operator } from '../../platform/operator.ts';
import * as q from './legal.queries.ts';
import { LEGAL_DOCS, type LegalDoc, type LegalTextsTable } from './legal.tables.ts';

type Texts = Pick<LegalTextsTable, 'title_en' | 'title_de' | 'body_en' | 'body_de'>;

/** The demo's four documents, filled in with the operator's facts (name, address, email, phone). */
export function demoLegalTexts(op: Operator): Record<LegalDoc, Texts> {
  const address = op.address.join(', ');
  const block = [op.company, ...op.address].join('\n');
  const delivery = op.shipping?.deliveryTime ?? { en: '2 to 4 working days', de: '2 bis 4 Werktage' };
  const cost = op.shipping?.costCents ?? 0;
  const costEn = cost === 0 ? 'free of charge' : `${formatEuro('en', cost)} per order`;
  const dpoDe =
    op.dpo.title?.de === 'Datenschutzbeauftragte' ? 'unsere Datenschutzbeauftragte' : 'unseren Datenschutzbeauftragten';
  const costDe = cost === 0 ? 'kostenlos' : `${formatEuro('de', cost)} je Bestellung`;
  return {
    terms: {
      title_en: 'Terms and conditions',
      title_de: 'Allgemeine Geschäftsbedingungen (AGB)',
      body_en: `## 1. Scope
These terms apply to every contract that you conclude with ${op.company}, ${address} ("we"), through this online shop. Terms of the customer that differ from them do not apply unless we agree to them in writing.

## 2. Conclusion of the contract
The products shown in the shop are not a binding offer but an invitation to order. By clicking the button "Buy now" at the end of the checkout you make a binding offer to buy the products in your basket. We confirm its receipt at once by email; the contract is concluded with that order confirmation. Before sending your order you can check all entries on the checkout page and correct them with the usual keyboard and mouse functions or go back to the basket.
The contract language is German or English, as chosen in the shop. We store the text of the contract; you receive it, together with these terms and the withdrawal policy, in the order confirmation, and you can see your orders in your customer account at any time.

## 3. Prices and shipping costs
All prices are final prices in euros and include the statutory value-added tax. Shipping costs and delivery times are set out on the page "Shipping and payment".

## 4. Payment
You can pay by card (entered on our payment provider's page only), with the wallet, or on invoice. Payment on invoice requires a credit check, as explained in our privacy policy; an invoice is due within 14 days without deduction.

## 5. Delivery
Hardware is shipped to the delivery address you give; the delivery time is shown on each product page. Software, expansions and other digital content are provided in your customer account immediately after payment (downloads and licence keys).

## 6. Retention of title
Goods remain our property until they are paid in full.

## 7. Licences for software and digital content
For software and digital content you receive a simple, non-transferable right of use for the number of activations stated on the product page. You may not rent the software out or make it publicly available. The statutory rights to make back-up copies remain unaffected.

## 8. Right of withdrawal
Consumers have a right of withdrawal as set out in the withdrawal policy. For digital content it expires early when you expressly agreed to delivery before the end of the withdrawal period and acknowledged the loss of the right (§ 356(5) BGB). In your customer account you can withdraw with the function "Withdraw from contract".

## 9. Warranty
The statutory rights in case of defects apply. For digital products we provide the updates required to keep them in conformity with the contract for the period required by law (§ 327f BGB).

## 10. Liability
We are liable without limitation for intent and gross negligence, for injury to life, body or health, and under the Product Liability Act. For slight negligence we are liable only for breach of an essential contractual obligation, limited to the damage typical for the contract and foreseeable. Otherwise our liability is excluded.

## 11. Dispute resolution
We are neither obliged nor willing to take part in dispute resolution proceedings before a consumer arbitration board (§ 36 VSBG).

## 12. Final provisions
German law applies, excluding the UN Convention on Contracts for the International Sale of Goods. For consumers this choice of law applies only insofar as it does not withdraw the protection granted by the mandatory provisions of the law of the country in which they habitually reside.`,
      body_de: `## 1. Geltungsbereich
Diese AGB gelten für alle Verträge, die Sie über diesen Onlineshop mit der ${op.company}, ${address} („wir“), schließen. Abweichende Bedingungen des Kunden gelten nicht, es sei denn, wir stimmen ihnen schriftlich zu.

## 2. Vertragsschluss
Die Darstellung der Produkte im Shop ist kein bindendes Angebot, sondern eine Aufforderung zur Bestellung. Mit dem Klick auf die Schaltfläche „Zahlungspflichtig bestellen“ am Ende der Kasse geben Sie ein verbindliches Angebot zum Kauf der Produkte in Ihrem Warenkorb ab. Wir bestätigen den Eingang umgehend per E-Mail; mit dieser Bestellbestätigung kommt der Vertrag zustande. Vor dem Absenden können Sie alle Eingaben auf der Seite der Kasse prüfen und mit den üblichen Tastatur- und Mausfunktionen korrigieren oder zum Warenkorb zurückkehren.
Vertragssprache ist Deutsch oder Englisch, je nach Wahl im Shop. Wir speichern den Vertragstext; Sie erhalten ihn zusammen mit diesen AGB und der Widerrufsbelehrung in der Bestellbestätigung und sehen Ihre Bestellungen jederzeit in Ihrem Kundenkonto.

## 3. Preise und Versandkosten
Alle Preise sind Endpreise in Euro und enthalten die gesetzliche Umsatzsteuer. Versandkosten und Lieferzeiten stehen auf der Seite „Versand und Zahlung“.

## 4. Zahlung
Sie zahlen per Karte (Eingabe nur auf der Seite unseres Zahlungsdienstleisters), mit der Wallet oder auf Rechnung. Der Kauf auf Rechnung setzt eine Bonitätsprüfung voraus, wie in unserer Datenschutzerklärung beschrieben; eine Rechnung ist innerhalb von 14 Tagen ohne Abzug fällig.

## 5. Lieferung
Hardware versenden wir an die von Ihnen angegebene Lieferadresse; die Lieferzeit steht auf jeder Produktseite. Software, Erweiterungen und andere digitale Inhalte stellen wir unmittelbar nach der Zahlung in Ihrem Kundenkonto bereit (Downloads und Lizenzschlüssel).

## 6. Eigentumsvorbehalt
Die Ware bleibt bis zur vollständigen Bezahlung unser Eigentum.

## 7. Lizenzen für Software und digitale Inhalte
An Software und digitalen Inhalten erhalten Sie ein einfaches, nicht übertragbares Nutzungsrecht für die auf der Produktseite genannte Zahl von Aktivierungen. Sie dürfen die Software nicht vermieten oder öffentlich zugänglich machen. Das gesetzliche Recht, Sicherungskopien anzufertigen, bleibt unberührt.

## 8. Widerrufsrecht
Verbrauchern steht ein Widerrufsrecht nach Maßgabe der Widerrufsbelehrung zu. Bei digitalen Inhalten erlischt es vorzeitig, wenn Sie der Lieferung vor Ablauf der Widerrufsfrist ausdrücklich zugestimmt und Ihre Kenntnis vom Verlust des Widerrufsrechts bestätigt haben (§ 356 Abs. 5 BGB). In Ihrem Kundenkonto können Sie mit der Funktion „Vertrag widerrufen“ widerrufen.

## 9. Gewährleistung
Es gelten die gesetzlichen Mängelrechte. Für digitale Produkte stellen wir die zum Erhalt der Vertragsmäßigkeit erforderlichen Aktualisierungen für den gesetzlich vorgesehenen Zeitraum bereit (§ 327f BGB).

## 10. Haftung
Wir haften unbeschränkt bei Vorsatz und grober Fahrlässigkeit, bei Verletzung von Leben, Körper oder Gesundheit und nach dem Produkthaftungsgesetz. Bei leichter Fahrlässigkeit haften wir nur bei Verletzung einer wesentlichen Vertragspflicht, begrenzt auf den vertragstypischen, vorhersehbaren Schaden. Im Übrigen ist die Haftung ausgeschlossen.

## 11. Streitbeilegung
Wir sind nicht verpflichtet und nicht bereit, an einem Streitbeilegungsverfahren vor einer Verbraucherschlichtungsstelle teilzunehmen (§ 36 VSBG).

## 12. Schlussbestimmungen
Es gilt deutsches Recht unter Ausschluss des UN-Kaufrechts. Gegenüber Verbrauchern gilt diese Rechtswahl nur, soweit ihnen dadurch nicht der Schutz entzogen wird, den die zwingenden Bestimmungen des Staates ihres gewöhnlichen Aufenthalts gewähren.`,
    },
    withdrawal: {
      title_en: 'Withdrawal policy',
      title_de: 'Widerrufsbelehrung',
      body_en: `## Right of withdrawal
You have the right to withdraw from this contract within 14 days without giving any reason.
For goods (hardware), the withdrawal period is 14 days from the day on which you, or a third party other than the carrier indicated by you, take physical possession of the goods; for several goods delivered separately, of the last one.
For digital content not supplied on a tangible medium (software, expansions, sample packs, licence keys), the withdrawal period is 14 days from the day of the conclusion of the contract.
To exercise the right of withdrawal, you must inform us (${op.company}, ${address}, phone ${op.phone}, email ${op.email}) of your decision to withdraw from this contract by an unequivocal statement (e.g. a letter sent by post or an email). The easiest way is the function "Withdraw from contract" in your customer account. You may use the model withdrawal form below, but it is not obligatory.
To meet the withdrawal deadline, it is sufficient for you to send your communication concerning your exercise of the right of withdrawal before the withdrawal period has expired.

## Early expiry for digital content
Your right of withdrawal for digital content expires before the end of the period once we have begun to supply it, if you expressly agreed that we begin before the end of the withdrawal period and acknowledged that you thereby lose your right of withdrawal (§ 356(5) BGB). At checkout we ask for this consent separately; an order containing digital content can only be placed with it.

## Effects of withdrawal
If you withdraw from this contract, we shall reimburse to you all payments received from you, including the costs of delivery (with the exception of the supplementary costs resulting from your choice of a type of delivery other than the least expensive standard delivery offered by us), without undue delay and in any event not later than 14 days from the day on which we are informed about your decision to withdraw. We will carry out the reimbursement using the same means of payment as you used for the initial transaction, unless you have expressly agreed otherwise; in any event, you will not incur any fees as a result of the reimbursement.
We may withhold reimbursement until we have received the goods back or you have supplied evidence of having sent back the goods, whichever is the earliest.
You shall send back the goods or hand them over to us without undue delay and in any event not later than 14 days from the day on which you communicate your withdrawal from this contract to us. The deadline is met if you send back the goods before the period of 14 days has expired. We bear the cost of returning the goods.
You are only liable for any diminished value of the goods resulting from handling other than what is necessary to establish the nature, characteristics and functioning of the goods.

## Model withdrawal form
(Complete and return this form only if you wish to withdraw from the contract.)
To ${op.company}, ${address}, email ${op.email}:
I/We (*) hereby give notice that I/We (*) withdraw from my/our (*) contract of sale of the following goods (*) / for the supply of the following digital content (*):
Ordered on (*) / received on (*):
Order number:
Name of consumer(s):
Address of consumer(s):
Signature of consumer(s) (only if this form is notified on paper):
Date:
(*) Delete as appropriate.`,
      body_de: `## Widerrufsrecht
Sie haben das Recht, binnen vierzehn Tagen ohne Angabe von Gründen diesen Vertrag zu widerrufen.
Bei Waren (Hardware) beträgt die Widerrufsfrist vierzehn Tage ab dem Tag, an dem Sie oder ein von Ihnen benannter Dritter, der nicht der Beförderer ist, die Waren in Besitz genommen haben bzw. hat; bei mehreren getrennt gelieferten Waren die letzte Ware.
Bei digitalen Inhalten, die nicht auf einem körperlichen Datenträger geliefert werden (Software, Erweiterungen, Sample-Pakete, Lizenzschlüssel), beträgt die Widerrufsfrist vierzehn Tage ab dem Tag des Vertragsabschlusses.
Um Ihr Widerrufsrecht auszuüben, müssen Sie uns (${op.company}, ${address}, Telefon ${op.phone}, E-Mail ${op.email}) mittels einer eindeutigen Erklärung (z. B. ein mit der Post versandter Brief oder eine E-Mail) über Ihren Entschluss, diesen Vertrag zu widerrufen, informieren. Am einfachsten geht es mit der Funktion „Vertrag widerrufen“ in Ihrem Kundenkonto. Sie können dafür das unten stehende Muster-Widerrufsformular verwenden, das jedoch nicht vorgeschrieben ist.
Zur Wahrung der Widerrufsfrist reicht es aus, dass Sie die Mitteilung über die Ausübung des Widerrufsrechts vor Ablauf der Widerrufsfrist absenden.

## Vorzeitiges Erlöschen bei digitalen Inhalten
Ihr Widerrufsrecht für digitale Inhalte erlischt vorzeitig, sobald wir mit der Lieferung begonnen haben, wenn Sie ausdrücklich zugestimmt haben, dass wir vor Ablauf der Widerrufsfrist damit beginnen, und Ihre Kenntnis davon bestätigt haben, dass Sie dadurch Ihr Widerrufsrecht verlieren (§ 356 Abs. 5 BGB). In der Kasse fragen wir diese Zustimmung gesondert ab; eine Bestellung mit digitalen Inhalten ist nur mit ihr möglich.

## Folgen des Widerrufs
Wenn Sie diesen Vertrag widerrufen, haben wir Ihnen alle Zahlungen, die wir von Ihnen erhalten haben, einschließlich der Lieferkosten (mit Ausnahme der zusätzlichen Kosten, die sich daraus ergeben, dass Sie eine andere Art der Lieferung als die von uns angebotene, günstigste Standardlieferung gewählt haben), unverzüglich und spätestens binnen vierzehn Tagen ab dem Tag zurückzuzahlen, an dem die Mitteilung über Ihren Widerruf dieses Vertrags bei uns eingegangen ist. Für diese Rückzahlung verwenden wir dasselbe Zahlungsmittel, das Sie bei der ursprünglichen Transaktion eingesetzt haben, es sei denn, mit Ihnen wurde ausdrücklich etwas anderes vereinbart; in keinem Fall werden Ihnen wegen dieser Rückzahlung Entgelte berechnet.
Wir können die Rückzahlung verweigern, bis wir die Waren wieder zurückerhalten haben oder bis Sie den Nachweis erbracht haben, dass Sie die Waren zurückgesandt haben, je nachdem, welches der frühere Zeitpunkt ist.
Sie haben die Waren unverzüglich und in jedem Fall spätestens binnen vierzehn Tagen ab dem Tag, an dem Sie uns über den Widerruf dieses Vertrags unterrichten, an uns zurückzusenden oder zu übergeben. Die Frist ist gewahrt, wenn Sie die Waren vor Ablauf der Frist von vierzehn Tagen absenden. Wir tragen die Kosten der Rücksendung der Waren.
Sie müssen für einen etwaigen Wertverlust der Waren nur aufkommen, wenn dieser Wertverlust auf einen zur Prüfung der Beschaffenheit, Eigenschaften und Funktionsweise der Waren nicht notwendigen Umgang mit ihnen zurückzuführen ist.

## Muster-Widerrufsformular
(Wenn Sie den Vertrag widerrufen wollen, dann füllen Sie bitte dieses Formular aus und senden Sie es zurück.)
An ${op.company}, ${address}, E-Mail ${op.email}:
Hiermit widerrufe(n) ich/wir (*) den von mir/uns (*) abgeschlossenen Vertrag über den Kauf der folgenden Waren (*) / die Bereitstellung der folgenden digitalen Inhalte (*):
Bestellt am (*) / erhalten am (*):
Bestellnummer:
Name des/der Verbraucher(s):
Anschrift des/der Verbraucher(s):
Unterschrift des/der Verbraucher(s) (nur bei Mitteilung auf Papier):
Datum:
(*) Unzutreffendes streichen.`,
    },
    shipping: {
      title_en: 'Shipping and payment',
      title_de: 'Versand und Zahlung',
      body_en: `## Shipping
We ship hardware to addresses in Germany and the other member states of the European Union. Shipping is ${costEn}.
Delivery time: ${delivery.en} after receipt of payment. Orders on invoice, too, are shipped once the invoice is paid. Each hardware page shows the delivery time again. When we hand your parcel to the delivery company you receive an email.

## Digital products
Software, expansions and sample packs are provided in your customer account under "My products" immediately after payment, with their licence keys and downloads. There are no shipping costs.

## Payment
Card: you enter your card on our payment provider's page, never on ours; the amount is charged when you order.
Wallet: you pay with your wallet at the provider; the amount is charged when you order.
Invoice: after a credit check (see the privacy policy); the invoice is due within 14 days without deduction, by bank transfer to the account named on the invoice.`,
      body_de: `## Versand
Wir versenden Hardware an Adressen in Deutschland und den übrigen Mitgliedstaaten der Europäischen Union. Der Versand ist ${costDe}.
Lieferzeit: ${delivery.de} nach Zahlungseingang. Auch Bestellungen auf Rechnung versenden wir nach Eingang der Zahlung. Jede Hardware-Seite nennt die Lieferzeit noch einmal. Sobald wir Ihr Paket dem Versandunternehmen übergeben, erhalten Sie eine E-Mail.

## Digitale Produkte
Software, Erweiterungen und Sample-Pakete stehen unmittelbar nach der Zahlung in Ihrem Kundenkonto unter „Meine Produkte“ bereit, mit Lizenzschlüsseln und Downloads. Versandkosten fallen nicht an.

## Zahlung
Karte: Sie geben Ihre Karte auf der Seite unseres Zahlungsdienstleisters ein, nie auf unserer; der Betrag wird bei der Bestellung belastet.
Wallet: Sie zahlen mit Ihrer Wallet beim Anbieter; der Betrag wird bei der Bestellung belastet.
Rechnung: nach einer Bonitätsprüfung (siehe Datenschutzerklärung); die Rechnung ist innerhalb von 14 Tagen ohne Abzug per Überweisung auf das auf der Rechnung genannte Konto fällig.`,
    },
    contact: {
      title_en: 'Contact',
      title_de: 'Kontakt',
      body_en: `## How to reach us
${block}
Phone: ${op.phone} (Monday to Friday, 9 am to 5 pm)
Email: ${op.email}

## Orders and withdrawal
Please give your order number when you write about an order. To withdraw from a contract, use "Withdraw from contract" in your customer account, or write to us.

## Privacy
Questions about your personal data go to our ${op.dpo.title?.en ?? 'data protection officer'}: ${op.dpo.email}.`,
      body_de: `## So erreichen Sie uns
${block}
Telefon: ${op.phone} (Montag bis Freitag, 9 bis 17 Uhr)
E-Mail: ${op.email}

## Bestellungen und Widerruf
Bitte nennen Sie Ihre Bestellnummer, wenn Sie uns zu einer Bestellung schreiben. Um einen Vertrag zu widerrufen, nutzen Sie „Vertrag widerrufen“ in Ihrem Kundenkonto oder schreiben Sie uns.

## Datenschutz
Fragen zu Ihren personenbezogenen Daten richten Sie bitte an ${dpoDe}: ${op.dpo.email}.`,
    },
  };
}

/** Demo data: version 1 of each document the demo company has not got yet. Nothing for a real operator. */
export async function seedLegalTexts(deps: Pick<Deps, 'db' | 'clock' | 'config'>): Promise<void> {
  if (!deps.config.operator.demo) return;
  const texts = demoLegalTexts(deps.config.operator);
  for (const doc of LEGAL_DOCS) {
    if (await q.findLatestLegalText(deps.db, doc)) continue;
    await q.insertLegalText(deps.db, {
      doc,
      version: 1,
      ...texts[doc],
      author_role: 'demo',
      created_at: deps.clock.now(),
    });
  }
}
