// What an erasure does to analytics (stub: helper C fills this in).
import type { ErasureHook } from '../../privacy/data-map.ts';

export const analyticsErasureHook: ErasureHook = async () => {};
