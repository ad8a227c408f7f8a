// Use cases of the basket (policy 2b, 6a). Guests' baskets are found by the hash of a token in a session
// cookie; at login the guest basket merges into the account's. Changes retry on a concurrent write.
import { createHash, randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { AppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import { findProductsByIds, productTitle, vatOf, type ProductsTable } from '../catalog/index.ts';
import * as q from './basket.queries.ts';
import type { BasketLine, BasketsTable } from './basket.tables.ts';

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
const notEnoughStock = (left: number) =>
  new AppError(
    409,
    'insufficient_stock',
    { en: `Only ${left} left in stock.`, de: `Nur noch ${left} auf Lager.` },
    { quantity: { en: `At most ${left}.`, de: `Höchstens ${left}.` } },
  );

function checkQuantity(quantity: number, min: number): void {
  if (!Number.isInteger(quantity) || quantity < min || quantity > MAX_QUANTITY) throw badQuantity(min);
}

function checkStock(product: ProductsTable, quantity: number): void {
  if (product.stock !== null && quantity > product.stock) throw notEnoughStock(product.stock);
}

/** Applies `change` to the lines; retries when another request changed the basket in between. */
async function changeLines(
  deps: BasketDeps,
  owner: BasketOwner,
  change: (lines: BasketLine[]) => Promise<BasketLine[]>,
  create = true,
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const basket = create ? await findOrCreateBasket(deps, owner) : await findBasket(deps, owner);
    // Changing a line of a basket that does not exist changes nothing: the line is not there.
    if (!basket) throw lineNotFound();
    const lines = await change(parseLines(basket.lines));
    if (await q.updateBasketLines(deps.db, basket.id, basket.version, JSON.stringify(lines), deps.clock.now())) return;
  }
  throw new AppError(409, 'basket_busy', {
    en: 'Your basket was changed at the same time. Please try again.',
    de: 'Ihr Warenkorb wurde gleichzeitig geändert. Bitte versuchen Sie es erneut.',
  });
}

async function productFor(deps: Pick<Deps, 'db'>, productId: string): Promise<ProductsTable> {
  const [product] = await findProductsByIds(deps.db, [productId]);
  if (!product) throw productNotFound();
  return product;
}

export async function addToBasket(
  deps: BasketDeps,
  owner: BasketOwner,
  productId: string,
  quantity: number,
): Promise<void> {
  checkQuantity(quantity, 1);
  const product = await productFor(deps, productId);
  await changeLines(deps, owner, async (lines) => {
    const line = lines.find((l) => l.productId === productId);
    const wanted = Math.min((line?.quantity ?? 0) + quantity, MAX_QUANTITY);
    checkStock(product, wanted);
    if (line) return lines.map((l) => (l === line ? { ...l, quantity: wanted } : l));
    if (lines.length >= MAX_LINES) throw tooManyLines();
    return [...lines, { productId, quantity: wanted }];
  });
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
        if (!product) continue;
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

export interface BasketView {
  items: {
    productId: string;
    slug: string;
    kind: string;
    title: string;
    quantity: number;
    unitCents: number;
    lineCents: number;
    stock: number | null;
  }[];
  totalCents: number;
  vatCents: number;
  count: number;
}

export async function viewBasket(deps: Pick<Deps, 'db'>, owner: BasketOwner | null, lang: Lang): Promise<BasketView> {
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
    if (!p) return [];
    return [
      {
        productId: p.id,
        slug: p.slug,
        kind: p.kind,
        title: productTitle(p, lang),
        quantity: l.quantity,
        unitCents: p.price_cents,
        lineCents: p.price_cents * l.quantity,
        stock: p.stock,
      },
    ];
  });
  const totalCents = items.reduce((sum, i) => sum + i.lineCents, 0);
  // One rate (19%) for everything: the VAT is computed once on the total, as the invoice shows it.
  return { items, totalCents, vatCents: vatOf(totalCents), count: items.reduce((sum, i) => sum + i.quantity, 0) };
}
