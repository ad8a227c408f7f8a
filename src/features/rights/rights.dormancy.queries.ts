// SQL of the end of dormant accounts (policy 9c): which customer accounts had no sign-in, no use of a session and
// no order since a time, whether an account holds licences or registered hardware, the notices sent, and how many
// of a person's rows a table the erasure keeps holds.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { DormancyNoticesTable } from './rights.tables.ts';

type Db = Kysely<Database>;

export interface DormantAccount {
  id: string;
  email: string;
  name: string;
  lang: string;
}

/**
 * Customer accounts (never staff, DPO or administrators) created before `since` with no sign-in, no request
 * through a session and no order from `since` on.
 */
export async function listDormantAccounts(db: Db, since: number): Promise<DormantAccount[]> {
  return db
    .selectFrom('users as u')
    .select(['u.id', 'u.email', 'u.name', 'u.lang'])
    .where('u.role', '=', 'customer')
    .where('u.created_at', '<', since)
    .where((eb) => eb.or([eb('u.last_sign_in_at', 'is', null), eb('u.last_sign_in_at', '<', since)]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('sessions as s')
            .select('s.id')
            .whereRef('s.user_id', '=', 'u.id')
            .where('s.last_seen_at', '>=', since),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('orders as o')
            .select('o.id')
            .whereRef('o.user_id', '=', 'u.id')
            .where('o.created_at', '>=', since),
        ),
      ),
    )
    .orderBy('u.id')
    .execute();
}

/** The account holds a licence not revoked or a hardware registration not released. */
export async function holdsLicencesOrHardware(db: Db, userId: string): Promise<boolean> {
  const licence = await db
    .selectFrom('licences')
    .select('id')
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (licence) return true;
  const unit = await db
    .selectFrom('hardware_registrations')
    .select('id')
    .where('user_id', '=', userId)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return unit !== undefined;
}

/** The person's latest notice, if any. */
export async function latestNoticeOf(db: Db, userId: string): Promise<DormancyNoticesTable | undefined> {
  return db
    .selectFrom('dormancy_notices')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('notified_at', 'desc')
    .executeTakeFirst();
}

export async function insertNotice(db: Db, row: DormancyNoticesTable): Promise<void> {
  await db.insertInto('dormancy_notices').values(row).execute();
}

export async function setNoticeRequest(db: Db, id: string, requestId: string): Promise<void> {
  await db.updateTable('dormancy_notices').set({ request_id: requestId }).where('id', '=', id).execute();
}

/**
 * Deletes the notices of accounts used since: a sign-in, a request through a session or an order after the
 * notice (the pending erasure is off, and a later dormancy period gets a new notice). Answers how many.
 */
export async function deleteNoticesOfActiveAccounts(db: Db): Promise<number> {
  const r = await db
    .deleteFrom('dormancy_notices')
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('users as u')
            .select('u.id')
            .whereRef('u.id', '=', 'dormancy_notices.user_id')
            .whereRef('u.last_sign_in_at', '>', 'dormancy_notices.notified_at'),
        ),
        eb.exists(
          eb
            .selectFrom('sessions as s')
            .select('s.id')
            .whereRef('s.user_id', '=', 'dormancy_notices.user_id')
            .whereRef('s.last_seen_at', '>', 'dormancy_notices.notified_at'),
        ),
        eb.exists(
          eb
            .selectFrom('orders as o')
            .select('o.id')
            .whereRef('o.user_id', '=', 'dormancy_notices.user_id')
            .whereRef('o.created_at', '>', 'dormancy_notices.notified_at'),
        ),
      ]),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** How many rows of `table` link to the person (`onlyKept`: of those whose column is set). */
export async function countLinkedRows(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tables named by the data map
  db: Kysely<any>,
  table: string,
  column: string,
  values: readonly string[],
  onlyKept?: string,
): Promise<number> {
  if (values.length === 0) return 0;
  let q = db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where(column, 'in', [...values]);
  if (onlyKept) q = q.where(onlyKept, 'is not', null);
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}
