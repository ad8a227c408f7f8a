import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

/** Disclosures to authorities (policy 8), recorded by the DPO: what was given to whom, on which basis, until when secret. */
export const createAuthorityDisclosures: Migration = {
  id: 'rights.003-authority-disclosures',
  async up(db) {
    await db.schema
      .createTable('authority_disclosures')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('subject', types.short, (c) => c.notNull())
      .addColumn('authority', types.text, (c) => c.notNull())
      .addColumn('legal_basis', types.text, (c) => c.notNull())
      .addColumn('reference', types.text, (c) => c.notNull())
      .addColumn('categories', types.json, (c) => c.notNull())
      .addColumn('disclosed_at', types.time, (c) => c.notNull())
      .addColumn('confidential_until', types.time)
      .addColumn('recorded_at', types.time, (c) => c.notNull())
      .addColumn('recorded_by', types.id)
      .addColumn('restricted_at', types.time)
      .execute();
    await db.schema
      .createIndex('authority_disclosures_subject')
      .on('authority_disclosures')
      .columns(['subject', 'disclosed_at'])
      .execute();
    await db.schema
      .createIndex('authority_disclosures_recorded')
      .on('authority_disclosures')
      .columns(['recorded_at', 'id'])
      .execute();
  },
};
