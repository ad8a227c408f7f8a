// Demo downloads: signed-in customers download demos of software; each download is recorded.
import { defineFeature } from '../../feature.ts';
import { downloadsDataMap } from './downloads.data-map.ts';
import { registerDownloadRoutes } from './downloads.routes.ts';
import { createDownloads } from './migrations/001-downloads.ts';

export const downloadsFeature = defineFeature({
  name: 'downloads',
  migrations: [createDownloads],
  dataMap: downloadsDataMap,
  routes: registerDownloadRoutes,
});
