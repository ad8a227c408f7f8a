// Sections other features add below the staff product form (the downloads feature: files and activation how-to),
// so that the catalogue need not import them: a feature's global plugin adds its section, the edit page renders
// every section in the order added. Sections are code, the same in every process; they hold no state.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SafeHtml } from '../../platform/html.ts';
import type { ProductsTable } from './catalog.tables.ts';

export interface ProductEditSection {
  /** Who contributes (for reading the code and the errors). */
  name: string;
  render(request: FastifyRequest, product: ProductsTable): Promise<SafeHtml>;
}

declare module 'fastify' {
  interface FastifyInstance {
    productEditSections?: ProductEditSection[];
  }
}

/** Called from a global plugin (registered before any route scope, so the catalogue's scope sees it). */
export function addProductEditSection(app: FastifyInstance, section: ProductEditSection): void {
  if (!app.hasDecorator('productEditSections')) app.decorate('productEditSections', []);
  app.productEditSections!.push(section);
}

/** Every added section for one product, in the order added. */
export async function renderProductEditSections(request: FastifyRequest, product: ProductsTable): Promise<SafeHtml[]> {
  const sections = request.server.productEditSections ?? [];
  return Promise.all(sections.map((s) => s.render(request, product)));
}
