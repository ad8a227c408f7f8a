// SQL of the readiness check: a trivial statement that proves the database answers, and the applied migrations.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';

/** Answers when the database does; throws when it cannot be reached (or was closed). */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** The ids recorded in schema_migrations (platform/db/migrate.ts writes one row per applied migration). */
export async function listAppliedMigrationIds(db: Kysely<Database>): Promise<Set<string>> {
  const result = await sql<{ id: string }>`select id from schema_migrations`.execute(db);
  return new Set(result.rows.map((r) => r.id));
}
