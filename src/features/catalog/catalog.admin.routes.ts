// Staff pages that create and edit products. A wrong form comes back with a message per field.
import Type from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { productForm, productFormValues, productsPage } from './catalog.admin.pages.ts';
import { findProductById, listBundleContents, listCategories, listProducts } from './catalog.queries.ts';
import { createProduct, editProduct, type ProductFormValues } from './catalog.service.ts';
import { renderProductEditSections } from './catalog.product-sections.ts';

const STAFF: ('staff' | 'admin')[] = ['staff', 'admin'];

// Generous limits: the form's own rules say what is too long, next to the field.
const ProductForm = formBody({
  slug: formText(),
  kind: formText(),
  title_en: formText(),
  title_de: formText(),
  summary_en: formText(),
  summary_de: formText(),
  price: formText(),
  stock: formText(),
  category_id: formText(),
  contents: formText(10_000),
});
const ProductParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** `changed` is called after every saved change, so that this process's listings show it at once. */
export function registerCatalogAdminRoutes(app: App, deps: Deps, changed: () => void): void {
  /** Saves the form; a refusal with field messages shows the form again with them. */
  async function saveForm(
    request: FastifyRequest,
    reply: FastifyReply,
    action: string,
    values: ProductFormValues,
    save: () => Promise<string>,
  ) {
    let id: string;
    try {
      id = await save();
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const categories = await listCategories(deps.db);
      return sendPage(reply, productForm(pageContext(request), action, values, categories, err.fields), err.status);
    }
    changed();
    return reply.redirect(`/staff/products/${id}`, 303);
  }

  app.get('/staff/products', async (request, reply) => {
    requireRole(request.viewer, STAFF);
    return sendPage(reply, productsPage(pageContext(request), await listProducts(deps.db, 500, 0)));
  });

  app.get('/staff/products/new', async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const categories = await listCategories(deps.db);
    return sendPage(reply, productForm(pageContext(request), '/staff/products', { kind: 'software' }, categories));
  });

  app.post('/staff/products', { schema: { body: ProductForm } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    return saveForm(request, reply, '/staff/products', request.body, () => createProduct(deps, request.body));
  });

  app.get('/staff/products/:id', { schema: { params: ProductParams } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const product = await findProductById(deps.db, request.params.id);
    if (!product) throw errors.notFound();
    const values = productFormValues(product, await listBundleContents(deps.db, [product.id]));
    const categories = await listCategories(deps.db);
    const sections = await renderProductEditSections(request, product);
    const action = `/staff/products/${product.id}`;
    return sendPage(reply, productForm(pageContext(request), action, values, categories, {}, sections));
  });

  app.post('/staff/products/:id', { schema: { body: ProductForm, params: ProductParams } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const id = request.params.id;
    if (!(await findProductById(deps.db, id))) throw errors.notFound();
    return saveForm(request, reply, `/staff/products/${id}`, request.body, async () => {
      await editProduct(deps, id, request.body);
      return id;
    });
  });
}
