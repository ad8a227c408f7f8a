// Leaves pseudonyms out of analytics (erasure, objection, restriction, withdrawal): puts them on the exclusion list
// the rollups honour, deletes their raw events in every raw table (after a withdrawal only the beacon's; the page
// views, counted without consent, just lose the pseudonym) and their experiment assignments, and marks the days
// that changed dirty so that the worker rolls them up again without them.
import type { Kysely } from 'kysely';
import { eventTableOf, listEventDays, upsertExclusions } from './analytics.queries.ts';
import {
  deleteAssignmentsOfPseudonyms,
  deleteEventsOfPseudonyms,
  markDaysDirty,
  unlinkEventsOfPseudonyms,
} from './analytics.rollup.queries.ts';

/** The event kinds only the consented beacon sends (analytics.interaction). */
const BEACON_KINDS = ['engagement', 'click', 'outbound'] as const;

export interface ExclusionOutcome {
  events: number;
  assignments: number;
  /** Starts of the days marked for a new rollup. */
  dirtyDays: number[];
}

/** Idempotent: excluding a pseudonym again renews its `added_at` and finds nothing left to delete. */
export async function excludePseudonyms(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- also runs on the erasure's transaction
  db: Kysely<any>,
  pseudonyms: readonly string[],
  reason: string,
  now: number,
): Promise<ExclusionOutcome> {
  const unique = [...new Set(pseudonyms)];
  if (unique.length === 0) return { events: 0, assignments: 0, dirtyDays: [] };
  await upsertExclusions(
    db,
    unique.map((pseudonym) => ({ pseudonym, reason, added_at: now })),
  );
  let events = 0;
  const dirtyDays: number[] = [];
  for (const day of await listEventDays(db)) {
    const table = eventTableOf(day);
    const deleted =
      reason === 'withdrawal'
        ? await unlinkEventsOfPseudonyms(db, table, unique, BEACON_KINDS)
        : await deleteEventsOfPseudonyms(db, table, unique);
    if (deleted > 0) dirtyDays.push(day);
    events += deleted;
  }
  await markDaysDirty(db, dirtyDays, now);
  const assignments = await deleteAssignmentsOfPseudonyms(db, unique);
  return { events, assignments, dirtyDays };
}
