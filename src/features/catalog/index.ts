// The product catalogue: demo products, the home page, the product API. The shop builds on it (issue 3).
import { defineFeature } from '../../platform/feature.ts';
import { demoProducts } from './catalog.seed.ts';
import { insertProducts } from './catalog.queries.ts';
import { registerCatalogRoutes } from './catalog.routes.ts';
import { createProducts } from './migrations/001-products.ts';

export type { CatalogTables } from './catalog.tables.ts';

export const catalogFeature = defineFeature({
  name: 'catalog',
  migrations: [createProducts],
  routes: registerCatalogRoutes,
  dataMap: {
    activities: [],
    tables: [
      {
        table: 'products',
        activity: 'platform.operation',
        subject: null,
        columns: Object.fromEntries(
          ['id', 'slug', 'kind', 'title_en', 'title_de', 'summary_en', 'summary_de', 'price_cents', 'stock', 'position', 'created_at'].map((c) => [c, 'not-personal' as const]),
        ),
        erasure: null,
        retention: [],
      },
    ],
  },
  seed: (deps) => insertProducts(deps.db, demoProducts(deps.clock.now())),
});
