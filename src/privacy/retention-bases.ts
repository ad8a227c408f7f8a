// The German statutes behind retention periods, cited once in both languages so every data map names them alike.
// Periods as amended by the Viertes Bürokratieentlastungsgesetz (BEG IV) from 1 January 2025: booking vouchers and
// invoices 8 years, commercial letters 6 years, each from the end of the calendar year (decision 0028).
import type { Text } from '../platform/i18n.ts';

/** Booking vouchers (Buchungsbelege): 8 years. */
export const bookingVoucherBasis: Text = {
  en: 'booking vouchers under § 147(1) no. 4 and (3) AO and § 257(1) no. 4 and (4) HGB',
  de: 'Buchungsbelege nach § 147 Abs. 1 Nr. 4, Abs. 3 AO und § 257 Abs. 1 Nr. 4, Abs. 4 HGB',
};

/** Invoices: 8 years under the VAT Act, and booking vouchers as well. */
export const invoiceBasis: Text = {
  en: 'invoices under § 14b(1) UStG and § 147(1) no. 4 and (3) AO',
  de: 'Rechnungen nach § 14b Abs. 1 UStG und § 147 Abs. 1 Nr. 4, Abs. 3 AO',
};

/**
 * Copies of sent commercial letters (Wiedergaben der abgesandten Handels- und Geschäftsbriefe): 6 years. A copy
 * need only match the letter's content, not its image (§ 257 Abs. 3 HGB, § 147 Abs. 2 AO).
 */
export const commercialLetterBasis: Text = {
  en: 'copies of sent commercial letters, kept 6 years under § 257(1) no. 3 and (4) HGB and § 147(1) no. 3 and (3) AO',
  de: 'Wiedergabe eines abgesandten Handels- oder Geschäftsbriefs, 6 Jahre aufzubewahren nach § 257 Abs. 1 Nr. 3, Abs. 4 HGB und § 147 Abs. 1 Nr. 3, Abs. 3 AO',
};

/** For an erasure request that must wait for a statutory period: Art. 17(3)(b) GDPR with the statute. */
export function keptForTheLaw(statute: Text): Text {
  return {
    en: `Art. 17(3)(b) GDPR with the retention duty for ${statute.en}`,
    de: `Art. 17 Abs. 3 lit. b DSGVO mit der Aufbewahrungspflicht für ${statute.de}`,
  };
}
