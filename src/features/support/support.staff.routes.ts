// Staff routes of the support console (staff and admin): the queue with search, one ticket (thread, answer, note,
// canned reply, state, assignment, category, merge, legal-claim hold, attachments), the canned replies. Every view of
// a ticket and every list of tickets is recorded in the access audit with the people shown.
import Type, { type Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { DAY } from '../../platform/clock.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole, type Role, type Viewer } from '../../platform/http/context.ts';
import type { Text } from '../../platform/i18n.ts';
import { recordAccess } from '../../privacy/access-audit.ts';
import { parseNumberCursor, encodeCursor } from '../../web/keyset.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { sendAttachment } from './support.account.routes.ts';
import { readAttachmentFile } from './support.files.ts';
import { parseProfile, LIMITS } from './support.model.ts';
import { findAttachment, findTicket, listAttachments, listMessages, listRegisteredSerials } from './support.queries.ts';
import { countByState, searchTickets } from './support.search.queries.ts';
import {
  addStaffMessage,
  contactOf,
  holdForLegalClaim,
  isGuestRequester,
  setTicketState,
  TicketRestricted,
} from './support.service.ts';
import { cannedEditPage, cannedListPage, queuePage, ticketPage, type TicketView } from './support.staff.pages.ts';
import * as sq from './support.staff.queries.ts';
import { assignTicket, cannedText, mergeTickets, saveCannedReply, setCategory } from './support.staff.service.ts';
import { TICKET_STATES, type SupportTicketsTable, type TicketState } from './support.tables.ts';

const STAFF: Role[] = ['staff', 'admin'];
const WHY = 'customer-service';
const PAGE = 50;

const StateParam = Type.Union(TICKET_STATES.map((s) => Type.Literal(s)));
const QueueQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 400 })),
  state: Type.Optional(StateParam),
  assigned: Type.Optional(Type.Union([Type.Literal('me'), Type.Literal('none')])),
  after: Type.Optional(Type.String({ maxLength: 100 })),
});
const TicketParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const FileParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  attachmentId: Type.String({ minLength: 1, maxLength: 64 }),
});
const CannedParams = Type.Object({ cid: Type.String({ minLength: 1, maxLength: 64 }) });
const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })) });

/** Every ticket form's fields (each form sends its own few; all optional text, checked by its action). */
const TicketForm = formBody({
  body: formText(LIMITS.body),
  then: formText(20),
  canned: formText(64),
  state: formText(20),
  assignee: formText(64),
  category: formText(40),
  productId: formText(64),
  target: formText(40),
  reason: formText(1000),
  until: formText(20),
  lift: formText(4),
});
type TicketFormBody = Static<typeof TicketForm>;
const CannedForm = formBody({
  titleEn: formText(200),
  titleDe: formText(200),
  bodyEn: formText(20000),
  bodyDe: formText(20000),
});
const EmptyForm = formBody({});

const NOTICES: Record<string, Text> = {
  answered: { en: 'Your answer was sent to the customer.', de: 'Ihre Antwort wurde an den Kunden gesendet.' },
  noted: { en: 'The note was added.', de: 'Die Notiz wurde hinzugefügt.' },
  saved: { en: 'Saved.', de: 'Gespeichert.' },
  merged: { en: 'The ticket was merged into this one.', de: 'Das Ticket wurde mit diesem zusammengeführt.' },
  held: { en: 'The ticket is held for a legal claim.', de: 'Das Ticket wird für einen Rechtsanspruch aufbewahrt.' },
  lifted: { en: 'The hold was lifted.', de: 'Die Aufbewahrung wurde aufgehoben.' },
};

const emptyBody = { en: 'Write a message first.', de: 'Schreiben Sie zuerst eine Nachricht.' };

/** Whose data a ticket is: the account, or the guest's address. */
const whoseTicket = (t: Pick<SupportTicketsTable, 'requester'>) =>
  isGuestRequester(t.requester) ? { email: t.requester } : { userId: t.requester };

export function registerSupportStaffRoutes(app: App, deps: Deps): void {
  app.get('/staff/support', { schema: { querystring: QueueQuery } }, async (request, reply) => {
    const viewer = requireRole(request.viewer, STAFF);
    const ctx = pageContext(request);
    const query = {
      q: (request.query.q ?? '').trim(),
      state: request.query.state,
      assigned: request.query.assigned,
      after: request.query.after,
    };
    try {
      const after = parseNumberCursor(query.after);
      const filters = { state: query.state, assigned: query.assigned, me: viewer.userId };
      const rows = await searchTickets(deps.db, deps.dbKind, query.q, filters, { after, limit: PAGE });
      const shown = rows.slice(0, PAGE);
      const last = shown[shown.length - 1];
      const next = rows.length > PAGE && last ? encodeCursor(last.position, last.id) : null;
      const counts = await countByState(deps.db);
      await recordAccess(deps, {
        actor: viewer,
        whose: { userIds: shown.filter((r) => !isGuestRequester(r.requester)).map((r) => r.requester) },
        what: 'support.ticket-list',
        why: WHY,
        path: request.url,
      });
      return sendPage(reply, queuePage(ctx, { rows: shown, next, counts, query }));
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const counts = await countByState(deps.db);
      return sendPage(reply, queuePage(ctx, { rows: [], next: null, counts, query }, err.text), err.status);
    }
  });

  // --- Canned replies (before /:id so that "canned" is never taken for a ticket id) ---

  app.get('/staff/support/canned', async (request, reply) => {
    requireRole(request.viewer, STAFF);
    return sendPage(reply, cannedListPage(pageContext(request), await sq.listCannedReplies(deps.db)));
  });

  app.get('/staff/support/canned/new', async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const empty = { titleEn: '', titleDe: '', bodyEn: '', bodyDe: '' };
    return sendPage(reply, cannedEditPage(pageContext(request), null, empty));
  });

  app.get('/staff/support/canned/:cid', { schema: { params: CannedParams } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const r = await sq.findCannedReply(deps.db, request.params.cid);
    if (!r) throw errors.notFound();
    const values = { titleEn: r.title_en, titleDe: r.title_de, bodyEn: r.body_en, bodyDe: r.body_de };
    return sendPage(reply, cannedEditPage(pageContext(request), r.id, values));
  });

  app.post(
    '/staff/support/canned/:cid',
    { schema: { params: CannedParams, body: CannedForm } },
    async (request, reply) => {
      requireRole(request.viewer, STAFF);
      const id = request.params.cid === 'new' ? null : request.params.cid;
      const values = {
        titleEn: request.body.titleEn ?? '',
        titleDe: request.body.titleDe ?? '',
        bodyEn: request.body.bodyEn ?? '',
        bodyDe: request.body.bodyDe ?? '',
      };
      try {
        await saveCannedReply(deps, id, values);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        const page = cannedEditPage(pageContext(request), id, values, err.fields, err.text);
        return sendPage(reply, page, err.status);
      }
      return reply.redirect('/staff/support/canned', 303);
    },
  );

  app.post(
    '/staff/support/canned/:cid/delete',
    { schema: { params: CannedParams, body: EmptyForm } },
    async (request, reply) => {
      requireRole(request.viewer, STAFF);
      await sq.deleteCannedReply(deps.db, request.params.cid);
      return reply.redirect('/staff/support/canned', 303);
    },
  );

  // --- One ticket ---

  async function loadTicket(id: string): Promise<SupportTicketsTable> {
    const ticket = await findTicket(deps.db, id);
    if (!ticket) throw errors.notFound();
    return ticket;
  }

  async function renderTicket(
    request: Parameters<typeof pageContext>[0],
    viewer: Viewer,
    ticket: SupportTicketsTable,
    extra: Partial<Pick<TicketView, 'draft' | 'error' | 'fields' | 'notice'>> = {},
  ): Promise<string> {
    await recordAccess(deps, {
      actor: viewer,
      whose: whoseTicket(ticket),
      what: 'support.ticket',
      why: WHY,
      path: request.url,
    });
    const messages = await listMessages(deps.db, ticket.id, true);
    const staff = await sq.listStaffMembers(deps.db);
    const staffNames: Record<string, string> = {};
    for (const s of staff) staffNames[s.id] = s.name;
    for (const id of [ticket.assignee_id, ...messages.map((m) => m.staff_id)])
      if (id && !staffNames[id]) staffNames[id] = (await sq.findUserName(deps.db, id))?.name ?? '—';
    const registered = !isGuestRequester(ticket.requester);
    const contact = await contactOf(deps, ticket);
    const target = ticket.merged_into ? await findTicket(deps.db, ticket.merged_into) : undefined;
    const view: TicketView = {
      ticket,
      mergedIntoRef: target?.ref ?? null,
      messages,
      attachments: await listAttachments(deps.db, ticket.id),
      staffNames,
      staff,
      customer: {
        userId: registered ? ticket.requester : null,
        name: contact?.name ?? ticket.requester_name,
        email: contact?.email ?? (registered ? null : ticket.requester),
      },
      orders: registered ? await sq.listOrdersOf(deps.db, ticket.requester) : [],
      serials: registered ? await listRegisteredSerials(deps.db, ticket.requester) : [],
      profile: parseProfile(ticket.profile_snapshot),
      repairs: await sq.listRepairsOfTicket(deps.db, ticket.id),
      canned: await sq.listCannedReplies(deps.db),
      draft: '',
      ...extra,
    };
    return ticketPage(pageContext(request), view);
  }

  app.get(
    '/staff/support/:id',
    { schema: { params: TicketParams, querystring: NoticeQuery } },
    async (request, reply) => {
      const viewer = requireRole(request.viewer, STAFF);
      const ticket = await loadTicket(request.params.id);
      const notice = request.query.notice ? NOTICES[request.query.notice] : undefined;
      return sendPage(reply, await renderTicket(request, viewer, ticket, { notice }));
    },
  );

  app.get(
    '/staff/support/:id/attachments/:attachmentId',
    { schema: { params: FileParams } },
    async (request, reply) => {
      const viewer = requireRole(request.viewer, STAFF);
      const ticket = await loadTicket(request.params.id);
      const file = await findAttachment(deps.db, request.params.attachmentId);
      if (!file || file.ticket_id !== ticket.id) throw errors.notFound();
      const content = readAttachmentFile(deps.config.dataDir, file.id);
      if (!content) throw errors.notFound();
      await recordAccess(deps, {
        actor: viewer,
        whose: whoseTicket(ticket),
        what: 'support.attachment',
        why: WHY,
        path: request.url,
      });
      return sendAttachment(reply, { fileName: file.file_name, contentType: file.content_type, content });
    },
  );

  /** Runs a ticket action; a refusal re-renders the ticket with the message (and the draft), changing nothing. */
  function action(
    path: string,
    run: (viewer: Viewer, ticket: SupportTicketsTable, body: TicketFormBody) => Promise<string | { draft: string }>,
  ): void {
    app.post(
      `/staff/support/:id/${path}`,
      { schema: { params: TicketParams, body: TicketForm } },
      async (request, reply) => {
        const viewer = requireRole(request.viewer, STAFF);
        const ticket = await loadTicket(request.params.id);
        try {
          // A restricted ticket takes no processing; only its legal hold may change (lifting it erases it).
          if (ticket.restricted_at !== null && path !== 'hold') throw new TicketRestricted();
          const result = await run(viewer, ticket, request.body);
          if (typeof result !== 'string') {
            const fresh = await loadTicket(ticket.id);
            return sendPage(reply, await renderTicket(request, viewer, fresh, { draft: result.draft }));
          }
          return reply.redirect(result.startsWith('/') ? result : `/staff/support/${result}`, 303);
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
          const draft = path === 'answer' ? (request.body.body ?? '') : '';
          const page = await renderTicket(request, viewer, ticket, { error: err.text, fields: err.fields, draft });
          return sendPage(reply, page, err.status);
        }
      },
    );
  }

  action('answer', async (viewer, ticket, body) => {
    const text = (body.body ?? '').trim();
    if (!text) throw errors.invalidFields({ body: emptyBody });
    const then: TicketState = body.then === 'solved' ? 'solved' : body.then === 'open' ? 'open' : 'waiting';
    await addStaffMessage(deps, ticket.id, { staffId: viewer.userId, body: text, note: false, state: then });
    return `${ticket.id}?notice=answered`;
  });

  action('note', async (viewer, ticket, body) => {
    const text = (body.body ?? '').trim();
    if (!text) throw errors.invalidFields({ note: emptyBody });
    await addStaffMessage(deps, ticket.id, { staffId: viewer.userId, body: text, note: true });
    return `${ticket.id}?notice=noted#thread-title`;
  });

  action('canned', async (_viewer, ticket, body) => {
    const text = body.canned ? await cannedText(deps, body.canned, ticket.lang) : undefined;
    if (text === undefined) throw errors.invalid({ en: 'Choose a canned reply.', de: 'Wählen Sie eine Textvorlage.' });
    return { draft: text };
  });

  action('state', async (_viewer, ticket, body) => {
    const state = TICKET_STATES.find((s) => s === body.state);
    if (!state) throw errors.invalid({ en: 'Choose one of the states.', de: 'Wählen Sie einen der Status.' });
    await setTicketState(deps, ticket.id, state);
    return `${ticket.id}?notice=saved`;
  });

  action('assign', async (viewer, ticket, body) => {
    const raw = body.assignee ?? '';
    await assignTicket(deps, ticket.id, raw === 'me' ? viewer.userId : raw === '' ? null : raw);
    return `${ticket.id}?notice=saved`;
  });

  action('category', async (_viewer, ticket, body) => {
    await setCategory(deps, ticket.id, body.category ?? '', (body.productId ?? '').trim() || null);
    return `${ticket.id}?notice=saved`;
  });

  action('merge', async (_viewer, ticket, body) => {
    const target = await mergeTickets(deps, ticket.id, body.target ?? '');
    return `${target}?notice=merged`;
  });

  action('hold', async (_viewer, ticket, body) => {
    if (body.lift) {
      await holdForLegalClaim(deps, ticket.id, null);
      // A restricted ticket that nothing keeps any more is erased now: back to the queue.
      if (!(await findTicket(deps.db, ticket.id))) return '/staff/support';
      return `${ticket.id}?notice=lifted`;
    }
    const reason = (body.reason ?? '').trim();
    const until = parseDay(body.until ?? '');
    const now = deps.clock.now();
    const fields: Record<string, Text> = {};
    if (!reason) fields.reason = { en: 'Say what the claim is.', de: 'Sagen Sie, worum es bei dem Anspruch geht.' };
    if (until === null || until <= now || until > now + 10 * 365 * DAY)
      fields.until = {
        en: 'Give a date in the future, at most 10 years ahead.',
        de: 'Geben Sie ein Datum in der Zukunft an, höchstens 10 Jahre voraus.',
      };
    if (Object.keys(fields).length > 0 || until === null) throw errors.invalidFields(fields);
    await holdForLegalClaim(deps, ticket.id, { reason, until });
    return `${ticket.id}?notice=held`;
  });
}

/** A date field (YYYY-MM-DD) as the end of that day in UTC; null when it is not a real date. */
function parseDay(raw: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
  const d = new Date(ms);
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) ? ms : null;
}
