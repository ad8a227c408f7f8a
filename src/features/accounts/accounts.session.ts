// The session: every request learns who is signed in (request.viewer) from the session cookie. Global, so
// every route and every later global plugin (consent, the basket merge) can rely on it.
import type { Deps } from '../../deps.ts';
import { defineGlobalPlugin } from '../../platform/http/app.ts';
import { clearCookie, cookiePolicy } from '../../platform/http/cookies.ts';
import * as service from './accounts.service.ts';

export const sessionPlugin = defineGlobalPlugin<Deps>({
  name: 'candor-session',
  needs: ['@fastify/cookie'],
  register(app, deps) {
    const cookies = cookiePolicy(deps.config.baseUrl);
    app.decorateRequest('viewer', null);
    app.addHook('onRequest', async (request, reply) => {
      const token = request.cookies[cookies.session];
      if (!token) return;
      request.viewer = /^[A-Za-z0-9_-]{43}$/.test(token) ? await service.resolveSession(deps, token, request.ip) : null;
      if (!request.viewer) clearCookie(reply, cookies, cookies.session);
    });
  },
});
