// buildApp(deps): the Fastify instance with the platform's defences and every feature's routes.
// It never listens; tests drive it with app.inject(), main.ts binds it to a port.
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Deps } from './deps.ts';
import type { Feature } from './feature.ts';
import { features } from './features.ts';
import { errors } from './platform/errors.ts';
import { registerGlobal, typed } from './platform/http/app.ts';
import { clientKey } from './platform/http/client-key.ts';
import { cookiePolicy } from './platform/http/cookies.ts';
import { frameworkErrorHandler, registerErrorHandler } from './platform/http/error-handler.ts';
import { LazyChildLogger } from './platform/log.ts';
import { collectOpenApi } from './platform/http/openapi.ts';
import { platformSchemas, registerSharedSchemas } from './platform/http/schemas.ts';
import { shopSchemas } from './shop/schemas.ts';
import { buildSecurityHeaders, registerRequestForgeryDefences } from './platform/http/security.ts';
import { registerSensitiveAnswers } from './platform/http/sensitive.ts';
import { sharedRateLimitStore } from './platform/http/rate-limit-store.ts';
import { errorPage, pageContext, webPlugin } from './web/index.ts';

export const BODY_LIMIT = 64 * 1024;

/** `list` is the table of contents (tests pass another order to show that a wrong one fails at start). */
export async function buildApp(deps: Deps, list: Feature[] = features): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // Fastify's request log would record full URLs (with tokens) and client IPs; Candor logs neither.
    logController: new LogController({ disableRequestLogging: true }),
    // A request's logger (bound to its id) is made on its first log line, not for every request (log.ts).
    childLoggerFactory: (logger, bindings, options) => new LazyChildLogger(logger, bindings, options),
    // A hop count trusts that many proxies nearest to us; proxy-addr calls this per address, nearest first.
    trustProxy: typeof config.trustProxy === 'number' ? hopsToTrust(config.trustProxy) : config.trustProxy,
    bodyLimit: BODY_LIMIT,
    // Route schemas check parameter lengths, with a clear message; the router's own limit stays out of the way.
    routerOptions: { maxParamLength: 2048 },
    frameworkErrors: frameworkErrorHandler,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });
  const cookies = cookiePolicy(config.baseUrl);
  const https = config.baseUrl.startsWith('https:');

  // Security headers are the same for every response, so they are built once (not per request).
  const securityHeaders = buildSecurityHeaders(https);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: BODY_LIMIT });
  app.removeContentTypeParser('text/plain');

  // Counted in Redis while it answers (one count per address across processes), else in this process
  // (src/platform/http/rate-limit-store.ts); a starting process first gives Redis a moment to connect.
  await deps.shared.settled();
  await app.register(fastifyRateLimit, {
    global: true,
    max: config.rateLimit.perMinute,
    timeWindow: 60_000,
    // While the full IP exists it serves (D)DoS defence; behind a proxy request.ip honours TRUST_PROXY.
    keyGenerator: (request) => clientKey(request.ip),
    store: sharedRateLimitStore(deps.shared, 'candor-rl-'),
    errorResponseBuilder: (_request, context) => errors.rateLimited(Math.max(1, Math.ceil(context.ttl / 1000))),
  });

  // What the features declare about the site: its sensitive paths, its sign-in page, its navigation.
  registerSensitiveAnswers(
    app,
    list.flatMap((f) => f.sensitivePaths ?? []),
  );
  registerRequestForgeryDefences(app, config.secret, config.baseUrl, cookies);
  registerSharedSchemas(app, [...platformSchemas, ...shopSchemas]);
  const openApi = collectOpenApi(app, { title: `${config.operator.company} API (Candor)`, version: '1' });
  const signInPath = list.find((f) => f.signInPath)?.signInPath;
  registerErrorHandler(
    app,
    deps.log,
    (request, error) => errorPage(pageContext(request), error),
    signInPath,
    deps.metrics,
    app.rateLimit(),
  );

  // Global plugins first, so that their hooks apply to every route group registered after them.
  await registerGlobal(app, webPlugin, {
    baseUrl: config.baseUrl,
    company: config.operator.company,
    social: deps.consent.social,
    navigation: list.flatMap((f) => f.navigation ?? []),
    timeZone: config.operator.timeZone,
    searchPath: list.find((f) => f.searchPath)?.searchPath,
    consolePath: list.find((f) => f.consolePath)?.consolePath,
  });
  for (const feature of list) {
    for (const plugin of feature.plugins ?? []) {
      try {
        await registerGlobal(app, plugin, deps);
      } catch (err) {
        throw new Error(
          `Feature "${feature.name}" cannot start: ${(err as Error).message}. Register what provides it first: a feature earlier in src/features.ts (the platform's own plugins come from src/app.ts).`,
          { cause: err },
        );
      }
    }
  }
  app.decorate(
    'consoleFigures',
    list.flatMap((f) => (f.consoleFigures ? [f.consoleFigures] : [])),
  );
  app.decorate(
    'checkoutChoices',
    list.flatMap((f) => f.checkoutChoices ?? []).sort((a, b) => a.order - b.order),
  );
  app.decorate(
    'customerSections',
    list.flatMap((f) => (f.customerSections ? [f.customerSections] : [])),
  );
  for (const feature of list) {
    const routes = feature.routes;
    if (routes) await app.register(async (scope) => routes(typed(scope), deps));
  }

  app.get('/api/v1/openapi.json', async () => openApi());
  return app;
}

function hopsToTrust(hops: number) {
  return (_address: string, index: number) => index < hops;
}
