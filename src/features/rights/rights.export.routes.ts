// Downloading an export: only its owner, through an expiring link. A signed-in person downloads from the privacy
// centre (their account id or address is the request's subject); a person without an account follows the link
// in their mail, whose token is derived from the request id (checked in constant time, nothing of it stored).
// Anyone else gets 404, as for a request that does not exist; not built yet 409; past its days 410.
import { createReadStream, statSync } from 'node:fs';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireViewer } from '../../platform/http/context.ts';
import { isDerivedSecret } from '../../platform/secret-links.ts';
import { EXPORT_LINK_PURPOSE, exportFilePath } from './rights.export.ts';
import { accountKeys, addRequestEvent, findRequest } from './rights.service.ts';
import type { PrivacyRequestsTable } from './rights.tables.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const TokenQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 128 })) });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const notReady = () =>
  new AppError(409, 'export_not_ready', {
    en: 'Your copy is still being made. We will send you an email as soon as it is ready.',
    de: 'Ihre Kopie wird noch erstellt. Wir schicken Ihnen eine E-Mail, sobald sie fertig ist.',
  });

const expired = () =>
  new AppError(410, 'export_expired', {
    en: 'This copy has expired and was deleted. You can ask for a new one in the privacy area.',
    de: 'Diese Kopie ist abgelaufen und wurde gelöscht. Im Datenschutzbereich können Sie eine neue anfordern.',
  });

/** An export request (access or export) by id; anything else is "not found". */
async function exportRequest(deps: Deps, id: string): Promise<PrivacyRequestsTable> {
  if (!UUID.test(id)) throw errors.notFound();
  const request = await findRequest(deps.db, id);
  if (!request || (request.kind !== 'export' && request.kind !== 'access')) throw errors.notFound();
  return request;
}

/** Streams the finished ZIP, after the request's state and expiry are checked, and writes the history line. */
async function sendExport(
  deps: Deps,
  reply: FastifyReply,
  request: PrivacyRequestsTable,
  actorUserId: string | null,
): Promise<FastifyReply> {
  const now = deps.clock.now();
  if (request.state !== 'done' || request.export_expires_at === null) {
    if (request.state === 'refused') throw errors.notFound();
    throw notReady();
  }
  if (now >= request.export_expires_at) throw expired();
  const path = exportFilePath(deps.config.dataDir, request.id);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw expired(); // deleted by retention or by an erasure of the person
  }
  await addRequestEvent(deps.db, request, now, { actor: 'subject', actorUserId, what: 'downloaded' });
  const day = new Date(request.done_at ?? now).toISOString().slice(0, 10);
  return reply
    .type('application/zip')
    .header('content-disposition', `attachment; filename="my-data-${day}.zip"`)
    .header('content-length', String(size))
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(createReadStream(path));
}

export function registerExportRoutes(app: App, deps: Deps): void {
  app.get('/account/privacy/exports/:id', { schema: { params: IdParams } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const found = await exportRequest(deps, request.params.id);
    // An address request is theirs only once the account's address is confirmed (accountKeys: anyone can register
    // an unconfirmed account with a stranger's address).
    const keys = await accountKeys(deps, viewer.userId);
    const owner = found.subject === viewer.userId || (keys.email !== null && keys.email === found.subject);
    if (!owner) throw errors.notFound();
    return sendExport(deps, reply, found, viewer.userId);
  });

  // The guest's link from their mail: the token is the credential (decision 0012: sensitive, no referrer; the
  // answer is a file, which runs no script).
  app.get(
    '/privacy/exports/:id',
    { config: { tokenLink: true }, schema: { params: IdParams, querystring: TokenQuery } },
    async (request, reply) => {
      const { id } = request.params;
      const token = request.query.token ?? '';
      if (!UUID.test(id) || !isDerivedSecret(deps.config.secret, EXPORT_LINK_PURPOSE, id, token))
        throw errors.notFound();
      const found = await exportRequest(deps, id);
      return sendExport(deps, reply, found, null);
    },
  );
}
