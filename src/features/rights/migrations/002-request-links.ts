// Requests without an account wait here until their address is proven (rights.guest.service.ts).
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createPrivacyRequestLinks: Migration = {
  id: 'rights.002-request-links',
  async up(db) {
    await db.schema
      .createTable('privacy_request_links')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('email', types.short, (c) => c.notNull())
      .addColumn('kind', types.short, (c) => c.notNull())
      .addColumn('detail', types.json)
      .addColumn('lang', types.short, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('expires_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('privacy_request_links_email')
      .on('privacy_request_links')
      .columns(['email', 'expires_at'])
      .execute();
    await db.schema
      .createIndex('privacy_request_links_expires')
      .on('privacy_request_links')
      .column('expires_at')
      .execute();
  },
};
