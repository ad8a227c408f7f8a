// The signed-in person's own account in the API (/api/v1/me): details, password, sessions and the data export.
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { requireVerifiedEmail, requireViewer } from '../../platform/http/context.ts';
import { clearCookie, clearSiteData } from '../../platform/http/cookies.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import { exportSubjectData } from '../../privacy/subject.ts';
import { type AccountsHttp, clientOf, toPublicSession } from './accounts.http.ts';
import { Accepted, LangField, NoContent, nullableStr, Session, str, User } from './accounts.schemas.ts';
import * as service from './accounts.service.ts';

const ProfileBody = Type.Object(
  {
    name: Type.Optional(str(200, 1)),
    email: Type.Optional(str(254, 3)),
    company: Type.Optional(nullableStr(200)),
    phone: Type.Optional(nullableStr(40)),
    lang: Type.Optional(LangField),
    currentPassword: Type.Optional(
      Type.String({ maxLength: 128, minLength: 0, description: 'Required when email changes' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
const PasswordBody = Type.Object({ currentPassword: str(128), newPassword: str(128) }, { additionalProperties: false });
const SessionList = Type.Object({ items: Type.Array(Session) });
const SessionParams = Type.Object({ id: str(64, 1) });

// What a person's data export holds; rows keep every column they have, so their items are open objects.
const OpenObject = Type.Object({}, { additionalProperties: true });
const DataExport = Type.Object(
  {
    format: Type.Literal('candor-subject-export/1'),
    generatedAt: Type.String(),
    subject: Type.Object({ email: Type.String() }),
    controller: OpenObject,
    records: Type.Array(OpenObject, {
      description: 'Per table: the activity, purpose, legal basis, recipients and the rows about you.',
    }),
    unlinked: Type.Array(OpenObject, { description: 'Data we hold that no row of can be tied to you, and why.' }),
  },
  { additionalProperties: true, description: 'Everything Candor holds about you, as JSON.' },
);

export function registerMeApi(app: App, deps: Deps, http: AccountsHttp): void {
  const { authLimit, cookies, throttle } = http;

  app.get(
    '/api/v1/me',
    { schema: { summary: 'My account', tags: ['me'], response: { 200: User, 401: errorRef } } },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      return service.toPublicUser(await service.getProfile(deps, viewer.userId));
    },
  );

  app.patch(
    '/api/v1/me',
    {
      schema: {
        summary: 'Correct my details',
        description:
          'Changing email needs currentPassword and does not change it yet: a link goes to the new address, and ' +
          'the change takes effect when it is confirmed (POST /api/v1/email-changes/confirm); the old address is ' +
          'then told and can undo it. The answer (200 with the unchanged address) is the same whether or not ' +
          'another account holds the new address; its owner gets a notice instead.',
        tags: ['me'],
        body: ProfileBody,
        response: { 200: User, 400: errorRef, 401: errorRef, 429: errorRef },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      return service.toPublicUser(await service.updateProfile(deps, throttle, viewer.userId, request.body));
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      config: authLimit,
      schema: {
        summary: 'Change my password; ends my other sessions',
        tags: ['me'],
        body: PasswordBody,
        response: { 204: NoContent, 400: errorRef, 401: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const { currentPassword, newPassword } = request.body;
      const current = (await service.listSessions(deps, viewer.userId)).find((s) => s.id === viewer.sessionId);
      const started = await service.changePassword(
        deps,
        throttle,
        viewer,
        currentPassword,
        newPassword,
        clientOf(request),
        current?.remember === 1,
      );
      http.startCookie(reply, started);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/me/verification',
    {
      schema: {
        summary: 'Send the address confirmation mail again (at most one mail per 15 minutes)',
        tags: ['me'],
        response: { 202: Accepted, 401: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      await service.resendVerification(deps, viewer.userId);
      return reply.code(202).send({ status: 'accepted' });
    },
  );

  app.get(
    '/api/v1/me/sessions',
    { schema: { summary: 'My active sessions', tags: ['me'], response: { 200: SessionList, 401: errorRef } } },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      const sessions = await service.listSessions(deps, viewer.userId);
      return { items: sessions.map((s) => toPublicSession(s, viewer.sessionId)) };
    },
  );

  app.delete(
    '/api/v1/me/sessions/:id',
    {
      schema: {
        summary: 'End one of my sessions',
        tags: ['me'],
        params: SessionParams,
        response: { 204: NoContent, 401: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const id = request.params.id;
      await service.revokeSession(deps, viewer.userId, id);
      if (id === viewer.sessionId) {
        clearCookie(reply, cookies, cookies.session);
        clearSiteData(reply);
      }
      return reply.code(204).send();
    },
  );

  // Portability (Art. 20): everything the data map links to me, as JSON. It needs a proven address.
  async function sendDataExport(request: FastifyRequest, reply: FastifyReply) {
    const viewer = requireVerifiedEmail(request.viewer);
    const user = await service.getProfile(deps, viewer.userId);
    const exported = await exportSubjectData(deps, user.email);
    return reply
      .header('content-disposition', 'attachment; filename="my-data.json"')
      .header('cache-control', 'no-store')
      .send(exported);
  }
  app.get(
    '/api/v1/me/data-export',
    {
      schema: {
        summary: 'Download all my data (needs a confirmed email address)',
        tags: ['me'],
        response: { 200: DataExport, 401: errorRef, 403: errorRef },
      },
    },
    sendDataExport,
  );
  // The same download for the account page's link (a browser sends the session cookie, not an API client).
  app.get('/account/data-export', sendDataExport);
}
