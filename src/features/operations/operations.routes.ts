// The health checks, the Prometheus figures and the staff page that shows them. /healthz says the process lives;
// /readyz whether it can serve (operations.readiness.ts). Both are for load balancers polling every second: no
// rate limit (a balancer behind which every client shares one address must not be refused) and no usage-log row.
// /metrics answers only METRICS_TOKEN or METRICS_ALLOW (operations.access.ts); anyone else gets the ordinary 404.
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import { metricsText } from '../../platform/metrics.ts';
import { pageContext, sendPage } from '../../web/index.ts';
import { metricsAccess } from './operations.access.ts';
import { readOperationsFigures, refreshCollectedFigures } from './operations.figures.ts';
import { registerJobRunPages } from './operations.jobs.ts';
import { operationsPage } from './operations.pages.ts';
import { createReadinessCheck } from './operations.readiness.ts';

/** Route config of the probes: `usageLog: false` keeps them out of the usage log (usage-log.hooks.ts). */
const PROBE = { rateLimit: false, usageLog: false } as const;

export function registerOperations(app: App, deps: Deps): void {
  app.get('/healthz', { config: PROBE }, async () => ({ status: 'ok' }));

  const readiness = createReadinessCheck(deps);
  app.get('/readyz', { config: PROBE }, async (_request, reply) => {
    const result = await readiness();
    reply.header('cache-control', 'no-store');
    if (result.ready) return { status: 'ready', checks: result.checks };
    return reply.code(503).send({ status: 'unavailable', checks: result.checks, failing: result.failing });
  });

  // A scrape is kept out of the usage log; a refused request is answered by the 404 handler, which logs it as
  // any unknown address (and counts it under `unmatched`).
  const allowed = metricsAccess(deps.config);
  app.get('/metrics', { config: { usageLog: false } }, async (request, reply) => {
    if (!allowed(request)) return reply.callNotFound();
    await refreshCollectedFigures(deps);
    const { contentType, body } = await metricsText(deps.metrics);
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  });

  app.get('/staff/operations', async (request, reply) => {
    requireRole(request.viewer, ['admin']);
    const figures = await readOperationsFigures(deps);
    return sendPage(reply, operationsPage(pageContext(request), { figures, uptimeSeconds: process.uptime() }));
  });

  registerJobRunPages(app, deps);
}
