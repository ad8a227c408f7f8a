// A small per-process read cache with a time limit, for data that changes rarely and may be a moment stale
// (catalogue listings, categories). The entries stay in the process; whoever changes the data calls clear() in
// every process through the shared state (e.g. the catalogue's `candor:cache` channel over Redis), and `ttlMs`
// bounds how stale another process may be when that message cannot arrive (no REDIS_URL, Redis away): the
// listings' LISTING_CACHE_MS (2 s by default). Failed loads are not kept.
export interface TtlCache<V> {
  get(key: string, load: () => Promise<V>): Promise<V>;
  clear(): void;
}

export function createTtlCache<V>(options: { ttlMs: number; maxEntries: number; now: () => number }): TtlCache<V> {
  const entries = new Map<string, { at: number; value: Promise<V> }>();
  return {
    get(key, load) {
      const now = options.now();
      const hit = entries.get(key);
      if (hit && now - hit.at < options.ttlMs) return hit.value;
      if (hit) entries.delete(key);
      else if (entries.size >= options.maxEntries) entries.delete(entries.keys().next().value as string);
      const value = load();
      entries.set(key, { at: now, value });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    clear() {
      entries.clear();
    },
  };
}

/**
 * Results of a pure computation kept per key in this process, for work every request would otherwise repeat on one
 * of a few common inputs (a User-Agent, an Accept-Language header, a consent state). At most `max` entries: when
 * full, the oldest goes. A key longer than `maxKeyLength` is computed and not kept, so unusual input cannot fill the
 * memo with large keys. Never stored anywhere; values should be immutable, since every caller gets the same one.
 */
export interface Memo<V> {
  get(key: string, compute: () => V): V;
  readonly size: number;
}

export function createMemo<V>(options: { max: number; maxKeyLength?: number }): Memo<V> {
  const entries = new Map<string, V>();
  const maxKeyLength = options.maxKeyLength ?? 512;
  return {
    get(key, compute) {
      const kept = entries.get(key);
      if (kept !== undefined) return kept;
      const value = compute();
      if (key.length > maxKeyLength) return value;
      if (entries.size >= options.max) entries.delete(entries.keys().next().value as string);
      entries.set(key, value);
      return value;
    },
    get size() {
      return entries.size;
    },
  };
}
