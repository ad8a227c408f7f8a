// What the DPO console does to a request. Each action checks the request's state, changes it and writes its history
// line in one transaction; a refused action (bad input, wrong state) throws a 4xx and changes nothing.
import type { Deps } from '../../deps.ts';
import type { ConsoleFigureProvider } from '../../feature.ts';
import { errors } from '../../platform/errors.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import { recordObjection } from '../../privacy/objections.ts';
import { enqueueMail } from '../mail/index.ts';
import { AUTOMATED_KINDS, deadlineOf, OPEN_STATES, type RequestDetail } from './rights.model.ts';
import { selectRequest, updateRequest } from './rights.queries.ts';
import { restrictPerson } from './rights.restriction.ts';
import { addRequestEvent } from './rights.service.ts';
import { extensionMail, refusalMail } from './rights.staff.emails.ts';
import { countOpenRequests } from './rights.staff.queries.ts';
import type { PrivacyRequestsTable, RequestState } from './rights.tables.ts';

type StaffDeps = Pick<Deps, 'db' | 'clock' | 'dataMap' | 'config'>;

export const STAFF_ACTIONS = [
  'extend',
  'refuse',
  'ask-identity',
  'identity-checked',
  'wait',
  'resume',
  'grant-restriction',
  'record-objection',
  'rectified',
  'run-now',
] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

export interface ActionInput {
  reason?: string | undefined;
  note?: string | undefined;
  /** A day, YYYY-MM-DD (the end of a restriction). */
  until?: string | undefined;
}

const MAX_REASON = 2000;

const T = {
  notOpen: {
    en: 'This request is already closed; nothing was changed.',
    de: 'Diese Anfrage ist bereits abgeschlossen; es wurde nichts geändert.',
  },
  reasonRequired: { en: 'Give the reason.', de: 'Geben Sie den Grund an.' },
  extendedAlready: {
    en: 'The deadline of this request has already been extended once; it cannot be extended again.',
    de: 'Die Frist dieser Anfrage wurde bereits einmal verlängert; sie kann nicht erneut verlängert werden.',
  },
  extendLate: {
    en: 'The deadline can only be extended within the first month after the request was received.',
    de: 'Die Frist kann nur innerhalb des ersten Monats nach Eingang der Anfrage verlängert werden.',
  },
  identityAsked: {
    en: 'An identity check has already been asked for.',
    de: 'Eine Identitätsprüfung wurde bereits angefordert.',
  },
  identityNotAsked: {
    en: 'No identity check is outstanding for this request.',
    de: 'Für diese Anfrage steht keine Identitätsprüfung aus.',
  },
  notWaitable: {
    en: 'Only a request that is received or in progress can wait.',
    de: 'Nur eine eingegangene oder laufende Anfrage kann warten.',
  },
  notWaiting: { en: 'This request is not waiting.', de: 'Diese Anfrage wartet nicht.' },
  wrongKind: {
    en: 'This action does not fit this kind of request.',
    de: 'Diese Aktion passt nicht zu dieser Art von Anfrage.',
  },
  noAccount: {
    en: 'This person has no account; a restriction or an objection is recorded for an account.',
    de: 'Diese Person hat kein Kundenkonto; eine Einschränkung oder ein Widerspruch wird für ein Konto erfasst.',
  },
  untilInvalid: {
    en: 'Enter the end as a date after today (YYYY-MM-DD).',
    de: 'Geben Sie das Ende als Datum nach dem heutigen Tag an (JJJJ-MM-TT).',
  },
  noActivity: {
    en: 'The request names no processing activity one can object to.',
    de: 'Die Anfrage nennt keine Verarbeitung, der widersprochen werden kann.',
  },
  noteRequired: { en: 'Say what was corrected.', de: 'Geben Sie an, was berichtigt wurde.' },
  notStuck: {
    en: 'Only an automated request that waits (after failures) can be run again.',
    de: 'Nur eine automatische Anfrage, die (nach Fehlern) wartet, kann erneut ausgeführt werden.',
  },
} satisfies Record<string, Text>;

/** The last moment of a day given as YYYY-MM-DD (UTC), or null when it is no such day. */
export function parseDayEnd(raw: string | undefined): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec((raw ?? '').trim());
  // Date.UTC reads years 0 to 99 as 1900 to 1999; no date this console records lies before 1970.
  if (!m || Number(m[1]) < 1970) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999);
  const d = new Date(ms);
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) ? ms : null;
}

const isOpen = (r: PrivacyRequestsTable) => OPEN_STATES.includes(r.state);
const isAccount = (r: PrivacyRequestsTable) => !r.subject.includes('@');
const langOf = (r: PrivacyRequestsTable): Lang => (r.lang === 'de' ? 'de' : 'en');

function required(value: string | undefined, field: 'reason' | 'note', text: Text): string {
  const v = (value ?? '').trim();
  if (!v) throw errors.invalidFields({ [field]: text });
  if (v.length > MAX_REASON)
    throw errors.invalidFields({
      [field]: { en: `At most ${MAX_REASON} characters.`, de: `Höchstens ${MAX_REASON} Zeichen.` },
    });
  return v;
}

function parseDetail(r: PrivacyRequestsTable): RequestDetail {
  try {
    return r.detail ? (JSON.parse(r.detail) as RequestDetail) : {};
  } catch {
    return {};
  }
}

/** The end of a restriction the DPO grants on this request; throws (4xx) when it cannot be granted. */
function checkRestriction(r: PrivacyRequestsTable, input: ActionInput, now: number): number {
  if (!isOpen(r)) throw errors.invalid(T.notOpen);
  if (r.kind !== 'restriction') throw errors.invalid(T.wrongKind);
  const until = parseDayEnd(input.until);
  if (until === null || until <= now) throw errors.invalidFields({ until: T.untilInvalid });
  if (!isAccount(r)) throw errors.invalid(T.noAccount);
  return until;
}

/**
 * Carries out one action of the DPO (`byUserId`) on a request. Throws a 4xx AppError, changing nothing, when the
 * input is missing or the request's state does not allow it.
 */
export async function applyStaffAction(
  deps: StaffDeps,
  requestId: string,
  action: StaffAction,
  input: ActionInput,
  byUserId: string,
): Promise<void> {
  if (action === 'grant-restriction') {
    // restrictPerson writes in its own transaction: checked first, then recorded before the request closes, so
    // that a failure leaves the request open for another try (recording the restriction again changes nothing).
    const r = await selectRequest(deps.db, requestId);
    if (!r) throw errors.notFound();
    const until = checkRestriction(r, input, deps.clock.now());
    await restrictPerson(deps, { userId: r.subject, until, byUserId });
  }
  await deps.db.transaction().execute(async (trx) => {
    const r = await selectRequest(trx, requestId);
    if (!r) throw errors.notFound();
    const now = deps.clock.now();
    const event = (what: string, note?: string | null) =>
      addRequestEvent(trx, r, now, { actor: 'staff', actorUserId: byUserId, what, note: note ?? null });
    /** Updates the request only while it is still in the state read above (a concurrent change refuses). */
    const update = async (set: Partial<Omit<PrivacyRequestsTable, 'id'>>) => {
      const n = await updateRequest(trx, r.id, set, [r.state]);
      if (n !== 1) throw errors.invalid(T.notOpen);
    };
    const close = (state: RequestState) => ({ state, done_at: now, lease_until: null, lease_owner: null });
    const mailAbout = { to: r.email, kind: r.kind, receivedAt: r.received_at, operator: deps.config.operator };
    if (action !== 'resume' && action !== 'run-now' && !isOpen(r)) throw errors.invalid(T.notOpen);

    switch (action) {
      case 'extend': {
        const reason = required(input.reason, 'reason', T.reasonRequired);
        if (r.extended_at !== null) throw errors.invalid(T.extendedAlready);
        if (now >= deadlineOf(r.received_at, false)) throw errors.invalid(T.extendLate);
        const due = deadlineOf(r.received_at, true);
        await update({ due_at: due, extended_at: now, extension_reason: reason });
        await event('extended', reason);
        await enqueueMail(trx, deps.clock, extensionMail(langOf(r), { ...mailAbout, dueAt: due, reason }));
        return;
      }
      case 'refuse': {
        const reason = required(input.reason, 'reason', T.reasonRequired);
        await update({ ...close('refused'), refusal_reason: reason });
        await event('refused', reason);
        await enqueueMail(trx, deps.clock, refusalMail(langOf(r), { ...mailAbout, reason }));
        return;
      }
      case 'ask-identity': {
        if (r.identity_check === 1 && r.identity_checked_at === null) throw errors.invalid(T.identityAsked);
        await update({ identity_check: 1, identity_checked_at: null });
        await event('identity-requested', input.note?.trim() || null);
        return;
      }
      case 'identity-checked': {
        if (r.identity_check !== 1 || r.identity_checked_at !== null) throw errors.invalid(T.identityNotAsked);
        await update({ identity_checked_at: now });
        await event('identity-checked', input.note?.trim() || null);
        return;
      }
      case 'wait': {
        if (r.state !== 'received' && r.state !== 'in-progress') throw errors.invalid(T.notWaitable);
        await update({ state: 'waiting', lease_until: null, lease_owner: null });
        await event('waiting', input.note?.trim() || null);
        return;
      }
      case 'resume': {
        if (r.state !== 'waiting') throw errors.invalid(T.notWaiting);
        await update({ state: AUTOMATED_KINDS.has(r.kind) ? 'in-progress' : 'received' });
        await event('resumed', input.note?.trim() || null);
        return;
      }
      case 'run-now': {
        if (r.state !== 'waiting' || !AUTOMATED_KINDS.has(r.kind)) throw errors.invalid(T.notStuck);
        await update({ state: 'in-progress', attempts: 0, lease_until: null, lease_owner: null });
        await event('run-now');
        return;
      }
      case 'grant-restriction': {
        const until = checkRestriction(r, input, now);
        await update({ ...close('done'), outcome: JSON.stringify({ restrictedUntil: until }) });
        await event('restriction-granted', new Date(until).toISOString().slice(0, 10));
        return;
      }
      case 'record-objection': {
        if (r.kind !== 'objection') throw errors.invalid(T.wrongKind);
        const activity = parseDetail(r).activity;
        const declared = activity ? deps.dataMap.activities.find((a) => a.id === activity) : undefined;
        if (!activity || !declared?.objectable) throw errors.invalid(T.noActivity);
        if (!isAccount(r)) throw errors.invalid(T.noAccount);
        await update({ ...close('done'), outcome: JSON.stringify({ activity }) });
        await event('objection-recorded', activity);
        await recordObjection(trx, now, { person: r.subject, activity, kind: 'objection', via: 'staff' });
        return;
      }
      case 'rectified': {
        if (r.kind !== 'rectification') throw errors.invalid(T.wrongKind);
        const note = required(input.note, 'note', T.noteRequired);
        await update(close('done'));
        await event('rectified', note);
        return;
      }
    }
  });
}

/** The staff home's figure for the DPO and administrators: open requests, and how many are past their deadline. */
export const privacyFigures: ConsoleFigureProvider = {
  roles: ['dpo', 'admin'],
  order: 40,
  async load(deps) {
    const { open, overdue } = await countOpenRequests(deps.db, deps.clock.now());
    return {
      figures: [
        {
          label: { en: 'Open privacy requests', de: 'Offene Datenschutzanfragen' },
          value: open,
          unit: 'count',
          href: '/staff/privacy',
          ...(overdue > 0
            ? { note: { text: { en: '{n} overdue', de: '{n} überfällig' }, params: { n: overdue } } }
            : {}),
        },
      ],
    };
  },
};
