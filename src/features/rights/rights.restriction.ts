// Restriction of processing (Art. 18 GDPR) of a whole person, decided by the DPO with an end: while it lasts, every
// activity marked objectable refuses the person through `mayProcess`, whatever its legal basis. The records are the
// privacy engine's (processing_objections, kind 'restriction', via 'dpo', with `ends_at`): every feature that asks
// `mayProcess` or `personsNotToProcess` honours them without knowing this module; once `until` has passed they count
// no more, and lifting deletes them.
import type { Deps } from '../../deps.ts';
import { liftRestrictions, recordObjection } from '../../privacy/objections.ts';

export interface Restriction {
  userId: string;
  /** When the restriction ends by itself; null until the DPO lifts it. */
  until: number | null;
  /** Who decided: the DPO's account. */
  byUserId: string;
}

/** How a restriction of the whole person is recorded (the DPO decided it). */
export const RESTRICTION_VIA = 'dpo';

/** The activities a restriction of the person covers: every one the data map marks objectable. */
export function restrictableActivities(dataMap: Deps['dataMap']): string[] {
  return dataMap.activities.filter((a) => a.objectable === true).map((a) => a.id);
}

export async function restrictPerson(deps: Pick<Deps, 'db' | 'clock' | 'dataMap'>, r: Restriction): Promise<void> {
  const now = deps.clock.now();
  if (r.until !== null && r.until <= now) throw new Error('restrictPerson: the end of a restriction must lie ahead');
  await deps.db.transaction().execute(async (trx) => {
    for (const activity of restrictableActivities(deps.dataMap))
      await recordObjection(trx, now, {
        person: r.userId,
        activity,
        kind: 'restriction',
        via: RESTRICTION_VIA,
        endsAt: r.until,
      });
  });
}

export async function liftPersonRestriction(
  deps: Pick<Deps, 'db' | 'clock' | 'dataMap'>,
  userId: string,
): Promise<void> {
  await liftRestrictions(deps.db, userId, restrictableActivities(deps.dataMap));
}
