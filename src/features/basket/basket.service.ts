// Use cases of the basket (policy 2b, 6a). Guests' baskets are found by the hash of a token in a session
// cookie; at login the guest basket merges into the account's. Changes retry on a concurrent write.
import { createHash, randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { AppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import {
  findProductsByIds,
  listBundleContents,
  productSummary,
  productTitle,
  vatOf,
  type ProductsTable,
} from '../catalog/index.ts';
import { vatOfGross, type VatPlace } from '../../shop/vat.ts';
import * as q from './basket.queries.ts';
import type { AddedNotice, BasketLine, BasketsTable } from './basket.tables.ts';

export type BasketOwner = { userId: string } | { guestToken: string };

/** What the basket's use cases draw on. */
export type BasketDeps = Pick<Deps, 'db' | 'clock'>;

export const MAX_QUANTITY = 99;
const MAX_LINES = 50;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function parseLines(json: string): BasketLine[] {
  const parsed = JSON.parse(json) as BasketLine[];
  return Array.isArray(parsed) ? parsed : [];
}

async function findBasket(deps: Pick<Deps, 'db'>, owner: BasketOwner): Promise<BasketsTable | undefined> {
  return 'userId' in owner
    ? q.findBasketByUserId(deps.db, owner.userId)
    : q.findBasketByTokenHash(deps.db, hashToken(owner.guestToken));
}

async function findOrCreateBasket(deps: BasketDeps, owner: BasketOwner): Promise<BasketsTable> {
  const found = await findBasket(deps, owner);
  if (found) return found;
  const now = deps.clock.now();
  const basket: BasketsTable = {
    id: randomUUID(),
    user_id: 'userId' in owner ? owner.userId : null,
    token_hash: 'guestToken' in owner ? hashToken(owner.guestToken) : null,
    lines: '[]',
    version: 0,
    added_notice: null,
    created_at: now,
    updated_at: now,
  };
  try {
    await q.insertBasket(deps.db, basket);
    return basket;
  } catch (err) {
    // Two first requests at once: the other one created it.
    if (!isUniqueViolation(err)) throw err;
    return (await findBasket(deps, owner)) as BasketsTable;
  }
}

const productNotFound = () =>
  new AppError(
    404,
    'product_not_found',
    { en: 'This product does not exist (any more).', de: 'Dieses Produkt gibt es nicht (mehr).' },
    {
      productId: { en: 'Unknown product.', de: 'Unbekanntes Produkt.' },
    },
  );
const lineNotFound = () =>
  new AppError(404, 'not_in_basket', {
    en: 'This product is not in your basket.',
    de: 'Dieses Produkt ist nicht in Ihrem Warenkorb.',
  });
const badQuantity = (min: number) =>
  new AppError(
    400,
    'invalid_input',
    {
      en: `The quantity must be a whole number from ${min} to ${MAX_QUANTITY}.`,
      de: `Die Menge muss eine ganze Zahl von ${min} bis ${MAX_QUANTITY} sein.`,
    },
    {
      quantity: { en: `Enter ${min} to ${MAX_QUANTITY}.`, de: `Geben Sie ${min} bis ${MAX_QUANTITY} ein.` },
    },
  );
const tooManyLines = () =>
  new AppError(409, 'basket_full', {
    en: `A basket holds at most ${MAX_LINES} different products.`,
    de: `Ein Warenkorb fasst höchstens ${MAX_LINES} verschiedene Produkte.`,
  });
/** Names the product, so that a shopper with several lines knows which one to change. */
const notEnoughStock = (product: ProductsTable, left: number) =>
  new AppError(
    409,
    'insufficient_stock',
    {
      en: `Only ${left} of “${product.title_en}” left in stock.`,
      de: `Von „${product.title_de}“ sind nur noch ${left} auf Lager.`,
    },
    { quantity: { en: `At most ${left}.`, de: `Höchstens ${left}.` } },
  );

function checkQuantity(quantity: number, min: number): void {
  if (!Number.isInteger(quantity) || quantity < min || quantity > MAX_QUANTITY) throw badQuantity(min);
}

function checkStock(product: ProductsTable, quantity: number): void {
  if (product.stock !== null && quantity > product.stock) throw notEnoughStock(product, product.stock);
}

/** Applies `change` to the lines; retries when another request changed the basket in between. */
async function changeLines(
  deps: BasketDeps,
  owner: BasketOwner,
  change: (lines: BasketLine[]) => Promise<BasketLine[]>,
  create = true,
  notice?: AddedNotice,
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const basket = create ? await findOrCreateBasket(deps, owner) : await findBasket(deps, owner);
    // Changing a line of a basket that does not exist changes nothing: the line is not there.
    if (!basket) throw lineNotFound();
    const lines = await change(parseLines(basket.lines));
    const added = notice ? JSON.stringify(notice) : undefined;
    if (await q.updateBasketLines(deps.db, basket.id, basket.version, JSON.stringify(lines), deps.clock.now(), added))
      return;
  }
  throw new AppError(409, 'basket_busy', {
    en: 'Your basket was changed at the same time. Please try again.',
    de: 'Ihr Warenkorb wurde gleichzeitig geändert. Bitte versuchen Sie es erneut.',
  });
}

async function productFor(deps: Pick<Deps, 'db'>, productId: string): Promise<ProductsTable> {
  const [product] = await findProductsByIds(deps.db, [productId]);
  // Only a product on sale goes into a basket: a draft or an archived product is not sold (catalogue status).
  if (!product || product.status !== 'active') throw productNotFound();
  return product;
}

/**
 * Adds units of a product. `announce`: a form that redirects asks for a one-time notice on the next page (what
 * was added, with the way to the basket); the API answers with the basket and announces nothing.
 */
export async function addToBasket(
  deps: BasketDeps,
  owner: BasketOwner,
  productId: string,
  quantity: number,
  options: { announce?: boolean } = {},
): Promise<ProductsTable> {
  checkQuantity(quantity, 1);
  const product = await productFor(deps, productId);
  const notice = options.announce ? { productId, quantity } : undefined;
  await changeLines(
    deps,
    owner,
    async (lines) => {
      const line = lines.find((l) => l.productId === productId);
      const wanted = Math.min((line?.quantity ?? 0) + quantity, MAX_QUANTITY);
      checkStock(product, wanted);
      if (line) return lines.map((l) => (l === line ? { ...l, quantity: wanted } : l));
      if (lines.length >= MAX_LINES) throw tooManyLines();
      return [...lines, { productId, quantity: wanted }];
    },
    true,
    notice,
  );
  return product;
}

export async function setBasketQuantity(
  deps: BasketDeps,
  owner: BasketOwner | null,
  productId: string,
  quantity: number,
): Promise<void> {
  checkQuantity(quantity, 0);
  if (!owner) throw lineNotFound();
  const product = quantity > 0 ? await productFor(deps, productId) : undefined;
  await changeLines(
    deps,
    owner,
    async (lines) => {
      if (!lines.some((l) => l.productId === productId)) throw lineNotFound();
      if (quantity === 0) return lines.filter((l) => l.productId !== productId);
      checkStock(product as ProductsTable, quantity);
      return lines.map((l) => (l.productId === productId ? { ...l, quantity } : l));
    },
    false,
  );
}

export async function removeFromBasket(deps: BasketDeps, owner: BasketOwner | null, productId: string): Promise<void> {
  await setBasketQuantity(deps, owner, productId, 0);
}

/**
 * Moves a guest's basket into the account's basket (quantities add up) and deletes the guest basket. Answers how
 * many units were added, so that the customer is told (nothing joins a basket unannounced).
 */
export async function mergeGuestBasket(deps: BasketDeps, userId: string, guestToken: string): Promise<number> {
  const guest = await q.findBasketByTokenHash(deps.db, hashToken(guestToken));
  if (!guest) return 0;
  const guestLines = parseLines(guest.lines);
  let added = 0;
  if (guestLines.length > 0) {
    const products = new Map(
      (
        await findProductsByIds(
          deps.db,
          guestLines.map((l) => l.productId),
        )
      ).map((p) => [p.id, p]),
    );
    await changeLines(deps, { userId }, async (lines) => {
      const merged = [...lines];
      added = 0;
      for (const g of guestLines) {
        const product = products.get(g.productId);
        if (!product || product.status !== 'active') continue;
        const existing = merged.findIndex((l) => l.productId === g.productId);
        const sum = Math.min(
          (existing >= 0 ? (merged[existing] as BasketLine).quantity : 0) + g.quantity,
          MAX_QUANTITY,
          product.stock ?? MAX_QUANTITY,
        );
        if (sum <= 0) continue;
        const before = existing >= 0 ? (merged[existing] as BasketLine).quantity : 0;
        if (existing >= 0) merged[existing] = { productId: g.productId, quantity: sum };
        else if (merged.length < MAX_LINES) merged.push({ productId: g.productId, quantity: sum });
        else continue;
        added += Math.max(0, sum - before);
      }
      return merged;
    });
  }
  await q.deleteBasket(deps.db, guest.id);
  return added;
}

/** A product that is in the basket on its own and inside a bundle of the basket too: bought twice. */
export interface BundleOverlap {
  productId: string;
  title: string;
  bundleId: string;
  bundleTitle: string;
}

export interface BasketView {
  items: {
    productId: string;
    slug: string;
    kind: string;
    title: string;
    /** Its essential features in a sentence (the checkout's summary above the order button, §312j(2) BGB). */
    summary: string;
    quantity: number;
    unitCents: number;
    lineCents: number;
    stock: number | null;
  }[];
  /** The sum of the lines; with free shipping it is also the total. */
  subtotalCents: number;
  /** Shipping charged: none today (goods ship free, downloads need none). */
  shippingCents: number;
  /** A line needs shipping (hardware). */
  ships: boolean;
  totalCents: number;
  vatCents: number;
  /** The VAT the prices include: the visitor's checkout country once known (decision 0031), else the home rate. */
  vat?: VatPlace;
  count: number;
  overlaps: BundleOverlap[];
}

export async function viewBasket(
  deps: Pick<Deps, 'db'>,
  owner: BasketOwner | null,
  lang: Lang,
  vat?: VatPlace,
): Promise<BasketView> {
  const basket = owner ? await findBasket(deps, owner) : undefined;
  const lines = basket ? parseLines(basket.lines) : [];
  const products = new Map(
    (
      await findProductsByIds(
        deps.db,
        lines.map((l) => l.productId),
      )
    ).map((p) => [p.id, p]),
  );
  const items = lines.flatMap((l) => {
    const p = products.get(l.productId);
    // A product taken off sale (draft or archived) since it was added is neither shown nor bought.
    if (!p || p.status !== 'active') return [];
    return [
      {
        productId: p.id,
        slug: p.slug,
        kind: p.kind,
        title: productTitle(p, lang),
        summary: productSummary(p, lang),
        quantity: l.quantity,
        unitCents: p.price_cents,
        lineCents: p.price_cents * l.quantity,
        stock: p.stock,
      },
    ];
  });
  const subtotalCents = items.reduce((sum, i) => sum + i.lineCents, 0);
  const shippingCents = 0;
  const totalCents = subtotalCents + shippingCents;
  // One rate (19%) for everything: the VAT is computed once on the total, as the invoice shows it.
  return {
    items,
    subtotalCents,
    shippingCents,
    ships: items.some((i) => i.kind === 'hardware'),
    totalCents,
    // The gross prices stay; the VAT inside them is that of the visitor's country (shop/vat.ts).
    vatCents: vat ? vatOfGross(totalCents, vat.rate) : vatOf(totalCents),
    ...(vat ? { vat } : {}),
    count: items.reduce((sum, i) => sum + i.quantity, 0),
    overlaps: await bundleOverlaps(deps, items),
  };
}

async function bundleOverlaps(deps: Pick<Deps, 'db'>, items: BasketView['items']): Promise<BundleOverlap[]> {
  const bundles = items.filter((i) => i.kind === 'bundle');
  if (bundles.length === 0) return [];
  const alone = new Map(items.map((i) => [i.productId, i]));
  const contents = await listBundleContents(
    deps.db,
    bundles.map((b) => b.productId),
  );
  return contents.flatMap((c) => {
    const line = alone.get(c.id);
    const bundle = alone.get(c.bundle_id);
    return line && bundle
      ? [{ productId: c.id, title: line.title, bundleId: bundle.productId, bundleTitle: bundle.title }]
      : [];
  });
}

/** What every page's header and top slot show of the basket: its count, and once, what a form just added. */
export interface BasketGlance {
  count: number;
  added?: { title: string; quantity: number };
}

/**
 * The basket at a glance for a page. `takeNotice`: this page shows the one-time notice of what was just added (a
 * page a person navigates to, not a form answer), so it is cleared as it is read; only one request can take it.
 */
export async function glanceBasket(
  deps: Pick<Deps, 'db'>,
  owner: BasketOwner,
  lang: Lang,
  takeNotice: boolean,
): Promise<BasketGlance> {
  const basket = await findBasket(deps, owner);
  if (!basket) return { count: 0 };
  const count = parseLines(basket.lines).reduce((sum, l) => sum + l.quantity, 0);
  if (!takeNotice || basket.added_notice === null) return { count };
  if (!(await q.takeAddedNotice(deps.db, basket.id, basket.added_notice))) return { count };
  const notice = JSON.parse(basket.added_notice) as AddedNotice;
  const [product] = await findProductsByIds(deps.db, [notice.productId]);
  return product ? { count, added: { title: productTitle(product, lang), quantity: notice.quantity } } : { count };
}
