import { sql } from 'kysely';
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

const sqlRoles = sql`role in ('customer', 'staff', 'dpo', 'admin')`;

export const createAccounts: Migration = {
  id: 'accounts.001-users-sessions-tokens',
  async up(db) {
    await db.schema
      .createTable('users')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('email', types.short, (c) => c.notNull().unique())
      .addColumn('name', types.short, (c) => c.notNull())
      .addColumn('password_hash', types.short, (c) => c.notNull())
      .addColumn('role', types.short, (c) => c.notNull().check(sqlRoles))
      .addColumn('email_verified_at', types.time)
      .addColumn('company', types.short)
      .addColumn('phone', types.short)
      .addColumn('lang', types.short, (c) => c.notNull().defaultTo('en'))
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('updated_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('sessions')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('user_id', types.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('token_hash', types.id, (c) => c.notNull().unique())
      .addColumn('remember', types.bool, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('last_seen_at', types.time, (c) => c.notNull())
      .addColumn('idle_expires_at', types.time, (c) => c.notNull())
      .addColumn('expires_at', types.time, (c) => c.notNull())
      .addColumn('device', types.short)
      .addColumn('ip', types.short)
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    await db.schema
      .createTable('account_tokens')
      .addColumn('token_hash', types.id, (c) => c.primaryKey())
      .addColumn('user_id', types.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('purpose', types.short, (c) => c.notNull())
      .addColumn('email', types.short, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('expires_at', types.time, (c) => c.notNull())
      .addColumn('used_at', types.time)
      .execute();
    await db.schema.createIndex('account_tokens_user').on('account_tokens').column('user_id').execute();
  },
};
