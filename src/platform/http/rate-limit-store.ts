// The @fastify/rate-limit store: counts in Redis while the shared state can use it (every process sees one count
// per key) and in this process's own memory while it cannot (the limit then holds per process), without waiting
// for Redis. Both halves are the plugin's own stores; this only chooses between them per request.
import { createRequire } from 'node:module';
import type { FastifyRateLimitOptions, FastifyRateLimitStore } from '@fastify/rate-limit';
import type { SharedState } from '../shared-state.ts';

type Callback = Parameters<FastifyRateLimitStore['incr']>[1];
/** What the plugin passes to child(): the route's merged rate-limit options (typed by the plugin as RouteOptions). */
type RouteOptions = Parameters<FastifyRateLimitStore['child']>[0];

/** What the plugin passes to the constructor: its global options, merged with defaults. */
type StoreOptions = FastifyRateLimitOptions & {
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
  cache?: number;
};

interface PluginStore extends FastifyRateLimitStore {
  read(key: string, cb: Callback, timeWindow: number, max: number): void;
  child(routeOptions: RouteOptions): PluginStore;
}

// The plugin's stores are CommonJS files without type declarations; their contract is the README's "Custom store".
const require = createRequire(import.meta.url);
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (
  continueExceeding?: boolean,
  exponentialBackoff?: boolean,
  cache?: number,
) => PluginStore;
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean | undefined,
  exponentialBackoff: boolean | undefined,
  redis: unknown,
  key: string,
) => PluginStore;

/** A store class for the plugin's `store` option (it calls `new Store(globalOptions)`). */
export function sharedRateLimitStore(shared: SharedState, nameSpace: string) {
  return class SharedRateLimitStore implements PluginStore {
    private readonly local: PluginStore;
    private readonly remote: PluginStore | undefined;

    constructor(options: StoreOptions, pair?: { local: PluginStore; remote: PluginStore | undefined }) {
      this.local = pair?.local ?? new LocalStore(options.continueExceeding, options.exponentialBackoff, options.cache);
      this.remote =
        pair?.remote ??
        (shared.client
          ? new RedisStore(options.continueExceeding, options.exponentialBackoff, shared.client, nameSpace)
          : undefined);
    }

    incr(key: string, cb: Callback, timeWindow: number, max: number): void {
      this.choose('incr', key, cb, timeWindow, max);
    }

    read(key: string, cb: Callback, timeWindow: number, max: number): void {
      this.choose('read', key, cb, timeWindow, max);
    }

    child(routeOptions: RouteOptions): PluginStore {
      return new SharedRateLimitStore(routeOptions, {
        local: this.local.child(routeOptions),
        remote: this.remote?.child(routeOptions),
      });
    }

    private choose(method: 'incr' | 'read', key: string, cb: Callback, timeWindow: number, max: number): void {
      if (!this.remote || !shared.usable()) return this.local[method](key, cb, timeWindow, max);
      this.remote[method](
        key,
        (err, result) => {
          shared.report(!err);
          if (err) this.local[method](key, cb, timeWindow, max);
          else cb(null, result);
        },
        timeWindow,
        max,
      );
    }
  };
}
