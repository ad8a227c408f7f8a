// The visitor hash and the pseudonym. The hash is an HMAC over the day's random salt, the IP, the user agent and the
// site: one browser is one visitor for one UTC day, and once the salt is deleted (48 hours after its day began) no
// one, the operator included, can recompute it or link two days. The pseudonym of a consenting visitor is an HMAC of
// the account id (signed in) or the consent id under ANALYTICS_KEY: stable, and never the identity itself.
import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { DAY } from '../../platform/clock.ts';
import { partitionName, partitionStart } from '../../privacy/data-map.ts';
import { findSalt, insertSalt } from './analytics.salts.queries.ts';

/** The UTC day of a time, as 'YYYYMMDD'. */
export function dayKey(at: number): string {
  return partitionName('', at).slice(2);
}

/** Salts are deleted this long after their day began. */
export const SALT_LIFETIME_MS = 2 * DAY;

export function visitorHash(salt: string, ip: string, userAgent: string, site: string): string {
  return createHmac('sha256', salt).update(`${ip}\n${userAgent}\n${site}`).digest('base64url').slice(0, 22);
}

/** The first letter says whose it is ('a' an account, 'c' a consent), so reports can tell customers apart. */
export function pseudonymOf(key: string, kind: 'account' | 'consent', id: string): string {
  const mac = createHmac('sha256', key).update(`analytics-pseudonym:${kind}:${id}`).digest('base64url');
  return `${kind === 'account' ? 'a' : 'c'}${mac.slice(0, 21)}`;
}

/** Whose pseudonym it is: 'customer' (an account's) or 'visitor' (a consent's). */
export function pseudonymKind(pseudonym: string): 'customer' | 'visitor' {
  return pseudonym.startsWith('a') ? 'customer' : 'visitor';
}

export interface SaltKeeper {
  /** The salt of the UTC day of `at`, made on first use; the day's row is shared by every process. */
  saltFor(at: number): Promise<string>;
  /** The salt if this process already holds it (the common case: no await on the request path). */
  cachedSalt(at: number): string | undefined;
}

export function createSaltKeeper(db: Kysely<Database>): SaltKeeper {
  // Two days at most: today's, and yesterday's while a request that began before midnight finishes.
  const salts = new Map<string, string>();
  const pending = new Map<string, Promise<string>>();
  async function load(day: string): Promise<string> {
    const start = partitionStart(day);
    let salt = await findSalt(db, day);
    if (salt === undefined) {
      await insertSalt(db, { day, salt: randomBytes(32).toString('hex'), created_at: start });
      salt = await findSalt(db, day);
    }
    if (salt === undefined) throw new Error('analytics salt missing after insert');
    for (const key of [...salts.keys()]) if (key < dayKey(start - DAY)) salts.delete(key);
    salts.set(day, salt);
    return salt;
  }
  return {
    cachedSalt: (at) => salts.get(dayKey(at)),
    saltFor(at) {
      const day = dayKey(at);
      const known = salts.get(day);
      if (known !== undefined) return Promise.resolve(known);
      let p = pending.get(day);
      if (!p) {
        p = load(day).finally(() => pending.delete(day));
        pending.set(day, p);
      }
      return p;
    },
  };
}
