// RFC 8058 one-click unsubscribing: a mailbox provider POSTs `List-Unsubscribe=One-Click` to the address named in
// `List-Unsubscribe`, as multipart/form-data (what the RFC recommends) or url-encoded (what it allows). A feature
// with such a target calls this at the top of its routes, so its scope reads both; no file is accepted, and only a
// few short fields, so a multipart body cannot cost more than a url-encoded one.
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';

export async function acceptOneClickForms(scope: FastifyInstance): Promise<void> {
  await scope.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { files: 0, fields: 8, fieldSize: 2_000, fieldNameSize: 100, parts: 8, headerPairs: 20 },
  });
}
