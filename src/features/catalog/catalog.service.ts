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
  findProductById,
  findProductsBySlugs,
  insertBundleItems,
  insertProduct,
  maxProductPosition,
  updateProduct,
} from './catalog.queries.ts';
import type { ProductKind, ProductsTable, ProductStatus } from './catalog.tables.ts';

export const PRODUCT_KINDS: readonly ProductKind[] = ['software', 'hardware', 'expansion', 'bundle'];
export const PRODUCT_STATUSES: readonly ProductStatus[] = ['draft', 'active', 'archived'];

/** What one licence key of a software product activates when staff set nothing (the number before the console). */
export const DEFAULT_MAX_ACTIVATIONS = 2;
export const DESCRIPTION_MAX = 20_000;
export const REQUIREMENTS_MAX = 5_000;

/** The fields each kind has beyond the common ones: the edit page shows these only (and saves only these). */
export const KIND_FIELDS: Record<
  ProductKind,
  readonly ('stock' | 'licence' | 'requirements' | 'requires' | 'contents')[]
> = {
  hardware: ['stock'],
  software: ['licence', 'requirements'],
  expansion: ['requirements', 'requires'],
  bundle: ['contents'],
};

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
  status?: string | undefined;
  description_en?: string | undefined;
  description_de?: string | undefined;
  requirements_en?: string | undefined;
  requirements_de?: string | undefined;
  max_activations?: string | undefined;
  requires_id?: string | undefined;
}

export type ProductFields = Omit<ProductsTable, 'id' | 'position' | 'created_at'>;

const isKind = (value: string | undefined): value is ProductKind => PRODUCT_KINDS.some((k) => k === value);
const isStatus = (value: string | undefined): value is ProductStatus => PRODUCT_STATUSES.some((k) => k === value);

/**
 * The product a form describes, and a message per field that is wrong (none when the form is fine). A console field
 * the form does not carry at all (an import without that column) keeps `current`'s value, or its default when new;
 * a field the product's kind does not have is cleared.
 */
export function parseProductForm(
  v: ProductFormValues,
  current?: ProductsTable,
): { product: ProductFields; fields: Record<string, Text> } {
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
  const has = KIND_FIELDS[kind];
  const statusText = v.status?.trim() ?? current?.status ?? 'active';
  if (!isStatus(statusText)) {
    fields.status = { en: 'Choose draft, active or archived.', de: 'Wählen Sie Entwurf, aktiv oder archiviert.' };
  }
  const markdown = (k: 'description_en' | 'description_de' | 'requirements_en' | 'requirements_de', max: number) => {
    const value = (v[k] ?? current?.[k] ?? '').replace(/\r\n/g, '\n').trim();
    if (value.length > max) {
      fields[k] = {
        en: `Shorten this to ${max.toLocaleString('en-GB')} characters or fewer.`,
        de: `Kürzen Sie den Text auf höchstens ${max.toLocaleString('de-DE')} Zeichen.`,
      };
    }
    return value;
  };
  const description_en = markdown('description_en', DESCRIPTION_MAX);
  const description_de = markdown('description_de', DESCRIPTION_MAX);
  const requirements_en = has.includes('requirements') ? markdown('requirements_en', REQUIREMENTS_MAX) : '';
  const requirements_de = has.includes('requirements') ? markdown('requirements_de', REQUIREMENTS_MAX) : '';
  let maxActivations: number | null = null;
  if (has.includes('licence')) {
    // Empty (or a product turning into software) takes the product's setting, else today's default.
    const text = v.max_activations?.trim() || String(current?.max_activations ?? DEFAULT_MAX_ACTIVATIONS);
    maxActivations = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
    if (!(maxActivations >= 1 && maxActivations <= 100)) {
      fields.max_activations = {
        en: 'Enter a whole number from 1 to 100.',
        de: 'Geben Sie eine ganze Zahl von 1 bis 100 ein.',
      };
    }
  }
  const requires = has.includes('requires') ? (v.requires_id?.trim() ?? current?.requires_id ?? '') || null : null;
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
      status: isStatus(statusText) ? statusText : 'draft',
      description_en,
      description_de,
      requirements_en,
      requirements_de,
      max_activations: maxActivations,
      requires_id: requires,
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

/** An expansion names the software product it expands; anything else is a field error. */
async function checkRequires(
  db: Deps['db'],
  product: ProductFields,
  selfId: string | undefined,
  fields: Record<string, Text>,
): Promise<void> {
  if (product.requires_id === null) return;
  const required = product.requires_id === selfId ? undefined : await findProductById(db, product.requires_id);
  if (required?.kind !== 'software') {
    fields.requires_id = {
      en: 'Choose a software product (or none).',
      de: 'Wählen Sie ein Software-Produkt (oder keines).',
    };
  }
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
  await checkRequires(deps.db, product, undefined, fields);
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

/**
 * Saves the staff form over product `id`; a wrong form throws as in `createProduct`. Fields the form does not carry
 * keep their value (see parseProductForm). Archiving leaves every order, licence and download of it as it is.
 */
export async function editProduct(
  deps: Pick<Deps, 'db' | 'dbKind'>,
  id: string,
  values: ProductFormValues,
): Promise<void> {
  const current = await findProductById(deps.db, id);
  if (!current) throw errors.notFound();
  const { product, fields } = parseProductForm(values, current);
  const contents = await resolveBundleContents(deps.db, product.kind, values.contents, product.slug, fields);
  await checkRequires(deps.db, product, id, fields);
  const stocked = product.kind === 'hardware' || product.kind === 'bundle';
  if (stocked && (await countBundlesContaining(deps.db, id)) > 0) {
    fields.kind = {
      en: 'A bundle contains this product, so it stays software or an expansion.',
      de: 'Ein Paket enthält dieses Produkt, daher bleibt es Software oder Erweiterung.',
    };
  } else if (product.kind !== current.kind && current.status !== 'draft') {
    // Orders, licences and serial numbers were made for the kind a product was sold as: once on sale, it keeps it.
    fields.kind = {
      en: 'This product has been on sale, so its kind stays as it is; create a new product for another kind.',
      de: 'Dieses Produkt war bereits im Verkauf, daher bleibt seine Art unverändert; legen Sie für eine andere Art ein neues Produkt an.',
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
