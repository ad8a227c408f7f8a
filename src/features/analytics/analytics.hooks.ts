// Counts page views on the server (cookieless) and works out the visitor of each request (helper A fills this in).
import type { Deps } from '../../deps.ts';
import { defineGlobalPlugin } from '../../platform/http/app.ts';

export const analyticsPlugin = defineGlobalPlugin<Deps>({
  name: 'candor-analytics',
  needs: ['candor-web', 'candor-session', 'candor-consent'],
  register: () => {},
});
