// Staff pages of the catalogue: the product list and the product form (new and edit).
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatEuro, tr, type Text } from '../../platform/i18n.ts';
import { amountOfCents } from '../../shop/schemas.ts';
import { type PageContext, csrfField, errorSummary, layout } from '../../web/index.ts';
import { PRODUCT_KINDS, type ProductFormValues } from './catalog.service.ts';
import type { CategoriesTable, ProductsTable } from './catalog.tables.ts';

type TextField = Exclude<keyof ProductFormValues, 'kind' | 'category_id'>;

const FIELDS: [TextField, Text][] = [
  ['slug', { en: 'Address name (slug: a-z, 0-9, -)', de: 'Adressname (Slug: a-z, 0-9, -)' }],
  ['title_en', { en: 'Title (English)', de: 'Titel (Englisch)' }],
  ['title_de', { en: 'Title (German)', de: 'Titel (Deutsch)' }],
  ['summary_en', { en: 'Summary (English)', de: 'Kurzbeschreibung (Englisch)' }],
  ['summary_de', { en: 'Summary (German)', de: 'Kurzbeschreibung (Deutsch)' }],
  ['price', { en: 'Price in EUR incl. 19% VAT (e.g. 199.00)', de: 'Preis in EUR inkl. 19 % MwSt. (z. B. 199,00)' }],
  [
    'stock',
    { en: 'Stock (hardware only; empty for digital goods)', de: 'Bestand (nur Hardware; leer bei digitalen Gütern)' },
  ],
  [
    'contents',
    {
      en: 'Bundle contents (address names of software and expansions, separated by commas)',
      de: 'Paketinhalt (Adressnamen von Software und Erweiterungen, durch Kommas getrennt)',
    },
  ],
];

export function productsPage(ctx: PageContext, products: ProductsTable[]): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Products', de: 'Produkte' });
  const row = (p: ProductsTable) => {
    const name = ctx.lang === 'de' ? p.title_de : p.title_en;
    const price = formatEuro(ctx.lang, p.price_cents);
    return html`<tr><td><a href="/staff/products/${p.id}">${name}</a></td><td>${price}</td><td>${p.stock ?? '—'}</td></tr>`;
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1><p><a href="/staff/products/new">${t({ en: 'New product', de: 'Neues Produkt' })}</a></p>
<table><thead><tr><th scope="col">${t({ en: 'Product', de: 'Produkt' })}</th><th scope="col">${t({
      en: 'Price',
      de: 'Preis',
    })}</th><th scope="col">${t({ en: 'Stock', de: 'Bestand' })}</th></tr></thead>
<tbody>${products.map(row)}</tbody></table>`,
  );
}

export function productForm(
  ctx: PageContext,
  action: string,
  values: ProductFormValues,
  categories: CategoriesTable[],
  fields: Record<string, Text> = {},
  /** Other features' sections below the form (catalog.product-sections.ts): each has its own forms. */
  sections: SafeHtml[] = [],
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const isNew = action.endsWith('/new') || action === '/staff/products';
  const title = t(
    isNew ? { en: 'New product', de: 'Neues Produkt' } : { en: 'Edit product', de: 'Produkt bearbeiten' },
  );
  const error = (name: string) => fields[name];
  const input = ([name, label]: [TextField, Text]) => {
    const message = error(name);
    return html`<div class="field"><label for="p-${name}">${t(label)}</label>${
      message ? html`<p class="field-error" id="p-${name}-error">${t(message)}</p>` : ''
    }<input id="p-${name}" type="text" name="${name}" value="${values[name] ?? ''}"${
      message ? html` aria-invalid="true" aria-describedby="p-${name}-error"` : ''
    }></div>`;
  };
  const kindOption = (k: string) => html`<option value="${k}"${values.kind === k ? html` selected` : ''}>${k}</option>`;
  const categoryOption = (c: CategoriesTable) =>
    html`<option value="${c.id}"${values.category_id === c.id ? html` selected` : ''}>${
      ctx.lang === 'de' ? c.name_de : c.name_en
    }</option>`;
  const summary: Text = { en: 'Please correct the marked fields.', de: 'Bitte korrigieren Sie die markierten Felder.' };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${Object.keys(fields).length ? errorSummary(ctx.lang, summary) : ''}
<form method="post" action="${action}" novalidate>${csrfField(ctx)}
${FIELDS.map(input)}
<label for="p-kind">${t({ en: 'Kind', de: 'Art' })}</label>
${fields.kind ? html`<p class="field-error" id="p-kind-error">${t(fields.kind)}</p>` : ''}
<select id="p-kind" name="kind"${
      fields.kind ? html` aria-invalid="true" aria-describedby="p-kind-error"` : ''
    }>${PRODUCT_KINDS.map(kindOption)}</select>
<label for="p-category">${t({ en: 'Category', de: 'Kategorie' })}</label>
<select id="p-category" name="category_id"><option value="">—</option>${categories.map(categoryOption)}</select>
<p><button type="submit">${t({ en: 'Save', de: 'Speichern' })}</button></p></form>
${sections}`,
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
  };
}
