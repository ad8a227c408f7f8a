// SQL of the staff customer console: customer accounts by name or email (a substring, case-insensitive; see
// migrations/001 for the indexes), newest first on keyset (created_at, id), and their order counts and sessions.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { userMatches } from '../accounts/index.ts';

type Db = Kysely<Database>;

export interface CustomerListRow {
  id: string;
  name: string;
  email: string;
  email_verified_at: number | null;
  created_at: number;
}

export interface CustomerCursor {
  createdAt: number;
  id: string;
}

/**
 * Customer accounts (role customer), newest first, after the cursor. With a term: those whose name or email
 * contains it (the term normalised by the caller, see accounts' userMatches), or whose id is among `alsoIds` (found through other features).
 */
export async function listCustomers(
  db: Db,
  filter: { term?: string | undefined; alsoIds?: readonly string[]; after?: CustomerCursor | undefined; limit: number },
): Promise<CustomerListRow[]> {
  let q = db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'email_verified_at', 'created_at'])
    .where('role', '=', 'customer');
  if (filter.term !== undefined) {
    const term = filter.term;
    const also = filter.alsoIds ?? [];
    q = q.where((eb) => eb.or([userMatches(db, term), ...(also.length > 0 ? [eb('id', 'in', also)] : [])]));
  }
  const after = filter.after;
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    );
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Per account: how many orders it placed and when the last one was placed. */
export async function orderStatsOf(
  db: Db,
  userIds: readonly string[],
): Promise<{ user_id: string; orders: number; last_order_at: number | null }[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('orders')
    .select((eb) => ['user_id', eb.fn.countAll<number | string>().as('orders'), eb.fn.max('created_at').as('last')])
    .where('user_id', 'in', userIds)
    .groupBy('user_id')
    .execute();
  return rows.map((r) => ({
    user_id: r.user_id,
    orders: Number(r.orders),
    last_order_at: r.last === null ? null : Number(r.last),
  }));
}

export async function findCustomerAccount(db: Db, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'email_verified_at', 'created_at', 'role', 'lang'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The account's live sessions: how many, and when the newest of them signed in. */
export async function sessionStatsOf(
  db: Db,
  userId: string,
  now: number,
): Promise<{ sessions: number; last_sign_in_at: number | null }> {
  const row = await db
    .selectFrom('sessions')
    .select((eb) => [eb.fn.countAll<number | string>().as('sessions'), eb.fn.max('created_at').as('last')])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .where('idle_expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return { sessions: Number(row.sessions), last_sign_in_at: row.last === null ? null : Number(row.last) };
}
