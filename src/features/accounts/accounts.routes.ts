// HTTP side of accounts (the session hook is a global plugin: accounts.session.ts). Each group registers its
// routes with the cookies, the sign-in throttle and the rate limit they share. Handlers stay thin: validate
// (schema), call the service, render or answer.
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { registerAccountApi } from './accounts.api.routes.ts';
import { accountsHttp } from './accounts.http.ts';
import { registerAccountLinks } from './accounts.links.routes.ts';
import { registerMeApi } from './accounts.me.routes.ts';
import { registerAccountPages } from './accounts.pages.routes.ts';
import { registerTwoFactorRoutes } from './two-factor.routes.ts';

export function registerAccountRoutes(app: App, deps: Deps): void {
  const http = accountsHttp(app, deps);
  registerAccountApi(app, deps, http);
  registerMeApi(app, deps, http);
  registerAccountPages(app, deps, http);
  registerAccountLinks(app, deps, http);
  registerTwoFactorRoutes(app, deps, http);
}
