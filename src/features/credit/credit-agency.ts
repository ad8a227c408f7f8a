// The test credit agency: a stand-in for the outside company, chosen by configuration in tests and the demo.
import type { CreditAgencyId } from '../../platform/config.ts';
import type { CreditAgency } from '../../shop/credit-agency.ts';

export const testCreditAgency: CreditAgency = {
  name: 'Test credit agency (fake, rule-based)',
  // No real company: the policy says so where it names the agency, so that a test or demo shop is not mistaken
  // for one that sends anything to an outside company.
  company: {
    name: 'Test credit agency (stand-in, no real company)',
    address: 'no address (rule-based, runs inside this shop and sends nothing anywhere)',
  },
  async check(request) {
    if (request.postalCode === '99999') return { decision: 'declined', reason: 'address_unknown' };
    if (/insolvent/i.test(request.name)) return { decision: 'declined', reason: 'negative_record' };
    if (request.amountCents > 500_000 || (request.method === 'invoice' && request.amountCents > 100_000))
      return { decision: 'declined', reason: 'amount_too_high' };
    return { decision: 'approved', reason: 'ok' };
  },
};

/** The agency CREDIT_AGENCY names (config.ts refuses any other value). */
export function createCreditAgency(id: CreditAgencyId): CreditAgency {
  switch (id) {
    case 'test':
      return testCreditAgency;
  }
}
