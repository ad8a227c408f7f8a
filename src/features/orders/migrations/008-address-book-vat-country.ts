// The address book (issue 11, point 3) and the country whose VAT an order carries (point 3a, decision 0031).
// Orders placed before were all charged the German rate, whatever their address: they record DE.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addAddressBookAndVatCountry: Migration = {
  id: 'orders.008-address-book-vat-country',
  async up(db) {
    await db.schema
      .createTable('address_book')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('name', types.short, (c) => c.notNull())
      .addColumn('street', types.short, (c) => c.notNull())
      .addColumn('postal_code', types.short, (c) => c.notNull())
      .addColumn('city', types.short, (c) => c.notNull())
      .addColumn('country', types.short, (c) => c.notNull())
      .addColumn('default_billing', types.bool, (c) => c.notNull().defaultTo(0))
      .addColumn('default_shipping', types.bool, (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('updated_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('address_book_user').on('address_book').column('user_id').execute();
    await db.schema.alterTable('orders').addColumn('vat_country', types.short).execute();
    await db.updateTable('orders').set({ vat_country: 'DE' }).execute();
  },
};
