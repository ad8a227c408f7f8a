// A licence ends when the customer withdraws from the order line it was issued for (its right of withdrawal kept
// without the § 356(5) BGB consent): the moment is kept, the key stays visible as withdrawn and no longer activates.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addLicenceRevocations: Migration = {
  id: 'licences.003-revocations',
  async up(db) {
    await db.schema.alterTable('licences').addColumn('revoked_at', types.time).execute();
  },
};
