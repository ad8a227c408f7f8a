// The export (Art. 15 and 20 GDPR) as steps: the ZIP is built in the background, then the person is told.
// Owned by the export work of issue 16 (helper H1); the steps are registered in rights.steps.ts.
import type { RequestStep } from './rights.engine.ts';

export const exportSteps: readonly RequestStep[] = [];
