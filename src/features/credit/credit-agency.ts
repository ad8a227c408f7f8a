// The CreditAgency interface and the rule-based TEST agency that ships with Candor (a stand-in for an outside
// credit agency). The request carries only what a check needs: name, postal address and amount.

export interface CreditCheckRequest {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  amountCents: number;
  method: 'card' | 'invoice';
}

export interface CreditCheckAnswer {
  decision: 'approved' | 'declined';
  /** A code the shop turns into a message; agencies give reasons, not scores. */
  reason: 'ok' | 'amount_too_high' | 'address_unknown' | 'negative_record';
}

export interface CreditAgency {
  readonly name: string;
  check(request: CreditCheckRequest): Promise<CreditCheckAnswer>;
}

/**
 * TEST agency rules: postcode 99999 is "unknown address", a name containing "Insolvent" has a negative
 * record, invoices above €1,000 and any order above €5,000 are refused; everything else is approved.
 */
export const testCreditAgency: CreditAgency = {
  name: 'Test credit agency (fake, rule-based)',
  async check(request) {
    if (request.postalCode === '99999') return { decision: 'declined', reason: 'address_unknown' };
    if (/insolvent/i.test(request.name)) return { decision: 'declined', reason: 'negative_record' };
    if (request.amountCents > 500_000 || (request.method === 'invoice' && request.amountCents > 100_000)) return { decision: 'declined', reason: 'amount_too_high' };
    return { decision: 'approved', reason: 'ok' };
  },
};
