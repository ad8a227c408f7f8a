// Records every request (pages, API, errors, rate-limited ones) in the usage log, after the response is sent.
import type { Deps } from '../../deps.ts';
import { defineGlobalPlugin, type App } from '../../platform/http/app.ts';
import { primaryLanguage, summariseAgent } from './user-agent.ts';

/** Global: the usage log records every request, whichever feature answers it. */
export const usageLogPlugin = defineGlobalPlugin<Deps>({
  name: 'candor-usage-log',
  needs: [],
  register: registerUsageLogging,
});

function registerUsageLogging(app: App, deps: Pick<Deps, 'config' | 'clock' | 'usageLog'>): void {
  if (!deps.config.usageLog) return;
  app.addHook('onResponse', async (request, reply) => {
    if (routeConfig(request, 'usageLog') === false) return;
    const agent = summariseAgent(request.headers['user-agent']);
    const length = Number(reply.getHeader('content-length'));
    deps.usageLog.record({
      at: deps.clock.now(),
      durationMs: reply.elapsedTime,
      tzOffsetMin: parseOffset(request.headers['x-timezone-offset']),
      method: request.method,
      path: (secretPath(request) ? (request.routeOptions.url ?? '') : stripQuery(request.url)).slice(0, 2000),
      status: reply.statusCode,
      bytes: Number.isFinite(length) ? length : 0,
      referrer: parseReferrer(request.headers.referer),
      browser: agent.browser,
      browserVersion: agent.version,
      language: primaryLanguage(request.headers['accept-language']),
      os: agent.os,
      ip: request.ip,
    });
  });
}

/**
 * Routes whose path carries a credential (a licence key) declare `config: { secretPath: true }`, token links
 * `config: { tokenLink: true }` (the token may be in the path, as on the payment page, or in the query): for both the
 * log keeps the route's pattern, never the address as asked.
 */
function secretPath(request: { routeOptions: { config: unknown } }): boolean {
  return routeConfig(request, 'secretPath') === true || routeConfig(request, 'tokenLink') === true;
}

/**
 * A route's own config value. `usageLog: false` keeps a route out of the log: only the load balancer's probes
 * and the metrics scrape (operations feature), polled every few seconds by the operator's own machines.
 */
function routeConfig(request: { routeOptions: { config: unknown } }, key: string): unknown {
  const config = request.routeOptions.config;
  return typeof config === 'object' && config !== null ? Reflect.get(config, key) : undefined;
}

/** Query strings can carry tokens (verification links); only the page is logged. */
function stripQuery(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function parseReferrer(header: string | undefined): string | null {
  if (!header) return null;
  try {
    const url = new URL(header);
    return `${url.origin}${url.pathname}`.slice(0, 2000);
  } catch {
    return null;
  }
}

/** Minutes east of UTC, sent by clients that know it (`X-Timezone-Offset: +60`). */
function parseOffset(header: string | string[] | undefined): number | null {
  if (typeof header !== 'string' || !/^[+-]?\d{1,4}$/.test(header)) return null;
  const n = Number(header);
  return Math.abs(n) <= 14 * 60 ? n : null;
}
