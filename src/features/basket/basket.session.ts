// The basket's owner: the signed-in account, or a guest's random token in a session cookie. After sign-in the
// next request merges the guest basket into the account's and drops the cookie.
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { defineGlobalPlugin } from '../../platform/http/app.ts';
import { clearCookie, cookiePolicy, setCookie, type CookiePolicy } from '../../platform/http/cookies.ts';
import * as service from './basket.service.ts';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Global: after sign-in, the next request (whichever page) merges the guest basket into the account's. */
export const basketMergePlugin = defineGlobalPlugin<Deps>({
  name: 'candor-basket-merge',
  needs: ['candor-session'],
  register(app, deps) {
    const cookies = cookiePolicy(deps.config.baseUrl);
    app.addHook('preHandler', async (request, reply) => {
      const token = request.cookies[cookies.basket];
      if (!request.viewer || !token) return;
      if (TOKEN.test(token)) await service.mergeGuestBasket(deps, request.viewer.userId, token);
      clearCookie(reply, cookies, cookies.basket);
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
