// Which steps each kind of request runs. Kinds without steps (rectification, restriction, objection) wait for a
// staff decision in the DPO console.
import { runRequest, type RunnerDeps, type StepsByKind } from './rights.engine.ts';
import { erasureSteps } from './rights.erasure.ts';
import { exportSteps } from './rights.export.ts';
import type { Deps } from '../../deps.ts';

export const requestSteps: StepsByKind = {
  erasure: erasureSteps,
  export: exportSteps,
  // An access request is answered with the same archive: the readable report is in it, beside the data.
  access: exportSteps,
};

export function runnerOf(deps: Deps): RunnerDeps {
  return { deps, steps: requestSteps };
}

/** Runs the request now, in this process (an erasure "at once"); false when another process holds it. */
export function runRequestNow(deps: Deps, id: string): Promise<boolean> {
  return runRequest(runnerOf(deps), id);
}

/**
 * Starts the request in the background of this process (an export built while the person waits on the page); a
 * failure is logged by the runner, and the worker takes it over once the lease expires.
 */
export function startRequestInBackground(deps: Deps, id: string): void {
  void runRequest(runnerOf(deps), id).catch((err: unknown) => deps.log.error({ err }, 'a request run failed'));
}
