// The shell: the language switch, the imprint and the health check. The layout itself is the web layer's.
import { defineFeature } from '../../feature.ts';
import { registerShell } from './shell.routes.ts';

export const shellFeature = defineFeature({ name: 'shell', routes: registerShell });
