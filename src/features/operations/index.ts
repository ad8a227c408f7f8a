// Operations: the health checks (/healthz, /readyz), the Prometheus figures (/metrics), the request metrics every
// route gets, and the staff page that shows the same figures. Nothing here is about a person: no table, no file,
// no label that names a path, an address or an account.
import { defineFeature } from '../../feature.ts';
import { requestMetricsPlugin } from './operations.hooks.ts';
import { registerOperations } from './operations.routes.ts';

export const operationsFeature = defineFeature({
  name: 'operations',
  plugins: [requestMetricsPlugin],
  navigation: [
    {
      href: '/staff/operations',
      label: { en: 'Operations', de: 'Betrieb' },
      place: 'console',
      for: 'staff',
      roles: ['admin'],
      order: 95,
    },
  ],
  routes: registerOperations,
});
