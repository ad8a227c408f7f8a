// Per-address throttle of failed sign-ins (ASVS 5.0 6.3.1), shared by every route that checks a password.
// Keyed by an HMAC of the normalised address, never by whether an account exists, so it treats both alike.
// A browser that signed in to the account before (a known-device cookie) is counted on its own small limit
// instead, so an attacker cannot keep the owner out (OWASP device cookies). Counted in Redis when REDIS_URL is
// set (atomic script), else, and while Redis is away (deps.shared: never waited for), in the account_limits table.
import { createHmac } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { DAY, MINUTE } from '../../platform/clock.ts';
import * as q from './accounts.queries.ts';

export const THROTTLE = {
  /** Attempts without delay. */
  free: 10,
  /** After `free` unsuccessful attempts: 1 s, 2 s, 4 s ... before the next attempt, never more than `cap`. */
  base: 1000,
  cap: 15 * MINUTE,
  /** Attempts without delay from a known device, which skips the per-address count. */
  deviceFree: 5,
  /** A day without attempts forgets the count (and retention deletes the row). */
  forgetAfter: DAY,
};

export function delayAfter(attempts: number, free: number = THROTTLE.free): number {
  return attempts < free ? 0 : Math.min(THROTTLE.base * 2 ** (attempts - free), THROTTLE.cap);
}

export function limitKey(secret: string, purpose: string, email: string): string {
  return createHmac('sha256', secret).update(`${purpose}:${email}`).digest('hex');
}

export interface SignInThrottle {
  /**
   * Counts an attempt for the address and returns 0, or returns how many ms it must wait (nothing counted).
   * Counting before the password is checked means parallel guesses cannot slip in under the limit.
   */
  attempt(email: string, device?: string): Promise<number>;
  /**
   * A correct password forgets the count it was checked under: the device's when `device` is given (the address's
   * count stays, so the owner's sign-ins never hand an attacker fresh free guesses), else the address's.
   */
  succeed(email: string, device?: string): Promise<void>;
  close(): Promise<void>;
}

const SCRIPT = `
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
local at = tonumber(redis.call('HGET', KEYS[1], 'at') or '0')
local now, free, base, cap, forget = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
if n > 0 and now - at >= forget then n = 0 end
if n >= free then
  local wait = at + math.min(base * 2 ^ (n - free), cap) - now
  if wait > 0 then return math.ceil(wait) end
end
redis.call('HSET', KEYS[1], 'n', n + 1, 'at', now)
redis.call('PEXPIRE', KEYS[1], forget)
return 0`;

export function createSignInThrottle(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'shared'>): SignInThrottle {
  const key = (email: string, device?: string) =>
    device ? limitKey(deps.config.secret, 'sign-in-device', device) : limitKey(deps.config.secret, 'sign-in', email);

  async function attemptInDatabase(k: string, now: number, free: number): Promise<number> {
    // Optimistic: the update only succeeds if nobody counted in between; a lost race reads again.
    for (let round = 0; round < 5; round++) {
      const row = await q.findAccountLimit(deps.db, k);
      const attempts = row && now - row.last_at < THROTTLE.forgetAfter ? row.count : 0;
      const wait = row && attempts > 0 ? row.last_at + delayAfter(attempts, free) - now : 0;
      if (wait > 0) return wait;
      if (await q.countAccountLimit(deps.db, k, row, attempts + 1, now)) return 0;
    }
    return THROTTLE.base;
  }

  // While Redis is away the count goes on in the database; counts Redis held come back with it (both expire
  // within a day), so an outage can hand an attacker at most one fresh allowance of free guesses.
  return {
    async attempt(email, device) {
      const now = deps.clock.now();
      const free = device ? THROTTLE.deviceFree : THROTTLE.free;
      return deps.shared.run(
        async (redis) =>
          Number(
            await redis.eval(
              SCRIPT,
              1,
              `candor-signin:${key(email, device)}`,
              now,
              free,
              THROTTLE.base,
              THROTTLE.cap,
              THROTTLE.forgetAfter,
            ),
          ),
        () => attemptInDatabase(key(email, device), now, free),
      );
    },
    async succeed(email, device) {
      await deps.shared.run(
        async (redis) => void (await redis.del(`candor-signin:${key(email, device)}`)),
        () => q.deleteAccountLimit(deps.db, key(email, device)),
      );
    },
    // The connection belongs to deps.shared, closed with the Deps.
    async close() {},
  };
}
