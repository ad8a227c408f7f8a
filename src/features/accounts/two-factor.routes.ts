// HTTP side of the second factor: the enrolment and status pages under /account/two-factor, the code step of a
// sign-in (/account/login/code, also for a signed-in session that still has to pass it), and the API's code step
// POST /api/v1/sessions/second-factor. The pending sign-in travels as a token in the code form (a hidden field)
// or, for the API, as `pendingToken` in the body: no extra cookie, and never in an address.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireViewer } from '../../platform/http/context.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import { formBody, formText, pageContext, safeBackPath, sendPage } from '../../web/index.ts';
import { type AccountsHttp, clientOf, formError, sessionExpiry } from './accounts.http.ts';
import { messagePage } from './accounts.pages.ts';
import { str, User } from './accounts.schemas.ts';
import * as service from './accounts.service.ts';
import * as pages from './two-factor.pages.ts';
import * as tf from './two-factor.service.ts';

const FIELD = 1000;
const NextQuery = Type.Object({ next: Type.Optional(Type.String()) });
const CodeForm = formBody({ code: formText(FIELD), next: formText(FIELD), pending: formText(100) });
const DisableForm = formBody({ password: formText(FIELD), code: formText(FIELD) });
const RenewForm = formBody({ code: formText(FIELD) });
const SecondFactorBody = Type.Object(
  {
    code: str(20, 1),
    pendingToken: Type.String({ maxLength: 64, description: 'From the 202 answer of POST /api/v1/sessions.' }),
  },
  { additionalProperties: false },
);
const SignedIn = Type.Object({ id: Type.String(), expiresAt: Type.String(), remember: Type.Boolean(), user: User });

/** Where to go once the factor is set up or passed: the page asked for, else the staff home or the account. */
const onward = (next: string | undefined, role: string) =>
  safeBackPath(next, role === 'customer' ? '/account' : '/staff');

/** The message of an error as the page shows it (the throttle's "{seconds}" filled in). */
function messageOf(e: AppError) {
  const seconds = e.headers['retry-after'] ?? '';
  return { en: e.text.en.replace('{seconds}', seconds), de: e.text.de.replace('{seconds}', seconds) };
}

export function registerTwoFactorRoutes(app: App, deps: Deps, http: AccountsHttp): void {
  const { authLimit, throttle } = http;

  app.get('/account/two-factor', { schema: { querystring: NextQuery } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const status = await tf.twoFactorStatus(deps, viewer.userId);
    if (status.enabled) {
      const notice = request.query.next === 'disabled' ? tf.MESSAGES.disabled : undefined;
      return sendPage(reply, pages.statusPage(pageContext(request), status, viewer.role === 'customer', notice));
    }
    const user = await service.getProfile(deps, viewer.userId);
    const enrolment = await tf.startEnrolment(deps, user, viewer.sessionId);
    const next = onward(request.query.next, viewer.role);
    return sendPage(reply, pages.enrolmentPage(pageContext(request), enrolment, next, viewer.role !== 'customer'));
  });

  // Only for a signed-in account, and every guess counts on that account's throttle: no per-IP auth limit needed.
  app.post('/account/two-factor', { schema: { body: CodeForm } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const next = onward(request.body.next, viewer.role);
    try {
      const codes = await tf.confirmEnrolment(deps, throttle, viewer, request.body.code ?? '');
      return sendPage(reply, pages.recoveryCodesPage(pageContext(request), codes, next, tf.MESSAGES.enabled));
    } catch (err) {
      const e = err instanceof AppError && err.code === 'sign_in_delayed' ? err : formError(err);
      for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
      if (e.code === 'second_factor_enabled') return reply.redirect('/account/two-factor', 303);
      const user = await service.getProfile(deps, viewer.userId);
      const enrolment = await tf.startEnrolment(deps, user, viewer.sessionId);
      const page = pages.enrolmentPage(pageContext(request), enrolment, next, viewer.role !== 'customer', messageOf(e));
      return sendPage(reply, page, e.status);
    }
  });

  app.post(
    '/account/two-factor/disable',
    { config: authLimit, schema: { body: DisableForm } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      try {
        await tf.disableTwoFactor(deps, throttle, viewer, request.body.password ?? '', request.body.code ?? '');
        const title = { en: 'Two-step sign-in', de: 'Anmeldung in zwei Schritten' };
        const link = { href: '/account', label: { en: 'Back to my account', de: 'Zurück zu meinem Konto' } };
        return sendPage(reply, messagePage(pageContext(request), title, tf.MESSAGES.disabled, link));
      } catch (err) {
        const e = err instanceof AppError && err.code === 'sign_in_delayed' ? err : formError(err);
        for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
        const status = await tf.twoFactorStatus(deps, viewer.userId);
        const page = pages.statusPage(
          pageContext(request),
          status,
          viewer.role === 'customer',
          undefined,
          e.fields,
          messageOf(e),
        );
        return sendPage(reply, page, e.status);
      }
    },
  );

  // New recovery codes (the old ones die), after a current code: shown once, like the first ones.
  app.post(
    '/account/two-factor/recovery-codes',
    { config: authLimit, schema: { body: RenewForm } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      try {
        const codes = await tf.renewRecoveryCodes(deps, throttle, viewer, request.body.code ?? '');
        const page = pages.recoveryCodesPage(pageContext(request), codes, '/account/two-factor', tf.MESSAGES.renewed);
        return sendPage(reply, page);
      } catch (err) {
        const e = err instanceof AppError && err.code === 'sign_in_delayed' ? err : formError(err);
        for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
        const status = await tf.twoFactorStatus(deps, viewer.userId);
        if (!status.enabled) return reply.redirect('/account/two-factor', 303);
        const fields = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [`renew-${k}`, v]));
        const page = pages.statusPage(
          pageContext(request),
          status,
          viewer.role === 'customer',
          undefined,
          fields,
          messageOf(e),
        );
        return sendPage(reply, page, e.status);
      }
    },
  );

  // The code step of a signed-in session that has not passed the factor yet (a staff page sent it here). The code
  // step of a sign-in is the page POST /account/login answers with, carrying the pending token in the form.
  app.get('/account/login/code', { schema: { querystring: NextQuery } }, async (request, reply) => {
    const viewer = request.viewer;
    const next = onward(request.query.next, viewer?.role ?? 'customer');
    if (!viewer) return reply.redirect(`/account/login?next=${encodeURIComponent(next)}`, 303);
    if (viewer.secondFactor) return reply.redirect(next, 303);
    const status = await tf.twoFactorStatus(deps, viewer.userId);
    if (!status.enabled) return reply.redirect(next, 303);
    return sendPage(reply, pages.codeStepPage(pageContext(request), next));
  });

  app.post('/account/login/code', { config: authLimit, schema: { body: CodeForm } }, async (request, reply) => {
    const { code = '', pending } = request.body;
    try {
      if (pending || !request.viewer) {
        const started = await tf.completeSignIn(
          deps,
          throttle,
          pending,
          code,
          clientOf(request),
          request.viewer?.sessionId,
        );
        http.startCookie(reply, started);
        return reply.redirect(onward(request.body.next, started.user.role), 303);
      }
      await tf.passSecondFactor(deps, throttle, request.viewer, code);
      return reply.redirect(onward(request.body.next, request.viewer.role), 303);
    } catch (err) {
      const e = err instanceof AppError && err.code === 'sign_in_delayed' ? err : formError(err);
      for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
      const next = onward(request.body.next, request.viewer?.role ?? 'customer');
      if (e.code === 'second_factor_expired') {
        const page = pages.codeStepPage(pageContext(request), next, undefined, messageOf(e), true);
        return sendPage(reply, page, e.status);
      }
      const page = pages.codeStepPage(pageContext(request), next, pending, messageOf(e));
      return sendPage(reply, page, e.status);
    }
  });

  app.post(
    '/api/v1/sessions/second-factor',
    {
      config: authLimit,
      schema: {
        summary: 'Sign in, second step: the code from the authenticator app or a recovery code',
        tags: ['sessions'],
        description:
          'After POST /api/v1/sessions answered 202 `second_factor_required`, send the current 6-digit TOTP code ' +
          '(or one of the recovery codes) with the `pendingToken` of that answer within 10 ' +
          'minutes. A code is accepted once; a used one answers 400 `invalid_second_factor`. Wrong codes count on ' +
          'the sign-in throttle of the account (429 `sign_in_delayed` with Retry-After). An expired or unknown ' +
          'pending token answers 401 `second_factor_expired`: sign in again.',
        body: SecondFactorBody,
        response: { 201: SignedIn, 400: errorRef, 401: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const token = request.body.pendingToken;
      const started = await tf.completeSignIn(
        deps,
        throttle,
        token,
        request.body.code,
        clientOf(request),
        request.viewer?.sessionId,
      );
      http.startCookie(reply, started);
      return reply.code(201).send({
        id: started.session.id,
        expiresAt: sessionExpiry(started.session),
        remember: started.session.remember === 1,
        user: service.toPublicUser(started.user),
      });
    },
  );
}
