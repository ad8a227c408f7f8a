// The privacy centre of a signed-in customer (/account/privacy). Owned by helper H2 (issue 16).
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';

export function registerCentreRoutes(_app: App, _deps: Deps): void {}
