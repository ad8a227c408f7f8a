// The DPO console (/staff/privacy). Owned by helper H4 (issue 16).
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';

export function registerStaffRoutes(_app: App, _deps: Deps): void {}
