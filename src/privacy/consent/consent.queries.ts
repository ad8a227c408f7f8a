// SQL of the consent ledger.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { ConsentRecordsTable } from './consent.tables.ts';

type Db = Kysely<Database>;

/** Moves the chain head one step and returns the previous head; the row stays locked until the transaction ends. */
export async function advanceChainHead(db: Db): Promise<{ seq: number; last_hash: string; lastAt: number }> {
  await db
    .updateTable('consent_chain')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .execute();
  const head = await db
    .selectFrom('consent_chain')
    .select(['seq', 'last_hash', 'last_at'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { seq: Number(head.seq) - 1, last_hash: head.last_hash, lastAt: Number(head.last_at) };
}

export async function setChainHead(db: Db, hash: string, at: number): Promise<void> {
  await db.updateTable('consent_chain').set({ last_hash: hash, last_at: at }).where('id', '=', 1).execute();
}

export async function insertConsentRecord(db: Db, row: ConsentRecordsTable): Promise<void> {
  await db.insertInto('consent_records').values(row).execute();
}

export async function listConsentRecordsOf(db: Db, consentId: string): Promise<ConsentRecordsTable[]> {
  return db.selectFrom('consent_records').selectAll().where('consent_id', '=', consentId).orderBy('seq').execute();
}

/** One page of the chain in order, for the audit. */
export async function listConsentRecordsFrom(
  db: Db,
  afterSeq: number,
  untilSeq: number,
  limit: number,
): Promise<ConsentRecordsTable[]> {
  return db
    .selectFrom('consent_records')
    .selectAll()
    .where('seq', '>', afterSeq)
    .where('seq', '<=', untilSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function findChainHead(db: Db): Promise<{ seq: number; last_hash: string } | undefined> {
  const row = await db.selectFrom('consent_chain').select(['seq', 'last_hash']).where('id', '=', 1).executeTakeFirst();
  return row ? { seq: Number(row.seq), last_hash: row.last_hash } : undefined;
}

export async function linkConsentRecords(db: Db, consentId: string, userId: string): Promise<void> {
  await db
    .updateTable('consent_records')
    .set({ user_id: userId })
    .where('consent_id', '=', consentId)
    .where('user_id', 'is', null)
    .execute();
}
