// Restriction of processing (Art. 18 GDPR) of a whole person, decided by the DPO with an end: while it lasts, every
// activity marked objectable refuses the person through `mayProcess`, whatever its legal basis.
// Owned by helper H6 (issue 16); the signatures below are what the DPO console (H4) calls.
import type { Deps } from '../../deps.ts';

export interface Restriction {
  userId: string;
  /** When the restriction ends by itself; null until the DPO lifts it. */
  until: number | null;
  /** Who decided: the DPO's account. */
  byUserId: string;
}

export async function restrictPerson(_deps: Pick<Deps, 'db' | 'clock' | 'dataMap'>, _r: Restriction): Promise<void> {}

export async function liftPersonRestriction(
  _deps: Pick<Deps, 'db' | 'clock' | 'dataMap'>,
  _userId: string,
): Promise<void> {}
