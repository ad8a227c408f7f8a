// SQL of the published policy versions.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { PolicyVersionsTable } from './policy-versions.tables.ts';

type Db = Kysely<Database>;

export async function findLatestPolicyVersionWithHash(db: Db, hash: string): Promise<PolicyVersionsTable | undefined> {
  return db
    .selectFrom('policy_versions')
    .selectAll()
    .where('hash', '=', hash)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findLatestPolicyVersion(db: Db): Promise<PolicyVersionsTable | undefined> {
  return db.selectFrom('policy_versions').selectAll().orderBy('number', 'desc').limit(1).executeTakeFirst();
}

export async function findPolicyVersion(db: Db, number: number): Promise<PolicyVersionsTable | undefined> {
  return db.selectFrom('policy_versions').selectAll().where('number', '=', number).executeTakeFirst();
}

export async function listPolicyVersions(
  db: Db,
): Promise<Pick<PolicyVersionsTable, 'number' | 'published_at' | 'hash'>[]> {
  return db
    .selectFrom('policy_versions')
    .select(['number', 'published_at', 'hash'])
    .orderBy('number', 'desc')
    .execute();
}

export async function insertPolicyVersion(db: Db, row: PolicyVersionsTable): Promise<void> {
  await db.insertInto('policy_versions').values(row).execute();
}
