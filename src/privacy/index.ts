// The privacy engine as a feature: the policy page, the Art. 30 record, and the retention job.
import { HOUR } from '../platform/clock.ts';
import { defineFeature } from '../platform/feature.ts';
import { pageContext } from '../features/shell/index.ts';
import { sendPage } from '../platform/http/reply.ts';
import { privacyPage, processingRecord } from './policy.pages.ts';
import { runRetention } from './retention.ts';

export const privacyFeature = defineFeature({
  name: 'privacy',
  routes(app, deps) {
    app.get('/privacy', async (request, reply) =>
      sendPage(reply, privacyPage(pageContext(request, deps), deps.dataMap, deps.config.operator)),
    );
    app.get('/privacy/processing.json', async () => processingRecord(deps.dataMap, deps.config.operator));
  },
  jobs: [
    {
      name: 'privacy.run-retention',
      everyMs: HOUR,
      run: async (deps) => {
        const outcomes = await runRetention(deps);
        const changed = outcomes.filter((o) => o.rows > 0 || o.partitionsDropped > 0);
        if (changed.length > 0) deps.log.info({ outcomes: changed }, 'retention applied');
      },
    },
  ],
});
