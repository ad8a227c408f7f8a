// Hardware registration API, the account forms, and the staff page with the review queue of disputed registrations.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { requireRole, requireViewer } from '../../platform/http/context.ts';
import { sendPage } from '../../platform/http/reply.ts';
import { tr, type Lang, type Text } from '../../platform/i18n.ts';
import { findProductsByIds, productTitle } from '../catalog/index.ts';
import { pageContext } from '../shell/index.ts';
import { staffRegistrationsPage, type RegistrationRow, type ReviewRow } from './registrations.pages.ts';
import { listActiveRegistrations } from './registrations.queries.ts';
import { listReviewQueue, registerHardware, releaseHardware, resolveReview, underReviewText } from './registrations.service.ts';
import type { HardwareRegistrationsTable } from './registrations.tables.ts';

const errorRef = { $ref: 'candor-error#' };
const registrationSchema = { type: 'object', properties: { id: { type: 'string' }, productId: { type: 'string' }, serial: { type: 'string' }, registeredAt: { type: 'string' } } };
const reviewSchema = { type: 'object', properties: { status: { type: 'string', enum: ['under_review'] }, message: { type: 'string' } } };
const toApi = (r: HardwareRegistrationsTable) => ({ id: r.id, productId: r.product_id, serial: r.serial, registeredAt: new Date(r.registered_at).toISOString() });

export async function registrationRows(deps: Deps, lang: Lang, rows: HardwareRegistrationsTable[]): Promise<(RegistrationRow & { userId: string })[]> {
  const products = new Map((await findProductsByIds(deps.db, [...new Set(rows.map((r) => r.product_id))])).map((p) => [p.id, p]));
  return rows.map((r) => {
    const p = products.get(r.product_id);
    return { id: r.id, serial: r.serial, title: p ? productTitle(p, lang) : r.product_id, registeredAt: r.registered_at, userId: r.user_id };
  });
}

async function reviewRows(deps: Deps, lang: Lang): Promise<ReviewRow[]> {
  const cases = await listReviewQueue(deps);
  const products = new Map((await findProductsByIds(deps.db, [...new Set(cases.map((c) => c.review.product_id))])).map((p) => [p.id, p]));
  return cases.map(({ review: r, holderUserId, sale }) => {
    const p = products.get(r.product_id);
    return { id: r.id, serial: r.serial, title: p ? productTitle(p, lang) : r.product_id, userId: r.user_id, reason: r.reason, orderNumber: r.order_number, createdAt: r.created_at, holderUserId, sale };
  });
}

export function registerRegistrationRoutes(app: FastifyInstance, deps: Deps): void {
  app.post(
    '/api/v1/registrations',
    {
      schema: {
        summary: 'Register a hardware serial number to my account',
        tags: ['registrations'],
        description: 'A unit this shop sold is registered by its buyer. Any disputed serial number (sold to another customer, or registered to another account) answers 202 and waits for staff review; the buyer of a unit registered to someone else claims it with the number of the order that holds its serial number.',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['productId', 'serial'],
          properties: { productId: { type: 'string', minLength: 1, maxLength: 64 }, serial: { type: 'string', minLength: 1, maxLength: 20 }, orderNumber: { type: 'string', minLength: 1, maxLength: 40 } },
        },
        response: { 201: registrationSchema, 202: reviewSchema, 400: errorRef, 401: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const body = request.body as { productId: string; serial: string; orderNumber?: string };
      const outcome = await registerHardware(deps, viewer.userId, body.productId, body.serial, body.orderNumber);
      if (outcome.status === 'under_review') return reply.code(202).send({ status: 'under_review', message: tr(request.lang, underReviewText) });
      return reply.code(201).send(toApi(outcome.registration));
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
      const outcome = await registerHardware(deps, viewer.userId, body.productId ?? '', body.serial ?? '', body.orderNumber);
      if (outcome.status === 'under_review') return reply.redirect('/account/products?notice=review', 303);
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 429) {
        // The page shows the reason by a short code; no input goes into the URL.
        const reason = 'serial' in err.fields ? 'serial' : 'orderNumber' in err.fields ? 'orderNumber' : 'invalid';
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

  const STAFF = ['staff', 'admin'] as ('staff' | 'admin')[];
  const staffPage = async (request: FastifyRequest, error?: Text) => {
    const rows = await registrationRows(deps, request.lang, await listActiveRegistrations(deps.db));
    return staffRegistrationsPage(pageContext(request, deps), rows, await reviewRows(deps, request.lang), error);
  };

  app.get('/staff/registrations', async (request, reply) => {
    requireRole(request.viewer, STAFF);
    return sendPage(reply, await staffPage(request));
  });

  app.post(
    '/staff/registrations/reviews/:id',
    { schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } }, body: { type: 'object', additionalProperties: { type: 'string', maxLength: 100 } } } },
    async (request, reply) => {
      requireRole(request.viewer, STAFF);
      const decision = (request.body as Record<string, string>).decision;
      try {
        if (decision !== 'assign' && decision !== 'reject') throw errors.invalid({ en: 'Choose to assign or to reject.', de: 'Wählen Sie Zuordnen oder Ablehnen.' });
        await resolveReview(deps, (request.params as { id: string }).id, decision);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
        return sendPage(reply, await staffPage(request, err.text), err.status);
      }
      return reply.redirect('/staff/registrations', 303);
    },
  );
}
