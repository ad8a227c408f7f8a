// Catalogue pages: the home page, the shop with categories and search, and product pages. Prices include 19% VAT.
import { html } from '../../platform/html.ts';
import { formatEuro, tr, type Lang, type Text } from '../../platform/i18n.ts';
import type { ProductCard } from './catalog.queries.ts';
import type { CategoriesTable, ProductKind, ProductsTable } from './catalog.tables.ts';
import { type PageContext, csrfField, layout } from '../../web/index.ts';

const kindNames: Record<ProductKind, Text> = {
  software: { en: 'Software', de: 'Software' },
  hardware: { en: 'Hardware', de: 'Hardware' },
  expansion: { en: 'Expansion', de: 'Erweiterung' },
  bundle: { en: 'Bundle', de: 'Paket' },
};

const VAT_RATE = 19;
/** The VAT inside a gross price, in cents (German invoices round per line). */
const ONE_PRODUCT = { en: '1 product. All prices include 19% VAT.', de: '1 Produkt. Alle Preise inklusive 19 % MwSt.' };
const PRODUCTS = {
  en: '{n} products. All prices include 19% VAT.',
  de: '{n} Produkte. Alle Preise inklusive 19 % MwSt.',
};

export const vatOf = (grossCents: number) => Math.round(grossCents - grossCents / (1 + VAT_RATE / 100));

const categoryName = (c: CategoriesTable, lang: Lang) => (lang === 'de' ? c.name_de : c.name_en);

function productCard(ctx: PageContext, p: ProductCard) {
  return html`<li>
  <img src="/assets/products/${p.slug}.svg" alt="" width="240" height="150">
  <p class="kind">${tr(ctx.lang, kindNames[p.kind])}</p>
  <h2><a href="/shop/${p.slug}">${p.title}</a></h2>
  <p>${p.summary}</p>
  <p class="price">${formatEuro(ctx.lang, p.price_cents)} <span class="hint">${tr(ctx.lang, { en: 'incl. VAT', de: 'inkl. MwSt.' })}</span></p>
</li>`;
}

export interface ShopModel {
  products: ProductCard[];
  total: number;
  categories: CategoriesTable[];
  category?: string | undefined;
  search?: string | undefined;
  page: number;
  pageSize: number;
}

function pageLink(model: ShopModel, page: number): string {
  const params = new URLSearchParams();
  if (model.category) params.set('category', model.category);
  if (model.search) params.set('q', model.search);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/shop?${query}` : '/shop';
}

export function shopPage(ctx: PageContext, model: ShopModel): string {
  const t = (text: Text, params: Record<string, string | number> = {}) => tr(ctx.lang, text, params);
  const current = model.categories.find((c) => c.slug === model.category);
  const title = current ? categoryName(current, ctx.lang) : t({ en: 'Shop', de: 'Shop' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<form method="get" action="/shop" role="search" class="shop-filter">
  <label for="shop-q">${t({ en: 'Search', de: 'Suche' })}</label>
  <input id="shop-q" type="search" name="q" value="${model.search ?? ''}" maxlength="100">
  <label for="shop-category">${t({ en: 'Category', de: 'Kategorie' })}</label>
  <select id="shop-category" name="category">
    <option value="">${t({ en: 'All categories', de: 'Alle Kategorien' })}</option>
    ${model.categories.map((c) => html`<option value="${c.slug}"${c.slug === model.category ? html` selected` : ''}>${categoryName(c, ctx.lang)}</option>`)}
  </select>
  <button type="submit">${t({ en: 'Show', de: 'Anzeigen' })}</button>
</form>
<p role="status">${t(model.total === 1 ? ONE_PRODUCT : PRODUCTS, { n: model.total })}</p>
${
  model.products.length === 0
    ? html`<p>${t({ en: 'Nothing matches. Try other words or all categories.', de: 'Nichts gefunden. Versuchen Sie andere Wörter oder alle Kategorien.' })}</p>`
    : html`<ul class="products">${model.products.map((p) => productCard(ctx, p))}</ul>`
}
${
  model.total > model.pageSize
    ? html`<nav aria-label="${t({ en: 'Pages', de: 'Seiten' })}"><ul class="pages">${Array.from(
        { length: Math.ceil(model.total / model.pageSize) },
        (_, i) => i + 1,
      ).map((n) =>
        n === model.page
          ? html`<li><span aria-current="page">${n}</span></li>`
          : html`<li><a href="${pageLink(model, n)}">${n}</a></li>`,
      )}</ul></nav>`
    : ''
}`,
  );
}

export function productPage(
  ctx: PageContext,
  p: ProductsTable,
  category: CategoriesTable | undefined,
  contents: ProductsTable[] = [],
): string {
  const t = (text: Text, params: Record<string, string | number> = {}) => tr(ctx.lang, text, params);
  const title = productTitle(p, ctx.lang);
  const stocked = p.stock !== null;
  return layout(
    ctx,
    title,
    html`<nav aria-label="${t({ en: 'Breadcrumb', de: 'Brotkrumen' })}"><a href="/shop">${t({ en: 'Shop', de: 'Shop' })}</a>${category ? html` › <a href="/shop?category=${category.slug}">${categoryName(category, ctx.lang)}</a>` : ''}</nav>
<article class="product">
  <h1>${title}</h1>
  <img src="/assets/products/${p.slug}.svg" alt="" width="480" height="300">
  <p class="kind">${tr(ctx.lang, kindNames[p.kind])}</p>
  <p>${ctx.lang === 'de' ? p.summary_de : p.summary_en}</p>
  <p class="price">${formatEuro(ctx.lang, p.price_cents)}</p>
  <p class="hint">${t({ en: 'incl. 19% VAT ({vat})', de: 'inkl. 19 % MwSt. ({vat})' }, { vat: formatEuro(ctx.lang, vatOf(p.price_cents)) })}</p>
  ${contents.length > 0 ? bundleContents(ctx, p, contents) : ''}
  ${stocked ? html`<p>${p.stock! > 0 ? t({ en: 'In stock', de: 'Auf Lager' }) : t({ en: 'Sold out', de: 'Ausverkauft' })}</p>` : ''}
  ${
    !stocked || p.stock! > 0
      ? html`<form method="post" action="/basket/items">
    ${csrfField(ctx)}
    <input type="hidden" name="productId" value="${p.id}">
    <label for="add-qty">${t({ en: 'Quantity', de: 'Menge' })}</label>
    <input id="add-qty" type="number" name="quantity" value="1" min="1" max="99" inputmode="numeric">
    <button type="submit">${t({ en: 'Add to basket', de: 'In den Warenkorb' })}</button>
  </form>`
      : ''
  }
  ${
    p.kind === 'software'
      ? html`<p><a href="/shop/${p.slug}/demo">${t({ en: 'Download the demo', de: 'Demo herunterladen' })}</a> <span class="hint">${t({ en: '(sign-in needed; we record the download)', de: '(Anmeldung nötig; wir speichern den Download)' })}</span></p>`
      : ''
  }
</article>`,
  );
}

function bundleContents(ctx: PageContext, bundle: ProductsTable, contents: ProductsTable[]) {
  const separately = contents.reduce((sum, c) => sum + c.price_cents, 0);
  return html`<section aria-labelledby="bundle-contents">
  <h2 id="bundle-contents">${tr(ctx.lang, { en: 'This bundle contains', de: 'Dieses Paket enthält' })}</h2>
  <ul>${contents.map((c) => html`<li><a href="/shop/${c.slug}">${productTitle(c, ctx.lang)}</a> <span class="hint">(${tr(ctx.lang, kindNames[c.kind])})</span></li>`)}</ul>
  ${
    separately > bundle.price_cents
      ? html`<p>${tr(ctx.lang, { en: 'Bought separately: {total}. You save {saving}.', de: 'Einzeln gekauft: {total}. Sie sparen {saving}.' }, { total: formatEuro(ctx.lang, separately), saving: formatEuro(ctx.lang, separately - bundle.price_cents) })}</p>`
      : ''
  }
  <p class="hint">${tr(ctx.lang, { en: 'Every software product in the bundle gets its own licence key.', de: 'Jedes Software-Produkt im Paket erhält einen eigenen Lizenzschlüssel.' })}</p>
</section>`;
}

/** A locally generated product picture: no image host, no third-party request. */
export function productImageSvg(p: Pick<ProductsTable, 'slug' | 'kind' | 'title_en'>): string {
  let hash = 0;
  for (const ch of p.slug) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = hash % 360;
  const initials = p.title_en
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => w[0] ?? '')
    .join('')
    .toUpperCase();
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 300" width="480" height="300" role="img">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},55%,35%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},60%,20%)"/></linearGradient></defs>
<rect width="480" height="300" fill="url(#g)"/>
<text x="240" y="170" font-family="system-ui,sans-serif" font-size="96" font-weight="700" fill="#fff" text-anchor="middle">${initials.replace(/[^A-Z0-9]/g, '')}</text>
<text x="240" y="250" font-family="system-ui,sans-serif" font-size="22" fill="#fff" text-anchor="middle" opacity=".8">${p.kind}</text>
</svg>`;
}

export const productTitle = (p: ProductsTable, lang: Lang) => (lang === 'de' ? p.title_de : p.title_en);

export function homePage(ctx: PageContext, products: ProductsTable[]): string {
  const title = tr(ctx.lang, { en: 'Instruments, effects and controllers', de: 'Instrumente, Effekte und Controller' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${tr(ctx.lang, { en: 'All prices include 19% VAT.', de: 'Alle Preise inklusive 19 % MwSt.' })}</p>
<ul class="products">
${products.map(
  (p) => html`<li>
  <p class="kind">${tr(ctx.lang, kindNames[p.kind])}</p>
  <h2><a href="/shop/${p.slug}">${productTitle(p, ctx.lang)}</a></h2>
  <p>${ctx.lang === 'de' ? p.summary_de : p.summary_en}</p>
  <p class="price">${formatEuro(ctx.lang, p.price_cents)} <span class="hint">${tr(ctx.lang, { en: 'incl. VAT', de: 'inkl. MwSt.' })}</span></p>
</li>`,
)}
</ul>`,
  );
}
