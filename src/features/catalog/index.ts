// The product catalogue: demo products, the home page, the product API. The shop builds on it (issue 3).
import { defineFeature } from '../../platform/feature.ts';
import { demoBundleItems, demoCategories, demoProducts } from './catalog.seed.ts';
import { insertBundleItems, insertCategories, insertProducts } from './catalog.queries.ts';
import { registerCatalogRoutes } from './catalog.routes.ts';
import { createProducts } from './migrations/001-products.ts';
import { createCategories } from './migrations/002-categories.ts';
import { createBundleItems } from './migrations/003-bundle-items.ts';
import { widenPrice } from './migrations/004-price-bigint.ts';

export type { ProductsTable } from './catalog.tables.ts';
export { findProductBySlug, findProductsByIds, listBundleContents, listProductCards, listProducts, releaseStock, reserveStock } from './catalog.queries.ts';
export { productTitle, vatOf } from './catalog.pages.ts';

export const catalogFeature = defineFeature({
  name: 'catalog',
  migrations: [createProducts, createCategories, createBundleItems, widenPrice],
  routes: registerCatalogRoutes,
  dataMap: {
    activities: [],
    tables: [
      {
        table: 'products',
        activity: 'platform.operation',
        subject: null,
        columns: Object.fromEntries(
          ['id', 'slug', 'kind', 'title_en', 'title_de', 'summary_en', 'summary_de', 'price_cents', 'stock', 'position', 'created_at', 'category_id'].map((c) => [c, 'not-personal' as const]),
        ),
        erasure: null,
        retention: [],
      },
      {
        table: 'categories',
        activity: 'platform.operation',
        subject: null,
        columns: { id: 'not-personal', slug: 'not-personal', name_en: 'not-personal', name_de: 'not-personal', position: 'not-personal' },
        erasure: null,
        retention: [],
      },
      {
        table: 'bundle_items',
        activity: 'platform.operation',
        subject: null,
        columns: { bundle_id: 'not-personal', product_id: 'not-personal', position: 'not-personal' },
        erasure: null,
        retention: [],
      },
    ],
  },
  async seed(deps) {
    await insertCategories(deps.db, demoCategories());
    await insertProducts(deps.db, demoProducts(deps.clock.now()));
    await insertBundleItems(deps.db, demoBundleItems());
  },
});
