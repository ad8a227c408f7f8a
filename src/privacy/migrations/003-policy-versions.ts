import { types } from '../../platform/db/dialect.ts';
import type { Migration } from '../../platform/db/migrate.ts';

/**
 * The policy versions table, created by `consent.001-ledger-and-policy-versions` until the privacy engine took
 * it over (decision 0021): databases that ran that migration have it already, with this schema.
 */
export const createPolicyVersions: Migration = {
  id: 'privacy.003-policy-versions',
  async up(db) {
    await db.schema
      .createTable('policy_versions')
      .ifNotExists()
      .addColumn('number', types.int, (c) => c.primaryKey())
      .addColumn('hash', types.short, (c) => c.notNull())
      .addColumn('published_at', types.time, (c) => c.notNull())
      .addColumn('body_en', types.text, (c) => c.notNull())
      .addColumn('body_de', types.text, (c) => c.notNull())
      .execute();
    // Not unique: switching a vendor off and on again is a third version with the first one's content.
    await db.schema.createIndex('policy_versions_hash').ifNotExists().on('policy_versions').column('hash').execute();
  },
};
