// First-party analytics (policy 2c; issue 15): cookieless counting on the server, the consented beacon, the
// pseudonymous id of returning visitors, experiments, dashboards, all under the data map (analytics.data-map.ts).
import { defineFeature } from '../../feature.ts';
import { createAnalytics } from './migrations/001-analytics.ts';
import { analyticsDataMap } from './analytics.data-map.ts';
import { registerBeaconRoutes } from './analytics.beacon.routes.ts';
import { analyticsBeaconPlugin } from './analytics.beacon.plugin.ts';
import { analyticsErasureHook } from './analytics.erasure.ts';
import { registerExperimentRoutes } from './analytics.experiments.routes.ts';
import { experimentJobs } from './analytics.experiments.jobs.ts';
import { analyticsPlugin } from './analytics.hooks.ts';
import { analyticsJobs } from './analytics.jobs.ts';
import { optOutPolicyLink, registerOptOutRoutes } from './analytics.optout.routes.ts';
import { registerAnalyticsStaffRoutes } from './analytics.staff.routes.ts';
import { seedAnalytics } from './analytics.seed.ts';

export type { AnalyticsTables } from './analytics.tables.ts';
export { experimentVariant } from './analytics.experiments.ts';

export const analyticsFeature = defineFeature({
  name: 'analytics',
  plugins: [analyticsPlugin, analyticsBeaconPlugin],
  navigation: [
    {
      href: '/staff/analytics',
      label: { en: 'Analytics', de: 'Statistik' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'admin'],
      order: 58,
    },
    {
      href: '/staff/experiments',
      label: { en: 'Experiments', de: 'Experimente' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'admin'],
      order: 58.5,
    },
  ],
  routes: (app, deps) => {
    registerBeaconRoutes(app, deps);
    registerOptOutRoutes(app, deps);
    registerAnalyticsStaffRoutes(app, deps);
    registerExperimentRoutes(app, deps);
  },
  policyLinks: [optOutPolicyLink],
  migrations: [createAnalytics],
  seed: seedAnalytics,
  jobs: [...analyticsJobs, ...experimentJobs],
  dataMap: (config) => ({
    ...analyticsDataMap({
      rawDays: config.retention.analyticsRawDays ?? 30,
      aggregateMonths: config.retention.analyticsAggregateMonths ?? 25,
    }),
    beforeErasure: analyticsErasureHook,
  }),
});
