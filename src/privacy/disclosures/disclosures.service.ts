// Queued hand-offs (the delivery company's import file): the payload is cut to the fields the data map declares for
// that recipient (outbound.ts, the same declaration every outbound call is checked against), the disclosure is
// recorded (field names, not values) for the person's access report, and the payload is queued in the same
// transaction as the change that causes it.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../../deps.ts';
import { assertSafeIdentifier } from '../../platform/db/dialect.ts';
import { stampFileTime } from '../files.ts';
import { insertHandoff, listUndeliveredHandoffs, markHandoffDelivered } from './disclosures.queries.ts';
import { declaredRecipient, keepDeclared, recordDisclosure, sortFields, type Payload } from './outbound.ts';

export async function disclose(
  deps: Pick<Deps, 'dataMap' | 'clock'>,
  trx: Deps['db'],
  request: { activity: string; recipient: string; userId: string; payload: Payload },
): Promise<string> {
  const recipient = declaredRecipient(deps, request.activity, request.recipient);
  // Feature code hands in whole objects on purpose (decision 0008): a field added to an order later stays here,
  // never in the file. What is kept is exactly what is recorded.
  const kept = keepDeclared(request.payload, recipient.paths);
  const fields = sortFields(kept, recipient.paths).sent;
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
  await recordDisclosure(trx, now, {
    activity: request.activity,
    recipient: recipient.id,
    person: { userId: request.userId },
    fields,
    handoffId,
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
