// The home page, the shop pages and the read-only catalogue API.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { createTtlCache } from '../../platform/cache.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { errorRef, pageFrom, pageOf, pageQuery } from '../../platform/http/schemas.ts';
import type { Lang } from '../../platform/i18n.ts';
import { amountOfCents, priceRef } from '../../shop/schemas.ts';
import { pageContext, sendPage } from '../../web/index.ts';
import { registerCatalogAdminRoutes } from './catalog.admin.routes.ts';
import { homePage, productImageSvg, productPage, productTitle, shopPage } from './catalog.pages.ts';
import {
  findCategoryById,
  findProductBySlug,
  listBundleContents,
  listCategories,
  listProductCards,
  listProducts,
  type ProductCard,
} from './catalog.queries.ts';
import type { CategoriesTable } from './catalog.tables.ts';

const ApiProduct = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  price: priceRef,
  inStock: Type.Boolean(),
});

const BundleContents = Type.Array(
  Type.Object({ id: Type.String(), slug: Type.String(), kind: Type.String(), title: Type.String() }),
  { description: 'For a bundle: the products it contains.' },
);

const ApiProductWithContents = Type.Object({ ...ApiProduct.properties, contents: Type.Optional(BundleContents) });

const ProductsQuery = Type.Object(
  {
    ...pageQuery,
    category: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,64}$' })),
    q: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

const CategoryList = Type.Object({ items: Type.Array(Type.Object({ slug: Type.String(), name: Type.String() })) });

// The shop page ignores what it cannot use (a visitor may edit the address); it never answers 400 for it.
const ShopQuery = Type.Object({
  category: Type.Optional(Type.String({ maxLength: 64 })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  page: Type.Optional(Type.String({ maxLength: 6 })),
});

const SlugParams = Type.Object({ slug: Type.String({ maxLength: 100 }) });
const ImageParams = Type.Object({ file: Type.String({ pattern: '^[a-z0-9-]{1,100}\\.svg$' }) });

function toApiProduct(p: ProductCard) {
  return {
    id: p.id,
    slug: p.slug,
    kind: p.kind,
    title: p.title,
    summary: p.summary,
    price: { amount: amountOfCents(p.price_cents), currency: 'EUR', vatIncluded: true, vatRate: 19 },
    inStock: p.stock === null || p.stock > 0,
  };
}

const SHOP_PAGE_SIZE = 20;

type Filter = { category?: string | undefined; search?: string | undefined };

export function registerCatalogRoutes(app: App, deps: Deps): void {
  // Categories change only with a release (seed, migration), so each process keeps them for a minute.
  // Listings (pages of cards) are kept for LISTING_CACHE_MS (2 s by default): a visitor may see a price edit or the
  // "in stock" flag of another process that much later; stock is checked when the order is placed, never from here.
  const now = () => deps.clock.now();
  const categoryCache = createTtlCache<CategoriesTable[]>({ ttlMs: 60_000, maxEntries: 1, now });
  const cachedCategories = () => categoryCache.get('all', () => listCategories(deps.db));
  const listingCache = createTtlCache<{ rows: ProductCard[]; total: number }>({
    ttlMs: deps.config.listingCacheMs,
    maxEntries: 500,
    now,
  });
  const cachedListing = (lang: Lang, limit: number, offset: number, filter: Filter) => {
    const key = [lang, limit, offset, filter.category ?? '', filter.search?.trim().toLowerCase() ?? ''];
    return listingCache.get(JSON.stringify(key), () => listProductCards(deps.db, lang, limit, offset, filter));
  };
  registerCatalogAdminRoutes(app, deps, () => listingCache.clear());

  app.get('/', async (request, reply) => {
    const products = await listProducts(deps.db, 100, 0);
    return sendPage(reply, homePage(pageContext(request), products));
  });

  app.get(
    '/api/v1/products',
    {
      schema: {
        summary: 'List products',
        tags: ['catalog'],
        querystring: ProductsQuery,
        response: { 200: pageOf(ApiProduct), 400: errorRef },
      },
    },
    async (request) => {
      const { limit, offset } = pageFrom(request.query);
      const filter = { category: request.query.category, search: request.query.q };
      const { rows, total } = await cachedListing(request.lang, limit, offset, filter);
      return { items: rows.map(toApiProduct), total, limit, offset };
    },
  );

  app.get(
    '/api/v1/categories',
    { schema: { summary: 'List categories', tags: ['catalog'], response: { 200: CategoryList } } },
    async (request) => ({
      items: (await listCategories(deps.db)).map((c) => ({
        slug: c.slug,
        name: request.lang === 'de' ? c.name_de : c.name_en,
      })),
    }),
  );

  app.get('/shop', { schema: { querystring: ShopQuery } }, async (request, reply) => {
    const query = request.query;
    const category = query.category && /^[a-z0-9-]{1,64}$/.test(query.category) ? query.category : undefined;
    const page = query.page && /^[1-9]\d{0,4}$/.test(query.page) ? Number(query.page) : 1;
    const offset = (page - 1) * SHOP_PAGE_SIZE;
    const [{ rows, total }, categories] = await Promise.all([
      cachedListing(request.lang, SHOP_PAGE_SIZE, offset, { category, search: query.q }),
      cachedCategories(),
    ]);
    const model = { products: rows, total, categories, category, search: query.q, page, pageSize: SHOP_PAGE_SIZE };
    return sendPage(reply, shopPage(pageContext(request), model));
  });

  app.get('/shop/:slug', { schema: { params: SlugParams } }, async (request, reply) => {
    const product = await findProductBySlug(deps.db, request.params.slug);
    if (!product) throw errors.notFound();
    const [category, contents] = await Promise.all([
      product.category_id ? findCategoryById(deps.db, product.category_id) : undefined,
      product.kind === 'bundle' ? listBundleContents(deps.db, [product.id]) : [],
    ]);
    return sendPage(reply, productPage(pageContext(request), product, category, contents));
  });

  app.get('/assets/products/:file', { schema: { params: ImageParams } }, async (request, reply) => {
    const product = await findProductBySlug(deps.db, request.params.file.slice(0, -4));
    if (!product) throw errors.notFound();
    return reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(productImageSvg(product));
  });

  app.get(
    '/api/v1/products/:slug',
    {
      schema: {
        summary: 'One product',
        tags: ['catalog'],
        params: SlugParams,
        response: { 200: ApiProductWithContents, 400: errorRef, 404: errorRef },
      },
    },
    async (request) => {
      const product = await findProductBySlug(deps.db, request.params.slug);
      if (!product) throw errors.notFound();
      const lang = request.lang;
      const card = {
        ...product,
        title: productTitle(product, lang),
        summary: lang === 'de' ? product.summary_de : product.summary_en,
      };
      if (product.kind !== 'bundle') return toApiProduct(card);
      const contents = await listBundleContents(deps.db, [product.id]);
      return {
        ...toApiProduct(card),
        contents: contents.map((c) => ({ id: c.id, slug: c.slug, kind: c.kind, title: productTitle(c, lang) })),
      };
    },
  );
}
