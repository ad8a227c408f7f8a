// The versioned legal texts. The id is recorded in databases: never change it.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createLegalTexts: Migration = {
  id: 'legal.001-legal-texts',
  async up(db) {
    await db.schema
      .createTable('legal_texts')
      .addColumn('doc', types.short, (c) => c.notNull())
      .addColumn('version', types.int, (c) => c.notNull())
      .addColumn('title_en', types.short, (c) => c.notNull())
      .addColumn('title_de', types.short, (c) => c.notNull())
      .addColumn('body_en', types.text, (c) => c.notNull())
      .addColumn('body_de', types.text, (c) => c.notNull())
      .addColumn('author_role', types.short, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addPrimaryKeyConstraint('legal_texts_pk', ['doc', 'version'])
      .execute();
  },
};
