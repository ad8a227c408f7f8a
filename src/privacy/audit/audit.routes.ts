// /staff/privacy/audit: the DPO's view of `candor audit` (roles dpo and admin). Read-only: it runs the checks.
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import { pageContext, sendPage } from '../../web/index.ts';
import { auditPage } from './audit.pages.ts';
import { runAudit } from './audit.ts';

export const AUDIT_ROLES = ['dpo', 'admin'] as const;

export function registerAuditRoutes(
  app: App,
  deps: Pick<Deps, 'db' | 'dbKind' | 'clock' | 'dataMap' | 'config'>,
): void {
  app.get('/staff/privacy/audit', async (request, reply) => {
    requireRole(request.viewer, [...AUDIT_ROLES]);
    const report = await runAudit(deps);
    // The page is evidence of a moment: never cached.
    reply.header('cache-control', 'no-store');
    return sendPage(reply, auditPage(pageContext(request), report));
  });
}
