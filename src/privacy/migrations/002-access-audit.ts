import { types } from '../../platform/db/dialect.ts';
import type { Migration } from '../../platform/db/migrate.ts';

export const createAccessAudit: Migration = {
  id: 'privacy.002-access-audit',
  async up(db) {
    await db.schema
      .createTable('access_audit')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('at', types.time, (c) => c.notNull())
      .addColumn('actor_user_id', types.id, (c) => c.notNull())
      .addColumn('actor_role', types.short, (c) => c.notNull())
      .addColumn('subject_user_id', types.id)
      .addColumn('what', types.short, (c) => c.notNull())
      .addColumn('why', types.short, (c) => c.notNull())
      .addColumn('path', types.text)
      .execute();
    await db.schema.createIndex('access_audit_subject').on('access_audit').columns(['subject_user_id', 'at']).execute();
    await db.schema.createIndex('access_audit_at').on('access_audit').column('at').execute();
  },
};
