// What the staff product console needs on products: a status (draft, active, archived; every existing product is
// active), the long description and system requirements in both languages (Markdown), the number of activations a
// licence key of a software product allows (existing software keeps today's 2), and the product an expansion needs.
import { sql } from 'kysely';
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addProductConsoleColumns: Migration = {
  id: 'catalog.006-product-console',
  async up(db) {
    const products = () => db.schema.alterTable('products');
    // One column per statement: SQLite adds only one at a time.
    await products()
      .addColumn('status', types.short, (c) => c.notNull().defaultTo('active'))
      .execute();
    for (const column of ['description_en', 'description_de', 'requirements_en', 'requirements_de']) {
      await products()
        .addColumn(column, types.text, (c) => c.notNull().defaultTo(''))
        .execute();
    }
    await products().addColumn('max_activations', types.int).execute();
    await products()
      .addColumn('requires_id', types.id, (c) => c.references('products.id').onDelete('set null'))
      .execute();
    await sql`update products set max_activations = 2 where kind = 'software'`.execute(db);
    // The staff list pages on (position, id) within a status; the shop reads active products in position order.
    await db.schema
      .createIndex('products_status_position')
      .on('products')
      .columns(['status', 'position', 'id'])
      .execute();
  },
};
