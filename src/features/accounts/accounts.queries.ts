// SQL of the accounts feature.
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { contains, containsIgnoringCase } from '../../platform/db/search.ts';
import type { Database } from '../../database.ts';
import type {
  AccountLimitsTable,
  AccountTokensTable,
  SessionsTable,
  TokenPurpose,
  UsersTable,
} from './accounts.tables.ts';

type Db = Kysely<Database>;

export async function insertUser(db: Db, user: UsersTable): Promise<void> {
  await db.insertInto('users').values(user).execute();
}

export async function findUserByEmail(db: Db, email: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

/** The ids of the accounts with these (normalised) addresses, by address; an address with no account is absent. */
export async function findUserIdsByEmails(db: Db, emails: readonly string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const unique = [...new Set(emails)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'email'])
      .where('email', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) ids.set(r.email, r.id);
  }
  return ids;
}

export async function findUserById(db: Db, id: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateUser(db: Db, id: string, changes: Partial<Omit<UsersTable, 'id'>>): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

export async function insertSession(db: Db, session: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

export async function findSessionWithUserByTokenHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.remember',
      'sessions.last_seen_at',
      'sessions.idle_expires_at',
      'sessions.expires_at',
      'sessions.ip',
      'sessions.second_factor_at',
      'users.id as user_id',
      'users.name',
      'users.role',
      'users.email_verified_at',
      'users.deactivated_at',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, id: string, now: number, idleExpiresAt: number, ip: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now, idle_expires_at: idleExpiresAt, ip })
    .where('id', '=', id)
    .execute();
}

export async function listSessionsByUserId(db: Db, userId: string, now: number): Promise<SessionsTable[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .where('idle_expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionOfUser(db: Db, userId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('sessions').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function deleteSessionsOfUser(db: Db, userId: string, exceptId?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertAccountToken(db: Db, token: AccountTokensTable): Promise<void> {
  await db.insertInto('account_tokens').values(token).execute();
}

/** Marks a live token used and returns it; undefined when unknown, used or expired (single use). */
export async function consumeAccountToken(
  db: Db,
  tokenHash: string,
  purpose: TokenPurpose,
  now: number,
): Promise<AccountTokensTable | undefined> {
  const r = await db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom('account_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function findLiveAccountToken(db: Db, tokenHash: string, purpose: TokenPurpose, now: number) {
  return db
    .selectFrom('account_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function expireAccountTokens(db: Db, userId: string, purpose: TokenPurpose, now: number): Promise<void> {
  await db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

/** Marks used the live tokens of a purpose issued after `after` (a later undo link dies when an earlier one is used). */
export async function expireAccountTokensIssuedAfter(
  db: Db,
  userId: string,
  purpose: TokenPurpose,
  after: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', after)
    .where('used_at', 'is', null)
    .execute();
}

/** When the account's newest token of a purpose was issued (used or not), or undefined. */
export async function latestAccountTokenIssuedAt(
  db: Db,
  userId: string,
  purpose: TokenPurpose,
): Promise<number | undefined> {
  const r = await db
    .selectFrom('account_tokens')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  return r?.at === null || r?.at === undefined ? undefined : Number(r.at);
}

/** The account, if any, that a live token of a purpose would move to or back to `email` (an undo link's old address). */
export async function findUserIdHoldingTokenFor(
  db: Db,
  email: string,
  purpose: TokenPurpose,
  now: number,
): Promise<string | undefined> {
  const r = await db
    .selectFrom('account_tokens')
    .select('user_id')
    .where('email', '=', email)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return r?.user_id;
}

export async function findAccountLimit(db: Db, keyHash: string): Promise<AccountLimitsTable | undefined> {
  return db.selectFrom('account_limits').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}

/** Sets the count, but only if the row is still as read (`seen`, or absent); false when someone else wrote first. */
export async function countAccountLimit(
  db: Db,
  keyHash: string,
  seen: AccountLimitsTable | undefined,
  count: number,
  now: number,
): Promise<boolean> {
  if (!seen) {
    const r = await db
      .insertInto('account_limits')
      .values({ key_hash: keyHash, count, last_at: now })
      .onConflict((oc) => oc.column('key_hash').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const r = await db
    .updateTable('account_limits')
    .set({ count, last_at: now })
    .where('key_hash', '=', keyHash)
    .where('count', '=', seen.count)
    .where('last_at', '=', seen.last_at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Takes the window for one mail: true (and the window starts now) unless the last one is newer than `since`. */
export async function claimMailWindow(db: Db, keyHash: string, now: number, since: number): Promise<boolean> {
  const r = await db
    .insertInto('account_limits')
    .values({ key_hash: keyHash, count: 1, last_at: now })
    .onConflict((oc) =>
      oc.column('key_hash').doUpdateSet({ count: 1, last_at: now }).where('account_limits.last_at', '<=', since),
    )
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function deleteAccountLimit(db: Db, keyHash: string): Promise<void> {
  await db.deleteFrom('account_limits').where('key_hash', '=', keyHash).execute();
}

/**
 * The one user search of the consoles (customers, orders): name or email of the users row `alias` contains
 * `term`, which the caller normalised like an email (normaliseEmail: NFKC, trimmed, lower case). Names are
 * lower-cased by Unicode rules on both dialects; emails are stored normalised (migrations/003), so the PostgreSQL
 * trigram indexes on lower(name) and email (customers/migrations/001) serve both.
 */
export function userMatches(db: Db, term: string, alias: 'users' | 'u' = 'users'): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${containsIgnoringCase(db, sql.ref(`${alias}.name`), term)} or ${contains(sql.ref(`${alias}.email`), term)})`;
}

/** Up to `limit` ids of the users (any role: staff may buy too) that `userMatches` finds. */
export async function findUserIdsMatching(db: Db, term: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('users').select('id').where(userMatches(db, term)).limit(limit).execute();
  return rows.map((r) => r.id);
}
