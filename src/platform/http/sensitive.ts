// Which answers are sensitive, decided here and nowhere else: the account area, checkout and staff pages, routes
// that declare `sensitive` or `tokenLink`, and any request whose address carries a token. Consent enforcement
// loads no vendor tag and admits no vendor host on them; signed-in and sensitive answers are never cached.
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The page shows a secret or a person's data outside the prefixes below. */
    sensitive?: boolean;
    /** The route receives a secret in its address (a link from a mail): sensitive, and sends no referrer. */
    tokenLink?: boolean;
    /** The path itself carries a credential (a licence key, a signed link): the usage log keeps the pattern; as tokenLink here. */
    secretPath?: boolean;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Path prefixes whose pages are sensitive, with everything below them (the features declare them). */
    sensitivePrefixes: readonly string[];
    /** The page routes registered so far (see listPageRoutes). */
    pageRoutes: () => PageRoute[];
  }
}

/** Query parameters whose name says that they carry a credential. */
const SECRET_PARAM = /^(token|[a-z]*_?token|key|licen[cs]e_?key|code|secret|sig|signature|auth)$/i;
/**
 * A value that looks like a random credential: 32 or more base64url characters mixing upper and lower case and
 * digits, or 32 or more hex digits. A long product slug (lower case, hyphens) is not one.
 */
const looksRandom = (value: string) =>
  value.length >= 32 &&
  ((/^[A-Za-z0-9_-]+$/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value)) ||
    /^[0-9a-fA-F]+$/.test(value));

const pathOf = (url: string) => {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
};

export function isSensitivePath(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => path === p || path.startsWith(`${p}/`));
}

/** Whether the address carries something that may grant access: a token-named parameter or a random-looking value. */
export function addressCarriesSecret(url: string): boolean {
  const q = url.indexOf('?');
  const path = pathOf(url);
  if (path.split('/').some(looksRandom)) return true;
  if (q === -1) return false;
  for (const [name, value] of new URLSearchParams(url.slice(q + 1))) {
    if (value !== '' && (SECRET_PARAM.test(name) || looksRandom(value))) return true;
  }
  return false;
}

type SensitivityConfig = { sensitive?: boolean; tokenLink?: boolean; secretPath?: boolean };

/** A route whose path carries a secret is a token link, whichever of the two flags it declares. */
function sensitivityOf(config: SensitivityConfig | undefined): { sensitive: boolean; tokenLink: boolean } {
  const tokenLink = config?.tokenLink === true || config?.secretPath === true;
  return { sensitive: config?.sensitive === true || tokenLink, tokenLink };
}

function routeConfig(request: FastifyRequest): { sensitive: boolean; tokenLink: boolean } {
  return sensitivityOf(request.routeOptions.config as SensitivityConfig | undefined);
}

/** Whether this request's answer must carry no vendor tag, no vendor host in its CSP, and be kept by no cache. */
export function isSensitiveRequest(request: FastifyRequest): boolean {
  if (routeConfig(request).sensitive) return true;
  const route = request.routeOptions.url;
  const prefixes = request.server.sensitivePrefixes;
  return (
    isSensitivePath(pathOf(request.url), prefixes) ||
    (route !== undefined && isSensitivePath(route, prefixes)) ||
    addressCarriesSecret(request.url)
  );
}

export interface PageRoute {
  url: string;
  sensitive: boolean;
}

/**
 * The GET routes outside the JSON API, as registered, with their declared or derived sensitivity: for tests, and
 * for analytics, which counts only pages that are not sensitive. Any instance of the app answers (a decorator of
 * the root is seen by every plugin's instance).
 */
export function listPageRoutes(app: FastifyInstance): PageRoute[] {
  return app.hasDecorator('pageRoutes') ? app.pageRoutes() : [];
}

/**
 * Registers the platform side: signed-in and sensitive answers get `Cache-Control: no-store` (a public asset
 * stays public), and answers to an address with a token, or on a route that receives one, send no referrer.
 * Call before any route is registered.
 */
export function registerSensitiveAnswers(app: FastifyInstance, prefixes: readonly string[]): void {
  app.decorate('sensitivePrefixes', prefixes);
  const routes: PageRoute[] = [];
  app.decorate('pageRoutes', () => [...routes]);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('GET') || route.url === '/api' || route.url.startsWith('/api/')) return;
    routes.push({
      url: route.url,
      sensitive:
        sensitivityOf(route.config as SensitivityConfig | undefined).sensitive || isSensitivePath(route.url, prefixes),
    });
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const sensitive = isSensitiveRequest(request);
    const cache = String(reply.getHeader('cache-control') ?? '');
    if (sensitive || (request.viewer && !/^public\b/i.test(cache))) reply.header('cache-control', 'no-store');
    if (routeConfig(request).tokenLink || addressCarriesSecret(request.url))
      reply.header('referrer-policy', 'no-referrer');
    return payload;
  });
}
