// Staff team (issue 12 point 7): when an account last signed in and whether it is deactivated, the invitations that
// bring new staff in (only a hash of each link's token), and the record of every change to a staff account.
import { sql } from 'kysely';
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createStaffTeam: Migration = {
  id: 'accounts.004-staff-team',
  async up(db) {
    await db.schema.alterTable('users').addColumn('last_sign_in_at', types.time).execute();
    await db.schema.alterTable('users').addColumn('deactivated_at', types.time).execute();
    await db.schema
      .createTable('staff_invitations')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('email', types.short, (c) => c.notNull())
      .addColumn('name', types.short)
      .addColumn('role', types.short, (c) => c.notNull().check(sql`role in ('staff', 'dpo', 'admin')`))
      .addColumn('lang', types.short, (c) => c.notNull())
      .addColumn('token_hash', types.id, (c) => c.notNull().unique())
      .addColumn('invited_by', types.id, (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('expires_at', types.time, (c) => c.notNull())
      .addColumn('accepted_at', types.time)
      .addColumn('revoked_at', types.time)
      .execute();
    await db.schema.createIndex('staff_invitations_email').on('staff_invitations').column('email').execute();
    await db.schema
      .createTable('staff_changes')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('at', types.time, (c) => c.notNull())
      // No foreign key to users: the record proves who gave whom access (Art. 32 GDPR) and outlives the accounts.
      // Erasure of a person restricts their rows (restricted_at) and retention deletes them after three years.
      .addColumn('actor_user_id', types.id)
      .addColumn('subject_user_id', types.id)
      // An invitation deleted by retention leaves the record of what was done with it.
      .addColumn('invitation_id', types.id, (c) => c.references('staff_invitations.id').onDelete('set null'))
      .addColumn('action', types.short, (c) => c.notNull())
      .addColumn('detail', types.short)
      .addColumn('restricted_at', types.time)
      .execute();
    await db.schema.createIndex('staff_changes_at').on('staff_changes').column('at').execute();
    await db.schema.createIndex('staff_changes_subject').on('staff_changes').column('subject_user_id').execute();
  },
};
