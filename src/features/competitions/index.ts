// Competitions (policy 3c): staff create them, people enter with a confirmed address, a verifiable draw picks the
// winners, and every entrant's data is deleted when the competition is drawn (winners' after the prize period).
import { defineFeature } from '../../feature.ts';
import { createCompetitions } from './migrations/001-competitions.ts';
import { competitionsDataMap } from './competitions.data-map.ts';
import { drawEndedCompetitionsJob } from './competitions.jobs.ts';
import { registerCompetitionRoutes } from './competitions.routes.ts';
import { registerCompetitionStaffRoutes } from './competitions.staff.routes.ts';

export type { CompetitionTables } from './competitions.tables.ts';
export { verifyDrawBySlug, type DrawCheck } from './competitions.service.ts';

export const competitionsFeature = defineFeature({
  name: 'competitions',
  navigation: [
    {
      href: '/staff/competitions',
      label: { en: 'Competitions', de: 'Gewinnspiele' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'admin'],
      order: 57.5,
    },
  ],
  migrations: [createCompetitions],
  dataMap: competitionsDataMap,
  routes: (app, deps) => {
    registerCompetitionRoutes(app, deps);
    registerCompetitionStaffRoutes(app, deps);
  },
  jobs: [drawEndedCompetitionsJob],
});
