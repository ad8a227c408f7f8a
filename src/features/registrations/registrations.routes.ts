// All routes of the registrations feature: the API and the pages (the customer's and the staff review queue).
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { registerRegistrationApiRoutes } from './registrations.api.routes.ts';
import { registerRegistrationPageRoutes } from './registrations.pages.routes.ts';

export function registerRegistrationRoutes(app: App, deps: Deps): void {
  registerRegistrationApiRoutes(app, deps);
  registerRegistrationPageRoutes(app, deps);
}
