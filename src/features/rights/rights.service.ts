// Opening a data-subject request and writing its history. Every channel (privacy centre, guest form, staff) opens
// requests here, so duplicates, deadlines and the first history line are the same whoever asked.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../database.ts';
import type { Deps } from '../../deps.ts';
import { normaliseEmail } from '../../platform/email/address.ts';
import type { SubjectKeys } from '../../privacy/data-map.ts';
import { findSubjectKeys } from '../../privacy/subject.ts';
import { AUTOMATED_KINDS, deadlineOf, type RequestDetail } from './rights.model.ts';
import {
  insertRequest,
  selectAccountAddress,
  insertRequestEvent,
  selectOpenRequestOf,
  selectRequest,
  selectRequestEvents,
  selectRequestsOf,
} from './rights.queries.ts';
import type { PrivacyRequestEventsTable, PrivacyRequestsTable, RequestChannel, RequestKind } from './rights.tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface OpenRequest {
  kind: RequestKind;
  /** The account of a registered person; null for an address without one. */
  userId: string | null;
  email: string;
  lang: string;
  channel: RequestChannel;
  detail?: RequestDetail;
  /** False for a guest who has not yet followed the link to their address. */
  verified: boolean;
  /** The staff member who recorded it (channel 'staff'). */
  byUserId?: string;
}

export interface Opened {
  request: PrivacyRequestsTable;
  /** The earlier open request this one repeats, if any (the new one is recorded, marked as its duplicate). */
  duplicateOf: PrivacyRequestsTable | undefined;
}

/** Records a request: state, deadline and the first line of its history, in one transaction. */
export async function openRequest(deps: Pick<Deps, 'db' | 'clock'>, input: OpenRequest): Promise<Opened> {
  const email = normaliseEmail(input.email);
  const subject = input.userId ?? email;
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const earlier = await selectOpenRequestOf(trx, subject, input.kind);
    const state = !input.verified
      ? 'unverified'
      : earlier
        ? 'done'
        : AUTOMATED_KINDS.has(input.kind)
          ? 'in-progress'
          : 'received';
    const request: PrivacyRequestsTable = {
      id: randomUUID(),
      kind: input.kind,
      state,
      channel: input.channel,
      subject,
      email,
      lang: input.lang,
      received_at: now,
      due_at: deadlineOf(now, false),
      extended_at: null,
      extension_reason: null,
      identity_check: 0,
      identity_checked_at: null,
      detail: input.detail ? JSON.stringify(input.detail) : null,
      outcome: null,
      refusal_reason: null,
      done_at: state === 'done' ? now : null,
      duplicate_of: input.verified && earlier ? earlier.id : null,
      lease_until: null,
      lease_owner: null,
      attempts: 0,
      progress: 0,
      export_expires_at: null,
      export_size: null,
      restricted_at: null,
    };
    await insertRequest(trx, request);
    await addRequestEvent(trx, request, now, {
      actor: input.channel === 'staff' ? 'staff' : input.channel === 'system' ? 'system' : 'subject',
      actorUserId: input.byUserId ?? input.userId,
      what: input.verified ? 'received' : 'received-unverified',
    });
    if (request.duplicate_of)
      await addRequestEvent(trx, request, now, { actor: 'system', what: 'duplicate', note: earlier!.id });
    return { request, duplicateOf: input.verified ? earlier : undefined };
  });
}

let eventCounter = 0;

/**
 * History ids sort in the order the lines were written (the time, then a counter of this process), so that lines
 * written in the same millisecond (a request and its duplicate mark) read in order.
 */
function eventId(at: number): string {
  eventCounter = (eventCounter + 1) % 0x1000000;
  return `${at.toString(16).padStart(12, '0')}-${eventCounter.toString(16).padStart(6, '0')}-${randomBytes(6).toString('hex')}`;
}

/** One line of a request's history. */
export async function addRequestEvent(
  db: Db,
  request: Pick<PrivacyRequestsTable, 'id' | 'subject' | 'restricted_at'>,
  at: number,
  e: { actor: 'subject' | 'staff' | 'system'; actorUserId?: string | null; what: string; note?: string | null },
): Promise<void> {
  const row: PrivacyRequestEventsTable = {
    id: eventId(at),
    request_id: request.id,
    subject: request.subject,
    at,
    actor: e.actor,
    actor_user_id: e.actorUserId ?? null,
    what: e.what,
    note: e.note ?? null,
    restricted_at: request.restricted_at,
  };
  await insertRequestEvent(db, row);
}

export async function findRequest(db: Db, id: string): Promise<PrivacyRequestsTable | undefined> {
  return selectRequest(db, id);
}

export async function requestHistory(db: Db, id: string): Promise<PrivacyRequestEventsTable[]> {
  return selectRequestEvents(db, id);
}

/**
 * Whose rows belong to this account: its own, and those found by its address only once the address is confirmed.
 * Anyone can register an unconfirmed account with a stranger's address; it must not reach the stranger's requests,
 * tickets or mail (nor erase them). A deleted account has only its id.
 */
export async function accountKeys(deps: Pick<Deps, 'db' | 'dataMap'>, userId: string): Promise<SubjectKeys> {
  const account = await selectAccountAddress(deps.db, userId);
  if (!account || account.email_verified_at === null) return { email: null, userIds: [userId] };
  const keys: SubjectKeys = await findSubjectKeys(deps, account.email);
  if (!keys.userIds.includes(userId)) keys.userIds.push(userId);
  return keys;
}

/**
 * The keys of the person a request is about: an account's (as `accountKeys`), or everything linked to a proven
 * address (a guest's request, proven by the link they followed).
 */
export async function requestKeys(
  deps: Pick<Deps, 'db' | 'dataMap'>,
  request: Pick<PrivacyRequestsTable, 'subject' | 'email'>,
): Promise<SubjectKeys> {
  return request.subject.includes('@') ? findSubjectKeys(deps, request.email) : accountKeys(deps, request.subject);
}

/** The requests of a signed-in person (by account id, and by address for those made before the account). */
export async function requestsOf(deps: Pick<Deps, 'db' | 'dataMap'>, userId: string): Promise<PrivacyRequestsTable[]> {
  const keys = await accountKeys(deps, userId);
  return selectRequestsOf(deps.db, keys.email === null ? [userId] : [userId, keys.email]);
}
