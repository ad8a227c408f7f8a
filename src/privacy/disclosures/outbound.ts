// The outbound gate: every call to an outside company (credit agency, payment provider, mail relay) passes here, and
// the queued hand-offs use the same field declaration. A payload with a field its recipient does not declare in the
// data map is refused before anything leaves (fail closed); what passes is recorded (field names, never values).
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import type { Recipient } from '../data-map.ts';
import { insertAddressDisclosure, insertDisclosure } from './disclosures.queries.ts';

export type Payload = Record<string, unknown>;

/** Whom a call is about: their account, or (mail to an address) the address itself. Never part of the payload. */
export type Person = { userId: string } | { email: string };

export interface OutboundCall {
  activity: string;
  recipient: string;
  /** Needed for a call that is recorded: a disclosure nobody can be told of is refused. */
  person?: Person;
  payload: Payload;
  /**
   * 'record' (default): a disclosure row per call. 'check-only': the call hands over nothing the recipient does not
   * hold already (a status lookup by the key of a recorded charge): checked against the fields, not recorded anew.
   * 'local': the adapter keeps the data on our own machine (the file mail sink): checked, nothing left us.
   */
  record?: 'record' | 'check-only' | 'local';
  /**
   * What makes a repeated call the same disclosure (a mail's outbox id: its retries send the same message):
   * recorded once, under this key, however often the call is tried.
   */
  once?: string;
}

export class UndeclaredFieldError extends Error {
  constructor(
    readonly recipient: string,
    readonly activity: string,
    readonly fields: string[],
  ) {
    // Field names only: never a value, which may be personal data.
    super(`refused: ${recipient} may not receive ${fields.join(', ')} for ${activity} (not declared in the data map)`);
  }
}

const isPlainObject = (v: unknown): v is Payload =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Sorts a payload's fields by the recipient's declared paths (`items.title`: the field `title` of the object
 * `items`, or of each object in the array `items`; a declared path takes its whole value): the declared paths
 * present (`sent`) and the paths of everything else (`undeclared`). Undefined values are absent.
 */
export function sortFields(
  payload: Payload,
  allowed: readonly string[],
  prefix = '',
): { sent: string[]; undeclared: string[] } {
  const sent = new Set<string>();
  const undeclared = new Set<string>();
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined) continue;
    const path = `${prefix}${key}`;
    if (allowed.includes(path)) {
      sent.add(path);
      continue;
    }
    const nested = allowed.some((a) => a.startsWith(`${path}.`));
    const inner: unknown[] = Array.isArray(value) ? value : [value];
    // Not declared, nor an object (or an array of objects) with declared fields inside: the whole path is named.
    if (!nested || !inner.every(isPlainObject)) {
      undeclared.add(path);
      continue;
    }
    for (const v of inner as Payload[]) {
      const sorted = sortFields(v, allowed, `${path}.`);
      sorted.sent.forEach((x) => sent.add(x));
      sorted.undeclared.forEach((x) => undeclared.add(x));
    }
  }
  return { sent: [...sent], undeclared: [...undeclared] };
}

/**
 * The payload cut to the declared paths (for queued hand-offs, which take whole objects on purpose, decision 0008):
 * anything undeclared is left out, including non-objects where only fields inside were declared.
 */
export function keepDeclared(payload: Payload, allowed: readonly string[], prefix = ''): Payload {
  const kept: Payload = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined) continue;
    const path = `${prefix}${key}`;
    if (allowed.includes(path)) kept[key] = value;
    else if (!allowed.some((a) => a.startsWith(`${path}.`))) continue;
    else if (Array.isArray(value))
      kept[key] = value.filter(isPlainObject).map((v) => keepDeclared(v, allowed, `${path}.`));
    else if (isPlainObject(value)) kept[key] = keepDeclared(value, allowed, `${path}.`);
  }
  return kept;
}

/** The recipient as the data map declares it under the activity; refuses one it does not (fail closed). */
export function declaredRecipient(
  deps: Pick<Deps, 'dataMap'>,
  activity: string,
  recipientId: string,
): Recipient & { paths: string[] } {
  const recipient = deps.dataMap.recipient(activity, recipientId);
  if (!recipient) throw new Error(`refused: the data map declares no recipient ${recipientId} for ${activity}`);
  return { ...recipient, paths: Object.keys(recipient.fields) };
}

/** Writes the disclosure record: the field names that left, for the person's access report. */
export async function recordDisclosure(
  db: Deps['db'],
  at: number,
  call: { activity: string; recipient: string; person: Person; fields: string[]; handoffId?: string; once?: string },
): Promise<void> {
  const common = {
    // A keyed disclosure is its key: the second record of the same one is left out by the insert.
    id: call.once ?? randomUUID(),
    activity: call.activity,
    recipient: call.recipient,
    fields: JSON.stringify(call.fields),
    disclosed_at: at,
  };
  if ('userId' in call.person)
    await insertDisclosure(db, { ...common, user_id: call.person.userId, handoff_id: call.handoffId ?? null });
  else await insertAddressDisclosure(db, { ...common, email: call.person.email });
}

/**
 * Checks the payload against the recipient's declared fields (throws UndeclaredFieldError, nothing sent), records
 * the disclosure, then performs the call. The record comes first: a call that then fails leaves a record of what
 * may have left, never the reverse.
 */
export async function passOutbound<T>(
  deps: Pick<Deps, 'db' | 'clock' | 'dataMap'>,
  call: OutboundCall,
  perform: () => Promise<T>,
): Promise<T> {
  const recipient = declaredRecipient(deps, call.activity, call.recipient);
  const { sent, undeclared } = sortFields(call.payload, recipient.paths);
  if (undeclared.length > 0) throw new UndeclaredFieldError(recipient.id, call.activity, undeclared);
  if ((call.record ?? 'record') === 'record') {
    if (!call.person) throw new Error(`refused: a call to ${recipient.id} names no person to record it for`);
    await recordDisclosure(deps.db, deps.clock.now(), { ...call, person: call.person, fields: sent });
  }
  return perform();
}
