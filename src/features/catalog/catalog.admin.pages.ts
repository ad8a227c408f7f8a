// Staff pages of the catalogue: the product list (search, filters, keyset pages, bulk price and stock edit with its
// refusal and confirmation pages) and the product form, which shows the common fields and those of the product's kind.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatEuro, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { amountOfCents } from '../../shop/schemas.ts';
import { type PageContext, csrfField, errorSummary, fieldId, layout } from '../../web/index.ts';
import type { BulkChange } from './catalog.console.ts';
import type { ConsoleProductFilter, ConsoleProductRow } from './catalog.console.queries.ts';
import { imageWidths, productImageUrl, type MainImage } from './catalog.images.ts';
import { kindNames } from './catalog.pages.ts';
import { KIND_FIELDS, PRODUCT_KINDS, PRODUCT_STATUSES, type ProductFormValues } from './catalog.service.ts';
import type { CategoriesTable, ProductKind, ProductsTable, ProductStatus } from './catalog.tables.ts';

export const statusNames: Record<ProductStatus, Text> = {
  draft: { en: 'Draft', de: 'Entwurf' },
  active: { en: 'Active', de: 'Aktiv' },
  archived: { en: 'Archived', de: 'Archiviert' },
};

const LABELS = {
  slug: { en: 'Address name (slug: a-z, 0-9, -)', de: 'Adressname (Slug: a-z, 0-9, -)' },
  title_en: { en: 'Title (English)', de: 'Titel (Englisch)' },
  title_de: { en: 'Title (German)', de: 'Titel (Deutsch)' },
  summary_en: { en: 'Summary (English)', de: 'Kurzbeschreibung (Englisch)' },
  summary_de: { en: 'Summary (German)', de: 'Kurzbeschreibung (Deutsch)' },
  description_en: { en: 'Long description (English, Markdown)', de: 'Ausführliche Beschreibung (Englisch, Markdown)' },
  description_de: { en: 'Long description (German, Markdown)', de: 'Ausführliche Beschreibung (Deutsch, Markdown)' },
  price: { en: 'Price in EUR incl. 19% VAT (e.g. 199.00)', de: 'Preis in EUR inkl. 19 % MwSt. (z. B. 199,00)' },
  stock: { en: 'Stock (units in the warehouse)', de: 'Bestand (Stück im Lager)' },
  max_activations: { en: 'Activations per licence key', de: 'Aktivierungen je Lizenzschlüssel' },
  requirements_en: { en: 'System requirements (English, Markdown)', de: 'Systemvoraussetzungen (Englisch, Markdown)' },
  requirements_de: { en: 'System requirements (German, Markdown)', de: 'Systemvoraussetzungen (Deutsch, Markdown)' },
  requires_id: { en: 'Requires (the product it expands)', de: 'Erfordert (das erweiterte Produkt)' },
  contents: {
    en: 'Bundle contents (address names of software and expansions, separated by commas)',
    de: 'Paketinhalt (Adressnamen von Software und Erweiterungen, durch Kommas getrennt)',
  },
  kind: { en: 'Kind', de: 'Art' },
  category_id: { en: 'Category', de: 'Kategorie' },
  status: { en: 'Status', de: 'Status' },
} satisfies Record<string, Text>;

type FieldName = keyof typeof LABELS;

const productName = (p: Pick<ProductsTable, 'title_en' | 'title_de'>, lang: Lang) =>
  lang === 'de' ? p.title_de : p.title_en;

// ---------------------------------------------------------------------------------------------------------------
// The list

export interface ProductListModel {
  filter: ConsoleProductFilter & { low: boolean };
  rows: ConsoleProductRow[];
  categories: CategoriesTable[];
  /** The address of the next page, when there is one. */
  next?: string | undefined;
  /** This is not the first page. */
  paged: boolean;
  lowStockAt: number;
}

/** The list's address with these filters (and a page start); what is not set is left out. */
export function productListLink(filter: ProductListModel['filter'], after?: string): string {
  const params = new URLSearchParams();
  if (filter.q) params.set('q', filter.q);
  if (filter.kind) params.set('kind', filter.kind);
  if (filter.categoryId) params.set('category', filter.categoryId);
  if (filter.status) params.set('status', filter.status);
  if (filter.low) params.set('low', '1');
  if (after) params.set('after', after);
  const query = params.toString();
  return query ? `/staff/products?${query}` : '/staff/products';
}

function thumbnail(ctx: PageContext, row: ConsoleProductRow, image: MainImage | null) {
  if (!image) {
    return html`<img src="/assets/products/${row.slug}.svg" alt="" width="64" height="40" loading="lazy">`;
  }
  const width = imageWidths(image.width)[0] ?? image.width;
  const alt = ctx.lang === 'de' ? image.alt_de : image.alt_en;
  return html`<img src="${productImageUrl(image.id, width)}" alt="${alt}" width="64" height="${Math.max(1, Math.round((64 * image.height) / image.width))}" loading="lazy">`;
}

export function productsPage(ctx: PageContext, model: ProductListModel): string {
  const t = (text: Text, params: Record<string, string | number> = {}) => tr(ctx.lang, text, params);
  const title = t({ en: 'Products', de: 'Produkte' });
  const f = model.filter;
  const selected = (on: boolean) => (on ? html` selected` : '');
  const filtered = Boolean(f.q || f.kind || f.categoryId || f.status || f.low);
  const row = (p: ConsoleProductRow) => {
    const name = productName(p, ctx.lang);
    const category = ctx.lang === 'de' ? p.category_de : p.category_en;
    return html`<tr>
  <td><input type="checkbox" id="select-${p.id}" name="select.${p.id}" value="1" aria-label="${t({ en: 'Select {name}', de: '{name} auswählen' }, { name })}"></td>
  <td>${thumbnail(ctx, p, p.image)}</td>
  <td><a href="/staff/products/${p.id}">${name}</a><br><span class="hint">${p.slug}</span></td>
  <td>${t(kindNames[p.kind])}</td>
  <td>${category ?? '—'}</td>
  <td>${t(statusNames[p.status])}</td>
  <td>${formatEuro(ctx.lang, p.price_cents)}<br><label class="visually-hidden" for="price-${p.id}">${t({ en: 'New price for {name}', de: 'Neuer Preis für {name}' }, { name })}</label><input id="price-${p.id}" name="price.${p.id}" type="text" inputmode="decimal" size="8" maxlength="12" autocomplete="off"></td>
  <td>${
    p.kind === 'hardware'
      ? html`${p.stock ?? '—'}<br><label class="visually-hidden" for="stock-${p.id}">${t({ en: 'New stock for {name}', de: 'Neuer Bestand für {name}' }, { name })}</label><input id="stock-${p.id}" name="stock.${p.id}" type="text" inputmode="numeric" size="5" maxlength="7" autocomplete="off">`
      : '—'
  }</td>
</tr>`;
  };
  const empty = html`<div class="notice"><p>${
    filtered
      ? t({ en: 'No product matches these filters.', de: 'Kein Produkt passt zu diesen Filtern.' })
      : t({ en: 'There are no products yet.', de: 'Es gibt noch keine Produkte.' })
  }</p><p>${
    filtered
      ? html`<a href="/staff/products">${t({ en: 'Show all products', de: 'Alle Produkte anzeigen' })}</a>`
      : html`<a href="/staff/products/new">${t({ en: 'Create the first product', de: 'Das erste Produkt anlegen' })}</a>`
  }</p></div>`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p><a href="/staff/products/new">${t({ en: 'New product', de: 'Neues Produkt' })}</a> · <a href="/staff/products/import">${t({ en: 'Import from CSV', de: 'Aus CSV importieren' })}</a></p>
<form method="get" action="/staff/products" role="search" aria-label="${t({ en: 'Find products', de: 'Produkte finden' })}" class="shop-filter">
  <div><label for="pl-q">${t({ en: 'Title or address name', de: 'Titel oder Adressname' })}</label>
  <input id="pl-q" type="search" name="q" value="${f.q ?? ''}" maxlength="100"></div>
  <div><label for="pl-kind">${t(LABELS.kind)}</label>
  <select id="pl-kind" name="kind"><option value="">${t({ en: 'All kinds', de: 'Alle Arten' })}</option>${PRODUCT_KINDS.map((k) => html`<option value="${k}"${selected(k === f.kind)}>${t(kindNames[k])}</option>`)}</select></div>
  <div><label for="pl-category">${t(LABELS.category_id)}</label>
  <select id="pl-category" name="category"><option value="">${t({ en: 'All categories', de: 'Alle Kategorien' })}</option>${model.categories.map((c) => html`<option value="${c.id}"${selected(c.id === f.categoryId)}>${ctx.lang === 'de' ? c.name_de : c.name_en}</option>`)}</select></div>
  <div><label for="pl-status">${t(LABELS.status)}</label>
  <select id="pl-status" name="status"><option value="">${t({ en: 'Any status', de: 'Jeder Status' })}</option>${PRODUCT_STATUSES.map((s) => html`<option value="${s}"${selected(s === f.status)}>${t(statusNames[s])}</option>`)}</select></div>
  <div><input id="pl-low" type="checkbox" name="low" value="1"${f.low ? html` checked` : ''}> <label for="pl-low">${t({ en: 'Low stock ({n} or fewer)', de: 'Geringer Bestand ({n} oder weniger)' }, { n: model.lowStockAt })}</label></div>
  <button type="submit">${t({ en: 'Show', de: 'Anzeigen' })}</button>
</form>
${
  model.rows.length === 0
    ? empty
    : html`<form method="post" action="/staff/products/bulk">${csrfField(ctx)}
<input type="hidden" name="back" value="${productListLink(f)}">
<table>
<caption>${t({ en: 'Tick products and enter a new price (euros) and/or stock, then apply. Empty fields stay as they are.', de: 'Markieren Sie Produkte und geben Sie einen neuen Preis (Euro) und/oder Bestand ein. Leere Felder bleiben unverändert.' })}</caption>
<thead><tr><th scope="col">${t({ en: 'Select', de: 'Auswahl' })}</th><th scope="col">${t({ en: 'Image', de: 'Bild' })}</th><th scope="col">${t({ en: 'Product', de: 'Produkt' })}</th><th scope="col">${t(LABELS.kind)}</th><th scope="col">${t(LABELS.category_id)}</th><th scope="col">${t(LABELS.status)}</th><th scope="col">${t({ en: 'Price', de: 'Preis' })}</th><th scope="col">${t({ en: 'Stock', de: 'Bestand' })}</th></tr></thead>
<tbody>${model.rows.map(row)}</tbody></table>
<p><button type="submit">${t({ en: 'Apply to selected products', de: 'Auf ausgewählte Produkte anwenden' })}</button></p>
</form>`
}
${
  model.paged || model.next
    ? html`<nav aria-label="${t({ en: 'Pages', de: 'Seiten' })}" class="pager"><ul class="pages">${
        model.paged
          ? html`<li><a href="${productListLink(f)}">${t({ en: 'First page', de: 'Erste Seite' })}</a></li>`
          : ''
      }${model.next ? html`<li><a href="${model.next}" rel="next">${t({ en: 'Next', de: 'Weiter' })} ›</a></li>` : ''}</ul></nav>`
    : ''
}`,
  );
}

/** The selected rows again, with the values typed and a message at each wrong one; nothing was saved. */
export function bulkRefusedPage(
  ctx: PageContext,
  rows: { product: ProductsTable; price: string; stock: string }[],
  errors: Record<string, Text>,
  back: string,
  message: Text,
): string {
  const t = (text: Text, params: Record<string, string | number> = {}) => tr(ctx.lang, text, params);
  const title = t({ en: 'Bulk edit: nothing changed', de: 'Sammelbearbeitung: nichts geändert' });
  const problem = (name: string) => {
    const e = errors[name];
    return e ? html`<p class="field-error" id="${fieldId(name)}-error">${t(e)}</p>` : '';
  };
  const invalid = (name: string) =>
    errors[name] ? html` aria-invalid="true" aria-describedby="${fieldId(name)}-error"` : '';
  const labels = Object.fromEntries(
    rows.flatMap((r) => [
      [`price.${r.product.id}`, { en: `Price of ${r.product.title_en}`, de: `Preis von ${r.product.title_de}` }],
      [`stock.${r.product.id}`, { en: `Stock of ${r.product.title_en}`, de: `Bestand von ${r.product.title_de}` }],
    ]),
  );
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, message, errors, labels)}
<form method="post" action="/staff/products/bulk">${csrfField(ctx)}
<input type="hidden" name="back" value="${back}">
<table><thead><tr><th scope="col">${t({ en: 'Product', de: 'Produkt' })}</th><th scope="col">${t({ en: 'Price now', de: 'Preis jetzt' })}</th><th scope="col">${t({ en: 'New price', de: 'Neuer Preis' })}</th><th scope="col">${t({ en: 'Stock now', de: 'Bestand jetzt' })}</th><th scope="col">${t({ en: 'New stock', de: 'Neuer Bestand' })}</th></tr></thead>
<tbody>${rows.map(({ product: p, price, stock }) => {
      const name = productName(p, ctx.lang);
      const priceField = `price.${p.id}`;
      const stockField = `stock.${p.id}`;
      return html`<tr><td><input type="hidden" name="select.${p.id}" value="1">${name}</td>
<td>${formatEuro(ctx.lang, p.price_cents)}</td>
<td>${problem(priceField)}<label class="visually-hidden" for="${fieldId(priceField)}">${t({ en: 'New price for {name}', de: 'Neuer Preis für {name}' }, { name })}</label><input id="${fieldId(priceField)}" name="${priceField}" value="${price}" type="text" inputmode="decimal" size="8" maxlength="12"${invalid(priceField)}></td>
<td>${p.stock ?? '—'}</td>
<td>${problem(stockField)}<label class="visually-hidden" for="${fieldId(stockField)}">${t({ en: 'New stock for {name}', de: 'Neuer Bestand für {name}' }, { name })}</label><input id="${fieldId(stockField)}" name="${stockField}" value="${stock}" type="text" inputmode="numeric" size="5" maxlength="7"${invalid(stockField)}></td></tr>`;
    })}</tbody></table>
<p><button type="submit">${t({ en: 'Apply', de: 'Anwenden' })}</button> <a href="${back}">${t({ en: 'Back to the list', de: 'Zurück zur Liste' })}</a></p>
</form>`,
  );
}

/** What a bulk edit changed, product by product and value by value. */
export function bulkDonePage(ctx: PageContext, changes: BulkChange[], back: string): string {
  const t = (text: Text, params: Record<string, string | number> = {}) => tr(ctx.lang, text, params);
  const title = t(
    changes.length === 1
      ? { en: '1 product changed', de: '1 Produkt geändert' }
      : { en: '{n} products changed', de: '{n} Produkte geändert' },
    { n: changes.length },
  );
  const arrow = (from: string, to: string) => html`${from} → <strong>${to}</strong>`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p role="status">${t({ en: 'Saved. The shop shows the new values now.', de: 'Gespeichert. Der Shop zeigt die neuen Werte ab sofort.' })}</p>
<table><thead><tr><th scope="col">${t({ en: 'Product', de: 'Produkt' })}</th><th scope="col">${t({ en: 'Price', de: 'Preis' })}</th><th scope="col">${t({ en: 'Stock', de: 'Bestand' })}</th></tr></thead>
<tbody>${changes.map(
      (c) =>
        html`<tr><td><a href="/staff/products/${c.product.id}">${productName(c.product, ctx.lang)}</a></td><td>${
          c.price
            ? arrow(formatEuro(ctx.lang, c.price.from), formatEuro(ctx.lang, c.price.to))
            : t({ en: 'unchanged', de: 'unverändert' })
        }</td><td>${c.stock ? arrow(String(c.stock.from ?? '—'), String(c.stock.to)) : t({ en: 'unchanged', de: 'unverändert' })}</td></tr>`,
    )}</tbody></table>
<p><a href="${back}">${t({ en: 'Back to the list', de: 'Zurück zur Liste' })}</a></p>`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The form

export interface ProductFormModel {
  values: ProductFormValues;
  categories: CategoriesTable[];
  /** Software products an expansion may require. */
  software: Pick<ProductsTable, 'id' | 'title_en' | 'title_de' | 'status'>[];
  fields?: Record<string, Text>;
  /** Other features' sections below the form (catalog.product-sections.ts): each has its own forms. */
  sections?: SafeHtml[];
  /** The saved product, on the edit page: the confirmation after saving links to the shop page or the preview. */
  saved?: Pick<ProductsTable, 'id' | 'slug' | 'status'> | undefined;
}

const isKind = (value: string | undefined): value is ProductKind => PRODUCT_KINDS.some((k) => k === value);

function savedNotice(ctx: PageContext, saved: NonNullable<ProductFormModel['saved']>) {
  const t = (text: Text) => tr(ctx.lang, text);
  return html`<p class="notice" role="status">${t({ en: 'Saved', de: 'Gespeichert' })} · ${
    saved.status === 'draft'
      ? html`<a href="/staff/products/${saved.id}/preview">${t({ en: 'Preview (staff only, a draft is not in the shop)', de: 'Vorschau (nur für Mitarbeitende; ein Entwurf ist nicht im Shop)' })}</a>`
      : html`<a href="/shop/${saved.slug}">${t({ en: 'View in shop', de: 'Im Shop ansehen' })}</a>`
  }</p>`;
}

export function productForm(ctx: PageContext, action: string, model: ProductFormModel): string {
  const t = (text: Text, params: Record<string, string | number> = {}) => tr(ctx.lang, text, params);
  const { values } = model;
  const fields = model.fields ?? {};
  const isNew = action === '/staff/products';
  const title = t(
    isNew ? { en: 'New product', de: 'Neues Produkt' } : { en: 'Edit product', de: 'Produkt bearbeiten' },
  );
  const kind: ProductKind = isKind(values.kind) ? values.kind : 'software';
  const has = KIND_FIELDS[kind];
  const error = (name: FieldName) => {
    const message = fields[name];
    return message ? html`<p class="field-error" id="${fieldId(name)}-error">${t(message)}</p>` : '';
  };
  const describedBy = (name: FieldName, hint?: string) => {
    const ids = [fields[name] ? `${fieldId(name)}-error` : '', hint ?? ''].filter(Boolean).join(' ');
    return html`${fields[name] ? html` aria-invalid="true"` : ''}${ids ? html` aria-describedby="${ids}"` : ''}`;
  };
  const input = (name: FieldName & keyof ProductFormValues, extra: SafeHtml | string = '') =>
    html`<div class="field"><label for="${fieldId(name)}">${t(LABELS[name])}</label>${error(name)}<input id="${fieldId(name)}" type="text" name="${name}" value="${values[name] ?? ''}"${describedBy(name)}${extra}></div>`;
  const markdownHint = `${fieldId('markdown')}-hint`;
  const textarea = (name: FieldName & keyof ProductFormValues, rows: number) =>
    html`<div class="field"><label for="${fieldId(name)}">${t(LABELS[name])}</label>${error(name)}<textarea id="${fieldId(name)}" name="${name}" rows="${rows}" cols="60"${describedBy(name, markdownHint)}>${values[name] ?? ''}</textarea></div>`;
  const select = (name: FieldName, options: SafeHtml[]) =>
    html`<div class="field"><label for="${fieldId(name)}">${t(LABELS[name])}</label>${error(name)}<select id="${fieldId(name)}" name="${name}"${describedBy(name)}>${options}</select></div>`;
  const option = (value: string, label: string, on: boolean) =>
    html`<option value="${value}"${on ? html` selected` : ''}>${label}</option>`;
  const status = values.status ?? (isNew ? 'draft' : 'active');
  const order: FieldName[] = [
    'slug',
    'title_en',
    'title_de',
    'summary_en',
    'summary_de',
    'description_en',
    'description_de',
    'price',
    'kind',
    'category_id',
    'status',
    'stock',
    'max_activations',
    'requirements_en',
    'requirements_de',
    'requires_id',
    'contents',
  ];
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${model.saved && Object.keys(fields).length === 0 ? savedNotice(ctx, model.saved) : ''}
${
  isNew
    ? html`<nav aria-label="${t({ en: 'Kind of the new product', de: 'Art des neuen Produkts' })}"><p>${t({ en: 'Fields for:', de: 'Felder für:' })} ${PRODUCT_KINDS.map(
        (k, i) =>
          html`${i > 0 ? ' · ' : ''}${
            k === kind
              ? html`<strong aria-current="page">${t(kindNames[k])}</strong>`
              : html`<a href="/staff/products/new?kind=${k}">${t(kindNames[k])}</a>`
          }`,
      )}</p></nav>`
    : ''
}
${Object.keys(fields).length ? errorSummary(ctx.lang, { en: 'Nothing was saved.', de: 'Es wurde nichts gespeichert.' }, fields, LABELS, order) : ''}
<form method="post" action="${action}" novalidate>${csrfField(ctx)}
<fieldset><legend>${t({ en: 'Product', de: 'Produkt' })}</legend>
${input('slug')}${input('title_en')}${input('title_de')}${input('summary_en')}${input('summary_de')}
<p class="hint" id="${markdownHint}">${t({ en: 'Markdown: **bold**, *italic*, lists with "- ", headings with "#", links as [text](https://…). HTML is shown as text; images are uploaded below, not linked.', de: 'Markdown: **fett**, *kursiv*, Listen mit „- “, Überschriften mit „#“, Links als [Text](https://…). HTML wird als Text angezeigt; Bilder werden unten hochgeladen, nicht verlinkt.' })}</p>
${textarea('description_en', 8)}${textarea('description_de', 8)}
${input('price', html` inputmode="decimal"`)}
${select(
  'kind',
  PRODUCT_KINDS.map((k) => option(k, t(kindNames[k]), k === kind)),
)}
${select('category_id', [
  option('', '—', !values.category_id),
  ...model.categories.map((c) => option(c.id, ctx.lang === 'de' ? c.name_de : c.name_en, values.category_id === c.id)),
])}
${select(
  'status',
  PRODUCT_STATUSES.map((s) => option(s, t(statusNames[s]), s === status)),
)}
<p class="hint">${t({ en: 'Only active products are listed, found and sold. A draft is seen by staff only; an archived product is no longer sold, and its orders, licences and downloads stay as they are.', de: 'Nur aktive Produkte werden gelistet, gefunden und verkauft. Einen Entwurf sehen nur Mitarbeitende; ein archiviertes Produkt wird nicht mehr verkauft, seine Bestellungen, Lizenzen und Downloads bleiben erhalten.' })}</p>
</fieldset>
${
  has.length > 0
    ? html`<fieldset><legend>${t({ en: 'Fields of this kind ({kind})', de: 'Angaben dieser Art ({kind})' }, { kind: t(kindNames[kind]) })}</legend>
${has.includes('stock') ? input('stock', html` inputmode="numeric"`) : ''}
${has.includes('licence') ? input('max_activations', html` inputmode="numeric"`) : ''}
${has.includes('requirements') ? html`${textarea('requirements_en', 5)}${textarea('requirements_de', 5)}` : ''}
${
  has.includes('requires')
    ? select('requires_id', [
        option('', t({ en: 'None', de: 'Keines' }), !values.requires_id),
        ...model.software.map((s) =>
          option(
            s.id,
            s.status === 'active'
              ? productName(s, ctx.lang)
              : `${productName(s, ctx.lang)} (${t(statusNames[s.status])})`,
            values.requires_id === s.id,
          ),
        ),
      ])
    : ''
}
${has.includes('contents') ? input('contents') : ''}
</fieldset>`
    : ''
}
<p><button type="submit">${t({ en: 'Save', de: 'Speichern' })}</button></p></form>
${model.sections ?? []}`,
  );
}

/** A saved product as the form shows it. */
export function productFormValues(p: ProductsTable, contents: ProductsTable[]): ProductFormValues {
  return {
    slug: p.slug,
    kind: p.kind,
    title_en: p.title_en,
    title_de: p.title_de,
    summary_en: p.summary_en,
    summary_de: p.summary_de,
    price: amountOfCents(p.price_cents),
    stock: p.stock === null ? '' : String(p.stock),
    category_id: p.category_id ?? '',
    contents: contents.map((c) => c.slug).join(', '),
    status: p.status,
    description_en: p.description_en,
    description_de: p.description_de,
    requirements_en: p.requirements_en,
    requirements_de: p.requirements_de,
    max_activations: p.max_activations === null ? '' : String(p.max_activations),
    requires_id: p.requires_id ?? '',
  };
}
