// (stub: filled in by the helper that owns this file)
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';

export function registerBeaconRoutes(_app: App, _deps: Deps): void {}
