// The staff home: every member of staff (staff, DPO, admin); customers get 403, visitors the sign-in page.
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import { pageContext, sendPage } from '../../web/index.ts';
import { consolePeriod } from './console.period.ts';
import { consoleHomePage } from './console.pages.ts';

export function registerConsoleRoutes(app: App, deps: Deps): void {
  app.get('/staff', async (request, reply) => {
    const viewer = requireRole(request.viewer, ['staff', 'dpo', 'admin']);
    const period = consolePeriod(deps.clock.now(), deps.config.operator.timeZone);
    const parts = [];
    for (const provider of [...app.consoleFigures].sort((a, b) => a.order - b.order)) {
      if (provider.roles.includes(viewer.role)) parts.push(await provider.load(deps, period));
    }
    return sendPage(
      reply,
      consoleHomePage(pageContext(request), {
        period,
        figures: parts.flatMap((p) => p.figures),
        charts: parts.flatMap((p) => p.charts ?? []),
      }),
    );
  });
}
