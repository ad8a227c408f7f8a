// The SQL of inbound mail: who a sender is (a registered account with that address, or a guest).
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';

/** The id of the account registered under this normalised address, if any. */
export async function findUserIdByEmail(db: Kysely<Database>, email: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  return row?.id;
}
