// The campaigns' jobs: building due audiences into the outbox, and following their delivery.
import type { Job } from '../../feature.ts';
import { buildDueCampaigns, trackCampaignDelivery } from './campaigns.service.ts';

export const buildAudiencesJob: Job<'db' | 'clock' | 'config' | 'dataMap'> = {
  name: 'campaigns.build-audiences',
  everyMs: 2000,
  run: (deps) => buildDueCampaigns(deps),
};

export const trackDeliveryJob: Job<'db' | 'clock'> = {
  name: 'campaigns.track-delivery',
  everyMs: 2000,
  run: (deps) => trackCampaignDelivery(deps),
};
