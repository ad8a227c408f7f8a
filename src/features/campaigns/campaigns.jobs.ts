// The campaigns' jobs: building due audiences into the outbox, and following their delivery.
import type { Job } from '../../feature.ts';
import { buildDueCampaigns, trackCampaignDelivery } from './campaigns.service.ts';

export const buildAudiencesJob: Job<'db' | 'clock' | 'config' | 'dataMap'> = {
  name: 'campaigns.build-audiences',
  everyMs: 2000,
  // Every worker builds, each page under its campaign's row lock (campaigns.queries.ts lockCampaignPage).
  everyWorker: true,
  run: async (deps, run) => ({ items: (await buildDueCampaigns(deps, {}, run?.signal)).pages }),
};

export const trackDeliveryJob: Job<'db' | 'clock'> = {
  name: 'campaigns.track-delivery',
  everyMs: 2000,
  run: (deps) => trackCampaignDelivery(deps),
};
