// The staff page of the jobs' runs (issue 17, point 2): owned by the workers' part of the work.
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';

export function registerJobRunPages(_app: App, _deps: Deps): void {}
