// SQL of the access audit: append to the chain, select, and put a pseudonym in place of an erased person's
// reference (outside the hash). Rows leave by retention, driven by the data map, never by this module.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { AccessAuditTable } from './access-audit.tables.ts';

type Db = Kysely<Database>;

export async function insertAuditRows(db: Db, rows: AccessAuditTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('access_audit').values(rows).execute();
}

/**
 * Takes `count` sequence numbers: the update holds the head row's lock until the transaction ends, so concurrent
 * appenders (several processes on PostgreSQL) take turns; SQLite serialises writers itself.
 */
export async function advanceAccessChainHead(
  db: Db,
  count: number,
): Promise<{ seq: number; lastHash: string; lastAt: number }> {
  await db
    .updateTable('access_audit_chain')
    .set((eb) => ({ seq: eb('seq', '+', count) }))
    .where('id', '=', 1)
    .execute();
  const head = await db
    .selectFrom('access_audit_chain')
    .select(['seq', 'last_hash', 'last_at'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { seq: Number(head.seq) - count, lastHash: head.last_hash, lastAt: Number(head.last_at) };
}

export async function advanceAccessChainHash(db: Db, hash: string, at: number): Promise<void> {
  await db.updateTable('access_audit_chain').set({ last_hash: hash, last_at: at }).where('id', '=', 1).execute();
}

export async function selectAccessChainHead(db: Db): Promise<{ seq: number; last_hash: string } | undefined> {
  const row = await db
    .selectFrom('access_audit_chain')
    .select(['seq', 'last_hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return row ? { seq: Number(row.seq), last_hash: row.last_hash } : undefined;
}

/** One page of the chain in order, after `afterSeq` and up to `uptoSeq`. */
export async function selectAuditRowsFrom(
  db: Db,
  afterSeq: number,
  uptoSeq: number,
  limit: number,
): Promise<AccessAuditTable[]> {
  return db
    .selectFrom('access_audit')
    .selectAll()
    .where('seq', '>', afterSeq)
    .where('seq', '<=', uptoSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function selectAuditRowsAbout(db: Db, subjectUserId: string, limit: number): Promise<AccessAuditTable[]> {
  return db
    .selectFrom('access_audit')
    .selectAll()
    .where('subject_user_id', '=', subjectUserId)
    .orderBy('at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

export async function selectRecentAuditRows(db: Db, limit: number): Promise<AccessAuditTable[]> {
  return db.selectFrom('access_audit').selectAll().orderBy('seq', 'desc').limit(limit).execute();
}

/** Erasure: the person's reference becomes their pseudonym (the hash does not cover it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function pseudonymiseAuditSubject(db: Kysely<any>, userId: string, pseudonym: string): Promise<number> {
  const r = await db
    .updateTable('access_audit')
    .set({ subject_user_id: pseudonym })
    .where('subject_user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
