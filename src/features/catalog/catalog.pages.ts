// Catalogue pages: the home page, the shop with categories and search, and product pages. Prices include 19% VAT.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatEuro, tr, type Lang, type Text } from '../../platform/i18n.ts';
import type { ProductCard, ProductSort } from './catalog.queries.ts';
import type { CategoriesTable, ProductKind, ProductsTable } from './catalog.tables.ts';
import type { OperatorShipping } from '../../platform/operator.ts';
import { countryName, formatRate, vatIncludedText, vatOfGross, type VatPlace } from '../../shop/vat.ts';
import { type PageContext, csrfField, layout } from '../../web/index.ts';
import { renderMarkdown } from './catalog.markdown.ts';
import { productGallery, productImageTag } from './catalog.images.pages.ts';
import type { MainImage } from './catalog.images.ts';

/** A product kind as a shopper reads it (the checkout's summary names it too). */
export const kindNames: Record<ProductKind, Text> = {
  software: { en: 'Software', de: 'Software' },
  hardware: { en: 'Hardware', de: 'Hardware' },
  expansion: { en: 'Expansion', de: 'Erweiterung' },
  bundle: { en: 'Bundle', de: 'Paket' },
};

const PRODUCT_KIND_ORDER: readonly ProductKind[] = ['software', 'hardware', 'expansion', 'bundle'];

const VAT_RATE = 19;
/** The VAT inside a gross price, in cents (German invoices round per line). */
export const vatOf = (grossCents: number) => Math.round(grossCents - grossCents / (1 + VAT_RATE / 100));

const categoryName = (c: CategoriesTable, lang: Lang) => (lang === 'de' ? c.name_de : c.name_en);

/** "1 product", "2 products"; "1 Produkt", "2 Produkte"; none as "No products". */
/** "All prices include 19% VAT (Germany)." for the visitor's country (decision 0031). */
function allPricesText(lang: Lang, vat: VatPlace = { country: 'DE', rate: 19 }): string {
  if (vat.rate === 0)
    return lang === 'de'
      ? `Lieferungen nach ${countryName(lang, vat.country)}: Preise ohne Mehrwertsteuer.`
      : `Deliveries to ${countryName(lang, vat.country)}: prices without VAT.`;
  return lang === 'de'
    ? `Alle Preise inklusive ${formatRate(lang, vat.rate)} MwSt. (${countryName(lang, vat.country)}).`
    : `All prices include ${formatRate(lang, vat.rate)} VAT (${countryName(lang, vat.country)}).`;
}

/** "100,000" / "100.000": written out, as toLocaleString builds a number formatter on every call (issue 17). */
const groupDigits = (lang: Lang, n: number) =>
  String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'de' ? '.' : ',');

export function productCount(lang: Lang, n: number): string {
  if (n === 0) return tr(lang, { en: 'No products', de: 'Keine Produkte' });
  return n === 1
    ? tr(lang, { en: '1 product', de: '1 Produkt' })
    : tr(lang, { en: '{n} products', de: '{n} Produkte' }, { n: groupDigits(lang, n) });
}

/**
 * What a product's drawn picture shows, by kind (the pictures are drawn here, see productImageSvg), for the product
 * page. A card's drawing is decorative (alt=""), as in the basket and the staff list: the card names the kind in
 * words right below it, and a screen reader would otherwise read the same sentence for every card of a page.
 */
const imageAlt: Record<ProductKind, Text> = {
  software: {
    en: 'Illustration: a plug-in window with a waveform',
    de: 'Illustration: ein Plug-in-Fenster mit Wellenform',
  },
  hardware: { en: 'Illustration: a device with keys and knobs', de: 'Illustration: ein Gerät mit Tasten und Reglern' },
  expansion: { en: 'Illustration: stacked sound layers', de: 'Illustration: gestapelte Klangebenen' },
  bundle: { en: 'Illustration: a box of several products', de: 'Illustration: eine Box mit mehreren Produkten' },
};

const inclVat: Text = { en: 'incl. VAT', de: 'inkl. MwSt.' };
const LAZY = html` loading="lazy"`;
const HEADINGS = { h2: [html`<h2>`, html`</h2>`], h3: [html`<h3>`, html`</h3>`] } as const;

/**
 * A product's card; pictures below the first row load only when scrolled to. A page holds up to twenty: one
 * template each, its fixed texts looked up once per language.
 */
function productCard(ctx: PageContext, p: ProductCard, eager: boolean, heading: 'h2' | 'h3' = 'h2') {
  const lang = ctx.lang;
  const [open, close] = HEADINGS[heading];
  return html`<li>
  ${
    p.image
      ? productImageTag(p.image, lang, { displayWidth: 240, sizes: CARD_IMAGE_SIZES, lazy: !eager })
      : html`<img src="/assets/products/${p.slug}.svg" alt="" width="240" height="150" decoding="async"${eager ? '' : LAZY}>`
  }
  <p class="kind">${kindNames[p.kind][lang]}</p>
  ${open}<a href="/shop/${p.slug}">${p.title}</a>${close}
  <p>${p.summary}</p>
  <p class="price">${formatEuro(lang, p.price_cents)} <span class="hint">${inclVat[lang]}</span></p>
</li>`;
}

export const SORTS: readonly ProductSort[] = ['relevance', 'price-asc', 'price-desc', 'newest', 'name'];

const sortNames: Record<ProductSort, Text> = {
  relevance: { en: 'Best match', de: 'Relevanz' },
  'price-asc': { en: 'Price: low to high', de: 'Preis: aufsteigend' },
  'price-desc': { en: 'Price: high to low', de: 'Preis: absteigend' },
  newest: { en: 'Newest first', de: 'Neueste zuerst' },
  name: { en: 'Name (A–Z)', de: 'Name (A–Z)' },
};
const featuredSort: Text = { en: 'Featured', de: 'Empfohlen' };

/** How wide a card's image is shown: the whole width on phones, a grid cell (at least 15rem) elsewhere. */
const CARD_IMAGE_SIZES = '(max-width: 40em) 100vw, 20rem';

export interface ShopModel {
  /** The VAT the prices include for this visitor (shop/vat.ts); the home rate when absent. */
  vat?: VatPlace;
  products: ProductCard[];
  total: number;
  categories: CategoriesTable[];
  category?: string | undefined;
  search?: string | undefined;
  kind?: ProductKind | undefined;
  /** The price range as typed (kept in the form and the pager), and whether each end was understood. */
  minPrice?: string | undefined;
  maxPrice?: string | undefined;
  sort: ProductSort;
  /** Inputs the page could not use, each said in words (the rest of the filter still applies). */
  problems: Text[];
  page: number;
  pageSize: number;
}

/** The address of a page of this listing: every filter kept, the defaults left out. */
export function shopLink(model: ShopModel, page: number): string {
  const params = new URLSearchParams();
  if (model.search) params.set('q', model.search);
  if (model.category) params.set('category', model.category);
  if (model.kind) params.set('kind', model.kind);
  if (model.minPrice) params.set('minPrice', model.minPrice);
  if (model.maxPrice) params.set('maxPrice', model.maxPrice);
  if (model.sort !== 'relevance') params.set('sort', model.sort);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/shop?${query}` : '/shop';
}

export const pageCount = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize));

/**
 * Page numbers to show: the first, the last, and two either side of the current one; null is a gap. Built from
 * those few numbers, not by walking every page: a catalogue of 100,000 products has 5,000 pages.
 */
export function pageNumbers(current: number, last: number): (number | null)[] {
  const out: (number | null)[] = [];
  let previous = 0;
  const add = (n: number) => {
    if (n <= previous || n > last) return;
    if (n > previous + 1) out.push(null);
    out.push(n);
    previous = n;
  };
  add(1);
  for (let n = Math.max(2, current - 2); n <= Math.min(last, current + 2); n++) add(n);
  add(last);
  return out;
}

function pager(ctx: PageContext, model: ShopModel) {
  const t = (text: Text, params: Record<string, string | number> = {}) => tr(ctx.lang, text, params);
  const last = pageCount(model.total, model.pageSize);
  if (last <= 1 || model.page > last) return '';
  const previous = t({ en: 'Previous', de: 'Zurück' });
  const next = t({ en: 'Next', de: 'Weiter' });
  return html`<nav aria-label="${t({ en: 'Pages', de: 'Seiten' })}" class="pager">
  <p class="hint">${t({ en: 'Page {page} of {pages}', de: 'Seite {page} von {pages}' }, { page: model.page, pages: last })}</p>
  <ul class="pages">
    ${model.page > 1 ? html`<li><a href="${shopLink(model, model.page - 1)}" rel="prev">‹ ${previous}</a></li>` : ''}
    ${pageNumbers(model.page, last).map((n) =>
      n === null
        ? html`<li aria-hidden="true">…</li>`
        : n === model.page
          ? html`<li><span aria-current="page">${n}</span></li>`
          : html`<li><a href="${shopLink(model, n)}" aria-label="${t({ en: 'Page {n}', de: 'Seite {n}' }, { n })}">${n}</a></li>`,
    )}
    ${model.page < last ? html`<li><a href="${shopLink(model, model.page + 1)}" rel="next">${next} ›</a></li>` : ''}
  </ul>
</nav>`;
}

/** What the list shows when it is empty: why, and the way out. */
function emptyState(ctx: PageContext, model: ShopModel) {
  const t = (text: Text, params: Record<string, string | number> = {}) => tr(ctx.lang, text, params);
  const last = pageCount(model.total, model.pageSize);
  if (model.total > 0 && model.page > last) {
    return html`<div class="notice" role="status"><p>${t(
      {
        en: 'There is no page {page}: the {count} fit on {pages}.',
        de: 'Seite {page} gibt es nicht: Die {count} passen auf {pages}.',
      },
      {
        page: model.page,
        count: productCount(ctx.lang, model.total),
        pages:
          last === 1 ? t({ en: 'one page', de: 'eine Seite' }) : t({ en: '{n} pages', de: '{n} Seiten' }, { n: last }),
      },
    )}</p>
<p><a href="${shopLink(model, last)}">${last === 1 ? t({ en: 'Show the products', de: 'Produkte anzeigen' }) : t({ en: 'Go to the last page ({n})', de: 'Zur letzten Seite ({n})' }, { n: last })}</a></p></div>`;
  }
  const filtered = Boolean(model.category || model.kind || model.minPrice || model.maxPrice);
  return html`<div class="notice"><p>${
    model.search
      ? t({ en: 'Nothing matches “{q}”.', de: 'Keine Treffer für „{q}“.' }, { q: model.search })
      : t({ en: 'No product matches these filters.', de: 'Kein Produkt passt zu diesen Filtern.' })
  } ${t({ en: 'Check the spelling, use fewer words or widen the filters.', de: 'Prüfen Sie die Schreibweise, verwenden Sie weniger Wörter oder lockern Sie die Filter.' })}</p>
<ul>
  ${model.search && filtered ? html`<li><a href="${shopLink({ ...model, category: undefined, kind: undefined, minPrice: undefined, maxPrice: undefined, sort: 'relevance' }, 1)}">${t({ en: 'Search “{q}” in all products', de: '„{q}“ in allen Produkten suchen' }, { q: model.search })}</a></li>` : ''}
  <li><a href="/shop">${t({ en: 'Show all products', de: 'Alle Produkte anzeigen' })}</a></li>
</ul></div>`;
}

// The filter form of a listing without typed values (no search, no price range) is one of a few per language and
// list of categories: kept per categories list (the routes keep that list for a minute), bounded.
const filterForms = new WeakMap<readonly CategoriesTable[], Map<string, SafeHtml>>();
const MAX_FILTER_FORMS = 500;

function filterForm(ctx: PageContext, model: ShopModel): SafeHtml {
  const typed = model.search || model.minPrice || model.maxPrice;
  if (typed) return renderFilterForm(ctx.lang, model);
  let forms = filterForms.get(model.categories);
  if (!forms) filterForms.set(model.categories, (forms = new Map()));
  const key = `${ctx.lang}|${model.category ?? ''}|${model.kind ?? ''}|${model.sort}`;
  let form = forms.get(key);
  if (!form) {
    form = renderFilterForm(ctx.lang, model);
    if (forms.size < MAX_FILTER_FORMS) forms.set(key, form);
  }
  return form;
}

function renderFilterForm(lang: Lang, model: ShopModel): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  const selected = (on: boolean) => (on ? html` selected` : '');
  return html`<form method="get" action="/shop" role="search" aria-label="${t({ en: 'Filter products', de: 'Produkte filtern' })}" class="shop-filter">
  <div><label for="shop-q">${t({ en: 'Search', de: 'Suche' })}</label>
  <input id="shop-q" type="search" name="q" value="${model.search ?? ''}" maxlength="100"></div>
  <div><label for="shop-category">${t({ en: 'Category', de: 'Kategorie' })}</label>
  <select id="shop-category" name="category">
    <option value="">${t({ en: 'All categories', de: 'Alle Kategorien' })}</option>
    ${model.categories.map((c) => html`<option value="${c.slug}"${selected(c.slug === model.category)}>${categoryName(c, lang)}</option>`)}
  </select></div>
  <div><label for="shop-kind">${t({ en: 'Kind', de: 'Produktart' })}</label>
  <select id="shop-kind" name="kind">
    <option value="">${t({ en: 'All kinds', de: 'Alle Produktarten' })}</option>
    ${PRODUCT_KIND_ORDER.map((k) => html`<option value="${k}"${selected(k === model.kind)}>${tr(lang, kindNames[k])}</option>`)}
  </select></div>
  <fieldset class="price-range"><legend>${t({ en: 'Price in €', de: 'Preis in €' })}</legend>
    <label for="shop-min">${t({ en: 'from', de: 'von' })}</label>
    <input id="shop-min" type="text" inputmode="decimal" name="minPrice" value="${model.minPrice ?? ''}" maxlength="9" size="6" autocomplete="off">
    <label for="shop-max">${t({ en: 'to', de: 'bis' })}</label>
    <input id="shop-max" type="text" inputmode="decimal" name="maxPrice" value="${model.maxPrice ?? ''}" maxlength="9" size="6" autocomplete="off">
  </fieldset>
  <div><label for="shop-sort">${t({ en: 'Sort by', de: 'Sortieren nach' })}</label>
  <select id="shop-sort" name="sort">
    ${SORTS.map((s) => html`<option value="${s}"${selected(s === model.sort)}>${t(s === 'relevance' && !model.search ? featuredSort : sortNames[s])}</option>`)}
  </select></div>
  <button type="submit">${t({ en: 'Show', de: 'Anzeigen' })}</button>
</form>`;
}

export function shopPage(ctx: PageContext, model: ShopModel): string {
  const t = (text: Text, params: Record<string, string | number> = {}) => tr(ctx.lang, text, params);
  const current = model.categories.find((c) => c.slug === model.category);
  const heading = current ? categoryName(current, ctx.lang) : t({ en: 'Shop', de: 'Shop' });
  const title = model.search ? t({ en: 'Search: {q}', de: 'Suche: {q}' }, { q: model.search }) : heading;
  const beyond = model.total > 0 && model.page > pageCount(model.total, model.pageSize);
  return layout(
    ctx,
    title,
    html`<h1>${model.search ? html`${heading}: ${t({ en: 'results for “{q}”', de: 'Ergebnisse für „{q}“' }, { q: model.search })}` : heading}</h1>
${filterForm(ctx, model)}
${model.problems.length > 0 ? html`<div class="error-summary" role="alert"><ul>${model.problems.map((p) => html`<li>${t(p)}</li>`)}</ul></div>` : ''}
<p role="status">${productCount(ctx.lang, model.total)}. ${allPricesText(ctx.lang, model.vat)}</p>
${
  model.products.length === 0 || beyond
    ? emptyState(ctx, model)
    : html`<ul class="products">${model.products.map((p, i) => productCard(ctx, p, i < 2, 'h2'))}</ul>`
}
${pager(ctx, model)}`,
  );
}

export function productPage(
  ctx: PageContext,
  p: ProductsTable,
  category: CategoriesTable | undefined,
  contents: ProductsTable[] = [],
  shipping?: OperatorShipping,
  /** The VAT the price includes: the visitor's checkout country once known (shop/vat.ts), else the home rate. */
  vat: VatPlace = { country: 'DE', rate: 19 },
  /** An expansion's required product (shown, never enforced), and whether staff preview a draft. */
  details: ProductDetails = {},
): string {
  const t = (text: Text, params: Record<string, string | number> = {}) => tr(ctx.lang, text, params);
  const title = productTitle(p, ctx.lang);
  // Only an active product is sold: an archived one says so and a draft is seen by staff only (in preview).
  const onSale = p.status === 'active';
  // Goods to ship: delivery time and shipping cost before the order (Art. 246a § 1(1) nos. 4, 7 EGBGB, § 6 PAngV).
  const shipsGoods = p.kind === 'hardware' || contents.some((c) => c.kind === 'hardware');
  const stocked = p.stock !== null;
  return layout(
    ctx,
    title,
    html`<nav aria-label="${t({ en: 'Breadcrumb', de: 'Brotkrumen' })}"><a href="/shop">${t({ en: 'Shop', de: 'Shop' })}</a>${category ? html` › <a href="/shop?category=${category.slug}">${categoryName(category, ctx.lang)}</a>` : ''}</nav>
<article class="product">
  <h1>${title}</h1>
  ${
    details.images?.[0]
      ? productImageTag(details.images[0], ctx.lang, {
          displayWidth: 480,
          sizes: '(max-width: 40em) 100vw, 480px',
          lazy: false,
        })
      : html`<img src="/assets/products/${p.slug}.svg" alt="${t(imageAlt[p.kind])}" width="480" height="300">`
  }
  ${productGallery(details.images?.slice(1) ?? [], ctx.lang)}
  <p class="kind">${tr(ctx.lang, kindNames[p.kind])}</p>
  <p>${ctx.lang === 'de' ? p.summary_de : p.summary_en}</p>
  <p class="price">${formatEuro(ctx.lang, p.price_cents)}</p>
  <p class="hint">${vatIncludedText(ctx.lang, vat)}${vat.rate > 0 ? `: ${formatEuro(ctx.lang, vatOfGross(p.price_cents, vat.rate))}` : ''}</p>
  ${shipsGoods ? html`<p class="delivery">${shipping ? html`${t({ en: 'Delivery time: {time}', de: 'Lieferzeit: {time}' }, { time: shipping.deliveryTime[ctx.lang] })}. ${shipping.costCents === 0 ? t({ en: 'Free shipping.', de: 'Versandkostenfrei.' }) : t({ en: 'Shipping: {cost} per order.', de: 'Versand: {cost} je Bestellung.' }, { cost: formatEuro(ctx.lang, shipping.costCents) })} ` : ''}<a href="/legal/shipping-and-payment">${t({ en: 'Shipping and payment', de: 'Versand und Zahlung' })}</a></p>` : ''}
  ${contents.length > 0 ? bundleContents(ctx, p, contents) : ''}
  ${productDetailsSection(ctx, p, details)}
  ${onSale && stocked ? html`<p>${p.stock! > 0 ? t({ en: 'In stock', de: 'Auf Lager' }) : t({ en: 'Sold out', de: 'Ausverkauft' })}</p>` : ''}
  ${
    onSale && (!stocked || p.stock! > 0)
      ? html`<form method="post" action="/basket/items">
    ${csrfField(ctx)}
    <input type="hidden" name="productId" value="${p.id}">
    <label for="add-qty">${t({ en: 'Quantity', de: 'Menge' })}</label>
    <input id="add-qty" type="number" name="quantity" value="1" min="1" max="99" inputmode="numeric">
    <button type="submit">${t(details.cta === 'buy-now' ? { en: 'Buy now', de: 'Jetzt kaufen' } : { en: 'Add to basket', de: 'In den Warenkorb' })}</button>
  </form>`
      : ''
  }
  ${
    p.kind === 'software' && onSale
      ? html`<p><a href="/shop/${p.slug}/demo/start">${t({ en: 'Download the demo', de: 'Demo herunterladen' })}</a> <span class="hint">${t({ en: '(sign-in needed; we record the download)', de: '(Anmeldung nötig; wir speichern den Download)' })}</span></p>`
      : ''
  }
</article>`,
  );
}

export interface ProductDetails {
  /** Its uploaded images in order (the first is the main one); none: the drawn picture of its kind. */
  images?: MainImage[];
  requires?: Pick<ProductsTable, 'slug' | 'title_en' | 'title_de' | 'status'> | undefined;
  /** Staff look at a draft (or any product) before shoppers can: the page says so. */
  preview?: boolean;
  /** The variant of the experiment `product-cta` (analytics) the visitor sees: 'buy-now' words the button so. */
  cta?: string;
}

/**
 * The parts of a product page staff write in the console: the status notice, "requires", the long description and
 * the system requirements (Markdown, rendered safely by catalog.markdown.ts).
 */
function productDetailsSection(ctx: PageContext, p: ProductsTable, details: ProductDetails) {
  const t = (text: Text, params: Record<string, string | number> = {}) => tr(ctx.lang, text, params);
  const description = ctx.lang === 'de' ? p.description_de : p.description_en;
  const requirements = ctx.lang === 'de' ? p.requirements_de : p.requirements_en;
  const required = details.requires;
  return html`${
    details.preview
      ? html`<p class="notice" role="status">${t({ en: 'Staff preview: shoppers cannot see this page while the product is a draft.', de: 'Vorschau für Mitarbeitende: Kundinnen und Kunden sehen diese Seite nicht, solange das Produkt ein Entwurf ist.' })}</p>`
      : ''
  }${
    p.status === 'archived'
      ? html`<p class="notice" role="status">${t({ en: 'This product is no longer available.', de: 'Dieses Produkt ist nicht mehr erhältlich.' })}</p>`
      : ''
  }${
    required
      ? html`<p class="requires">${t({ en: 'Requires', de: 'Erfordert' })}: ${
          required.status === 'active'
            ? html`<a href="/shop/${required.slug}">${productTitle(required, ctx.lang)}</a>`
            : productTitle(required, ctx.lang)
        }</p>`
      : ''
  }${
    description
      ? html`<section aria-labelledby="product-description" class="description">
  <h2 id="product-description">${t({ en: 'Description', de: 'Beschreibung' })}</h2>
  ${renderMarkdown(description)}
</section>`
      : ''
  }${
    requirements
      ? html`<section aria-labelledby="product-requirements">
  <h2 id="product-requirements">${t({ en: 'System requirements', de: 'Systemvoraussetzungen' })}</h2>
  ${renderMarkdown(requirements)}
</section>`
      : ''
  }`;
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

const pictures: Record<ProductKind, string> = {
  software:
    '<rect x="90" y="60" width="300" height="180" rx="12" fill="#fff" fill-opacity=".92"/><rect x="90" y="60" width="300" height="28" rx="12" fill="#000" fill-opacity=".25"/><polyline points="110,170 140,120 170,200 200,110 230,185 260,130 290,175 320,140 350,165 370,150" fill="none" stroke="currentColor" stroke-width="6" stroke-linejoin="round"/>',
  hardware:
    '<rect x="60" y="90" width="360" height="140" rx="14" fill="#fff" fill-opacity=".92"/><circle cx="110" cy="125" r="14" fill="currentColor"/><circle cx="160" cy="125" r="14" fill="currentColor"/><circle cx="210" cy="125" r="14" fill="currentColor"/><g fill="currentColor">' +
    Array.from(
      { length: 13 },
      (_, i) =>
        `<rect x="${78 + i * 25}" y="160" width="22" height="56" rx="3" fill-opacity="${[1, 3, 6, 8, 10].includes(i) ? 1 : 0.25}"/>`,
    ).join('') +
    '</g>',
  expansion:
    '<rect x="130" y="70" width="240" height="150" rx="12" fill="#fff" fill-opacity=".45"/><rect x="110" y="90" width="240" height="150" rx="12" fill="#fff" fill-opacity=".7"/><rect x="90" y="110" width="240" height="150" rx="12" fill="#fff" fill-opacity=".95"/><path d="M110 185 q20 -50 40 0 t40 0 t40 0 t40 0 t40 0" fill="none" stroke="currentColor" stroke-width="6"/>',
  bundle:
    '<path d="M240 60 L380 120 L240 180 L100 120 Z" fill="#fff" fill-opacity=".7"/><path d="M100 120 L240 180 L240 260 L100 200 Z" fill="#fff" fill-opacity=".95"/><path d="M380 120 L240 180 L240 260 L380 200 Z" fill="#fff" fill-opacity=".8"/><path d="M170 90 L310 150" stroke="currentColor" stroke-width="10"/>',
};

/**
 * A product's picture, drawn here from its kind and coloured from its address name: no image host, no third-party
 * request, under 2 kB. The product page describes it with the alt text of its kind (imageAlt); cards leave it
 * decorative.
 */
export function productImageSvg(p: Pick<ProductsTable, 'slug' | 'kind'>): string {
  let hash = 0;
  for (const ch of p.slug) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = hash % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 300" width="480" height="300" color="hsl(${hue},55%,30%)">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},55%,45%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},60%,25%)"/></linearGradient></defs>
<rect width="480" height="300" fill="url(#g)"/>
${pictures[p.kind]}
</svg>`;
}

export const productTitle = (p: Pick<ProductsTable, 'title_en' | 'title_de'>, lang: Lang) =>
  lang === 'de' ? p.title_de : p.title_en;
/** The short summary of a product in the page's language (its essential features, §312j(2) BGB). */
export const productSummary = (p: Pick<ProductsTable, 'summary_en' | 'summary_de'>, lang: Lang) =>
  lang === 'de' ? p.summary_de : p.summary_en;

export interface HomeModel {
  /** The VAT the prices include for this visitor (shop/vat.ts); the home rate when absent. */
  vat?: VatPlace;
  categories: (CategoriesTable & { products: number })[];
  featured: ProductCard[];
  total: number;
}

/** The home page: the categories with how many products each holds, and featured products with their pictures. */
export function homePage(ctx: PageContext, model: HomeModel): string {
  const t = (text: Text, params: Record<string, string | number> = {}) => tr(ctx.lang, text, params);
  const title = t({ en: 'Instruments, effects and controllers', de: 'Instrumente, Effekte und Controller' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${allPricesText(ctx.lang, model.vat)}</p>
<section aria-labelledby="home-categories">
  <h2 id="home-categories">${t({ en: 'Categories', de: 'Kategorien' })}</h2>
  <ul class="categories">
    ${model.categories.map(
      (c) =>
        html`<li><a href="/shop?category=${c.slug}"><span class="category-name">${categoryName(c, ctx.lang)}</span> <span class="hint">${productCount(ctx.lang, c.products)}</span></a></li>`,
    )}
  </ul>
</section>
<section aria-labelledby="home-featured">
  <h2 id="home-featured">${t({ en: 'Featured', de: 'Empfohlen' })}</h2>
  <ul class="products">${model.featured.map((p) => productCard(ctx, p, false, 'h3'))}</ul>
  <p><a href="/shop">${t({ en: 'See all {count}', de: 'Alle {count} ansehen' }, { count: productCount(ctx.lang, model.total) })}</a></p>
</section>`,
  );
}
