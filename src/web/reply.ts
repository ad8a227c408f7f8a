// Sending a rendered page: one place for the content type (and, if ever needed, page-wide headers).
import type { FastifyReply } from 'fastify';

export function sendPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}
