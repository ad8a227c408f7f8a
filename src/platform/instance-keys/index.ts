// The fingerprints of the keys every process of one shop must share (no personal data). `src/features.ts` lists
// these in a manifest of the platform's; the platform itself knows no manifest.
import { createInstanceKeys } from './migrations/001-instance-keys.ts';

export { instanceKeysDataMap } from './instance-keys.data-map.ts';
export type { InstanceKeysTables } from './instance-keys.tables.ts';
export {
  adoptInstanceKeys,
  checkInstanceKeys,
  fingerprintOf,
  mismatchMessage,
  type InstanceKey,
  type KeyMismatch,
} from './instance-keys.ts';

export const instanceKeysMigrations = [createInstanceKeys];
