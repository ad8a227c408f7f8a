// Order pages for customers: the checkout (and the return from the provider's payment page), order history,
// one order.
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireVerifiedEmail, requireViewer } from '../../platform/http/context.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { confirmAddressFirstPage, findUserById } from '../accounts/index.ts';
import { viewBasket } from '../basket/index.ts';
import { invoicePaymentDetails } from '../invoices/index.ts';
import { listLicencesOfOrder } from '../licences/index.ts';
import { rememberCountry, rememberedCountry } from '../../shop/vat.ts';
import { checkoutAddressState, checkoutStartValues, saveCheckoutAddresses } from './checkout-address.service.ts';
import { listOrderCorrections, orderCorrectionPdf } from './orders.corrections.ts';
import { trackingOf } from './orders.shipping.ts';
import { checkoutPage, orderPage, ordersPage, type CheckoutState, type CheckoutValues } from './orders.pages.ts';
import {
  completeHostedPayment,
  isInvoiceOffered,
  getOrder,
  hashOrderRequest,
  listOrders,
  listPaymentAttempts,
  checkOrderAddresses,
  placeCheckoutOrder,
  type PlaceOrderInput,
} from './orders.service.ts';
import type { Address } from './orders.tables.ts';
import type { Text } from '../../platform/i18n.ts';

// Every field at most 200 characters, as before; the service's checks give the friendly messages.
const checkoutFormOf = (choiceFields: string[]) =>
  formBody({
    ...Object.fromEntries(choiceFields.map((f) => [f, formText(10)])),
    formKey: formText(200),
    'billingAddress.name': formText(200),
    'billingAddress.street': formText(200),
    'billingAddress.postalCode': formText(200),
    'billingAddress.city': formText(200),
    'billingAddress.country': formText(200),
    'shippingAddress.name': formText(200),
    'shippingAddress.street': formText(200),
    'shippingAddress.postalCode': formText(200),
    'shippingAddress.city': formText(200),
    'shippingAddress.country': formText(200),
    shipToBilling: formText(200),
    shipElsewhere: formText(10),
    saveAddress: formText(10),
    'payment.method': formText(200),
    acceptTerms: formText(10),
    digitalConsent: formText(10),
  });

/** A saved address to start the checkout with (links on the checkout page; works without JavaScript). */
const CheckoutQuery = Type.Object({
  billing: Type.Optional(Type.String({ maxLength: 64 })),
  shipping: Type.Optional(Type.String({ maxLength: 64 })),
});

const CheckoutReturnQuery = Type.Object({
  order: Type.String({ minLength: 1, maxLength: 64 }),
  token: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  cancelled: Type.Optional(Type.String({ maxLength: 1 })),
});

const OrderParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const OrderPageQuery = Type.Object({ placed: Type.Optional(Type.String()) });

/** Placing an order is the shop's goal (first-party analytics counts it, issue 15). */
const orderGoal = { analyticsGoal: 'order' } as const;

export function registerOrderPageRoutes(app: App, deps: Deps): void {
  const CheckoutForm = checkoutFormOf(app.checkoutChoices.map((c) => c.field));
  const newFormKey = () => randomBytes(18).toString('base64url');

  const checkoutState = async (userId: string): Promise<CheckoutState> => ({
    choices: app.checkoutChoices,
    testMode: deps.payments.testMode,
    invoiceOffered: await isInvoiceOffered(deps, userId),
    attempts: await listPaymentAttempts(deps, userId),
  });

  /** A signed-in shopper whose address is not confirmed: the reason and a resend button, not a bare refusal. */
  const confirmFirst = async (request: FastifyRequest, reply: FastifyReply, userId: string) => {
    const user = await findUserById(deps.db, userId);
    const page = confirmAddressFirstPage(pageContext(request), user?.email ?? '', '/checkout');
    return sendPage(reply, page, errors.emailUnverified().status);
  };

  app.get('/checkout', { schema: { querystring: CheckoutQuery } }, async (request, reply) => {
    if (request.viewer && !request.viewer.emailVerified) return confirmFirst(request, reply, request.viewer.userId);
    const viewer = requireVerifiedEmail(request.viewer);
    const basket = await viewBasket(deps, { userId: viewer.userId }, request.lang);
    if (basket.items.length === 0) return reply.redirect('/basket', 303);
    // Prefilled from the address book or the last order (issue 11, point 3); nothing is retyped.
    const { operator, baseUrl } = deps.config;
    const ships = basket.items.some((i) => i.kind === 'hardware');
    const values = await checkoutStartValues(
      deps,
      viewer.userId,
      request.query,
      ships,
      rememberedCountry(request, baseUrl, operator),
    );
    const state = {
      ...(await checkoutState(viewer.userId)),
      ...(await checkoutAddressState(deps, request.lang, viewer.userId, basket.items, values, basket.shippingCents)),
    };
    return sendPage(reply, checkoutPage(pageContext(request), basket, newFormKey(), state, values));
  });

  /** The checkout page again, with what went wrong. Card data never reaches Candor, so nothing of it is echoed. */
  const checkoutAgain = async (
    request: FastifyRequest,
    reply: FastifyReply,
    userId: string,
    err: AppError,
    values: CheckoutValues = {},
  ) => {
    const basket = await viewBasket(deps, { userId }, request.lang);
    // After an automated refusal, the page links to the human review (Art. 22(3) GDPR).
    const declined = err.code === 'invoice_not_available' || err.code === 'payment_method_not_available';
    const state = {
      ...(await checkoutState(userId)),
      ...(await checkoutAddressState(deps, request.lang, userId, basket.items, values, basket.shippingCents)),
      declined,
    };
    const page = checkoutPage(pageContext(request), basket, newFormKey(), state, values, err.fields, err.text);
    return sendPage(reply, page, err.status);
  };

  app.post('/checkout', { config: orderGoal, schema: { body: CheckoutForm } }, async (request, reply) => {
    if (request.viewer && !request.viewer.emailVerified) return confirmFirst(request, reply, request.viewer.userId);
    const viewer = requireVerifiedEmail(request.viewer);
    const form = request.body;
    // The checkout choices' boxes (their fields come from the manifests, so the schema lists them as a record).
    const choiceValues: Record<string, string | undefined> = form;
    const formKey = form.formKey && /^[A-Za-z0-9_-]{24}$/.test(form.formKey) ? form.formKey : newFormKey();
    const address = (prefix: 'billingAddress' | 'shippingAddress'): Address => ({
      name: form[`${prefix}.name`] ?? '',
      street: form[`${prefix}.street`] ?? '',
      postalCode: form[`${prefix}.postalCode`] ?? '',
      city: form[`${prefix}.city`] ?? '',
      country: form[`${prefix}.country`] ?? '',
    });
    const method = form['payment.method'];
    // The shipping address counts only while "ship to a different address" is ticked (else it is hidden).
    const shipElsewhere = form.shipElsewhere === '1';
    try {
      // Every problem in one answer: the payment method is checked here and joins the service's checks of the
      // addresses and consents (placeOrder's fieldProblems); with one, nothing is placed.
      const fieldProblems: Record<string, Text> = {};
      const known = method === 'card' || method === 'wallet' || method === 'invoice';
      if (!known)
        fieldProblems['payment.method'] = { en: 'Choose a payment method.', de: 'Wählen Sie eine Zahlungsart.' };
      // Once the country is known, prices show its VAT (shop/vat.ts), whatever else is still to correct.
      const country = address('billingAddress').country.trim().toUpperCase();
      if (deps.config.operator.sellsTo.includes(country)) rememberCountry(request, reply, deps.config.baseUrl, country);
      const input: PlaceOrderInput = {
        billingAddress: address('billingAddress'),
        ...(shipElsewhere ? { shippingAddress: address('shippingAddress') } : {}),
        payment: { method: known ? method : 'card' },
        consents: { terms: form.acceptTerms === '1', digitalContent: form.digitalConsent === '1' },
        choices: Object.fromEntries(app.checkoutChoices.map((c) => [c.field, choiceValues[c.field] === '1'])),
      };
      const requestHash = hashOrderRequest('POST /checkout', viewer.userId, input);
      const { order, paymentPage } = await placeCheckoutOrder(
        deps,
        viewer,
        request.lang,
        input,
        `form:${formKey}`,
        requestHash,
        fieldProblems,
        { offered: app.checkoutChoices, deps },
      );
      if (form.saveAddress === '1') {
        const fields = {};
        const checked = checkOrderAddresses(deps.config.operator, input, fields);
        await saveCheckoutAddresses(deps, viewer.userId, checked.billing, shipElsewhere ? checked.shipping : undefined);
      }
      // Card: to the provider's hosted payment page; it sends the customer back with a single-use token.
      return reply.redirect(paymentPage ?? `/account/orders/${order.id}?placed=1`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 429) throw err;
      return checkoutAgain(request, reply, viewer.userId, err, form);
    }
  });

  app.get('/checkout/return', { schema: { querystring: CheckoutReturnQuery } }, async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const query = request.query;
    try {
      // `cancelled` is only a hint: what counts is what the provider confirms (see completeHostedPayment).
      const order = await completeHostedPayment(deps, viewer, query.order, query.token, request.lang);
      // Still pending: the checkout lists the attempt as not confirmed yet.
      const next = order.status === 'pending_payment' ? '/checkout' : `/account/orders/${order.id}?placed=1`;
      return reply.redirect(next, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 429 || err.status === 404) throw err;
      return checkoutAgain(request, reply, viewer.userId, err);
    }
  });

  app.get('/account/orders', async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    return sendPage(reply, ordersPage(pageContext(request), await listOrders(deps, viewer.userId)));
  });

  app.get(
    '/account/orders/:id',
    { schema: { params: OrderParams, querystring: OrderPageQuery } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const order = await getOrder(deps, viewer.userId, request.params.id);
      const licences = (await listLicencesOfOrder(deps.db, order.id)).map((l) => ({
        key: l.licence_key,
        productId: l.product_id,
      }));
      const placed = request.query.placed === '1';
      // An invoice order's bank details and due date; a shipped parcel's tracking link (both from the operator file).
      const extras = {
        payment: invoicePaymentDetails(deps.config.operator, order),
        tracking: trackingOf(deps.config.operator, order),
        corrections: await listOrderCorrections(deps, order.id),
      };
      return sendPage(reply, orderPage(pageContext(request), order, placed, licences, extras));
    },
  );

  // A cancellation invoice of one of my orders (decision 0048): its owner only, anyone else gets 404.
  app.get(
    '/account/orders/:id/corrections/:cid.pdf',
    {
      schema: {
        params: Type.Object({
          id: Type.String({ minLength: 1, maxLength: 64 }),
          cid: Type.String({ minLength: 1, maxLength: 64 }),
        }),
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const order = await getOrder(deps, viewer.userId, request.params.id);
      const correction = await orderCorrectionPdf(deps, order, request.params.cid, request.lang);
      if (!correction) throw errors.notFound();
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${correction.number}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(correction.pdf);
    },
  );
}
