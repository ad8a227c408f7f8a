// Placing an order (policy 6a, 7): verified address, stock taken in the same transaction as the order row, then
// the credit check (invoice only: never for goods that are not there) or the charge. One pending payment per
// customer (decision 0015). Idempotent: one key (bound to its request), one order, one charge.
// The states are defined in orders.tables.ts; a pending order is settled once, by the charge or the reconcile job.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import Type, { type Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { CheckoutChoice } from '../../feature.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { faultPoint } from '../../platform/faults.ts';
import type { Viewer } from '../../platform/http/context.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import { findUserById } from '../accounts/index.ts';
import { clearBasketOfUser, viewBasket } from '../basket/index.ts';
import { findProductsByIds, listBundleContents, productTitle, releaseStock, reserveStock } from '../catalog/index.ts';
import {
  accountHasCreditChecksLeft,
  hasCreditApproval,
  releaseCreditApproval,
  reserveCreditCheck,
  runCreditCheck,
  useCreditApproval,
} from '../credit/index.ts';
import type { ChargeLookup } from '../payments/index.ts';
import { DAY, MINUTE } from '../../platform/clock.ts';
import { disclose } from '../../privacy/disclosures/index.ts';
import { paymentMethodNames } from '../../shop/payment-methods.ts';
import type { Operator } from '../../platform/operator.ts';
import { PostalAddress } from '../../shop/schemas.ts';
import { vatCountryOfLine, vatOfLines, vatRateFor } from '../../shop/vat.ts';
import { checkAddress } from './addresses.service.ts';
import { issueInvoice } from '../invoices/index.ts';
import { issueLicences } from '../licences/index.ts';
import {
  checkoutConsentProblems,
  isDigitalKind,
  legalVersionsToRecord,
  requireLegalTextsForOrders,
} from '../legal/index.ts';
import { sendOrderConfirmation } from './confirmation.service.ts';
import { statusNames } from './orders.emails.ts';
import * as q from './orders.queries.ts';
import { countHardwareUnits } from './serials.service.ts';
import {
  PAYMENT_METHODS,
  type Address,
  type OrderLine,
  type OrdersTable,
  type OrderStatus,
  type PaymentMethod,
} from './orders.tables.ts';

/** Settling a payment: the provider, the database and clock, the confirmation (base URL, disclosure rules). */
type SettleDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'payments' | 'dataMap'>;
/** Placing an order: settling, and the credit check of an order on invoice. */
type PlaceDeps = SettleDeps & Pick<Deps, 'creditAgency'>;
/** The checkout choices on offer and the dependencies their hooks take (the whole Deps, as the manifest hook says). */
export interface OfferedChoices {
  offered: readonly CheckoutChoice[];
  deps: Deps;
}

// The shared address, inline rather than a `$ref`: the same constraints, one object per request body. The country
// is any short text here so that the address check (addresses.service.ts) can answer a name such as "Germany" with
// the code to send, together with every other field's problem.
const AddressInput = Type.Object(
  {
    ...PostalAddress.properties,
    country: Type.String({
      minLength: 1,
      maxLength: 60,
      description:
        'ISO 3166-1 alpha-2 code of a country the shop sells to, e.g. "DE"; a name such as "Germany" is refused (400).',
    }),
  },
  { additionalProperties: false },
);

/**
 * What placing an order takes: the body of POST /api/v1/orders (its schema validates and documents it) and what
 * the checkout form is turned into. The address checks below give the friendly messages beyond the schema.
 */
export const PlaceOrderInput = Type.Object(
  {
    billingAddress: AddressInput,
    shippingAddress: Type.Optional(AddressInput),
    payment: Type.Object(
      {
        method: Type.Unsafe<PaymentMethod>({ type: 'string', enum: [...PAYMENT_METHODS] }),
        token: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
      },
      { additionalProperties: false },
    ),
    // The checkout form requires both (the second when the basket holds digital content); over the API they are
    // recorded when sent. Without the § 356(5) BGB consent, digital lines keep their right of withdrawal.
    consents: Type.Optional(
      Type.Object(
        {
          terms: Type.Optional(Type.Boolean({ description: 'The customer accepted the terms and conditions.' })),
          digitalContent: Type.Optional(
            Type.Boolean({
              description:
                'Express consent to delivery of digital content before the withdrawal period ends, with the acknowledgement that the right of withdrawal is thereby lost (§ 356(5) BGB).',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    // The boxes under the order form (the manifests' checkoutChoices), by field: true = ticked. Unknown keys: 400.
    choices: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z][a-zA-Z]{0,63}$' }), Type.Boolean(), {
        description:
          'The checkout choices by field, e.g. {"noProductSuggestions": true}; an unknown field is refused (400).',
      }),
    ),
  },
  { additionalProperties: false },
);
export type PlaceOrderInput = Static<typeof PlaceOrderInput>;

/**
 * The order body as the API validates it: `choices` names exactly the checkout choices the app offers (their fields
 * come from the manifests), each optional, and refuses any other key (400), so the OpenAPI document lists them,
 * each with the label and notice a client must show with its box (a field left out counts as not offered).
 */
export function placeOrderInputOffering(
  offered: readonly (string | Pick<CheckoutChoice, 'field' | 'label' | 'notice'>)[],
) {
  const choices: Record<string, ReturnType<typeof optionalBoolean>> = Object.fromEntries(
    offered.map((c) =>
      typeof c === 'string'
        ? [c, optionalBoolean()]
        : [
            c.field,
            optionalBoolean(
              `Box: “${c.label.en}”. Show it unticked, with this notice, before the order: “${c.notice.en}” ` +
                'true = ticked, false = shown and left unticked. Left out, the box counts as not offered: nothing ' +
                'is recorded for it (no objection, no consent) and it enrols nobody.',
            ),
          ],
    ),
  );
  return Type.Object(
    {
      ...PlaceOrderInput.properties,
      choices: Type.Optional(
        Type.Object(choices, {
          additionalProperties: false,
          description:
            'The checkout choices by field, each a box to show with its notice: true = ticked, false = shown and ' +
            'left unticked; a field left out was not offered and counts for nothing; an unknown field is refused (400).',
        }),
      ),
    },
    { additionalProperties: false },
  );
}

const optionalBoolean = (description?: string) =>
  Type.Optional(Type.Boolean(description === undefined ? {} : { description }));

const basketEmpty = () =>
  new AppError(400, 'basket_empty', { en: 'Your basket is empty.', de: 'Ihr Warenkorb ist leer.' });
const notOnSale = (title: string) =>
  new AppError(409, 'product_not_available', {
    en: `${title} is no longer available; it was left out of your basket. Please check your order again.`,
    de: `${title} ist nicht mehr erhältlich und wurde aus Ihrem Warenkorb genommen. Bitte prüfen Sie Ihre Bestellung erneut.`,
  });
const outOfStock = (title: string) =>
  new AppError(409, 'out_of_stock', {
    en: `${title} is no longer available in the quantity you chose.`,
    de: `${title} ist in der gewählten Menge nicht mehr verfügbar.`,
  });
/** Where a customer asks for a person to review a declined credit check (the credit feature's page). */
export const DECISION_REVIEW_PATH = '/account/decision-review';
/**
 * Art. 22(3) GDPR: after an automated refusal, the way to a person, one's view and contest (decision 0026). The
 * API answer carries the page as `error.links.review`; the checkout page shows it as a link.
 */
const reviewRoute = {
  en: 'You may also ask for a person on our staff to review this automated decision, state your point of view and contest it.',
  de: 'Sie können außerdem verlangen, dass eine Person aus unserem Team diese automatisierte Entscheidung überprüft, Ihren Standpunkt darlegen und die Entscheidung anfechten.',
};
const reviewLinks = (baseUrl: string) => ({ review: `${baseUrl}${DECISION_REVIEW_PATH}` });
/**
 * The agency declined: the same answer whatever its reason, which is never shown, in no language (issue 10: the
 * German answer carries no English reason); with the way to a human review.
 */
const invoiceNotAvailable = (baseUrl: string) =>
  new AppError(
    422,
    'invoice_not_available',
    {
      en: `We cannot offer payment on invoice for this order. No order was placed. Please choose another payment method. ${reviewRoute.en}`,
      de: `Für diese Bestellung können wir keine Zahlung auf Rechnung anbieten. Es wurde keine Bestellung angelegt. Bitte wählen Sie eine andere Zahlungsart. ${reviewRoute.de}`,
    },
    {},
    {},
    reviewLinks(baseUrl),
  );
/** A card or wallet order refused by a configured credit check (CREDIT_CHECK_METHODS), before anything was charged. */
const methodNotAvailable = (method: PaymentMethod, baseUrl: string) => {
  const how = paymentMethodNames[method].by;
  return new AppError(
    422,
    'payment_method_not_available',
    {
      en: `We cannot offer payment ${how.en} for this order. No order was placed and nothing was charged. Please choose another payment method. ${reviewRoute.en}`,
      de: `Für diese Bestellung können wir keine Zahlung ${how.de} anbieten. Es wurde keine Bestellung angelegt und nichts belastet. Bitte wählen Sie eine andere Zahlungsart. ${reviewRoute.de}`,
    },
    {},
    {},
    reviewLinks(baseUrl),
  );
};
/**
 * The day's allowance of checks (of the account, or of the billing name and address) is used up: no check was
 * made, so there is nothing to review; the customer can try again after a day or pay another way. Its own code and
 * message (decision 0026): that no check was made says nothing of anyone's creditworthiness, and attack finding F3
 * stays answered, as a passed check still always becomes a placed order and every decline reads the same.
 */
const checkAllowanceUsedUp = (method: PaymentMethod) => {
  const how = paymentMethodNames[method].by;
  return new AppError(422, 'credit_check_limit_reached', {
    en: `We could not check today whether we can offer payment ${how.en} for this order: the number of checks a day for this account or for this billing name and address has been reached. No check was made and no order was placed${method === 'invoice' ? '' : ', nothing was charged'}. Please try again in a day, or choose another payment method.`,
    de: `Wir konnten heute nicht prüfen, ob wir für diese Bestellung die Zahlung ${how.de} anbieten können: Die Zahl der Prüfungen pro Tag für dieses Kundenkonto oder für diesen Rechnungsnamen und diese Anschrift ist erreicht. Es wurde keine Prüfung durchgeführt und keine Bestellung angelegt${method === 'invoice' ? '' : ', nichts wurde belastet'}. Bitte versuchen Sie es in einem Tag erneut oder wählen Sie eine andere Zahlungsart.`,
  });
};
export const paymentDeclined = () =>
  new AppError(402, 'payment_declined', {
    en: 'The payment was declined. Nothing was charged and the order was not placed; please use another card or payment method.',
    de: 'Die Zahlung wurde abgelehnt. Nichts wurde belastet und die Bestellung nicht aufgegeben; bitte verwenden Sie eine andere Karte oder Zahlungsart.',
  });
const tokenInvalid = () =>
  new AppError(
    400,
    'payment_token_invalid',
    {
      en: 'This payment token is unknown, was already used or belongs to someone else.',
      de: 'Dieses Zahlungs-Token ist unbekannt, wurde schon verwendet oder gehört jemand anderem.',
    },
    {
      'payment.token': { en: 'Get a new token.', de: 'Holen Sie ein neues Token.' },
    },
  );
const tokenRequired = () =>
  new AppError(
    400,
    'invalid_input',
    { en: 'A card payment needs a payment token.', de: 'Eine Kartenzahlung braucht ein Zahlungs-Token.' },
    { 'payment.token': { en: 'Missing token.', de: 'Token fehlt.' } },
  );

const idempotencyKeyReused = () =>
  new AppError(422, 'idempotency_key_reused', {
    en: 'This Idempotency-Key was already used for a different order request. Send a new key for a new order, or repeat the earlier request unchanged.',
    de: 'Dieser Idempotency-Key wurde schon für eine andere Bestellanfrage verwendet. Senden Sie für eine neue Bestellung einen neuen Key oder wiederholen Sie die frühere Anfrage unverändert.',
  });

/**
 * The addresses of an order, every problem of both at once into `fields`: the shipping address only when one is
 * given (the checkout form leaves it out unless "ship to a different address" is chosen).
 */
export function checkOrderAddresses(
  operator: Operator,
  input: { billingAddress: Partial<Address>; shippingAddress?: Partial<Address> | undefined },
  fields: Record<string, Text>,
): { billing: Address; shipping: Address } {
  const billing = checkAddress('billingAddress', input.billingAddress, operator, fields);
  const shipping = input.shippingAddress
    ? checkAddress('shippingAddress', input.shippingAddress, operator, fields)
    : billing;
  return { billing, shipping };
}

/** A line's VAT: the rate of its country (goods: where shipped; digital goods: the billing country). */
function lineVat(operator: Operator, kind: string, billing: Address, shipping: Address) {
  const country = vatCountryOfLine(kind, billing.country, shipping.country);
  return { vatRate: vatRateFor(operator, country), vatCountry: country };
}

/** JSON with object keys sorted at every level, so that equal requests serialise equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What an Idempotency-Key is bound to: the route (method and path), the customer and the body. */
export function hashOrderRequest(route: string, userId: string, body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson({ route, customer: userId, body }))
    .digest('hex');
}

function newOrderNumber(now: number): string {
  return `${new Date(now).getUTCFullYear()}-${randomBytes(5).toString('hex').toUpperCase()}`;
}

export function withHistory(order: OrdersTable, status: OrderStatus, at: number): Partial<OrdersTable> {
  const history = JSON.parse(order.history) as { status: OrderStatus; at: number }[];
  return { status, updated_at: at, history: JSON.stringify([...history, { status, at }]) };
}

/** The earlier order under this key answers a repeat of the same request; another request under it is refused. */
function sameRequest(earlier: OrdersTable, requestHash: string): OrdersTable {
  if (earlier.request_hash !== null && earlier.request_hash !== requestHash) throw idempotencyKeyReused();
  return earlier;
}

/**
 * Places an order from the basket. Invoice orders are checked and `invoiced` at once; card and wallet orders are
 * `pending_payment` with their stock reserved until the provider's answer settles them (see settlePayment).
 * With `hosted`, a card order is left pending for the provider's payment page.
 */
export async function placeOrder(
  deps: PlaceDeps,
  viewer: Viewer,
  lang: Lang,
  input: PlaceOrderInput,
  idempotencyKey: string,
  requestHash: string,
  options: {
    hosted?: boolean;
    requireConsents?: boolean;
    fieldProblems?: Record<string, Text>;
    /** The checkout choices the app offers (app.checkoutChoices): each one's onOrderPlaced runs in the order's transaction. */
    choices?: OfferedChoices;
  } = {},
): Promise<OrdersTable> {
  const earlier = await q.findOrderByIdempotencyKey(deps.db, viewer.userId, idempotencyKey);
  if (earlier) return answerFor(sameRequest(earlier, requestHash));
  // A real operator takes no order before its terms and withdrawal policy are published (503, both languages).
  await requireLegalTextsForOrders(deps);

  // Problems the caller found in what it checks itself (the checkout form's payment method) join this one answer.
  const fields: Record<string, Text> = { ...options.fieldProblems };
  const { billing, shipping } = checkOrderAddresses(deps.config.operator, input, fields);
  // The basket first: the consents the checkout requires depend on what is in it (all errors in one pass).
  const basket = await viewBasket(deps, { userId: viewer.userId }, lang);
  const consents = input.consents ?? {};
  const kinds = basket.items.map((i) => i.kind);
  if (options.requireConsents) Object.assign(fields, checkoutConsentProblems(consents, kinds));
  const offered = options.choices?.offered ?? [];
  const unknownChoice = Object.keys(input.choices ?? {}).find((k) => !offered.some((c) => c.field === k));
  if (unknownChoice !== undefined)
    fields[`choices.${unknownChoice}`] = {
      en: 'This choice is not offered.',
      de: 'Diese Auswahl wird nicht angeboten.',
    };
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
  if (basket.items.length === 0) throw basketEmpty();
  const bundleContents = await listBundleContents(
    deps.db,
    basket.items.filter((i) => i.kind === 'bundle').map((i) => i.productId),
  );
  const lines: OrderLine[] = basket.items.map((i) => ({
    productId: i.productId,
    slug: i.slug,
    kind: i.kind,
    title: i.title,
    quantity: i.quantity,
    unitCents: i.unitCents,
    lineCents: i.lineCents,
    // VAT by destination (decision 0031): the gross price stays, the VAT inside it is the destination's.
    ...lineVat(deps.config.operator, i.kind, billing, shipping),
    ...(i.kind === 'bundle'
      ? {
          contents: bundleContents
            .filter((c) => c.bundle_id === i.productId)
            .map((c) => ({ productId: c.id, kind: c.kind, title: productTitle(c, lang) })),
        }
      : {}),
  }));

  const method = input.payment.method;
  // A card order over the API brings a token from the provider; the checkout page gets one later, on return
  // from the provider's hosted payment page.
  if (method === 'card' && !input.payment.token && !options.hosted) throw tokenRequired();
  await supersedePendingOrders(deps, viewer.userId, lang);

  const now = deps.clock.now();
  const legalVersions = consents.terms ? await legalVersionsToRecord(deps.db) : null;
  // An invoice order, too, holds its stock as pending while the agency is asked (decideInvoiceOrder).
  const status: OrderStatus = 'pending_payment';
  const order: OrdersTable = {
    id: randomUUID(),
    number: newOrderNumber(now),
    user_id: viewer.userId,
    status,
    lines: JSON.stringify(lines),
    billing: JSON.stringify(billing),
    shipping: JSON.stringify(shipping),
    payment_method: method,
    // A payment token is single-use and the provider's business: the order never keeps one (decision 0028).
    card_brand: null,
    card_last4: null,
    card_exp_month: null,
    payment_reference: null,
    total_cents: basket.totalCents,
    // Shipping, when charged, is part of the supply of the goods: their country's VAT (decision 0031).
    vat_cents: vatOfLines([
      ...lines,
      ...(basket.shippingCents > 0
        ? [{ lineCents: basket.shippingCents, ...lineVat(deps.config.operator, 'hardware', billing, shipping) }]
        : []),
    ]),
    vat_country: billing.country,
    currency: 'EUR',
    idempotency_key: idempotencyKey,
    request_hash: requestHash,
    history: JSON.stringify([{ status, at: now }]),
    payment_failed_at: null,
    legal_versions: legalVersions ? JSON.stringify(legalVersions) : null,
    terms_accepted_at: consents.terms ? now : null,
    digital_consent_at: consents.digitalContent && lines.some((l) => isDigitalKind(l.kind)) ? now : null,
    carrier: null,
    tracking_number: null,
    invoice_paid_on: null,
    invoice_paid_reference: null,
    restricted_at: null,
    created_at: now,
    updated_at: now,
  };

  try {
    await deps.db.transaction().execute(async (trx) => {
      await q.insertOrder(trx, order);
      faultPoint('orders.after-order-row');
      // A product taken off sale (draft, archived) after the basket was read is not sold: the whole order stops.
      const ids = lines.map((l) => l.productId);
      const onSale = new Set((await findProductsByIds(trx, ids)).filter((p) => p.status === 'active').map((p) => p.id));
      const gone = lines.find((l) => !onSale.has(l.productId));
      if (gone) throw notOnSale(gone.title);
      for (const line of lines) {
        const stocked = basket.items.find((i) => i.productId === line.productId)?.stock !== null;
        if (stocked && !(await reserveStock(trx, line.productId, line.quantity))) throw outOfStock(line.title);
      }
      faultPoint('orders.after-stock-reserved');
      // The checkout choices (issue 13), with the order: a rolled-back order enrols or records nothing.
      if (offered.length > 0) {
        const user = await findUserById(trx, viewer.userId);
        for (const choice of offered)
          await choice.onOrderPlaced(options.choices!.deps, {
            db: trx,
            userId: viewer.userId,
            email: user?.email ?? '',
            lang,
            orderId: order.id,
            checked: input.choices?.[choice.field] === true,
            // The page's form sends every offered field; an API order only those it names (key present = offered).
            offered: input.choices?.[choice.field] !== undefined,
          });
      }
    });
  } catch (err) {
    // The same key at the same moment: the other request made the order; answer with it.
    if (isUniqueViolation(err)) {
      const twin = await q.findOrderByIdempotencyKey(deps.db, viewer.userId, idempotencyKey);
      if (twin) return answerFor(sameRequest(twin, requestHash));
    }
    throw err;
  }
  faultPoint('orders.after-commit');
  if (method === 'invoice') return decideInvoiceOrder(deps, order, lines, billing, shipping, lang);
  // A configured check of a card or wallet order runs before the charge and before the provider's page.
  if (deps.config.creditCheckMethods.includes(method)) await checkBeforeCharge(deps, order, billing);
  if (method === 'card' && options.hosted) return order;
  // Should the process die here, the order stays pending_payment and orders.reconcile-payments settles it.
  const charged = await deps.payments.charge({
    method,
    token: input.payment.token,
    customerRef: viewer.userId,
    amountCents: order.total_cents,
    currency: 'EUR',
    idempotencyKey: order.id,
  });
  faultPoint('orders.after-charge');
  const settled = await settlePayment(deps, order, charged, lang);
  faultPoint('orders.after-settle');
  return settled;
}

/**
 * The checkout form's order: placed like placeOrder; a card order then goes to the provider's hosted payment
 * page, which sends the customer back to /checkout/return with a single-use token. A resubmitted form (the same
 * key) starts a new page for the same pending order.
 */
export async function placeCheckoutOrder(
  deps: PlaceDeps,
  viewer: Viewer,
  lang: Lang,
  input: PlaceOrderInput,
  idempotencyKey: string,
  requestHash: string,
  fieldProblems: Record<string, Text> = {},
  choices?: OfferedChoices,
): Promise<{ order: OrdersTable; paymentPage?: string }> {
  // The checkout form: terms accepted, and the § 356(5) BGB consent for digital content, or nothing is placed.
  const order = await placeOrder(deps, viewer, lang, input, idempotencyKey, requestHash, {
    hosted: true,
    requireConsents: true,
    fieldProblems,
    choices,
  });
  if (order.status !== 'pending_payment' || order.payment_method !== 'card') return { order };
  const started = await deps.payments.startHostedPayment({
    orderRef: order.id,
    customerRef: viewer.userId,
    amountCents: order.total_cents,
    currency: 'EUR',
    returnUrl: `${deps.config.baseUrl}/checkout/return?order=${encodeURIComponent(order.id)}`,
  });
  return { order, paymentPage: started.redirectUrl };
}

/** An order's answer to a repeated request: a failed payment stays a failed payment. */
function answerFor(order: OrdersTable): OrdersTable {
  if (order.status === 'payment_failed') throw paymentDeclined();
  return order;
}

/** A check's outcome: passed (or approved after a review), declined by the agency, or not made (allowance). */
type CheckOutcome = 'passed' | 'declined' | 'not_checked';

/**
 * The credit check runs only here, as part of an order with a checked method (CREDIT_CHECK_METHODS, default
 * invoice only), at most `creditChecksPerDay` times a day per customer and per billing name and address across all
 * accounts (so new accounts cannot probe a stranger); its answer decides, but is never shown (see
 * invoiceNotAvailable); 'not_checked' when the allowance is used up and the agency was not asked. An approval after
 * a human review (decision 0026) passes one order without asking the agency; the order holds it, and gives it back
 * when it fails or is withdrawn unpaid (failPayment, withdrawPendingOrder).
 */
async function creditCheckOutcome(deps: PlaceDeps, order: OrdersTable, billing: Address): Promise<CheckOutcome> {
  const { user_id: userId, total_cents: amountCents, payment_method: method } = order;
  if (await useCreditApproval(deps, userId, order.id, billing, method, amountCents)) return 'passed';
  if (!(await reserveCreditCheck(deps, userId, billing))) return 'not_checked';
  const answer = await runCreditCheck(deps, userId, {
    name: billing.name,
    street: billing.street,
    postalCode: billing.postalCode,
    city: billing.city,
    country: billing.country,
    amountCents,
    method,
  });
  return answer.decision === 'approved' ? 'passed' : 'declined';
}

/** A refusal as the outcome of the check calls for it: declined (review offered) or not checked (allowance). */
function refusal(deps: PlaceDeps, outcome: Exclude<CheckOutcome, 'passed'>, method: PaymentMethod): AppError {
  if (outcome === 'not_checked') return checkAllowanceUsedUp(method);
  return method === 'invoice'
    ? invoiceNotAvailable(deps.config.baseUrl)
    : methodNotAvailable(method, deps.config.baseUrl);
}

/** A card or wallet order under a configured check: refused → removed with its stock back, nothing charged. */
async function checkBeforeCharge(deps: PlaceDeps, order: OrdersTable, billing: Address): Promise<void> {
  let outcome: CheckOutcome;
  try {
    outcome = await creditCheckOutcome(deps, order, billing);
  } catch (err) {
    await withdrawPendingOrder(deps, order);
    throw err;
  }
  if (outcome === 'passed') return;
  await withdrawPendingOrder(deps, order);
  throw refusal(deps, outcome, order.payment_method);
}

/**
 * The second half of an invoice order, after its stock is reserved: so a stock failure never reaches the agency,
 * and an answer never tells a passed check apart from a placed order (attack finding F3). Passed → invoiced and
 * confirmed; refused (or the agency failed) → the order row is removed and its stock goes back.
 */
async function decideInvoiceOrder(
  deps: PlaceDeps,
  order: OrdersTable,
  lines: OrderLine[],
  billing: Address,
  shipping: Address,
  lang: Lang,
): Promise<OrdersTable> {
  let outcome: CheckOutcome;
  try {
    // Unchecked when the operator left invoice out of CREDIT_CHECK_METHODS.
    outcome = !deps.config.creditCheckMethods.includes('invoice')
      ? 'passed'
      : await creditCheckOutcome(deps, order, billing);
  } catch (err) {
    await withdrawPendingOrder(deps, order);
    throw err;
  }
  if (outcome !== 'passed') {
    await withdrawPendingOrder(deps, order);
    throw refusal(deps, outcome, 'invoice');
  }
  const invoiced = await deps.db.transaction().execute(async (trx) => {
    const at = deps.clock.now();
    const changes = {
      status: 'invoiced' as const,
      history: withHistory(order, 'invoiced', at).history as string,
      updated_at: at,
      payment_reference: null,
      card_brand: null,
      card_last4: null,
      card_exp_month: null,
    };
    // Only while still pending and unrestricted: an erasure request or the reconcile job may have ended it.
    if (!(await q.settlePendingOrder(trx, order.id, changes))) return undefined;
    const placed: OrdersTable = { ...order, ...changes };
    await confirm(deps, trx, placed, lines, shipping, lang);
    return placed;
  });
  if (invoiced) return invoiced;
  await failPayment(deps, order); // restricted meanwhile: failed like any pending order, stock back
  throw invoiceNotAvailable(deps.config.baseUrl); // as a decline (F3): never a passed check without an order
}

/**
 * An order that never became one: removed with its stock back and any credit approval it used given back; no-op
 * when it is no longer pending.
 */
async function withdrawPendingOrder(deps: Pick<Deps, 'db'>, order: OrdersTable): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await q.deletePendingOrder(trx, order.id))) return;
    await releaseCreditApproval(trx, order.id);
    for (const line of JSON.parse(order.lines) as OrderLine[]) await releaseStock(trx, line.productId, line.quantity);
  });
}

/**
 * One pending payment per customer (decision 0015), so that repeated checkouts cannot lock up stock (attack
 * finding F4): before a new order, each earlier pending card or wallet order is settled by what the provider says
 * (charged → paid), or else fails with its stock back; its payment page can then charge nothing. Pending invoice
 * orders are mid-credit-check and decided by their own request.
 */
async function supersedePendingOrders(deps: SettleDeps, userId: string, lang: Lang): Promise<void> {
  for (const earlier of await q.listPendingOrdersOfUser(deps.db, userId)) {
    if (earlier.payment_method === 'invoice') continue;
    const found = await deps.payments.findCharge(earlier.id);
    if (found.status === 'succeeded') await settlePayment(deps, earlier, found, lang).catch(() => undefined);
    else await failPayment(deps, earlier);
  }
}

/**
 * Whether the checkout offers invoice: when invoice is not credit-checked, while this customer may still cause a
 * check today, or while they hold an approval from a human review.
 */
export async function isInvoiceOffered(deps: Pick<Deps, 'db' | 'clock' | 'config'>, userId: string): Promise<boolean> {
  if (!deps.config.creditCheckMethods.includes('invoice')) return true;
  return (await accountHasCreditChecksLeft(deps, userId)) || hasCreditApproval(deps, userId, 'invoice');
}

/**
 * Applies the provider's answer to a pending order, once: paid (confirmation, invoice, licences) or
 * payment_failed (stock back, basket kept). Only a pending order changes, so the reconcile job and a late return
 * from the payment page cannot both settle it; money taken for an order that failed meanwhile is refunded.
 */
export async function settlePayment(
  deps: SettleDeps,
  order: OrdersTable,
  result: ChargeLookup,
  lang: Lang,
): Promise<OrdersTable> {
  if (result.status === 'none') return order;
  if (result.status === 'declined') {
    const failed = await failPayment(deps, order);
    if (failed.status !== 'payment_failed') return failed;
    if (result.reason === 'unknown_token' || result.reason === 'token_used') throw tokenInvalid();
    throw paymentDeclined();
  }
  const settled = await deps.db.transaction().execute(async (trx) => {
    const at = deps.clock.now();
    const changes = {
      status: 'paid' as const,
      history: withHistory(order, 'paid', at).history as string,
      updated_at: at,
      payment_reference: result.reference,
      card_brand: result.card?.brand ?? null,
      card_last4: result.card?.last4 ?? null,
      card_exp_month: result.card?.expMonth ?? null,
    };
    // Only the payment columns, and only while pending and unrestricted (an erasure request wins).
    if (!(await q.settlePendingOrder(trx, order.id, changes))) return undefined;
    const paid: OrdersTable = { ...order, ...changes, restricted_at: null };
    await confirm(deps, trx, paid, JSON.parse(order.lines) as OrderLine[], JSON.parse(order.shipping) as Address, lang);
    return paid;
  });
  if (settled) return settled;
  let current = (await q.findOrderById(deps.db, order.id)) as OrdersTable;
  // The person asked for erasure while the payment was under way: no invoice, licences or hand-off; money back.
  if (current.status === 'pending_payment' && current.restricted_at !== null)
    current = await failPayment(deps, current);
  if (current.status === 'payment_failed') {
    // One key per order: a second return from the payment page (or the reconcile job) never refunds twice.
    await deps.payments.refund(result.reference, order.total_cents, `payment-failed:${order.id}`);
    throw paymentDeclined();
  }
  return current;
}

/**
 * pending_payment → payment_failed with the stock back, and a credit approval the order used given back (it was
 * granted for a payment, not an attempt: decision 0026); no-op when the order is no longer pending.
 */
async function failPayment(deps: Pick<Deps, 'db' | 'clock'>, order: OrdersTable): Promise<OrdersTable> {
  return deps.db.transaction().execute(async (trx) => {
    const at = deps.clock.now();
    const changes = { ...withHistory(order, 'payment_failed', at), payment_failed_at: at };
    if (!(await q.updateOrderIfStatus(trx, order.id, 'pending_payment', changes)))
      return (await q.findOrderById(trx, order.id)) as OrdersTable;
    await releaseCreditApproval(trx, order.id);
    for (const line of JSON.parse(order.lines) as OrderLine[]) await releaseStock(trx, line.productId, line.quantity);
    return { ...order, ...changes };
  });
}

/**
 * The customer's return from the hosted payment page, a GET that anyone can cause (a link, a prefetch): it
 * changes an order only on what the provider confirms. A token that is forged, someone else's or used changes
 * nothing; without a token the provider is asked (a cancellation on its page, a form post, counts); otherwise
 * the order stays pending for orders.reconcile-payments.
 */
export async function completeHostedPayment(
  deps: SettleDeps,
  viewer: Viewer,
  orderId: string,
  token: string | undefined,
  lang: Lang,
): Promise<OrdersTable> {
  const order = await q.findOrderOfUser(deps.db, viewer.userId, orderId);
  if (!order || order.payment_method !== 'card') throw errors.notFound();
  if (order.status !== 'pending_payment') return answerFor(order);
  if (token === undefined) {
    const found = await deps.payments.findCharge(order.id);
    if (found.status === 'declined' && found.reason === 'cancelled') {
      await failPayment(deps, order);
      throw paymentCancelled();
    }
    return found.status === 'none' ? order : settlePayment(deps, order, found, lang);
  }
  const result = await deps.payments.charge({
    method: 'card',
    token,
    customerRef: viewer.userId,
    amountCents: order.total_cents,
    currency: 'EUR',
    idempotencyKey: order.id,
  });
  if (result.status === 'declined' && (result.reason === 'unknown_token' || result.reason === 'token_used'))
    throw tokenInvalid();
  return settlePayment(deps, order, result, lang);
}

const paymentCancelled = () =>
  new AppError(402, 'payment_cancelled', {
    en: 'The payment was cancelled. Nothing was charged and the order was not placed; your basket is unchanged.',
    de: 'Die Zahlung wurde abgebrochen. Nichts wurde belastet und die Bestellung nicht aufgegeben; Ihr Warenkorb ist unverändert.',
  });

/** How long an order may wait for its payment before it counts as failed and its stock goes back. */
export const PAYMENT_TIMEOUT_MS = 30 * MINUTE;

/**
 * Job orders.reconcile-payments: asks the provider about every pending order. Charged → paid; declined, restricted
 * by an erasure request, or nothing charged after PAYMENT_TIMEOUT_MS → payment_failed with the stock back (a
 * restricted order's charge is refunded). Idempotent.
 */
export async function reconcilePayments(
  deps: SettleDeps & Pick<Deps, 'log'>,
): Promise<{ paid: number; failed: number }> {
  const counts = { paid: 0, failed: 0 };
  for (const order of await q.listOrdersInStatus(deps.db, 'pending_payment', 500)) {
    const found = await deps.payments.findCharge(order.id);
    if (found.status === 'succeeded') {
      const user = await findUserById(deps.db, order.user_id);
      const settled = await settlePayment(deps, order, found, user?.lang === 'de' ? 'de' : 'en').catch(
        (err: unknown) => {
          deps.log.warn(
            { orderId: order.id, err: (err as Error).message },
            'orders.reconcile-payments could not settle an order',
          );
          return undefined;
        },
      );
      if (settled?.status === 'paid') counts.paid++;
    } else if (
      found.status === 'declined' ||
      order.restricted_at !== null ||
      order.created_at < deps.clock.now() - PAYMENT_TIMEOUT_MS
    ) {
      // A restricted (erased) person's order is never settled: it fails at once and its stock goes back.
      if ((await failPayment(deps, order)).status === 'payment_failed') counts.failed++;
    }
  }
  return counts;
}

async function confirm(
  deps: Pick<Deps, 'clock' | 'config' | 'dataMap'>,
  trx: Deps['db'],
  order: OrdersTable,
  lines: OrderLine[],
  shipping: Address,
  lang: Lang,
): Promise<void> {
  await clearBasketOfUser(trx, order.user_id, deps.clock.now());
  await issueInvoice(trx, deps.clock, { id: order.id, userId: order.user_id });
  await issueLicences(trx, deps.clock.now(), { id: order.id, userId: order.user_id, lines });
  const parcel = lines.filter((l) => l.kind === 'hardware');
  if (parcel.length > 0) {
    // The whole order goes in; the gate lets through only what the data map allows the delivery company.
    await disclose(deps, trx, {
      activity: 'orders.purchase',
      recipient: 'delivery-company',
      userId: order.user_id,
      payload: {
        orderNumber: order.number,
        ...shipping,
        items: parcel,
        total: order.total_cents,
        paymentMethod: order.payment_method,
      },
    });
  }
  const user = await findUserById(trx, order.user_id);
  if (!user) return;
  // After the invoice and the licences: it carries the keys and the invoice; its copy is kept as a business letter.
  await sendOrderConfirmation(deps, trx, order, user.email, lang);
}

export async function getOrder(deps: Pick<Deps, 'db'>, userId: string, id: string): Promise<OrdersTable> {
  const order = await q.findOrderOfUser(deps.db, userId, id);
  // A failed payment is shown only on the checkout, as an attempt; it never became an order.
  if (!order || order.restricted_at !== null || order.status === 'payment_failed') throw errors.notFound();
  return order;
}

/** The customer's order history: without orders whose payment is pending or failed. */
export async function listOrders(deps: Pick<Deps, 'db'>, userId: string): Promise<OrdersTable[]> {
  return q.listOrdersOfUser(deps.db, userId);
}

/** What the checkout shows about recent payment attempts: pending ones and failures of the last day. */
export async function listPaymentAttempts(deps: Pick<Deps, 'db' | 'clock'>, userId: string): Promise<OrdersTable[]> {
  return q.listPaymentAttemptsOfUser(deps.db, userId, deps.clock.now() - DAY);
}

/**
 * The order lifecycle staff may drive; everything else is refused. pending_payment and payment_failed belong to
 * the payment (placeOrder, the return from the payment page, orders.reconcile-payments), not to staff.
 */
export const TRANSITIONS: Record<OrderStatus, OrderStatus[]> = {
  pending_payment: [],
  payment_failed: [],
  invoiced: ['paid'],
  // A paid order of downloads alone is delivered already: staff may mark it completed at once.
  paid: ['shipped', 'completed'],
  shipped: ['completed'],
  completed: [],
  cancelled: [],
  refunded: [],
};

/** Goods go out only through the ship action (orders.shipping.ts): carrier, tracking number, serials and the mail. */
const shipWithTracking = () =>
  new AppError(409, 'ship_with_tracking', {
    en: 'An order with hardware is shipped with the ship form: carrier, tracking number and the serial number of every unit.',
    de: 'Eine Bestellung mit Hardware wird über das Versandformular versandt: Versanddienstleister, Sendungsnummer und die Seriennummer jedes Geräts.',
  });

/**
 * Steps an order along TRANSITIONS. Cancelling and refunding are not steps here: they go only through their
 * confirmation pages (order-page.service.ts), which revoke licences and move money exactly once.
 */
export async function changeOrderStatus(
  deps: Pick<Deps, 'db' | 'clock'>,
  orderId: string,
  to: OrderStatus,
): Promise<OrdersTable> {
  return deps.db.transaction().execute(async (trx) => {
    const order = await q.findOrderById(trx, orderId);
    if (!order || order.restricted_at !== null) throw errors.notFound();
    if (!TRANSITIONS[order.status].includes(to)) {
      throw new AppError(409, 'invalid_transition', {
        en: `An order with the status “${statusNames[order.status].en}” cannot be changed to “${statusNames[to].en}”.`,
        de: `Eine Bestellung im Status „${statusNames[order.status].de}“ kann nicht auf „${statusNames[to].de}“ geändert werden.`,
      });
    }
    // A unit leaves the warehouse with its serial number on record, so that its buyer (and only they) can register it.
    // Hardware is completed only after it was shipped.
    if ((to === 'shipped' || (to === 'completed' && order.status === 'paid')) && countHardwareUnits(order) > 0)
      throw shipWithTracking();
    const changes = withHistory(order, to, deps.clock.now());
    if (!(await q.updateOrderIfStatus(trx, order.id, order.status, changes)))
      throw new AppError(409, 'order_changed', {
        en: 'The order was changed meanwhile; reload and try again.',
        de: 'Die Bestellung wurde inzwischen geändert; bitte neu laden.',
      });
    return { ...order, ...changes };
  });
}

/**
 * The voluntary phone number of the order's customer, for staff to call about the order (its purpose in the
 * account's data map); null when none is given or the account is gone.
 */
export async function findCustomerPhone(deps: Pick<Deps, 'db'>, order: OrdersTable): Promise<string | null> {
  return (await findUserById(deps.db, order.user_id))?.phone ?? null;
}

export async function getOrderForStaff(deps: Pick<Deps, 'db'>, id: string): Promise<OrdersTable> {
  const order = await q.findOrderById(deps.db, id);
  // Restricted orders are kept for the law only; staff do not work with them.
  if (!order || order.restricted_at !== null) throw errors.notFound();
  return order;
}
