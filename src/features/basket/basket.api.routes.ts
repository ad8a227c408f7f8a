// The basket API. A guest gets a session cookie holding a random token when they first add a product.
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import { amountOfCents, amountRef, totalRef } from '../../shop/schemas.ts';
import { visitorVat } from '../../shop/vat.ts';
import * as service from './basket.service.ts';
import { ownerForChange, ownerOf } from './basket.session.ts';

export const ProductIdParams = Type.Object({ productId: Type.String({ minLength: 1, maxLength: 64 }) });

const ApiBasket = Type.Object({
  items: Type.Array(
    Type.Object({
      productId: Type.String(),
      slug: Type.String(),
      kind: Type.String(),
      title: Type.String(),
      quantity: Type.Integer(),
      unitPrice: amountRef,
      lineTotal: amountRef,
    }),
  ),
  count: Type.Integer(),
  total: totalRef,
});

const AddItemBody = Type.Object(
  {
    productId: Type.String({ minLength: 1, maxLength: 64 }),
    quantity: Type.Integer({ minimum: 1, maximum: service.MAX_QUANTITY }),
  },
  { additionalProperties: false },
);

const QuantityBody = Type.Object(
  { quantity: Type.Integer({ minimum: 0, maximum: service.MAX_QUANTITY }) },
  { additionalProperties: false },
);

function toApiBasket(view: service.BasketView) {
  return {
    items: view.items.map((i) => ({
      productId: i.productId,
      slug: i.slug,
      kind: i.kind,
      title: i.title,
      quantity: i.quantity,
      unitPrice: amountOfCents(i.unitCents),
      lineTotal: amountOfCents(i.lineCents),
    })),
    count: view.count,
    total: { amount: amountOfCents(view.totalCents), currency: 'EUR', vatIncluded: amountOfCents(view.vatCents) },
  };
}

export function registerBasketApiRoutes(app: App, deps: Deps): void {
  const cookies = cookiePolicy(deps.config.baseUrl);
  const view = async (request: FastifyRequest, owner: service.BasketOwner | null) =>
    toApiBasket(await service.viewBasket(deps, owner, request.lang, visitorVat(request, deps.config)));

  app.get(
    '/api/v1/basket',
    { schema: { summary: 'My basket', tags: ['basket'], response: { 200: ApiBasket } } },
    async (request) => view(request, ownerOf(request, cookies)),
  );

  app.post(
    '/api/v1/basket/items',
    {
      config: { analyticsGoal: 'add-to-basket' },
      schema: {
        summary: 'Add a product to the basket',
        tags: ['basket'],
        body: AddItemBody,
        response: { 201: ApiBasket, 400: errorRef, 404: errorRef, 409: errorRef },
      },
    },
    async (request, reply) => {
      const owner = ownerForChange(request, reply, cookies);
      await service.addToBasket(deps, owner, request.body.productId, request.body.quantity);
      return reply.code(201).send(await view(request, owner));
    },
  );

  app.patch(
    '/api/v1/basket/items/:productId',
    {
      schema: {
        summary: 'Change the quantity of a product in the basket (0 removes it)',
        tags: ['basket'],
        params: ProductIdParams,
        body: QuantityBody,
        response: { 200: ApiBasket, 400: errorRef, 404: errorRef, 409: errorRef },
      },
    },
    async (request) => {
      const owner = ownerOf(request, cookies);
      await service.setBasketQuantity(deps, owner, request.params.productId, request.body.quantity);
      return view(request, owner);
    },
  );

  app.delete(
    '/api/v1/basket/items/:productId',
    {
      schema: {
        summary: 'Remove a product from the basket',
        tags: ['basket'],
        params: ProductIdParams,
        response: { 200: ApiBasket, 404: errorRef },
      },
    },
    async (request) => {
      const owner = ownerOf(request, cookies);
      await service.removeFromBasket(deps, owner, request.params.productId);
      return view(request, owner);
    },
  );
}
