// The home page and the read-only catalogue API.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import { createTtlCache } from '../../platform/cache.ts';
import { sendPage } from '../../platform/http/reply.ts';
import type { Lang } from '../../platform/i18n.ts';
import { pageContext } from '../shell/index.ts';
import type { CategoriesTable } from './catalog.tables.ts';
import { registerCatalogAdmin } from './catalog.admin.ts';
import { homePage, productImageSvg, productPage, productTitle, shopPage } from './catalog.pages.ts';
import { findCategoryById, findProductBySlug, listBundleContents, listCategories, listProductCards, listProducts, type ProductCard } from './catalog.queries.ts';

const productSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    slug: { type: 'string' },
    kind: { type: 'string' },
    title: { type: 'string' },
    summary: { type: 'string' },
    price: { type: 'object', properties: { amount: { type: 'string' }, currency: { type: 'string' }, vatIncluded: { type: 'boolean' }, vatRate: { type: 'number' } } },
    inStock: { type: 'boolean' },
  },
};

const contentsSchema = {
  type: 'array',
  description: 'For a bundle: the products it contains.',
  items: { type: 'object', properties: { id: { type: 'string' }, slug: { type: 'string' }, kind: { type: 'string' }, title: { type: 'string' } } },
};

function toApiProduct(p: ProductCard) {
  return {
    id: p.id,
    slug: p.slug,
    kind: p.kind,
    title: p.title,
    summary: p.summary,
    price: { amount: (p.price_cents / 100).toFixed(2), currency: 'EUR', vatIncluded: true, vatRate: 19 },
    inStock: p.stock === null || p.stock > 0,
  };
}

const SHOP_PAGE_SIZE = 20;

export function registerCatalogRoutes(app: FastifyInstance, deps: Deps): void {

  // Categories change only with a release (seed, migration), so each process keeps them for a minute.
  // Listings (pages of cards) are kept for LISTING_CACHE_MS (2 s by default): a visitor may see a price edit or the
  // "in stock" flag of another process that much later; stock is checked when the order is placed, never from here.
  const now = () => deps.clock.now();
  const categoryCache = createTtlCache<CategoriesTable[]>({ ttlMs: 60_000, maxEntries: 1, now });
  const cachedCategories = () => categoryCache.get('all', () => listCategories(deps.db));
  const listingCache = createTtlCache<{ rows: ProductCard[]; total: number }>({ ttlMs: deps.config.listingCacheMs, maxEntries: 500, now });
  const cachedListing = (lang: Lang, limit: number, offset: number, filter: { category?: string | undefined; search?: string | undefined }) =>
    listingCache.get(JSON.stringify([lang, limit, offset, filter.category ?? '', filter.search?.trim().toLowerCase() ?? '']), () => listProductCards(deps.db, lang, limit, offset, filter));
  registerCatalogAdmin(app, deps, () => listingCache.clear());
  app.get('/', async (request, reply) => {
    const products = await listProducts(deps.db, 100, 0);
    return sendPage(reply, homePage(pageContext(request, deps), products));
  });

  app.get(
    '/api/v1/products',
    {
      schema: {
        summary: 'List products',
        tags: ['catalog'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'string', pattern: '^(100|[1-9][0-9]?)$' },
            offset: { type: 'string', pattern: '^[0-9]{1,6}$' },
            category: { type: 'string', pattern: '^[a-z0-9-]{1,64}$' },
            q: { type: 'string', maxLength: 100 },
          },
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: productSchema }, total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } } },
        },
      },
    },
    async (request) => {
      const query = request.query as { limit?: string; offset?: string; category?: string; q?: string };
      const limit = Number(query.limit ?? 20);
      const offset = Number(query.offset ?? 0);
      const { rows, total } = await cachedListing(request.lang, limit, offset, { category: query.category, search: query.q });
      return { items: rows.map(toApiProduct), total, limit, offset };
    },
  );

  app.get(
    '/api/v1/categories',
    {
      schema: {
        summary: 'List categories',
        tags: ['catalog'],
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { slug: { type: 'string' }, name: { type: 'string' } } } } } } },
      },
    },
    async (request) => ({ items: (await listCategories(deps.db)).map((c) => ({ slug: c.slug, name: request.lang === 'de' ? c.name_de : c.name_en })) }),
  );

  const shopQuery = {
    type: 'object',
    properties: { category: { type: 'string', maxLength: 64 }, q: { type: 'string', maxLength: 100 }, page: { type: 'string', maxLength: 6 } },
  };
  app.get('/shop', { schema: { querystring: shopQuery } }, async (request, reply) => {
    const query = request.query as { category?: string; q?: string; page?: string };
    const category = query.category && /^[a-z0-9-]{1,64}$/.test(query.category) ? query.category : undefined;
    const page = query.page && /^[1-9]\d{0,4}$/.test(query.page) ? Number(query.page) : 1;
    const [{ rows, total }, categories] = await Promise.all([
      cachedListing(request.lang, SHOP_PAGE_SIZE, (page - 1) * SHOP_PAGE_SIZE, { category, search: query.q }),
      cachedCategories(),
    ]);
    return sendPage(reply, shopPage(pageContext(request, deps), { products: rows, total, categories, category, search: query.q, page, pageSize: SHOP_PAGE_SIZE }));
  });

  const slugParams = { type: 'object', required: ['slug'], properties: { slug: { type: 'string', maxLength: 100 } } };
  app.get('/shop/:slug', { schema: { params: slugParams } }, async (request, reply) => {
    const product = await findProductBySlug(deps.db, (request.params as { slug: string }).slug);
    if (!product) throw errors.notFound();
    const [category, contents] = await Promise.all([
      product.category_id ? findCategoryById(deps.db, product.category_id) : undefined,
      product.kind === 'bundle' ? listBundleContents(deps.db, [product.id]) : [],
    ]);
    return sendPage(reply, productPage(pageContext(request, deps), product, category, contents));
  });

  app.get('/assets/products/:file', { schema: { params: { type: 'object', required: ['file'], properties: { file: { type: 'string', pattern: '^[a-z0-9-]{1,100}\\.svg$' } } } } }, async (request, reply) => {
    const product = await findProductBySlug(deps.db, (request.params as { file: string }).file.slice(0, -4));
    if (!product) throw errors.notFound();
    return reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(productImageSvg(product));
  });

  app.get(
    '/api/v1/products/:slug',
    { schema: { summary: 'One product', tags: ['catalog'], params: { type: 'object', required: ['slug'], properties: { slug: { type: 'string', maxLength: 100 } } }, response: { 200: { ...productSchema, properties: { ...productSchema.properties, contents: contentsSchema } } } } },
    async (request) => {
      const product = await findProductBySlug(deps.db, (request.params as { slug: string }).slug);
      if (!product) throw errors.notFound();
      const de = request.lang === 'de';
      const contents = product.kind === 'bundle' ? await listBundleContents(deps.db, [product.id]) : [];
      return {
        ...toApiProduct({ ...product, title: productTitle(product, request.lang), summary: de ? product.summary_de : product.summary_en }),
        ...(product.kind === 'bundle' ? { contents: contents.map((c) => ({ id: c.id, slug: c.slug, kind: c.kind, title: productTitle(c, request.lang) })) } : {}),
      };
    },
  );
}
