// Staff manage the catalogue: create and edit products (titles, texts, price incl. VAT, stock, category,
// and what a bundle contains: digital products only, so that a bundle needs no stock of its own).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { requireRole } from '../../platform/http/context.ts';
import { html } from '../../platform/html.ts';
import { sendPage } from '../../platform/http/reply.ts';
import { formatEuro, tr, type Text } from '../../platform/i18n.ts';
import { csrfField, layout, pageContext, type PageContext } from '../shell/index.ts';
import { countBundlesContaining, deleteBundleItems, findProductById, findProductsBySlugs, insertBundleItems, insertProduct, listBundleContents, listCategories, listProducts, maxProductPosition, updateProduct } from './catalog.queries.ts';
import type { CategoriesTable, ProductKind, ProductsTable } from './catalog.tables.ts';

type Values = Record<string, string | undefined>;
const KINDS: ProductKind[] = ['software', 'hardware', 'expansion', 'bundle'];
const FIELDS: [keyof Values & string, Text][] = [
  ['slug', { en: 'Address name (slug: a-z, 0-9, -)', de: 'Adressname (Slug: a-z, 0-9, -)' }],
  ['title_en', { en: 'Title (English)', de: 'Titel (Englisch)' }],
  ['title_de', { en: 'Title (German)', de: 'Titel (Deutsch)' }],
  ['summary_en', { en: 'Summary (English)', de: 'Kurzbeschreibung (Englisch)' }],
  ['summary_de', { en: 'Summary (German)', de: 'Kurzbeschreibung (Deutsch)' }],
  ['price', { en: 'Price in EUR incl. 19% VAT (e.g. 199.00)', de: 'Preis in EUR inkl. 19 % MwSt. (z. B. 199,00)' }],
  ['stock', { en: 'Stock (hardware only; empty for digital goods)', de: 'Bestand (nur Hardware; leer bei digitalen Gütern)' }],
  ['contents', { en: 'Bundle contents (address names of software and expansions, separated by commas)', de: 'Paketinhalt (Adressnamen von Software und Erweiterungen, durch Kommas getrennt)' }],
];

/** The products a bundle form names, in order; adds a field error when a name is unknown or not digital. */
async function resolveBundleContents(db: Deps['db'], kind: string, text: string | undefined, selfSlug: string, fields: Record<string, Text>): Promise<ProductsTable[]> {
  const slugs = [...new Set((text ?? '').split(/[\s,]+/).filter(Boolean))];
  if (kind !== 'bundle') {
    if (slugs.length > 0) fields.contents = { en: 'Only a bundle has contents; leave this empty.', de: 'Nur ein Paket hat einen Inhalt; lassen Sie das Feld leer.' };
    return [];
  }
  if (slugs.length < 2 || slugs.length > 50) {
    fields.contents = { en: 'A bundle contains between 2 and 50 products.', de: 'Ein Paket enthält 2 bis 50 Produkte.' };
    return [];
  }
  const found = await findProductsBySlugs(db, slugs);
  const bySlug = new Map(found.map((p) => [p.slug, p]));
  const wrong = slugs.filter((slug) => slug === selfSlug || !['software', 'expansion'].includes(bySlug.get(slug)?.kind ?? ''));
  if (wrong.length > 0) {
    fields.contents = { en: `Not a software product or expansion: ${wrong.join(', ')}.`, de: `Kein Software-Produkt und keine Erweiterung: ${wrong.join(', ')}.` };
    return [];
  }
  return slugs.map((slug) => bySlug.get(slug)!);
}

async function saveBundleContents(db: Deps['db'], bundleId: string, contents: ProductsTable[]): Promise<void> {
  await deleteBundleItems(db, bundleId);
  await insertBundleItems(db, contents.map((c, position) => ({ bundle_id: bundleId, product_id: c.id, position })));
}

export function parseProductForm(v: Values): { product: Omit<ProductsTable, 'id' | 'position' | 'created_at'>; fields: Record<string, Text> } {
  const fields: Record<string, Text> = {};
  const need = (k: string, max: number) => {
    const value = (v[k] ?? '').trim();
    if (!value || value.length > max) fields[k] = { en: `Fill this in (up to ${max} characters).`, de: `Bitte ausfüllen (bis ${max} Zeichen).` };
    return value;
  };
  const slug = need('slug', 80);
  if (slug && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) fields.slug = { en: 'Use a-z, 0-9 and single dashes.', de: 'Verwenden Sie a-z, 0-9 und einzelne Bindestriche.' };
  const kind = v.kind as ProductKind;
  if (!KINDS.includes(kind)) fields.kind = { en: 'Choose a kind.', de: 'Wählen Sie eine Art.' };
  const priceText = (v.price ?? '').trim().replace(',', '.');
  const price = /^\d{1,6}(\.\d{1,2})?$/.test(priceText) ? Math.round(Number(priceText) * 100) : Number.NaN;
  if (!(price > 0)) fields.price = { en: 'Enter a price such as 199.00, from 0.01 to 999,999.99.', de: 'Geben Sie einen Preis wie 199,00 ein, von 0,01 bis 999.999,99.' };
  const stockText = (v.stock ?? '').trim();
  const stock = stockText === '' ? null : /^\d{1,6}$/.test(stockText) ? Number(stockText) : Number.NaN;
  if (Number.isNaN(stock as number)) fields.stock = { en: 'Enter a whole number or leave it empty.', de: 'Geben Sie eine ganze Zahl ein oder lassen Sie das Feld leer.' };
  if (kind === 'hardware' && stock === null) fields.stock = { en: 'Hardware needs a stock figure.', de: 'Hardware braucht einen Bestand.' };
  return {
    product: {
      slug,
      kind,
      title_en: need('title_en', 200),
      title_de: need('title_de', 200),
      summary_en: need('summary_en', 1000),
      summary_de: need('summary_de', 1000),
      price_cents: price,
      stock: kind === 'hardware' ? stock : null,
      category_id: v.category_id || null,
    },
    fields,
  };
}

function productForm(ctx: PageContext, action: string, values: Values, categories: CategoriesTable[], fields: Record<string, Text> = {}): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = action.endsWith('/new') || action === '/staff/products' ? t({ en: 'New product', de: 'Neues Produkt' }) : t({ en: 'Edit product', de: 'Produkt bearbeiten' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${Object.keys(fields).length ? html`<div class="error-summary" role="alert"><p>${t({ en: 'Please correct the marked fields.', de: 'Bitte korrigieren Sie die markierten Felder.' })}</p></div>` : ''}
<form method="post" action="${action}" novalidate>${csrfField(ctx)}
${FIELDS.map(([name, label]) => html`<div class="field"><label for="p-${name}">${t(label)}</label>${fields[name] ? html`<p class="field-error" id="p-${name}-error">${t(fields[name])}</p>` : ''}<input id="p-${name}" type="text" name="${name}" value="${values[name] ?? ''}"${fields[name] ? html` aria-invalid="true" aria-describedby="p-${name}-error"` : ''}></div>`)}
<label for="p-kind">${t({ en: 'Kind', de: 'Art' })}</label>
${fields.kind ? html`<p class="field-error" id="p-kind-error">${t(fields.kind)}</p>` : ''}
<select id="p-kind" name="kind"${fields.kind ? html` aria-invalid="true" aria-describedby="p-kind-error"` : ''}>${KINDS.map((k) => html`<option value="${k}"${values.kind === k ? html` selected` : ''}>${k}</option>`)}</select>
<label for="p-category">${t({ en: 'Category', de: 'Kategorie' })}</label>
<select id="p-category" name="category_id"><option value="">—</option>${categories.map((c) => html`<option value="${c.id}"${values.category_id === c.id ? html` selected` : ''}>${ctx.lang === 'de' ? c.name_de : c.name_en}</option>`)}</select>
<p><button type="submit">${t({ en: 'Save', de: 'Speichern' })}</button></p></form>`,
  );
}

const valuesOf = (p: ProductsTable, contents: ProductsTable[]): Values =>
  ({ ...p, price: (p.price_cents / 100).toFixed(2), stock: p.stock === null ? '' : String(p.stock), category_id: p.category_id ?? '', contents: contents.map((c) => c.slug).join(', ') }) as unknown as Values;

/** `changed` is called after every saved change, so that this process's listings show it at once. */
export function registerCatalogAdmin(app: FastifyInstance, deps: Deps, changed: () => void): void {
  const STAFF = ['staff', 'admin'] as ('staff' | 'admin')[];
  const formBody = { type: 'object', additionalProperties: { type: 'string', maxLength: 1000 } };
  const taken = () => new AppError(409, 'slug_taken', { en: 'Another product has this address name.', de: 'Ein anderes Produkt hat diesen Adressnamen.' }, { slug: { en: 'Already in use.', de: 'Bereits vergeben.' } });

  app.get('/staff/products', async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const ctx = pageContext(request, deps);
    const products = await listProducts(deps.db, 500, 0);
    const title = tr(ctx.lang, { en: 'Products', de: 'Produkte' });
    return sendPage(reply, layout(ctx, title, html`<h1>${title}</h1><p><a href="/staff/products/new">${tr(ctx.lang, { en: 'New product', de: 'Neues Produkt' })}</a></p>
<table><thead><tr><th scope="col">${tr(ctx.lang, { en: 'Product', de: 'Produkt' })}</th><th scope="col">${tr(ctx.lang, { en: 'Price', de: 'Preis' })}</th><th scope="col">${tr(ctx.lang, { en: 'Stock', de: 'Bestand' })}</th></tr></thead>
<tbody>${products.map((p) => html`<tr><td><a href="/staff/products/${p.id}">${ctx.lang === 'de' ? p.title_de : p.title_en}</a></td><td>${formatEuro(ctx.lang, p.price_cents)}</td><td>${p.stock ?? '—'}</td></tr>`)}</tbody></table>`));
  });

  app.get('/staff/products/new', async (request, reply) => {
    requireRole(request.viewer, STAFF);
    return sendPage(reply, productForm(pageContext(request, deps), '/staff/products', { kind: 'software' }, await listCategories(deps.db)));
  });

  app.post('/staff/products', { schema: { body: formBody } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const values = request.body as Values;
    const { product, fields } = parseProductForm(values);
    try {
      const contents = await resolveBundleContents(deps.db, product.kind, values.contents, product.slug, fields);
      if (Object.keys(fields).length) throw errors.invalidFields(fields);
      const id = randomUUID().replace(/-/g, '').slice(0, 24);
      await deps.db.transaction().execute(async (trx) => {
        await insertProduct(trx, { ...product, id, position: (await maxProductPosition(trx)) + 1, created_at: deps.clock.now() });
        await saveBundleContents(trx, id, contents);
      });
      changed();
      return reply.redirect(`/staff/products/${id}`, 303);
    } catch (err) {
      const e = isUniqueViolation(err) ? taken() : err;
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      return sendPage(reply, productForm(pageContext(request, deps), '/staff/products', values, await listCategories(deps.db), e.fields), e.status);
    }
  });

  app.get('/staff/products/:id', { schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const product = await findProductById(deps.db, (request.params as { id: string }).id);
    if (!product) throw errors.notFound();
    return sendPage(reply, productForm(pageContext(request, deps), `/staff/products/${product.id}`, valuesOf(product, await listBundleContents(deps.db, [product.id])), await listCategories(deps.db)));
  });

  app.post('/staff/products/:id', { schema: { body: formBody, params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const id = (request.params as { id: string }).id;
    if (!(await findProductById(deps.db, id))) throw errors.notFound();
    const values = request.body as Values;
    const { product, fields } = parseProductForm(values);
    try {
      const contents = await resolveBundleContents(deps.db, product.kind, values.contents, product.slug, fields);
      if ((product.kind === 'hardware' || product.kind === 'bundle') && (await countBundlesContaining(deps.db, id)) > 0) {
        fields.kind = { en: 'A bundle contains this product, so it stays software or an expansion.', de: 'Ein Paket enthält dieses Produkt, daher bleibt es Software oder Erweiterung.' };
      }
      if (Object.keys(fields).length) throw errors.invalidFields(fields);
      await deps.db.transaction().execute(async (trx) => {
        await updateProduct(trx, id, product);
        await saveBundleContents(trx, id, contents);
      });
      changed();
    } catch (err) {
      const e = isUniqueViolation(err) ? taken() : err;
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      return sendPage(reply, productForm(pageContext(request, deps), `/staff/products/${id}`, values, await listCategories(deps.db), e.fields), e.status);
    }
    return reply.redirect(`/staff/products/${id}`, 303);
  });
}
