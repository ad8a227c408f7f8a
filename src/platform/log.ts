// The application log (pino). It must never carry personal data: code logs ids and codes only, and
// the redaction list is a second line of defence for fields that should never be passed in.
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

const redactedKeys = [
  'email',
  'password',
  'token',
  'ip',
  'name',
  'cookie',
  'authorization',
  'headers',
  'body',
  'to',
  'recipient',
  'phone',
  'company',
  'address',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: redactedKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]), censor: '[redacted]' },
      serializers: { err: serializeError },
    },
    destination,
  );
}

/** Error messages can quote input (e.g. a driver echoing a duplicate value); log the code and stack frames only. */
function serializeError(err: unknown): Record<string, unknown> {
  const e = err as { name?: string; code?: string; stack?: string };
  return { type: e?.name, code: e?.code, stack: e?.stack?.split('\n').slice(1, 8).join('\n') };
}

type LogArgs = Parameters<pino.LogFn>;

/** What a request's logger needs of its parent: pino's logger, or Fastify's view of it. */
interface ParentLogger {
  level: pino.LevelWithSilentOrString;
  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): ChildLogger;
}

type ChildLogger = Pick<pino.BaseLogger, 'level' | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'> &
  ParentLogger;

/**
 * Fastify gives every request a child logger bound to its request id. pino makes a child by serialising and
 * redacting its bindings, a few microseconds a request for a logger most requests never write to (Candor logs no
 * request lines). This one stands in for it and makes the child on the request's first log line.
 */
export class LazyChildLogger {
  #child: ChildLogger | undefined;
  readonly #parent: ParentLogger;
  readonly #bindings: pino.Bindings;
  readonly #options: pino.ChildLoggerOptions | undefined;

  constructor(parent: ParentLogger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #real(): ChildLogger {
    return (this.#child ??= this.#parent.child(this.#bindings, this.#options));
  }

  get level(): pino.LevelWithSilentOrString {
    return this.#child?.level ?? this.#options?.level ?? this.#parent.level;
  }

  set level(level: pino.LevelWithSilentOrString) {
    this.#real().level = level;
  }

  fatal(...args: LogArgs): void {
    this.#real().fatal(...args);
  }

  error(...args: LogArgs): void {
    this.#real().error(...args);
  }

  warn(...args: LogArgs): void {
    this.#real().warn(...args);
  }

  info(...args: LogArgs): void {
    this.#real().info(...args);
  }

  debug(...args: LogArgs): void {
    this.#real().debug(...args);
  }

  trace(...args: LogArgs): void {
    this.#real().trace(...args);
  }

  silent(): void {}

  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): ChildLogger {
    return this.#real().child(bindings, options);
  }
}
