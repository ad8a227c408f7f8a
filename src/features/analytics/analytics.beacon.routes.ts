// The consented beacon's script (GET /analytics/beacon.js) and its endpoint (POST /api/v1/analytics/events): a strict
// schema, a small body, a rate limit per client, and nothing recorded without statistics consent or for a visitor
// who may not be counted (request.analytics null). The request only queues events: no await on the database.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import { addressCarriesSecret, isSensitivePath } from '../../platform/http/sensitive.ts';
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

export function registerBeaconRoutes(app: App, deps: Deps): void {
  // One browser sends one batch per page it leaves (more only after switching tabs): a fifth of the general limit.
  const beaconLimit = {
    rateLimit: { max: Math.max(10, Math.ceil(deps.config.rateLimit.perMinute / 5)), timeWindow: 60_000 },
  };

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
          'when the visitor may be counted (no opt-out, Do Not Track or Global Privacy Control); 204 otherwise.',
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
      const visitor = request.analytics;
      if (body.events.length === 0) return reply.code(204).send();
      // A sensitive page never loads the beacon; a forged report about one is dropped all the same.
      if (
        !visitor ||
        !request.consent.categories.has('statistics') ||
        isSensitivePath(body.path, request.server.sensitivePrefixes) ||
        addressCarriesSecret(body.path)
      )
        return reply.code(204).send();
      const at = deps.clock.now();
      const agent = classifyAgent(request.headers['user-agent']);
      const acceptLanguage = request.headers['accept-language'];
      const base: Omit<AnalyticsEvent, 'kind' | 'target' | 'duration_ms' | 'scroll_pct'> = {
        at,
        visitor: visitor.visitor,
        pseudonym: visitor.pseudonym,
        path: body.path,
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
