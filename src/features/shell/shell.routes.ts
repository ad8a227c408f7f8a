// The shell: language negotiation, the preferences cookie, static assets, imprint and cookie pages.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import { sendPage } from '../../platform/http/reply.ts';
import { isLang, negotiateLang } from '../../platform/i18n.ts';
import { siteCss } from './shell.assets.ts';
import { imprintPage, type PageContext } from './shell.pages.ts';

export function pageContext(request: FastifyRequest, deps: Deps): PageContext {
  const q = request.url.indexOf('?');
  return {
    lang: request.lang,
    viewer: request.viewer,
    csrfToken: request.csrfToken,
    path: q === -1 ? request.url : request.url.slice(0, q),
    company: deps.config.operator.company,
    consentView: request.consentView,
    social: deps.consent.social,
  };
}

/** Only same-site relative paths are followed after a form, never another host. */
export function safeBackPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./~%]*$/.test(value) ? value : fallback;
}

function readPrefsLang(raw: string | undefined): string | undefined {
  return raw ? new URLSearchParams(raw).get('lang') ?? undefined : undefined;
}

export function registerShell(app: FastifyInstance, deps: Deps): void {
  const cookies = cookiePolicy(deps.config.baseUrl);
  app.decorateRequest('lang', 'en');
  app.addHook('onRequest', async (request) => {
    request.lang = negotiateLang(readPrefsLang(request.cookies[cookies.prefs]), request.headers['accept-language']);
  });

  // A link, not a form: switching the language changes only the visitor's own preference cookie.
  app.get(
    '/preferences/language',
    { schema: { querystring: { type: 'object', properties: { lang: { type: 'string', maxLength: 5 }, back: { type: 'string', maxLength: 500 } } } } },
    async (request, reply) => {
      const query = request.query as { lang?: string; back?: string };
      if (isLang(query.lang)) {
        reply.setCookie(cookies.prefs, new URLSearchParams({ lang: query.lang }).toString(), {
          path: '/',
          httpOnly: true,
          secure: cookies.secure,
          sameSite: 'lax',
          maxAge: 365 * 24 * 3600,
        });
      }
      return reply.header('cache-control', 'no-store').redirect(safeBackPath(query.back), 303);
    },
  );

  app.get('/assets/site.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(siteCss),
  );
  app.get('/imprint', async (request, reply) => sendPage(reply, imprintPage(pageContext(request, deps), deps.config.operator)));
  app.get('/healthz', async () => ({ status: 'ok' }));
}
