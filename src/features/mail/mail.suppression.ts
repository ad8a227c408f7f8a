// The suppression list: no marketing mail reaches an address that unsubscribed, bounced or was erased. It keeps
// only HMAC-SHA256(SUPPRESSION_KEY, normalised address): enough to recognise the address when mail is about to go
// to it, useless for reading who is on the list. It never blocks transactional mail (verification, orders, the
// erasure confirmation): only outbox rows with a `list` are checked. A new confirmed opt-in lifts it.
import { createHmac } from 'node:crypto';
import { normaliseEmail } from '../../platform/email/address.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import {
  deleteSuppressions,
  findSuppressedHashes,
  findSuppressionsAmong,
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
  return createHmac('sha256', key).update(normaliseEmail(email)).digest('base64url');
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

/**
 * The marketing lists Candor sends: a block of every list ('*') that one opt-in lifts becomes a block of the others,
 * so subscribing to the newsletter again does not bring back survey invitations or product suggestions someone
 * left with "all marketing mail".
 */
export const MARKETING_LISTS = ['newsletter', 'similar-products', 'surveys'] as const;

/**
 * A new confirmed opt-in to `list`: the address may get that list's mail again (objections are the privacy
 * engine's, apart). A block of all marketing mail stays in force for the other lists.
 */
export async function liftSuppression(db: Db, key: string, email: string, list: string): Promise<void> {
  const hash = suppressionHash(key, email);
  const rows = await listSuppressionsOf(db, hash);
  const all = rows.find((r) => r.list === ALL_MARKETING);
  await deleteSuppressions(db, hash, [list, ALL_MARKETING]);
  if (!all) return;
  for (const other of MARKETING_LISTS.filter((l) => l !== list))
    await insertSuppression(db, { hash, list: other, reason: all.reason, created_at: all.created_at });
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

/**
 * Of these mails (address and list each), the positions of those that must not go: one query for a whole batch,
 * whatever lists it mixes. Delivery's last check before a marketing mail leaves.
 */
export async function suppressedMails(
  db: Db,
  key: string,
  mails: { to: string; list: string }[],
): Promise<Set<number>> {
  const hashes = mails.map((m) => suppressionHash(key, m.to));
  const rows = await findSuppressionsAmong(
    db,
    [...new Set(hashes)],
    mails.map((m) => m.list),
  );
  const blocked = new Set(rows.map((r) => `${r.hash} ${r.list}`));
  const hit = new Set<number>();
  mails.forEach((m, i) => {
    if (blocked.has(`${hashes[i]} ${ALL_MARKETING}`) || blocked.has(`${hashes[i]} ${m.list}`)) hit.add(i);
  });
  return hit;
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
