// The experiments' jobs (stub: helper E fills this in).
import type { Job } from '../../feature.ts';

export const experimentJobs: Job[] = [];
