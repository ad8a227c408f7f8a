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
