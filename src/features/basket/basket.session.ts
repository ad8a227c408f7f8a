// The basket's owner: the signed-in account, or a guest's random token in a session cookie. After sign-in the
// next request merges the guest basket into the account's, drops the cookie and, on that page, says so.
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { html } from '../../platform/html.ts';
import { defineGlobalPlugin } from '../../platform/http/app.ts';
import { clearCookie, cookiePolicy, setCookie, type CookiePolicy } from '../../platform/http/cookies.ts';
import { tr, type Lang } from '../../platform/i18n.ts';
import { isApiPath } from '../../platform/http/security.ts';
import { addLayoutSlot } from '../../web/index.ts';
import * as service from './basket.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** How many units this request's merge of a guest basket added to the account's basket (0: none). */
    basketMerged: number;
    /** The basket as the page's header and top slot show it (null: no basket, or not a page). */
    basketGlance: service.BasketGlance | null;
  }
}

/** The one-time notice after a form added a product: what was added, and the way on. */
export function basketAddedNotice(lang: Lang, added: { title: string; quantity: number }) {
  const t = (en: string, de: string) => tr(lang, { en, de }, { title: added.title, n: added.quantity });
  return html`<aside class="notice basket-added" aria-label="${t('Added to your basket', 'In den Warenkorb gelegt')}"><p role="status">${
    added.quantity === 1
      ? t('{title} was added to your basket.', '{title} wurde in Ihren Warenkorb gelegt.')
      : t('{n} × {title} were added to your basket.', '{n} × {title} wurden in Ihren Warenkorb gelegt.')
  } <a href="/basket">${t('View basket', 'Warenkorb ansehen')}</a> · <a href="/checkout">${t('Go to checkout', 'Zur Kasse')}</a></p></aside>`;
}

/** A request that renders a page (not the API, not a file): only those show the basket in the header. */
function rendersPage(request: FastifyRequest): boolean {
  const url = request.url;
  if (isApiPath(url) || url.startsWith('/assets/') || url.startsWith('/consent/')) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/** The announcement of a merged basket, on the page the merging request renders. */
export function basketMergedNotice(lang: Lang, added: number) {
  const t = (en: string, de: string) => tr(lang, { en, de }, { n: added });
  return html`<aside class="notice basket-merged" aria-label="${t('Basket', 'Warenkorb')}"><p role="status">${
    added === 1
      ? t(
          '1 item from your last visit was added to your basket.',
          '1 Artikel von Ihrem letzten Besuch wurde in Ihren Warenkorb gelegt.',
        )
      : t(
          '{n} items from your last visit were added to your basket.',
          '{n} Artikel von Ihrem letzten Besuch wurden in Ihren Warenkorb gelegt.',
        )
  } <a href="/basket">${t('Review your basket', 'Warenkorb ansehen')}</a></p></aside>`;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Global: after sign-in, the next request (whichever page) merges the guest basket into the account's. */
export const basketMergePlugin = defineGlobalPlugin<Deps>({
  name: 'candor-basket-merge',
  needs: ['candor-web', 'candor-session'],
  register(app, deps) {
    const cookies = cookiePolicy(deps.config.baseUrl);
    app.decorateRequest('basketMerged', 0);
    app.decorateRequest('basketGlance', null);
    app.addHook('preHandler', async (request, reply) => {
      const token = request.cookies[cookies.basket];
      if (request.viewer && token) {
        if (TOKEN.test(token))
          request.basketMerged = await service.mergeGuestBasket(deps, request.viewer.userId, token);
        clearCookie(reply, cookies, cookies.basket);
      }
      // The header's count on every page; the notice of what a form just added only on a page navigated to (GET).
      const owner = rendersPage(request) ? ownerOf(request, cookies) : null;
      if (owner) request.basketGlance = await service.glanceBasket(deps, owner, request.lang, request.method === 'GET');
    });
    // The merge happens once (the cookie goes with it), so the page of that request is the one that tells.
    addLayoutSlot(app, {
      name: 'basket-merge',
      render: (request) =>
        request.basketMerged > 0 ? { top: basketMergedNotice(request.lang, request.basketMerged) } : {},
    });
    addLayoutSlot(app, {
      name: 'basket-glance',
      render: (request) => {
        const glance = request.basketGlance;
        if (!glance) return {};
        return {
          counts: { basket: glance.count },
          ...(glance.added ? { top: basketAddedNotice(request.lang, glance.added) } : {}),
        };
      },
    });
  },
});

/** The basket's owner for reading: the account, else the guest cookie, else nobody yet. */
export function ownerOf(request: FastifyRequest, cookies: CookiePolicy): service.BasketOwner | null {
  if (request.viewer) return { userId: request.viewer.userId };
  const token = request.cookies[cookies.basket];
  return token && TOKEN.test(token) ? { guestToken: token } : null;
}

/** The owner for writing: a guest without a basket gets a new token in a session cookie. */
export function ownerForChange(
  request: FastifyRequest,
  reply: FastifyReply,
  cookies: CookiePolicy,
): service.BasketOwner {
  const owner = ownerOf(request, cookies);
  if (owner) return owner;
  const guestToken = randomBytes(32).toString('base64url');
  setCookie(reply, cookies, cookies.basket, guestToken);
  return { guestToken };
}
