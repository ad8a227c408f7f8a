// Newsletter campaigns (issue 13): the staff console at /staff/campaigns, the audience built page by page into the
// outbox (throttled, crash-safe, idempotent), pause and resume, and delivery followed per recipient.
import { defineFeature } from '../../feature.ts';
import { campaignsDataMap } from './campaigns.data-map.ts';
import { buildAudiencesJob, trackDeliveryJob } from './campaigns.jobs.ts';
import { registerCampaignRoutes } from './campaigns.routes.ts';
import { createCampaigns } from './migrations/001-campaigns.ts';

export type { CampaignTables } from './campaigns.tables.ts';
export {
  buildDueCampaigns,
  cachedCampaignAudience,
  campaignProgress,
  countCampaignAudience,
  createCampaign,
  pauseCampaign,
  resumeCampaign,
  scheduleCampaign,
  sendCampaignTest,
  trackCampaignDelivery,
  type CampaignProgress,
} from './campaigns.service.ts';

export const campaignsFeature = defineFeature({
  name: 'campaigns',
  navigation: [
    {
      href: '/staff/campaigns',
      label: { en: 'Newsletter campaigns', de: 'Newsletter-Aussendungen' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'admin'],
      order: 52.7,
    },
  ],
  migrations: [createCampaigns],
  dataMap: campaignsDataMap,
  routes: registerCampaignRoutes,
  jobs: [buildAudiencesJob, trackDeliveryJob],
});
