// Staff-only mail pages (staff, DPO, admin): they show what was sent, never a working link.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { mailDirectory } from '../../platform/email/mailer.ts';
import { errors } from '../../platform/errors.ts';
import { requireRole } from '../../platform/http/context.ts';
import { sendPage } from '../../platform/http/reply.ts';
import { pageContext } from '../shell/index.ts';
import { findOutboxMessage, listRecentOutbox } from './mail.queries.ts';
import { mailListPage, mailMessagePage } from './mail.pages.ts';

const STAFF = ['staff', 'dpo', 'admin'] as const;

export function registerMailPages(app: FastifyInstance, deps: Deps): void {
  app.get('/staff/mail', async (request, reply) => {
    requireRole(request.viewer, [...STAFF]);
    const items = await listRecentOutbox(deps.db, 200);
    const dir = deps.mailer.kind === 'file' ? mailDirectory(deps.config.dataDir) : null;
    return sendPage(reply, mailListPage(pageContext(request, deps), items, dir));
  });
  app.get('/staff/mail/:id', { schema: { params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } } } } }, async (request, reply) => {
    requireRole(request.viewer, [...STAFF]);
    const message = await findOutboxMessage(deps.db, (request.params as { id: string }).id);
    if (!message) throw errors.notFound();
    const file = deps.mailer.kind === 'file' ? join(mailDirectory(deps.config.dataDir), `${message.id}.eml`) : null;
    return sendPage(reply, mailMessagePage(pageContext(request, deps), message, file));
  });
}
