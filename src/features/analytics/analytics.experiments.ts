// Experiments (stub: helper E fills this in).
import type { FastifyRequest } from 'fastify';

/** The variant of a running experiment this visitor sees; 'control' without statistics consent. */
export function experimentVariant(_request: FastifyRequest, _key: string): string {
  return 'control';
}
