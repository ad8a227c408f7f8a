// The name a customer gives a machine ("Studio iMac"), sent by the activating software or set in the account,
// so that "My products" shows more than a hash. Optional: older activations and clients send none.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addMachineNames: Migration = {
  id: 'licences.002-machine-names',
  async up(db) {
    await db.schema.alterTable('activations').addColumn('machine_name', types.short).execute();
  },
};
