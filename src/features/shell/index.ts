// The web shell: layout, language choice, legal pages. Other features render their pages through it.
import { defineFeature } from '../../platform/feature.ts';
import { registerShell } from './shell.routes.ts';

export { csrfField, errorPage, layout, type PageContext } from './shell.pages.ts';
export { pageContext, safeBackPath } from './shell.routes.ts';

export const shellFeature = defineFeature({ name: 'shell', routes: registerShell });
