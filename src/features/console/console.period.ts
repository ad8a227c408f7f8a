// The staff home's period: the last 30 days as the operator's clock shows them (a day starts at the zone's midnight).

import type { ConsolePeriod } from '../../feature.ts';

export const CONSOLE_DAYS = 30;

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant the zone's day `days` after the day of `at` begins (0: the day of `at`). */
export function startOfDay(at: number, days: number, timeZone: string): number {
  const local = new Date(at + offsetAt(at, timeZone));
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + days);
  // The offset at midnight itself (twice, in case the first guess crosses a clock change).
  const guess = midnight - offsetAt(midnight, timeZone);
  return midnight - offsetAt(guess, timeZone);
}

export function consolePeriod(now: number, timeZone: string, count = CONSOLE_DAYS): ConsolePeriod {
  const days = Array.from({ length: count }, (_, i) => startOfDay(now, i - count + 1, timeZone));
  return { now, days, end: startOfDay(now, 1, timeZone) };
}
