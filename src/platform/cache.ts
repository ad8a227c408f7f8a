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
