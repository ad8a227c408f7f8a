// The payment methods the shop offers, and their names as sentences need them: defined once here, where orders
// (which takes the payment) and credit (which checks some methods first) both find them without importing each
// other. The platform's CREDIT_CHECK_METHODS setting accepts the same names (platform knows no shop; the check
// below keeps the two lists equal).
import type { CREDIT_CHECKABLE_METHODS } from '../platform/config.ts';
import type { Text } from '../platform/i18n.ts';

export const PAYMENT_METHODS = ['card', 'wallet', 'invoice'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

// Fails to compile when the setting's list and the shop's methods differ.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameMethods: Same<PaymentMethod, (typeof CREDIT_CHECKABLE_METHODS)[number]> = true;
void sameMethods;

export interface PaymentMethodName {
  /** The noun: "credit card", "Kreditkarte" (a list, "payment by …"). */
  name: Text;
  /** How one pays: "by credit card", "mit Kreditkarte" ("pay …", "Zahlung …"). */
  by: Text;
}

export const paymentMethodNames: Record<PaymentMethod, PaymentMethodName> = {
  card: { name: { en: 'credit card', de: 'Kreditkarte' }, by: { en: 'by credit card', de: 'mit Kreditkarte' } },
  wallet: { name: { en: 'wallet', de: 'Wallet' }, by: { en: 'by wallet', de: 'per Wallet' } },
  invoice: {
    name: { en: 'invoice (payment on account)', de: 'Rechnung (Zahlung auf Rechnung)' },
    by: { en: 'on account (invoice)', de: 'auf Rechnung' },
  },
};
