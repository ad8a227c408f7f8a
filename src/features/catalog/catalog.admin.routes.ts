// Staff pages of the product console: the list (search, filters, keyset pages), the bulk price and stock edit,
// the product form (new and edit; a wrong form comes back with a message per field) and the preview of a product
// page, which is how staff see a draft. Products hold no personal data, so no view is access-recorded.
import Type from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { encodeCursor, parseNumberCursor } from '../../web/keyset.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import type { Text } from '../../platform/i18n.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import {
  bulkDonePage,
  bulkRefusedPage,
  productForm,
  productFormValues,
  productListLink,
  productsPage,
  type ProductFormModel,
} from './catalog.admin.pages.ts';
import { BULK_MAX, bulkEditProducts, BulkEditRefused, type BulkRow } from './catalog.console.ts';
import { listConsoleProducts, listSoftwareProducts, type ProductCursor } from './catalog.console.queries.ts';
import { LOW_STOCK } from './catalog.figures.ts';
import { productPage } from './catalog.pages.ts';
import { findCategoryById, findProductById, listBundleContents, listCategories } from './catalog.queries.ts';
import {
  createProduct,
  DEFAULT_MAX_ACTIVATIONS,
  DESCRIPTION_MAX,
  editProduct,
  PRODUCT_KINDS,
  PRODUCT_STATUSES,
  type ProductFormValues,
} from './catalog.service.ts';
import { renderProductEditSections } from './catalog.product-sections.ts';
import type { ProductKind, ProductStatus } from './catalog.tables.ts';
import { visitorVat } from '../../shop/vat.ts';

const STAFF: ('staff' | 'admin')[] = ['staff', 'admin'];
const PAGE_SIZE = 50;

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
  status: formText(),
  description_en: formText(DESCRIPTION_MAX * 2),
  description_de: formText(DESCRIPTION_MAX * 2),
  requirements_en: formText(DESCRIPTION_MAX),
  requirements_de: formText(DESCRIPTION_MAX),
  max_activations: formText(),
  requires_id: formText(),
});
const ProductParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const SavedQuery = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 5 })) });
const NewQuery = Type.Object({ kind: Type.Optional(Type.String({ maxLength: 20 })) });

// The list ignores a filter it cannot use (a person may edit the address), but a page start that is not one of its
// own links is refused, so that no one pages through a wrong list without knowing.
const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  kind: Type.Optional(Type.String({ maxLength: 20 })),
  category: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(Type.String({ maxLength: 20 })),
  low: Type.Optional(Type.String({ maxLength: 5 })),
  after: Type.Optional(Type.String({ maxLength: 100 })),
});

/** The bulk form: `select.<id>`, `price.<id>` and `stock.<id>` per row of the list, and the list to go back to. */
const BulkForm = Type.Object(
  { _csrf: Type.Optional(Type.String({ maxLength: 200 })), back: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: Type.String({ maxLength: 20 }) },
);

const isKind = (value: string | undefined): value is ProductKind => PRODUCT_KINDS.some((k) => k === value);
const isStatus = (value: string | undefined): value is ProductStatus => PRODUCT_STATUSES.some((s) => s === value);

/** A page start as the list writes it: `<position>.<id>`. */
const cursorText = (c: ProductCursor) => encodeCursor(c.position, c.id);
function parseCursor(text: string | undefined): ProductCursor | undefined {
  const cursor = parseNumberCursor(text);
  return cursor && { position: cursor.value, id: cursor.id };
}

/** Where the bulk pages lead back to: a list address, never anywhere else. */
const listAddress = (back: string | undefined) =>
  back && /^\/staff\/products(\?[^\s]*)?$/.test(back) ? back : '/staff/products';

/** `changed` is called after every saved change, so that this process's listings show it at once. */
export function registerCatalogAdminRoutes(app: App, deps: Deps, changed: () => void): void {
  async function formModel(values: ProductFormValues, more: Partial<ProductFormModel> = {}): Promise<ProductFormModel> {
    const [categories, software] = await Promise.all([listCategories(deps.db), listSoftwareProducts(deps.db)]);
    return { values, categories, software, ...more };
  }

  /** Saves the form; a refusal with field messages shows the form again with them, nothing saved. */
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
      // A refusal without field messages (say, the product vanished) goes to the error page, which says what happened.
      if (Object.keys(err.fields).length === 0) throw err;
      const model = await formModel(values, { fields: err.fields });
      return sendPage(reply, productForm(pageContext(request), action, model), err.status);
    }
    changed();
    return reply.redirect(`/staff/products/${id}?saved=1`, 303);
  }

  app.get('/staff/products', { schema: { querystring: ListQuery } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const query = request.query;
    const after = parseCursor(query.after);
    const filter = {
      q: query.q?.trim() || undefined,
      kind: isKind(query.kind) ? query.kind : undefined,
      categoryId: query.category || undefined,
      status: isStatus(query.status) ? query.status : undefined,
      low: query.low === '1',
    };
    const [found, categories] = await Promise.all([
      listConsoleProducts(deps.db, { ...filter, lowStockAt: filter.low ? LOW_STOCK : undefined }, after, PAGE_SIZE + 1),
      listCategories(deps.db),
    ]);
    const rows = found.slice(0, PAGE_SIZE);
    const last = rows.at(-1);
    const next = found.length > PAGE_SIZE && last ? productListLink(filter, cursorText(last)) : undefined;
    const model = { filter, rows, categories, next, paged: after !== undefined, lowStockAt: LOW_STOCK };
    return sendPage(reply, productsPage(pageContext(request), model));
  });

  app.post('/staff/products/bulk', { schema: { body: BulkForm } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const body: Record<string, string | undefined> = request.body;
    const back = listAddress(body.back);
    const rows: BulkRow[] = Object.keys(body)
      .filter((key) => key.startsWith('select.') && body[key] === '1')
      .slice(0, BULK_MAX + 1)
      .map((key) => {
        const id = key.slice('select.'.length);
        return { id, price: body[`price.${id}`] ?? '', stock: body[`stock.${id}`] ?? '' };
      });
    try {
      const changes = await bulkEditProducts(deps, rows);
      changed();
      return sendPage(reply, bulkDonePage(pageContext(request), changes, back));
    } catch (err) {
      if (!(err instanceof BulkEditRefused)) throw err;
      const products = new Map(err.products.map((p) => [p.id, p]));
      const shown = rows.flatMap((r) => {
        const product = products.get(r.id);
        return product ? [{ product, price: r.price, stock: r.stock }] : [];
      });
      const message: Text = err.text;
      return sendPage(reply, bulkRefusedPage(pageContext(request), shown, err.rowErrors, back, message), 400);
    }
  });

  app.get('/staff/products/new', { schema: { querystring: NewQuery } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const kind = isKind(request.query.kind) ? request.query.kind : 'software';
    const values = { kind, status: 'draft', max_activations: String(DEFAULT_MAX_ACTIVATIONS) };
    return sendPage(reply, productForm(pageContext(request), '/staff/products', await formModel(values)));
  });

  app.post('/staff/products', { schema: { body: ProductForm } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    return saveForm(request, reply, '/staff/products', request.body, () => createProduct(deps, request.body));
  });

  app.get(
    '/staff/products/:id',
    { schema: { params: ProductParams, querystring: SavedQuery } },
    async (request, reply) => {
      requireRole(request.viewer, STAFF);
      const product = await findProductById(deps.db, request.params.id);
      if (!product) throw errors.notFound();
      const values = productFormValues(product, await listBundleContents(deps.db, [product.id]));
      const sections = await renderProductEditSections(request, product);
      const saved = request.query.saved === '1' ? product : undefined;
      const action = `/staff/products/${product.id}`;
      return sendPage(reply, productForm(pageContext(request), action, await formModel(values, { sections, saved })));
    },
  );

  app.post('/staff/products/:id', { schema: { body: ProductForm, params: ProductParams } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const id = request.params.id;
    if (!(await findProductById(deps.db, id))) throw errors.notFound();
    return saveForm(request, reply, `/staff/products/${id}`, request.body, async () => {
      await editProduct(deps, id, request.body);
      return id;
    });
  });

  // How the shop page will look (or looks): the way staff see a draft before it is published.
  app.get('/staff/products/:id/preview', { schema: { params: ProductParams } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const product = await findProductById(deps.db, request.params.id);
    if (!product) throw errors.notFound();
    const [category, contents, requires] = await Promise.all([
      product.category_id ? findCategoryById(deps.db, product.category_id) : undefined,
      product.kind === 'bundle' ? listBundleContents(deps.db, [product.id]) : [],
      product.requires_id ? findProductById(deps.db, product.requires_id) : undefined,
    ]);
    const page = productPage(
      pageContext(request),
      product,
      category,
      contents,
      deps.config.operator.shipping,
      visitorVat(request, deps.config),
      { requires, preview: product.status === 'draft' },
    );
    return sendPage(reply, page);
  });
}
