// The published policy: the current version, every earlier version, and the Art. 30 record as JSON.
import Type from 'typebox';
import type { Deps } from '../deps.ts';
import { errors } from '../platform/errors.ts';
import type { App } from '../platform/http/app.ts';
import { pageContext, sendPage } from '../web/index.ts';
import { findPolicyVersion, listPolicyVersions } from './policy-versions.queries.ts';
import type { PolicyVersionsTable } from './policy-versions.tables.ts';
import { publishCurrentPolicyVersion } from './policy-versions.ts';
import { privacyPage, processingRecord, processingRecordPage } from './policy.pages.ts';
import { registerAuditRoutes } from './audit/audit.routes.ts';
import { requireRole } from '../platform/http/context.ts';

const VersionParams = Type.Object({ number: Type.String({ pattern: '^[1-9][0-9]{0,5}$' }) });

const ref = (v: { number: number; published_at: number }) => ({
  number: Number(v.number),
  publishedAt: Number(v.published_at),
});

/** The policy is published from the data map, the operator's configuration and the consent registry. */
export type PrivacyRoutesDeps = Pick<Deps, 'db' | 'dbKind' | 'clock' | 'config' | 'consent' | 'dataMap'>;

export function registerPrivacyRoutes(app: App, deps: PrivacyRoutesDeps): void {
  // The current content is published when the app starts (a new version when it changed since the latest).
  let current: PolicyVersionsTable | undefined;
  app.addHook('onReady', async () => {
    current = await publishCurrentPolicyVersion(deps);
  });
  const currentVersion = async () => (current ??= await publishCurrentPolicyVersion(deps));

  app.get('/privacy', async (request, reply) => {
    const version = await currentVersion();
    const versions = await listPolicyVersions(deps.db);
    const bodyHtml = request.lang === 'de' ? version.body_de : version.body_en;
    const model = { bodyHtml, version: ref(version), versions: versions.map(ref), latest: true };
    return sendPage(reply, privacyPage(pageContext(request), model));
  });

  app.get('/privacy/versions/:number', { schema: { params: VersionParams } }, async (request, reply) => {
    const latest = await currentVersion();
    const version = await findPolicyVersion(deps.db, Number(request.params.number));
    if (!version) throw errors.notFound();
    const versions = await listPolicyVersions(deps.db);
    const bodyHtml = request.lang === 'de' ? version.body_de : version.body_en;
    const isLatest = Number(version.number) === Number(latest.number);
    const model = { bodyHtml, version: ref(version), versions: versions.map(ref), latest: isLatest };
    return sendPage(reply, privacyPage(pageContext(request), model));
  });

  app.get('/privacy/processing.json', async () =>
    processingRecord({ dataMap: deps.dataMap, operator: deps.config.operator, registry: deps.consent }),
  );

  // The same record, printable, for the DPO (Art. 30(4): made available to the supervisory authority on request).
  app.get('/staff/privacy/record', async (request, reply) => {
    requireRole(request.viewer, ['dpo', 'admin']);
    const record = processingRecord({ dataMap: deps.dataMap, operator: deps.config.operator, registry: deps.consent });
    return sendPage(reply, processingRecordPage(pageContext(request), record));
  });

  registerAuditRoutes(app, deps);
}
