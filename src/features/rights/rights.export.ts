// The export (Art. 15 and 20 GDPR) as steps: the ZIP is built in the background, then the person is told.
// Owned by helper H1 (issue 16). Step names are fixed: `build-archive` (writes DATA_DIR/exports/<id>.zip.part, then
// renames it to <id>.zip and records the step) and `notify` (the mail with the download link, committed with its
// step record). Registered for both `export` and `access` in rights.steps.ts.
import type { RequestStep } from './rights.engine.ts';

export const exportSteps: readonly RequestStep[] = [];
