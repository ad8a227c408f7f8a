// The bytes an access record's hash covers, shared by the appender, the verifier and the migration that chained
// the records written before. The person's reference (subject_user_id) is outside: erasure replaces it with a keyed
// pseudonym without breaking the chain. The path is covered through a digest under a random salt kept beside it:
// erasure clears path and salt (a path can hold the person's account or order id) and the digest, with no salt
// left to test guesses against, still proves the record unchanged.
import { createHash, randomBytes } from 'node:crypto';

export const ACCESS_GENESIS_HASH = '0'.repeat(64);

export interface HashedAccessContent {
  prev_hash: string;
  seq: number;
  at: number;
  actor_user_id: string;
  actor_role: string;
  what: string;
  why: string;
  path_digest: string;
}

export function accessRecordHash(r: HashedAccessContent): string {
  const content = JSON.stringify([
    r.prev_hash,
    Number(r.seq),
    Number(r.at),
    r.actor_user_id,
    r.actor_role,
    r.what,
    r.why,
    r.path_digest,
  ]);
  return createHash('sha256').update(content).digest('hex');
}

/** A new random salt for one record's path. */
export function newPathSalt(): string {
  return randomBytes(16).toString('hex');
}

/** The digest of a path under its salt; a record without a path (none recorded) digests the empty string. */
export function pathDigest(salt: string, path: string | null): string {
  return createHash('sha256')
    .update(`${salt}\n${path ?? ''}`)
    .digest('hex');
}
