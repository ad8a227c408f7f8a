// SQL of the access audit: insert and select only (rows leave by retention and are anonymised by erasure,
// both driven by the data map, never by this module).
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { AccessAuditTable } from './access-audit.tables.ts';

type Db = Kysely<Database>;

export async function insertAuditRows(db: Db, rows: AccessAuditTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('access_audit').values(rows).execute();
}

export async function selectAuditRowsAbout(db: Db, subjectUserId: string, limit: number): Promise<AccessAuditTable[]> {
  return db
    .selectFrom('access_audit')
    .selectAll()
    .where('subject_user_id', '=', subjectUserId)
    .orderBy('at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function selectRecentAuditRows(db: Db, limit: number): Promise<AccessAuditTable[]> {
  return db.selectFrom('access_audit').selectAll().orderBy('at', 'desc').orderBy('id').limit(limit).execute();
}
