// State several web processes share through Redis (REDIS_URL): rate-limit counters, the sign-in throttle and the
// listing-cache invalidation. One command connection and one subscriber per Deps. Redis is never waited for: commands
// are refused at once while it is away (no offline queue) or cut off after a short timeout, and the callers fall
// back to what this process can do alone (its own counters, the database, the caches' TTL). One warning and the
// metrics gauge mark each outage; an info line and the gauge back at 0 its end. Nothing here carries personal data.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';

/** A message on a channel; `undefined` means "messages may have been missed" (after an outage): drop everything. */
export type SharedMessageHandler = (message: string | undefined) => void;

export interface SharedState {
  /** Whether REDIS_URL is set at all. */
  readonly configured: boolean;
  /** The command connection, whatever its state (for code that defines its own commands); use it via usable(). */
  readonly client: Redis | undefined;
  /**
   * Runs `shared` against Redis when it is usable, else (or when it fails) `local`; a failure marks an outage.
   * `shared` must be one short command: it is cut off after COMMAND_TIMEOUT_MS.
   */
  run<T>(shared: (redis: Redis) => Promise<T>, local: () => T | Promise<T>): Promise<T>;
  /** The connection to hand to code that runs its own commands, when usable (else undefined: stay local). */
  usable(): Redis | undefined;
  /** Reports how a command handed out by usable() went (failure: an outage starts; success: it ends). */
  report(ok: boolean): void;
  /**
   * Tells every process (this one at once, the others through Redis) about a change. While Redis is away the
   * others do not hear it; their caches' TTL bounds how stale they get, and they drop everything when it is back.
   */
  publish(channel: string, message: string): void;
  /** Listens on a channel; returns the function that stops listening. */
  subscribe(channel: string, handler: SharedMessageHandler): () => void;
  /** Resolves once the first connection attempt succeeded or failed (at most `ms`): for starting processes. */
  settled(ms?: number): Promise<void>;
  readonly degraded: boolean;
  close(): Promise<void>;
}

/** A command slower than this counts as an outage: a request never waits longer for Redis. */
export const COMMAND_TIMEOUT_MS = 250;
/** After a failed command on a connection that still looks open, Redis is tried again after this long. */
const RETRY_AFTER_MS = 1000;

export function createSharedState(
  redisUrl: string | undefined,
  deps: { log: Logger; metrics: Pick<Metrics, 'sharedStateDegraded' | 'sharedStateFallbacks'> },
): SharedState {
  const handlers = new Map<string, Set<SharedMessageHandler>>();
  const deliver = (channel: string, message: string | undefined) => {
    for (const handler of handlers.get(channel) ?? []) {
      try {
        handler(message);
      } catch (err) {
        deps.log.error({ err, channel }, 'shared state: a message handler failed');
      }
    }
  };
  if (!redisUrl) {
    return {
      configured: false,
      client: undefined,
      run: async (_shared, local) => local(),
      usable: () => undefined,
      report: () => {},
      publish: (channel, message) => deliver(channel, message),
      subscribe: (channel, handler) => listen(handlers, channel, handler),
      settled: async () => {},
      degraded: false,
      close: async () => {},
    };
  }

  // Each process's own messages come back through Redis: it has handled them already, so it skips them.
  const origin = randomBytes(6).toString('hex');
  const options = {
    connectTimeout: 2000,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    // Reconnect soon and keep trying: Redis back means shared again within a second.
    retryStrategy: (times: number) => Math.min(100 * times, 1000),
  };
  const redis = new Redis(redisUrl, options);
  // The subscriber may queue its SUBSCRIBE until connected (no request waits for it) and resubscribes by itself.
  const subscriber = new Redis(redisUrl, {
    ...options,
    commandTimeout: undefined,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
  });
  let closing = false;
  let degraded = false;
  let retryAt = 0;
  let settledOnce = false;
  const waiting: (() => void)[] = [];
  const settle = () => {
    settledOnce = true;
    for (const resolve of waiting.splice(0)) resolve();
  };

  const down = (why: string) => {
    settle();
    if (closing || degraded) return;
    degraded = true;
    deps.metrics.sharedStateDegraded.set(1);
    deps.metrics.sharedStateFallbacks.inc();
    // One line per outage; the reason is a code or an ioredis state, never an address or a key.
    deps.log.warn(
      { reason: why },
      'shared state: Redis unavailable; rate limits, the sign-in throttle and cache invalidation fall back to this process',
    );
  };
  const up = () => {
    settle();
    retryAt = 0;
    if (!degraded) return;
    degraded = false;
    deps.metrics.sharedStateDegraded.set(0);
    deps.log.info(
      'shared state: Redis is back; rate limits, the sign-in throttle and cache invalidation are shared again',
    );
  };

  redis.on('ready', up);
  redis.on('error', (err: NodeJS.ErrnoException) => down(err.code ?? 'error'));
  redis.on('close', () => down('connection closed'));

  let subscribedBefore = false;
  subscriber.on('error', () => {}); // the command connection reports outages
  subscriber.on('ready', () => {
    // Back after an outage: whatever was published meanwhile is lost, so every listener drops what it keeps.
    if (subscribedBefore) for (const channel of handlers.keys()) deliver(channel, undefined);
    subscribedBefore = true;
  });
  subscriber.on('message', (channel: string, payload: string) => {
    const cut = payload.indexOf(' ');
    if (cut < 0 || payload.slice(0, cut) === origin) return;
    deliver(channel, payload.slice(cut + 1));
  });

  const usable = () => (!closing && redis.status === 'ready' && Date.now() >= retryAt ? redis : undefined);
  const report = (ok: boolean) => {
    if (ok) up();
    else {
      retryAt = Date.now() + RETRY_AFTER_MS;
      down('command failed');
    }
  };

  return {
    configured: true,
    client: redis,
    get degraded() {
      return degraded;
    },
    usable,
    report,
    async run(shared, local) {
      const connection = usable();
      if (connection) {
        try {
          const result = await shared(connection);
          if (degraded) up();
          return result;
        } catch {
          report(false);
        }
      }
      return local();
    },
    publish(channel, message) {
      deliver(channel, message);
      const connection = usable();
      connection?.publish(channel, `${origin} ${message}`).then(
        () => {},
        () => report(false),
      );
    },
    subscribe(channel, handler) {
      if (!handlers.has(channel)) subscriber.subscribe(channel).catch(() => {});
      return listen(handlers, channel, handler);
    },
    settled(ms = 2000) {
      if (settledOnce) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    async close() {
      closing = true;
      deps.metrics.sharedStateDegraded.set(0);
      for (const connection of [redis, subscriber]) {
        if (connection.status === 'ready') await connection.quit().catch(() => connection.disconnect());
        else connection.disconnect();
      }
    },
  };
}

function listen(
  handlers: Map<string, Set<SharedMessageHandler>>,
  channel: string,
  handler: SharedMessageHandler,
): () => void {
  const set = handlers.get(channel) ?? new Set<SharedMessageHandler>();
  handlers.set(channel, set);
  set.add(handler);
  return () => void set.delete(handler);
}
