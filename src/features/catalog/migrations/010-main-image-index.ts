// Listings read each card's main image (the lowest position, then id) in their own statement, one index seek per
// card: the index holds the whole order, so no card sorts its images (decision 0063).
import type { Migration } from '../../../platform/db/migrate.ts';

export const indexMainImages: Migration = {
  id: 'catalog.010-main-image-index',
  async up(db) {
    await db.schema
      .createIndex('product_images_main')
      .on('product_images')
      .columns(['product_id', 'position', 'id'])
      .execute();
    // Its first two columns served the same lookups.
    await db.schema.dropIndex('product_images_product').execute();
  },
};
