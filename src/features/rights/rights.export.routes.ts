// Downloading an export: only its owner, through an expiring link. Owned by helper H1 (issue 16).
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';

export function registerExportRoutes(_app: App, _deps: Deps): void {}
