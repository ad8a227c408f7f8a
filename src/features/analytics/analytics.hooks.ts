// Counts page views on the server, without cookies, and works out each request's visitor (request.analytics): one
// HMAC of the day's salt, IP, user agent and site, and the queued event; no await but the first salt of a day.
// Opted-out, Do Not Track, Global Privacy Control, staff and persons who objected (or are restricted or erased) are
// not counted; a withdrawal of consent drops only the pseudonym. Bots are counted only per reason.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { createMemo } from '../../platform/cache.ts';
import { MINUTE } from '../../platform/clock.ts';
import { addressCarriesSecret } from '../../platform/http/sensitive.ts';
import { defineGlobalPlugin, type App } from '../../platform/http/app.ts';
import {
  classifyAgent,
  countryFromLanguage,
  lacksBrowserHeaders,
  languageOf,
  referrerHost,
  utmOf,
} from './analytics.classify.ts';
import {
  OPT_OUT_COOKIE,
  type AnalyticsEvent,
  type AnalyticsRecorder,
  type Goal,
  type VisitorContext,
} from './analytics.model.ts';
import { excludePseudonyms } from './analytics.exclusions.ts';
import { createSaltKeeper, pseudonymOf, visitorHash } from './analytics.visitor.ts';
import { createAnalyticsWriter } from './analytics.writer.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where every part of analytics queues what it counts (analytics.writer.ts); flushed when the app closes. */
    analyticsRecorder: AnalyticsRecorder;
  }
  interface FastifyRequest {
    /** Who this request counts as, or null when it may not be counted (see VisitorContext). */
    analytics: VisitorContext | null;
  }
  interface FastifyContextConfig {
    /** A request to this route answered below 400 reaches this goal (a 'goal' event). */
    analyticsGoal?: Goal;
  }
}

/** Page views per visitor hash and minute beyond which the visitor counts as a bot ('too-fast'). */
export const MAX_PAGEVIEWS_PER_MINUTE = 30;
const STAFF_ROLES = new Set(['staff', 'admin', 'dpo']);
const STATIC_FILE =
  /\.(?:js|mjs|css|map|png|jpe?g|gif|svg|webp|avif|ico|woff2?|ttf|otf|txt|xml|json|pdf|webmanifest)$/i;
// Bounded memory: the sliding windows and the pseudonyms of recent visitors (kept in memory only).
const MAX_WINDOWS = 50_000;
const MAX_PSEUDONYMS = 10_000;

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Requests analytics never looks at: the console, its own API's files, assets and static files. */
function outOfScope(path: string): boolean {
  return under(path, '/staff') || under(path, '/assets') || STATIC_FILE.test(path);
}

/** Opted out by the cookie of policy 2c (dd), or a Do Not Track or Global Privacy Control signal. */
function declined(request: FastifyRequest): boolean {
  const headers = request.headers;
  if (headers.dnt === '1' || headers['sec-gpc'] === '1') return true;
  const cookies = request.cookies;
  return cookies[OPT_OUT_COOKIE] === '1' || cookies[`__Host-${OPT_OUT_COOKIE}`] === '1';
}

/**
 * A page whose address or content may carry a secret or a person's data (sensitive routes and prefixes, a licence
 * key in the path, a token in the address): counted as its route pattern only, without the pseudonym, the referrer
 * or the campaign parameters, so nothing of the address or of the person reaches the events.
 */
function isGuarded(request: FastifyRequest): boolean {
  const config = request.routeOptions.config;
  return (
    config?.sensitive === true || config?.secretPath === true || request.vendorFree || addressCarriesSecret(request.url)
  );
}

/** The page as stored: its route pattern when guarded, else the path without query. */
function storedPath(request: FastifyRequest, guarded: boolean): string {
  if (guarded) return request.routeOptions.url ?? '/';
  return pathOnly(request.url).slice(0, 1000);
}

function isHtml(reply: FastifyReply): boolean {
  return String(reply.getHeader('content-type') ?? '').startsWith('text/html');
}

export const analyticsPlugin = defineGlobalPlugin<Deps>({
  name: 'candor-analytics',
  needs: ['candor-web', 'candor-session', 'candor-consent'],
  register: registerAnalytics,
});

function registerAnalytics(app: App, deps: Deps): void {
  const { clock, config, log } = deps;
  const siteHost = new URL(config.baseUrl).hostname;
  const key = config.analyticsKey;
  const salts = createSaltKeeper(deps.db);
  const recorder = createAnalyticsWriter(deps.db, log, {
    clock,
    bulkInsert: deps.bulkInsert,
    // Once stored, an exclusion also deletes the pseudonym's raw events and assignments and marks their days dirty.
    onExcluded: async (pseudonyms, reason, at) => void (await excludePseudonyms(deps.db, pseudonyms, reason, at)),
  });
  app.decorate('analyticsRecorder', recorder);
  app.decorateRequest('analytics', null);
  app.addHook('onClose', async () => recorder.close());

  // Pseudonyms are HMACs too: remembered per account or consent id, so a visitor's next request computes none.
  const pseudonyms = createMemo<string>({ max: MAX_PSEUDONYMS });
  function pseudonym(kind: 'account' | 'consent', id: string): string {
    return pseudonyms.get(`${kind}:${id}`, () => pseudonymOf(key, kind, id));
  }

  // Requests whose User-Agent is on the bot list: counted per reason when they get a page, nothing else.
  const agentBots = new WeakSet<FastifyRequest>();

  function contextOf(request: FastifyRequest, salt: string): VisitorContext | null {
    const viewer = request.viewer;
    let account: string | null = null;
    if (viewer) {
      account = pseudonym('account', viewer.userId);
      // Objection, restriction or erasure: the person is not counted at all, not even cookieless. A withdrawal of
      // consent ends only the pseudonym (below): the cookieless counting rests on legitimate interest.
      const reason = recorder.exclusionOf(account);
      if (reason !== null && reason !== 'withdrawal') return null;
    }
    // The hash is worked out when something counts (a page view, a goal, the beacon): an API call never needs it.
    const ip = request.ip;
    const agent = request.headers['user-agent'] ?? '';
    let visitor: string | undefined;
    const consent = request.consent;
    let consented: string | null = null;
    if (consent?.categories.has('statistics')) {
      consented = account ?? (consent.stored ? pseudonym('consent', consent.stored.id) : null);
      if (consented !== null && recorder.isExcluded(consented)) consented = null;
    }
    return {
      get visitor() {
        return (visitor ??= visitorHash(salt, ip, agent, siteHost));
      },
      pseudonym: consented,
    };
  }

  app.addHook('onRequest', (request, _reply, done) => {
    // /api/v1/analytics (the beacon) gets its visitor like any request, but is never counted as a page or goal.
    if (outOfScope(pathOnly(request.url)) || declined(request)) return done();
    if (request.viewer && STAFF_ROLES.has(request.viewer.role)) return done();
    if (classifyAgent(request.headers['user-agent']).bot) {
      agentBots.add(request);
      return done();
    }
    const now = clock.now();
    const salt = salts.cachedSalt(now);
    if (salt !== undefined) {
      request.analytics = contextOf(request, salt);
      return done();
    }
    // The first request of a day in this process reads (or makes) the day's salt.
    salts.saltFor(now).then(
      (fresh) => {
        request.analytics = contextOf(request, fresh);
        done();
      },
      (err: unknown) => {
        log.error({ err }, 'analytics salt unavailable: request not counted');
        done();
      },
    );
  });

  // A sliding window of page-view times per visitor hash (of the day): more than 30 a minute is not a person.
  const windows = new Map<string, number[]>();
  function tooFast(visitor: string, now: number): boolean {
    const times = windows.get(visitor);
    if (!times) {
      if (windows.size >= MAX_WINDOWS) windows.delete(windows.keys().next().value as string);
      windows.set(visitor, [now]);
      return false;
    }
    while (times.length > 0 && times[0]! <= now - MINUTE) times.shift();
    times.push(now);
    // At most one time more than the limit is kept: the window stays small however fast the requests come.
    if (times.length > MAX_PAGEVIEWS_PER_MINUTE + 1) times.shift();
    return times.length > MAX_PAGEVIEWS_PER_MINUTE;
  }

  app.addHook('onResponse', (request, reply, done) => {
    const context = request.analytics;
    const agentBot = context === null && agentBots.has(request);
    if (context === null && !agentBot) return done();
    const status = reply.statusCode;
    const page = request.method === 'GET' && status === 200 && isHtml(reply);
    const goal = status < 400 ? request.routeOptions.config?.analyticsGoal : undefined;
    if (!page && goal === undefined) return done();
    const now = clock.now();
    if (agentBot || context === null) {
      if (page) recorder.recordBot(now, 'user-agent');
      return done();
    }
    if (page && lacksBrowserHeaders(request.headers)) {
      recorder.recordBot(now, 'no-browser-headers');
      return done();
    }
    if (page && tooFast(context.visitor, now)) {
      recorder.recordBot(now, 'too-fast');
      return done();
    }
    const agent = classifyAgent(request.headers['user-agent']);
    const languages = request.headers['accept-language'];
    const guarded = isGuarded(request);
    const event: AnalyticsEvent = {
      at: now,
      kind: 'pageview',
      visitor: context.visitor,
      pseudonym: guarded ? null : context.pseudonym,
      path: storedPath(request, guarded),
      referrer_host: guarded ? null : referrerHost(request.headers.referer, siteHost),
      ...(guarded ? { utm_source: null, utm_medium: null, utm_campaign: null } : utmOf(request.url)),
      language: languageOf(languages),
      browser: agent.browser,
      os: agent.os,
      device: agent.device,
      country: countryFromLanguage(languages),
      screen: null,
      duration_ms: null,
      scroll_pct: null,
      target: null,
    };
    if (page) recorder.record(event);
    // A goal keeps the consenting visitor's pseudonym even on a guarded page (placing an order): experiments count
    // their conversions by it, and the event says only that the goal was reached.
    if (goal !== undefined) recorder.record({ ...event, kind: 'goal', target: goal, pseudonym: context.pseudonym });
    done();
  });
}
