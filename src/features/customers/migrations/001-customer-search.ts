// Indexes behind the staff customer search (/staff/customers): the newest customers first on keyset, and on
// PostgreSQL pg_trgm GIN indexes that let `lower(name) like '%x%'` and `email like '%x%'` use an index (emails are
// stored lower-cased). SQLite scans the customers' rows for a substring (10,000 accounts: a few milliseconds).
import { sql, type Kysely } from 'kysely';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createCustomerSearch: Migration = {
  id: 'customers.001-customer-search',
  async up(db, kind) {
    await db.schema.createIndex('users_role_created').on('users').columns(['role', 'created_at', 'id']).execute();
    if (kind === 'postgres') {
      await sql`create extension if not exists pg_trgm with schema public`.execute(db);
      const schema = sql.raw(await trigramSchema(db));
      await sql`create index users_name_trgm on users using gin (lower(name) ${schema}.gin_trgm_ops)`.execute(db);
      await sql`create index users_email_trgm on users using gin (email ${schema}.gin_trgm_ops)`.execute(db);
    }
  },
};

/** The schema pg_trgm lives in (public when a migration installed it; a DBA may have put it elsewhere). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the raw schema
async function trigramSchema(db: Kysely<any>): Promise<string> {
  const row = await sql<{
    schema: string;
  }>`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`.execute(db);
  const schema = row.rows[0]?.schema;
  if (!schema) throw new Error('pg_trgm is not installed');
  return schema;
}
