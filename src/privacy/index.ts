// The privacy engine as a feature: the policy page, the Art. 30 record, and the retention job.
import { HOUR } from '../platform/clock.ts';
import { createProcessingObjections } from './migrations/001-processing-objections.ts';
import { createAccessAudit } from './migrations/002-access-audit.ts';
import { createPolicyVersions } from './migrations/003-policy-versions.ts';
import { privacyDataMap } from './privacy.data-map.ts';
import { defineFeature } from '../feature.ts';
import { registerPrivacyRoutes } from './privacy.routes.ts';
import { runRetention } from './retention.ts';

export const privacyFeature = defineFeature({
  name: 'privacy',
  migrations: [createProcessingObjections, createAccessAudit, createPolicyVersions],
  dataMap: privacyDataMap,
  policyLinks: [
    {
      right: 'processing-record',
      href: '/privacy/processing.json',
      label: { en: 'Record of processing activities (JSON)', de: 'Verzeichnis der Verarbeitungstätigkeiten (JSON)' },
    },
  ],
  routes: registerPrivacyRoutes,
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
