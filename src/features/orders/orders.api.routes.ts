// Orders API: place an order from the basket, my orders, one order, its invoice as PDF.
import Type, { type Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireVerifiedEmail, requireViewer } from '../../platform/http/context.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import { amountOfCents, amountRef, postalAddressRef, totalRef } from '../../shop/schemas.ts';
import type { Operator } from '../../platform/operator.ts';
import { invoicePaymentDetails } from '../invoices/index.ts';
import { orderInvoicePdf } from './orders.invoice.ts';
import { trackingOf } from './orders.shipping.ts';
import {
  getOrder,
  hashOrderRequest,
  listOrders,
  placeOrder,
  placeOrderInputOffering,
  type PlaceOrderInput,
} from './orders.service.ts';
import type { Address, OrderLine, OrdersTable } from './orders.tables.ts';

const OrderParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const ApiOrder = Type.Object({
  id: Type.String(),
  number: Type.String(),
  status: Type.String(),
  items: Type.Array(
    Type.Object({
      productId: Type.String(),
      title: Type.String(),
      kind: Type.String(),
      quantity: Type.Integer(),
      unitPrice: amountRef,
      lineTotal: amountRef,
      vatRate: Type.Number({ description: 'VAT rate in percent this line carries (of vatCountry; 0 outside the EU).' }),
      vatCountry: Type.String({ description: 'ISO 3166-1 code of the country whose VAT the line carries.' }),
    }),
  ),
  vatCountry: Type.String({
    description:
      'ISO 3166-1 code of the country whose VAT the order carries (the billing country; goods follow the shipping country, see items[].vatCountry).',
  }),
  total: totalRef,
  payment: Type.Object({
    method: Type.String(),
    brand: Type.Union([Type.String(), Type.Null()]),
    last4: Type.Union([Type.String(), Type.Null()]),
  }),
  billingAddress: postalAddressRef,
  shippingAddress: postalAddressRef,
  history: Type.Array(Type.Object({ status: Type.String(), at: Type.String() })),
  bankTransfer: Type.Union([
    Type.Object(
      {
        accountHolder: Type.String(),
        iban: Type.String(),
        bic: Type.String(),
        bank: Type.String(),
        reference: Type.String({ description: 'The payment reference to give with the transfer.' }),
        amount: amountRef,
        dueAt: Type.String({ description: 'The end of the due day in the operator’s time zone (ISO 8601, UTC).' }),
      },
      { description: 'An order on invoice: where and by when to transfer the amount.' },
    ),
    Type.Null(),
  ]),
  tracking: Type.Union([
    Type.Object(
      {
        carrier: Type.String(),
        number: Type.String(),
        url: Type.String({ description: 'The carrier’s tracking page of the parcel (empty if unknown).' }),
      },
      { description: 'Once shipped: the parcel’s carrier and tracking number.' },
    ),
    Type.Null(),
  ]),
  createdAt: Type.String(),
});
type ApiOrder = Static<typeof ApiOrder>;

const InvoicePdf = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The invoice as PDF.' });

export function toApiOrder(o: OrdersTable, operator: Operator): ApiOrder {
  const transfer = invoicePaymentDetails(operator, o);
  const lines = JSON.parse(o.lines) as OrderLine[];
  const history = JSON.parse(o.history) as { status: string; at: number }[];
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    items: lines.map((l) => ({
      productId: l.productId,
      title: l.title,
      kind: l.kind,
      quantity: l.quantity,
      unitPrice: amountOfCents(l.unitCents),
      lineTotal: amountOfCents(l.lineCents),
      vatRate: l.vatRate,
      // Orders placed before VAT followed the destination were all charged the German rate.
      vatCountry: l.vatCountry ?? o.vat_country ?? 'DE',
    })),
    vatCountry: o.vat_country ?? 'DE',
    total: { amount: amountOfCents(o.total_cents), currency: o.currency, vatIncluded: amountOfCents(o.vat_cents) },
    payment: { method: o.payment_method, brand: o.card_brand, last4: o.card_last4 },
    billingAddress: JSON.parse(o.billing) as Address,
    shippingAddress: JSON.parse(o.shipping) as Address,
    history: history.map((h) => ({ status: h.status, at: new Date(h.at).toISOString() })),
    bankTransfer: transfer && {
      accountHolder: transfer.accountHolder,
      iban: transfer.iban,
      bic: transfer.bic,
      bank: transfer.bank,
      reference: transfer.reference,
      amount: amountOfCents(transfer.amountCents),
      dueAt: new Date(transfer.dueAt).toISOString(),
    },
    tracking: trackingOf(operator, o),
    createdAt: new Date(o.created_at).toISOString(),
  };
}

const missingKey = () =>
  new AppError(400, 'idempotency_key_required', {
    en: 'Send an Idempotency-Key header (8 to 100 characters) so that a repeated request cannot order twice.',
    de:
      'Senden Sie einen Idempotency-Key-Header (8 bis 100 Zeichen), ' +
      'damit eine wiederholte Anfrage nicht doppelt bestellt.',
  });

// Checked by the handler (with its own message when missing), declared here so that the API document lists it.
const OrderHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: '8 to 100 characters, unique per order: a repeated request cannot order twice.' }),
  ),
});

export function registerOrderApiRoutes(app: App, deps: Deps): void {
  app.post(
    '/api/v1/orders',
    {
      config: { analyticsGoal: 'order' },
      schema: {
        summary:
          'Place an order from my basket (send an Idempotency-Key header; reusing it with another body answers ' +
          '422 idempotency_key_reused). A card payment needs a single-use token from the payment provider ' +
          '(test mode: POST /api/v1/test-payments/tokens)',
        tags: ['orders'],
        headers: OrderHeaders,
        body: placeOrderInputOffering(app.checkoutChoices),
        response: {
          201: ApiOrder,
          400: errorRef,
          401: errorRef,
          402: errorRef,
          403: errorRef,
          409: errorRef,
          422: errorRef,
        },
      },
    },
    async (request, reply) => {
      const viewer = requireVerifiedEmail(request.viewer);
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || !/^[\x21-\x7e]{8,100}$/.test(key)) throw missingKey();
      const requestHash = hashOrderRequest('POST /api/v1/orders', viewer.userId, request.body);
      const { choices, ...rest } = request.body;
      const ticked = Object.entries(choices ?? {}).filter((e): e is [string, boolean] => e[1] !== undefined);
      const input: PlaceOrderInput = { ...rest, ...(choices ? { choices: Object.fromEntries(ticked) } : {}) };
      const order = await placeOrder(deps, viewer, request.lang, input, key, requestHash, {
        choices: { offered: app.checkoutChoices, deps },
      });
      return reply.code(201).send(toApiOrder(order, deps.config.operator));
    },
  );

  app.get(
    '/api/v1/orders',
    {
      schema: {
        summary: 'My orders',
        tags: ['orders'],
        response: { 200: Type.Object({ items: Type.Array(ApiOrder) }), 401: errorRef },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      return { items: (await listOrders(deps, viewer.userId)).map((o) => toApiOrder(o, deps.config.operator)) };
    },
  );

  app.get(
    '/api/v1/orders/:id',
    {
      schema: {
        summary: 'One of my orders',
        tags: ['orders'],
        params: OrderParams,
        response: { 200: ApiOrder, 401: errorRef, 404: errorRef },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      return toApiOrder(await getOrder(deps, viewer.userId, request.params.id), deps.config.operator);
    },
  );

  // The invoice: its owner only (anyone else gets 404), in the order's language of the viewer.
  app.get(
    '/api/v1/orders/:id/invoice.pdf',
    {
      schema: {
        summary: 'The invoice of one of my orders, as PDF',
        tags: ['orders'],
        params: OrderParams,
        // A Buffer bypasses the JSON serializer: the PDF goes out as it is.
        response: { 200: InvoicePdf, 401: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const order = await getOrder(deps, viewer.userId, request.params.id);
      // The same PDF the order confirmation mail carries (orders.invoice.ts).
      const invoice = await orderInvoicePdf(deps, order, request.lang);
      if (!invoice) throw errors.notFound();
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${invoice.number}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(invoice.pdf);
    },
  );
}
