// The basket page and its forms. Works without JavaScript; refusals (stock, quantity) show on the page.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import type { Text } from '../../platform/i18n.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { ProductIdParams } from './basket.api.routes.ts';
import { basketPage } from './basket.pages.ts';
import * as service from './basket.service.ts';
import { ownerForChange, ownerOf } from './basket.session.ts';

// The page's own rules answer odd quantities on the basket page, so the form schema only bounds the text.
const AddItemForm = formBody({ productId: formText(200), quantity: formText(200) });
const QuantityForm = formBody({ quantity: formText(200) });
const EmptyForm = formBody({});

export function registerBasketPageRoutes(app: App, deps: Deps): void {
  const cookies = cookiePolicy(deps.config.baseUrl);
  const quantityOf = (raw: string | undefined) =>
    raw !== undefined && /^\d{1,3}$/.test(raw.trim()) ? Number(raw) : Number.NaN;

  async function renderBasket(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: AppError; notice?: Text } = {},
  ) {
    const basket = await service.viewBasket(deps, ownerOf(request, cookies), request.lang);
    const options = { cookiesBlocked: !request.headers.cookie, error: extra.error?.text, notice: extra.notice };
    return sendPage(reply, basketPage(pageContext(request), basket, options), extra.error?.status ?? 200);
  }

  /** Form actions answer with the basket page; expected refusals (stock, quantity) are shown on it. */
  async function formAction(request: FastifyRequest, reply: FastifyReply, action: () => Promise<void>) {
    try {
      await action();
    } catch (err) {
      const expected = err instanceof AppError && err.status < 500 && err.status !== 429;
      if (expected) return renderBasket(request, reply, { error: err });
      throw err;
    }
    return reply.redirect('/basket', 303);
  }

  app.get('/basket', async (request, reply) => renderBasket(request, reply));

  app.post('/basket/items', { schema: { body: AddItemForm } }, async (request, reply) => {
    const { productId = '', quantity = '1' } = request.body;
    return formAction(request, reply, () =>
      service.addToBasket(deps, ownerForChange(request, reply, cookies), productId, quantityOf(quantity)),
    );
  });

  app.post(
    '/basket/items/:productId',
    { schema: { body: QuantityForm, params: ProductIdParams } },
    async (request, reply) => {
      const quantity = quantityOf(request.body.quantity);
      const owner = ownerOf(request, cookies);
      return formAction(request, reply, () =>
        service.setBasketQuantity(deps, owner, request.params.productId, quantity),
      );
    },
  );

  app.post(
    '/basket/items/:productId/remove',
    { schema: { body: EmptyForm, params: ProductIdParams } },
    async (request, reply) =>
      formAction(request, reply, () =>
        service.removeFromBasket(deps, ownerOf(request, cookies), request.params.productId),
      ),
  );
}
