// Requests without an account (/privacy/request), proven by a link to the address. Owned by helper H3 (issue 16).
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';

export function registerGuestRoutes(_app: App, _deps: Deps): void {}
