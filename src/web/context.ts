// The web layer's global plugin: the visitor's language, the site's facts and the layout slots, and the
// page context every page is rendered from.
import type { FastifyRequest } from 'fastify';
import { defineGlobalPlugin } from '../platform/http/app.ts';
import { cookiePolicy } from '../platform/http/cookies.ts';
import { negotiateLang } from '../platform/i18n.ts';
import { siteCss } from './assets.ts';
import type { PageContext } from './layout.ts';
import { renderSlots } from './slots.ts';

export interface Site {
  baseUrl: string;
  company: string;
  /** Links to the company's social network pages: plain links that load nothing from those hosts. */
  social: { name: string; url: string }[];
}

declare module 'fastify' {
  interface FastifyInstance {
    site: Site;
  }
}

function readPrefsLang(raw: string | undefined): string | undefined {
  return raw ? (new URLSearchParams(raw).get('lang') ?? undefined) : undefined;
}

export const webPlugin = defineGlobalPlugin<Site>({
  name: 'candor-web',
  needs: ['@fastify/cookie'],
  register(app, site) {
    const cookies = cookiePolicy(site.baseUrl);
    app.decorate('site', site);
    app.decorate('layoutSlots', []);
    app.decorateRequest('lang', 'en');
    app.addHook('onRequest', async (request) => {
      request.lang = negotiateLang(readPrefsLang(request.cookies[cookies.prefs]), request.headers['accept-language']);
    });
    app.get('/assets/site.css', async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(siteCss),
    );
  },
});

export function pageContext(request: FastifyRequest): PageContext {
  const q = request.url.indexOf('?');
  const site = request.server.site;
  return {
    lang: request.lang,
    viewer: request.viewer,
    csrfToken: request.csrfToken,
    path: q === -1 ? request.url : request.url.slice(0, q),
    company: site.company,
    slots: () => renderSlots(request),
    social: site.social,
  };
}

/** Only same-site relative paths are followed after a form, never another host. */
export function safeBackPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./~%]*$/.test(value) ? value : fallback;
}
