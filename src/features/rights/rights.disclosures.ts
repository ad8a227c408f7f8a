// Disclosures to authorities (policy 8): staff record what was given to whom on which legal basis; the person's
// access report shows each one unless it is marked legally confidential, until the date it must stay so.
// Owned by helper H4 (issue 16); the signature of `disclosuresShownTo` is what the privacy centre (H2) calls.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { normaliseEmail } from '../../platform/email/address.ts';
import { findSubjectKeys } from '../../privacy/subject.ts';
import {
  insertAuthorityDisclosure,
  selectDisclosurePage,
  selectShownDisclosures,
} from './rights.disclosures.queries.ts';
import type { AuthorityDisclosuresTable } from './rights.tables.ts';

export interface AuthorityDisclosure {
  id: string;
  authority: string;
  legalBasis: string;
  reference: string;
  /** Data map category ids. */
  categories: string[];
  disclosedAt: number;
}

function parseCategories(raw: string): string[] {
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}

export function toDisclosure(row: AuthorityDisclosuresTable): AuthorityDisclosure {
  return {
    id: row.id,
    authority: row.authority,
    legalBasis: row.legal_basis,
    reference: row.reference,
    categories: parseCategories(row.categories),
    disclosedAt: row.disclosed_at,
  };
}

/** The disclosures about this person that may be shown to them now (not confidential, or no longer). */
export async function disclosuresShownTo(
  deps: Pick<Deps, 'db' | 'clock'>,
  userId: string | null,
  /** Null for an account whose address is not confirmed: only what is recorded under the account. */
  email: string | null,
): Promise<AuthorityDisclosure[]> {
  const subjects = [...(userId ? [userId] : []), ...(email === null ? [] : [normaliseEmail(email)])];
  const rows = await selectShownDisclosures(deps.db, subjects, deps.clock.now());
  return rows.map(toDisclosure);
}

export interface NewDisclosure {
  /** The person: an account's address (recorded under the account) or an address without one. */
  email: string;
  authority: string;
  legalBasis: string;
  reference: string;
  categories: string[];
  disclosedAt: number;
  confidentialUntil: number | null;
  byUserId: string;
}

/** Records a disclosure under the person's account when the address has one, otherwise under the address. */
export async function recordDisclosure(
  deps: Pick<Deps, 'db' | 'clock' | 'dataMap'>,
  d: NewDisclosure,
): Promise<AuthorityDisclosuresTable> {
  const keys = await findSubjectKeys(deps, d.email);
  const row: AuthorityDisclosuresTable = {
    id: randomUUID(),
    subject: keys.userIds[0] ?? keys.email,
    authority: d.authority,
    legal_basis: d.legalBasis,
    reference: d.reference,
    categories: JSON.stringify(d.categories),
    disclosed_at: d.disclosedAt,
    confidential_until: d.confidentialUntil,
    recorded_at: deps.clock.now(),
    recorded_by: d.byUserId,
    restricted_at: null,
  };
  await insertAuthorityDisclosure(deps.db, row);
  return row;
}

export async function disclosurePage(
  deps: Pick<Deps, 'db'>,
  limit: number,
  after?: { recordedAt: number; id: string },
): Promise<AuthorityDisclosuresTable[]> {
  return selectDisclosurePage(deps.db, limit, after);
}
