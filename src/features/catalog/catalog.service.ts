// Staff manage the catalogue: the rules of the product form (titles, texts, price incl. VAT, stock, category,
// and what a bundle contains: digital products only, so that a bundle needs no stock of its own), and the
// transactions that save a product with its bundle contents.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Text } from '../../platform/i18n.ts';
import {
  countBundlesContaining,
  deleteBundleItems,
  findProductsBySlugs,
  insertBundleItems,
  insertProduct,
  maxProductPosition,
  updateProduct,
} from './catalog.queries.ts';
import type { ProductKind, ProductsTable } from './catalog.tables.ts';

export const PRODUCT_KINDS: readonly ProductKind[] = ['software', 'hardware', 'expansion', 'bundle'];

/** The fields of the staff product form, as text (a browser sends what the form holds). */
export interface ProductFormValues {
  slug?: string | undefined;
  kind?: string | undefined;
  title_en?: string | undefined;
  title_de?: string | undefined;
  summary_en?: string | undefined;
  summary_de?: string | undefined;
  price?: string | undefined;
  stock?: string | undefined;
  category_id?: string | undefined;
  contents?: string | undefined;
}

export type ProductFields = Omit<ProductsTable, 'id' | 'position' | 'created_at'>;

const isKind = (value: string | undefined): value is ProductKind => PRODUCT_KINDS.some((k) => k === value);

/** The product a form describes, and a message per field that is wrong (none when the form is fine). */
export function parseProductForm(v: ProductFormValues): { product: ProductFields; fields: Record<string, Text> } {
  const fields: Record<string, Text> = {};
  const need = (k: 'slug' | 'title_en' | 'title_de' | 'summary_en' | 'summary_de', max: number) => {
    const value = (v[k] ?? '').trim();
    if (!value || value.length > max) {
      fields[k] = { en: `Fill this in (up to ${max} characters).`, de: `Bitte ausfüllen (bis ${max} Zeichen).` };
    }
    return value;
  };
  const slug = need('slug', 80);
  if (slug && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) {
    fields.slug = { en: 'Use a-z, 0-9 and single dashes.', de: 'Verwenden Sie a-z, 0-9 und einzelne Bindestriche.' };
  }
  const chosen = isKind(v.kind) ? v.kind : undefined;
  if (!chosen) fields.kind = { en: 'Choose a kind.', de: 'Wählen Sie eine Art.' };
  // A product with a field error is never saved, so the stand-in kind goes nowhere.
  const kind = chosen ?? 'software';
  const priceText = (v.price ?? '').trim().replace(',', '.');
  const price = /^\d{1,6}(\.\d{1,2})?$/.test(priceText) ? Math.round(Number(priceText) * 100) : Number.NaN;
  if (!(price > 0)) {
    fields.price = {
      en: 'Enter a price such as 199.00, from 0.01 to 999,999.99.',
      de: 'Geben Sie einen Preis wie 199,00 ein, von 0,01 bis 999.999,99.',
    };
  }
  const stockText = (v.stock ?? '').trim();
  const stock = stockText === '' ? null : /^\d{1,6}$/.test(stockText) ? Number(stockText) : Number.NaN;
  if (Number.isNaN(stock)) {
    fields.stock = {
      en: 'Enter a whole number or leave it empty.',
      de: 'Geben Sie eine ganze Zahl ein oder lassen Sie das Feld leer.',
    };
  }
  if (kind === 'hardware' && stock === null) {
    fields.stock = { en: 'Hardware needs a stock figure.', de: 'Hardware braucht einen Bestand.' };
  }
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

/** The products a bundle form names, in order; adds a field error when a name is unknown or not digital. */
async function resolveBundleContents(
  db: Deps['db'],
  kind: string,
  text: string | undefined,
  selfSlug: string,
  fields: Record<string, Text>,
): Promise<ProductsTable[]> {
  const slugs = [...new Set((text ?? '').split(/[\s,]+/).filter(Boolean))];
  if (kind !== 'bundle') {
    if (slugs.length > 0) {
      fields.contents = {
        en: 'Only a bundle has contents; leave this empty.',
        de: 'Nur ein Paket hat einen Inhalt; lassen Sie das Feld leer.',
      };
    }
    return [];
  }
  if (slugs.length < 2 || slugs.length > 50) {
    fields.contents = {
      en: 'A bundle contains between 2 and 50 products.',
      de: 'Ein Paket enthält 2 bis 50 Produkte.',
    };
    return [];
  }
  const bySlug = new Map((await findProductsBySlugs(db, slugs)).map((p) => [p.slug, p]));
  const digital = (slug: string) => ['software', 'expansion'].includes(bySlug.get(slug)?.kind ?? '');
  const wrong = slugs.filter((slug) => slug === selfSlug || !digital(slug));
  if (wrong.length > 0) {
    fields.contents = {
      en: `Not a software product or expansion: ${wrong.join(', ')}.`,
      de: `Kein Software-Produkt und keine Erweiterung: ${wrong.join(', ')}.`,
    };
    return [];
  }
  return slugs.flatMap((slug) => bySlug.get(slug) ?? []);
}

async function saveBundleContents(db: Deps['db'], bundleId: string, contents: ProductsTable[]): Promise<void> {
  await deleteBundleItems(db, bundleId);
  await insertBundleItems(
    db,
    contents.map((c, position) => ({ bundle_id: bundleId, product_id: c.id, position })),
  );
}

const slugTaken = () =>
  new AppError(
    409,
    'slug_taken',
    { en: 'Another product has this address name.', de: 'Ein anderes Produkt hat diesen Adressnamen.' },
    { slug: { en: 'Already in use.', de: 'Bereits vergeben.' } },
  );

/** Runs a save; a second product with the same address name is a field error, not a failure. */
async function saving<T>(save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (err) {
    throw isUniqueViolation(err) ? slugTaken() : err;
  }
}

/**
 * Creates the product the staff form describes, with its bundle contents, and returns its id. A wrong form
 * throws an AppError whose `fields` say what to correct.
 */
export async function createProduct(
  deps: Pick<Deps, 'db' | 'clock' | 'dbKind'>,
  values: ProductFormValues,
): Promise<string> {
  const { product, fields } = parseProductForm(values);
  const contents = await resolveBundleContents(deps.db, product.kind, values.contents, product.slug, fields);
  if (Object.keys(fields).length) throw errors.invalidFields(fields);
  const id = randomUUID().replace(/-/g, '').slice(0, 24);
  await saving(() =>
    deps.db.transaction().execute(async (trx) => {
      const position = (await maxProductPosition(trx)) + 1;
      await insertProduct(trx, deps.dbKind, { ...product, id, position, created_at: deps.clock.now() });
      await saveBundleContents(trx, id, contents);
    }),
  );
  return id;
}

/** Saves the staff form over product `id` (which exists); a wrong form throws as in `createProduct`. */
export async function editProduct(
  deps: Pick<Deps, 'db' | 'dbKind'>,
  id: string,
  values: ProductFormValues,
): Promise<void> {
  const { product, fields } = parseProductForm(values);
  const contents = await resolveBundleContents(deps.db, product.kind, values.contents, product.slug, fields);
  const stocked = product.kind === 'hardware' || product.kind === 'bundle';
  if (stocked && (await countBundlesContaining(deps.db, id)) > 0) {
    fields.kind = {
      en: 'A bundle contains this product, so it stays software or an expansion.',
      de: 'Ein Paket enthält dieses Produkt, daher bleibt es Software oder Erweiterung.',
    };
  }
  if (Object.keys(fields).length) throw errors.invalidFields(fields);
  await saving(() =>
    deps.db.transaction().execute(async (trx) => {
      await updateProduct(trx, deps.dbKind, id, product);
      await saveBundleContents(trx, id, contents);
    }),
  );
}
