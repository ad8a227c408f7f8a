// The shell: the imprint. The layout and the language switch are the web layer's.
import { defineFeature } from '../../feature.ts';
import { registerShell } from './shell.routes.ts';

export const shellFeature = defineFeature({
  name: 'shell',
  navigation: [
    { href: '/imprint', label: { en: 'Imprint', de: 'Impressum' }, place: 'legal', for: 'everyone', order: 20 },
  ],
  routes: registerShell,
});
