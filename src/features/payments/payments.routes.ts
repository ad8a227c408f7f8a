// The test provider's tokenising endpoint, standing where a real provider's hosted endpoint would be.
// Card data stops here; the order API receives only the token.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';

const fieldNames = { number: 'card number', expMonth: 'expiry month', expYear: 'expiry year', cvc: 'security code' } as const;
const fieldNamesDe = { number: 'Kartennummer', expMonth: 'Ablaufmonat', expYear: 'Ablaufjahr', cvc: 'Prüfnummer' } as const;

export function invalidCard(field: keyof typeof fieldNames): AppError {
  const text = { en: `The ${fieldNames[field]} is not valid.`, de: `Die ${fieldNamesDe[field]} ist ungültig.` };
  return new AppError(400, 'invalid_card', text, { [field]: text });
}

export function registerPaymentRoutes(app: FastifyInstance, deps: Deps): void {
  app.post(
    '/api/v1/test-payments/tokens',
    {
      schema: {
        summary: 'TEST payment provider: turn card details into a token (accepts 4242 4242 4242 4242; 4000 0000 0000 0002 is declined at charge)',
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
        response: { 201: { type: 'object', properties: { token: { type: 'string' }, brand: { type: 'string' }, last4: { type: 'string' } } }, 400: { $ref: 'candor-error#' } },
      },
    },
    async (request, reply) => {
      const result = await deps.payments.tokenise(request.body as { number: string; expMonth: number; expYear: number; cvc: string });
      if (!result.ok) throw invalidCard(result.field);
      return reply.code(201).send({ token: result.token, brand: result.brand, last4: result.last4 });
    },
  );
}
