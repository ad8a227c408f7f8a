// What a request is, without the database: its deadline (Art. 12(3) GDPR), which kinds the worker runs and which
// wait for staff, and the names shown for kinds and states.
import type { Text } from '../../platform/i18n.ts';
import type { RequestKind, RequestState } from './rights.tables.ts';

export const REQUEST_KINDS: readonly RequestKind[] = [
  'access',
  'export',
  'erasure',
  'rectification',
  'restriction',
  'objection',
];

/** Kinds the worker carries out by itself once verified; the others wait for a staff decision. */
export const AUTOMATED_KINDS: ReadonlySet<RequestKind> = new Set(['access', 'export', 'erasure']);

export const OPEN_STATES: readonly RequestState[] = ['unverified', 'received', 'in-progress', 'waiting'];

/**
 * `at` plus whole calendar months, in UTC; a day the target month lacks is its last day (31 January plus one month
 * is 28 or 29 February), as periods in months are counted under Regulation 1182/71, Art. 3(2)(c).
 */
export function addCalendarMonths(at: number, months: number): number {
  const d = new Date(at);
  const target = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}

/** The deadline of a request received at `receivedAt`: one month, or three when extended (Art. 12(3) GDPR). */
export function deadlineOf(receivedAt: number, extended: boolean): number {
  return addCalendarMonths(receivedAt, extended ? 3 : 1);
}

export const kindNames: Record<RequestKind, Text> = {
  access: { en: 'Access to my data', de: 'Auskunft über meine Daten' },
  export: { en: 'A copy of my data', de: 'Kopie meiner Daten' },
  erasure: { en: 'Erasure', de: 'Löschung' },
  rectification: { en: 'Correction', de: 'Berichtigung' },
  restriction: { en: 'Restriction of processing', de: 'Einschränkung der Verarbeitung' },
  objection: { en: 'Objection', de: 'Widerspruch' },
};

export const stateNames: Record<RequestState, Text> = {
  unverified: { en: 'Address not yet confirmed', de: 'Adresse noch nicht bestätigt' },
  received: { en: 'Received', de: 'Eingegangen' },
  'in-progress': { en: 'In progress', de: 'In Bearbeitung' },
  waiting: { en: 'Waiting', de: 'Wartet' },
  done: { en: 'Done', de: 'Erledigt' },
  refused: { en: 'Refused', de: 'Abgelehnt' },
};

/** The grounds of a restriction (Art. 18(1)(a) to (d) GDPR). */
export type RestrictionGround = 'accuracy' | 'unlawful' | 'legal-claim' | 'objection-pending';

/** What the person said with a request, stored as JSON in `detail`. */
export interface RequestDetail {
  ground?: RestrictionGround;
  /** A data map activity (an objection, a restriction of one activity). */
  activity?: string;
  /** What is to be corrected, for a rectification. */
  field?: string;
  message?: string;
}
