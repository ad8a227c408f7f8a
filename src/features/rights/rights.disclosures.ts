// Disclosures to authorities (policy 8): staff record what was given to whom on which legal basis; the person's
// access report shows each one unless it is marked legally confidential, until the date it must stay so.
// Owned by helper H4 (issue 16); the signature below is what the privacy centre (H2) calls.
import type { Deps } from '../../deps.ts';

export interface AuthorityDisclosure {
  id: string;
  authority: string;
  legalBasis: string;
  reference: string;
  /** Data map category ids. */
  categories: string[];
  disclosedAt: number;
}

/** The disclosures about this person that may be shown to them now (not confidential, or no longer). */
export async function disclosuresShownTo(
  _deps: Pick<Deps, 'db' | 'clock'>,
  _userId: string | null,
  _email: string,
): Promise<AuthorityDisclosure[]> {
  return [];
}
