// Operations: the health checks (/healthz, /readyz), the Prometheus figures (/metrics) and the staff page that
// shows the same figures. Nothing here is about a person.
import { defineFeature } from '../../feature.ts';
import { registerOperations } from './operations.routes.ts';

export const operationsFeature = defineFeature({
  name: 'operations',
  routes: registerOperations,
});
