// Staff-only mail pages (staff, DPO, admin): they show what was sent, never a working link. The kept business
// letters are staff pages too (never the customer's); a restricted copy (erasure requested) only the DPO sees.
import { join } from 'node:path';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { mailDirectory } from '../../platform/email/mailer.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import { findBusinessLetter, findOutboxMessage, listRecentBusinessLetters, listRecentOutbox } from './mail.queries.ts';
import { letterListPage, letterPage, mailListPage, mailMessagePage } from './mail.pages.ts';
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
  app.get('/staff/letters', async (request, reply) => {
    const viewer = requireRole(request.viewer, [...STAFF]);
    await recordAccess(deps, {
      actor: request.viewer,
      whose: null,
      what: 'mail.letter-list',
      why: 'customer-service',
      path: request.url,
    });
    const items = await listRecentBusinessLetters(deps.db, 200, viewer.role === 'dpo');
    return sendPage(reply, letterListPage(pageContext(request), items, deps.config.retention.letterYears ?? 6));
  });
  app.get('/staff/letters/:id', { schema: { params: MessageParams } }, async (request, reply) => {
    const viewer = requireRole(request.viewer, [...STAFF]);
    const letter = await findBusinessLetter(deps.db, request.params.id);
    // Restricted (Art. 18): kept for the law only, so only the DPO may open it (e.g. for a tax audit).
    if (!letter || (letter.restricted_at !== null && viewer.role !== 'dpo')) throw errors.notFound();
    await recordAccess(deps, {
      actor: request.viewer,
      whose: { userId: letter.user_id },
      what: 'mail.letter-view',
      why: letter.restricted_at !== null ? 'legal-obligation' : 'customer-service',
      path: request.url,
    });
    return sendPage(reply, letterPage(pageContext(request), letter));
  });
}
