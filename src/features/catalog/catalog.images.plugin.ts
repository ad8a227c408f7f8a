// Global: adds the images section (upload, alt texts, order, delete) below the staff product form, through the
// catalogue's own extension point, first of all sections (the catalogue's plugins come before other features').
import type { Deps } from '../../deps.ts';
import { defineGlobalPlugin } from '../../platform/http/app.ts';
import { pageContext } from '../../web/index.ts';
import { staffImagesSection } from './catalog.images.pages.ts';
import { listProductImages } from './catalog.images.ts';
import { addProductEditSection } from './catalog.product-sections.ts';

export const productImagesSectionPlugin = defineGlobalPlugin<Deps>({
  name: 'candor-catalog-images-section',
  needs: ['candor-web'],
  register(app, deps) {
    addProductEditSection(app, {
      name: 'images',
      render: async (request, product) =>
        staffImagesSection(
          pageContext(request),
          product.id,
          await listProductImages(deps.db, product.id),
          deps.config.imageMaxMb,
        ),
    });
  },
});
