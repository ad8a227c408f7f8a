// Which steps each kind of request runs. Kinds without steps (rectification, restriction, objection) wait for a
// staff decision in the DPO console.
import type { RunnerDeps, StepsByKind } from './rights.engine.ts';
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
