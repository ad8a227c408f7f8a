// The accounts API without a signed-in account: registration, address and email-change tokens, password
// resets, and signing in and out.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { requireViewer } from '../../platform/http/context.ts';
import { clearCookie, clearSiteData } from '../../platform/http/cookies.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import { isLang } from '../../platform/i18n.ts';
import { type AccountsHttp, clientOf, sessionExpiry } from './accounts.http.ts';
import { Accepted, LangField, NoContent, nullableStr, str, TokenBody, User } from './accounts.schemas.ts';
import * as service from './accounts.service.ts';

const RegisterBody = Type.Object(
  {
    name: str(200, 1),
    email: str(254, 3),
    password: str(128),
    company: Type.Optional(nullableStr(200)),
    phone: Type.Optional(nullableStr(40)),
    lang: Type.Optional(LangField),
  },
  { additionalProperties: false },
);
const ResetRequestBody = Type.Object({ email: str(254, 3) }, { additionalProperties: false });
const ResetConfirmBody = Type.Object({ token: str(100, 1), password: str(128) }, { additionalProperties: false });
const SignInBody = Type.Object(
  { email: str(254, 1), password: str(128), remember: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const SecondFactorRequired = Type.Object({
  status: Type.Literal('second_factor_required'),
  pendingToken: Type.String({ description: 'Send with the code to POST /api/v1/sessions/second-factor.' }),
  expiresAt: Type.String(),
});
const SignedIn = Type.Object({ id: Type.String(), expiresAt: Type.String(), remember: Type.Boolean(), user: User });

export function registerAccountApi(app: App, deps: Deps, http: AccountsHttp): void {
  const { authLimit, cookies, throttle } = http;

  app.post(
    '/api/v1/accounts',
    {
      config: authLimit,
      schema: {
        summary: 'Register an account',
        tags: ['accounts'],
        body: RegisterBody,
        description:
          'Answers 202 whether or not the address already has an account (a new one gets a confirmation link, ' +
          'a known one a notice to its owner). It does not sign in: sign in with POST /api/v1/sessions.',
        response: { 202: Accepted, 400: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const body = request.body;
      await service.registerAccount(deps, { ...body, lang: isLang(body.lang) ? body.lang : request.lang });
      return reply.code(202).send({ status: 'accepted' });
    },
  );

  app.post(
    '/api/v1/accounts/verification',
    {
      schema: {
        summary: 'Confirm an email address with the token from the mail',
        tags: ['accounts'],
        body: TokenBody,
        response: { 204: NoContent, 400: errorRef },
      },
    },
    async (request, reply) => {
      await service.verifyEmail(deps, request.body.token);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/password-resets',
    {
      config: authLimit,
      schema: {
        summary: 'Mail a password reset link',
        tags: ['accounts'],
        body: ResetRequestBody,
        response: { 202: Accepted, 400: errorRef },
      },
    },
    async (request, reply) => {
      await service.requestPasswordReset(deps, request.body.email);
      return reply.code(202).send({ status: 'accepted' });
    },
  );

  app.post(
    '/api/v1/password-resets/confirm',
    {
      config: authLimit,
      schema: {
        summary: 'Set a new password with a reset token',
        tags: ['accounts'],
        body: ResetConfirmBody,
        response: { 204: NoContent, 400: errorRef },
      },
    },
    async (request, reply) => {
      await service.resetPassword(deps, throttle, request.body.token, request.body.password);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/sessions',
    {
      config: authLimit,
      schema: {
        summary: 'Sign in',
        tags: ['sessions'],
        body: SignInBody,
        description:
          'Ends the session the request carried, if any. After repeated failures for one address, answers 429 ' +
          'sign_in_delayed with Retry-After (the same for addresses without an account). For an account with a ' +
          'second factor (TOTP), a right password answers 202 with `status: second_factor_required`, a ' +
          '`pendingToken` and its `expiresAt`; no session starts until ' +
          'POST /api/v1/sessions/second-factor accepts a code. Staff, dpo and admin sessions without a passed ' +
          'second factor get 403 `second_factor_required` from every staff API.',
        response: { 201: SignedIn, 202: SecondFactorRequired, 400: errorRef, 401: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const { email, password, remember } = request.body;
      const started = await service.login(
        deps,
        throttle,
        { email, password, remember: remember === true },
        clientOf(request),
        request.viewer?.sessionId,
        request.cookies[cookies.device],
      );
      if (started.pending) {
        http.setDeviceCookie(reply, started.device);
        return reply.code(202).send({
          status: 'second_factor_required' as const,
          pendingToken: started.pending.token,
          expiresAt: new Date(started.pending.expiresAt).toISOString(),
        });
      }
      http.startCookie(reply, started);
      return reply.code(201).send({
        id: started.session.id,
        expiresAt: sessionExpiry(started.session),
        remember: started.session.remember === 1,
        user: service.toPublicUser(started.user),
      });
    },
  );

  app.delete(
    '/api/v1/sessions/current',
    { schema: { summary: 'Sign out', tags: ['sessions'], response: { 204: NoContent, 401: errorRef } } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      await service.logout(deps, viewer.sessionId);
      clearCookie(reply, cookies, cookies.session);
      clearSiteData(reply);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/email-changes/confirm',
    {
      config: authLimit,
      schema: {
        summary: 'Confirm an email change with the token mailed to the new address; the change takes effect now',
        tags: ['accounts'],
        body: TokenBody,
        response: { 204: NoContent, 400: errorRef },
      },
    },
    async (request, reply) => {
      await service.confirmEmailChange(deps, request.body.token);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/email-changes/undo',
    {
      config: authLimit,
      schema: {
        summary: 'Undo an email change with the token mailed to the old address; ends every session',
        tags: ['accounts'],
        body: TokenBody,
        response: { 204: NoContent, 400: errorRef, 409: errorRef },
      },
    },
    async (request, reply) => {
      await service.undoEmailChange(deps, request.body.token);
      if (request.viewer) clearCookie(reply, cookies, cookies.session);
      return reply.code(204).send();
    },
  );
}
