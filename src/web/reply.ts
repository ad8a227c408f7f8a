// Sending a rendered page: one place for the content type (and, if ever needed, page-wide headers).
import type { FastifyReply } from 'fastify';

/**
 * The page goes out as its UTF-8 bytes. A page is built by joining many strings, and a sign such as € makes it a
 * two-byte string twice its size; sent as text, Fastify measures it (flattening it once) and Node joins it to the
 * header lines (copying it again) before encoding it. Encoded here once, it is neither measured nor joined again.
 */
export function sendPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(Buffer.from(body, 'utf8'));
}
