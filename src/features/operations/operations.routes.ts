// The health checks and the figures.
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { registerJobRunPages } from './operations.jobs.ts';

export function registerOperations(app: App, deps: Deps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  registerJobRunPages(app, deps);
}
