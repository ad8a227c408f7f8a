// The access audit: every time staff open a page with a person's data, one append-only record of who, whose,
// what, when, where and why, chained to the record before by SHA-256 (access-audit.hash.ts) so that editing,
// removing or reordering a record is detectable (`candor audit`). This module offers appending, reading and
// verifying; retention deletes from the start of the chain and erasure replaces the person's reference with a
// keyed pseudonym and clears the path, both outside what the hash covers (privacy.data-map.ts).
import { createHmac, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { Deps } from '../deps.ts';
import type { Viewer } from '../platform/http/context.ts';
import { ACCESS_GENESIS_HASH, accessRecordHash, newPathSalt, pathDigest } from './access-audit.hash.ts';
import {
  advanceAccessChainHash,
  advanceAccessChainHead,
  insertAuditRows,
  pseudonymiseAuditSubject,
  selectAccessChainHead,
  selectAuditRowsAbout,
  selectAuditRowsFrom,
  selectRecentAuditRows,
} from './access-audit.queries.ts';
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
  const path = (entry.path.split('?')[0] ?? '').slice(0, MAX_PATH);
  // An address with no account is still a view of someone's data: recorded without a subject.
  const people = subjects.length > 0 ? subjects : [null];
  const actor = entry.actor;
  // Inside the caller's transaction when there is one (a staff decision and its record commit together, decision
  // 0022); otherwise in one of its own. Either way the chain head is held until the rows are written.
  const append = async (trx: Kysely<Database>) => {
    const head = await advanceAccessChainHead(trx, people.length);
    // Read once the head is held, so that sequence order and time order agree (retention deletes by time).
    const at = Math.max(deps.clock.now(), head.lastAt);
    let prev = head.lastHash;
    const rows = people.map((subject, i): AccessAuditTable => {
      const salt = newPathSalt();
      const content = {
        prev_hash: prev,
        seq: head.seq + i + 1,
        at,
        actor_user_id: actor.userId,
        actor_role: actor.role,
        what: entry.what,
        why: entry.why,
        path_digest: pathDigest(salt, path),
      };
      const hash = accessRecordHash(content);
      prev = hash;
      return { ...content, id: randomUUID(), subject_user_id: subject, path, path_salt: salt, hash };
    });
    await insertAuditRows(trx, rows);
    await advanceAccessChainHash(trx, prev, at);
  };
  if (deps.db.isTransaction) await append(deps.db);
  else await deps.db.transaction().execute(append);
}

export interface AccessChainReport {
  ok: boolean;
  records: number;
  /** The first sequence number still held (older ones went by retention), or null when none are held. */
  firstSeq: number | null;
  problems: string[];
}

/**
 * Walks the chain in order up to the head as it was when the check began (records appended meanwhile are not
 * judged), as verifyConsentChain does; a chain that starts after #1 is one whose oldest records went by retention.
 */
export async function verifyAccessChain(db: Kysely<Database>): Promise<AccessChainReport> {
  const problems: string[] = [];
  const head = await selectAccessChainHead(db);
  if (!head) return { ok: false, records: 0, firstSeq: null, problems: ['the chain head row is missing.'] };
  let records = 0;
  let firstSeq: number | null = null;
  let previous: AccessAuditTable | undefined;
  for (;;) {
    const page = await selectAuditRowsFrom(db, previous ? Number(previous.seq) : 0, head.seq, 1000);
    for (const r of page) {
      const seq = Number(r.seq);
      records++;
      if (firstSeq === null) {
        firstSeq = seq;
        if (seq === 1 && r.prev_hash !== ACCESS_GENESIS_HASH)
          problems.push(`record #1 (${r.id}) does not start the chain: its previous hash is not the genesis hash.`);
      } else if (previous) {
        if (seq !== Number(previous.seq) + 1)
          problems.push(
            `records #${Number(previous.seq) + 1} to #${seq - 1} are missing: the chain jumps from #${Number(previous.seq)} to #${seq}.`,
          );
        if (r.prev_hash !== previous.hash)
          problems.push(
            `record #${seq} (${r.id}) does not follow record #${Number(previous.seq)}: its previous hash differs from that record's hash.`,
          );
      }
      const content = {
        prev_hash: r.prev_hash,
        seq,
        at: Number(r.at),
        actor_user_id: r.actor_user_id,
        actor_role: r.actor_role,
        what: r.what,
        why: r.why,
        path_digest: r.path_digest,
      };
      if (accessRecordHash(content) !== r.hash)
        problems.push(`record #${seq} (${r.id}) was altered: its content no longer matches its hash.`);
      else if (r.path_salt !== null && pathDigest(r.path_salt, r.path) !== r.path_digest)
        problems.push(`record #${seq} (${r.id}) was altered: its path no longer matches the digest its hash covers.`);
      previous = r;
    }
    if (page.length < 1000) break;
  }
  if (previous && (head.seq !== Number(previous.seq) || head.last_hash !== previous.hash)) {
    problems.push(
      `the newest records are missing: the chain head says #${head.seq}, the newest record held is #${Number(previous.seq)}.`,
    );
  } else if (!previous && head.seq > 0 && head.last_hash === ACCESS_GENESIS_HASH) {
    problems.push('the chain head was reset.');
  }
  return { ok: problems.length === 0, records, firstSeq, problems };
}

/**
 * The pseudonym that replaces an erased person's account id in the records of what staff looked at: keyed, so that
 * nobody without the key can tell whose it was, and the same for all of one person's records (a DPO can still see
 * that several looks concerned one person). The key is derived from the analytics key, under a label of its own.
 */
export function accessPseudonym(analyticsKey: string, userId: string): string {
  const key = createHmac('sha256', analyticsKey).update('candor access-audit subject pseudonym').digest();
  return `erased-${createHmac('sha256', key).update(userId).digest('hex').slice(0, 48)}`;
}

/** The erasure hook: every record about the person keeps what staff did, under the person's pseudonym. */
export async function pseudonymiseAccessRecords(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ctx: { db: Kysely<any>; config: { analyticsKey: string } },
  keys: { userIds: string[] },
): Promise<void> {
  for (const userId of keys.userIds)
    await pseudonymiseAuditSubject(ctx.db, userId, accessPseudonym(ctx.config.analyticsKey, userId));
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
