// SQL of the legal texts: versions are only ever inserted.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { LegalDoc, LegalTextsTable } from './legal.tables.ts';

type Db = Kysely<Database>;

export async function findLatestLegalText(db: Db, doc: LegalDoc): Promise<LegalTextsTable | undefined> {
  return db
    .selectFrom('legal_texts')
    .selectAll()
    .where('doc', '=', doc)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findLegalTextVersion(
  db: Db,
  doc: LegalDoc,
  version: number,
): Promise<LegalTextsTable | undefined> {
  return db
    .selectFrom('legal_texts')
    .selectAll()
    .where('doc', '=', doc)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function listLegalTextVersions(
  db: Db,
  doc: LegalDoc,
): Promise<Pick<LegalTextsTable, 'doc' | 'version' | 'author_role' | 'created_at'>[]> {
  return db
    .selectFrom('legal_texts')
    .select(['doc', 'version', 'author_role', 'created_at'])
    .where('doc', '=', doc)
    .orderBy('version', 'desc')
    .execute();
}

/** The newest version number of each document that has one. */
export async function listLatestLegalVersions(db: Db): Promise<{ doc: LegalDoc; version: number }[]> {
  const rows = await db
    .selectFrom('legal_texts')
    .select(['doc', (eb) => eb.fn.max<number>('version').as('version')])
    .groupBy('doc')
    .execute();
  return rows.map((r) => ({ doc: r.doc, version: Number(r.version) }));
}

export async function insertLegalText(db: Db, row: LegalTextsTable): Promise<void> {
  await db.insertInto('legal_texts').values(row).execute();
}
