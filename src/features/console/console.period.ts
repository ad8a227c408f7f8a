// The staff home's period: the last 30 days as the operator's clock shows them (a day starts at the zone's midnight).

import type { ConsolePeriod } from '../../feature.ts';
import { startOfZoneDay } from '../../platform/i18n.ts';

export const CONSOLE_DAYS = 30;

export function consolePeriod(now: number, timeZone: string, count = CONSOLE_DAYS): ConsolePeriod {
  const days = Array.from({ length: count }, (_, i) => startOfZoneDay(now, i - count + 1, timeZone));
  return { now, days, end: startOfZoneDay(now, 1, timeZone) };
}
