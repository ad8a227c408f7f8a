// Request-forgery defences. Forms carry a token bound to a random cookie by HMAC (signed double submit).
// The JSON API takes no token: it accepts only JSON bodies and rejects requests whose Origin or
// Sec-Fetch-Site shows another site, which browsers cannot forge.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../errors.ts';
import { setCookie, type CookiePolicy } from './cookies.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Headers for every response: a strict Content-Security-Policy (our own origin only, no inline code,
 * `base-uri 'none'`), HSTS, nosniff, a same-origin referrer policy, no framing, no powerful features.
 */
export function buildSecurityHeaders(https: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
  return {
    'content-security-policy': csp,
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), interest-cohort=()',
  };
}

export function csrfTokenFor(secret: string, seed: string): string {
  return createHmac('sha256', secret).update(`csrf:${seed}`).digest('base64url');
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/');
}

function fromForeignSite(request: FastifyRequest, baseUrl: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site') return true;
  // Pages with `Referrer-Policy: no-referrer` (a token in the address) make the browser send `Origin: null` with
  // their forms; Sec-Fetch-Site, which no page can set, still says where the form came from.
  if (site === 'same-origin') return false;
  const origin = request.headers.origin;
  if (!origin) return false;
  if (origin === 'null') return true;
  return origin !== new URL(baseUrl).origin && origin !== `${request.protocol}://${request.host}`;
}

/**
 * Positive proof that a request comes from our own pages: `Sec-Fetch-Site: same-origin`, or, from a browser that
 * sends no fetch metadata, an Origin equal to ours. For forms that carry no token (see the consent banner).
 */
export function provesSameOrigin(request: FastifyRequest, baseUrl: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const origin = request.headers.origin;
  return (
    origin !== undefined && (origin === new URL(baseUrl).origin || origin === `${request.protocol}://${request.host}`)
  );
}

const SEED = /^[A-Za-z0-9_-]{43}$/;
const noToken = (): string => '';

export function registerRequestForgeryDefences(
  app: FastifyInstance,
  secret: string,
  baseUrl: string,
  cookies: CookiePolicy,
): void {
  app.decorateRequest('csrfToken', noToken);

  // The token (and, for a first visit, its cookie) is made only when a page renders a form that needs it:
  // a visitor who only browses gets no cookie at all.
  app.addHook('onRequest', (request, reply, done) => {
    let token: string | undefined;
    request.csrfToken = () => {
      if (token !== undefined) return token;
      let seed = request.cookies[cookies.csrf];
      if (!seed || !SEED.test(seed)) {
        seed = randomBytes(32).toString('base64url');
        setCookie(reply, cookies, cookies.csrf, seed);
      }
      return (token = csrfTokenFor(secret, seed));
    };
    done();
  });

  // preValidation: after the body is parsed, before the route's schema looks at it.
  app.addHook('preValidation', async (request) => {
    if (request.is404) return; // nothing is processed; the not-found handler answers
    // The API speaks JSON only: a body in any other type is refused as such before its content is looked at.
    const api = isApiPath(request.url);
    if (
      api &&
      request.body !== undefined &&
      !/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')
    ) {
      throw errors.unsupportedMediaType();
    }
    const badField =
      findControlCharacters(request.params, 'path') ??
      findControlCharacters(request.query, 'query') ??
      findControlCharacters(request.body, '');
    if (badField !== undefined) throw errors.controlCharacters(badField || 'body');
    if (SAFE_METHODS.has(request.method)) return;
    if (fromForeignSite(request, baseUrl)) throw errors.foreignOrigin();
    if (api) {
      if (request.body !== undefined && !request.routeOptions.schema?.body) throw errors.unexpectedBody();
      return;
    }
    // Routes authenticated by a signed token in the link (one-click unsubscribe) need no form token.
    if ((request.routeOptions.config as { csrfExempt?: boolean } | undefined)?.csrfExempt === true) return;
    const sent = formToken(request.body);
    const seed = request.cookies[cookies.csrf];
    if (!seed || !SEED.test(seed) || sent === undefined || !sameToken(sent, csrfTokenFor(secret, seed)))
      throw errors.csrf();
  });
}

/** The `_csrf` field of a parsed form body, if the body is an object that has one as text. */
function formToken(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const token = body._csrf;
  return typeof token === 'string' ? token : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// NUL and other C0 controls (except tab and line breaks) are never meaningful in a form or JSON field,
// and PostgreSQL refuses NUL in text; rejecting them here keeps both dialects alike.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The dotted path of the first field (or key) holding a control character, '' for the value itself. */
export function findControlCharacters(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return CONTROL.test(value) ? path : undefined;
  if (depth > 20 || value === null || typeof value !== 'object') return undefined;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value);
  for (const [key, v] of entries) {
    const here = path ? `${path}.${key}` : key;
    if (CONTROL.test(key)) return path || 'body';
    const found = findControlCharacters(v, here, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
