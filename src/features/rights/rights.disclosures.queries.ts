// SQL of disclosures to authorities (policy 8).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../database.ts';
import type { AuthorityDisclosuresTable } from './rights.tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertAuthorityDisclosure(db: Db, row: AuthorityDisclosuresTable): Promise<void> {
  await db.insertInto('authority_disclosures').values(row).execute();
}

/** The person's disclosures (by account id or address) that may be shown at `now`, newest first. */
export async function selectShownDisclosures(
  db: Db,
  subjects: readonly string[],
  now: number,
): Promise<AuthorityDisclosuresTable[]> {
  if (subjects.length === 0) return [];
  return db
    .selectFrom('authority_disclosures')
    .selectAll()
    .where('subject', 'in', [...subjects])
    .where((eb) => eb.or([eb('confidential_until', 'is', null), eb('confidential_until', '<=', now)]))
    .orderBy('disclosed_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** A page of all disclosures, newest recorded first; `after` is the keyset of the last row shown before. */
export async function selectDisclosurePage(
  db: Db,
  limit: number,
  after?: { recordedAt: number; id: string },
): Promise<AuthorityDisclosuresTable[]> {
  let q = db.selectFrom('authority_disclosures').selectAll();
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('recorded_at', '<', after.recordedAt),
        eb.and([eb('recorded_at', '=', after.recordedAt), eb('id', '<', after.id)]),
      ]),
    );
  return q.orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
