// Routes of the TEST payment provider, registered only while PAYMENT_PROVIDER=test: its hosted payment page
// (card data stops there; the shop gets a single-use token on its return address) and, for API clients in
// test mode, its token endpoint.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireViewer } from '../../platform/http/context.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { sessionGonePage, testPaymentPage } from './test-provider.pages.ts';
import { createTestPaymentProvider, type TestPaymentProvider } from './test-provider.ts';

const fieldNames = {
  number: 'card number',
  expMonth: 'expiry month',
  expYear: 'expiry year',
  cvc: 'security code',
} as const;
const fieldNamesDe = {
  number: 'Kartennummer',
  expMonth: 'Ablaufmonat',
  expYear: 'Ablaufjahr',
  cvc: 'Prüfnummer',
} as const;

export function invalidCard(field: keyof typeof fieldNames): AppError {
  const text = { en: `The ${fieldNames[field]} is not valid.`, de: `Die ${fieldNamesDe[field]} ist ungültig.` };
  return new AppError(400, 'invalid_card', text, { [field]: text });
}

const withParam = (url: string, params: Record<string, string>) =>
  `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(params).toString()}`;

const CardBody = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 30 }),
    expMonth: Type.Integer({ minimum: 1, maximum: 12 }),
    expYear: Type.Integer({ minimum: 0, maximum: 9999 }),
    cvc: Type.String({ minLength: 1, maxLength: 4 }),
  },
  { additionalProperties: false },
);
const CardToken = Type.Object({ token: Type.String(), brand: Type.String(), last4: Type.String() });

const SessionParams = Type.Object({ session: Type.String({ minLength: 1, maxLength: 64 }) });
// The page's own checks (invalidCard) give the friendly messages.
const CardForm = formBody({
  number: formText(100),
  expMonth: formText(100),
  expYear: formText(100),
  cvc: formText(100),
});

export function registerPaymentRoutes(app: App, deps: Deps): void {
  if (deps.payments.id !== 'test') return;
  deps.log.warn({ paymentProvider: 'test' }, 'TEST payment provider active: test mode, no real payment is taken');
  registerTestProviderRoutes(app, createTestPaymentProvider(deps.db, deps.clock));
}

function registerTestProviderRoutes(app: App, provider: TestPaymentProvider): void {
  app.post(
    '/api/v1/test-payments/tokens',
    {
      schema: {
        summary:
          'TEST payment provider (test mode only): turn card details into a single-use token for the signed-in ' +
          'customer (accepts 4242 4242 4242 4242; 4000 0000 0000 0002 is declined at charge)',
        tags: ['test-payments'],
        body: CardBody,
        response: { 201: CardToken, 400: errorRef, 401: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const result = await provider.tokenise(request.body, viewer.userId);
      if (!result.ok) throw invalidCard(result.field);
      return reply.code(201).send({ token: result.token, brand: result.brand, last4: result.last4 });
    },
  );

  const tokenLink = { tokenLink: true };

  app.get(
    '/test-payments/pay/:session',
    { schema: { params: SessionParams }, config: tokenLink },
    async (request, reply) => {
      const id = request.params.session;
      const session = await provider.findOpenSession(id);
      if (!session) return sendPage(reply, sessionGonePage(pageContext(request)), 410);
      return sendPage(reply, testPaymentPage(pageContext(request), { id, amount_cents: session.amount_cents }));
    },
  );

  app.post(
    '/test-payments/pay/:session',
    { schema: { params: SessionParams, body: CardForm }, config: tokenLink },
    async (request, reply) => {
      const id = request.params.session;
      const session = await provider.findOpenSession(id);
      if (!session) return sendPage(reply, sessionGonePage(pageContext(request)), 410);
      const form = request.body;
      const card = {
        number: form.number ?? '',
        expMonth: Number(form.expMonth ?? ''),
        expYear: Number(form.expYear ?? ''),
        cvc: form.cvc ?? '',
      };
      const result = await provider.tokenise(card, session.customer_ref);
      // The card fields are never echoed back.
      if (!result.ok) {
        const page = testPaymentPage(
          pageContext(request),
          { id, amount_cents: session.amount_cents },
          invalidCard(result.field).text,
        );
        return sendPage(reply, page, 400);
      }
      const gone = () => sendPage(reply, sessionGonePage(pageContext(request)), 410);
      if (!(await provider.completeSession(session))) return gone();
      const back = withParam(session.return_url, { token: result.token });
      return reply.header('referrer-policy', 'no-referrer').redirect(back, 303);
    },
  );

  app.post(
    '/test-payments/pay/:session/cancel',
    { schema: { params: SessionParams, body: formBody({}) }, config: tokenLink },
    async (request, reply) => {
      const session = await provider.findOpenSession(request.params.session);
      if (!session) return sendPage(reply, sessionGonePage(pageContext(request)), 410);
      const gone = () => sendPage(reply, sessionGonePage(pageContext(request)), 410);
      if (!(await provider.completeSession(session))) return gone();
      await provider.cancelSession(session);
      const back = withParam(session.return_url, { cancelled: '1' });
      return reply.header('referrer-policy', 'no-referrer').redirect(back, 303);
    },
  );
}
