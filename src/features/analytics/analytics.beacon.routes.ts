// The consented beacon's script (GET /analytics/beacon.js) and its endpoint (POST /api/v1/analytics/events): a strict
// schema, a small body, a rate limit per client, and nothing recorded without statistics consent or for a visitor
// who may not be counted (request.analytics null). The request only queues events: no await on the database.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import {
  addressCarriesSecret,
  isSensitivePath,
  listPageRoutes,
  type PageRoute,
} from '../../platform/http/sensitive.ts';
import { beaconJs, MAX_EVENTS } from './analytics.beacon.client.ts';
import { classifyAgent, countryFromLanguage, countryFromTimeZone, languageOf } from './analytics.classify.ts';
import { screenClass, type AnalyticsEvent } from './analytics.model.ts';

/** Small on purpose: 20 events of at most 200 characters each fit with room to spare. */
export const BEACON_BODY_LIMIT = 8 * 1024;
const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

const BeaconEvent = Type.Object(
  {
    kind: Type.Enum(['engagement', 'click', 'outbound'] as const, { type: 'string' }),
    /** click: the element selector (tag, id, classes; up to 4 levels); outbound: the link's host. */
    target: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[a-z0-9#._:> -]+$' })),
    duration_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
    scroll_pct: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);

const BeaconBody = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: 300, pattern: '^/[^\\s?#]*$' }),
    screen: Type.Optional(
      Type.Object(
        { w: Type.Integer({ minimum: 0, maximum: 20_000 }), h: Type.Integer({ minimum: 0, maximum: 20_000 }) },
        { additionalProperties: false },
      ),
    ),
    tz: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z][A-Za-z0-9_+/-]*$' })),
    events: Type.Array(BeaconEvent, { maxItems: MAX_EVENTS }),
  },
  { additionalProperties: false },
);

const Accepted = Type.Unsafe<void>({ type: 'null', description: 'Queued for recording' });
const NoContent = Type.Unsafe<void>({ type: 'null', description: 'Nothing recorded (no consent, or not counted)' });

const noTarget = {
  en: 'Event {n}: a click needs its element selector, a link away its host.',
  de: 'Ereignis {n}: Ein Klick braucht seinen Element-Selektor, ein Link nach außen seinen Host.',
};

const badEscape = {
  en: 'The page address contains an invalid percent escape.',
  de: 'Die Seitenadresse enthält eine ungültige Prozent-Kodierung.',
};

/** A segment of a page's address as the site writes them: letters, digits, '-', '_' and '~'; no dot, no '%'. */
const PAGE_SEGMENT = /^[A-Za-z0-9_~-]+$/;
/** GET routes that are no page (no layout, so no beacon): the API, files, the health checks and the metrics. */
const NO_PAGES = ['/api', '/assets', '/media', '/healthz', '/readyz', '/metrics'];

/**
 * The address as the browser would resolve it: percent-decoded once, repeated slashes collapsed and '.' and '..'
 * segments removed (RFC 3986, 5.2.4); a trailing slash stays. Null when an escape is malformed.
 */
export function normalisePath(path: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  const segments: string[] = [];
  const parts = decoded.split('/');
  for (const part of parts) {
    if (part === '..') segments.pop();
    else if (part !== '' && part !== '.') segments.push(part);
  }
  const last = parts[parts.length - 1];
  const trailing = segments.length > 0 && (last === '' || last === '.' || last === '..');
  return `/${segments.join('/')}${trailing ? '/' : ''}`;
}

/** The pattern filled with the values the router found for its parameters ('/shop/:slug' → '/shop/aurora'). */
function fill(pattern: string, params: Record<string, string | undefined>): string {
  return pattern.replace(/:([A-Za-z0-9_]+)(?:\([^)]*\))?|\*/g, (m, name?: string) => params[name ?? '*'] ?? m);
}

/**
 * Whether a normalised address is a page of the site that analytics may count: a GET route outside the API and the
 * files, written the way the site writes addresses, and not sensitive by any rule of sensitive.ts (the prefixes,
 * compared in lower case; a token in the address; the route's own `sensitive`, `tokenLink` or `secretPath`).
 */
function isCountablePage(server: FastifyInstance, pages: () => PageRoute[], path: string): boolean {
  if (isSensitivePath(path.toLowerCase(), server.sensitivePrefixes) || addressCarriesSecret(path)) return false;
  if (
    path !== '/' &&
    !path
      .split('/')
      .slice(1)
      .every((segment) => PAGE_SEGMENT.test(segment))
  )
    return false;
  if (NO_PAGES.some((p) => isSensitivePath(path.toLowerCase(), [p]))) return false;
  const found = server.findRoute({ method: 'GET', url: path });
  if (!found) return false;
  // The router says that a route matches, not which: the registered pattern that its parameters fill to this path.
  const params = found.params as Record<string, string | undefined>;
  const matches = pages().filter((route) => fill(route.url, params) === path);
  return matches.length > 0 && !matches.some((route) => route.sensitive);
}

export function registerBeaconRoutes(app: App, deps: Deps): void {
  // One browser sends one batch per page it leaves (more only after switching tabs): a fifth of the general limit.
  const beaconLimit = {
    rateLimit: { max: Math.max(10, Math.ceil(deps.config.rateLimit.perMinute / 5)), timeWindow: 60_000 },
  };
  // Read once the app serves requests: no route is added after that.
  let pages: PageRoute[] | undefined;

  app.get('/analytics/beacon.js', async (_request, reply) =>
    // The address carries the script's version (analytics.beacon.plugin.ts), so a year's cache is safe.
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(beaconJs),
  );

  app.post(
    '/api/v1/analytics/events',
    {
      bodyLimit: BEACON_BODY_LIMIT,
      config: beaconLimit,
      schema: {
        summary: 'Events of the consented statistics beacon',
        description:
          'Sent by /analytics/beacon.js with navigator.sendBeacon when a page is left: the visible time and scroll ' +
          'depth, clicks by element selector and links away by host. Recorded only with statistics consent and ' +
          'when the visitor may be counted (no opt-out, Do Not Track or Global Privacy Control), and only for a page ' +
          'of the site that is not sensitive (the path is percent-decoded and normalised first; a malformed escape ' +
          'is a 400); 204 otherwise.',
        tags: ['analytics'],
        body: BeaconBody,
        response: { 202: Accepted, 204: NoContent, 400: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const body = request.body;
      body.events.forEach((e, i) => {
        const bad =
          (e.kind === 'click' && e.target === undefined) ||
          (e.kind === 'outbound' && (e.target === undefined || !HOST.test(e.target)));
        if (bad) {
          const text = { en: noTarget.en.replace('{n}', String(i + 1)), de: noTarget.de.replace('{n}', String(i + 1)) };
          throw errors.invalid(text, { [`events.${i}.target`]: text });
        }
      });
      const path = normalisePath(body.path);
      if (path === null) throw errors.invalid(badEscape, { path: badEscape });
      const visitor = request.analytics;
      if (body.events.length === 0) return reply.code(204).send();
      // A sensitive page never loads the beacon; a forged report about one, however its address is written, is
      // dropped all the same, and so is one about a page the site does not have.
      if (
        !visitor ||
        !request.consent.categories.has('statistics') ||
        !isCountablePage(request.server, () => (pages ??= listPageRoutes(request.server)), path)
      )
        return reply.code(204).send();
      const at = deps.clock.now();
      const agent = classifyAgent(request.headers['user-agent']);
      const acceptLanguage = request.headers['accept-language'];
      const base: Omit<AnalyticsEvent, 'kind' | 'target' | 'duration_ms' | 'scroll_pct'> = {
        at,
        visitor: visitor.visitor,
        pseudonym: visitor.pseudonym,
        path,
        referrer_host: null,
        utm_source: null,
        utm_medium: null,
        utm_campaign: null,
        language: languageOf(acceptLanguage),
        browser: agent.browser,
        os: agent.os,
        device: agent.device,
        country: countryFromTimeZone(body.tz) ?? countryFromLanguage(acceptLanguage),
        screen: body.screen ? screenClass(body.screen.w, body.screen.h) : null,
      };
      const recorder = request.server.analyticsRecorder;
      for (const e of body.events) {
        recorder.record({
          ...base,
          kind: e.kind,
          target: e.kind === 'engagement' ? null : (e.target ?? null),
          duration_ms: e.kind === 'engagement' ? (e.duration_ms ?? 0) : null,
          scroll_pct: e.kind === 'engagement' ? (e.scroll_pct ?? 0) : null,
        });
      }
      return reply.code(202).send();
    },
  );
}
