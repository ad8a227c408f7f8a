// The access audit: every time staff open a page with a person's data, one append-only record of who, whose,
// what, when, where and why. This module offers appending and reading, nothing else; retention and erasure
// treat the rows as the data map says (privacy.data-map.ts). The privacy-centre issue adds the hash chain.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.ts';
import type { Viewer } from '../platform/http/context.ts';
import { insertAuditRows, selectAuditRowsAbout, selectRecentAuditRows } from './access-audit.queries.ts';
import type { AccessAuditTable } from './access-audit.tables.ts';
import { findSubjectKeys } from './subject.ts';

export type { AccessAuditTable } from './access-audit.tables.ts';

export interface AccessEntry {
  /** Who looked: the signed-in staff member (an audit without one is a programming error). */
  actor: Pick<Viewer, 'userId' | 'role'> | null | undefined;
  /**
   * Whose data: an account, several accounts, an email address (resolved to its accounts, if any), or null
   * for a list of many people.
   */
  whose: { userId: string } | { userIds: readonly string[] } | { email: string } | null;
  /** `<feature>.<noun>`, e.g. 'mail.view', 'order.view'. */
  what: string;
  /** Why it was looked at, a short code, e.g. 'customer-service'. */
  why: string;
  /** The request's URL; the query is dropped (it may hold tokens or search terms). */
  path: string;
}

const CODE = /^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*$/;
const MAX_PATH = 2000;

/** Appends one record per person concerned (one with no subject for a list view). */
export async function recordAccess(deps: Pick<Deps, 'db' | 'clock' | 'dataMap'>, entry: AccessEntry): Promise<void> {
  if (!entry.actor) throw new Error(`access audit: ${entry.what} recorded without a signed-in actor`);
  if (!CODE.test(entry.what) || !CODE.test(entry.why))
    throw new Error(`access audit: what and why are short codes (${entry.what}, ${entry.why})`);
  const whose = entry.whose;
  const subjects =
    whose === null
      ? [null]
      : 'userId' in whose
        ? [whose.userId]
        : 'userIds' in whose
          ? [...new Set(whose.userIds)]
          : (await findSubjectKeys(deps, whose.email)).userIds;
  const at = deps.clock.now();
  const path = (entry.path.split('?')[0] ?? '').slice(0, MAX_PATH);
  // An address with no account is still a view of someone's data: recorded without a subject.
  const rows: AccessAuditTable[] = (subjects.length > 0 ? subjects : [null]).map((subject) => ({
    id: randomUUID(),
    at,
    actor_user_id: entry.actor!.userId,
    actor_role: entry.actor!.role,
    subject_user_id: subject,
    what: entry.what,
    why: entry.why,
    path,
  }));
  await insertAuditRows(deps.db, rows);
}

/** What staff looked at about one person, newest first (for their access request and the DPO). */
export async function readAccessAbout(
  deps: Pick<Deps, 'db'>,
  subjectUserId: string,
  limit = 500,
): Promise<AccessAuditTable[]> {
  return selectAuditRowsAbout(deps.db, subjectUserId, limit);
}

/** The newest records of all staff access, for the DPO. */
export async function readRecentAccess(deps: Pick<Deps, 'db'>, limit = 500): Promise<AccessAuditTable[]> {
  return selectRecentAuditRows(deps.db, limit);
}
