// Staff-only mail pages (staff, DPO, admin): they show what was sent, never a working link. The kept business
// letters are staff pages too (never the customer's); a restricted copy (erasure requested) only the DPO sees.
import { join } from 'node:path';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { mailDirectory } from '../../platform/email/mailer.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import {
  findBusinessLetter,
  findOutboxMessage,
  listOutboxTemplates,
  listRecentBusinessLetters,
  searchOutbox,
} from './mail.queries.ts';
import {
  letterListPage,
  letterPage,
  MAIL_STATES,
  mailListPage,
  mailMessagePage,
  type MailState,
} from './mail.pages.ts';
import { resendFailedMail } from './mail.service.ts';
import { formBody, pageContext, sendPage } from '../../web/index.ts';
import { recordAccess } from '../../privacy/access-audit.ts';
import { findSubjectKeys } from '../../privacy/subject.ts';
import { encodeCursor, parseNumberCursor } from '../../web/keyset.ts';

const STAFF = ['staff', 'dpo', 'admin'] as const;

const MessageParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const PAGE_SIZE = 50;
const MailListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  state: Type.Optional(Type.Enum(['', ...MAIL_STATES], { type: 'string' })),
  template: Type.Optional(Type.String({ pattern: '^([a-z][a-z0-9-]{0,63})?$' })),
  /** The keyset of a page (web/keyset.ts): the creation time and id of the last mail on the page before. */
  after: Type.Optional(Type.String({ maxLength: 100 })),
});
/** The keyset of a page of kept letters (web/keyset.ts): the time and id of the last letter shown before. */
const LetterListQuery = Type.Object({ after: Type.Optional(Type.String({ maxLength: 100 })) });
const MessageQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 20 })) });

export function registerMailPages(app: App, deps: Deps): void {
  app.get('/staff/mail', { schema: { querystring: MailListQuery } }, async (request, reply) => {
    requireRole(request.viewer, [...STAFF]);
    const query = {
      q: request.query.q?.trim() || undefined,
      state: (request.query.state || undefined) as MailState | undefined,
      template: request.query.template || undefined,
      after: request.query.after || undefined,
    };
    const keyset = parseNumberCursor(query.after);
    const rows = await searchOutbox(deps.db, {
      ...(query.q ? { text: query.q } : {}),
      ...(query.state ? { state: query.state } : {}),
      ...(query.template ? { template: query.template } : {}),
      ...(keyset ? { after: { createdAt: keyset.value, id: keyset.id } } : {}),
      limit: PAGE_SIZE,
    });
    const items = rows.slice(0, PAGE_SIZE);
    const last = items.at(-1);
    const next = rows.length > PAGE_SIZE && last ? encodeCursor(last.created_at, last.id) : null;
    // The list shows the recipients of its rows: one record per account they belong to (none when no recipient
    // has an account), resolved as the privacy engine resolves an address.
    const recipients = [...new Set(items.map((m) => m.recipient))];
    const keys = await Promise.all(recipients.map((email) => findSubjectKeys(deps, email)));
    await recordAccess(deps, {
      actor: request.viewer,
      whose: { userIds: keys.flatMap((k) => k.userIds) },
      what: 'mail.list',
      why: 'customer-service',
      path: request.url,
    });
    const dir = deps.mailer.kind === 'file' ? mailDirectory(deps.config.dataDir) : null;
    const templates = await listOutboxTemplates(deps.db);
    return sendPage(reply, mailListPage(pageContext(request), { items, next, templates, query, directory: dir }));
  });
  app.get(
    '/staff/mail/:id',
    { schema: { params: MessageParams, querystring: MessageQuery } },
    async (request, reply) => {
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
      const resent = request.query.notice === 'resent';
      return sendPage(reply, mailMessagePage(pageContext(request), message, file, resent));
    },
  );
  app.post(
    '/staff/mail/:id/resend',
    { schema: { params: MessageParams, body: formBody({}) } },
    async (request, reply) => {
      requireRole(request.viewer, [...STAFF]);
      const recipient = await resendFailedMail(deps, request.params.id);
      // An action on someone's mail: recorded like a view, under its own name.
      await recordAccess(deps, {
        actor: request.viewer,
        whose: { email: recipient },
        what: 'mail.resend',
        why: 'customer-service',
        path: request.url,
      });
      return reply.redirect(`/staff/mail/${encodeURIComponent(request.params.id)}?notice=resent`, 303);
    },
  );
  app.get('/staff/letters', { schema: { querystring: LetterListQuery } }, async (request, reply) => {
    const viewer = requireRole(request.viewer, [...STAFF]);
    const after = request.query.after || undefined;
    const keyset = parseNumberCursor(after);
    await recordAccess(deps, {
      actor: request.viewer,
      whose: null,
      what: 'mail.letter-list',
      why: 'customer-service',
      path: request.url,
    });
    const rows = await listRecentBusinessLetters(
      deps.db,
      PAGE_SIZE + 1,
      viewer.role === 'dpo',
      keyset && { createdAt: keyset.value, id: keyset.id },
    );
    const items = rows.slice(0, PAGE_SIZE);
    const last = items.at(-1);
    const next = rows.length > PAGE_SIZE && last ? encodeCursor(last.created_at, last.id) : null;
    return sendPage(
      reply,
      letterListPage(pageContext(request), items, deps.config.retention.letterYears ?? 6, { after, next }),
    );
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
