import { types } from '../../platform/db/dialect.ts';
import type { Migration } from '../../platform/db/migrate.ts';

/**
 * A restriction the DPO records with an end (Art. 18 GDPR, issue 16): `ends_at`, null for an objection or a
 * restriction that stands until it is lifted. `mayProcess` ignores a record whose end has passed.
 */
export const addObjectionEnds: Migration = {
  id: 'privacy.005-objection-ends',
  async up(db) {
    await db.schema.alterTable('processing_objections').addColumn('ends_at', types.time).execute();
  },
};
