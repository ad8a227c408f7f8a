// The privacy engine's job: retention as the data map says, logged only when it changed something.
import { HOUR } from '../platform/clock.ts';
import type { Job } from '../feature.ts';
import { runRetention, type RetentionDeps } from './retention.ts';

export const retentionJob: Job<keyof RetentionDeps | 'log'> = {
  name: 'privacy.run-retention',
  everyMs: HOUR,
  run: async (deps, run) => {
    const outcomes = await runRetention(deps, run?.signal);
    const changed = outcomes.filter((o) => o.rows > 0 || o.partitionsDropped > 0 || (o.files ?? 0) > 0);
    if (changed.length > 0) deps.log.info({ outcomes: changed }, 'retention applied');
    // Rows removed or cleared, partitions dropped and files deleted: the run record's count.
    return { items: changed.reduce((n, o) => n + o.rows + o.partitionsDropped + (o.files ?? 0), 0) };
  },
};
