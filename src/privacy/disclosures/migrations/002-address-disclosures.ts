// Disclosures about a person known to the call by an email address (mail through the relay): linked by the address,
// as the outbox is. The id is recorded in databases: never change it.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createAddressDisclosures: Migration = {
  id: 'disclosures.002-address-disclosures',
  async up(db) {
    await db.schema
      .createTable('address_disclosures')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('email', types.short, (c) => c.notNull())
      .addColumn('activity', types.short, (c) => c.notNull())
      .addColumn('recipient', types.short, (c) => c.notNull())
      .addColumn('fields', types.json, (c) => c.notNull())
      .addColumn('disclosed_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('address_disclosures_email').on('address_disclosures').column('email').execute();
    await db.schema.createIndex('address_disclosures_time').on('address_disclosures').column('disclosed_at').execute();
  },
};
