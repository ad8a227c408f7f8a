// All routes of the orders feature: the API, the customer's pages, the staff pages and the serial numbers.
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { registerAddressRoutes } from './addresses.routes.ts';
import { registerOrderApiRoutes } from './orders.api.routes.ts';
import { registerOrderConsoleRoutes } from './orders.console.routes.ts';
import { registerOrderPageRoutes } from './orders.pages.routes.ts';
import { registerOrderStaffRoutes } from './orders.staff.routes.ts';
import { registerSerialRoutes } from './serials.routes.ts';
import { registerWithdrawalRoutes } from './withdrawals.routes.ts';

export function registerOrderRoutes(app: App, deps: Deps): void {
  registerOrderApiRoutes(app, deps);
  registerOrderPageRoutes(app, deps);
  registerOrderStaffRoutes(app, deps);
  registerOrderConsoleRoutes(app, deps);
  registerSerialRoutes(app, deps);
  registerWithdrawalRoutes(app, deps);
  registerAddressRoutes(app, deps);
}
