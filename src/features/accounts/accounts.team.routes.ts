// HTTP side of the staff team: /staff/team and its actions (admins only; every view of the list is recorded in the
// access audit, every change in staff_changes), and /account/invitation, the page behind an invitation link, whose
// token leaves the address bar at once as reset links' do (platform/http/link-token.ts, docs/decisions/0012).
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole, type Viewer } from '../../platform/http/context.ts';
import { clearLinkToken, linkTokenOf, moveLinkTokenToCookie } from '../../platform/http/link-token.ts';
import type { Text } from '../../platform/i18n.ts';
import { recordAccess } from '../../privacy/access-audit.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { type AccountsHttp, clientOf, formError } from './accounts.http.ts';
import { invitationPage, teamPage, type TeamPageModel } from './accounts.team.pages.ts';
import { logout } from './accounts.service.ts';
import * as team from './accounts.team.service.ts';

export const TEAM_PATH = '/staff/team';
export const INVITATION_PATH = '/account/invitation';

const TeamQuery = Type.Object({
  after: Type.Optional(Type.String({ maxLength: 300 })),
  invitationsAfter: Type.Optional(Type.String({ maxLength: 400 })),
  done: Type.Optional(Type.String({ maxLength: 20 })),
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const InviteForm = formBody({ email: formText(1000), name: formText(1000), role: formText(20), lang: formText(5) });
const RoleForm = formBody({ role: formText(20) });
const EmptyForm = formBody({});
const ConfirmForm = formBody({ confirm: formText(10) });
const AcceptForm = formBody({ token: formText(200), name: formText(1000), password: formText(1000) });
const InvitationQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 100 })) });

const notices: Record<string, Text> = {
  invited: { en: 'The invitation was sent.', de: 'Die Einladung wurde verschickt.' },
  resent: {
    en: 'A new invitation link was sent; the previous one no longer works.',
    de: 'Ein neuer Einladungslink wurde verschickt; der vorherige gilt nicht mehr.',
  },
  revoked: { en: 'The invitation was revoked.', de: 'Die Einladung wurde widerrufen.' },
  role: { en: 'The role was changed.', de: 'Die Rolle wurde geändert.' },
  deactivated: {
    en: 'The account was deactivated and all its sessions ended.',
    de: 'Das Konto wurde deaktiviert und alle seine Sitzungen wurden beendet.',
  },
  reactivated: { en: 'The account was reactivated.', de: 'Das Konto wurde reaktiviert.' },
  'second-factor': {
    en: 'The second factor was reset. The person sets up a new one at their next console page.',
    de: 'Der zweite Faktor wurde zurückgesetzt. Die Person richtet beim nächsten Aufruf der Verwaltung einen neuen ein.',
  },
};

export function registerTeamRoutes(app: App, deps: Deps, http: AccountsHttp): void {
  const { cookies, throttle, authLimit } = http;

  /** The team page after recording the view (the list shows staff names, addresses and sign-ins). */
  async function showTeam(
    request: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    cursor: { after?: string | undefined; invitationsAfter?: string | undefined },
    extra: Partial<TeamPageModel> = {},
    status = 200,
  ) {
    const page = await team.listTeam(deps, cursor);
    await recordAccess(deps, {
      actor: viewer,
      whose: { userIds: page.members.map((m) => m.id) },
      what: 'accounts.team-view',
      why: 'staff-administration',
      path: request.url,
    });
    const model: TeamPageModel = { page, now: deps.clock.now(), viewerId: viewer.userId, ...extra };
    return sendPage(reply, teamPage(pageContext(request), model), status);
  }

  app.get(TEAM_PATH, { schema: { querystring: TeamQuery } }, async (request, reply) => {
    const viewer = requireRole(request.viewer, ['admin']);
    const { after, invitationsAfter, done } = request.query;
    return showTeam(
      request,
      reply,
      viewer,
      { after, invitationsAfter },
      {
        notice: done !== undefined && Object.hasOwn(notices, done) ? notices[done] : undefined,
      },
    );
  });

  /** Runs an admin action; a refusal (4xx other than 404) shows the team page with the reason, else back to it. */
  async function act(
    request: FastifyRequest,
    reply: FastifyReply,
    done: string,
    run: (viewer: Viewer) => Promise<unknown>,
    values?: TeamPageModel['values'],
  ) {
    const viewer = requireRole(request.viewer, ['admin']);
    try {
      await run(viewer);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
      const fields = err.fields;
      return showTeam(request, reply, viewer, {}, { error: err.text, fields, values }, err.status);
    }
    return reply.redirect(`${TEAM_PATH}?done=${done}`, 303);
  }

  app.post(`${TEAM_PATH}/invitations`, { schema: { body: InviteForm } }, async (request, reply) => {
    const body = request.body;
    const input = { email: body.email ?? '', name: body.name, role: body.role ?? '', lang: body.lang ?? request.lang };
    return act(request, reply, 'invited', (viewer) => team.inviteStaff(deps, viewer, input), input);
  });

  app.post(
    `${TEAM_PATH}/invitations/:id/resend`,
    { schema: { params: IdParams, body: EmptyForm } },
    async (request, reply) =>
      act(request, reply, 'resent', (viewer) => team.resendInvitation(deps, viewer, request.params.id)),
  );

  app.post(
    `${TEAM_PATH}/invitations/:id/revoke`,
    { schema: { params: IdParams, body: EmptyForm } },
    async (request, reply) =>
      act(request, reply, 'revoked', (viewer) => team.revokeInvitation(deps, viewer, request.params.id)),
  );

  app.post(`${TEAM_PATH}/:id/role`, { schema: { params: IdParams, body: RoleForm } }, async (request, reply) =>
    act(request, reply, 'role', (viewer) => team.changeRole(deps, viewer, request.params.id, request.body.role ?? '')),
  );

  app.post(`${TEAM_PATH}/:id/deactivate`, { schema: { params: IdParams, body: EmptyForm } }, async (request, reply) =>
    act(request, reply, 'deactivated', (viewer) => team.deactivateAccount(deps, viewer, request.params.id)),
  );

  app.post(`${TEAM_PATH}/:id/reactivate`, { schema: { params: IdParams, body: EmptyForm } }, async (request, reply) =>
    act(request, reply, 'reactivated', (viewer) => team.reactivateAccount(deps, viewer, request.params.id)),
  );

  // A lost device: another admin resets the factor after ticking the confirmation (never one's own: see the service).
  app.post(
    `${TEAM_PATH}/:id/reset-second-factor`,
    { schema: { params: IdParams, body: ConfirmForm } },
    async (request, reply) =>
      act(request, reply, 'second-factor', (viewer) =>
        team.resetMemberSecondFactor(deps, viewer, request.params.id, request.body.confirm === 'yes'),
      ),
  );

  // The invitation link: a live token moves into a short-lived cookie for this path and the browser goes to the clean
  // address; a dead one gets the clear "invalid, used, revoked or expired" page (410).
  app.get(
    INVITATION_PATH,
    { config: { tokenLink: true }, schema: { querystring: InvitationQuery } },
    async (request, reply) => {
      const fromLink = request.query.token ?? '';
      const shop = deps.config.operator.company;
      if (fromLink !== '') {
        if (await team.findInvitationByToken(deps, fromLink))
          return moveLinkTokenToCookie(reply, cookies, INVITATION_PATH, fromLink);
        clearLinkToken(reply, cookies, INVITATION_PATH);
        return sendPage(
          reply,
          invitationPage(pageContext(request), { invitation: null, hasAccount: false, shop }),
          410,
        );
      }
      const found = await team.findInvitationByToken(deps, linkTokenOf(request, cookies));
      return sendPage(
        reply,
        invitationPage(pageContext(request), {
          invitation: found?.invitation ?? null,
          hasAccount: found?.hasAccount ?? false,
          shop,
        }),
        found ? 200 : 410,
      );
    },
  );

  app.post(
    INVITATION_PATH,
    { config: { ...authLimit, tokenLink: true }, schema: { body: AcceptForm } },
    async (request, reply) => {
      const token = request.body.token || linkTokenOf(request, cookies);
      const shop = deps.config.operator.company;
      try {
        const started = await team.acceptInvitation(
          deps,
          throttle,
          token,
          { name: request.body.name, password: request.body.password ?? '' },
          clientOf(request),
        );
        clearLinkToken(reply, cookies, INVITATION_PATH);
        // Signed in; the console's second-factor gate leads a new member of staff to enrolment first.
        // A session the browser had before (a customer's, say) ends, as at every sign-in.
        if (request.viewer) await logout(deps, request.viewer.sessionId);
        http.startCookie(reply, started);
        return reply.header('cache-control', 'no-store').redirect('/staff', 303);
      } catch (err) {
        const e = formError(err);
        if (e.code === 'invalid_token')
          return sendPage(
            reply,
            invitationPage(pageContext(request), { invitation: null, hasAccount: false, shop }),
            410,
          );
        const found = await team.findInvitationByToken(deps, token);
        const page = invitationPage(pageContext(request), {
          invitation: found?.invitation ?? null,
          hasAccount: found?.hasAccount ?? false,
          shop,
          fields: e.fields,
          error: Object.keys(e.fields).length === 0 ? e.text : undefined,
          name: request.body.name,
        });
        return sendPage(reply, page, e.status);
      }
    },
  );
}
