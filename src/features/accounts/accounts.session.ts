// The session: every request learns who is signed in (request.viewer) from the session cookie. Global, so
// every route and every later global plugin (consent, the basket merge) can rely on it.
import type { Deps } from '../../deps.ts';
import { defineGlobalPlugin } from '../../platform/http/app.ts';
import { clearCookie, cookiePolicy } from '../../platform/http/cookies.ts';
import * as service from './accounts.service.ts';
import { secondFactorPath } from './two-factor.service.ts';

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
      // A staff page opened by a staff session without a passed second factor: to enrolment or the code step.
      // (Everything else, the API and forms included, is refused by requireRole: platform/http/context.ts.)
      const v = request.viewer;
      const path = request.url.split('?')[0] ?? '';
      const page = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
      if (v && v.role !== 'customer' && !v.secondFactor && page && /^\/staff(\/|$)/.test(path)) {
        return reply.redirect(await secondFactorPath(deps, v.userId, path), 303);
      }
    });
  },
});
