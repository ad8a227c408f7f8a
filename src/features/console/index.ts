// The staff console's home (/staff): the consoles the role may use (the features' `place: 'console'` links, shown
// in the console's sidebar on every page under /staff) and the key figures the features contribute through their
// manifests' `consoleFigures`. It holds no data of its own and names no other feature.
import { defineFeature } from '../../feature.ts';
import { registerConsoleRoutes } from './console.routes.ts';

export const consoleFeature = defineFeature({
  name: 'console',
  consolePath: '/staff',
  navigation: [
    // Staff see one link in the shop's header; the consoles themselves are in the console's sidebar.
    { href: '/staff', label: { en: 'Console', de: 'Verwaltung' }, place: 'header', for: 'staff', order: 50 },
  ],
  routes: registerConsoleRoutes,
});
