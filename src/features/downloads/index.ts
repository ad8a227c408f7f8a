// Downloads: demos of software for signed-in customers (each recorded), and what was bought: product files staff
// upload on the product's edit page, served to buyers through signed, expiring links and counted, with each
// product's activation how-to; "My products" lists every purchase, bundle items included, with keys and files.
import { defineFeature } from '../../feature.ts';
import { downloadsDataMap } from './downloads.data-map.ts';
import { productDownloadsSectionPlugin } from './downloads.plugin.ts';
import { registerDownloadRoutes } from './downloads.routes.ts';
import { createDownloads } from './migrations/001-downloads.ts';
import { createProductFiles } from './migrations/002-product-files.ts';
import { addOriginalFileNames } from './migrations/003-original-file-names.ts';

export { myProductsSections } from './downloads.pages.ts';
export { myProducts } from './downloads.service.ts';

export const downloadsFeature = defineFeature({
  name: 'downloads',
  plugins: [productDownloadsSectionPlugin],
  migrations: [createDownloads, createProductFiles, addOriginalFileNames],
  dataMap: downloadsDataMap,
  routes: registerDownloadRoutes,
});
