// Request metrics for every route: one counter and one histogram sample per answered request, labelled by the
// route PATTERN (`/shop/:slug`, or `unmatched` for a 404 without a route), a known method and the status class.
// Never the raw path or anything from the request itself, so labels stay few and carry no personal data.
import type { Deps } from '../../deps.ts';
import { defineGlobalPlugin, type App } from '../../platform/http/app.ts';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/** The route label of a request: its pattern, or `unmatched` when no route matched (the 404 handler answered). */
export function routeLabel(request: { routeOptions: { url?: string | undefined } }): string {
  return request.routeOptions.url ?? 'unmatched';
}

/** Global: every request is counted, whichever feature answers it (also 404s, 429s and errors). */
export const requestMetricsPlugin = defineGlobalPlugin<Deps>({
  name: 'candor-request-metrics',
  needs: [],
  register: registerRequestMetrics,
});

function registerRequestMetrics(app: App, deps: Pick<Deps, 'metrics'>): void {
  const { requests, requestSeconds } = deps.metrics;
  // A callback hook, not an async one: it runs on every request and the bench measures the difference.
  app.addHook('onResponse', (request, reply, done) => {
    const route = routeLabel(request);
    const method = METHODS.has(request.method) ? request.method : 'OTHER';
    const status = STATUS_CLASSES[Math.floor(reply.statusCode / 100) - 1] ?? 'other';
    requests.inc({ route, method, status });
    requestSeconds.observe({ route, method }, reply.elapsedTime / 1000);
    done();
  });
}
