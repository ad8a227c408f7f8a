// The disclosure gate: every hand-off to a processor passes here. It keeps only the fields the data map allows
// that recipient, records the disclosure (field names, not values) for the person's access report, and queues
// the payload in the same transaction as the change that causes it.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../../deps.ts';
import { assertSafeIdentifier } from '../../platform/db/dialect.ts';
import type { Recipient } from '../data-map.ts';
import { stampFileTime } from '../files.ts';
import {
  insertDisclosure,
  insertHandoff,
  listUndeliveredHandoffs,
  markHandoffDelivered,
} from './disclosures.queries.ts';

type Payload = Record<string, unknown>;

/** Keeps the allowed fields; returns the payload and the dotted names of what is kept. */
export function stripToAllowed(payload: Payload, allowed: string[]): { kept: Payload; fields: string[] } {
  const kept: Payload = {};
  const fields: string[] = [];
  for (const [key, value] of Object.entries(payload)) {
    const nested = allowed.filter((a) => a.startsWith(`${key}.`)).map((a) => a.slice(key.length + 1));
    if (Array.isArray(value) && nested.length > 0) {
      kept[key] = value.map((v) => (v && typeof v === 'object' ? stripToAllowed(v as Payload, nested).kept : v));
      fields.push(...nested.map((n) => `${key}.${n}`));
    } else if (allowed.includes(key)) {
      kept[key] = value;
      fields.push(key);
    }
  }
  return { kept, fields };
}

export async function disclose(
  deps: Pick<Deps, 'dataMap' | 'clock'>,
  trx: Deps['db'],
  request: { activity: string; recipient: string; userId: string; payload: Payload },
): Promise<string> {
  const recipient: Recipient | undefined = deps.dataMap.recipient(request.activity, request.recipient);
  if (!recipient?.fields)
    throw new Error(`the data map allows no hand-off to ${request.recipient} for ${request.activity}`);
  const { kept, fields } = stripToAllowed(request.payload, recipient.fields);
  const now = deps.clock.now();
  const handoffId = randomUUID();
  await insertHandoff(trx, {
    id: handoffId,
    user_id: request.userId,
    recipient: recipient.id,
    payload: JSON.stringify(kept),
    created_at: now,
    delivered_at: null,
  });
  await insertDisclosure(trx, {
    id: randomUUID(),
    user_id: request.userId,
    activity: request.activity,
    recipient: recipient.id,
    fields: JSON.stringify(fields),
    handoff_id: handoffId,
    disclosed_at: now,
  });
  return handoffId;
}

export function handoffDirectory(dataDir: string, recipient: string): string {
  return join(dataDir, 'handoffs', assertSafeIdentifier(recipient.replace(/-/g, '_')));
}

/**
 * Delivers queued hand-offs. The shipped adapter writes each as a JSON export file per recipient under
 * DATA_DIR/handoffs/ (what a delivery company's import picks up); the file name is the hand-off id, so a
 * repeated delivery overwrites instead of duplicating. The files are a file set of the data map: retention and
 * erasure remove them (privacy/files.ts).
 */
export async function deliverHandoffs(deps: Pick<Deps, 'db' | 'clock' | 'config'>, limit = 100): Promise<number> {
  const due = await listUndeliveredHandoffs(deps.db, limit);
  for (const handoff of due) {
    const dir = handoffDirectory(deps.config.dataDir, handoff.recipient);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `${handoff.id}.json`);
    writeFileSync(file, `${handoff.payload}\n`, { mode: 0o600 });
    // The file's time is the hand-off's: its retention (data map) runs from it.
    stampFileTime(file, deps.clock);
    await markHandoffDelivered(deps.db, handoff.id, deps.clock.now());
  }
  return due.length;
}
