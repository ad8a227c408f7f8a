// The second factor (TOTP, RFC 6238): the encrypted secret and last accepted time step per account, the hashed
// single-use recovery codes, the short-lived pending sign-ins between password and code, and on each session
// when its second factor was passed.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createTwoFactor: Migration = {
  id: 'accounts.005-two-factor',
  async up(db) {
    await db.schema
      .createTable('two_factor')
      .addColumn('user_id', types.id, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('secret_enc', types.short, (c) => c.notNull())
      .addColumn('confirmed_at', types.time)
      .addColumn('last_step', types.time, (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('enrolling_session_id', types.id)
      .execute();
    await db.schema
      .createTable('two_factor_recovery_codes')
      .addColumn('code_hash', types.id, (c) => c.primaryKey())
      .addColumn('user_id', types.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('used_at', types.time)
      .execute();
    await db.schema
      .createIndex('two_factor_recovery_codes_user')
      .on('two_factor_recovery_codes')
      .column('user_id')
      .execute();
    await db.schema
      .createTable('two_factor_challenges')
      .addColumn('token_hash', types.id, (c) => c.primaryKey())
      .addColumn('user_id', types.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('remember', types.bool, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('expires_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('two_factor_challenges_user').on('two_factor_challenges').column('user_id').execute();
    await db.schema.alterTable('sessions').addColumn('second_factor_at', types.time).execute();
  },
};
