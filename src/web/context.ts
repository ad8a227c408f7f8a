// The web layer's global plugin: the visitor's language (and the switch), the site's facts, its navigation and
// the layout slots, and the page context every page is rendered from.
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { defineGlobalPlugin } from '../platform/http/app.ts';
import { requireRole, type Role } from '../platform/http/context.ts';
import { cookiePolicy } from '../platform/http/cookies.ts';
import { isApiPath } from '../platform/http/security.ts';
import { isLang, negotiateLang } from '../platform/i18n.ts';
import { siteCss } from './assets.ts';
import type { PageContext } from './layout.ts';
import type { NavLink } from './navigation.ts';
import { renderSlots } from './slots.ts';

export interface Site {
  baseUrl: string;
  company: string;
  /** Links to the company's social network pages: plain links that load nothing from those hosts. */
  social: { name: string; url: string }[];
  /** The features' links for the header and the footer (their manifests' `navigation`). */
  navigation: NavLink[];
  /** The operator's time zone, in which every time is shown. */
  timeZone: string;
  /** Where the header's search field sends its query (a manifest's `searchPath`). */
  searchPath?: string;
  /** The staff console's home (a manifest's `consolePath`): pages under it get the console's frame. */
  consolePath?: string;
}

const LanguageQuery = Type.Object({
  lang: Type.Optional(Type.String({ maxLength: 5 })),
  back: Type.Optional(Type.String({ maxLength: 500 })),
});

declare module 'fastify' {
  interface FastifyInstance {
    site: Site;
  }
}

/** Who may open the console's home. */
const STAFF_ROLES: readonly Role[] = ['staff', 'dpo', 'admin'];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function readPrefsLang(raw: string | undefined): string | undefined {
  return raw ? (new URLSearchParams(raw).get('lang') ?? undefined) : undefined;
}

export const webPlugin = defineGlobalPlugin<Site>({
  name: 'candor-web',
  needs: ['@fastify/cookie'],
  register(app, site) {
    const cookies = cookiePolicy(site.baseUrl);
    app.decorate('site', { ...site, navigation: [...site.navigation].sort((a, b) => a.order - b.order) });
    app.decorate('layoutSlots', []);
    app.decorateRequest('lang', 'en');
    app.addHook('onRequest', async (request) => {
      request.lang = negotiateLang(readPrefsLang(request.cookies[cookies.prefs]), request.headers['accept-language']);
    });
    // A page's query parameters are hints (a notice to show, where to go next, a filter): a repeated one counts
    // once, with its first value, so that `?next=a&next=b` still shows the page instead of a validation error.
    app.addHook('preValidation', (request, _reply, done) => {
      const query: unknown = request.query;
      if (request.url.includes('?') && !isApiPath(request.url) && isRecord(query)) {
        for (const key in query) if (Array.isArray(query[key])) query[key] = (query[key] as unknown[])[0];
      }
      done();
    });
    // The console's door: a request under the console's home gets past only with a role its console's sidebar link
    // names (the most specific link; the home itself: any staff role) and a passed second factor, before any of it
    // is read, so that a visitor or a customer gets 401 or 403 whatever they send. The route's own requireRole
    // still decides after this.
    const home = site.consolePath;
    const consoles = site.navigation.filter((l) => l.place === 'console').sort((a, b) => b.href.length - a.href.length);
    app.addHook('preValidation', async (request) => {
      if (!home) return;
      const path = request.url.split('?')[0] ?? '';
      if (path !== home && !path.startsWith(`${home}/`)) return;
      const link = consoles.find(
        (l) => path === l.href || path.startsWith(`${l.href}/`) || path.startsWith(`${l.href}.`),
      );
      requireRole(request.viewer, [...(link?.roles ?? STAFF_ROLES)]);
    });
    // A link, not a form: switching the language changes only the visitor's own preference cookie.
    app.get('/preferences/language', { schema: { querystring: LanguageQuery } }, async (request, reply) => {
      const { lang, back } = request.query;
      if (isLang(lang)) {
        // The cookie holds other preferences too (the checkout's country, shop/vat.ts): only the language changes.
        const prefs = new URLSearchParams(request.cookies[cookies.prefs] ?? '');
        prefs.set('lang', lang);
        reply.setCookie(cookies.prefs, prefs.toString(), {
          path: '/',
          httpOnly: true,
          secure: cookies.secure,
          sameSite: 'lax',
          maxAge: 365 * 24 * 3600,
        });
      }
      return reply.header('cache-control', 'no-store').redirect(safeBackPath(back), 303);
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
    navigation: site.navigation,
    timeZone: site.timeZone,
    searchPath: site.searchPath,
    consolePath: site.consolePath,
  };
}

/**
 * Only same-site absolute paths are followed after a form, never another host: a path of plain characters with no
 * empty segment (`//`, which a browser may read as another host once `.` or `..` is resolved away), no `.` or `..`
 * segment (also not percent-encoded) and no encoded slash or backslash.
 */
export function safeBackPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !/^\/[\w\-./~%]*$/.test(value)) return fallback;
  if (value.includes('//') || /%(2f|5c)/i.test(value)) return fallback;
  const segments = value.split('/').map((s) => s.replace(/%2e/gi, '.'));
  return segments.some((s) => s === '.' || s === '..') ? fallback : value;
}
