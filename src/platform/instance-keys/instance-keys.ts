// Every process of one shop must hold the same keys: a session, a consent cookie or a mailed link signed by one
// process must verify in another, an address one process put on the suppression list must be found by the process
// that sends the next campaign, and activation files must be signed by the key the products know. A process on
// another machine that generated its own key files (DATA_DIR) or was given another value would break that quietly.
// So each command records a one-way fingerprint of each shared key in the database on its first start, and every
// later start compares: a process whose key differs refuses to start and says which setting differs.
import { createHash, createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordInstanceKeys, replaceInstanceKeys } from './instance-keys.queries.ts';
import type { InstanceKeysTable, InstanceKeysTables } from './instance-keys.tables.ts';

export interface InstanceKey {
  /** The setting that carries it, as the operator knows it (`CANDOR_SECRET`). */
  name: string;
  /** The key; for a key pair, its public half. */
  value: string;
  /** A secret key is fingerprinted with a keyed hash (the fingerprint tells nothing of it); a public one is hashed. */
  secret: boolean;
}

/** A one-way fingerprint: an HMAC under the key of a fixed text of its name, or a public key's SHA-256. */
export function fingerprintOf(key: InstanceKey): string {
  const digest = key.secret
    ? createHmac('sha256', key.value).update(`candor instance key fingerprint:${key.name}`)
    : createHash('sha256').update(key.value);
  return digest.digest('base64url').slice(0, 32);
}

export interface KeyMismatch {
  name: string;
  /** When the fingerprint this process's key differs from was recorded. */
  recordedAt: number;
}

const rowsOf = (keys: InstanceKey[], now: number): InstanceKeysTable[] =>
  keys.map((k) => ({ name: k.name, fingerprint: fingerprintOf(k), recorded_at: now }));

/** Records the fingerprints not yet recorded and names every key that differs from the recorded one. */
export async function checkInstanceKeys(
  db: Kysely<InstanceKeysTables>,
  keys: InstanceKey[],
  now: number,
): Promise<KeyMismatch[]> {
  const mine = rowsOf(keys, now);
  const recorded = new Map((await recordInstanceKeys(db, mine)).map((r) => [r.name, r]));
  return mine.flatMap((row) => {
    const other = recorded.get(row.name);
    return other && other.fingerprint !== row.fingerprint
      ? [{ name: row.name, recordedAt: Number(other.recorded_at) }]
      : [];
  });
}

/** Makes this process's keys the recorded ones (a key changed on purpose): `candor keys adopt`. */
export async function adoptInstanceKeys(
  db: Kysely<InstanceKeysTables>,
  keys: InstanceKey[],
  now: number,
): Promise<void> {
  await replaceInstanceKeys(db, rowsOf(keys, now));
}

/** What the operator reads when a process refuses to start. */
export function mismatchMessage(mismatches: KeyMismatch[]): string {
  const names = mismatches.map((m) => m.name).join(', ');
  const since = new Date(Math.min(...mismatches.map((m) => m.recordedAt))).toISOString().slice(0, 16).replace('T', ' ');
  return [
    `This process's ${names} differs from what the other processes of this database use (recorded ${since} UTC).`,
    'Every process of one shop needs the same keys: otherwise sessions, consent and mailed links signed by one',
    'process fail in another, and an address on the suppression list may get marketing mail again.',
    'Give this process the same values (or copy the key files of DATA_DIR). If you changed a key on purpose, run',
    '`candor keys adopt` once with the new values, then restart every process.',
  ].join('\n');
}
