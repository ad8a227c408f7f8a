// SQL of the cookie-consent section of the staff customer page: the receipts linked to one account (a receipt is
// linked when its visitor signs in; see consent.tables.ts `user_id`).
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { ConsentRecordsTable } from './consent.tables.ts';

export async function listNewestConsentRecordsOfUser(
  db: Kysely<Database>,
  userId: string,
  limit: number,
): Promise<Pick<ConsentRecordsTable, 'id' | 'recorded_at' | 'action' | 'choices'>[]> {
  return db
    .selectFrom('consent_records')
    .select(['id', 'recorded_at', 'action', 'choices'])
    .where('user_id', '=', userId)
    .orderBy('recorded_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}
