// Hardware registration API, the account forms, and the staff list.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { requireRole, requireViewer } from '../../platform/http/context.ts';
import { sendPage } from '../../platform/http/reply.ts';
import type { Lang } from '../../platform/i18n.ts';
import { findProductsByIds, productTitle } from '../catalog/index.ts';
import { pageContext } from '../shell/index.ts';
import { staffRegistrationsPage, type RegistrationRow } from './registrations.pages.ts';
import { listActiveRegistrations } from './registrations.queries.ts';
import { registerHardware, releaseHardware } from './registrations.service.ts';
import type { HardwareRegistrationsTable } from './registrations.tables.ts';

const errorRef = { $ref: 'candor-error#' };
const registrationSchema = { type: 'object', properties: { id: { type: 'string' }, productId: { type: 'string' }, serial: { type: 'string' }, registeredAt: { type: 'string' } } };
const toApi = (r: HardwareRegistrationsTable) => ({ id: r.id, productId: r.product_id, serial: r.serial, registeredAt: new Date(r.registered_at).toISOString() });

export async function registrationRows(deps: Deps, lang: Lang, rows: HardwareRegistrationsTable[]): Promise<(RegistrationRow & { userId: string })[]> {
  const products = new Map((await findProductsByIds(deps.db, [...new Set(rows.map((r) => r.product_id))])).map((p) => [p.id, p]));
  return rows.map((r) => {
    const p = products.get(r.product_id);
    return { id: r.id, serial: r.serial, title: p ? productTitle(p, lang) : r.product_id, registeredAt: r.registered_at, userId: r.user_id };
  });
}

export function registerRegistrationRoutes(app: FastifyInstance, deps: Deps): void {
  app.post(
    '/api/v1/registrations',
    {
      schema: {
        summary: 'Register a hardware serial number to my account',
        tags: ['registrations'],
        body: { type: 'object', additionalProperties: false, required: ['productId', 'serial'], properties: { productId: { type: 'string', minLength: 1, maxLength: 64 }, serial: { type: 'string', minLength: 1, maxLength: 20 } } },
        response: { 201: registrationSchema, 400: errorRef, 401: errorRef, 409: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const body = request.body as { productId: string; serial: string };
      return reply.code(201).send(toApi(await registerHardware(deps, viewer.userId, body.productId, body.serial)));
    },
  );

  app.get('/api/v1/me/registrations', { schema: { summary: 'My registered hardware', tags: ['registrations'], response: { 200: { type: 'object', properties: { items: { type: 'array', items: registrationSchema } } }, 401: errorRef } } }, async (request) => {
    const viewer = requireViewer(request.viewer);
    return { items: (await listActiveRegistrations(deps.db, viewer.userId)).map(toApi) };
  });

  app.delete(
    '/api/v1/registrations/:id',
    { schema: { summary: 'Release a registration (the device was sold)', tags: ['registrations'], params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } }, response: { 204: { type: 'null' }, 401: errorRef, 404: errorRef } } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      await releaseHardware(deps, viewer.userId, (request.params as { id: string }).id);
      return reply.code(204).send();
    },
  );

  const formBody = { type: 'object', additionalProperties: { type: 'string', maxLength: 100 } };
  app.post('/account/products/registrations', { schema: { body: formBody } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const body = request.body as Record<string, string>;
    try {
      await registerHardware(deps, viewer.userId, body.productId ?? '', body.serial ?? '');
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        // The page shows the reason by a short code; no input goes into the URL.
        const reason = err.code === 'serial_taken' ? 'taken' : 'serial' in err.fields ? 'serial' : 'invalid';
        return reply.redirect(`/account/products?registrationError=${reason}`, 303);
      }
      throw err;
    }
    return reply.redirect('/account/products?notice=registered', 303);
  });

  app.post('/account/products/registrations/:id/release', { schema: { body: formBody, params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } } } } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    await releaseHardware(deps, viewer.userId, (request.params as { id: string }).id);
    return reply.redirect('/account/products?notice=released', 303);
  });

  app.get('/staff/registrations', async (request, reply) => {
    requireRole(request.viewer, ['staff', 'admin']);
    const rows = await registrationRows(deps, request.lang, await listActiveRegistrations(deps.db));
    return sendPage(reply, staffRegistrationsPage(pageContext(request, deps), rows));
  });
}
