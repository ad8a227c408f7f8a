// The privacy engine as a feature: the policy page, the Art. 30 record, and the retention job.
import { HOUR } from '../platform/clock.ts';
import { defineFeature } from '../platform/feature.ts';
import { pageContext } from '../features/shell/index.ts';
import { sendPage } from '../platform/http/reply.ts';
import { errors } from '../platform/errors.ts';
import { findPolicyVersion, listPolicyVersions } from './consent/consent.queries.ts';
import type { PolicyVersionsTable } from './consent/consent.tables.ts';
import { publishCurrentPolicyVersion } from './policy-versions.ts';
import { privacyPage, processingRecord } from './policy.pages.ts';
import { runRetention } from './retention.ts';

export const privacyFeature = defineFeature({
  name: 'privacy',
  routes(app, deps) {
    // The current content is published when the app starts (a new version when it changed since the latest).
    let current: PolicyVersionsTable | undefined;
    app.addHook('onReady', async () => {
      current = await publishCurrentPolicyVersion(deps);
    });
    const currentVersion = async () => (current ??= await publishCurrentPolicyVersion(deps));
    const ref = (v: { number: number; published_at: number }) => ({ number: Number(v.number), publishedAt: Number(v.published_at) });

    app.get('/privacy', async (request, reply) => {
      const version = await currentVersion();
      const versions = await listPolicyVersions(deps.db);
      const bodyHtml = request.lang === 'de' ? version.body_de : version.body_en;
      return sendPage(reply, privacyPage(pageContext(request, deps), { bodyHtml, version: ref(version), versions: versions.map(ref), latest: true }));
    });
    app.get('/privacy/versions/:number', { schema: { params: { type: 'object', required: ['number'], properties: { number: { type: 'string', pattern: '^[1-9][0-9]{0,5}$' } } } } }, async (request, reply) => {
      const latest = await currentVersion();
      const version = await findPolicyVersion(deps.db, Number((request.params as { number: string }).number));
      if (!version) throw errors.notFound();
      const versions = await listPolicyVersions(deps.db);
      const bodyHtml = request.lang === 'de' ? version.body_de : version.body_en;
      return sendPage(reply, privacyPage(pageContext(request, deps), { bodyHtml, version: ref(version), versions: versions.map(ref), latest: Number(version.number) === Number(latest.number) }));
    });
    app.get('/privacy/processing.json', async () => processingRecord({ dataMap: deps.dataMap, operator: deps.config.operator, registry: deps.consent }));
  },
  jobs: [
    {
      name: 'privacy.run-retention',
      everyMs: HOUR,
      run: async (deps) => {
        const outcomes = await runRetention(deps);
        const changed = outcomes.filter((o) => o.rows > 0 || o.partitionsDropped > 0 || (o.files ?? 0) > 0);
        if (changed.length > 0) deps.log.info({ outcomes: changed }, 'retention applied');
      },
    },
  ],
});
