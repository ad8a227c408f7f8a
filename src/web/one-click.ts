// RFC 8058 one-click unsubscribing: a mailbox provider POSTs `List-Unsubscribe=One-Click` to the address named in
// `List-Unsubscribe`, as multipart/form-data (what the RFC recommends) or url-encoded (what it allows). A feature
// with such a target calls this at the top of its routes: its scope then reads multipart bodies, but only for the
// one-click targets (the routes that take a signed link instead of a form token, `csrfExempt`); any other route of
// the scope refuses them as before (415), the JSON API included. No file is accepted, and only a few short fields,
// so a multipart body cannot cost more than a url-encoded one.
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { errors } from '../platform/errors.ts';
import { isApiPath } from '../platform/http/security.ts';

export async function acceptOneClickForms(scope: FastifyInstance): Promise<void> {
  scope.addHook('onRequest', async (request) => {
    if (!/^multipart\/form-data/i.test(request.headers['content-type'] ?? '')) return;
    const oneClick = (request.routeOptions.config as { csrfExempt?: boolean } | undefined)?.csrfExempt === true;
    if (!oneClick) throw isApiPath(request.url) ? errors.unsupportedMediaType() : errors.unsupportedFormType();
  });
  await scope.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { files: 0, fields: 8, fieldSize: 2_000, fieldNameSize: 100, parts: 8, headerPairs: 20 },
  });
}
