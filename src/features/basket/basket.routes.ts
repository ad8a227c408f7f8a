// Basket API and pages. Guests get a session cookie holding a random token when they first add a product;
// after sign-in the next request merges that basket into the account's and drops the cookie.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { clearCookie, cookiePolicy, setCookie } from '../../platform/http/cookies.ts';
import { sendPage } from '../../platform/http/reply.ts';
import { pageContext } from '../shell/index.ts';
import { basketPage } from './basket.pages.ts';
import * as service from './basket.service.ts';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const errorRef = { $ref: 'candor-error#' };
const productIdParams = { type: 'object', required: ['productId'], properties: { productId: { type: 'string', minLength: 1, maxLength: 64 } } };
const basketSchema = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          productId: { type: 'string' },
          slug: { type: 'string' },
          kind: { type: 'string' },
          title: { type: 'string' },
          quantity: { type: 'integer' },
          unitPrice: { type: 'string' },
          lineTotal: { type: 'string' },
        },
      },
    },
    count: { type: 'integer' },
    total: { type: 'object', properties: { amount: { type: 'string' }, currency: { type: 'string' }, vatIncluded: { type: 'string' } } },
  },
};

const euros = (cents: number) => (cents / 100).toFixed(2);

function toApiBasket(view: service.BasketView) {
  return {
    items: view.items.map((i) => ({ productId: i.productId, slug: i.slug, kind: i.kind, title: i.title, quantity: i.quantity, unitPrice: euros(i.unitCents), lineTotal: euros(i.lineCents) })),
    count: view.count,
    total: { amount: euros(view.totalCents), currency: 'EUR', vatIncluded: euros(view.vatCents) },
  };
}

export function registerBasketRoutes(app: FastifyInstance, deps: Deps): void {
  const cookies = cookiePolicy(deps.config.baseUrl);

  /** The basket's owner for reading: the account, else the guest cookie, else nobody yet. */
  function ownerOf(request: FastifyRequest): service.BasketOwner | null {
    if (request.viewer) return { userId: request.viewer.userId };
    const token = request.cookies[cookies.basket];
    return token && TOKEN.test(token) ? { guestToken: token } : null;
  }

  /** The owner for writing: a guest without a basket gets a new token in a session cookie. */
  function ownerForChange(request: FastifyRequest, reply: FastifyReply): service.BasketOwner {
    const owner = ownerOf(request);
    if (owner) return owner;
    const guestToken = randomBytes(32).toString('base64url');
    setCookie(reply, cookies, cookies.basket, guestToken);
    return { guestToken };
  }

  app.addHook('preHandler', async (request, reply) => {
    const token = request.cookies[cookies.basket];
    if (!request.viewer || !token) return;
    if (TOKEN.test(token)) await service.mergeGuestBasket(deps, request.viewer.userId, token);
    clearCookie(reply, cookies, cookies.basket);
  });

  const view = async (request: FastifyRequest, owner: service.BasketOwner | null) => toApiBasket(await service.viewBasket(deps, owner, request.lang));

  app.get('/api/v1/basket', { schema: { summary: 'My basket', tags: ['basket'], response: { 200: basketSchema } } }, async (request) => view(request, ownerOf(request)));

  app.post(
    '/api/v1/basket/items',
    {
      schema: {
        summary: 'Add a product to the basket',
        tags: ['basket'],
        body: { type: 'object', additionalProperties: false, required: ['productId', 'quantity'], properties: { productId: { type: 'string', minLength: 1, maxLength: 64 }, quantity: { type: 'integer', minimum: 1, maximum: service.MAX_QUANTITY } } },
        response: { 201: basketSchema, 400: errorRef, 404: errorRef, 409: errorRef },
      },
    },
    async (request, reply) => {
      const body = request.body as { productId: string; quantity: number };
      const owner = ownerForChange(request, reply);
      await service.addToBasket(deps, owner, body.productId, body.quantity);
      return reply.code(201).send(await view(request, owner));
    },
  );

  app.patch(
    '/api/v1/basket/items/:productId',
    {
      schema: {
        summary: 'Change the quantity of a product in the basket (0 removes it)',
        tags: ['basket'],
        params: productIdParams,
        body: { type: 'object', additionalProperties: false, required: ['quantity'], properties: { quantity: { type: 'integer', minimum: 0, maximum: service.MAX_QUANTITY } } },
        response: { 200: basketSchema, 400: errorRef, 404: errorRef, 409: errorRef },
      },
    },
    async (request) => {
      const owner = ownerOf(request);
      await service.setBasketQuantity(deps, owner, (request.params as { productId: string }).productId, (request.body as { quantity: number }).quantity);
      return view(request, owner);
    },
  );

  app.delete(
    '/api/v1/basket/items/:productId',
    { schema: { summary: 'Remove a product from the basket', tags: ['basket'], params: productIdParams, response: { 200: basketSchema, 404: errorRef } } },
    async (request) => {
      const owner = ownerOf(request);
      await service.removeFromBasket(deps, owner, (request.params as { productId: string }).productId);
      return view(request, owner);
    },
  );

  // ---------------- pages ----------------

    const formBody = { type: 'object', additionalProperties: { type: 'string', maxLength: 100 } };
  const quantityOf = (raw: unknown) => (typeof raw === 'string' && /^\d{1,3}$/.test(raw.trim()) ? Number(raw) : Number.NaN);

  async function renderBasket(request: FastifyRequest, reply: FastifyReply, extra: { error?: AppError; notice?: { en: string; de: string } } = {}) {
    const basket = await service.viewBasket(deps, ownerOf(request), request.lang);
    return sendPage(
      reply,
      basketPage(pageContext(request, deps), basket, { cookiesBlocked: !request.headers.cookie, error: extra.error?.text, notice: extra.notice }),
      extra.error?.status ?? 200,
    );
  }

  /** Form actions answer with the basket page; expected refusals (stock, quantity) are shown on it. */
  async function formAction(request: FastifyRequest, reply: FastifyReply, action: () => Promise<void>) {
    try {
      await action();
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 429) return renderBasket(request, reply, { error: err });
      throw err;
    }
    return reply.redirect('/basket', 303);
  }

  app.get('/basket', async (request, reply) => renderBasket(request, reply));

  app.post('/basket/items', { schema: { body: formBody } }, async (request, reply) => {
    const body = request.body as Record<string, string>;
    return formAction(request, reply, () => service.addToBasket(deps, ownerForChange(request, reply), body.productId ?? '', quantityOf(body.quantity ?? '1')));
  });

  app.post('/basket/items/:productId', { schema: { body: formBody, params: productIdParams } }, async (request, reply) => {
    const quantity = quantityOf((request.body as Record<string, string>).quantity);
    return formAction(request, reply, () => service.setBasketQuantity(deps, ownerOf(request), (request.params as { productId: string }).productId, quantity));
  });

  app.post('/basket/items/:productId/remove', { schema: { body: formBody, params: productIdParams } }, async (request, reply) =>
    formAction(request, reply, () => service.removeFromBasket(deps, ownerOf(request), (request.params as { productId: string }).productId)),
  );
}
