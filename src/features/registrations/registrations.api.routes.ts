// Hardware registration API: register a serial number, my registrations, release one.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { requireViewer } from '../../platform/http/context.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import { tr } from '../../platform/i18n.ts';
import { listActiveRegistrations } from './registrations.queries.ts';
import { registerHardware, releaseHardware, underReviewText } from './registrations.service.ts';
import type { HardwareRegistrationsTable } from './registrations.tables.ts';

const RegisterBody = Type.Object(
  {
    productId: Type.String({ minLength: 1, maxLength: 64 }),
    serial: Type.String({ minLength: 1, maxLength: 20 }),
    orderNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
const RegistrationParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const Registration = Type.Object({
  id: Type.String(),
  productId: Type.String(),
  serial: Type.String(),
  registeredAt: Type.String(),
});
const UnderReview = Type.Object({
  status: Type.Unsafe<'under_review'>({ type: 'string', enum: ['under_review'] }),
  message: Type.String(),
});

/** Fastify sends no body with a 204, so the handler sends nothing. */
const NoContent = Type.Unsafe<void>({ type: 'null' });

const toApi = (r: HardwareRegistrationsTable) => ({
  id: r.id,
  productId: r.product_id,
  serial: r.serial,
  registeredAt: new Date(r.registered_at).toISOString(),
});

export function registerRegistrationApiRoutes(app: App, deps: Deps): void {
  app.post(
    '/api/v1/registrations',
    {
      schema: {
        summary: 'Register a hardware serial number to my account',
        tags: ['registrations'],
        description:
          'A unit this shop sold is registered by its buyer. Any disputed serial number (sold to another ' +
          'customer, or registered to another account) answers 202 and waits for staff review; the buyer of a ' +
          'unit registered to someone else claims it with the number of the order that holds its serial number.',
        body: RegisterBody,
        response: { 201: Registration, 202: UnderReview, 400: errorRef, 401: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const { productId, serial, orderNumber } = request.body;
      const outcome = await registerHardware(deps, viewer.userId, productId, serial, orderNumber);
      if (outcome.status === 'under_review') {
        return reply.code(202).send({ status: 'under_review', message: tr(request.lang, underReviewText) });
      }
      return reply.code(201).send(toApi(outcome.registration));
    },
  );

  app.get(
    '/api/v1/me/registrations',
    {
      schema: {
        summary: 'My registered hardware',
        tags: ['registrations'],
        response: { 200: Type.Object({ items: Type.Array(Registration) }), 401: errorRef },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      return { items: (await listActiveRegistrations(deps.db, viewer.userId)).map(toApi) };
    },
  );

  app.delete(
    '/api/v1/registrations/:id',
    {
      schema: {
        summary: 'Release a registration (the device was sold)',
        tags: ['registrations'],
        params: RegistrationParams,
        response: { 204: NoContent, 401: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      await releaseHardware(deps, viewer.userId, request.params.id);
      return reply.code(204).send();
    },
  );
}
