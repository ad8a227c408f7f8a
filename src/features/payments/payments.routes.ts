// Routes of the TEST payment provider, registered only while PAYMENT_PROVIDER=test: its hosted payment page
// (card data stops there; the shop gets a single-use token on its return address) and, for API clients in
// test mode, its token endpoint.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { requireViewer } from '../../platform/http/context.ts';
import { sendPage } from '../../platform/http/reply.ts';
import { pageContext } from '../shell/index.ts';
import { createTestPaymentProvider, type TestPaymentProvider } from './test-provider.ts';
import { sessionGonePage, testPaymentPage } from './test-provider.pages.ts';

const fieldNames = { number: 'card number', expMonth: 'expiry month', expYear: 'expiry year', cvc: 'security code' } as const;
const fieldNamesDe = { number: 'Kartennummer', expMonth: 'Ablaufmonat', expYear: 'Ablaufjahr', cvc: 'Prüfnummer' } as const;

export function invalidCard(field: keyof typeof fieldNames): AppError {
  const text = { en: `The ${fieldNames[field]} is not valid.`, de: `Die ${fieldNamesDe[field]} ist ungültig.` };
  return new AppError(400, 'invalid_card', text, { [field]: text });
}

const withParam = (url: string, params: Record<string, string>) => `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(params).toString()}`;

export function registerPaymentRoutes(app: FastifyInstance, deps: Deps): void {
  if (deps.payments.id !== 'test') return;
  deps.log.warn({ paymentProvider: 'test' }, 'TEST payment provider active: test mode, no real payment is taken');
  registerTestProviderRoutes(app, deps, createTestPaymentProvider(deps.db, deps.clock));
}

function registerTestProviderRoutes(app: FastifyInstance, deps: Deps, provider: TestPaymentProvider): void {
  app.post(
    '/api/v1/test-payments/tokens',
    {
      schema: {
        summary: 'TEST payment provider (test mode only): turn card details into a single-use token for the signed-in customer (accepts 4242 4242 4242 4242; 4000 0000 0000 0002 is declined at charge)',
        tags: ['test-payments'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['number', 'expMonth', 'expYear', 'cvc'],
          properties: {
            number: { type: 'string', minLength: 1, maxLength: 30 },
            expMonth: { type: 'integer', minimum: 1, maximum: 12 },
            expYear: { type: 'integer', minimum: 0, maximum: 9999 },
            cvc: { type: 'string', minLength: 1, maxLength: 4 },
          },
        },
        response: { 201: { type: 'object', properties: { token: { type: 'string' }, brand: { type: 'string' }, last4: { type: 'string' } } }, 400: { $ref: 'candor-error#' }, 401: { $ref: 'candor-error#' } },
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const result = await provider.tokenise(request.body as { number: string; expMonth: number; expYear: number; cvc: string }, viewer.userId);
      if (!result.ok) throw invalidCard(result.field);
      return reply.code(201).send({ token: result.token, brand: result.brand, last4: result.last4 });
    },
  );

  const params = { type: 'object', required: ['session'], properties: { session: { type: 'string', minLength: 1, maxLength: 64 } } };

  app.get('/test-payments/pay/:session', { schema: { params }, config: { tokenLink: true } }, async (request, reply) => {
    const session = await provider.findOpenSession((request.params as { session: string }).session);
    if (!session) return sendPage(reply, sessionGonePage(pageContext(request, deps)), 410);
    return sendPage(reply, testPaymentPage(pageContext(request, deps), { id: (request.params as { session: string }).session, amount_cents: session.amount_cents }));
  });

  app.post('/test-payments/pay/:session', { schema: { params, body: { type: 'object', additionalProperties: { type: 'string', maxLength: 100 } } }, config: { tokenLink: true } }, async (request, reply) => {
    const session = await provider.findOpenSession((request.params as { session: string }).session);
    if (!session) return sendPage(reply, sessionGonePage(pageContext(request, deps)), 410);
    const form = request.body as Record<string, string | undefined>;
    const result = await provider.tokenise({ number: form.number ?? '', expMonth: Number(form.expMonth ?? ''), expYear: Number(form.expYear ?? ''), cvc: form.cvc ?? '' }, session.customer_ref);
    // The card fields are never echoed back.
    if (!result.ok) return sendPage(reply, testPaymentPage(pageContext(request, deps), { id: (request.params as { session: string }).session, amount_cents: session.amount_cents }, invalidCard(result.field).text), 400);
    if (!(await provider.completeSession(session))) return sendPage(reply, sessionGonePage(pageContext(request, deps)), 410);
    return reply.header('referrer-policy', 'no-referrer').redirect(withParam(session.return_url, { token: result.token }), 303);
  });

  app.post('/test-payments/pay/:session/cancel', { schema: { params, body: { type: 'object', additionalProperties: { type: 'string', maxLength: 100 } } }, config: { tokenLink: true } }, async (request, reply) => {
    const session = await provider.findOpenSession((request.params as { session: string }).session);
    if (!session) return sendPage(reply, sessionGonePage(pageContext(request, deps)), 410);
    if (!(await provider.completeSession(session))) return sendPage(reply, sessionGonePage(pageContext(request, deps)), 410);
    await provider.cancelSession(session);
    return reply.header('referrer-policy', 'no-referrer').redirect(withParam(session.return_url, { cancelled: '1' }), 303);
  });
}
