// Policy 2a, the usage log: every request recorded; full IPs kept apart for 7 days, then dropped.
import { defineFeature } from '../../feature.ts';
import { usageLogDataMap } from './usage-log.data-map.ts';
import { usageLogPlugin } from './usage-log.hooks.ts';

export { anonymiseIp } from './ip.ts';
export { createUsageLogWriter, USAGE_IP, USAGE_LOG, type UsageLogWriter } from './usage-log.writer.ts';

export const usageLogFeature = defineFeature({
  name: 'usage-log',
  plugins: [usageLogPlugin],
  dataMap: usageLogDataMap,
});
