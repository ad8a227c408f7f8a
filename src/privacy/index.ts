// The privacy engine as a feature: the policy page, the Art. 30 record, and the retention job.
import { createProcessingObjections } from './migrations/001-processing-objections.ts';
import { createAccessAudit } from './migrations/002-access-audit.ts';
import { createPolicyVersions } from './migrations/003-policy-versions.ts';
import { chainAccessAudit } from './migrations/004-access-audit-chain.ts';
import { addObjectionEnds } from './migrations/005-objection-ends.ts';
import { privacyDataMap } from './privacy.data-map.ts';
import { defineFeature } from '../feature.ts';
import { registerPrivacyRoutes } from './privacy.routes.ts';
import { retentionJob } from './privacy.jobs.ts';

export const privacyFeature = defineFeature({
  name: 'privacy',
  navigation: [
    {
      href: '/privacy',
      label: { en: 'Privacy policy', de: 'Datenschutzerklärung' },
      place: 'legal',
      for: 'everyone',
      order: 10,
    },
  ],
  migrations: [createProcessingObjections, createAccessAudit, createPolicyVersions, chainAccessAudit, addObjectionEnds],
  dataMap: privacyDataMap,
  policyLinks: [
    {
      right: 'processing-record',
      href: '/privacy/processing.json',
      label: { en: 'Record of processing activities (JSON)', de: 'Verzeichnis der Verarbeitungstätigkeiten (JSON)' },
    },
  ],
  routes: registerPrivacyRoutes,
  jobs: [retentionJob],
});
