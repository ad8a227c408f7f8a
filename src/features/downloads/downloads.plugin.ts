// Global: adds the downloads section (files, activation how-to) below the staff product form, through the
// catalogue's extension point, so that the catalogue need not import this feature.
import type { Deps } from '../../deps.ts';
import { defineGlobalPlugin } from '../../platform/http/app.ts';
import { pageContext } from '../../web/index.ts';
import { addProductEditSection } from '../catalog/index.ts';
import { staffDownloadsSection } from './downloads.pages.ts';
import { findInstructions, listProductFiles } from './downloads.service.ts';

export const productDownloadsSectionPlugin = defineGlobalPlugin<Deps>({
  name: 'candor-downloads-product-section',
  needs: ['candor-web'],
  register(app, deps) {
    addProductEditSection(app, {
      name: 'downloads',
      render: async (request, product) =>
        staffDownloadsSection(
          pageContext(request),
          product.id,
          await listProductFiles(deps, product.id),
          await findInstructions(deps, product.id),
          deps.config.downloadMaxMb,
        ),
    });
  },
});
