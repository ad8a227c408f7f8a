// Puts the beacon script on pages for visitors with statistics consent (helper B fills this in).
import type { Deps } from '../../deps.ts';
import { defineGlobalPlugin } from '../../platform/http/app.ts';

export const analyticsBeaconPlugin = defineGlobalPlugin<Deps>({
  name: 'candor-analytics-beacon',
  needs: ['candor-web', 'candor-consent', 'candor-analytics'],
  register: () => {},
});
