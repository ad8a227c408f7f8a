// HTTP side of the basket (the merge at sign-in is a global plugin: basket.session.ts): the API and the pages.
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { registerBasketApiRoutes } from './basket.api.routes.ts';
import { registerBasketPageRoutes } from './basket.pages.routes.ts';

export function registerBasketRoutes(app: App, deps: Deps): void {
  registerBasketApiRoutes(app, deps);
  registerBasketPageRoutes(app, deps);
}
