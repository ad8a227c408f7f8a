// The home page, the shop pages and the read-only catalogue API.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { createTtlCache } from '../../platform/cache.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { hasRole } from '../../platform/http/context.ts';
import { errorRef, pageFrom, pageOf, pageQuery } from '../../platform/http/schemas.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import { amountOfCents, priceRef } from '../../shop/schemas.ts';
import { visitorVat } from '../../shop/vat.ts';
import { pageContext, sendPage } from '../../web/index.ts';
import { experimentVariant } from '../analytics/index.ts';
import { registerCatalogAdminRoutes } from './catalog.admin.routes.ts';
import { announceCatalogChange, onCatalogChange } from './catalog.cache.ts';
import { listProductImages } from './catalog.images.ts';
import {
  homePage,
  pageCount,
  productImageSvg,
  productPage,
  productTitle,
  shopPage,
  SORTS,
  type HomeModel,
} from './catalog.pages.ts';
import {
  findCategoryById,
  findProductById,
  findProductBySlug,
  listBundleContents,
  listCategories,
  listHomeCatalogue,
  listProductCards,
  type ProductCard,
  type ProductFilter,
  type ProductSort,
} from './catalog.queries.ts';
import { PRODUCT_KINDS } from './catalog.service.ts';
import type { CategoriesTable, ProductKind } from './catalog.tables.ts';

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

const PRICE_PATTERN = '^[0-9]{1,6}([.,][0-9]{1,2})?$';
const ProductsQuery = Type.Object(
  {
    ...pageQuery,
    category: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,64}$' })),
    q: Type.Optional(
      Type.String({
        maxLength: 100,
        description: 'Words to find: each matches a word of the product exactly, as its beginning, or with a typo.',
      }),
    ),
    kind: Type.Optional(Type.Union(PRODUCT_KINDS.map((k) => Type.Literal(k)))),
    minPrice: Type.Optional(
      Type.String({ pattern: PRICE_PATTERN, description: 'Lowest gross price in euro, e.g. 50 or 49.99.' }),
    ),
    maxPrice: Type.Optional(
      Type.String({ pattern: PRICE_PATTERN, description: 'Highest gross price in euro, e.g. 200 or 199.99.' }),
    ),
    sort: Type.Optional(
      Type.Union(
        SORTS.map((s) => Type.Literal(s)),
        {
          description:
            "relevance (the best match first when searching, else the shop's order), price-asc, price-desc, newest, name.",
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const CategoryList = Type.Object({ items: Type.Array(Type.Object({ slug: Type.String(), name: Type.String() })) });

// The shop page ignores what it cannot use (a visitor may edit the address) and says so for the price range a
// shopper typed; it never answers 400 for it.
const ShopQuery = Type.Object({
  category: Type.Optional(Type.String({ maxLength: 64 })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  page: Type.Optional(Type.String({ maxLength: 6 })),
  kind: Type.Optional(Type.String({ maxLength: 20 })),
  minPrice: Type.Optional(Type.String({ maxLength: 20 })),
  maxPrice: Type.Optional(Type.String({ maxLength: 20 })),
  sort: Type.Optional(Type.String({ maxLength: 20 })),
});

/** Euro text ("49", "49.99", "49,99") as cents; undefined when empty or not a price. */
function centsOf(text: string | undefined): number | undefined {
  const value = text?.trim().replace(',', '.') ?? '';
  return /^\d{1,6}(\.\d{1,2})?$/.test(value) ? Math.round(Number(value) * 100) : undefined;
}

const priceProblem = (which: 'from' | 'to', value: string): Text => ({
  en: `The price ${which === 'from' ? 'from' : 'up to'} “${value}” is not an amount such as 50 or 49.99; it was left out.`,
  de: `Der Preis ${which === 'from' ? 'ab' : 'bis'} „${value}“ ist kein Betrag wie 50 oder 49,99; er wurde nicht berücksichtigt.`,
});

const swappedRange: Text = {
  en: 'The lowest price is above the highest.',
  de: 'Der Mindestpreis liegt über dem Höchstpreis.',
};

const isSort = (value: string | undefined): value is ProductSort => SORTS.some((s) => s === value);
const isKind = (value: string | undefined): value is ProductKind => PRODUCT_KINDS.some((k) => k === value);

const SlugParams = Type.Object({ slug: Type.String({ maxLength: 100 }) });
const ImageParams = Type.Object({ file: Type.String({ pattern: '^[a-z0-9-]{1,100}\\.svg$' }) });

/** A product as the API shows it; `vatRate` is that of the visitor's country once known (shop/vat.ts). */
function toApiProduct(p: Omit<ProductCard, 'image'>, vatRate = 19) {
  return {
    id: p.id,
    slug: p.slug,
    kind: p.kind,
    title: p.title,
    summary: p.summary,
    price: { amount: amountOfCents(p.price_cents), currency: 'EUR', vatIncluded: true, vatRate },
    inStock: p.stock === null || p.stock > 0,
  };
}

const SHOP_PAGE_SIZE = 20;

type Filter = Omit<ProductFilter, 'dbKind'>;

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
    const key = [
      lang,
      limit,
      offset,
      filter.category ?? '',
      filter.search?.trim().toLowerCase() ?? '',
      filter.kind ?? '',
      filter.minCents ?? '',
      filter.maxCents ?? '',
      filter.sort ?? '',
    ];
    return listingCache.get(JSON.stringify(key), () =>
      listProductCards(deps.db, lang, limit, offset, { ...filter, dbKind: deps.dbKind }),
    );
  };
  // A change made in any process drops the listings here at once (catalog.cache.ts); LISTING_CACHE_MS bounds it
  // while Redis is away.
  const stopListening = onCatalogChange(deps, () => {
    listingCache.clear();
    homeCache.clear();
    categoryCache.clear();
  });
  app.addHook('onClose', async () => stopListening());
  registerCatalogAdminRoutes(app, deps, () => announceCatalogChange(deps));

  const homeCache = createTtlCache<HomeModel>({ ttlMs: deps.config.listingCacheMs, maxEntries: 2, now });
  app.get('/', async (request, reply) => {
    const lang = request.lang;
    const model = await homeCache.get(lang, () => listHomeCatalogue(deps.db, lang, 2));
    return sendPage(reply, homePage(pageContext(request), { ...model, vat: visitorVat(request, deps.config) }));
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
      const query = request.query;
      const minCents = centsOf(query.minPrice);
      const maxCents = centsOf(query.maxPrice);
      if (minCents !== undefined && maxCents !== undefined && minCents > maxCents) {
        throw errors.invalid(swappedRange, { minPrice: swappedRange });
      }
      const filter = {
        category: query.category,
        search: query.q,
        kind: query.kind,
        minCents,
        maxCents,
        sort: query.sort,
      };
      const { rows, total } = await cachedListing(request.lang, limit, offset, filter);
      const { rate } = visitorVat(request, deps.config);
      return { items: rows.map((p) => toApiProduct(p, rate)), total, limit, offset };
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
    const kind = isKind(query.kind) ? query.kind : undefined;
    const sort = isSort(query.sort) ? query.sort : 'relevance';
    const search = query.q?.trim() || undefined;
    const problems: Text[] = [];
    const minPrice = query.minPrice?.trim() || undefined;
    const maxPrice = query.maxPrice?.trim() || undefined;
    let minCents = centsOf(minPrice);
    let maxCents = centsOf(maxPrice);
    if (minPrice && minCents === undefined) problems.push(priceProblem('from', minPrice));
    if (maxPrice && maxCents === undefined) problems.push(priceProblem('to', maxPrice));
    if (minCents !== undefined && maxCents !== undefined && minCents > maxCents) {
      problems.push(swappedRange);
      [minCents, maxCents] = [undefined, undefined];
    }
    const offset = (page - 1) * SHOP_PAGE_SIZE;
    const [{ rows, total }, categories] = await Promise.all([
      cachedListing(request.lang, SHOP_PAGE_SIZE, offset, { category, search, kind, minCents, maxCents, sort }),
      cachedCategories(),
    ]);
    const model = {
      products: rows,
      total,
      categories,
      category,
      search,
      kind,
      minPrice,
      maxPrice,
      sort,
      problems,
      page,
      pageSize: SHOP_PAGE_SIZE,
    };
    // A page past the end says so (and links to the last one) with 404, so that no one keeps or indexes it.
    const beyond = page > pageCount(total, SHOP_PAGE_SIZE) && total > 0;
    const vat = visitorVat(request, deps.config);
    return sendPage(reply, shopPage(pageContext(request), { ...model, vat }), beyond ? 404 : 200);
  });

  app.get('/shop/:slug', { schema: { params: SlugParams } }, async (request, reply) => {
    const product = await findProductBySlug(deps.db, request.params.slug);
    // A draft does not exist for shoppers (staff preview it in the console); an archived product says it is gone.
    if (!product || product.status === 'draft') throw errors.notFound();
    const [category, contents, requires, images] = await Promise.all([
      product.category_id ? findCategoryById(deps.db, product.category_id) : undefined,
      product.kind === 'bundle' ? listBundleContents(deps.db, [product.id]) : [],
      product.requires_id ? findProductById(deps.db, product.requires_id) : undefined,
      listProductImages(deps.db, product.id),
    ]);
    return sendPage(
      reply,
      productPage(
        pageContext(request),
        product,
        category,
        contents,
        deps.config.operator.shipping,
        visitorVat(request, deps.config),
        // Only a product on sale shows the button the experiment `product-cta` words (and counts as an exposure).
        { requires, images, cta: product.status === 'active' ? experimentVariant(request, 'product-cta') : undefined },
      ),
    );
  });

  app.get('/assets/products/:file', { schema: { params: ImageParams } }, async (request, reply) => {
    const product = await findProductBySlug(deps.db, request.params.file.slice(0, -4));
    // A draft's picture shows in the console only (staff's list and preview), never from a shared cache.
    const draft = product?.status === 'draft';
    if (!product || (draft && !hasRole(request.viewer, ['staff', 'admin']))) throw errors.notFound();
    return reply
      .type('image/svg+xml')
      .header('cache-control', draft ? 'private, no-store' : 'public, max-age=86400')
      .send(productImageSvg(product));
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
      if (!product || product.status !== 'active') throw errors.notFound();
      const lang = request.lang;
      const card = {
        ...product,
        title: productTitle(product, lang),
        summary: lang === 'de' ? product.summary_de : product.summary_en,
      };
      const { rate } = visitorVat(request, deps.config);
      if (product.kind !== 'bundle') return toApiProduct(card, rate);
      const contents = await listBundleContents(deps.db, [product.id]);
      return {
        ...toApiProduct(card, rate),
        contents: contents.map((c) => ({ id: c.id, slug: c.slug, kind: c.kind, title: productTitle(c, lang) })),
      };
    },
  );
}
