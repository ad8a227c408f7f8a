// The product catalogue: demo products, the home page, the shop pages, the product API and staff editing.
import { defineFeature } from '../../feature.ts';
import { catalogDataMap } from './catalog.data-map.ts';
import { catalogFigures } from './catalog.figures.ts';
import { registerCatalogRoutes } from './catalog.routes.ts';
import { seedCatalog } from './catalog.seed.ts';
import { createProducts } from './migrations/001-products.ts';
import { createCategories } from './migrations/002-categories.ts';
import { createBundleItems } from './migrations/003-bundle-items.ts';
import { widenPrice } from './migrations/004-price-bigint.ts';
import { createProductSearch } from './migrations/005-search.ts';
import { addProductConsoleColumns } from './migrations/006-product-console.ts';
import { createProductImages } from './migrations/007-product-images.ts';
import { createProductImports } from './migrations/008-product-imports.ts';
import { scaleCatalogue } from './migrations/009-large-catalogue.ts';
import { indexMainImages } from './migrations/010-main-image-index.ts';
import { removeOrphanImagesJob, runProductImportsJob } from './catalog.images.jobs.ts';
import { productImagesSectionPlugin } from './catalog.images.plugin.ts';
import { registerProductMediaRoutes } from './catalog.images.routes.ts';

export type { ProductsTable } from './catalog.tables.ts';
export {
  findProductBySlug,
  findProductsByIds,
  listBundleContents,
  listProductCards,
  listProducts,
  releaseStock,
  reserveStock,
} from './catalog.queries.ts';
export { kindNames, productSummary, productTitle, vatOf } from './catalog.pages.ts';
export { parseProductForm } from './catalog.service.ts';
export { addProductEditSection, type ProductEditSection } from './catalog.product-sections.ts';
export { deleteImagesOfProduct, productImageSrcset, productImageUrl, type MainImage } from './catalog.images.ts';

export const catalogFeature = defineFeature({
  name: 'catalog',
  searchPath: '/shop',
  navigation: [
    { href: '/shop', label: { en: 'Shop', de: 'Shop' }, place: 'header', for: 'everyone', order: 10 },
    {
      href: '/staff/products',
      label: { en: 'Products', de: 'Produkte' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'admin'],
      order: 51,
    },
    {
      href: '/staff/products/import',
      label: { en: 'Product import', de: 'Produktimport' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'admin'],
      order: 51.2,
    },
  ],
  consoleFigures: catalogFigures,
  migrations: [
    createProducts,
    createCategories,
    createBundleItems,
    widenPrice,
    createProductSearch,
    addProductConsoleColumns,
    createProductImages,
    createProductImports,
    scaleCatalogue,
    indexMainImages,
  ],
  plugins: [productImagesSectionPlugin],
  routes: async (app, deps) => {
    registerCatalogRoutes(app, deps);
    await registerProductMediaRoutes(app, deps);
  },
  jobs: [removeOrphanImagesJob, runProductImportsJob],
  dataMap: catalogDataMap,
  seed: seedCatalog,
});
