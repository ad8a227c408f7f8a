// The helpdesk's JSON API for signed-in customers (issue 14): their requests, a new request and a reply (JSON, no
// attachments: those go through the account's pages), one request's thread (never internal notes) with attachment
// metadata and download addresses, and the saved system profile. Another person's request answers 404.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireVerifiedEmail } from '../../platform/http/context.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import {
  checkNewRequest,
  checkProfile,
  checkReply,
  customerThread,
  mergeTargetOf,
  saveCheckedProfile,
} from './support.account.routes.ts';
import { API_BODY_MAX, API_BODY_TEXT } from './support.contact.routes.ts';
import { LIMITS, parseProfile, SystemProfileSchema } from './support.model.ts';
import { deleteProfile, findProfile, findTicketOf, listTicketsOf } from './support.queries.ts';
import { addCustomerMessage, openTicket } from './support.service.ts';
import { TICKET_CATEGORIES, TICKET_STATES, type SupportTicketsTable } from './support.tables.ts';

const iso = (ms: number) => new Date(ms).toISOString();

const TicketSummary = Type.Object({
  id: Type.String(),
  ref: Type.String({ description: 'The reference quoted in our mails.' }),
  subject: Type.String(),
  state: Type.Unsafe<string>({ type: 'string', enum: [...TICKET_STATES] }),
  category: Type.Unsafe<string>({ type: 'string', enum: [...TICKET_CATEGORIES] }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const Attachment = Type.Object({
  id: Type.String(),
  fileName: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  url: Type.String({ description: 'Download address (the signed-in session is needed).' }),
});

const Message = Type.Object({
  id: Type.String(),
  author: Type.Unsafe<'customer' | 'staff'>({ type: 'string', enum: ['customer', 'staff'] }),
  body: Type.String(),
  createdAt: Type.String(),
  attachments: Type.Array(Attachment),
});

const TicketDetail = Type.Object({
  ...TicketSummary.properties,
  profile: Type.Union([SystemProfileSchema, Type.Null()], {
    description: 'The system profile as attached when the request was sent, or null.',
  }),
  messages: Type.Array(Message),
});

const NewTicketBody = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: LIMITS.subject }),
    message: Type.String({ minLength: 1, maxLength: API_BODY_MAX, description: API_BODY_TEXT }),
    category: Type.Optional(
      Type.Unsafe<string>({
        type: 'string',
        enum: TICKET_CATEGORIES.filter((c) => c !== 'repair'),
        description: 'Default "question". Repairs have their own request.',
      }),
    ),
    productId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'A product of one of my purchases.' }),
    ),
    orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'One of my orders.' })),
    attachProfile: Type.Optional(Type.Boolean({ description: 'Attach (a frozen copy of) my saved system profile.' })),
  },
  { additionalProperties: false },
);
const ReplyBody = Type.Object(
  { message: Type.String({ minLength: 1, maxLength: API_BODY_MAX, description: API_BODY_TEXT }) },
  { additionalProperties: false },
);
const TicketParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ProfileReply = Type.Object({ profile: SystemProfileSchema, updatedAt: Type.String() });
/** Fastify sends no body with a 204, so the handler sends nothing. */
const NoContent = Type.Unsafe<void>({ type: 'null' });

const summaryOf = (t: SupportTicketsTable) => ({
  id: t.id,
  ref: t.ref,
  subject: t.subject,
  state: t.state,
  category: t.category,
  createdAt: iso(t.created_at),
  updatedAt: iso(t.updated_at),
});

export function registerSupportApiRoutes(app: App, deps: Deps): void {
  const base = deps.config.baseUrl;

  app.get(
    '/api/v1/support/tickets',
    {
      schema: {
        summary: 'My support requests, the latest first',
        tags: ['support'],
        response: { 200: Type.Object({ items: Type.Array(TicketSummary) }), 401: errorRef, 403: errorRef },
      },
    },
    async (request) => {
      const viewer = requireVerifiedEmail(request.viewer);
      return { items: (await listTicketsOf(deps.db, viewer.userId)).map(summaryOf) };
    },
  );

  app.post(
    '/api/v1/support/tickets',
    {
      schema: {
        summary: 'Open a support request',
        description:
          'JSON only: attachments cannot be sent through the API (use the request in the account, ' +
          '/account/support/new). The product and order must be my own; the saved system profile is attached as ' +
          'it is now (later changes do not alter the request).',
        tags: ['support'],
        body: NewTicketBody,
        response: { 201: TicketSummary, 400: errorRef, 401: errorRef, 403: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireVerifiedEmail(request.viewer);
      const checked = await checkNewRequest(deps, viewer.userId, {
        subject: request.body.subject,
        message: request.body.message,
        category: request.body.category,
        productId: request.body.productId,
        orderId: request.body.orderId,
        attachProfile: request.body.attachProfile === true,
      });
      const opened = await openTicket(deps, {
        requester: viewer.userId,
        subject: checked.subject,
        body: checked.body,
        lang: request.lang,
        source: 'api',
        category: checked.category,
        productId: checked.productId,
        orderId: checked.orderId,
        profile: checked.profile,
      });
      const ticket = await findTicketOf(deps.db, viewer.userId, opened.id);
      if (!ticket) throw errors.notFound();
      return reply.code(201).send(summaryOf(ticket));
    },
  );

  app.get(
    '/api/v1/support/tickets/:id',
    {
      schema: {
        summary: 'One of my support requests with its messages',
        description: 'The thread as I see it (my messages and the answers), with each attachment and its download URL.',
        tags: ['support'],
        params: TicketParams,
        response: { 200: TicketDetail, 401: errorRef, 403: errorRef, 404: errorRef },
      },
    },
    async (request) => {
      const viewer = requireVerifiedEmail(request.viewer);
      const ticket = await findTicketOf(deps.db, viewer.userId, request.params.id);
      if (!ticket) throw errors.notFound();
      const thread = await customerThread(deps, ticket);
      return {
        ...summaryOf(ticket),
        profile: parseProfile(ticket.profile_snapshot),
        messages: thread.messages.map((m) => ({
          id: m.id,
          author: m.author,
          body: m.body,
          createdAt: iso(m.createdAt),
          attachments: m.attachments.map((a) => ({
            ...a,
            url: `${base}/account/support/${ticket.id}/attachments/${a.id}`,
          })),
        })),
      };
    },
  );

  app.post(
    '/api/v1/support/tickets/:id/messages',
    {
      schema: {
        summary: 'Write to one of my support requests (reopens it if it was solved or closed)',
        description:
          'JSON only, no attachments (use the request in the account for files). A request merged into another one ' +
          'takes the message into that one: `ticketId` says which. A request kept only under restriction (after an ' +
          'erasure request) takes none: 409.',
        tags: ['support'],
        params: TicketParams,
        body: ReplyBody,
        response: {
          201: Type.Object({
            id: Type.String({ description: 'The new message.' }),
            ticketId: Type.String({ description: 'The request it went to (the target of a merged one).' }),
          }),
          400: errorRef,
          401: errorRef,
          403: errorRef,
          404: errorRef,
          409: errorRef,
        },
      },
    },
    async (request, reply) => {
      const viewer = requireVerifiedEmail(request.viewer);
      const ticket = await findTicketOf(deps.db, viewer.userId, request.params.id);
      if (!ticket) throw errors.notFound();
      const body = checkReply(request.body.message);
      const id = await addCustomerMessage(deps, ticket.id, { body, via: 'api' });
      const target = await mergeTargetOf(deps, ticket);
      return reply.code(201).send({ id, ticketId: target.id });
    },
  );

  app.get(
    '/api/v1/support/profile',
    {
      schema: {
        summary: 'My saved system profile',
        tags: ['support'],
        response: { 200: ProfileReply, 401: errorRef, 403: errorRef, 404: errorRef },
      },
    },
    async (request) => {
      const viewer = requireVerifiedEmail(request.viewer);
      const stored = await findProfile(deps.db, viewer.userId);
      const profile = parseProfile(stored?.profile ?? null);
      if (!stored || !profile) throw errors.notFound();
      return { profile, updatedAt: iso(stored.updated_at) };
    },
  );

  app.put(
    '/api/v1/support/profile',
    {
      schema: {
        summary: 'Save my system profile',
        description: 'Serial numbers only of devices registered to my account.',
        tags: ['support'],
        body: SystemProfileSchema,
        response: { 200: ProfileReply, 400: errorRef, 401: errorRef, 403: errorRef },
      },
    },
    async (request) => {
      const viewer = requireVerifiedEmail(request.viewer);
      const profile = await checkProfile(deps, viewer.userId, request.body);
      await saveCheckedProfile(deps, viewer.userId, profile);
      return { profile, updatedAt: iso(deps.clock.now()) };
    },
  );

  app.delete(
    '/api/v1/support/profile',
    {
      schema: {
        summary: 'Delete my system profile (requests keep the copy attached to them)',
        tags: ['support'],
        response: { 204: NoContent, 401: errorRef, 403: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireVerifiedEmail(request.viewer);
      await deleteProfile(deps.db, viewer.userId);
      return reply.code(204).send();
    },
  );
}
