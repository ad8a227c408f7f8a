// The basket page and its forms. Works without JavaScript; refusals (stock, quantity) show on the page.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import type { Text } from '../../platform/i18n.ts';
import { visitorVat } from '../../shop/vat.ts';
import { formBody, formText, pageContext, safeBackPath, sendPage } from '../../web/index.ts';
import { ProductIdParams } from './basket.api.routes.ts';
import { basketPage } from './basket.pages.ts';
import * as service from './basket.service.ts';
import { ownerForChange, ownerOf } from './basket.session.ts';

// The page's own rules answer odd quantities on the basket page, so the form schema only bounds the text.
const AddItemForm = formBody({ productId: formText(200), quantity: formText(200), back: formText(500) });
const QuantityForm = formBody({ quantity: formText(200) });
const EmptyForm = formBody({});

/** Adding to the basket is a goal of first-party analytics (issue 15). */
const basketGoal = { analyticsGoal: 'add-to-basket' } as const;

export function registerBasketPageRoutes(app: App, deps: Deps): void {
  const cookies = cookiePolicy(deps.config.baseUrl);
  const quantityOf = (raw: string | undefined) =>
    raw !== undefined && /^\d{1,3}$/.test(raw.trim()) ? Number(raw) : Number.NaN;

  async function renderBasket(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: AppError; notice?: Text; productId?: string } = {},
  ) {
    const basket = await service.viewBasket(
      deps,
      ownerOf(request, cookies),
      request.lang,
      visitorVat(request, deps.config),
    );
    // A refusal about one product is shown at its line too (when it is in the basket), with the field's words.
    const line = extra.error && basket.items.some((i) => i.productId === extra.productId) ? extra.productId : undefined;
    const lineError =
      line && extra.error ? { productId: line, text: extra.error.fields.quantity ?? extra.error.text } : undefined;
    const options = {
      cookiesBlocked: !request.headers.cookie,
      error: extra.error?.text,
      notice: extra.notice,
      lineError,
    };
    return sendPage(reply, basketPage(pageContext(request), basket, options), extra.error?.status ?? 200);
  }

  /** Form actions answer with the basket page; expected refusals (stock, quantity) are shown on it. */
  async function formAction(
    request: FastifyRequest,
    reply: FastifyReply,
    productId: string,
    action: () => Promise<string | void>,
  ) {
    let next: string | void;
    try {
      next = await action();
    } catch (err) {
      const expected = err instanceof AppError && err.status < 500 && err.status !== 429;
      if (expected) return renderBasket(request, reply, { error: err, productId });
      throw err;
    }
    return reply.redirect(next ?? '/basket', 303);
  }

  app.get('/basket', async (request, reply) => renderBasket(request, reply));

  // Back to the page the shopper added from (the product's page unless the form names another of ours), which
  // then says once what was added, with the links to the basket and the checkout (basket.session.ts).
  app.post('/basket/items', { config: basketGoal, schema: { body: AddItemForm } }, async (request, reply) => {
    const { productId = '', quantity = '1', back } = request.body;
    return formAction(request, reply, productId, async () => {
      const owner = ownerForChange(request, reply, cookies);
      const product = await service.addToBasket(deps, owner, productId, quantityOf(quantity), { announce: true });
      return safeBackPath(back, `/shop/${product.slug}`);
    });
  });

  app.post(
    '/basket/items/:productId',
    { schema: { body: QuantityForm, params: ProductIdParams } },
    async (request, reply) => {
      const quantity = quantityOf(request.body.quantity);
      const owner = ownerOf(request, cookies);
      return formAction(request, reply, request.params.productId, () =>
        service.setBasketQuantity(deps, owner, request.params.productId, quantity),
      );
    },
  );

  app.post(
    '/basket/items/:productId/remove',
    { schema: { body: EmptyForm, params: ProductIdParams } },
    async (request, reply) =>
      formAction(request, reply, request.params.productId, () =>
        service.removeFromBasket(deps, ownerOf(request, cookies), request.params.productId),
      ),
  );
}
