// Placing an order (policy 6a, 7): verified address, credit check for card and invoice, stock taken in the same
// transaction as the order row, then the charge. Idempotent: one key, one order, one charge.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Viewer } from '../../platform/http/context.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import { findUserById } from '../accounts/index.ts';
import { clearBasketOfUser, viewBasket } from '../basket/index.ts';
import { listBundleContents, productTitle, releaseStock, reserveStock } from '../catalog/index.ts';
import { runCreditCheck } from '../credit/index.ts';
import { disclose } from '../../privacy/disclosures/index.ts';
import { issueInvoice } from '../invoices/index.ts';
import { issueLicences } from '../licences/index.ts';
import { enqueueMail } from '../mail/index.ts';
import { orderConfirmationMail } from './orders.emails.ts';
import * as q from './orders.queries.ts';
import type { Address, OrderLine, OrdersTable, OrderStatus, PaymentMethod } from './orders.tables.ts';

export interface PlaceOrderInput {
  billingAddress: Address;
  shippingAddress?: Address | undefined;
  payment: { method: PaymentMethod; token?: string | undefined };
}

const ADDRESS_FIELDS = ['name', 'street', 'postalCode', 'city', 'country'] as const;

function checkAddress(prefix: string, a: Address, fields: Record<string, Text>): Address {
  const clean = {
    name: a.name.trim(),
    street: a.street.trim(),
    postalCode: a.postalCode.trim(),
    city: a.city.trim(),
    country: a.country.trim().toUpperCase(),
  };
  for (const f of ADDRESS_FIELDS) if (clean[f] === '') fields[`${prefix}.${f}`] = { en: 'Please fill this in.', de: 'Bitte ausfüllen.' };
  if (clean.country && !/^[A-Z]{2}$/.test(clean.country)) fields[`${prefix}.country`] = { en: 'Use a two-letter country code such as DE.', de: 'Verwenden Sie einen zweistelligen Ländercode wie DE.' };
  if (clean.postalCode && !/^[A-Za-z0-9 -]{2,12}$/.test(clean.postalCode)) fields[`${prefix}.postalCode`] = { en: 'Enter a valid postal code.', de: 'Geben Sie eine gültige Postleitzahl ein.' };
  return clean;
}

const basketEmpty = () => new AppError(400, 'basket_empty', { en: 'Your basket is empty.', de: 'Ihr Warenkorb ist leer.' });
const outOfStock = (title: string) => new AppError(409, 'out_of_stock', { en: `${title} is no longer available in the quantity you chose.`, de: `${title} ist in der gewählten Menge nicht mehr verfügbar.` });
const creditDeclined = (reason: string) =>
  new AppError(422, 'credit_check_declined', {
    en: `Our credit check did not allow this payment method for this order (${reason}). No order was placed. Please choose another payment method, e.g. wallet.`,
    de: `Unsere Bonitätsprüfung hat diese Zahlungsart für diese Bestellung nicht zugelassen (${reason}). Es wurde keine Bestellung angelegt. Bitte wählen Sie eine andere Zahlungsart, z. B. Wallet.`,
  });
const paymentDeclined = () =>
  new AppError(402, 'payment_declined', {
    en: 'The payment was declined. The order was cancelled and nothing was charged; please use another card or payment method.',
    de: 'Die Zahlung wurde abgelehnt. Die Bestellung wurde storniert und nichts belastet; bitte verwenden Sie eine andere Karte oder Zahlungsart.',
  });
const tokenRequired = () =>
  new AppError(400, 'invalid_input', { en: 'A card payment needs a payment token.', de: 'Eine Kartenzahlung braucht ein Zahlungs-Token.' }, { 'payment.token': { en: 'Missing or unknown token.', de: 'Token fehlt oder ist unbekannt.' } });

const reasonText: Record<string, string> = {
  amount_too_high: 'amount too high for this payment method',
  address_unknown: 'address could not be verified',
  negative_record: 'negative credit record',
};

function newOrderNumber(now: number): string {
  return `${new Date(now).getUTCFullYear()}-${randomBytes(5).toString('hex').toUpperCase()}`;
}

function withHistory(order: OrdersTable, status: OrderStatus, at: number): Partial<OrdersTable> {
  const history = JSON.parse(order.history) as { status: OrderStatus; at: number }[];
  return { status, updated_at: at, history: JSON.stringify([...history, { status, at }]) };
}

export async function placeOrder(deps: Deps, viewer: Viewer, lang: Lang, input: PlaceOrderInput, idempotencyKey: string): Promise<OrdersTable> {
  const earlier = await q.findOrderByIdempotencyKey(deps.db, viewer.userId, idempotencyKey);
  if (earlier) return earlier;

  const fields: Record<string, Text> = {};
  const billing = checkAddress('billingAddress', input.billingAddress, fields);
  const shipping = input.shippingAddress ? checkAddress('shippingAddress', input.shippingAddress, fields) : billing;
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);

  const basket = await viewBasket(deps, { userId: viewer.userId }, lang);
  if (basket.items.length === 0) throw basketEmpty();
  const bundleContents = await listBundleContents(deps.db, basket.items.filter((i) => i.kind === 'bundle').map((i) => i.productId));
  const lines: OrderLine[] = basket.items.map((i) => ({
    productId: i.productId,
    slug: i.slug,
    kind: i.kind,
    title: i.title,
    quantity: i.quantity,
    unitCents: i.unitCents,
    lineCents: i.lineCents,
    vatRate: 19,
    ...(i.kind === 'bundle'
      ? { contents: bundleContents.filter((c) => c.bundle_id === i.productId).map((c) => ({ productId: c.id, kind: c.kind, title: productTitle(c, lang) })) }
      : {}),
  }));

  const method = input.payment.method;
  const card = method === 'card' && input.payment.token ? await deps.payments.describeToken(input.payment.token) : undefined;
  if (method === 'card' && !card) throw tokenRequired();

  if (method === 'card' || method === 'invoice') {
    const answer = await runCreditCheck(deps, viewer.userId, { name: billing.name, street: billing.street, postalCode: billing.postalCode, city: billing.city, country: billing.country, amountCents: basket.totalCents, method });
    if (answer.decision === 'declined') throw creditDeclined(reasonText[answer.reason] ?? answer.reason);
  }

  const now = deps.clock.now();
  const order: OrdersTable = {
    id: randomUUID(),
    number: newOrderNumber(now),
    user_id: viewer.userId,
    status: 'placed',
    lines: JSON.stringify(lines),
    billing: JSON.stringify(billing),
    shipping: JSON.stringify(shipping),
    payment_method: method,
    payment_token: method === 'card' ? (input.payment.token ?? null) : null,
    card_brand: card?.brand ?? null,
    card_last4: card?.last4 ?? null,
    card_exp_month: card?.expMonth ?? null,
    payment_reference: null,
    total_cents: basket.totalCents,
    vat_cents: basket.vatCents,
    currency: 'EUR',
    idempotency_key: idempotencyKey,
    history: JSON.stringify([{ status: 'placed', at: now }]),
    restricted_at: null,
    created_at: now,
    updated_at: now,
  };

  try {
    await deps.db.transaction().execute(async (trx) => {
      await q.insertOrder(trx, order);
      for (const line of lines) {
        const stocked = basket.items.find((i) => i.productId === line.productId)?.stock !== null;
        if (stocked && !(await reserveStock(trx, line.productId, line.quantity))) throw outOfStock(line.title);
      }
      if (method === 'invoice') await confirm(deps, trx, order, lines, shipping, lang);
    });
  } catch (err) {
    // The same key at the same moment: the other request made the order; answer with it.
    if (isUniqueViolation(err)) {
      const twin = await q.findOrderByIdempotencyKey(deps.db, viewer.userId, idempotencyKey);
      if (twin) return twin;
    }
    throw err;
  }
  if (method === 'invoice') return order;

  const charge = await deps.payments.charge({ method, token: order.payment_token ?? undefined, amountCents: order.total_cents, currency: 'EUR', idempotencyKey: order.id });
  if (charge.status === 'declined') {
    await deps.db.transaction().execute(async (trx) => {
      await q.updateOrder(trx, order.id, withHistory(order, 'cancelled', deps.clock.now()));
      for (const line of lines) await releaseStock(trx, line.productId, line.quantity);
    });
    throw paymentDeclined();
  }
  return deps.db.transaction().execute(async (trx) => {
    const at = deps.clock.now();
    const paid = { ...order, ...withHistory(order, 'paid', at), payment_reference: charge.reference };
    await q.updateOrder(trx, order.id, paid);
    await confirm(deps, trx, paid, lines, shipping, lang);
    return paid;
  });
}

async function confirm(deps: Deps, trx: Deps['db'], order: OrdersTable, lines: OrderLine[], shipping: Address, lang: Lang): Promise<void> {
  await clearBasketOfUser(trx, order.user_id, deps.clock.now());
  await issueInvoice(trx, deps.clock, { id: order.id, userId: order.user_id });
  await issueLicences(trx, deps.clock.now(), { id: order.id, userId: order.user_id, lines });
  const parcel = lines.filter((l) => l.kind === 'hardware');
  if (parcel.length > 0) {
    // The whole order goes in; the gate lets through only what the data map allows the delivery company.
    await disclose(deps, trx, { activity: 'orders.purchase', recipient: 'delivery-company', userId: order.user_id, payload: { orderNumber: order.number, ...shipping, items: parcel, total: order.total_cents, paymentMethod: order.payment_method } });
  }
  const user = await findUserById(trx, order.user_id);
  if (!user) return;
  const link = `${deps.config.baseUrl}/account/orders/${order.id}`;
  await enqueueMail(trx, deps.clock, orderConfirmationMail(lang, user.email, { number: order.number, lines, totalCents: order.total_cents, vatCents: order.vat_cents, method: order.payment_method, shipping }, link));
}

export async function getOrder(deps: Deps, userId: string, id: string): Promise<OrdersTable> {
  const order = await q.findOrderOfUser(deps.db, userId, id);
  if (!order || order.restricted_at !== null) throw errors.notFound();
  return order;
}

export async function listOrders(deps: Deps, userId: string): Promise<OrdersTable[]> {
  return q.listOrdersOfUser(deps.db, userId);
}


/** The order lifecycle staff may drive; everything else is refused. */
export const TRANSITIONS: Record<OrderStatus, OrderStatus[]> = {
  placed: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled', 'refunded'],
  shipped: ['delivered', 'refunded'],
  delivered: ['refunded'],
  cancelled: [],
  refunded: [],
};

export async function changeOrderStatus(deps: Deps, orderId: string, to: OrderStatus): Promise<OrdersTable> {
  return deps.db.transaction().execute(async (trx) => {
    const order = await q.findOrderById(trx, orderId);
    if (!order || order.restricted_at !== null) throw errors.notFound();
    if (!TRANSITIONS[order.status].includes(to)) {
      throw new AppError(409, 'invalid_transition', { en: `An order that is ${order.status} cannot become ${to}.`, de: `Eine Bestellung im Status „${order.status}“ kann nicht „${to}“ werden.` });
    }
    const changes = withHistory(order, to, deps.clock.now());
    if (!(await q.updateOrderIfStatus(trx, order.id, order.status, changes))) throw new AppError(409, 'order_changed', { en: 'The order was changed meanwhile; reload and try again.', de: 'Die Bestellung wurde inzwischen geändert; bitte neu laden.' });
    // Goods not yet shipped go back into stock.
    if (to === 'cancelled') for (const line of JSON.parse(order.lines) as OrderLine[]) await releaseStock(trx, line.productId, line.quantity);
    return { ...order, ...changes };
  });
}

export async function listOrdersForStaff(deps: Deps, status?: OrderStatus): Promise<OrdersTable[]> {
  return q.listRecentOrders(deps.db, status, 200);
}

export async function getOrderForStaff(deps: Deps, id: string): Promise<OrdersTable> {
  const order = await q.findOrderById(deps.db, id);
  // Restricted orders are kept for the law only; staff do not work with them.
  if (!order || order.restricted_at !== null) throw errors.notFound();
  return order;
}
