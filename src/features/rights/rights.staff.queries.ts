// SQL of the DPO console: the list of requests with its filters and keyset, and the figures of its chart.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../database.ts';
import { OPEN_STATES } from './rights.model.ts';
import type { PrivacyRequestsTable, RequestKind, RequestState } from './rights.tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface RequestFilter {
  state?: RequestState | undefined;
  kind?: RequestKind | undefined;
  /** Open requests past their deadline at `now`. */
  overdue?: boolean | undefined;
  now: number;
}

/** A page of requests, newest received first; `after` is the keyset of the last row shown before. */
export async function selectRequestPage(
  db: Db,
  filter: RequestFilter,
  limit: number,
  after?: { receivedAt: number; id: string },
): Promise<PrivacyRequestsTable[]> {
  let q = db.selectFrom('privacy_requests').selectAll();
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.overdue) q = q.where('state', 'in', [...OPEN_STATES]).where('due_at', '<', filter.now);
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('received_at', '<', after.receivedAt),
        eb.and([eb('received_at', '=', after.receivedAt), eb('id', '<', after.id)]),
      ]),
    );
  return q.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Receipt and completion times of the requests received since `since` (for the chart: per month, median days). */
export async function selectRequestTimes(
  db: Db,
  since: number,
): Promise<{ received_at: number; done_at: number | null; state: RequestState }[]> {
  return db
    .selectFrom('privacy_requests')
    .select(['received_at', 'done_at', 'state'])
    .where('received_at', '>=', since)
    .where('duplicate_of', 'is', null)
    .execute();
}

/** Open requests, and those of them past their deadline. */
export async function countOpenRequests(db: Db, now: number): Promise<{ open: number; overdue: number }> {
  const row = await db
    .selectFrom('privacy_requests')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('open'),
      eb.fn.sum<number | string | null>(eb.case().when('due_at', '<', now).then(1).else(0).end()).as('overdue'),
    ])
    .where('state', 'in', [...OPEN_STATES])
    .executeTakeFirstOrThrow();
  return { open: Number(row.open), overdue: Number(row.overdue ?? 0) };
}

/** The names of the staff members who wrote history lines, by account id (for "who" in a request's history). */
export async function selectStaffNames(db: Db, ids: readonly string[]): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'role'])
    .where('id', 'in', [...new Set(ids)])
    .where('role', '!=', 'customer')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.id, `${r.name} (${r.role})`]));
}
