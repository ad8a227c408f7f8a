// Staff-only mail pages (staff, DPO, admin): they show what was sent, never a working link.
import { join } from 'node:path';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { mailDirectory } from '../../platform/email/mailer.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import { findOutboxMessage, listRecentOutbox } from './mail.queries.ts';
import { mailListPage, mailMessagePage } from './mail.pages.ts';
import { pageContext, sendPage } from '../../web/index.ts';
import { recordAccess } from '../../privacy/access-audit.ts';

const STAFF = ['staff', 'dpo', 'admin'] as const;

const MessageParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export function registerMailPages(app: App, deps: Deps): void {
  app.get('/staff/mail', async (request, reply) => {
    requireRole(request.viewer, [...STAFF]);
    // The list shows recipients and subjects of many people: one record with no subject.
    await recordAccess(deps, {
      actor: request.viewer,
      whose: null,
      what: 'mail.list',
      why: 'customer-service',
      path: request.url,
    });
    const items = await listRecentOutbox(deps.db, 200);
    const dir = deps.mailer.kind === 'file' ? mailDirectory(deps.config.dataDir) : null;
    return sendPage(reply, mailListPage(pageContext(request), items, dir));
  });
  app.get('/staff/mail/:id', { schema: { params: MessageParams } }, async (request, reply) => {
    requireRole(request.viewer, [...STAFF]);
    const message = await findOutboxMessage(deps.db, request.params.id);
    if (!message) throw errors.notFound();
    await recordAccess(deps, {
      actor: request.viewer,
      whose: { email: message.recipient },
      what: 'mail.view',
      why: 'customer-service',
      path: request.url,
    });
    const file = deps.mailer.kind === 'file' ? join(mailDirectory(deps.config.dataDir), `${message.id}.eml`) : null;
    return sendPage(reply, mailMessagePage(pageContext(request), message, file));
  });
}
