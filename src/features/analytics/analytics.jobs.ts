// The analytics jobs of the worker (stub: helper C fills this in).
import type { Job } from '../../feature.ts';

export const analyticsJobs: Job[] = [];
