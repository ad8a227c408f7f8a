// The suppression list: no marketing mail reaches an address that unsubscribed, bounced or was erased. It keeps
// only HMAC-SHA256(SUPPRESSION_KEY, normalised address): enough to recognise the address when mail is about to go
// to it, useless for reading who is on the list. It never blocks transactional mail (verification, orders, the
// erasure confirmation): only outbox rows with a `list` are checked. A new confirmed opt-in lifts it.
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import {
  deleteSuppressions,
  findSuppressedHashes,
  insertSuppression,
  listSuppressionsOf,
} from './mail.suppression.queries.ts';

type Db = Kysely<Database>;

/** Why an address is on the list. */
export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained' | 'erased';

/** Every marketing list: a row for '*' blocks all of them. */
export const ALL_MARKETING = '*';

/** The address as stored everywhere in Candor (NFKC, trimmed, lower case: decision 0010), then keyed-hashed. */
export function suppressionHash(key: string, email: string): string {
  return createHmac('sha256', key).update(email.normalize('NFKC').trim().toLowerCase()).digest('base64url');
}

/** Adds the address for one list, or for every marketing list with `ALL_MARKETING`; adding it again changes nothing. */
export async function suppressAddress(
  db: Db,
  key: string,
  email: string,
  entry: { list: string; reason: SuppressionReason; at: number },
): Promise<void> {
  await insertSuppression(db, {
    hash: suppressionHash(key, email),
    list: entry.list,
    reason: entry.reason,
    created_at: entry.at,
  });
}

/** A new confirmed opt-in: the address may get marketing mail again (objections are the privacy engine's, apart). */
export async function liftSuppression(db: Db, key: string, email: string): Promise<void> {
  await deleteSuppressions(db, suppressionHash(key, email));
}

export async function isSuppressed(db: Db, key: string, email: string, list: string): Promise<boolean> {
  const hash = suppressionHash(key, email);
  return (await findSuppressedHashes(db, [hash], list)).has(hash);
}

/** Of these addresses, those that must get no mail of `list` (one query for a batch of recipients). */
export async function suppressedAmong(db: Db, key: string, emails: string[], list: string): Promise<Set<string>> {
  const byHash = new Map(emails.map((e) => [suppressionHash(key, e), e]));
  const hit = await findSuppressedHashes(db, [...byHash.keys()], list);
  return new Set([...hit].map((h) => byHash.get(h)!));
}

/** What the list says about one address (for the person's own view; the address itself is never stored). */
export async function suppressionsOf(
  db: Db,
  key: string,
  email: string,
): Promise<{ list: string; reason: string; created_at: number }[]> {
  return (await listSuppressionsOf(db, suppressionHash(key, email))).map(({ list, reason, created_at }) => ({
    list,
    reason,
    created_at,
  }));
}
