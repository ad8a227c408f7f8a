// Orders API and pages: checkout, order history, one order.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { requireRole, requireVerifiedEmail, requireViewer } from '../../platform/http/context.ts';
import { sendPage } from '../../platform/http/reply.ts';
import { viewBasket } from '../basket/index.ts';
import { findInvoiceByOrderId, renderInvoicePdf } from '../invoices/index.ts';
import { listLicencesOfOrder } from '../licences/index.ts';
import { paymentMethodNames } from './orders.emails.ts';
import { pageContext } from '../shell/index.ts';
import { checkoutPage, orderPage, ordersPage, type CheckoutState, type CheckoutValues } from './orders.pages.ts';
import { changeOrderStatus, completeHostedPayment, creditChecksLeftToday, getOrder, getOrderForStaff, hashOrderRequest, listOrders, listOrdersForStaff, listPaymentAttempts, placeCheckoutOrder, placeOrder, TRANSITIONS, type PlaceOrderInput } from './orders.service.ts';
import { staffOrderPage, staffOrdersPage } from './orders.staff-pages.ts';
import { serialsSection } from './serials.pages.ts';
import { listOrderSerialSlots } from './serials.service.ts';
import type { Address, OrderLine, OrdersTable, OrderStatus } from './orders.tables.ts';

const errorRef = { $ref: 'candor-error#' };
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });
const addressSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'street', 'postalCode', 'city', 'country'],
  properties: { name: text(200), street: text(200), postalCode: text(12), city: text(100), country: text(2) },
};
const orderSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    number: { type: 'string' },
    status: { type: 'string' },
    items: { type: 'array', items: { type: 'object', properties: { productId: { type: 'string' }, title: { type: 'string' }, kind: { type: 'string' }, quantity: { type: 'integer' }, unitPrice: { type: 'string' }, lineTotal: { type: 'string' } } } },
    total: { type: 'object', properties: { amount: { type: 'string' }, currency: { type: 'string' }, vatIncluded: { type: 'string' } } },
    payment: { type: 'object', properties: { method: { type: 'string' }, brand: { type: ['string', 'null'] }, last4: { type: ['string', 'null'] } } },
    billingAddress: { type: 'object', additionalProperties: { type: 'string' } },
    shippingAddress: { type: 'object', additionalProperties: { type: 'string' } },
    history: { type: 'array', items: { type: 'object', properties: { status: { type: 'string' }, at: { type: 'string' } } } },
    createdAt: { type: 'string' },
  },
};
const euros = (cents: number) => (cents / 100).toFixed(2);

export function toApiOrder(o: OrdersTable) {
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    items: (JSON.parse(o.lines) as OrderLine[]).map((l) => ({ productId: l.productId, title: l.title, kind: l.kind, quantity: l.quantity, unitPrice: euros(l.unitCents), lineTotal: euros(l.lineCents) })),
    total: { amount: euros(o.total_cents), currency: o.currency, vatIncluded: euros(o.vat_cents) },
    payment: { method: o.payment_method, brand: o.card_brand, last4: o.card_last4 },
    billingAddress: JSON.parse(o.billing) as Address,
    shippingAddress: JSON.parse(o.shipping) as Address,
    history: (JSON.parse(o.history) as { status: string; at: number }[]).map((h) => ({ status: h.status, at: new Date(h.at).toISOString() })),
    createdAt: new Date(o.created_at).toISOString(),
  };
}

const missingKey = () =>
  new AppError(400, 'idempotency_key_required', {
    en: 'Send an Idempotency-Key header (8 to 100 characters) so that a repeated request cannot order twice.',
    de: 'Senden Sie einen Idempotency-Key-Header (8 bis 100 Zeichen), damit eine wiederholte Anfrage nicht doppelt bestellt.',
  });

export function registerOrderRoutes(app: FastifyInstance, deps: Deps): void {
  app.post(
    '/api/v1/orders',
    {
      schema: {
        summary: 'Place an order from my basket (send an Idempotency-Key header; reusing it with another body answers 422 idempotency_key_reused). A card payment needs a single-use token from the payment provider (test mode: POST /api/v1/test-payments/tokens)',
        tags: ['orders'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['billingAddress', 'payment'],
          properties: {
            billingAddress: addressSchema,
            shippingAddress: addressSchema,
            payment: { type: 'object', additionalProperties: false, required: ['method'], properties: { method: { type: 'string', enum: ['card', 'wallet', 'invoice'] }, token: text(100) } },
          },
        },
        response: { 201: orderSchema, 400: errorRef, 401: errorRef, 402: errorRef, 403: errorRef, 409: errorRef, 422: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireVerifiedEmail(request.viewer);
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || !/^[\x21-\x7e]{8,100}$/.test(key)) throw missingKey();
      const order = await placeOrder(deps, viewer, request.lang, request.body as PlaceOrderInput, key, hashOrderRequest('POST /api/v1/orders', viewer.userId, request.body));
      return reply.code(201).send(toApiOrder(order));
    },
  );

  app.get('/api/v1/orders', { schema: { summary: 'My orders', tags: ['orders'], response: { 200: { type: 'object', properties: { items: { type: 'array', items: orderSchema } } }, 401: errorRef } } }, async (request) => {
    const viewer = requireViewer(request.viewer);
    return { items: (await listOrders(deps, viewer.userId)).map(toApiOrder) };
  });

  app.get(
    '/api/v1/orders/:id',
    { schema: { summary: 'One of my orders', tags: ['orders'], params: { type: 'object', required: ['id'], properties: { id: text(64) } }, response: { 200: orderSchema, 401: errorRef, 404: errorRef } } },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      return toApiOrder(await getOrder(deps, viewer.userId, (request.params as { id: string }).id));
    },
  );

  // The invoice: its owner only (anyone else gets 404), in the order's language of the viewer.
  app.get(
    '/api/v1/orders/:id/invoice.pdf',
    { schema: { summary: 'The invoice of one of my orders, as PDF', tags: ['orders'], params: { type: 'object', required: ['id'], properties: { id: text(64) } }, response: { 401: errorRef, 404: errorRef } } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const order = await getOrder(deps, viewer.userId, (request.params as { id: string }).id);
      const invoice = await findInvoiceByOrderId(deps.db, order.id);
      if (!invoice) throw errors.notFound();
      const pdf = renderInvoicePdf(
        {
          number: invoice.number,
          issuedAt: invoice.issued_at,
          orderNumber: order.number,
          recipient: JSON.parse(order.billing) as Address,
          lines: JSON.parse(order.lines) as OrderLine[],
          totalCents: order.total_cents,
          vatCents: order.vat_cents,
          paymentMethod: paymentMethodNames[order.payment_method][request.lang],
        },
        deps.config.operator,
        request.lang,
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${invoice.number}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  // ---------------- pages ----------------

    const newFormKey = () => randomBytes(18).toString('base64url');

  const checkoutState = async (userId: string): Promise<CheckoutState> => ({
    testMode: deps.payments.testMode,
    invoiceOffered: await creditChecksLeftToday(deps, userId),
    attempts: await listPaymentAttempts(deps, userId),
  });

  app.get('/checkout', async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const basket = await viewBasket(deps, { userId: viewer.userId }, request.lang);
    if (basket.items.length === 0) return reply.redirect('/basket', 303);
    return sendPage(reply, checkoutPage(pageContext(request, deps), basket, newFormKey(), await checkoutState(viewer.userId)));
  });

  /** The checkout page again, with what went wrong. Card data never reaches Candor, so nothing of it is echoed. */
  const checkoutAgain = async (request: FastifyRequest, reply: FastifyReply, userId: string, err: AppError, values: CheckoutValues = {}) => {
    const basket = await viewBasket(deps, { userId }, request.lang);
    return sendPage(reply, checkoutPage(pageContext(request, deps), basket, newFormKey(), await checkoutState(userId), values, err.fields, err.text), err.status);
  };

  app.post('/checkout', { schema: { body: { type: 'object', additionalProperties: { type: 'string', maxLength: 200 } } } }, async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const form = request.body as CheckoutValues;
    const formKey = form.formKey && /^[A-Za-z0-9_-]{24}$/.test(form.formKey) ? form.formKey : newFormKey();
    const address = (prefix: string): Address => ({
      name: form[`${prefix}.name`] ?? '',
      street: form[`${prefix}.street`] ?? '',
      postalCode: form[`${prefix}.postalCode`] ?? '',
      city: form[`${prefix}.city`] ?? '',
      country: form[`${prefix}.country`] ?? '',
    });
    const method = form['payment.method'];
    try {
      if (method !== 'card' && method !== 'wallet' && method !== 'invoice') throw errors.invalid({ en: 'Choose a payment method.', de: 'Wählen Sie eine Zahlungsart.' }, { 'payment.method': { en: 'Choose one.', de: 'Wählen Sie eine.' } });
      const input: PlaceOrderInput = {
        billingAddress: address('billingAddress'),
        ...(form.shipToBilling === '1' ? {} : { shippingAddress: address('shippingAddress') }),
        payment: { method },
      };
      const { order, paymentPage } = await placeCheckoutOrder(deps, viewer, request.lang, input, `form:${formKey}`, hashOrderRequest('POST /checkout', viewer.userId, input));
      // Card: to the provider's hosted payment page; it sends the customer back with a single-use token.
      return reply.redirect(paymentPage ?? `/account/orders/${order.id}?placed=1`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 429) throw err;
      return checkoutAgain(request, reply, viewer.userId, err, form);
    }
  });

  app.get(
    '/checkout/return',
    { schema: { querystring: { type: 'object', required: ['order'], properties: { order: text(64), token: text(200), cancelled: { type: 'string', maxLength: 1 } } } } },
    async (request, reply) => {
      const viewer = requireVerifiedEmail(request.viewer);
      const query = request.query as { order: string; token?: string; cancelled?: string };
      try {
        // `cancelled` is only a hint: what counts is what the provider confirms (see completeHostedPayment).
        const order = await completeHostedPayment(deps, viewer, query.order, query.token, request.lang);
        // Still pending: the checkout lists the attempt as not confirmed yet.
        return reply.redirect(order.status === 'pending_payment' ? '/checkout' : `/account/orders/${order.id}?placed=1`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 429 || err.status === 404) throw err;
        return checkoutAgain(request, reply, viewer.userId, err);
      }
    },
  );

  const STAFF = ['staff', 'admin'] as ('staff' | 'admin')[];
  const statusParam = (raw: unknown): OrderStatus | undefined => (typeof raw === 'string' && raw in TRANSITIONS ? (raw as OrderStatus) : undefined);

  app.get('/staff/orders', async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const status = statusParam((request.query as Record<string, unknown>).status);
    return sendPage(reply, staffOrdersPage(pageContext(request, deps), await listOrdersForStaff(deps, status), status));
  });

  app.get('/staff/orders/:id', { schema: { params: { type: 'object', required: ['id'], properties: { id: text(64) } } } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const order = await getOrderForStaff(deps, (request.params as { id: string }).id);
    const ctx = pageContext(request, deps);
    return sendPage(reply, staffOrderPage(ctx, order, TRANSITIONS[order.status], undefined, serialsSection(ctx, order, await listOrderSerialSlots(deps, order))));
  });

  app.post('/staff/orders/:id/status', { schema: { params: { type: 'object', required: ['id'], properties: { id: text(64) } }, body: { type: 'object', additionalProperties: { type: 'string', maxLength: 100 } } } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const id = (request.params as { id: string }).id;
    const to = statusParam((request.body as Record<string, unknown>).status);
    try {
      if (!to) throw errors.invalid({ en: 'Choose a status.', de: 'Wählen Sie einen Status.' });
      await changeOrderStatus(deps, id, to);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
      const order = await getOrderForStaff(deps, id);
      return sendPage(reply, staffOrderPage(pageContext(request, deps), order, TRANSITIONS[order.status], err.text), err.status);
    }
    return reply.redirect(`/staff/orders/${id}`, 303);
  });

  app.get('/account/orders', async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    return sendPage(reply, ordersPage(pageContext(request, deps), await listOrders(deps, viewer.userId)));
  });

  app.get('/account/orders/:id', { schema: { params: { type: 'object', required: ['id'], properties: { id: text(64) } } } }, async (request: FastifyRequest, reply) => {
    const viewer = requireViewer(request.viewer);
    const order = await getOrder(deps, viewer.userId, (request.params as { id: string }).id);
    const licences = await listLicencesOfOrder(deps.db, order.id);
    return sendPage(reply, orderPage(pageContext(request, deps), order, (request.query as Record<string, string>).placed === '1', licences.map((l) => ({ key: l.licence_key, productId: l.product_id }))));
  });
}
